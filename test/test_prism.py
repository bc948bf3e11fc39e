"""Against Stoplight Prism serving the spec: a contract-checking server that is not ours.

Prism answers each request with the spec's example for the selected status and
reports every way a request breaks the contract in an ``sl-violations`` header. So:
every operation sent through the SDK with valid values succeeds with no violation;
every declared error status (``Prefer: code=N``) raises its exception with Logto's
error parsed; and every body that breaks the contract is refused by the SDK before
anything is sent, while the same bytes sent raw are flagged by Prism.

Start Prism with ``eval "$(bash .ci/prism.sh start)"`` (sets ``PRISM_URL`` and, for the
Account contract served by a second Prism, ``PRISM_ACCOUNT_URL``). The Account tests also
send every declared error status, and refuse every body that breaks the Account contract.
"""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any, Dict, Iterator, List, Tuple, Type

import pytest
import urllib3

import py_logto
from py_logto import (
    AddBackupCodeMfaVerificationRequest,
    AddMfaVerificationRequest,
    AddTotpMfaVerificationRequest,
    AddUserIdentitiesRequest,
    AddWebAuthnMfaVerificationRequest,
    BindWebAuthnPayload,
    BindWebAuthnPayloadClientExtensionResults,
    BindWebAuthnPayloadClientExtensionResultsCrepProps,
    BindWebAuthnPayloadResponse,
    CreateOrReplaceTotpMfaVerificationRequest,
    CreateVerificationByPasswordRequest,
    CreateVerificationBySocialRequest,
    CreateVerificationByVerificationCodeRequest,
    EmailVerificationCodeIdentifier,
    GrantAppType,
    PhoneVerificationCodeIdentifier,
    SessionGrantRevokeTarget,
    UpdateLogtoConfigRequest,
    UpdateLogtoConfigRequestMfa,
    UpdateLogtoConfigRequestPasskeySignIn,
    UpdateMfaSettingsRequest,
    UpdateMfaVerificationNameRequest,
    UpdateOtherProfileRequest,
    UpdatePasswordRequest,
    UpdatePrimaryEmailRequest,
    UpdateProfileRequest,
    UpdateSocialIdentityAccessTokenByVerificationIdRequest,
    UserProfileAddress,
    VerificationCodeIdentifier,
    VerifyVerificationBySocialRequest,
    VerifyVerificationCodeVerificationRequest,
    VerifyWebAuthnRegistrationRequest,
    WebAuthnTransport,
)
from py_logto.api.verifications_api import _OPERATIONS
from test import _contract as contract
from test._contract import ACCOUNT_SPEC, SPEC
from test._server import Recorded, RecordingServer, Reply
from test.test_account_api import check_result

pytestmark = pytest.mark.prism

HOW_TO_START = (
    'Prism is not running: `eval "$(bash .ci/prism.sh start)"` installs @stoplight/prism-cli '
    "(pinned in .ci/prism/, needs Node.js 18+) into .prism/ with npm, starts it on 127.0.0.1 and "
    "exports PRISM_URL; `bash .ci/prism.sh stop` stops it (scripts/test.sh does both)"
)

ORIGIN = {"Origin": "https://auth.example.com"}

