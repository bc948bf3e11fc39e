"""Whatever a client sends, the sandbox answers like Logto (a JSON error, a success or one of
Koa's text answers), never 500, on the Verifications and the Account routes alike.

The one 500 the fuzzing allows is Logto's own: a malformed ``multipart/form-data`` body on the
avatar route (formidable's errors are not HTTP errors, so Logto answers 500).
"""

from __future__ import annotations

import http.client
import json
from typing import Any, Dict, Iterator, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from py_logto.testing import LogtoSandbox
from test._sandbox_wire import request

ROUTES = [
    "/api/verifications/password",
    "/api/verifications/verification-code",
    "/api/verifications/verification-code/verify",
    "/api/verifications/social",
    "/api/verifications/social/verify",
    "/api/verifications/web-authn/registration",
    "/api/verifications/web-authn/registration/verify",
]
# Bodies near the valid ones reach the routes' own checks, not only the guards.
VALID_SHAPES: Dict[str, Dict[str, Any]] = {
    ROUTES[0]: {"password": "fuzz-password-1"},
    ROUTES[1]: {"identifier": {"type": "email", "value": "fuzz@example.com"}, "templateType": "BindMfa"},
    ROUTES[2]: {"identifier": {"type": "phone", "value": "1555"}, "verificationId": "x", "code": "123456"},
    ROUTES[3]: {"connectorId": "x", "state": "s", "redirectUri": "r", "scope": "openid"},
    ROUTES[4]: {"verificationRecordId": "x", "connectorData": {"code": "c"}},
    ROUTES[6]: {
        "verificationRecordId": "x",
        "payload": {
            "type": "WebAuthn",
            "id": "aWQ",
            "rawId": "aWQ",
            "response": {"clientDataJSON": "e30", "attestationObject": "oA", "transports": ["usb"]},
            "clientExtensionResults": {"crepProps": {"rk": True}},
        },
    },
}
EXPECTED_STATUSES = {200, 201, 400, 401, 403, 422, 429, 501}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@st.composite
def near_valid(draw: st.DrawFn, shape: Any) -> Any:
    """``shape`` with some leaves or keys replaced, dropped or added."""
    if isinstance(shape, dict):
        result = {}
        for key, value in shape.items():
            choice = draw(st.integers(0, 5))
            if choice == 0:
                continue
            result[key] = draw(json_values) if choice == 1 else draw(near_valid(value))
        if draw(st.booleans()):
            result[draw(st.text(max_size=6))] = draw(json_values)
        return result
    return draw(json_values) if draw(st.integers(0, 3)) == 0 else shape


@pytest.fixture(scope="module")
def target() -> Iterator[Tuple[LogtoSandbox, str]]:
    with LogtoSandbox() as sandbox:
        user = sandbox.add_user(password="fuzz-password-1", email="fuzz@example.com", phone="1555")
        yield sandbox, sandbox.issue_token(user)


def _call(
    sandbox: LogtoSandbox, method: str, path: str, body: Optional[bytes], headers: Dict[str, str]
) -> Tuple[int, Optional[str], bytes]:
    answer = request(sandbox, method, path, body, headers)
    return answer.status, answer.headers.get("content-type"), answer.raw


def _assert_logto_like(status: int, content_type: Optional[str], raw: bytes) -> None:
    assert status in EXPECTED_STATUSES, raw
    assert content_type == "application/json; charset=utf-8"
    body = json.loads(raw)  # always valid JSON, even when the input echoed in it was not
    assert isinstance(body, dict)
    assert ("code" in body and "message" in body) or set(body) == {"message"} or status < 300


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.data())
def test_json_bodies(target: Tuple[LogtoSandbox, str], data: st.DataObject) -> None:
    sandbox, token = target
    path = data.draw(st.sampled_from(ROUTES))
    shape = VALID_SHAPES.get(path, {})
    body = data.draw(st.one_of(json_values, near_valid(shape)))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    _assert_logto_like(*_call(sandbox, "POST", path, json.dumps(body).encode(), headers))


