"""The Account API on the sandbox, at the wire: the gates every route shares, then each route
family's rules as Logto 1.42 applies them."""

from __future__ import annotations

import re
from typing import Dict, Iterator, Tuple

import pytest

from py_logto.testing import LogtoSandbox, SandboxUser, make_webauthn_credential
from test._sandbox_wire import bearer, code_record, password_record, request, social_record

PASSWORD = "account-password-1"
EMAIL = "ada@example.com"
PHONE = "14155550123"
ORIGIN = "http://127.0.0.1:5173"
START = 1_800_000_000.0


@pytest.fixture
def sandbox() -> Iterator[LogtoSandbox]:
    with LogtoSandbox(clock=lambda: START) as sandbox:
        yield sandbox


@pytest.fixture
def user(sandbox: LogtoSandbox) -> SandboxUser:
    return sandbox.add_user(password=PASSWORD, email=EMAIL, phone=PHONE, username="ada")


@pytest.fixture
def token(sandbox: LogtoSandbox, user: SandboxUser) -> str:
    return sandbox.issue_token(user)


@pytest.fixture
def verified(sandbox: LogtoSandbox, token: str) -> Dict[str, str]:
    """Headers with the token and a fresh password record."""
    return bearer(token, **{"logto-verification-id": password_record(sandbox, token, PASSWORD)})


# -- the shared gates -------------------------------------------------------------------------


def test_token_gate(sandbox: LogtoSandbox, user: SandboxUser) -> None:
    cases = [
        ({}, 401, "auth.authorization_header_missing"),
        ({"Authorization": "Basic eDp5"}, 401, "auth.authorization_token_type_not_supported"),
        ({"Authorization": "Bearer nope"}, 401, "auth.unauthorized"),
        (bearer(sandbox.issue_token(user, scopes=["profile"])), 403, "auth.forbidden"),  # no openid
    ]
    for headers, status, code in cases:
        answer = request(sandbox, "GET", "/api/my-account", headers=headers)
        assert (answer.status, answer.code) == (status, code)
        assert "www-authenticate" not in answer.headers


def test_a_disabled_account_center_closes_every_route(sandbox: LogtoSandbox, token: str) -> None:
    assert sandbox.account_center().enabled
    sandbox.account_center(enabled=False)
    for method, path in [
        ("GET", "/api/my-account"),
        ("DELETE", "/api/my-account/primary-phone"),
        ("GET", "/api/my-account/sessions"),
        ("POST", "/api/verifications/password"),
        ("POST", "/api/verifications/web-authn/registration"),
    ]:
        answer = request(sandbox, method, path, {}, bearer(token))
        assert (answer.status, answer.json) == (
            400,
            {"code": "account_center.not_enabled", "message": "Account center is not enabled."},
        )
    # The token is still checked first.
    assert request(sandbox, "GET", "/api/my-account").code == "auth.authorization_header_missing"
    sandbox.account_center(enabled=True)
    assert request(sandbox, "GET", "/api/my-account", headers=bearer(token)).status == 200


