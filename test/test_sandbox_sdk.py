"""Every verification flow, and every error the issue names, through the SDK against the sandbox."""

from __future__ import annotations

import base64
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, Optional
from urllib.parse import parse_qs, urlsplit

import pytest

import py_logto
from py_logto.testing import LogtoSandbox, SandboxUser, make_webauthn_credential

PASSWORD = "correct-horse-battery"
EMAIL = "jane.doe@example.com"
PHONE = "15551234567"
ORIGIN = "http://127.0.0.1:5173"
START = 1_800_000_000.0  # the sandbox clock in these tests: 2027-01-15T08:00:00Z


@pytest.fixture
def sandbox() -> Iterator[LogtoSandbox]:
    with LogtoSandbox(clock=lambda: START) as sandbox:
        yield sandbox


@pytest.fixture
def user(sandbox: LogtoSandbox) -> SandboxUser:
    return sandbox.add_user(password=PASSWORD, email=EMAIL, phone=PHONE, username="jane")


@contextmanager
def _api(sandbox: LogtoSandbox, token: str) -> Iterator[py_logto.VerificationsApi]:
    configuration = py_logto.Configuration(host=sandbox.url)
    configuration.access_token = token
    with py_logto.ApiClient(configuration) as api_client:
        yield py_logto.VerificationsApi(api_client)


@pytest.fixture
def api(sandbox: LogtoSandbox, user: SandboxUser) -> Iterator[py_logto.VerificationsApi]:
    with _api(sandbox, sandbox.issue_token(user)) as api:
        yield api


@pytest.fixture
def third_party_api(sandbox: LogtoSandbox, user: SandboxUser) -> Iterator[py_logto.VerificationsApi]:
    with _api(sandbox, sandbox.issue_token(user, first_party=False)) as api:
        yield api


def _email(value: str = EMAIL) -> py_logto.EmailVerificationCodeIdentifier:
    return py_logto.EmailVerificationCodeIdentifier(type="email", value=value)


def _phone(value: str = PHONE) -> py_logto.PhoneVerificationCodeIdentifier:
    return py_logto.PhoneVerificationCodeIdentifier(type="phone", value=value)


def _send(api: py_logto.VerificationsApi, identifier: Any, template_type: Optional[str] = None) -> str:
    request = py_logto.CreateVerificationByVerificationCodeRequest(identifier=identifier, template_type=template_type)
    return api.create_verification_by_verification_code(request).verification_record_id


def _verify(api: py_logto.VerificationsApi, identifier: Any, verification_id: str, code: str) -> str:
    request = py_logto.VerifyVerificationCodeVerificationRequest(
        identifier=identifier, verification_id=verification_id, code=code
    )
    return api.verify_verification_by_verification_code(request).verification_record_id


def _password(api: py_logto.VerificationsApi, password: str = PASSWORD) -> str:
    request = py_logto.CreateVerificationByPasswordRequest(password=password)
    return api.create_verification_by_password(request).verification_record_id


def _assert_error(error: py_logto.ApiException, status: int, code: str, message: Optional[str] = None) -> None:
    assert (error.status, error.code) == (status, code)
    assert error.data is not None
    if message is not None:
        assert error.data.message == message
    assert error.request_id
    assert len(error.request_id) == 16


def _code_for(sandbox: LogtoSandbox, record_id: str) -> str:
    return next(m.code for m in sandbox.outbox if m.verification_record_id == record_id)


# -- password ---------------------------------------------------------------------------------


def test_password_creates_a_record_valid_for_ten_minutes(api: py_logto.VerificationsApi) -> None:
    record = api.create_verification_by_password(py_logto.CreateVerificationByPasswordRequest(password=PASSWORD))
    assert len(record.verification_record_id) == 21
    assert record.expires_at == "2027-01-15T08:10:00.000Z"


def test_wrong_password_is_422_invalid_credentials(api: py_logto.VerificationsApi) -> None:
    with pytest.raises(py_logto.UnprocessableEntityException) as caught:
        _password(api, "not-the-password")
    _assert_error(
        caught.value, 422, "session.invalid_credentials", "Incorrect account or password. Please check your input."
    )


def test_hundredth_wrong_password_in_an_hour_blocks_the_user_for_an_hour(
    sandbox: LogtoSandbox, api: py_logto.VerificationsApi
) -> None:
    for _ in range(99):
        with pytest.raises(py_logto.UnprocessableEntityException):
            _password(api, "wrong")
    for password in ("wrong", PASSWORD):  # the 100th failure, then even the right password
        with pytest.raises(py_logto.BadRequestException) as caught:
            _password(api, password)
        _assert_error(
            caught.value,
            400,
            "session.verification_blocked_too_many_attempts",
            "Too many attempts in a short time. Please try again in 60 minutes.",
        )
    sandbox.advance(59 * 60)
    with pytest.raises(py_logto.BadRequestException, match="try again in 1 minute"):
        _password(api)
    sandbox.advance(61)
    assert _password(api)


