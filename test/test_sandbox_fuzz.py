"""Whatever a client sends, the sandbox answers like Logto (a JSON error or a success), never 500."""

from __future__ import annotations

import http.client
import json
from typing import Any, Dict, Iterator, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from py_logto.testing import LogtoSandbox

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
EXPECTED_STATUSES = {200, 201, 400, 401, 403, 413, 422, 429, 501}

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


def _post(sandbox: LogtoSandbox, path: str, body: bytes, headers: Dict[str, str]) -> Tuple[int, Optional[str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
    finally:
        connection.close()


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
    _assert_logto_like(*_post(sandbox, path, json.dumps(body).encode(), headers))


@FUZZ
@given(
    path=st.sampled_from(ROUTES),
    body=st.binary(max_size=200),
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", "image/png"]),
)
def test_arbitrary_bytes(target: Tuple[LogtoSandbox, str], path: str, body: bytes, content_type: str) -> None:
    sandbox, token = target
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    _assert_logto_like(*_post(sandbox, path, body, headers))


def test_values_echoed_in_errors_stay_valid_json(target: Tuple[LogtoSandbox, str]) -> None:
    sandbox, token = target
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = b'{"verificationRecordId": "x", "payload": {"type": 1e999, "id": "\\ud800"}}'
    status, _, raw = _post(sandbox, ROUTES[6], body, headers)
    issues = json.loads(raw)["data"]["issues"]
    assert (status, issues[0]["received"]) == (400, None)  # JSON.stringify(Infinity) is null