def test_account_center_fields(sandbox: LogtoSandbox, token: str, verified: Dict[str, str]) -> None:
    settings = sandbox.account_center(fields={"email": "Off", "name": "ReadOnly", "customData": None})
    assert settings.fields["email"] == "Off"
    assert "customData" not in settings.fields
    profile = request(sandbox, "GET", "/api/my-account", headers=bearer(token)).json
    assert "primaryEmail" not in profile
    assert "customData" not in profile
    assert profile["name"] is None
    for method, path, body in [
        ("PATCH", "/api/my-account", {"name": "Ada"}),
        ("PATCH", "/api/my-account", {"customData": {}}),
        ("POST", "/api/my-account/primary-email", {"email": "x@example.com", "newIdentifierVerificationRecordId": "x"}),
        ("DELETE", "/api/my-account/primary-email", None),
    ]:
        answer = request(sandbox, method, path, body, verified)
        assert (answer.status, answer.code) == (400, "account_center.field_not_editable"), (method, path)
    sandbox.account_center(fields={"mfa": "Off", "session": "Off"})
    for path in ("/api/my-account/mfa-verifications", "/api/my-account/sessions", "/api/my-account/logto-configs"):
        assert request(sandbox, "GET", path, headers=verified).code == "account_center.field_not_enabled", path
    sandbox.account_center(fields={"passkey": "ReadOnly"})  # passkey no longer follows mfa
    assert request(sandbox, "GET", "/api/my-account/logto-configs", headers=verified).status == 200
    with pytest.raises(ValueError, match="unknown account center field"):
        sandbox.account_center(fields={"nickname": "Edit"})
    with pytest.raises(ValueError, match="is not one of"):
        sandbox.account_center(fields={"email": "Write"})
    assert sandbox.account_center(fields={"email": "Edit"}, replace_fields=True).fields == {"email": "Edit"}


@pytest.mark.parametrize(
    ("method", "path", "body", "scopes", "status", "code"),
    [
        ("PATCH", "/api/my-account", {"name": "x"}, ["openid"], 400, "auth.unauthorized"),
        ("PATCH", "/api/my-account/profile", {"address": {}}, ["openid", "profile"], 400, "auth.unauthorized"),
        ("DELETE", "/api/my-account/primary-phone", None, ["openid"], 400, "auth.unauthorized"),
        ("GET", "/api/my-account/mfa-verifications", None, ["openid"], 401, "auth.unauthorized"),
        ("GET", "/api/my-account/sessions", None, ["openid", "identities"], 401, "auth.unauthorized"),
        ("GET", "/api/my-account/identities/mock-social/access-token", None, ["openid"], 403, "auth.forbidden"),
    ],
)
def test_missing_scopes_get_the_status_of_their_route(
    sandbox: LogtoSandbox,
    user: SandboxUser,
    method: str,
    path: str,
    body: object,
    scopes: list,  # type: ignore[type-arg]
    status: int,
    code: str,
) -> None:
    token = sandbox.issue_token(user, scopes=scopes)
    headers = bearer(token, **{"logto-verification-id": password_record(sandbox, token, PASSWORD)})
    answer = request(sandbox, method, path, body, headers)  # type: ignore[arg-type]
    assert (answer.status, answer.code) == (status, code)


def test_third_party_tokens_read_but_do_not_write(sandbox: LogtoSandbox, user: SandboxUser, token: str) -> None:
    third_party = sandbox.issue_token(user, first_party=False)
    record = password_record(sandbox, token, PASSWORD)
    headers = bearer(third_party, **{"logto-verification-id": record})
    assert request(sandbox, "GET", "/api/my-account/sessions", headers=headers).status == 200
    assert (
        request(sandbox, "POST", "/api/my-account/mfa-verifications/totp-secret/generate", headers=headers).status
        == 200
    )
    answer = request(sandbox, "PATCH", "/api/my-account", {"name": "x"}, headers)
    assert (answer.status, answer.code) == (403, "auth.third_party_application_forbidden")
    # The verification routes (but the social ones) refuse third-party apps too.
    assert request(sandbox, "POST", "/api/verifications/password", {"password": PASSWORD}, headers).status == 403