def test_invalid_body_is_400_guard_invalid_input_with_zod_issues(api: py_logto.VerificationsApi) -> None:
    # The SDK refuses an empty password before sending; model_construct skips its checks.
    request = py_logto.CreateVerificationByPasswordRequest.model_construct(password="")
    with pytest.raises(py_logto.BadRequestException) as caught:
        api.create_verification_by_password(request)
    _assert_error(caught.value, 400, "guard.invalid_input", "The request body is invalid.")
    assert caught.value.data is not None
    assert caught.value.data.data == {
        "issues": [
            {
                "code": "too_small",
                "minimum": 1,
                "type": "string",
                "inclusive": True,
                "exact": False,
                "message": "String must contain at least 1 character(s)",
                "path": ["password"],
            }
        ],
        "name": "ZodError",
    }
    assert (
        caught.value.data.details
        == 'Error in key path "password": (too_small) String must contain at least 1 character(s)'
    )


# -- authentication ---------------------------------------------------------------------------


def test_missing_or_unknown_or_revoked_token_is_401(sandbox: LogtoSandbox, user: SandboxUser) -> None:
    revoked = sandbox.issue_token(user)
    sandbox.revoke_token(revoked)
    cases = [
        ({"in": "header", "key": "Authorization", "value": ""}, "auth.authorization_header_missing"),
        ("not-a-token", "auth.unauthorized"),
        (revoked, "auth.unauthorized"),
        (
            {"in": "header", "key": "Authorization", "value": "Basic dXNlcjpwYXNz"},
            "auth.authorization_token_type_not_supported",
        ),
    ]
    with _api(sandbox, sandbox.issue_token(user)) as api:
        for auth, code in cases:
            with pytest.raises(py_logto.UnauthorizedException) as caught:
                api.create_verification_by_password(
                    py_logto.CreateVerificationByPasswordRequest(password=PASSWORD), _request_auth=auth
                )
            _assert_error(caught.value, 401, code)
        assert caught.value.data is not None
        assert caught.value.data.data == {"supportedTypes": ["Bearer"]}


def test_third_party_tokens_are_refused_except_on_the_social_routes(
    sandbox: LogtoSandbox, third_party_api: py_logto.VerificationsApi
) -> None:
    refused = [
        lambda: _password(third_party_api),
        lambda: _send(third_party_api, _email()),
        lambda: _verify(third_party_api, _email(), "x" * 21, "123456"),
        third_party_api.generate_web_authn_registration_options,
    ]
    for call in refused:
        with pytest.raises(py_logto.ForbiddenException) as caught:
            call()
        _assert_error(
            caught.value,
            403,
            "auth.third_party_application_forbidden",
            "Third-party applications cannot modify account data through this API.",
        )
    assert sandbox.social_connector is not None
    created = third_party_api.create_verification_by_social(
        py_logto.CreateVerificationBySocialRequest(
            connector_id=sandbox.social_connector.id, state="s", redirect_uri="https://app/cb"
        )
    )
    verified = third_party_api.verify_verification_by_social(
        py_logto.VerifyVerificationBySocialRequest(
            verification_record_id=created.verification_record_id, connector_data={"code": "c"}
        )
    )
    assert verified.verification_record_id == created.verification_record_id


# -- verification codes -----------------------------------------------------------------------


@pytest.mark.parametrize(("identifier", "channel"), [(_email(), "email"), (_phone(), "sms")], ids=["email", "sms"])
def test_code_flow_by_email_and_sms(
    sandbox: LogtoSandbox, api: py_logto.VerificationsApi, identifier: Any, channel: str
) -> None:
    record_id = _send(api, identifier)
    message = sandbox.last_message()
    assert (message.channel, message.recipient, message.template_type) == (
        channel,
        identifier.value,
        "UserPermissionValidation",
    )
    assert message.verification_record_id == record_id
    assert message.code.isdigit()
    assert len(message.code) == 6
    assert _verify(api, identifier, record_id, message.code) == record_id
    with pytest.raises(py_logto.BadRequestException) as caught:  # a code works once
        _verify(api, identifier, record_id, message.code)
    _assert_error(
        caught.value,
        400,
        "verification_code.not_found",
        "Verification code not found. Please send verification code first.",
    )