#: Realistic valid requests for every operation, as an SDK user writes them (typed
#: models, the union wrapper, plain dicts). The spec coverage test requires an entry
#: for every operationId.
VALID_REQUESTS: Dict[str, List[Tuple[str, Any]]] = {
    "CreateVerificationByPassword": [
        ("password", CreateVerificationByPasswordRequest(password="correct-horse-battery-staple")),
        ("unicode-password", {"password": "p\u00e4ssw\u00f6rd \u2603 \U0001f511"}),
    ],
    "CreateVerificationByVerificationCode": [
        (
            "email",
            CreateVerificationByVerificationCodeRequest(
                identifier=EmailVerificationCodeIdentifier(value="jane.doe@example.com")
            ),
        ),
        (
            "phone-bind-mfa",
            CreateVerificationByVerificationCodeRequest(
                identifier=PhoneVerificationCodeIdentifier(value="15551234567"), template_type="BindMfa"
            ),
        ),
        (
            "wrapper-user-permission",
            CreateVerificationByVerificationCodeRequest(
                identifier=VerificationCodeIdentifier(EmailVerificationCodeIdentifier(value="Jane@Example.com")),
                template_type="UserPermissionValidation",
            ),
        ),
    ],
    "VerifyVerificationByVerificationCode": [
        (
            "email",
            VerifyVerificationCodeVerificationRequest(
                identifier=EmailVerificationCodeIdentifier(value="jane.doe@example.com"),
                verification_id="c7h2r9m4k1x8w3q6z5t0a",
                code="123456",
            ),
        ),
        (
            "phone-dict",
            {
                "identifier": {"type": "phone", "value": "447700900123"},
                "verificationId": "c7h2r9m4k1x8",
                "code": "004211",
            },
        ),
    ],
    "CreateVerificationBySocial": [
        (
            "github",
            CreateVerificationBySocialRequest(
                state="6f1c2a9e8b7d4c3f",
                redirect_uri="https://app.example.com/account/social/callback",
                connector_id="kjtbq3w0fz2xg5yn",
            ),
        ),
        (
            "custom-scope",
            CreateVerificationBySocialRequest(
                state="0b4c9d2e",
                redirect_uri="myapp://callback",
                connector_id="google-workspace",
                scope="openid email https://www.googleapis.com/auth/calendar.readonly",
            ),
        ),
    ],
    "VerifyVerificationBySocial": [
        (
            "callback",
            VerifyVerificationBySocialRequest(
                verification_record_id="s4n8d2k7w1q9x3m6v5b0e",
                connector_data={
                    "code": "8c2f1e0d9b7a6c5e4d3f",
                    "state": "6f1c2a9e8b7d4c3f",
                    "redirectUri": "https://app.example.com/account/social/callback",
                },
            ),
        ),
    ],
    "GenerateWebAuthnRegistrationOptions": [("no-body", None)],
    "VerifyWebAuthnRegistration": [
        (
            "passkey",
            VerifyWebAuthnRegistrationRequest(
                verification_record_id="w9e3t7k2m5q1x8c4n6z0r",
                payload=BindWebAuthnPayload(
                    id="Xb1tP0r9QmV2kLs8YwZc3A",
                    raw_id="Xb1tP0r9QmV2kLs8YwZc3A",
                    response=BindWebAuthnPayloadResponse(
                        client_data_json="eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",
                        attestation_object="o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVjF",
                        transports=[WebAuthnTransport.INTERNAL, WebAuthnTransport.HYBRID],
                        public_key_algorithm=-7,
                    ),
                    authenticator_attachment="platform",
                    client_extension_results=BindWebAuthnPayloadClientExtensionResults(
                        crep_props=BindWebAuthnPayloadClientExtensionResultsCrepProps(rk=True)
                    ),
                ),
            ),
        ),
        (
            "spec-example-dict",
            SPEC["paths"]["/api/verifications/web-authn/registration/verify"]["post"]["requestBody"]["content"][
                "application/json"
            ]["example"],
        ),
    ],
}

#: The exception each status must raise: written out here, not read from the SDK.
EXPECTED_EXCEPTION: Dict[int, Type[py_logto.ApiException]] = {
    400: py_logto.BadRequestException,
    401: py_logto.UnauthorizedException,
    403: py_logto.ForbiddenException,
    404: py_logto.NotFoundException,
    409: py_logto.ConflictException,
    422: py_logto.UnprocessableEntityException,
    429: py_logto.TooManyRequestsException,
    500: py_logto.ServiceException,
    501: py_logto.ServiceException,
    503: py_logto.ServiceException,
}