def test_which_records_prove_who_the_user_is(sandbox: LogtoSandbox, user: SandboxUser, token: str) -> None:
    other = sandbox.add_user(password="other-password-1", username="other")
    other_token = sandbox.issue_token(other)

    def allowed(record_id: str) -> bool:
        answer = request(
            sandbox, "GET", "/api/my-account/sessions", headers=bearer(token, **{"logto-verification-id": record_id})
        )
        assert answer.status in (200, 401), answer.raw
        return answer.status == 200

    password = password_record(sandbox, token, PASSWORD)
    assert allowed(password)
    assert allowed(code_record(sandbox, token, "email", EMAIL))
    assert allowed(code_record(sandbox, token, "phone", PHONE))
    assert not allowed(code_record(sandbox, token, "email", EMAIL, template="BindMfa"))
    assert not allowed(code_record(sandbox, token, "email", "new@example.com"))
    assert not allowed(password_record(sandbox, other_token, "other-password-1"))
    assert not allowed(social_record(sandbox, token, {"userId": "s1"}))
    assert not allowed("")
    assert not allowed("no-such-record")
    unverified = request(
        sandbox,
        "POST",
        "/api/verifications/verification-code",
        {"identifier": {"type": "email", "value": EMAIL}},
        bearer(token),
    ).json["verificationRecordId"]
    assert not allowed(unverified)
    sandbox.expire_record(password)
    assert not allowed(password)


# -- profile ----------------------------------------------------------------------------------


def test_profile_by_scope(sandbox: LogtoSandbox, user: SandboxUser) -> None:
    openid_only = request(
        sandbox, "GET", "/api/my-account", headers=bearer(sandbox.issue_token(user, scopes=["openid"]))
    )
    assert openid_only.json == {"id": user.id, "hasSecurityVerificationMethod": True}
    full = request(sandbox, "GET", "/api/my-account", headers=bearer(sandbox.issue_token(user))).json
    assert list(full) == [
        "id",
        "username",
        "primaryEmail",
        "primaryPhone",
        "name",
        "avatar",
        "customData",
        "identities",
        "lastSignInAt",
        "createdAt",
        "updatedAt",
        "profile",
        "applicationId",
        "cimdClientId",
        "isSuspended",
        "hasPassword",
        "hasSecurityVerificationMethod",
    ]
    assert full["applicationId"] == sandbox.first_party_app.id


def test_patch_profile(sandbox: LogtoSandbox, user: SandboxUser, token: str, verified: Dict[str, str]) -> None:
    headers = bearer(token)
    body = request(
        sandbox, "PATCH", "/api/my-account", {"name": "Ada", "customData": {"theme": "dark", "n": 1}}, headers
    ).json
    assert (body["name"], list(body["customData"])) == ("Ada", ["n", "theme"])  # jsonb key order
    body = request(sandbox, "PATCH", "/api/my-account", {"customData": {"lang": "en"}}, headers).json
    assert body["customData"] == {"lang": "en"}  # replaced, not merged
    assert request(sandbox, "PATCH", "/api/my-account", {"name": None}, headers).json["name"] is None
    for empty in ({}, {"nickname": "x"}):
        assert request(sandbox, "PATCH", "/api/my-account", empty, headers).code == "entity.invalid_input"
    answer = request(sandbox, "PATCH", "/api/my-account", {"avatar": "not a url"}, headers)
    assert answer.json["data"]["issues"][0]["message"] == "Invalid url"
    assert request(sandbox, "PATCH", "/api/my-account", {"avatar": "mailto:a@b"}, headers).status == 200
    assert request(sandbox, "PATCH", "/api/my-account", {"username": "bob"}, headers).code == (
        "verification_record.permission_denied"
    )
    assert request(sandbox, "PATCH", "/api/my-account", {"username": "bob"}, verified).json["username"] == "bob"
    sandbox.add_user(username="taken")
    answer = request(sandbox, "PATCH", "/api/my-account", {"username": "taken"}, verified)
    assert (answer.status, answer.code) == (422, "user.username_already_in_use")
    answer = request(sandbox, "PATCH", "/api/my-account", {"username": "a" * 129}, verified)
    assert (answer.status, answer.code) == (422, "user.username_too_long")
    assert sandbox.user(user.id).username == "bob"


def test_patch_oidc_profile_merges_top_level_keys(sandbox: LogtoSandbox, token: str) -> None:
    headers = bearer(token)
    request(sandbox, "PATCH", "/api/my-account/profile", {"givenName": "Ada", "address": {"country": "GB"}}, headers)
    body = request(sandbox, "PATCH", "/api/my-account/profile", {"address": {"locality": "London"}, "x": 1}, headers)
    assert body.json == {"givenName": "Ada", "address": {"locality": "London"}}