@FUZZ
@given(
    path=st.sampled_from(ROUTES),
    body=st.binary(max_size=200),
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", "image/png"]),
)
def test_arbitrary_bytes(target: Tuple[LogtoSandbox, str], path: str, body: bytes, content_type: str) -> None:
    sandbox, token = target
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    _assert_logto_like(*_call(sandbox, "POST", path, body, headers))


def test_values_echoed_in_errors_stay_valid_json(target: Tuple[LogtoSandbox, str]) -> None:
    sandbox, token = target
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = b'{"verificationRecordId": "x", "payload": {"type": 1e999, "id": "\\ud800"}}'
    status, _, raw = _call(sandbox, "POST", ROUTES[6], body, headers)
    issues = json.loads(raw)["data"]["issues"]
    assert (status, issues[0]["received"]) == (400, None)  # JSON.stringify(Infinity) is null


# -- the Account API --------------------------------------------------------------------------

ACCOUNT_ROUTES = [
    ("GET", "/api/my-account"),
    ("PATCH", "/api/my-account"),
    ("PATCH", "/api/my-account/profile"),
    ("POST", "/api/my-account/password"),
    ("GET", "/api/my-account/mfa-settings"),
    ("PATCH", "/api/my-account/mfa-settings"),
    ("GET", "/api/my-account/logto-configs"),
    ("PATCH", "/api/my-account/logto-configs"),
    ("GET", "/api/my-account/identities/{segment}/access-token"),
    ("PUT", "/api/my-account/identities/{segment}/access-token"),
    ("GET", "/api/my-account/sso-identities/{segment}/access-token"),
    ("POST", "/api/my-account/primary-email"),
    ("DELETE", "/api/my-account/primary-email"),
    ("POST", "/api/my-account/primary-phone"),
    ("DELETE", "/api/my-account/primary-phone"),
    ("POST", "/api/my-account/identities"),
    ("PUT", "/api/my-account/identities"),
    ("DELETE", "/api/my-account/identities/{segment}"),
    ("GET", "/api/my-account/mfa-verifications"),
    ("POST", "/api/my-account/mfa-verifications"),
    ("PUT", "/api/my-account/mfa-verifications/totp"),
    ("POST", "/api/my-account/mfa-verifications/totp-secret/generate"),
    ("POST", "/api/my-account/mfa-verifications/backup-codes/generate"),
    ("GET", "/api/my-account/mfa-verifications/backup-codes"),
    ("PATCH", "/api/my-account/mfa-verifications/{segment}/name"),
    ("DELETE", "/api/my-account/mfa-verifications/{segment}"),
    ("GET", "/api/my-account/sessions"),
    ("DELETE", "/api/my-account/sessions/{segment}"),
    ("GET", "/api/my-account/grants"),
    ("DELETE", "/api/my-account/grants/{segment}"),
    ("POST", "/api/my-account/user-assets/avatar"),
]
ACCOUNT_SHAPES: Dict[str, Any] = {
    "/api/my-account": {"name": "n", "avatar": "https://a.example/x.png", "username": "u_1", "customData": {"k": 1}},
    "/api/my-account/profile": {"givenName": "g", "address": {"country": "c"}},
    "/api/my-account/password": {"password": "fuzz-new-password-2"},
    "/api/my-account/mfa-settings": {"skipMfaOnSignIn": True},
    "/api/my-account/logto-configs": {"mfa": {"skipped": True}, "passkeySignIn": {"skipped": False}},
    "/api/my-account/primary-email": {"email": "new@example.com", "newIdentifierVerificationRecordId": "x"},
    "/api/my-account/primary-phone": {"phone": "15551234", "newIdentifierVerificationRecordId": "x"},
    "/api/my-account/identities": {"newIdentifierVerificationRecordId": "x"},
    "/api/my-account/mfa-verifications": {"type": "Totp", "secret": "JBSWY3DPEHPK3PXP", "code": "123456"},
    "/api/my-account/mfa-verifications/totp": {"secret": "JBSWY3DPEHPK3PXP", "code": "123456"},
}
ACCOUNT_STATUSES = {200, 204, 304, 400, 401, 403, 404, 405, 422}
segments = st.one_of(
    st.sampled_from(["mock-social", "x", "%2F", "%E2%82%AC", "%ZZ", "a.b"]), st.text("abc-_~%", min_size=1, max_size=8)
)
queries = st.sampled_from(
    ["", "?appType=firstParty", "?appType=x", "?appType=a&appType=b", "?revokeGrantsTarget=all", "?revokeGrantsTarget="]
)


