"""Every Account API operation over real HTTP (a recording server on 127.0.0.1): what goes
on the wire (method, encoded path, query, headers, JSON or multipart body), what comes
back (model, list, text, nothing; nothing for a 304), how every declared error status
surfaces, and what is refused before anything is sent."""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Type

import pytest

import py_logto
from py_logto import (
    AddBackupCodeMfaVerificationRequest,
    AddMfaVerificationRequest,
    AddTotpMfaVerificationRequest,
    AddUserIdentitiesRequest,
    AddWebAuthnMfaVerificationRequest,
    CreateOrReplaceTotpMfaVerificationRequest,
    GrantAppType,
    SessionGrantRevokeTarget,
    UpdateLogtoConfigRequest,
    UpdateLogtoConfigRequestMfa,
    UpdateMfaSettingsRequest,
    UpdateMfaVerificationNameRequest,
    UpdateOtherProfileRequest,
    UpdatePasswordRequest,
    UpdatePrimaryEmailRequest,
    UpdateProfileRequest,
    UpdateSocialIdentityAccessTokenByVerificationIdRequest,
    UserProfileAddress,
)
from test import _contract as contract
from test._contract import ACCOUNT
from test._server import Recorded, RecordingServer, Reply
from test.conftest import TOKEN

OPERATIONS = contract.operations(ACCOUNT.spec)

#: A verified identity-verification record, for the ``logto-verification-id`` header.
RECORD_ID = "p3xk9w2m7qz4t8hv1bn6c"
#: A verified record that proves a new identifier, for request bodies.
NEW_RECORD_ID = "n3wv3r1f1c4t10nr3c0rd"

VERIFICATION_HEADER = "logto-verification-id"

#: The smallest PNG: what an avatar upload sends when given bare bytes.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)

#: The exception each status must raise: written out here, not read from the SDK.
EXPECTED_EXCEPTION: Dict[int, Type[py_logto.ApiException]] = {
    400: py_logto.BadRequestException,
    401: py_logto.UnauthorizedException,
    403: py_logto.ForbiddenException,
    404: py_logto.NotFoundException,
    422: py_logto.UnprocessableEntityException,
    500: py_logto.ServiceException,
}


@dataclass
class Case:
    """One operation: how to call it and what must go on the wire."""

    method: str
    path: str  # as the server must see it: encoded, with the query
    call: Callable[[py_logto.MyAccountApi, str], Any]
    sent: Optional[Dict[str, Any]] = None  # the JSON body; None: no body
    headers: Dict[str, str] = field(default_factory=dict)  # headers that must be sent
    absent: Tuple[str, ...] = ()  # headers that must not be sent
    multipart: Optional[Tuple[str, str, bytes]] = None  # (filename, content type, data) of the file part


def _call(method: str, *args: Any, **kwargs: Any) -> Callable[[py_logto.MyAccountApi, str], Any]:
    def call(api: py_logto.MyAccountApi, variant: str) -> Any:
        return getattr(api, method + variant)(*args, **kwargs)

    return call


_WITH_RECORD = {VERIFICATION_HEADER: RECORD_ID}