_HOP_BY_HOP = frozenset({"connection", "keep-alive", "content-length", "transfer-encoding", "content-type"})


def _prism_at(variable: str, probe: Tuple[str, str], how_to_start: str) -> str:
    """The Prism URL in ``variable``, answering ``probe`` (method, path); a skip when it is
    not set, a failure when CI is set or it does not answer."""
    url = os.environ.get(variable, "").rstrip("/")
    if not url:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(
                f"CI is set but {variable} is not: .ci/run must start Prism first. {how_to_start}", pytrace=False
            )
        pytest.skip(how_to_start)
    try:
        urllib3.request(probe[0], url + probe[1], headers={"Authorization": "Bearer probe"}, timeout=5, retries=False)
    except urllib3.exceptions.HTTPError as err:
        pytest.fail(f"{variable}={url} does not answer ({err}). {how_to_start}", pytrace=False)
    return url


@contextlib.contextmanager
def _tap_in_front_of(url: str) -> Iterator[RecordingServer]:
    """A loopback server in front of the Prism at ``url``: it records what reaches it and forwards it."""
    pool = urllib3.PoolManager()

    def forward(request: Recorded) -> Reply:
        response = pool.request(
            request.method,
            url + request.path,
            body=request.body or None,
            headers={k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")},
            retries=False,
        )
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _HOP_BY_HOP]
        return Reply(response.status, response.data, headers, response.headers.get("Content-Type"))

    with RecordingServer() as server:
        server.route_all(forward)
        yield server
    pool.clear()


@pytest.fixture(scope="module")
def prism_url() -> str:
    return _prism_at("PRISM_URL", ("POST", "/api/verifications/web-authn/registration"), HOW_TO_START)


@pytest.fixture(scope="module")
def prism_api(prism_url: str) -> Iterator[py_logto.VerificationsApi]:
    with contract.api_at(prism_url) as api:
        yield api


@pytest.fixture(scope="module")
def tap(prism_url: str) -> Iterator[RecordingServer]:
    with _tap_in_front_of(prism_url) as server:
        yield server


@pytest.fixture
def tapped_api(tap: RecordingServer) -> Iterator[py_logto.VerificationsApi]:
    tap.requests.clear()
    with contract.api_at(tap.url) as api:
        yield api


def _call(api: py_logto.VerificationsApi, operation_id: str, body: Any, **options: Any) -> Any:
    method = getattr(api, contract.snake_case(operation_id) + "_with_http_info")
    if operation_id == "VerifyWebAuthnRegistration":
        options["_headers"] = {**ORIGIN, **options.get("_headers", {})}
    return method(**options) if body is None else method(body, **options)


def _success_example(operation_id: str) -> Any:
    op = contract.operations(SPEC)[operation_id]
    return op.responses[op.success_status][1]


# -- valid requests -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation_id", "label"),
    [(op_id, label) for op_id, requests in VALID_REQUESTS.items() for label, _ in requests],
)
def test_a_valid_request_succeeds_without_violations(
    operation_id: str, label: str, prism_api: py_logto.VerificationsApi
) -> None:
    body = dict(VALID_REQUESTS[operation_id])[label]
    op = _OPERATIONS[operation_id]
    response = _call(prism_api, operation_id, body)
    assert "sl-violations" not in response.headers, response.headers["sl-violations"]
    assert response.status_code == op.success_status
    assert isinstance(response.data, op.response_type)
    assert response.data.to_dict() == _success_example(operation_id)
    assert json.loads(response.raw_data) == _success_example(operation_id)


def _full_bodies() -> List[Tuple[str, Tuple[contract.Pin, ...]]]:
    """Every operation with a body, once per oneOf member its body can hold."""
    found: Dict[Tuple[str, Tuple[contract.Pin, ...]], None] = {}
    for op_id, op in contract.operations(SPEC).items():
        if op.request_schema is None:
            continue
        pins = {slot.pins for slot in contract.request_slots(SPEC) if slot.operation_id == op_id}
        longest = max(len(p) for p in pins)
        for pin in sorted(p for p in pins if len(p) == longest):
            found[(op_id, pin)] = None
    return list(found)