def test_template_type_follows_the_identifier(sandbox: LogtoSandbox, api: py_logto.VerificationsApi) -> None:
    _send(api, _email(), "BindMfa")
    _send(api, _email("new.address@example.com"), "BindMfa")
    assert [m.template_type for m in sandbox.outbox] == ["BindMfa", "BindNewIdentifier"]


def test_wrong_code_ten_times_exhausts_the_code(sandbox: LogtoSandbox, api: py_logto.VerificationsApi) -> None:
    record_id = _send(api, _email())
    for _ in range(10):
        with pytest.raises(py_logto.BadRequestException) as caught:
            _verify(api, _email(), record_id, "000000")
        _assert_error(caught.value, 400, "verification_code.code_mismatch", "Invalid verification code.")
    for code in ("000000", _code_for(sandbox, record_id)):
        with pytest.raises(py_logto.BadRequestException) as caught:
            _verify(api, _email(), record_id, code)
        _assert_error(
            caught.value,
            400,
            "verification_code.exceed_max_try",
            "Verification code retries limitation exceeded. Please request a new verification code.",
        )


def test_identifier_must_match_the_one_the_code_went_to(sandbox: LogtoSandbox, api: py_logto.VerificationsApi) -> None:
    email_record, phone_record = _send(api, _email()), _send(api, _phone())
    with pytest.raises(py_logto.BadRequestException) as caught:
        _verify(api, _email("someone.else@example.com"), email_record, _code_for(sandbox, email_record))
    _assert_error(
        caught.value, 400, "verification_code.email_mismatch", "Email mismatch. Please request a new verification code."
    )
    with pytest.raises(py_logto.BadRequestException) as caught:
        _verify(api, _phone("15550000000"), phone_record, _code_for(sandbox, phone_record))
    _assert_error(
        caught.value, 400, "verification_code.phone_mismatch", "Phone mismatch. Please request a new verification code."
    )


def test_unknown_or_wrong_kind_of_record_is_not_found(api: py_logto.VerificationsApi) -> None:
    phone_record, password_record = _send(api, _phone()), _password(api)
    for record_id in (phone_record, password_record, "doesnotexist123"):
        with pytest.raises(py_logto.BadRequestException) as caught:
            _verify(api, _email(), record_id, "123456")
        _assert_error(caught.value, 400, "verification_record.not_found", "Verification record not found.")


def test_records_expire_after_ten_minutes(sandbox: LogtoSandbox, api: py_logto.VerificationsApi) -> None:
    record_id = _send(api, _email())
    sandbox.advance(600)
    with pytest.raises(py_logto.BadRequestException) as caught:
        _verify(api, _email(), record_id, _code_for(sandbox, record_id))
    _assert_error(caught.value, 400, "verification_record.not_found")


def test_codes_expire_after_ten_minutes(sandbox: LogtoSandbox, api: py_logto.VerificationsApi) -> None:
    record_id = _send(api, _email())
    sandbox.expire_code(record_id)  # as if the code were 11 minutes old while its record is not
    with pytest.raises(py_logto.BadRequestException) as caught:
        _verify(api, _email(), record_id, _code_for(sandbox, record_id))
    _assert_error(
        caught.value,
        400,
        "verification_code.expired",
        "Verification code has expired. Please request a new verification code.",
    )


def test_eleventh_code_to_one_recipient_in_600_seconds_is_429(
    sandbox: LogtoSandbox, api: py_logto.VerificationsApi
) -> None:
    recipient = "rate.limit@example.com"
    for _ in range(10):
        _send(api, _email(recipient))
    for value in (recipient, recipient.upper()):  # recipients are compared lower-cased
        with pytest.raises(py_logto.TooManyRequestsException) as caught:
            _send(api, _email(value))
        _assert_error(
            caught.value,
            429,
            "request.message_rate_limited",
            "Too many messages sent to this recipient. Please try again later.",
        )
        assert "Retry-After" not in caught.value.headers
    sandbox.advance(600)
    assert _send(api, _email(recipient))


def test_hundred_failed_code_checks_block_the_identifier(sandbox: LogtoSandbox, api: py_logto.VerificationsApi) -> None:
    records = [_send(api, _email()) for _ in range(10)]
    failures = 0
    for record_id in records:
        for _ in range(10):
            failures += 1
            with pytest.raises(py_logto.BadRequestException) as caught:
                _verify(api, _email(), record_id, "000000")
    assert failures == 100
    assert caught.value.code == "session.verification_blocked_too_many_attempts"