def test_the_last_identifier_stays(sandbox: LogtoSandbox) -> None:
    lonely = sandbox.add_user(username="lonely", password=PASSWORD)
    token = sandbox.issue_token(lonely)
    headers = bearer(token, **{"logto-verification-id": password_record(sandbox, token, PASSWORD)})
    answer = request(sandbox, "PATCH", "/api/my-account", {"username": None}, headers)
    assert (answer.status, answer.code) == (400, "user.last_sign_in_method_required")
    assert request(sandbox, "DELETE", "/api/my-account/primary-email", headers=headers).status == 204  # none to delete


# -- password, email, phone -------------------------------------------------------------------


def test_password_change(sandbox: LogtoSandbox, user: SandboxUser, token: str, verified: Dict[str, str]) -> None:
    assert request(sandbox, "POST", "/api/my-account/password", {"password": "x"}, bearer(token)).status == 401
    answer = request(sandbox, "POST", "/api/my-account/password", {"password": "abc"}, verified)
    assert answer.json["data"] == [
        {"code": "password_rejected.too_short", "interpolation": {"min": 8}},
        {"code": "password_rejected.restricted.sequence"},
    ]
    assert request(sandbox, "POST", "/api/my-account/password", {"password": "adaadaada!"}, verified).json["data"] == [
        {"code": "password_rejected.restricted.user_info"}
    ]
    assert (
        request(sandbox, "POST", "/api/my-account/password", {"password": PASSWORD}, verified).code
        == "user.same_password"
    )
    assert request(sandbox, "POST", "/api/my-account/password", {"password": "new-secret-pass"}, verified).status == 204
    assert request(sandbox, "POST", "/api/verifications/password", {"password": PASSWORD}, bearer(token)).status == 422
    # A user with no password, email or phone sets a first password without a record.
    bare = sandbox.add_user(username="bare")
    answer = request(
        sandbox,
        "POST",
        "/api/my-account/password",
        {"password": "first-secret-pass"},
        bearer(sandbox.issue_token(bare)),
    )
    assert answer.status == 204


def test_email_change(sandbox: LogtoSandbox, user: SandboxUser, token: str, verified: Dict[str, str]) -> None:
    new = code_record(sandbox, token, "email", "new@example.com")
    body = {"email": "new@example.com", "newIdentifierVerificationRecordId": new}
    assert (
        request(sandbox, "POST", "/api/my-account/primary-email", body, bearer(token)).code
        == "verification_record.permission_denied"
    )
    for wrong in ({**body, "email": "NEW@example.com"}, {**body, "newIdentifierVerificationRecordId": "x"}):
        assert (
            request(sandbox, "POST", "/api/my-account/primary-email", wrong, verified).code
            == "verification_record.not_found"
        )
    answer = request(sandbox, "POST", "/api/my-account/primary-email", body, verified)
    assert (answer.status, answer.raw) == (204, b"")
    assert sandbox.user(user.id).email == "new@example.com"
    sandbox.add_user(email="Owner@Example.com")
    taken = code_record(sandbox, token, "email", "owner@example.com")
    answer = request(
        sandbox,
        "POST",
        "/api/my-account/primary-email",
        {"email": "owner@example.com", "newIdentifierVerificationRecordId": taken},
        verified,
    )
    assert (answer.status, answer.code) == (422, "user.email_already_in_use")  # compared case-insensitively
    assert request(sandbox, "DELETE", "/api/my-account/primary-email", headers=verified).status == 204
    assert sandbox.user(user.id).email is None