@pytest.mark.parametrize(
    ("operation_id", "pins"),
    _full_bodies(),
    ids=[op_id + "".join(f"[{m}]" for _, m in pins) for op_id, pins in _full_bodies()],
)
def test_every_optional_property_is_sent_without_violations(
    operation_id: str, pins: Tuple[contract.Pin, ...], tapped_api: py_logto.VerificationsApi, tap: RecordingServer
) -> None:
    op = contract.operations(SPEC)[operation_id]
    schema = SPEC["components"]["schemas"][op.request_schema]
    body = contract.sample(SPEC, schema, pins=pins, full=True)
    response = _call(tapped_api, operation_id, body)
    assert "sl-violations" not in response.headers, response.headers["sl-violations"]
    assert response.status_code == op.success_status
    assert tap.last.json() == body


# -- declared error statuses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation_id", "status"),
    [(op_id, status) for op_id, op in contract.operations(SPEC).items() for status in op.error_statuses],
)
def test_every_declared_error_status_raises_its_exception(
    operation_id: str, status: int, prism_api: py_logto.VerificationsApi
) -> None:
    _, example = contract.operations(SPEC)[operation_id].responses[status]
    body = VALID_REQUESTS[operation_id][0][1]
    with pytest.raises(py_logto.ApiException) as caught:
        _call(prism_api, operation_id, body, _headers={"Prefer": f"code={status}"})
    error = caught.value
    assert type(error) is EXPECTED_EXCEPTION[status]
    assert "sl-violations" not in error.headers, error.headers["sl-violations"]
    assert error.status == status
    assert error.body is not None
    assert json.loads(error.body) == example
    assert error.data is not None
    assert error.data.code == example["code"]
    assert error.code == example["code"]
    assert error.data.message == example["message"]
    assert error.data.to_dict() == example


def test_a_non_bearer_authorization_is_refused_by_prism_as_401(prism_api: py_logto.VerificationsApi) -> None:
    basic = {"in": "header", "key": "Authorization", "value": "Basic amFuZTpwYXNzd29yZA=="}
    with pytest.raises(py_logto.UnauthorizedException) as caught:
        prism_api.create_verification_by_password(
            CreateVerificationByPasswordRequest(password="correct-horse-battery-staple"), _request_auth=basic
        )
    assert "sl-violations" in caught.value.headers
    assert caught.value.code == "auth.authorization_header_missing"


# -- invalid bodies ----------------------------------------------------------------------------


def _invalid_cases() -> List[Any]:
    cases = []
    for slot in contract.request_slots(SPEC):
        for index, (kind, value) in enumerate(contract.invalid_values(slot)):
            cases.append(pytest.param(slot, kind, value, id=f"{slot.id}-{kind}-{index}"))
    return cases


@pytest.mark.parametrize(("slot", "kind", "value"), _invalid_cases())
def test_a_body_that_breaks_the_contract_never_reaches_prism(
    slot: contract.Slot, kind: str, value: Any, tapped_api: py_logto.VerificationsApi, tap: RecordingServer
) -> None:
    op = contract.operations(SPEC)[slot.operation_id]
    schema = SPEC["components"]["schemas"][op.request_schema]
    body = contract.with_value(contract.sample(SPEC, schema, pins=slot.pins, force=slot.path), slot.path, value)
    default = contract.filled_in_default(SPEC, slot)
    if value is contract.MISSING and default is not None:
        # A constant the SDK fills in (``"type": "WebAuthn"``): the body is completed, not refused.
        response = _call(tapped_api, slot.operation_id, body)
        assert "sl-violations" not in response.headers
        sent = tap.last.json()
        for key in slot.path:
            sent = sent[key]
        assert sent == default
        return

    with pytest.raises(py_logto.ApiValueError) as caught:
        _call(tapped_api, slot.operation_id, body)
    labels = contract.error_labels(getattr(py_logto, op.request_schema), slot)
    assert contract.names_field(caught.value.fields, labels), (caught.value.fields, labels)
    assert tap.requests == [], "the SDK sent a body it should have refused"

    # The same bytes sent raw: Prism (the contract) refuses them too.
    raw = urllib3.request(
        op.method,
        tap.url + op.path,
        body=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {contract.ACCESS_TOKEN}", "Content-Type": "application/json", **ORIGIN},
        retries=False,
    )
    assert raw.status in (400, 422), raw.status
    assert "sl-violations" in raw.headers, f"Prism accepted {body}"