@pytest.fixture(scope="module")
def account_target() -> Iterator[Tuple[LogtoSandbox, str, str]]:
    with LogtoSandbox() as sandbox:
        user = sandbox.add_user(password="fuzz-password-1", email="fuzz@example.com", phone="1555", username="fuzz")
        token = sandbox.issue_token(user)
        connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
        connection.request(
            "POST",
            "/api/verifications/password",
            body=json.dumps({"password": "fuzz-password-1"}),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        record = json.loads(connection.getresponse().read())["verificationRecordId"]
        connection.close()
        yield sandbox, token, record


def _assert_logto_answer(status: int, content_type: Optional[str], raw: bytes) -> None:
    assert status in ACCOUNT_STATUSES, raw
    if content_type == "text/plain; charset=utf-8":
        assert raw in (b"Not Found", b"Method Not Allowed", b"OK", b""), raw
    elif raw:
        assert content_type == "application/json; charset=utf-8"
        json.loads(raw)


@FUZZ
@given(data=st.data())
def test_account_routes_with_json_bodies(account_target: Tuple[LogtoSandbox, str, str], data: st.DataObject) -> None:
    sandbox, token, record = account_target
    method, template = data.draw(st.sampled_from(ACCOUNT_ROUTES))
    path = template.format(segment=data.draw(segments)) + data.draw(queries)
    shape = ACCOUNT_SHAPES.get(template, {})
    body = data.draw(st.one_of(json_values, near_valid(shape)))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    verification = data.draw(st.sampled_from([None, record, "", "unknown", f"{record}, {record}"]))
    if verification is not None:
        headers["logto-verification-id"] = verification
    _assert_logto_answer(*_call(sandbox, method, path, json.dumps(body).encode(), headers))


@FUZZ
@given(
    route=st.sampled_from(ACCOUNT_ROUTES),
    body=st.binary(max_size=200),
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", "image/png"]),
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"]),
)
def test_account_routes_with_arbitrary_bytes_and_methods(
    account_target: Tuple[LogtoSandbox, str, str], route: Tuple[str, str], body: bytes, content_type: str, method: str
) -> None:
    sandbox, token, record = account_target
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type, "logto-verification-id": record}
    status, returned_type, raw = _call(sandbox, method, route[1].format(segment="x"), body, headers)
    assert status in ACCOUNT_STATUSES | {201, 501}, raw
    if method != "HEAD" and status not in (204, 304) and returned_type == "application/json; charset=utf-8":
        json.loads(raw)


@FUZZ
@given(body=st.binary(max_size=300))
def test_a_malformed_multipart_body_is_logto_s_500_only(
    account_target: Tuple[LogtoSandbox, str, str], body: bytes
) -> None:
    sandbox, token, _ = account_target
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "multipart/form-data; boundary=b"}
    status, content_type, raw = _call(sandbox, "POST", "/api/my-account/user-assets/avatar", b"--b\r\n" + body, headers)
    assert status in (400, 500), raw
    assert content_type == "application/json; charset=utf-8"
    if status == 500:
        assert json.loads(raw) == {"message": "Internal server error."}