def test_phone_change_stores_logto_s_format(
    sandbox: LogtoSandbox, user: SandboxUser, token: str, verified: Dict[str, str]
) -> None:
    for sent, stored in (("64021386582", "6421386582"), ("123", "123")):
        record = code_record(sandbox, token, "phone", sent)
        body = {"phone": sent, "newIdentifierVerificationRecordId": record}
        assert request(sandbox, "POST", "/api/my-account/primary-phone", body, verified).status == 204
        assert sandbox.user(user.id).phone == stored
    record = code_record(sandbox, token, "phone", "99912345")
    answer = request(
        sandbox,
        "POST",
        "/api/my-account/primary-phone",
        {"phone": "99912345", "newIdentifierVerificationRecordId": record},
        verified,
    )
    assert (answer.status, answer.code) == (422, "user.invalid_phone")  # no such country code


# -- MFA --------------------------------------------------------------------------------------


def _generate(sandbox: LogtoSandbox, token: str, what: str) -> dict:  # type: ignore[type-arg]
    return request(sandbox, "POST", f"/api/my-account/mfa-verifications/{what}/generate", headers=bearer(token)).json  # type: ignore[no-any-return]


def test_totp_and_backup_codes(sandbox: LogtoSandbox, user: SandboxUser, token: str, verified: Dict[str, str]) -> None:
    path = "/api/my-account/mfa-verifications"
    secret = _generate(sandbox, token, "totp-secret")["secret"]
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    codes = _generate(sandbox, token, "backup-codes")["codes"]
    assert request(sandbox, "POST", path, {"type": "BackupCode", "codes": codes}, verified).code == (
        "session.mfa.backup_code_can_not_be_alone"
    )
    assert request(sandbox, "POST", path, {"type": "Totp", "secret": secret, "code": "000000"}, verified).code == (
        "session.mfa.invalid_totp_code"
    )
    assert (
        request(
            sandbox, "POST", path, {"type": "Totp", "secret": secret, "code": sandbox.totp_code(secret)}, verified
        ).status
        == 204
    )
    assert (
        request(sandbox, "POST", path, {"type": "Totp", "secret": secret}, verified).code == "user.totp_already_in_use"
    )
    assert request(sandbox, "POST", path, {"type": "BackupCode", "codes": codes}, verified).status == 204
    sandbox.use_backup_code(user, codes[0])
    with pytest.raises(LookupError):
        sandbox.use_backup_code(user, codes[0])  # single use
    backup = request(sandbox, "GET", f"{path}/backup-codes", headers=verified).json["codes"]
    assert backup[0]["usedAt"].endswith("Z")
    assert "usedAt" not in backup[1]
    listing = request(sandbox, "GET", path, headers=bearer(token)).json
    assert [(f["type"], f.get("remainCodes")) for f in listing] == [("Totp", None), ("BackupCode", 9)]
    config = request(sandbox, "GET", "/api/my-account/logto-configs", headers=bearer(token)).json
    assert config["mfa"]["enabled"] is True
    # Replace the TOTP factor; a code one step old still counts.
    new_secret = _generate(sandbox, token, "totp-secret")["secret"]
    body = {"secret": new_secret, "code": sandbox.totp_code(new_secret, offset=-1)}
    assert request(sandbox, "PUT", f"{path}/totp", body, verified).status == 204
    totp = [f for f in sandbox.user(user.id).mfa_verifications if f["type"] == "Totp"]
    assert [f["key"] for f in totp] == [new_secret]
    sandbox.sign_in_experience(mfa_factors=["WebAuthn"])
    assert request(sandbox, "PUT", f"{path}/totp", body, verified).code == "session.mfa.mfa_factor_not_enabled"