# == the Account contract ====================================================================

HOW_TO_START_ACCOUNT = (
    "Prism is not serving the Account contract: .ci/prism.sh starts a second Prism on "
    "spec/logto-account.openapi.json and exports PRISM_ACCOUNT_URL (by hand: "
    "`.prism/node_modules/.bin/prism mock -h 127.0.0.1 -p 4011 spec/logto-account.openapi.json` and "
    "PRISM_ACCOUNT_URL=http://127.0.0.1:4011)"
)

_RECORD = "p3xk9w2m7qz4t8hv1bn6c"
_NEW_RECORD = "n3wv3r1f1c4t10nr3c0rd"
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

#: Realistic valid calls for every Account operation, as keyword arguments of its method:
#: typed models, the union and its members, dict forms, enum members and strings.
ACCOUNT_VALID_REQUESTS: Dict[str, List[Tuple[str, Dict[str, Any]]]] = {
    "GetProfile": [("plain", {})],
    "UpdateProfile": [
        ("name-and-null-avatar", {"update_profile_request": UpdateProfileRequest(name="Jane Q. Doe", avatar=None)}),
        (
            "username-with-record",
            {"update_profile_request": {"username": "jane_doe_2"}, "logto_verification_id": _RECORD},
        ),
        ("custom-data", {"update_profile_request": UpdateProfileRequest(custom_data={"theme": "dark", "beta": True})}),
    ],
    "UpdateOtherProfile": [
        (
            "with-address",
            {
                "update_other_profile_request": UpdateOtherProfileRequest(
                    given_name="Jane",
                    family_name="Doe",
                    address=UserProfileAddress(street_address="1 Queen St", locality="Auckland", country="NZ"),
                )
            },
        ),
        ("dict", {"update_other_profile_request": {"birthdate": "1990-04-01", "zoneinfo": "Pacific/Auckland"}}),
    ],
    "UpdatePassword": [
        ("first-password", {"update_password_request": UpdatePasswordRequest(password="n3w-Correct-Horse!")}),
        (
            "with-record",
            {"update_password_request": {"password": "p\u00e4ssw\u00f6rd \u2603"}, "logto_verification_id": _RECORD},
        ),
    ],
    "GetMfaSettings": [("plain", {})],
    "UpdateMfaSettings": [
        (
            "skip",
            {
                "logto_verification_id": _RECORD,
                "update_mfa_settings_request": UpdateMfaSettingsRequest(skip_mfa_on_sign_in=True),
            },
        )
    ],
    "GetLogtoConfig": [("plain", {})],
    "UpdateLogtoConfig": [
        (
            "mfa-and-passkey",
            {
                "logto_verification_id": _RECORD,
                "update_logto_config_request": UpdateLogtoConfigRequest(
                    mfa=UpdateLogtoConfigRequestMfa(skipped=True, additional_binding_suggestion_skipped=False),
                    passkey_sign_in=UpdateLogtoConfigRequestPasskeySignIn(skipped=False),
                ),
            },
        )
    ],
    "GetSocialIdentityAccessToken": [("github", {"target": "github"})],
    "UpdateSocialIdentityAccessTokenByVerificationId": [
        (
            "google",
            {
                "target": "google",
                "update_social_identity_access_token_by_verification_id_request": (
                    UpdateSocialIdentityAccessTokenByVerificationIdRequest(
                        verification_record_id="s0c1a2l3r4e5c6o7r8d9x"
                    )
                ),
            },
        )
    ],
    "GetEnterpriseSsoIdentityAccessToken": [("okta", {"connector_id": "sso7k2m9x4q1"})],
    "UpdatePrimaryEmail": [
        (
            "new-email",
            {
                "logto_verification_id": _RECORD,
                "update_primary_email_request": UpdatePrimaryEmailRequest(
                    email="jane.new@example.com", new_identifier_verification_record_id=_NEW_RECORD
                ),
            },
        )
    ],
    "DeletePrimaryEmail": [("plain", {"logto_verification_id": _RECORD})],
    "UpdatePrimaryPhone": [
        (
            "new-phone",
            {
                "logto_verification_id": _RECORD,
                "update_primary_phone_request": {
                    "phone": "6421386582",
                    "newIdentifierVerificationRecordId": _NEW_RECORD,
                },
            },
        )
    ],
    "DeletePrimaryPhone": [("plain", {"logto_verification_id": _RECORD})],
    "AddUserIdentities": [
        (
            "link",
            {
                "add_user_identities_request": AddUserIdentitiesRequest(
                    new_identifier_verification_record_id=_NEW_RECORD
                ),
                "logto_verification_id": _RECORD,
            },
        )
    ],
    "ReplaceMyAccountIdentity": [
        ("replace-without-record", {"add_user_identities_request": {"newIdentifierVerificationRecordId": _NEW_RECORD}})
    ],
    "DeleteIdentity": [("unlink", {"target": "github", "logto_verification_id": _RECORD})],
    "GetMfaVerifications": [("plain", {})],
    "AddMfaVerification": [
        (
            "totp",
            {
                "logto_verification_id": _RECORD,
                "add_mfa_verification_request": AddTotpMfaVerificationRequest(
                    secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", code="123456"
                ),
            },
        ),
        (
            "backup-codes-union",
            {
                "logto_verification_id": _RECORD,
                "add_mfa_verification_request": AddMfaVerificationRequest(
                    AddBackupCodeMfaVerificationRequest(codes=["0f3a9c21b7", "5d8e2a6c4f"])
                ),
            },
        ),
        (
            "webauthn-dict",
            {
                "logto_verification_id": _RECORD,
                "add_mfa_verification_request": {
                    "type": "WebAuthn",
                    "newIdentifierVerificationRecordId": _NEW_RECORD,
                    "name": "YubiKey 5C",
                },
            },
        ),
        (
            "webauthn-member",
            {
                "logto_verification_id": _RECORD,
                "add_mfa_verification_request": AddWebAuthnMfaVerificationRequest(
                    new_identifier_verification_record_id=_NEW_RECORD
                ),
            },
        ),
    ],
    "CreateOrReplaceTotpMfaVerification": [
        (
            "replace",
            {
                "logto_verification_id": _RECORD,
                "create_or_replace_totp_mfa_verification_request": CreateOrReplaceTotpMfaVerificationRequest(
                    secret="JBSWY3DPEHPK3PXP", code="654321"
                ),
            },
        )
    ],
    "GenerateTotpSecret": [("plain", {})],
    "GenerateMyAccountBackupCodes": [("plain", {})],
    "GetBackupCodes": [("plain", {"logto_verification_id": _RECORD})],
    "UpdateMfaVerificationName": [
        (
            "rename",
            {
                "verification_id": "w3b4uthnv3r1f1c4t10n2",
                "logto_verification_id": _RECORD,
                "update_mfa_verification_name_request": UpdateMfaVerificationNameRequest(name="Work laptop"),
            },
        )
    ],
    "DeleteMfaVerification": [
        ("remove", {"verification_id": "z8y7x6w5v4u3t2s1r0q9p", "logto_verification_id": _RECORD})
    ],
    "GetSessions": [("plain", {"logto_verification_id": _RECORD})],
    "DeleteSessionById": [
        ("keep-grants", {"session_id": "mN3bV7cX1zL9kJ5hG2fD8", "logto_verification_id": _RECORD}),
        (
            "revoke-first-party",
            {
                "session_id": "mN3bV7cX1zL9kJ5hG2fD8",
                "logto_verification_id": _RECORD,
                "revoke_grants_target": SessionGrantRevokeTarget.FIRSTPARTY,
            },
        ),
        (
            "revoke-all",
            {"session_id": "mN3bV7cX1zL9kJ5hG2fD8", "logto_verification_id": _RECORD, "revoke_grants_target": "all"},
        ),
    ],
    "GetGrants": [
        ("all", {"logto_verification_id": _RECORD}),
        ("third-party", {"logto_verification_id": _RECORD, "app_type": GrantAppType.THIRDPARTY}),
    ],
    "DeleteGrantById": [("revoke", {"grant_id": "Qw8eR4tY6uI2oP0aS3dF5", "logto_verification_id": _RECORD})],
    "UploadAccountAvatar": [
        ("png-bytes", {"file": _PNG}),
        ("jpeg-tuple", {"file": ("me.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg")}),
    ],
}

