"""The Account API through the SDK's ``MyAccountApi`` against the sandbox: the flows an app
builds on it, and how the sandbox's answers come out of the client (models, ``None`` for
204, ``ApiException`` with Logto's code, 304 after ``If-None-Match``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import pytest

import py_logto
from py_logto.testing import LogtoSandbox, SandboxUser

PASSWORD = "account-password-1"
EMAIL = "ada@example.com"
START = 1_800_000_000.0  # 2027-01-15T08:00:00Z
_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20 + b"IEND\xaeB`\x82"


@dataclass
class Client:
    """One signed-in user's two APIs over one connection pool."""

    account: py_logto.MyAccountApi
    verifications: py_logto.VerificationsApi

    def password_record(self, password: str = PASSWORD) -> str:
        request = py_logto.CreateVerificationByPasswordRequest(password=password)
        return self.verifications.create_verification_by_password(request).verification_record_id

    def email_record(self, sandbox: LogtoSandbox, email: str) -> str:
        identifier = py_logto.EmailVerificationCodeIdentifier(type="email", value=email)
        record = self.verifications.create_verification_by_verification_code(
            py_logto.CreateVerificationByVerificationCodeRequest(identifier=identifier)
        ).verification_record_id
        message = sandbox.last_message(email)
        self.verifications.verify_verification_by_verification_code(
            py_logto.VerifyVerificationCodeVerificationRequest(
                identifier=identifier, verification_id=record, code=message.code
            )
        )
        return record

    def social_record(self, sandbox: LogtoSandbox, social_user_id: str, access_token: str) -> str:
        assert sandbox.social_connector is not None
        record = self.verifications.create_verification_by_social(
            py_logto.CreateVerificationBySocialRequest(
                connector_id=sandbox.social_connector.id, state="s", redirect_uri="https://app.example.com/cb"
            )
        ).verification_record_id
        connector_data = {"code": "c", "userId": social_user_id, "tokenResponse": {"access_token": access_token}}
        self.verifications.verify_verification_by_social(
            py_logto.VerifyVerificationBySocialRequest(verification_record_id=record, connector_data=connector_data)
        )
        return record


@pytest.fixture
def sandbox() -> Iterator[LogtoSandbox]:
    with LogtoSandbox(clock=lambda: START) as sandbox:
        yield sandbox


@pytest.fixture
def user(sandbox: LogtoSandbox) -> SandboxUser:
    return sandbox.add_user(password=PASSWORD, email=EMAIL, username="ada", name="Ada")


def _client(sandbox: LogtoSandbox, token: str) -> Iterator[Client]:
    configuration = py_logto.Configuration(host=sandbox.url)
    configuration.access_token = token
    with py_logto.ApiClient(configuration) as api_client:
        yield Client(py_logto.MyAccountApi(api_client), py_logto.VerificationsApi(api_client))


@pytest.fixture
def client(sandbox: LogtoSandbox, user: SandboxUser) -> Iterator[Client]:
    yield from _client(sandbox, sandbox.issue_token(user))


def test_profile_read_and_write(sandbox: LogtoSandbox, user: SandboxUser, client: Client) -> None:
    profile = client.account.get_profile()
    assert (profile.id, profile.username, profile.name, profile.primary_email) == (user.id, "ada", "Ada", EMAIL)
    changed = client.account.update_profile(py_logto.UpdateProfileRequest(name="Ada L."))
    assert changed.name == "Ada L."
    other = client.account.update_other_profile({"givenName": "Ada", "familyName": "Lovelace"})
    assert (other.given_name, other.family_name) == ("Ada", "Lovelace")
    assert sandbox.user(user.id).profile == {"givenName": "Ada", "familyName": "Lovelace"}
    # Changing the username needs a record that proves who the user is.
    with pytest.raises(py_logto.ApiException) as caught:
        client.account.update_profile({"username": "ada2"})
    assert (caught.value.status, caught.value.code) == (401, "verification_record.permission_denied")
    client.account.update_profile({"username": "ada2"}, logto_verification_id=client.password_record())
    assert sandbox.user(user.id).username == "ada2"