def test_webauthn_factors(sandbox: LogtoSandbox, user: SandboxUser, token: str, verified: Dict[str, str]) -> None:
    options = request(sandbox, "POST", "/api/verifications/web-authn/registration", headers=bearer(token)).json
    credential = make_webauthn_credential(options["registrationOptions"], origin=ORIGIN)
    verify_body = {"verificationRecordId": options["verificationRecordId"], "payload": credential}
    headers = bearer(token, Origin=ORIGIN, **{"User-Agent": "Test Browser"})
    assert (
        request(sandbox, "POST", "/api/verifications/web-authn/registration/verify", verify_body, headers).status == 200
    )
    body = {"type": "WebAuthn", "newIdentifierVerificationRecordId": options["verificationRecordId"], "name": "Key"}
    assert request(sandbox, "POST", "/api/my-account/mfa-verifications", body, verified).status == 204
    factor = request(sandbox, "GET", "/api/my-account/mfa-verifications", headers=bearer(token)).json[0]
    assert (factor["type"], factor["agent"], factor["name"]) == ("WebAuthn", "Test Browser", "Key")
    rename = request(sandbox, "PATCH", f"/api/my-account/mfa-verifications/{factor['id']}/name", {"name": ""}, verified)
    assert (rename.status, rename.headers["content-type"], rename.raw) == (200, "text/plain; charset=utf-8", b"OK")
    again = request(sandbox, "POST", "/api/verifications/web-authn/registration", headers=bearer(token)).json
    assert again["registrationOptions"]["excludeCredentials"] == [
        {"type": "public-key", "id": credential["id"], "transports": ["internal"]}
    ]
    assert (
        request(sandbox, "DELETE", f"/api/my-account/mfa-verifications/{factor['id']}", headers=verified).status == 204
    )
    assert request(sandbox, "DELETE", f"/api/my-account/mfa-verifications/{factor['id']}", headers=verified).code == (
        "verification_record.not_found"
    )


# -- social identities and stored tokens ------------------------------------------------------


def test_link_replace_unlink(sandbox: LogtoSandbox, user: SandboxUser, token: str, verified: Dict[str, str]) -> None:
    path = "/api/my-account/identities"
    first = social_record(
        sandbox,
        token,
        {"userId": "g-1", "email": "a@g.example", "tokenResponse": {"access_token": "at-1", "expires_in": 60}},
    )
    assert request(sandbox, "POST", path, {"newIdentifierVerificationRecordId": first}, bearer(token)).status == 401
    assert request(sandbox, "POST", path, {"newIdentifierVerificationRecordId": first}, verified).status == 204
    identity = sandbox.user(user.id).identities["mock-social"]
    assert identity["userId"] == "g-1"
    assert list(identity["details"]) == ["id", "email", "rawData"]
    answer = request(sandbox, "POST", path, {"newIdentifierVerificationRecordId": first}, verified)
    assert (answer.status, answer.code) == (400, "user.identity_already_in_use")
    access = request(sandbox, "GET", f"{path}/mock-social/access-token", headers=bearer(token)).json
    assert access == {"access_token": "at-1", "expires_in": 60}
    sandbox.advance(61)
    expired = request(sandbox, "GET", f"{path}/mock-social/access-token", headers=bearer(token))
    assert (expired.status, expired.code) == (401, "secrets.third_party_token_set.access_token_expired")
    assert request(sandbox, "GET", f"{path}/mock-social/access-token", headers=bearer(token)).status == 404
    second = social_record(sandbox, token, {"userId": "g-2", "tokenResponse": {"access_token": "at-2"}})
    assert request(sandbox, "PUT", path, {"newIdentifierVerificationRecordId": second}, verified).status == 204
    refreshed = request(
        sandbox, "PUT", f"{path}/mock-social/access-token", {"verificationRecordId": second}, bearer(token)
    )
    assert refreshed.json == {"access_token": "at-2"}
    mismatch = request(sandbox, "PUT", f"{path}/github/access-token", {"verificationRecordId": second}, bearer(token))
    assert mismatch.json["message"] == "Invalid verification record. Expected github but got mock-social."
    other = sandbox.add_user(username="other")
    taken = social_record(sandbox, sandbox.issue_token(other), {"userId": "g-2"})
    answer = request(
        sandbox, "POST", path, {"newIdentifierVerificationRecordId": taken}, bearer(sandbox.issue_token(other))
    )
    assert (answer.status, answer.code) == (422, "user.identity_already_in_use")
    assert request(sandbox, "DELETE", f"{path}/mock-social", headers=verified).status == 204
    assert request(sandbox, "DELETE", f"{path}/mock-social", headers=verified).code == "user.identity_not_exist"