ACCOUNT_OPERATIONS = contract.operations(ACCOUNT_SPEC)


@pytest.fixture(scope="module")
def prism_account_url() -> str:
    return _prism_at("PRISM_ACCOUNT_URL", ("GET", "/api/my-account"), HOW_TO_START_ACCOUNT)


@pytest.fixture(scope="module")
def prism_account_api(prism_account_url: str) -> Iterator[py_logto.MyAccountApi]:
    with contract.api_at(prism_account_url, py_logto.MyAccountApi) as api:
        yield api


@pytest.fixture(scope="module")
def account_tap(prism_account_url: str) -> Iterator[RecordingServer]:
    with _tap_in_front_of(prism_account_url) as server:
        yield server


@pytest.fixture
def tapped_account_api(account_tap: RecordingServer) -> Iterator[py_logto.MyAccountApi]:
    account_tap.requests.clear()
    with contract.api_at(account_tap.url, py_logto.MyAccountApi) as api:
        yield api


def _account_call(api: py_logto.MyAccountApi, operation_id: str, arguments: Dict[str, Any], **options: Any) -> Any:
    return getattr(api, contract.snake_case(operation_id) + "_with_http_info")(**arguments, **options)


_ACCOUNT_VALID = [
    pytest.param(op_id, label, id=f"{op_id}-{label}")
    for op_id, requests in ACCOUNT_VALID_REQUESTS.items()
    for label, _ in requests
]