def test_without_a_message_connector_sending_is_501(sandbox: LogtoSandbox, api: py_logto.VerificationsApi) -> None:
    for connector, identifier, kind in (
        (sandbox.sms_connector, _phone(), "Sms"),
        (sandbox.email_connector, _email(), "Email"),
    ):
        assert connector is not None
        sandbox.remove_connector(connector.id)
        with pytest.raises(py_logto.ServiceException) as caught:
            _send(api, identifier)
        _assert_error(
            caught.value, 501, "connector.not_found", f"Cannot find any available connector for type: {kind}."
        )
    sandbox.add_message_connector("sms")
    assert _send(api, _phone())


# -- social -----------------------------------------------------------------------------------


def test_social_flow(sandbox: LogtoSandbox, api: py_logto.VerificationsApi) -> None:
    assert sandbox.social_connector is not None
    created = api.create_verification_by_social(
        py_logto.CreateVerificationBySocialRequest(
            connector_id=sandbox.social_connector.id, state="st4te", redirect_uri="https://app.example.com/callback"
        )
    )
    uri = urlsplit(created.authorization_uri)
    assert (uri.scheme, uri.netloc, uri.path) == ("http", "mock-social", "/")
    assert parse_qs(uri.query) == {
        "state": ["st4te"],
        "redirect_uri": ["https://app.example.com/callback"],
        "scope": ["email profile"],
    }
    assert created.expires_at == "2027-01-15T08:10:00.000Z"
    verified = api.verify_verification_by_social(
        py_logto.VerifyVerificationBySocialRequest(
            verification_record_id=created.verification_record_id,
            connector_data={"code": "from-the-idp", "state": "st4te", "userId": "social-1"},
        )
    )
    assert verified.verification_record_id == created.verification_record_id


def test_social_connector_with_own_endpoint_and_scope(sandbox: LogtoSandbox, api: py_logto.VerificationsApi) -> None:
    connector = sandbox.add_social_connector(connector_id="github", authorization_endpoint="https://idp.test/authorize")
    created = api.create_verification_by_social(
        py_logto.CreateVerificationBySocialRequest(
            connector_id="github", state="s", redirect_uri="x y", scope="openid email"
        )
    )
    assert connector.id == "github"
    assert created.authorization_uri == "https://idp.test/authorize?state=s&redirect_uri=x+y&scope=openid+email"


def test_social_errors(sandbox: LogtoSandbox, api: py_logto.VerificationsApi) -> None:
    def create(connector_id: str) -> str:
        request = py_logto.CreateVerificationBySocialRequest(
            connector_id=connector_id, state="s", redirect_uri="https://a/cb"
        )
        return api.create_verification_by_social(request).verification_record_id

    with pytest.raises(py_logto.UnprocessableEntityException) as caught:
        create("no-such-connector")
    _assert_error(
        caught.value,
        422,
        "session.invalid_connector_id",
        "Unable to find available connector with id no-such-connector.",
    )
    assert sandbox.email_connector is not None
    with pytest.raises(py_logto.BadRequestException) as caught:
        create(sandbox.email_connector.id)
    _assert_error(caught.value, 400, "connector.unexpected_type", "The connector's type is unexpected.")

    assert sandbox.social_connector is not None
    record_id = create(sandbox.social_connector.id)
    with pytest.raises(py_logto.BadRequestException) as caught:
        api.verify_verification_by_social(
            py_logto.VerifyVerificationBySocialRequest(verification_record_id=record_id, connector_data={"state": "s"})
        )
    _assert_error(caught.value, 400, "connector.invalid_response", "The connector's response is invalid.")
    assert caught.value.data is not None
    assert caught.value.data.data == {"message": '{"state":"s"}'}
    with pytest.raises(py_logto.BadRequestException) as caught:
        api.verify_verification_by_social(
            py_logto.VerifyVerificationBySocialRequest(
                verification_record_id=_password(api), connector_data={"code": "c"}
            )
        )
    _assert_error(caught.value, 400, "verification_record.not_found")


# -- WebAuthn ---------------------------------------------------------------------------------


def _registration(api: py_logto.VerificationsApi) -> py_logto.GenerateWebAuthnRegistrationOptions200Response:
    return api.generate_web_authn_registration_options()


def _bind(
    api: py_logto.VerificationsApi, record_id: str, credential: Dict[str, Any], origin: Optional[str] = ORIGIN
) -> str:
    request = py_logto.VerifyWebAuthnRegistrationRequest(
        verification_record_id=record_id, payload=py_logto.BindWebAuthnPayload.from_dict(credential)
    )
    headers = {"Origin": origin} if origin else {}
    return api.verify_web_authn_registration(request, _headers=headers).verification_record_id