def test_email_change(sandbox: LogtoSandbox, user: SandboxUser, client: Client) -> None:
    proof = client.password_record()
    new = client.email_record(sandbox, "new@example.com")
    request = py_logto.UpdatePrimaryEmailRequest(email="new@example.com", new_identifier_verification_record_id=new)
    client.account.update_primary_email(proof, request)  # 204: returns None
    assert client.account.get_profile().primary_email == "new@example.com"
    other = client.email_record(sandbox, "other@example.com")
    with pytest.raises(py_logto.ApiException) as caught:  # the record is for another address
        client.account.update_primary_email(
            proof, {"email": "new2@example.com", "newIdentifierVerificationRecordId": other}
        )
    assert (caught.value.status, caught.value.code) == (400, "verification_record.not_found")
    client.account.delete_primary_email(proof)
    assert sandbox.user(user.id).email is None


def test_password_change(sandbox: LogtoSandbox, user: SandboxUser, client: Client) -> None:
    proof = client.password_record()
    with pytest.raises(py_logto.ApiException) as caught:
        client.account.update_password({"password": "abc"}, proof)
    assert (caught.value.status, caught.value.code) == (422, "password.rejected")
    assert caught.value.data is not None
    assert caught.value.data.data == [
        {"code": "password_rejected.too_short", "interpolation": {"min": 8}},
        {"code": "password_rejected.restricted.sequence"},
    ]
    client.account.update_password(py_logto.UpdatePasswordRequest(password="a-new-secret-9"), proof)
    with pytest.raises(py_logto.ApiException) as caught:
        client.password_record(PASSWORD)
    assert caught.value.code == "session.invalid_credentials"
    assert client.password_record("a-new-secret-9")


def test_totp_and_backup_codes(sandbox: LogtoSandbox, user: SandboxUser, client: Client) -> None:
    proof = client.password_record()
    secret = client.account.generate_totp_secret().secret
    client.account.add_mfa_verification(
        proof, py_logto.AddTotpMfaVerificationRequest(type="Totp", secret=secret, code=sandbox.totp_code(secret))
    )
    codes = client.account.generate_my_account_backup_codes().codes
    client.account.add_mfa_verification(proof, {"type": "BackupCode", "codes": codes})
    factors = client.account.get_mfa_verifications()
    assert [factor.type for factor in factors] == ["Totp", "BackupCode"]
    sandbox.use_backup_code(user, codes[0])
    statuses = client.account.get_backup_codes(proof).codes
    assert [status.code for status in statuses] == codes
    assert statuses[0].used_at is not None
    assert statuses[1].used_at is None
    assert client.account.get_logto_config().mfa.enabled is True
    # A new secret replaces the old one; a wrong code is refused first.
    new_secret = client.account.generate_totp_secret().secret
    with pytest.raises(py_logto.ApiException) as caught:
        client.account.create_or_replace_totp_mfa_verification(proof, {"secret": new_secret, "code": "000000"})
    assert (caught.value.status, caught.value.code) == (400, "session.mfa.invalid_totp_code")
    client.account.create_or_replace_totp_mfa_verification(
        proof, py_logto.CreateOrReplaceTotpMfaVerificationRequest(secret=new_secret, code=sandbox.totp_code(new_secret))
    )
    totp = next(factor for factor in client.account.get_mfa_verifications() if factor.type == "Totp")
    client.account.delete_mfa_verification(totp.id, proof)
    assert [factor.type for factor in client.account.get_mfa_verifications()] == ["BackupCode"]