def test_seeded_token_sets(sandbox: LogtoSandbox, user: SandboxUser, token: str) -> None:
    sandbox.set_social_token(user, "at", scope="profile", token_type="Bearer", expires_in=-1, refresh_token="rt")
    answer = request(sandbox, "GET", "/api/my-account/identities/mock-social/access-token", headers=bearer(token))
    assert (answer.status, answer.code) == (422, "connector.token_storage_not_supported")
    sandbox.set_sso_token(user, "sso-1", "sso-token", scope="openid")
    answer = request(sandbox, "GET", "/api/my-account/sso-identities/sso-1/access-token", headers=bearer(token))
    assert answer.json == {"access_token": "sso-token", "scope": "openid"}


# -- sessions and grants ----------------------------------------------------------------------


def test_sessions_and_grants(sandbox: LogtoSandbox, user: SandboxUser, token: str) -> None:
    record = password_record(sandbox, token, PASSWORD)
    headers = bearer(token, **{"logto-verification-id": record})
    second = sandbox.sign_in(user)
    third_party = sandbox.sign_in(user, first_party=False)
    sessions = request(sandbox, "GET", "/api/my-account/sessions", headers=headers).json["sessions"]
    assert [s["isCurrent"] for s in sessions] == [True, False, False]
    assert len(sandbox.sessions(user)) == 3
    grants = request(sandbox, "GET", "/api/my-account/grants?appType=thirdParty", headers=headers).json["grants"]
    assert [g["application"]["name"] for g in grants] == [sandbox.third_party_app.name]
    unknown = request(sandbox, "DELETE", "/api/my-account/sessions/nope", headers=headers)
    assert (unknown.status, unknown.json["data"]) == (400, {"status": 404})  # Logto's status slip
    gone = request(
        sandbox,
        "DELETE",
        f"/api/my-account/sessions/{second.session_id}?revokeGrantsTarget=firstParty",
        headers=headers,
    )
    assert gone.status == 204
    assert request(sandbox, "GET", "/api/my-account", headers=bearer(second.token)).code == "auth.unauthorized"
    assert request(sandbox, "DELETE", f"/api/my-account/grants/{third_party.grant_id}", headers=headers).status == 204
    assert request(sandbox, "GET", "/api/my-account", headers=bearer(third_party.token)).code == "auth.unauthorized"
    assert request(sandbox, "DELETE", f"/api/my-account/grants/{third_party.grant_id}", headers=headers).status == 404
    # Deleting one's own session without revoking grants leaves the token working.
    current = sessions[0]["payload"]["uid"]
    assert request(sandbox, "DELETE", f"/api/my-account/sessions/{current}", headers=headers).status == 204
    assert request(sandbox, "GET", "/api/my-account", headers=bearer(token)).status == 200
    sandbox.advance(15 * 24 * 3600)  # sessions live 14 days
    assert sandbox.sessions(user) == []


# -- avatar -----------------------------------------------------------------------------------

_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20 + b"IEND\xaeB`\x82"