def test_webauthn_registration_options(api: py_logto.VerificationsApi, user: SandboxUser) -> None:
    first, second = _registration(api), _registration(api)
    options = first.registration_options.to_dict()
    challenge = options.pop("challenge")
    assert len(challenge) == 43
    assert challenge != second.registration_options.challenge
    assert options == {
        "rp": {"name": "127.0.0.1", "id": "127.0.0.1"},
        "user": {
            "id": base64.urlsafe_b64encode(user.id.encode()).rstrip(b"=").decode(),
            "name": EMAIL,
            "displayName": EMAIL,
        },
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
        "timeout": 60000,
        "excludeCredentials": [],
        "authenticatorSelection": {
            "requireResidentKey": True,
            "residentKey": "required",
            "userVerification": "required",
        },
        "attestation": "none",
        "extensions": {"credProps": True},
    }
    assert first.expires_at == "2027-01-15T08:10:00.000Z"


def test_webauthn_registration_with_a_software_authenticator(api: py_logto.VerificationsApi) -> None:
    registration = _registration(api)
    credential = make_webauthn_credential(registration.registration_options, origin=ORIGIN)
    record_id = registration.verification_record_id
    assert _bind(api, record_id, credential) == record_id


@pytest.mark.parametrize(
    ("changes", "origin", "message"),
    [
        ({}, None, 'Unexpected registration response origin "http://127.0.0.1:5173", expected one of: '),
        (
            {},
            "https://other.example",
            'Unexpected registration response origin "http://127.0.0.1:5173", expected one of: https://other.example',
        ),
        (
            {"challenge": "d3JvbmctY2hhbGxlbmdl"},
            ORIGIN,
            'Unexpected registration response challenge "d3JvbmctY2hhbGxlbmdl", expected "{challenge}"',
        ),
        ({"user_verified": False}, ORIGIN, "User verification required, but user could not be verified"),
        ({"user_present": False}, ORIGIN, "User not present during registration"),
        ({"attestationObject": "AAAA"}, ORIGIN, "decodedAttestationObject.get is not a function"),
    ],
    ids=["no-origin", "other-origin", "wrong-challenge", "no-uv", "no-up", "malformed-attestation"],
)
def test_webauthn_verification_failures(
    api: py_logto.VerificationsApi, changes: Dict[str, Any], origin: Optional[str], message: str
) -> None:
    registration = _registration(api)
    attestation = changes.pop("attestationObject", None)
    credential = make_webauthn_credential(registration.registration_options, origin=ORIGIN, **changes)
    if attestation:
        credential["response"]["attestationObject"] = attestation
    with pytest.raises(py_logto.BadRequestException) as caught:
        _bind(api, registration.verification_record_id, credential, origin)
    _assert_error(caught.value, 400, "session.mfa.webauthn_verification_failed", "WebAuthn verification failed.")
    assert caught.value.data is not None
    assert caught.value.data.data == {"message": message.format(challenge=registration.registration_options.challenge)}


def test_webauthn_registration_does_not_check_the_relying_party(api: py_logto.VerificationsApi) -> None:
    # Logto passes no expected RP id to @simplewebauthn, so a credential for another RP passes.
    registration = _registration(api)
    credential = make_webauthn_credential(registration.registration_options, origin=ORIGIN, rp_id="evil.example")
    assert _bind(api, registration.verification_record_id, credential, ORIGIN) == registration.verification_record_id


def test_webauthn_verify_needs_a_webauthn_record(api: py_logto.VerificationsApi) -> None:
    registration = _registration(api)
    credential = make_webauthn_credential(registration.registration_options, origin=ORIGIN)
    with pytest.raises(py_logto.BadRequestException) as caught:
        _bind(api, _password(api), credential)
    _assert_error(caught.value, 400, "verification_record.not_found")


# -- the clock --------------------------------------------------------------------------------


def test_injected_clock_drives_expiry() -> None:
    now = [START]
    with LogtoSandbox(clock=lambda: now[0]) as sandbox:
        user = sandbox.add_user(password=PASSWORD, email=EMAIL)
        with _api(sandbox, sandbox.issue_token(user)) as api:
            record_id = _send(api, _email())
            now[0] += 599.9
            assert _verify(api, _email(), record_id, _code_for(sandbox, record_id)) == record_id
            record = api.create_verification_by_password(
                py_logto.CreateVerificationByPasswordRequest(password=PASSWORD)
            )
            expected = datetime.fromtimestamp(now[0] + 600, timezone.utc).isoformat(timespec="milliseconds")
            assert record.expires_at == expected.replace("+00:00", "Z")
            assert sandbox.now() == now[0]