def test_social_link_token_and_unlink(sandbox: LogtoSandbox, user: SandboxUser, client: Client) -> None:
    proof = client.password_record()
    linked = client.social_record(sandbox, "g-1", "at-1")
    client.account.add_user_identities(
        py_logto.AddUserIdentitiesRequest(new_identifier_verification_record_id=linked), proof
    )
    identities = client.account.get_profile().identities
    assert identities is not None
    assert identities["mock-social"].user_id == "g-1"
    assert client.account.get_social_identity_access_token("mock-social").access_token == "at-1"
    fresh = client.social_record(sandbox, "g-1", "at-2")
    stored = client.account.update_social_identity_access_token_by_verification_id(
        "mock-social", {"verificationRecordId": fresh}
    )
    assert stored.access_token == "at-2"
    client.account.delete_identity("mock-social", proof)
    with pytest.raises(py_logto.ApiException) as caught:
        client.account.delete_identity("mock-social", proof)
    assert (caught.value.status, caught.value.code) == (404, "user.identity_not_exist")
    sandbox.set_sso_token(user, "corporate-sso", "sso-at")
    assert client.account.get_enterprise_sso_identity_access_token("corporate-sso").access_token == "sso-at"


def test_sessions_list_and_revoke(sandbox: LogtoSandbox, user: SandboxUser) -> None:
    current = sandbox.sign_in(user)
    laptop = sandbox.sign_in(user, user_agent="Laptop")
    third_party = sandbox.sign_in(user, first_party=False)
    for client in _client(sandbox, current.token):
        proof = client.password_record()
        sessions = client.account.get_sessions(proof).sessions
        assert [session.is_current for session in sessions] == [True, False, False]
        assert sessions[1].last_submission is not None
        client.account.delete_session_by_id(laptop.session_id, proof, revoke_grants_target="all")
        assert [s.payload.uid for s in client.account.get_sessions(proof).sessions] == [
            current.session_id,
            third_party.session_id,
        ]
        grants = client.account.get_grants(proof, app_type="thirdParty").grants
        assert [grant.id for grant in grants] == [third_party.grant_id]
        client.account.delete_grant_by_id(third_party.grant_id, proof)
        assert client.account.get_grants(proof, app_type="thirdParty").grants == []
    for revoked in (laptop, third_party):
        for client in _client(sandbox, revoked.token):
            with pytest.raises(py_logto.UnauthorizedException) as caught:
                client.account.get_profile()
            assert caught.value.code == "auth.unauthorized"


def test_avatar_upload(sandbox: LogtoSandbox, client: Client) -> None:
    url = client.account.upload_account_avatar(("me.png", _PNG, "image/png")).url
    assert url.startswith(f"{sandbox.url}/user-assets/")
    assert [asset.content for asset in sandbox.assets] == [_PNG]
    assert client.account.update_profile({"avatar": url}).avatar == url
    with pytest.raises(py_logto.ApiException) as caught:
        client.account.upload_account_avatar(("notes.txt", b"hello", "text/plain"))
    assert (caught.value.status, caught.value.code) == (400, "guard.mime_type_not_allowed")


def test_not_modified_after_if_none_match(client: Client) -> None:
    first = client.account.get_profile_with_http_info()
    etag = first.headers["ETag"]
    cached = client.account.get_profile_with_http_info(_headers={"If-None-Match": etag})
    assert (cached.status_code, cached.raw_data) == (304, b"")
    assert cached.data is None
    client.account.update_profile({"name": "changed"})
    again = client.account.get_profile_with_http_info(_headers={"If-None-Match": etag})
    assert (again.status_code, again.data.name) == (200, "changed")


def test_errors_map_to_the_sdk_s_exceptions(sandbox: LogtoSandbox, user: SandboxUser, client: Client) -> None:
    for token, kind, code in (
        ("not-a-token", py_logto.UnauthorizedException, "auth.unauthorized"),
        (sandbox.issue_token(user, scopes=["profile"]), py_logto.ForbiddenException, "auth.forbidden"),
        (
            sandbox.issue_token(user, first_party=False),
            py_logto.ForbiddenException,
            "auth.third_party_application_forbidden",
        ),
    ):
        for other in _client(sandbox, token):
            with pytest.raises(kind) as caught:
                other.account.update_other_profile({"nickname": "x"})
            assert caught.value.code == code
            assert token not in repr(caught.value)
    sandbox.account_center(enabled=False)
    with pytest.raises(py_logto.BadRequestException) as bad:
        client.account.get_profile()
    assert (bad.value.code, bad.value.message) == ("account_center.not_enabled", "Account center is not enabled.")