def test_every_account_operation_has_valid_requests() -> None:
    assert sorted(ACCOUNT_VALID_REQUESTS) == sorted(ACCOUNT_OPERATIONS)


@pytest.mark.parametrize(("operation_id", "label"), _ACCOUNT_VALID)
def test_a_valid_account_request_succeeds_without_violations(
    operation_id: str, label: str, prism_account_api: py_logto.MyAccountApi
) -> None:
    arguments = dict(ACCOUNT_VALID_REQUESTS[operation_id])[label]
    response = _account_call(prism_account_api, operation_id, arguments)
    assert "sl-violations" not in response.headers, response.headers["sl-violations"]
    assert response.status_code == ACCOUNT_OPERATIONS[operation_id].success_status
    check_result(operation_id, response.data)


_ACCOUNT_ERRORS = [
    pytest.param(op_id, status, id=f"{op_id}-{status}")
    for op_id, op in ACCOUNT_OPERATIONS.items()
    for status in op.error_statuses
]


@pytest.mark.parametrize(("operation_id", "status"), _ACCOUNT_ERRORS)
def test_every_declared_account_error_status_raises_its_exception(
    operation_id: str, status: int, prism_account_api: py_logto.MyAccountApi
) -> None:
    _, example = ACCOUNT_OPERATIONS[operation_id].responses[status]
    arguments = ACCOUNT_VALID_REQUESTS[operation_id][0][1]
    with pytest.raises(py_logto.ApiException) as caught:
        _account_call(prism_account_api, operation_id, arguments, _headers={"Prefer": f"code={status}"})
    error = caught.value
    assert type(error) is EXPECTED_EXCEPTION[status]
    assert "sl-violations" not in error.headers, error.headers["sl-violations"]
    assert error.status == status
    assert json.loads(error.body or b"") == example
    assert error.data is not None
    assert error.code == example["code"]
    assert error.data.to_dict() == example