def _multipart(
    content: bytes, *, name: str = "file", filename: str = "me.png", kind: str = "image/png"
) -> Tuple[bytes, Dict[str, str]]:
    boundary = "sandbox-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_avatar_upload_is_served_back(sandbox: LogtoSandbox, token: str) -> None:
    body, headers = _multipart(_PNG, filename="my face.png")
    answer = request(sandbox, "POST", "/api/my-account/user-assets/avatar", body, {**bearer(token), **headers})
    url = answer.json["url"]
    assert re.fullmatch(
        rf"{re.escape(sandbox.url)}/user-assets/default/\w+/\d{{4}}/\d\d/\d\d/\w{{8}}-my-face\.png", url
    )
    served = request(sandbox, "GET", url[len(sandbox.url) :])
    assert (served.status, served.headers["content-type"], served.raw) == (200, "image/png", _PNG)
    assert [asset.url for asset in sandbox.assets] == [url]
    for content, kind in ((b"hello", "image/png"), (b"<svg/>", "image/svg+xml"), (_PNG[:-1], "image/png")):
        body, headers = _multipart(content, kind=kind)
        answer = request(sandbox, "POST", "/api/my-account/user-assets/avatar", body, {**bearer(token), **headers})
        assert answer.code == "guard.mime_type_not_allowed"
    body, headers = _multipart(_PNG, name="avatar")
    answer = request(sandbox, "POST", "/api/my-account/user-assets/avatar", body, {**bearer(token), **headers})
    assert answer.json["message"] == "The request files is invalid."
    sandbox.avatar_storage = False
    body, headers = _multipart(_PNG)
    answer = request(sandbox, "POST", "/api/my-account/user-assets/avatar", body, {**bearer(token), **headers})
    assert answer.code == "storage.not_configured"


# -- HTTP details -----------------------------------------------------------------------------


def test_etag_and_304(sandbox: LogtoSandbox, token: str) -> None:
    first = request(sandbox, "GET", "/api/my-account", headers=bearer(token))
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]+-[A-Za-z0-9+/]{27}"', etag)
    cached = request(sandbox, "GET", "/api/my-account", headers=bearer(token, **{"If-None-Match": etag}))
    assert (cached.status, cached.raw, cached.headers["etag"]) == (304, b"", etag)
    assert "content-type" not in cached.headers
    no_cache = bearer(token, **{"If-None-Match": etag, "Cache-Control": "no-cache"})
    assert request(sandbox, "GET", "/api/my-account", headers=no_cache).status == 200
    request(sandbox, "PATCH", "/api/my-account", {"name": "changed"}, bearer(token))
    assert request(sandbox, "GET", "/api/my-account", headers=bearer(token, **{"If-None-Match": etag})).status == 200
    head = request(sandbox, "HEAD", "/api/my-account", headers=bearer(token))
    assert (head.status, head.raw, "etag" in head.headers) == (200, b"", False)


def test_routing_and_cors(sandbox: LogtoSandbox, token: str) -> None:
    assert request(sandbox, "GET", "/api/my-account/unknown", headers=bearer(token)).raw == b"Not Found"
    answer = request(sandbox, "DELETE", "/api/my-account", headers=bearer(token))
    assert (answer.status, answer.headers["allow"]) == (405, "HEAD, GET, PATCH")
    assert request(sandbox, "GET", "/API/my-account", headers=bearer(token)).status == 404  # /api is case-sensitive
    assert request(sandbox, "GET", "/api/My-Account/", headers=bearer(token)).status == 200
    preflight = request(
        sandbox,
        "OPTIONS",
        "/api/my-account/primary-email",
        headers={
            "Origin": "https://app.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,logto-verification-id",
        },
    )
    assert (preflight.status, preflight.headers["access-control-allow-origin"]) == (204, "https://app.example.com")
    assert preflight.headers["access-control-allow-headers"] == "authorization,logto-verification-id"
    assert "access-control-expose-headers" not in preflight.headers
    # Logto allows any origin below /api/my-account and /api/verifications, and sends no CORS headers elsewhere.
    assert (
        request(sandbox, "GET", "/api/my-account", headers=bearer(token)).headers["access-control-allow-origin"] == "*"
    )
    for path in ("/api/users", "/api/My-Account", "/unknown"):
        answer = request(sandbox, "GET", path, headers={"Origin": "https://app.example.com"})
        assert "access-control-allow-origin" not in answer.headers, path