#: One case per operationId (test_spec_coverage requires every operation here).
CASES: Dict[str, Case] = {
    "GetProfile": Case("GET", "/api/my-account", _call("get_profile"), absent=(VERIFICATION_HEADER,)),
    "UpdateProfile": Case(
        "PATCH",
        "/api/my-account",
        _call(
            "update_profile",
            UpdateProfileRequest(username="jane_doe", avatar=None),
            logto_verification_id=RECORD_ID,
        ),
        sent={"username": "jane_doe", "avatar": None},
        headers=_WITH_RECORD,
    ),
    "UpdateOtherProfile": Case(
        "PATCH",
        "/api/my-account/profile",
        _call(
            "update_other_profile",
            UpdateOtherProfileRequest(
                given_name="Jane", address=UserProfileAddress(country="NZ", locality="Wellington")
            ),
        ),
        sent={"givenName": "Jane", "address": {"country": "NZ", "locality": "Wellington"}},
        absent=(VERIFICATION_HEADER,),
    ),
    "UpdatePassword": Case(
        "POST",
        "/api/my-account/password",
        _call("update_password", UpdatePasswordRequest(password="n3w-Correct-Horse!"), RECORD_ID),
        sent={"password": "n3w-Correct-Horse!"},
        headers=_WITH_RECORD,
    ),
    "GetMfaSettings": Case("GET", "/api/my-account/mfa-settings", _call("get_mfa_settings")),
    "UpdateMfaSettings": Case(
        "PATCH",
        "/api/my-account/mfa-settings",
        _call("update_mfa_settings", RECORD_ID, UpdateMfaSettingsRequest(skip_mfa_on_sign_in=True)),
        sent={"skipMfaOnSignIn": True},
        headers=_WITH_RECORD,
    ),
    "GetLogtoConfig": Case("GET", "/api/my-account/logto-configs", _call("get_logto_config")),
    "UpdateLogtoConfig": Case(
        "PATCH",
        "/api/my-account/logto-configs",
        _call(
            "update_logto_config",
            RECORD_ID,
            UpdateLogtoConfigRequest(mfa=UpdateLogtoConfigRequestMfa(skipped=True)),
        ),
        sent={"mfa": {"skipped": True}},
        headers=_WITH_RECORD,
    ),
    "GetSocialIdentityAccessToken": Case(
        "GET", "/api/my-account/identities/github/access-token", _call("get_social_identity_access_token", "github")
    ),
    "UpdateSocialIdentityAccessTokenByVerificationId": Case(
        "PUT",
        "/api/my-account/identities/google%20workspace/access-token",
        _call(
            "update_social_identity_access_token_by_verification_id",
            "google workspace",
            UpdateSocialIdentityAccessTokenByVerificationIdRequest(verification_record_id="s0c1a2l3r4e5c6o7r8d9x"),
        ),
        sent={"verificationRecordId": "s0c1a2l3r4e5c6o7r8d9x"},
    ),
    "GetEnterpriseSsoIdentityAccessToken": Case(
        "GET",
        "/api/my-account/sso-identities/sso7k2m9x4q1/access-token",
        _call("get_enterprise_sso_identity_access_token", "sso7k2m9x4q1"),
    ),
    "UpdatePrimaryEmail": Case(
        "POST",
        "/api/my-account/primary-email",
        _call(
            "update_primary_email",
            RECORD_ID,
            UpdatePrimaryEmailRequest(
                email="jane.new@example.com", new_identifier_verification_record_id=NEW_RECORD_ID
            ),
        ),
        sent={"email": "jane.new@example.com", "newIdentifierVerificationRecordId": NEW_RECORD_ID},
        headers=_WITH_RECORD,
    ),
    "DeletePrimaryEmail": Case(
        "DELETE", "/api/my-account/primary-email", _call("delete_primary_email", RECORD_ID), headers=_WITH_RECORD
    ),
    "UpdatePrimaryPhone": Case(
        "POST",
        "/api/my-account/primary-phone",
        _call(
            "update_primary_phone",
            logto_verification_id=RECORD_ID,
            update_primary_phone_request={"phone": "4155550123", "newIdentifierVerificationRecordId": NEW_RECORD_ID},
        ),
        sent={"phone": "4155550123", "newIdentifierVerificationRecordId": NEW_RECORD_ID},
        headers=_WITH_RECORD,
    ),
    "DeletePrimaryPhone": Case(
        "DELETE", "/api/my-account/primary-phone", _call("delete_primary_phone", RECORD_ID), headers=_WITH_RECORD
    ),
    "AddUserIdentities": Case(
        "POST",
        "/api/my-account/identities",
        _call("add_user_identities", AddUserIdentitiesRequest(new_identifier_verification_record_id=NEW_RECORD_ID)),
        sent={"newIdentifierVerificationRecordId": NEW_RECORD_ID},
        absent=(VERIFICATION_HEADER,),
    ),
    "ReplaceMyAccountIdentity": Case(
        "PUT",
        "/api/my-account/identities",
        _call(
            "replace_my_account_identity",
            {"newIdentifierVerificationRecordId": NEW_RECORD_ID},
            logto_verification_id=RECORD_ID,
        ),
        sent={"newIdentifierVerificationRecordId": NEW_RECORD_ID},
        headers=_WITH_RECORD,
    ),
    "DeleteIdentity": Case(
        "DELETE",
        "/api/my-account/identities/github",
        _call("delete_identity", "github", RECORD_ID),
        headers=_WITH_RECORD,
    ),
    "GetMfaVerifications": Case("GET", "/api/my-account/mfa-verifications", _call("get_mfa_verifications")),
    "AddMfaVerification": Case(
        "POST",
        "/api/my-account/mfa-verifications",
        _call(
            "add_mfa_verification",
            RECORD_ID,
            AddTotpMfaVerificationRequest(secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", code="123456"),
        ),
        sent={"type": "Totp", "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "code": "123456"},
        headers=_WITH_RECORD,
    ),
    "CreateOrReplaceTotpMfaVerification": Case(
        "PUT",
        "/api/my-account/mfa-verifications/totp",
        _call(
            "create_or_replace_totp_mfa_verification",
            RECORD_ID,
            CreateOrReplaceTotpMfaVerificationRequest(secret="JBSWY3DPEHPK3PXP", code="654321"),
        ),
        sent={"secret": "JBSWY3DPEHPK3PXP", "code": "654321"},
        headers=_WITH_RECORD,
    ),
    "GenerateTotpSecret": Case(
        "POST", "/api/my-account/mfa-verifications/totp-secret/generate", _call("generate_totp_secret")
    ),
    "GenerateMyAccountBackupCodes": Case(
        "POST", "/api/my-account/mfa-verifications/backup-codes/generate", _call("generate_my_account_backup_codes")
    ),
    "GetBackupCodes": Case(
        "GET",
        "/api/my-account/mfa-verifications/backup-codes",
        _call("get_backup_codes", RECORD_ID),
        headers=_WITH_RECORD,
    ),
    "UpdateMfaVerificationName": Case(
        "PATCH",
        "/api/my-account/mfa-verifications/w3b4uthn%2Fv3r1f/name",
        _call(
            "update_mfa_verification_name",
            "w3b4uthn/v3r1f",
            RECORD_ID,
            UpdateMfaVerificationNameRequest(name="Work laptop"),
        ),
        sent={"name": "Work laptop"},
        headers=_WITH_RECORD,
    ),
    "DeleteMfaVerification": Case(
        "DELETE",
        "/api/my-account/mfa-verifications/z8y7x6w5v4u3t2s1r0q9p",
        _call("delete_mfa_verification", "z8y7x6w5v4u3t2s1r0q9p", RECORD_ID),
        headers=_WITH_RECORD,
    ),
    "GetSessions": Case("GET", "/api/my-account/sessions", _call("get_sessions", RECORD_ID), headers=_WITH_RECORD),
    "DeleteSessionById": Case(
        "DELETE",
        "/api/my-account/sessions/mN3bV7cX1zL9kJ5hG2fD8?revokeGrantsTarget=firstParty",
        _call("delete_session_by_id", "mN3bV7cX1zL9kJ5hG2fD8", RECORD_ID, SessionGrantRevokeTarget.FIRSTPARTY),
        headers=_WITH_RECORD,
    ),
    "GetGrants": Case(
        "GET",
        "/api/my-account/grants?appType=thirdParty",
        _call("get_grants", RECORD_ID, app_type="thirdParty"),
        headers=_WITH_RECORD,
    ),
    "DeleteGrantById": Case(
        "DELETE",
        "/api/my-account/grants/Qw8eR4tY6uI2oP0aS3dF5",
        _call("delete_grant_by_id", "Qw8eR4tY6uI2oP0aS3dF5", RECORD_ID),
        headers=_WITH_RECORD,
    ),
    "UploadAccountAvatar": Case(
        "POST",
        "/api/my-account/user-assets/avatar",
        _call("upload_account_avatar", PNG),
        multipart=("file.png", "image/png", PNG),
        absent=(VERIFICATION_HEADER,),
    ),
}


@pytest.fixture
def api(api_client: py_logto.ApiClient) -> py_logto.MyAccountApi:
    return py_logto.MyAccountApi(api_client)


def _success(operation_id: str) -> Tuple[int, Any, Optional[str]]:
    """The success status, the spec's example body and its content type."""
    op = OPERATIONS[operation_id]
    kind = op.response_kind
    content_type = {"text": "text/plain; charset=utf-8", "empty": None}.get(kind, "application/json; charset=utf-8")
    return op.success_status, op.success_example, content_type


def _reply(operation_id: str, **headers: str) -> Reply:
    status, body, content_type = _success(operation_id)
    return Reply(status, body, headers=list(headers.items()), content_type=content_type)


def parse_multipart(recorded: Recorded) -> Dict[str, Tuple[Optional[str], str, bytes]]:
    """The parts of a ``multipart/form-data`` body: name -> (filename, content type, data)."""
    content_type = recorded.header("Content-Type") or ""
    match = re.fullmatch(r'multipart/form-data; boundary="?([0-9A-Za-z\'()+_,./:=?-]{1,70})"?', content_type)
    assert match, content_type
    delimiter = b"--" + match.group(1).encode()
    body = recorded.body
    assert body.startswith(delimiter + b"\r\n"), body[:80]
    assert body.endswith(b"\r\n" + delimiter + b"--\r\n"), body[-80:]
    parts = {}
    for chunk in body[len(delimiter) + 2 : -(len(delimiter) + 6)].split(b"\r\n" + delimiter + b"\r\n"):
        head, _, data = chunk.partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        disposition = headers["Content-Disposition"]
        name = re.search(r'; name="([^"]*)"', disposition)
        filename = re.search(r'; filename="([^"]*)"', disposition)
        assert name, disposition
        parts[name.group(1)] = (filename.group(1) if filename else None, headers["Content-Type"], data)
    return parts


def check_request(server: RecordingServer, case: Case, operation_id: str) -> Recorded:
    assert len(server.requests) == 1, [r.path for r in server.requests]
    sent = server.last
    assert sent.method == case.method
    assert sent.path == case.path
    assert sent.header("Authorization") == f"Bearer {TOKEN}"
    accept = "text/plain, application/json" if OPERATIONS[operation_id].response_kind == "text" else "application/json"
    assert sent.header("Accept") == accept
    for name, value in case.headers.items():
        assert sent.header(name) == value, name
    for name in case.absent:
        assert sent.header(name) is None, name
    if case.multipart is not None:
        parts = parse_multipart(sent)
        assert parts == {"file": case.multipart}
        assert sent.header("Content-Length") == str(len(sent.body))
    elif case.sent is None:
        assert sent.body == b""
        assert sent.header("Content-Type") is None
    else:
        assert sent.header("Content-Type") == "application/json"
        assert sent.json() == case.sent
    return sent


def check_result(operation_id: str, result: Any) -> None:
    op = OPERATIONS[operation_id]
    example = op.success_example
    if op.response_kind == "empty":
        assert result is None
    elif op.response_kind == "text":
        assert result == example == "OK"
    elif op.response_kind == "list":
        model = getattr(py_logto, str(op.response_schema))
        assert isinstance(result, list)
        assert all(type(item) is model for item in result)
        assert [item.to_dict() for item in result] == example
    else:
        assert type(result) is getattr(py_logto, str(op.response_schema))
        assert result.to_dict() == example


# -- every operation, every variant ----------------------------------------------------------


def test_every_operation_has_a_case() -> None:
    assert sorted(CASES) == sorted(OPERATIONS)


@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_the_call_sends_exactly_this_and_returns_the_typed_result(
    operation_id: str, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    case = CASES[operation_id]
    server.queue(_reply(operation_id))
    result = case.call(api, "")
    check_request(server, case, operation_id)
    check_result(operation_id, result)


@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_with_http_info_keeps_status_headers_and_raw_body(
    operation_id: str, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    case = CASES[operation_id]
    reply = _reply(operation_id, **{"Logto-Core-Request-Id": "rq-7", "ETag": 'W/"1a-2b"'})
    server.queue(reply)
    info = case.call(api, "_with_http_info")
    check_request(server, case, operation_id)
    assert isinstance(info, py_logto.ApiResponse)
    assert info.status_code == OPERATIONS[operation_id].success_status
    assert info.request_id == "rq-7"
    assert info.headers["etag"] == 'W/"1a-2b"'
    assert info.raw_data == reply.encoded()
    check_result(operation_id, info.data)


@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_without_preload_content_returns_the_unread_response(
    operation_id: str, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    case = CASES[operation_id]
    reply = _reply(operation_id)
    server.queue(reply)
    raw = case.call(api, "_without_preload_content")
    check_request(server, case, operation_id)
    assert raw.status == OPERATIONS[operation_id].success_status
    assert raw.read() == reply.encoded()
    raw.release_conn()


ERROR_CASES = [(op_id, status) for op_id in sorted(CASES) for status in OPERATIONS[op_id].error_statuses]


@pytest.mark.parametrize(("operation_id", "status"), ERROR_CASES, ids=[f"{o}-{s}" for o, s in ERROR_CASES])
def test_every_declared_error_status_raises_its_exception(
    operation_id: str, status: int, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    _, example = OPERATIONS[operation_id].responses[status]
    server.queue(Reply(status, example, headers=[("Logto-Core-Request-Id", f"rid-{status}")]))
    with pytest.raises(py_logto.ApiException) as caught:
        CASES[operation_id].call(api, "")
    error = caught.value
    assert type(error) is EXPECTED_EXCEPTION[status]
    assert error.status == status
    assert json.loads(error.body or b"") == example
    assert error.request_id == f"rid-{status}"
    assert error.code == example["code"]
    assert error.data is not None
    assert error.data.to_dict() == example
    text = str(error)
    assert "\n" not in text
    assert example["code"] in text
    assert f"rid-{status}" in text


# -- GETs and ETags ------------------------------------------------------------------------------

GETS = sorted(op_id for op_id, op in OPERATIONS.items() if op.method == "GET")


@pytest.mark.parametrize("operation_id", GETS)
def test_a_304_after_if_none_match_returns_none(
    operation_id: str, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    case = CASES[operation_id]
    server.queue(_reply(operation_id, ETag='W/"5c-Qx"'))
    first = case.call(api, "_with_http_info")
    etag = first.headers["ETag"]
    assert etag == 'W/"5c-Qx"'

    server.queue(Reply(304, None, headers=[("ETag", etag)], content_type=None))
    again = _call_with_headers(api, case, "", {"If-None-Match": etag})
    assert again is None
    assert server.last.header("If-None-Match") == etag
    assert server.last.path == case.path

    server.queue(Reply(304, None, headers=[("ETag", etag)], content_type=None))
    info = _call_with_headers(api, case, "_with_http_info", {"If-None-Match": etag})
    assert info.status_code == 304
    assert info.data is None
    assert info.raw_data == b""


def _call_with_headers(api: py_logto.MyAccountApi, case: Case, variant: str, headers: Dict[str, str]) -> Any:
    original = case.call

    class Recorder:
        """Calls the case's method with ``_headers`` added."""

        def __getattr__(self, name: str) -> Any:
            method = getattr(api, name)
            return lambda *args, **kwargs: method(*args, **kwargs, _headers=headers)

    return original(Recorder(), variant)  # type: ignore[arg-type]


def test_a_304_to_a_request_that_is_not_a_get_is_an_error(server: RecordingServer, api: py_logto.MyAccountApi) -> None:
    server.queue(Reply(304, None, content_type=None))
    with pytest.raises(py_logto.ApiException) as caught:
        api.update_mfa_settings(RECORD_ID, UpdateMfaSettingsRequest(skip_mfa_on_sign_in=False))
    assert caught.value.status == 304


# -- PATCH sends what the caller set, and only that ------------------------------------------------

PATCH_BODIES = [
    (UpdateProfileRequest(name="Jane"), {"name": "Jane"}),
    (UpdateProfileRequest.from_dict({"name": "x"}), {"name": "x"}),
    ({"name": "x"}, {"name": "x"}),
    (UpdateProfileRequest(name=None), {"name": None}),
    (UpdateProfileRequest(avatar=None, name="Jane"), {"avatar": None, "name": "Jane"}),
    ({"avatar": None}, {"avatar": None}),
    (UpdateProfileRequest.from_dict({"username": None}), {"username": None}),
    (
        UpdateProfileRequest(custom_data={"theme": "dark", "n": [1, None]}),
        {"customData": {"theme": "dark", "n": [1, None]}},
    ),
    (UpdateProfileRequest(custom_data={}), {"customData": {}}),
]


@pytest.mark.parametrize(("body", "sent"), PATCH_BODIES, ids=[json.dumps(s) for _, s in PATCH_BODIES])
def test_update_profile_sends_only_the_fields_set(
    body: Any, sent: Dict[str, Any], server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    server.queue(_reply("UpdateProfile"))
    api.update_profile(body)
    assert server.last.method == "PATCH"
    assert server.last.json() == sent
    assert server.last.header(VERIFICATION_HEADER) is None


def test_a_profile_update_of_only_a_field_not_sent_as_null_is_refused() -> None:
    # customData is not nullable: None means "not sent", which would leave nothing to send.
    with pytest.raises(py_logto.ApiValueError, match="set at least 1 field"):
        UpdateProfileRequest(custom_data=None)
    body = UpdateProfileRequest(custom_data=None, name=None)
    assert body.to_dict() == {"name": None}


def test_a_field_set_after_construction_is_sent(server: RecordingServer, api: py_logto.MyAccountApi) -> None:
    body = UpdateProfileRequest(name="Jane")
    body.avatar = None
    server.queue(_reply("UpdateProfile"))
    api.update_profile(body)
    assert server.last.json() == {"name": "Jane", "avatar": None}


@pytest.mark.parametrize(
    ("body", "sent"),
    [
        (UpdateOtherProfileRequest(nickname="JJ"), {"nickname": "JJ"}),
        (UpdateOtherProfileRequest.from_dict({"address": {"country": "NZ"}}), {"address": {"country": "NZ"}}),
        (UpdateOtherProfileRequest(), {}),
    ],
)
def test_update_other_profile_sends_only_the_fields_set(
    body: Any, sent: Dict[str, Any], server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    server.queue(_reply("UpdateOtherProfile"))
    api.update_other_profile(body)
    assert server.last.json() == sent


@pytest.mark.parametrize(
    ("body", "sent"),
    [
        (UpdateLogtoConfigRequest(passkey_sign_in={"skipped": True}), {"passkeySignIn": {"skipped": True}}),
        (
            {"mfa": {"enabled": False, "additionalBindingSuggestionSkipped": True}},
            {"mfa": {"enabled": False, "additionalBindingSuggestionSkipped": True}},
        ),
        (UpdateLogtoConfigRequest(), {}),
    ],
)
def test_update_logto_config_sends_only_the_flags_set(
    body: Any, sent: Dict[str, Any], server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    server.queue(_reply("UpdateLogtoConfig"))
    api.update_logto_config(RECORD_ID, body)
    assert server.last.json() == sent


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"nickname": "x"},
        {"customData": None},
    ],
    ids=["empty-dict", "unknown-field", "null-custom-data"],
)
def test_an_empty_profile_update_is_refused_before_sending(
    body: Any, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    with pytest.raises(py_logto.ApiValueError):
        api.update_profile(body)
    assert server.requests == []


# -- AddMfaVerification: every member and every way of giving it --------------------------------

MFA_BODIES = [
    (
        "totp-member",
        AddTotpMfaVerificationRequest(secret="JBSWY3DPEHPK3PXP"),
        {"type": "Totp", "secret": "JBSWY3DPEHPK3PXP"},
    ),
    (
        "backup-codes-union",
        AddMfaVerificationRequest(AddBackupCodeMfaVerificationRequest(codes=["0f3a9c21b7", "5d8e2a6c4f"])),
        {"type": "BackupCode", "codes": ["0f3a9c21b7", "5d8e2a6c4f"]},
    ),
    (
        "webauthn-actual-instance",
        AddMfaVerificationRequest(
            actual_instance=AddWebAuthnMfaVerificationRequest(
                new_identifier_verification_record_id=NEW_RECORD_ID, name="YubiKey"
            )
        ),
        {"type": "WebAuthn", "newIdentifierVerificationRecordId": NEW_RECORD_ID, "name": "YubiKey"},
    ),
    (
        "dict",
        {"type": "BackupCode", "codes": ["aa11bb22cc"]},
        {"type": "BackupCode", "codes": ["aa11bb22cc"]},
    ),
    (
        "from-dict",
        AddMfaVerificationRequest.from_dict({"type": "Totp", "secret": "JBSWY3DPEHPK3PXP", "code": "000111"}),
        {"type": "Totp", "secret": "JBSWY3DPEHPK3PXP", "code": "000111"},
    ),
]


@pytest.mark.parametrize(("label", "body", "sent"), MFA_BODIES, ids=[m[0] for m in MFA_BODIES])
def test_add_mfa_verification_takes_a_member_the_union_or_a_dict(
    label: str, body: Any, sent: Dict[str, Any], server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    server.queue(_reply("AddMfaVerification"))
    assert api.add_mfa_verification(RECORD_ID, body) is None
    assert server.last.json() == sent
    assert server.last.header(VERIFICATION_HEADER) == RECORD_ID


@pytest.mark.parametrize(
    ("body", "field_name"),
    [
        ({"type": "TOTP", "secret": "JBSWY3DPEHPK3PXP"}, "type"),
        ({"secret": "JBSWY3DPEHPK3PXP"}, "type"),
        ({"type": "BackupCode", "codes": "0f3a9c21b7"}, "codes"),
        ({"type": "WebAuthn"}, "new_identifier_verification_record_id"),
        ({"type": "Totp", "secret": "JBSWY3DPEHPK3PXP", "extra": 1}, "extra"),
    ],
)
def test_a_wrong_mfa_body_is_refused_naming_the_field(
    body: Dict[str, Any], field_name: str, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    with pytest.raises(py_logto.ApiValueError) as caught:
        api.add_mfa_verification(RECORD_ID, body)  # type: ignore[arg-type]
    assert field_name in str(caught.value)
    assert server.requests == []


# -- parameters that can never change the route ------------------------------------------------

PATH_VALUES = [
    ("..", "%2E%2E"),
    (".", "%2E"),
    ("...", "%2E%2E%2E"),
    ("/", "%2F"),
    ("a/../b", "a%2F..%2Fb"),
    ("x?y=1", "x%3Fy%3D1"),
    ("#frag", "%23frag"),
    ("%2F", "%252F"),
    ("ü ñ", "%C3%BC%20%C3%B1"),
    ("a;b", "a%3Bb"),
]


@pytest.mark.parametrize(("value", "encoded"), PATH_VALUES, ids=[e for _, e in PATH_VALUES])
@pytest.mark.parametrize(
    ("call", "template"),
    [
        (lambda api, v: api.delete_identity(v, RECORD_ID), "/api/my-account/identities/{}"),
        (lambda api, v: api.get_social_identity_access_token(v), "/api/my-account/identities/{}/access-token"),
        (lambda api, v: api.delete_session_by_id(v, RECORD_ID), "/api/my-account/sessions/{}"),
        (lambda api, v: api.delete_grant_by_id(v, RECORD_ID), "/api/my-account/grants/{}"),
        (lambda api, v: api.delete_mfa_verification(v, RECORD_ID), "/api/my-account/mfa-verifications/{}"),
        (
            lambda api, v: api.get_enterprise_sso_identity_access_token(v),
            "/api/my-account/sso-identities/{}/access-token",
        ),
    ],
    ids=["identity", "social-token", "session", "grant", "mfa", "sso-token"],
)
def test_a_path_value_is_one_encoded_segment(
    call: Callable[[py_logto.MyAccountApi, str], Any],
    template: str,
    value: str,
    encoded: str,
    server: RecordingServer,
    api: py_logto.MyAccountApi,
) -> None:
    server.queue(Reply(404, {"code": "user.identity_not_exist", "message": "Not here."}))
    with pytest.raises(py_logto.NotFoundException):
        call(api, value)
    assert server.last.path == template.format(encoded)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda api: api.delete_identity("", RECORD_ID), "target"),
        (lambda api: api.get_social_identity_access_token(""), "target"),
        (lambda api: api.delete_session_by_id("", RECORD_ID), "session_id"),
        (lambda api: api.delete_grant_by_id("", RECORD_ID), "grant_id"),
        (lambda api: api.delete_mfa_verification("", RECORD_ID), "verification_id"),
        (lambda api: api.update_mfa_verification_name("", RECORD_ID, {"name": "x"}), "verification_id"),
        (lambda api: api.get_enterprise_sso_identity_access_token(""), "connector_id"),
        (lambda api: api.delete_identity(None, RECORD_ID), "target"),
        (lambda api: api.delete_identity(7, RECORD_ID), "target"),
    ],
)
def test_an_empty_or_missing_path_value_is_refused(
    call: Callable[[Any], Any], match: str, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    with pytest.raises((py_logto.ApiValueError, py_logto.ApiTypeError), match=match):
        call(api)
    assert server.requests == []


REQUIRED_HEADER_CALLS = [
    ("delete_primary_email", lambda api, r: api.delete_primary_email(r)),
    ("update_primary_email", lambda api, r: api.update_primary_email(r, CASES["UpdatePrimaryEmail"].sent)),
    ("get_sessions", lambda api, r: api.get_sessions(r)),
    ("get_backup_codes", lambda api, r: api.get_backup_codes(r)),
    ("add_mfa_verification", lambda api, r: api.add_mfa_verification(r, {"type": "Totp", "secret": "JBSWY3DP"})),
    ("delete_grant_by_id", lambda api, r: api.delete_grant_by_id("Qw8eR4tY6uI2oP0aS3dF5", r)),
]


@pytest.mark.parametrize(("name", "call"), REQUIRED_HEADER_CALLS, ids=[n for n, _ in REQUIRED_HEADER_CALLS])
def test_a_missing_verification_record_is_refused_with_the_hint(
    name: str, call: Callable[[Any, Any], Any], server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    with pytest.raises(py_logto.ApiValueError) as caught:
        call(api, None)
    message = str(caught.value)
    assert "logto_verification_id" in message
    assert "fresh verification record" in message
    assert "create_verification_by_password" in message
    with pytest.raises(py_logto.ApiValueError, match="logto_verification_id"):
        call(api, "")
    with pytest.raises(py_logto.ApiValueError, match="line break"):
        call(api, "abc\r\nX-Injected: 1")
    assert server.requests == []


def test_an_optional_verification_record_is_sent_only_when_given(
    server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    server.queue(_reply("UpdatePassword"), _reply("UpdatePassword"))
    api.update_password(UpdatePasswordRequest(password="first-password-1"))
    assert server.last.header(VERIFICATION_HEADER) is None
    api.update_password({"password": "next-password-2"}, logto_verification_id=RECORD_ID)
    assert server.last.header(VERIFICATION_HEADER) == RECORD_ID
    with pytest.raises(py_logto.ApiValueError, match="logto_verification_id"):
        api.update_password({"password": "x"}, logto_verification_id="")
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (None, "/api/my-account/sessions/s1"),
        ("all", "/api/my-account/sessions/s1?revokeGrantsTarget=all"),
        (SessionGrantRevokeTarget.ALL, "/api/my-account/sessions/s1?revokeGrantsTarget=all"),
        ("firstParty", "/api/my-account/sessions/s1?revokeGrantsTarget=firstParty"),
    ],
)
def test_the_revoke_target_goes_in_the_query(
    value: Any, sent: str, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    server.queue(_reply("DeleteSessionById"))
    api.delete_session_by_id("s1", RECORD_ID, revoke_grants_target=value)
    assert server.last.path == sent


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (None, "/api/my-account/grants"),
        (GrantAppType.FIRSTPARTY, "/api/my-account/grants?appType=firstParty"),
        ("thirdParty", "/api/my-account/grants?appType=thirdParty"),
    ],
)
def test_the_app_type_goes_in_the_query(
    value: Any, sent: str, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    server.queue(_reply("GetGrants"))
    grants = api.get_grants(RECORD_ID, value)
    assert server.last.path == sent
    assert [g.application.name for g in grants.grants] == [
        g["application"]["name"] for g in OPERATIONS["GetGrants"].success_example["grants"]
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda api: api.delete_session_by_id("s1", RECORD_ID, "none"),
        lambda api: api.delete_session_by_id("s1", RECORD_ID, "FirstParty"),
        lambda api: api.delete_session_by_id("s1", RECORD_ID, ""),
        lambda api: api.get_grants(RECORD_ID, "third-party"),
        lambda api: api.get_grants(RECORD_ID, GrantAppType.FIRSTPARTY.value.upper()),
    ],
)
def test_a_query_value_outside_the_enum_is_refused(
    call: Callable[[Any], Any], server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    with pytest.raises(py_logto.ApiValueError, match="must be one of"):
        call(api)
    assert server.requests == []


# -- bodies that are not the schema ----------------------------------------------------------------

BAD_BODIES = [
    ("password-typo", lambda api: api.update_password({"pasword": "x"}), "pasword"),
    ("password-empty", lambda api: api.update_password({"password": ""}), "password"),
    ("password-str", lambda api: api.update_password("hunter2"), "UpdatePasswordRequest"),
    ("password-none", lambda api: api.update_password(None), "update_password_request"),
    (
        "email-pattern",
        lambda api: api.update_primary_email(RECORD_ID, {"email": "jane", "newIdentifierVerificationRecordId": "r"}),
        "email",
    ),
    (
        "email-missing-record",
        lambda api: api.update_primary_email(RECORD_ID, {"email": "jane@example.com"}),
        "new_identifier_verification_record_id",
    ),
    (
        "phone-plus",
        lambda api: api.update_primary_phone(
            RECORD_ID, {"phone": "+14155550123", "newIdentifierVerificationRecordId": "r"}
        ),
        "phone",
    ),
    ("username-pattern", lambda api: api.update_profile({"username": "1jane"}), "username"),
    ("avatar-relative", lambda api: api.update_profile({"avatar": "/me.png"}), "avatar"),
    ("custom-data-list", lambda api: api.update_profile({"customData": [1]}), "custom_data"),
    ("mfa-settings-missing", lambda api: api.update_mfa_settings(RECORD_ID, {}), "skip_mfa_on_sign_in"),
    ("mfa-settings-type", lambda api: api.update_mfa_settings(RECORD_ID, {"skipMfaOnSignIn": "maybe"}), "skip"),
    # Logto refuses these (guard.invalid_input); pydantic's lax mode would send true.
    ("mfa-settings-yes", lambda api: api.update_mfa_settings(RECORD_ID, {"skipMfaOnSignIn": "yes"}), "skip"),
    ("mfa-settings-one", lambda api: api.update_mfa_settings(RECORD_ID, {"skipMfaOnSignIn": 1}), "skip"),
    ("logto-config-yes", lambda api: api.update_logto_config(RECORD_ID, {"mfa": {"skipped": "true"}}), "mfa.skipped"),
    ("logto-config-unknown", lambda api: api.update_logto_config(RECORD_ID, {"passkey": {}}), "passkey"),
    ("mfa-name-missing", lambda api: api.update_mfa_verification_name("v1", RECORD_ID, {}), "name"),
    (
        "social-token-empty",
        lambda api: api.update_social_identity_access_token_by_verification_id("github", {"verificationRecordId": ""}),
        "verification_record_id",
    ),
    (
        "identity-model-of-another-operation",
        lambda api: api.add_user_identities(UpdatePasswordRequest(password="x")),
        "AddUserIdentitiesRequest",
    ),
    ("get-takes-no-body", lambda api: api.get_profile({"x": 1}), ""),
]


@pytest.mark.parametrize(("label", "call", "match"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_a_body_that_is_not_the_schema_is_refused_before_sending(
    label: str, call: Callable[[Any], Any], match: str, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    with pytest.raises((py_logto.ApiValueError, py_logto.ApiTypeError, TypeError)) as caught:
        call(api)
    assert match in str(caught.value)
    assert server.requests == []


def test_a_secret_in_a_refused_body_is_not_in_the_error(server: RecordingServer, api: py_logto.MyAccountApi) -> None:
    with pytest.raises(py_logto.ApiValueError) as caught:
        api.add_mfa_verification(RECORD_ID, {"type": "Totp", "secret": 12345678901234, "code": "987654"})
    assert "12345678901234" not in str(caught.value)
    assert "987654" not in str(caught.value)
    assert repr(AddTotpMfaVerificationRequest(secret="JBSWY3DPEHPK3PXP", code="246810")).count("246810") == 0


# -- the avatar upload ---------------------------------------------------------------------------

MAX_AVATAR = 20 * 1024 * 1024


@pytest.fixture
def avatar_file(tmp_path: Path) -> Path:
    path = tmp_path / "me.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"jpeg-bytes" * 10)
    return path


def _upload(server: RecordingServer, api: py_logto.MyAccountApi, value: Any) -> Tuple[Optional[str], str, bytes]:
    server.queue(_reply("UploadAccountAvatar"))
    result = api.upload_account_avatar(value)
    assert result.url == OPERATIONS["UploadAccountAvatar"].success_example["url"]
    assert server.last.path == "/api/my-account/user-assets/avatar"
    parts = parse_multipart(server.last)
    assert list(parts) == ["file"]
    return parts["file"]


def test_avatar_from_bytes(server: RecordingServer, api: py_logto.MyAccountApi) -> None:
    assert _upload(server, api, PNG) == ("file.png", "image/png", PNG)
    gif = b"GIF89a" + b"\x00" * 20
    assert _upload(server, api, bytearray(gif)) == ("file.gif", "image/gif", gif)
    webp = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8
    assert _upload(server, api, webp) == ("file.webp", "image/webp", webp)


def test_avatar_from_a_path(avatar_file: Path, server: RecordingServer, api: py_logto.MyAccountApi) -> None:
    data = avatar_file.read_bytes()
    assert _upload(server, api, avatar_file) == ("me.jpg", "image/jpeg", data)
    assert _upload(server, api, str(avatar_file)) == ("me.jpg", "image/jpeg", data)


def test_avatar_from_a_file_object(avatar_file: Path, server: RecordingServer, api: py_logto.MyAccountApi) -> None:
    with avatar_file.open("rb") as handle:
        assert _upload(server, api, handle) == ("me.jpg", "image/jpeg", avatar_file.read_bytes())
    assert _upload(server, api, io.BytesIO(PNG)) == ("file.png", "image/png", PNG)


def test_avatar_from_tuples(server: RecordingServer, api: py_logto.MyAccountApi) -> None:
    assert _upload(server, api, ("portrait.png", PNG)) == ("portrait.png", "image/png", PNG)
    assert _upload(server, api, ("portrait", PNG, "image/webp")) == ("portrait", "image/webp", PNG)
    assert _upload(server, api, ('we"ird\r\nname.png', PNG)) == ("we%22ird%0D%0Aname.png", "image/png", PNG)


def test_avatar_at_the_limit_is_sent(server: RecordingServer, api: py_logto.MyAccountApi) -> None:
    data = PNG + b"\x00" * (MAX_AVATAR - len(PNG))
    assert _upload(server, api, data) == ("file.png", "image/png", data)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda tmp: b"\x00" * (MAX_AVATAR + 1), "at most 20971520 bytes"),
        (lambda tmp: ("big.png", b"\x00" * (MAX_AVATAR + 1)), "at most 20971520 bytes"),
        (lambda tmp: io.BytesIO(b"\x00" * (MAX_AVATAR + 5)), "at most 20971520 bytes"),
        (lambda tmp: _sparse(tmp / "big.png", MAX_AVATAR + 1), "at most 20971520 bytes"),
        (lambda tmp: tmp / "missing.png", "cannot read"),
        (lambda tmp: str(tmp), "cannot read"),
        (lambda tmp: b"", "empty"),
        (lambda tmp: io.StringIO("text"), "binary mode"),
        (lambda tmp: ("a.png", "not bytes"), "tuple"),
        (lambda tmp: ("a.png", PNG, "image/png\r\nX-Evil: 1"), "line break"),
        (lambda tmp: 12345, "must be bytes"),
        (lambda tmp: None, "file"),
    ],
    ids=[
        "bytes-over",
        "tuple-over",
        "file-object-over",
        "path-over",
        "no-such-path",
        "directory",
        "empty",
        "text-file-object",
        "tuple-of-text",
        "content-type-line-break",
        "int",
        "none",
    ],
)
def test_a_bad_avatar_is_refused_before_sending(
    make: Callable[[Path], Any], match: str, tmp_path: Path, server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    with pytest.raises((py_logto.ApiValueError, py_logto.ApiTypeError), match=match):
        api.upload_account_avatar(make(tmp_path))
    assert server.requests == []


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    assert os.path.getsize(path) == size
    return path


# -- responses -----------------------------------------------------------------------------------


def test_the_social_token_keeps_its_snake_case_wire_names(server: RecordingServer, api: py_logto.MyAccountApi) -> None:
    body = {"access_token": "gho_16C7e42F", "scope": "read:user", "token_type": "bearer", "expires_in": 3600}
    server.queue(Reply(200, body))
    token = api.get_social_identity_access_token("github")
    assert (token.access_token, token.token_type, token.expires_in) == ("gho_16C7e42F", "bearer", 3600)
    assert token.to_dict() == body
    assert json.loads(token.to_json()) == body
    assert "gho_16C7e42F" not in repr(token)
    assert "gho_16C7e42F" not in token.to_str()


def test_a_profile_past_the_documented_lengths_is_taken_as_sent(
    server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    # The contract documents maxLength 128 for a username; a response is read as Logto sends it.
    body = {"id": "u" * 13, "username": "j" * 300, "avatar": "https://example.com/" + "a" * 3000, "name": ""}
    server.queue(Reply(200, body))
    profile = api.get_profile()
    assert profile.to_dict() == body


def test_an_mfa_list_keeps_unknown_factors_and_fields(server: RecordingServer, api: py_logto.MyAccountApi) -> None:
    body: List[Dict[str, Any]] = [
        {"id": "t1", "createdAt": "2026-11-20T10:00:00.000Z", "type": "Totp"},
        {"id": "p1", "createdAt": "2026-11-21T10:00:00.000Z", "type": "Passkey", "transports": ["usb"]},
    ]
    server.queue(Reply(200, body))
    factors = api.get_mfa_verifications()
    assert factors[0].type is py_logto.MfaFactor.TOTP
    assert factors[1].type == "Passkey"
    assert [f.to_dict() for f in factors] == body
    assert factors[0].created_at_datetime.year == 2026


def test_a_text_ok_is_returned_as_text_even_without_a_content_type(
    server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    server.queue(Reply(200, "OK", content_type=None))
    assert api.update_mfa_verification_name("v1", RECORD_ID, {"name": ""}) == "OK"
    assert server.last.json() == {"name": ""}


def test_a_204_with_a_body_still_returns_none(server: RecordingServer, api: py_logto.MyAccountApi) -> None:
    server.queue(Reply(204, None, content_type=None))
    assert api.delete_primary_email(RECORD_ID) is None
    server.queue(Reply(200, {"unexpected": True}))
    assert api.delete_primary_phone(RECORD_ID) is None


def test_a_list_that_is_not_a_list_raises_response_validation_error(
    server: RecordingServer, api: py_logto.MyAccountApi
) -> None:
    server.queue(Reply(200, {"id": "t1"}, headers=[("Logto-Core-Request-Id", "r1")]))
    with pytest.raises(py_logto.ApiResponseValidationError) as caught:
        api.get_mfa_verifications()
    assert caught.value.status == 200
    assert caught.value.request_id == "r1"


@pytest.fixture
def account_api_at_default(server: RecordingServer) -> Iterator[py_logto.MyAccountApi]:
    py_logto.Configuration.set_default(py_logto.Configuration(host=server.url, access_token=TOKEN))
    py_logto.ApiClient.set_default(None)
    try:
        api = py_logto.MyAccountApi()
        yield api
        api.api_client.close()
    finally:
        py_logto.ApiClient.set_default(None)
        py_logto.Configuration.set_default(None)


def test_my_account_api_without_a_client_uses_the_default(
    server: RecordingServer, account_api_at_default: py_logto.MyAccountApi
) -> None:
    server.queue(_reply("GetMfaSettings"))
    assert account_api_at_default.get_mfa_settings().skip_mfa_on_sign_in is False
    assert server.last.header("Authorization") == f"Bearer {TOKEN}"
