"""Behaviours found by sending the same requests to the sandbox and to a real Logto 1.42, where
an earlier sandbox answered differently; each test pins Logto's answer."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Dict, Iterator

import pytest

from py_logto.testing import LogtoSandbox, SandboxUser, make_webauthn_credential
from py_logto.testing._webauthn import b64url_encode
from test._sandbox_wire import bearer, raw_exchange, request

PASSWORD = "fidelity-password-1"
ORIGIN = "http://127.0.0.1:5173"


@pytest.fixture
def sandbox() -> Iterator[LogtoSandbox]:
    with LogtoSandbox() as sandbox:
        yield sandbox


@pytest.fixture
def user(sandbox: LogtoSandbox) -> SandboxUser:
    return sandbox.add_user(password=PASSWORD, email="fidelity@example.com", username="fidelity")


@pytest.fixture
def auth(sandbox: LogtoSandbox, user: SandboxUser) -> Dict[str, str]:
    return bearer(sandbox.issue_token(user))


def _send_code(sandbox: LogtoSandbox, auth: Dict[str, str], identifier: Dict[str, str]) -> str:
    answer = request(sandbox, "POST", "/api/verifications/verification-code", {"identifier": identifier}, auth)
    assert answer.status == 201, answer.raw
    return str(answer.json["verificationRecordId"])


def test_an_empty_code_is_not_found_and_costs_no_try(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    identifier = {"type": "email", "value": "fidelity@example.com"}
    record = _send_code(sandbox, auth, identifier)
    body = {"identifier": identifier, "verificationId": record, "code": ""}
    for _ in range(12):
        answer = request(sandbox, "POST", "/api/verifications/verification-code/verify", body, auth)
        assert (answer.status, answer.code) == (400, "verification_code.not_found")
    body["code"] = sandbox.last_message().code
    assert request(sandbox, "POST", "/api/verifications/verification-code/verify", body, auth).status == 200


@pytest.mark.parametrize("missing", ["state", "redirectUri"])
def test_social_needs_state_and_redirect_before_the_connector(
    sandbox: LogtoSandbox, auth: Dict[str, str], missing: str
) -> None:
    body = {"connectorId": "no-such-connector", "state": "s", "redirectUri": "http://app/cb", missing: ""}
    answer = request(sandbox, "POST", "/api/verifications/social", body, auth)
    assert (answer.status, answer.json) == (
        400,
        {"code": "session.insufficient_info", "message": "Insufficient sign-in info."},
    )


@pytest.mark.parametrize(
    "connector_data",
    [
        {"code": "c", "userId": 1},
        {"code": "c", "email": ["a@b.c"]},
        {"code": "c", "phone": None},
        {"code": "c", "name": {}},
        {"code": "c", "avatar": True},
        {"code": "c", "tokenResponse": "not-an-object"},
        {"code": "c", "tokenResponse": {"access_token": 1}},
        {"code": "c", "tokenResponse": {"expires_in": True}},
        {"userId": "u"},
    ],
)
def test_the_mock_social_connector_checks_its_data(
    sandbox: LogtoSandbox, auth: Dict[str, str], connector_data: Dict[str, object]
) -> None:
    assert sandbox.social_connector is not None
    created = request(
        sandbox,
        "POST",
        "/api/verifications/social",
        {"connectorId": sandbox.social_connector.id, "state": "s", "redirectUri": "http://app/cb"},
        auth,
    ).json
    body = {"verificationRecordId": created["verificationRecordId"], "connectorData": connector_data}
    answer = request(sandbox, "POST", "/api/verifications/social/verify", body, auth)
    assert (answer.status, answer.code) == (400, "connector.invalid_response")
    assert answer.json["data"] == {"message": json.dumps(connector_data, separators=(",", ":"))}


def test_without_token_storage_the_token_response_is_ignored(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    connector = sandbox.add_social_connector(token_storage=False)
    created = request(
        sandbox,
        "POST",
        "/api/verifications/social",
        {"connectorId": connector.id, "state": "s", "redirectUri": "http://app/cb"},
        auth,
    ).json
    body = {"verificationRecordId": created["verificationRecordId"], "connectorData": {"code": "c", "tokenResponse": 1}}
    assert request(sandbox, "POST", "/api/verifications/social/verify", body, auth).status == 200


def _registration(sandbox: LogtoSandbox, auth: Dict[str, str]) -> Dict[str, object]:
    return request(sandbox, "POST", "/api/verifications/web-authn/registration", headers=auth).json  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("attestation", "message"),
    [
        (b"", "No data"),
        (b"\xa1\x18", "Length not supported or not well formed"),
        (b"\xa1\x18\x05", "Length not supported or not well formed"),  # not the shortest encoding
        (b"\xc1\x00", "Unsupported or not well formed at 0"),  # a tag
        (b"\xf9\x7c\x00", "Float16 data is unsupported"),
        (b"\xa2\x61a\x01", "Map is not supported or well formed"),
        (b"\xa1\xf5\x01", "Map is not supported or well formed"),  # a boolean key
        (b"\x83\x01", "array is not supported or well formed"),
        (b"\xf6", "Cannot read properties of null (reading 'get')"),
        (b"\xa0", "Cannot read properties of undefined (reading 'byteLength')"),
        (b"\xa1\x68authData\xf6", "Cannot read properties of null (reading 'byteLength')"),
        (b"\xa1\x68authData\x05", "First argument to DataView constructor must be an ArrayBuffer"),
        (b"\xa1\x68authData\x42\x00\x00", "Authenticator data was 2 bytes, expected at least 37 bytes"),
    ],
)
def test_webauthn_decoder_messages_are_logto_s(
    sandbox: LogtoSandbox, auth: Dict[str, str], attestation: bytes, message: str
) -> None:
    registration = _registration(sandbox, auth)
    credential = make_webauthn_credential(registration["registrationOptions"], origin=ORIGIN)
    credential["response"]["attestationObject"] = b64url_encode(attestation)
    body = {"verificationRecordId": registration["verificationRecordId"], "payload": credential}
    answer = request(
        sandbox, "POST", "/api/verifications/web-authn/registration/verify", body, {**auth, "Origin": ORIGIN}
    )
    assert answer.json["data"] == {"message": message}


def test_webauthn_registration_ignores_the_relying_party(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    registration = _registration(sandbox, auth)
    credential = make_webauthn_credential(registration["registrationOptions"], origin=ORIGIN, rp_id="elsewhere.example")
    body = {"verificationRecordId": registration["verificationRecordId"], "payload": credential}
    headers = {**auth, "Origin": ORIGIN}
    assert request(sandbox, "POST", "/api/verifications/web-authn/registration/verify", body, headers).status == 200


def test_registration_names_are_logto_s(sandbox: LogtoSandbox) -> None:
    cases = [
        ({"name": "Ada L", "email": "ada@example.com", "username": "ada"}, "ada@example.com", "Ada L"),
        ({"name": "", "phone": "14155550123", "username": "bob"}, "+1 415 555 0123", ""),
        ({"phone": "8613102052814"}, "+86 131 0205 2814", "+86 131 0205 2814"),
        ({"username": "carol"}, "carol", "carol"),
        ({}, "Unnamed User", "Unnamed User"),
    ]
    for profile, name, display_name in cases:
        user = sandbox.add_user(**profile)  # type: ignore[arg-type]
        options = _registration(sandbox, bearer(sandbox.issue_token(user)))["registrationOptions"]
        assert (options["user"]["name"], options["user"]["displayName"]) == (name, display_name)  # type: ignore[index]


def test_database_column_limits(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    long_email = "a" * 120 + "@example.com"  # 132 characters: within the guard's 256
    answer = request(
        sandbox,
        "POST",
        "/api/verifications/verification-code",
        {"identifier": {"type": "email", "value": long_email}},
        auth,
    )
    assert (answer.status, answer.json) == (
        422,
        {
            "code": "entity.value_too_long",
            "data": {"message": "value too long for type character varying(128)"},
            "message": "The length of value is too long and exceeds the limit.",
        },
    )
    answer = request(
        sandbox,
        "POST",
        "/api/verifications/verification-code",
        {"identifier": {"type": "phone", "value": "1" * 33}},
        auth,
    )
    assert answer.json["data"] == {"message": "value too long for type character varying(32)"}
    assert sandbox.outbox == []  # nothing was sent, and nothing counts against the rate limit
    answer = request(sandbox, "PATCH", "/api/my-account", {"name": "n" * 129}, auth)
    assert (answer.status, answer.code) == (422, "entity.value_too_long")


def test_body_limits_and_encodings(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    path = "/api/verifications/password"
    raw = json.dumps({"password": PASSWORD}).encode()
    json_headers = {**auth, "Content-Type": "application/json"}
    for encoding, compressed in (
        ("gzip", gzip.compress(raw)),
        ("deflate", zlib.compress(raw)),
        ("GZIP", gzip.compress(raw)),
    ):
        answer = request(sandbox, "POST", path, compressed, {**json_headers, "Content-Encoding": encoding})
        assert answer.status == 201, encoding
    for encoding, body in (("br", raw), ("gzip", b"not gzip"), ("deflate", gzip.compress(raw))):
        answer = request(sandbox, "POST", path, body, {**json_headers, "Content-Encoding": encoding})
        assert (answer.status, answer.json) == (500, {"message": "Internal server error."}), encoding
    bomb = gzip.compress(b'{"password": "' + b"x" * (2 * 1024 * 1024) + b'"}')
    answer = request(sandbox, "POST", path, bomb, {**json_headers, "Content-Encoding": "gzip"})
    assert (answer.status, answer.raw) == (404, b"Not Found")


@pytest.mark.parametrize(
    "body",
    [
        b'{"__proto__": {"x": 1}, "password": "p"}',
        b'{"password": "p", "nested": [{"a": {"__proto__": 1}}]}',
        b'{"\\u005f_proto__": 1}',
    ],
)
def test_a_proto_key_anywhere_is_refused(sandbox: LogtoSandbox, auth: Dict[str, str], body: bytes) -> None:
    answer = request(sandbox, "POST", "/api/verifications/password", body, {**auth, "Content-Type": "application/json"})
    assert (answer.status, answer.json) == (400, {"message": "Object contains forbidden prototype property"})


def test_a_proto_string_value_is_fine(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    body = json.dumps({"password": '"__proto__":'}).encode()
    answer = request(sandbox, "POST", "/api/verifications/password", body, {**auth, "Content-Type": "application/json"})
    assert (answer.status, answer.code) == (422, "session.invalid_credentials")


def test_zod_issue_order_and_types(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    answer = request(
        sandbox,
        "POST",
        "/api/verifications/verification-code",
        {"identifier": {"type": "email", "value": "x" * 300}},
        auth,
    )
    assert [issue["code"] for issue in answer.json["data"]["issues"]] == ["too_big", "invalid_string"]
    answer = request(sandbox, "POST", "/api/verifications/password", {"password": ["a"]}, auth)
    assert answer.json["data"]["issues"][0]["received"] == "array"
    answer = request(sandbox, "GET", "/api/my-account/grants?appType=firstParty&appType=thirdParty", headers=auth)
    issue = answer.json["data"]["issues"][0]
    assert (issue["code"], issue["received"], answer.json["message"]) == (
        "invalid_type",
        "array",
        "The request query is invalid.",
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"password": "\\a"}', "Bad escaped character in JSON at position 15 (line 1 column 16)"),
        (b'{"password": "\\u12x4"}', "Bad Unicode escape in JSON at position 18 (line 1 column 19)"),
        (
            '{"p": "\U0001f600", x}'.encode(),
            "Expected double-quoted property name in JSON at position 12 (line 1 column 13)",
        ),
        (b'{\r\n"a": 1,\r\n}', "Expected double-quoted property name in JSON at position 12 (line 3 column 1)"),
        (b"[1, 2, 3, 4, 5, , 7]", "Unexpected token ',', \"[1, 2, 3, 4, 5, , 7]\" is not valid JSON"),  # 20 long
        (b"[1, 2, 3, 4, 5, , 7 ]", "Unexpected token ',', ...\" 3, 4, 5, , 7 ]\" is not valid JSON"),  # 21 long
        (b"[1, 2, 3, 4, 5, 6, 7, , ]", "Unexpected token ',', ...\" 5, 6, 7, , ]\" is not valid JSON"),
    ],
)
def test_json_errors_are_node_s(sandbox: LogtoSandbox, auth: Dict[str, str], body: bytes, message: str) -> None:
    answer = request(sandbox, "POST", "/api/verifications/password", body, {**auth, "Content-Type": "application/json"})
    assert (answer.status, answer.json) == (400, {"message": message})


def test_add_user_with_a_name(sandbox: LogtoSandbox) -> None:
    user = sandbox.add_user(name="Ada Lovelace", username="ada", phone="64021386582")
    assert (user.name, user.phone) == ("Ada Lovelace", "6421386582")
    with pytest.raises(ValueError, match="another user"):
        sandbox.add_user(username="ada")


def test_an_absolute_url_target_is_served(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    answer = raw_exchange(
        sandbox,
        b"GET http://logto.example/api/my-account HTTP/1.1\r\nHost: x\r\n"
        + f"Authorization: {auth['Authorization']}\r\nConnection: close\r\n\r\n".encode(),
    )
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