def test_a_missing_verification_header_is_what_prism_refuses_too(
    prism_account_api: py_logto.MyAccountApi, account_tap: RecordingServer
) -> None:
    with pytest.raises(py_logto.ApiValueError, match="fresh verification record"):
        prism_account_api.delete_primary_email(None)  # type: ignore[arg-type]
    raw = urllib3.request(
        "DELETE",
        account_tap.url + "/api/my-account/primary-email",
        headers={"Authorization": f"Bearer {contract.ACCESS_TOKEN}"},
        retries=False,
    )
    assert "logto-verification-id" in raw.headers.get("sl-violations", "")


def _account_invalid_cases() -> List[Any]:
    cases = []
    for slot in contract.request_slots(ACCOUNT_SPEC):
        for index, (kind, value) in enumerate(contract.invalid_values(slot)):
            cases.append(pytest.param(slot, kind, value, id=f"{slot.id}-{kind}-{index}"))
    return cases


@pytest.mark.parametrize(("slot", "kind", "value"), _account_invalid_cases())
def test_an_account_body_that_breaks_the_contract_never_reaches_prism(
    slot: contract.Slot, kind: str, value: Any, tapped_account_api: py_logto.MyAccountApi, account_tap: RecordingServer
) -> None:
    op = ACCOUNT_OPERATIONS[slot.operation_id]
    schema = ACCOUNT_SPEC["components"]["schemas"][op.request_schema]
    body = contract.with_value(contract.sample(ACCOUNT_SPEC, schema, pins=slot.pins, force=slot.path), slot.path, value)
    arguments = {p.name: p.example for p in op.params if p.location in ("path", "header") and p.required}
    body_param = next(p.name for p in op.params if p.location == "body")
    default = contract.filled_in_default(ACCOUNT_SPEC, slot)
    if value is contract.MISSING and default is not None:
        response = _account_call(tapped_account_api, slot.operation_id, {**arguments, body_param: body})
        assert "sl-violations" not in response.headers
        return

    with pytest.raises(py_logto.ApiValueError) as caught:
        _account_call(tapped_account_api, slot.operation_id, {**arguments, body_param: body})
    labels = contract.error_labels(getattr(py_logto, str(op.request_schema)), slot)
    assert contract.names_field(caught.value.fields, labels), (caught.value.fields, labels)
    assert account_tap.requests == [], "the SDK sent a body it should have refused"

    # The same bytes sent raw: Prism (the contract) refuses them too.
    path = op.path
    headers = {"Authorization": f"Bearer {contract.ACCESS_TOKEN}", "Content-Type": "application/json"}
    for param in op.params:
        if param.location == "path":
            path = path.replace("{" + param.wire + "}", param.example)
        elif param.location == "header" and param.required:
            headers[param.wire] = param.example
    raw = urllib3.request(
        op.method, account_tap.url + path, body=json.dumps(body).encode(), headers=headers, retries=False
    )
    assert raw.status in (400, 422), raw.status
    assert "sl-violations" in raw.headers, f"Prism accepted {body}"
