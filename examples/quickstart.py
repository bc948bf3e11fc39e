"""Run Logto's user API end to end with py_logto, printing each step: the verification flows
(password, email code, SMS code, social sign-in, a passkey), then the Account API changes they
unlock (read the profile, change the primary email and the password, bind an authenticator app
and backup codes, link and unlink a social account, upload an avatar, sign out other sessions).

By default it starts the sandbox that ships with the package (``py_logto.testing``) in this
process, so it needs nothing else::

    python examples/quickstart.py

To run it against a real Logto, set the endpoint and a signed-in user's access token (an opaque
token with the ``openid`` scope, issued to a first-party app), plus what each flow needs; a flow
whose variables are missing is skipped::

    LOGTO_ENDPOINT=https://your-tenant.logto.app   LOGTO_ACCESS_TOKEN=...
    LOGTO_PASSWORD=...                 the user's password
    LOGTO_EMAIL=jane@example.com       an email to send a code to (typed in when asked)
    LOGTO_PHONE=15551234567            a phone number, digits only, country code first
    LOGTO_SOCIAL_CONNECTOR_ID=...      a social connector's id; you then sign in with the URL
                                       printed and paste the URL you are sent back to
    LOGTO_REDIRECT_URI=...             the redirect URI registered with that connector
    LOGTO_SOCIAL_STATE, LOGTO_SOCIAL_CALLBACK_URL   to script the social step instead

The Account API steps change the user's account, so on a real Logto each runs only when asked
for (reading the profile always runs). They need the token's scopes (``email``, ``identities``,
``urn:logto:scope:sessions``, ...), the account center enabled, and LOGTO_PASSWORD (the password
record is the identity proof the changes need)::

    LOGTO_NEW_EMAIL=jane.new@example.com   change the primary email (a code is sent there)
    LOGTO_BIND_TOTP=1                      bind an authenticator app (you type its code) and backup codes
    LOGTO_SIGN_OUT_OTHERS=1                revoke the user's other sessions

Exits with 0 when every flow it ran succeeded.
"""

from __future__ import annotations

import os
import secrets
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qsl, urlsplit

import py_logto

PASSKEY_ORIGIN = "http://localhost:5173"  # the web app the passkey is created for


@dataclass
class Target:
    """Where to run the flows, and how to get what only the user would know."""

    host: str
    access_token: str
    password: Optional[str]
    email: Optional[str]
    phone: Optional[str]
    social_connector_id: Optional[str]
    redirect_uri: str
    read_code: Callable[[str, str], str]  # (recipient, verification record id) -> code
    social_callback: Callable[[str, str], Dict[str, str]]  # (authorization URI, state) -> connector data
    make_passkey: Optional[Callable[[py_logto.WebAuthnRegistrationOptions], Dict[str, object]]] = None
    # The Account API steps (None: skipped)
    new_email: Optional[str] = None
    totp_code: Optional[Callable[[str], str]] = None  # secret -> the code the authenticator app shows
    new_password: Optional[str] = None
    link_social: bool = False
    avatar: Optional[bytes] = None
    sign_out_others: bool = False


def sandbox_target(stack: ExitStack) -> Target:
    """Start the built-in sandbox with a demo user; codes are read from its outbox."""
    from py_logto.testing import LogtoSandbox, make_webauthn_credential

    sandbox = stack.enter_context(LogtoSandbox())
    user = sandbox.add_user(password="demo-password-1", email="jane@example.com", phone="15551234567")
    social = sandbox.social_connector
    sandbox.sign_in(user, user_agent="a phone")  # another session, for the sign-out step
    print(f"Started the Logto sandbox at {sandbox.url} with user {user.email}")

    def read_code(recipient: str, record_id: str) -> str:
        message = next(m for m in sandbox.outbox if m.verification_record_id == record_id)
        print(f"   (sandbox outbox: {message.channel} to {message.recipient}, code {message.code})")
        return message.code

    def social_callback(authorization_uri: str, state: str) -> Dict[str, str]:
        # What the identity provider would append to the redirect URI after the user signs in.
        return {"code": "authorization-code-from-the-provider", "state": state}

    return Target(
        host=sandbox.url,
        access_token=sandbox.issue_token(user),
        password=user.password,
        email=user.email,
        phone=user.phone,
        social_connector_id=social.id if social else None,
        redirect_uri="http://localhost:5173/callback",
        read_code=read_code,
        social_callback=social_callback,
        make_passkey=lambda options: make_webauthn_credential(options, origin=PASSKEY_ORIGIN),
        new_email="jane.new@example.com",
        totp_code=sandbox.totp_code,  # what the user's authenticator app would show
        new_password="a-new-passphrase-42",
        link_social=social is not None,
        avatar=_TINY_PNG,
        sign_out_others=True,
    )


def logto_target() -> Target:
    """A real Logto, configured from the environment; the user types codes in."""
    env = os.environ

    def read_code(recipient: str, record_id: str) -> str:
        return input(f"   code sent to {recipient}: ").strip()

    def social_callback(authorization_uri: str, state: str) -> Dict[str, str]:
        callback = env.get("LOGTO_SOCIAL_CALLBACK_URL") or input(
            "   sign in there, then paste the URL you were redirected to: "
        )
        data = dict(parse_qsl(urlsplit(callback.strip()).query))
        if data.get("state") != state:
            raise SystemExit("the callback's state does not match the one sent: not continuing")
        return data

    def totp_code(secret: str) -> str:
        print(f"   add this secret to your authenticator app: {secret}")
        return input("   the code it shows: ").strip()

    print(f"Using the Logto at {env['LOGTO_ENDPOINT']}")
    return Target(
        host=env["LOGTO_ENDPOINT"],
        access_token=env["LOGTO_ACCESS_TOKEN"],
        password=env.get("LOGTO_PASSWORD"),
        email=env.get("LOGTO_EMAIL"),
        phone=env.get("LOGTO_PHONE"),
        social_connector_id=env.get("LOGTO_SOCIAL_CONNECTOR_ID"),
        redirect_uri=env.get("LOGTO_REDIRECT_URI", "http://localhost:3000/callback"),
        read_code=read_code,
        social_callback=social_callback,
        new_email=env.get("LOGTO_NEW_EMAIL"),
        totp_code=totp_code if env.get("LOGTO_BIND_TOTP") == "1" else None,
        sign_out_others=env.get("LOGTO_SIGN_OUT_OTHERS") == "1",
    )


#: A 1x1 PNG, the avatar uploaded on the sandbox.
_TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db20000000049454e44ae426082"
)


def password_flow(api: py_logto.VerificationsApi, target: Target) -> None:
    assert target.password is not None
    record = api.create_verification_by_password(py_logto.CreateVerificationByPasswordRequest(password=target.password))
    print(f"   verified: record {record.verification_record_id}, valid until {record.expires_at}")
    if target.make_passkey is not None:  # only on the sandbox: a wrong try counts towards a lockout
        try:
            api.create_verification_by_password(py_logto.CreateVerificationByPasswordRequest(password="not-it"))
        except py_logto.ApiException as error:
            print(f"   a wrong password is refused: {error.status} {error.code} (request id {error.request_id})")


def code_flow(api: py_logto.VerificationsApi, target: Target, channel: str) -> None:
    identifier: py_logto.VerificationCodeIdentifierInput
    if channel == "email":
        assert target.email is not None
        identifier = py_logto.EmailVerificationCodeIdentifier(type="email", value=target.email)
    else:
        assert target.phone is not None
        identifier = py_logto.PhoneVerificationCodeIdentifier(type="phone", value=target.phone)
    sent = api.create_verification_by_verification_code(
        py_logto.CreateVerificationByVerificationCodeRequest(identifier=identifier)
    )
    print(f"   code sent: record {sent.verification_record_id}, valid until {sent.expires_at}")
    code = target.read_code(identifier.value, sent.verification_record_id)
    verified = api.verify_verification_by_verification_code(
        py_logto.VerifyVerificationCodeVerificationRequest(
            identifier=identifier, verification_id=sent.verification_record_id, code=code
        )
    )
    print(f"   verified: record {verified.verification_record_id}")


def social_flow(api: py_logto.VerificationsApi, target: Target) -> None:
    assert target.social_connector_id is not None
    state = os.environ.get("LOGTO_SOCIAL_STATE") or secrets.token_urlsafe(16)
    created = api.create_verification_by_social(
        py_logto.CreateVerificationBySocialRequest(
            connector_id=target.social_connector_id, state=state, redirect_uri=target.redirect_uri
        )
    )
    print(f"   record {created.verification_record_id}; sign in at {created.authorization_uri}")
    connector_data = target.social_callback(created.authorization_uri, state)
    verified = api.verify_verification_by_social(
        py_logto.VerifyVerificationBySocialRequest(
            verification_record_id=created.verification_record_id, connector_data=connector_data
        )
    )
    print(f"   verified: record {verified.verification_record_id}")


def passkey_flow(api: py_logto.VerificationsApi, target: Target) -> None:
    registration = api.generate_web_authn_registration_options()
    options = registration.registration_options
    print(
        f"   record {registration.verification_record_id}; relying party {options.rp.id}, challenge {options.challenge}"
    )
    if target.make_passkey is None:
        print("   (creating the passkey needs a browser: pass these options to navigator.credentials.create())")
        return
    credential = target.make_passkey(options)
    verified = api.verify_web_authn_registration(
        py_logto.VerifyWebAuthnRegistrationRequest(
            verification_record_id=registration.verification_record_id,
            payload=py_logto.BindWebAuthnPayload.from_dict(credential),
        ),
        _headers={"Origin": PASSKEY_ORIGIN},
    )
    print(f"   verified: record {verified.verification_record_id}")


# -- the Account API: what a verification record unlocks -------------------------------------


def prove_identity(api: py_logto.VerificationsApi, target: Target) -> str:
    """A fresh identity record (password): the logto_verification_id of the changes below."""
    assert target.password is not None
    return api.create_verification_by_password(
        py_logto.CreateVerificationByPasswordRequest(password=target.password)
    ).verification_record_id


def profile_flow(account: py_logto.MyAccountApi) -> None:
    first = account.get_profile_with_http_info()
    profile = first.data
    print(f"   user {profile.id}: email {profile.primary_email}, phone {profile.primary_phone}, name {profile.name}")
    again = account.get_profile(_headers={"If-None-Match": first.headers["ETag"]})
    print(f"   asked again with its ETag: {'unchanged (304)' if again is None else 'changed'}")


def email_change_flow(api: py_logto.VerificationsApi, account: py_logto.MyAccountApi, target: Target) -> None:
    assert target.new_email is not None
    identity = prove_identity(api, target)
    new_address = py_logto.EmailVerificationCodeIdentifier(value=target.new_email)
    sent = api.create_verification_by_verification_code(
        py_logto.CreateVerificationByVerificationCodeRequest(identifier=new_address)
    )
    code = target.read_code(target.new_email, sent.verification_record_id)
    api.verify_verification_by_verification_code(
        py_logto.VerifyVerificationCodeVerificationRequest(
            identifier=new_address, verification_id=sent.verification_record_id, code=code
        )
    )
    account.update_primary_email(
        identity,
        py_logto.UpdatePrimaryEmailRequest(
            email=target.new_email, new_identifier_verification_record_id=sent.verification_record_id
        ),
    )
    print(f"   primary email is now {account.get_profile().primary_email}")


def password_change_flow(api: py_logto.VerificationsApi, account: py_logto.MyAccountApi, target: Target) -> None:
    assert target.new_password is not None
    identity = prove_identity(api, target)
    account.update_password(
        py_logto.UpdatePasswordRequest(password=target.new_password), logto_verification_id=identity
    )
    old_password, target.password = target.password, target.new_password
    prove_identity(api, target)
    try:
        api.create_verification_by_password(py_logto.CreateVerificationByPasswordRequest(password=old_password or "-"))
    except py_logto.UnprocessableEntityException as error:
        print(f"   password changed: the new one verifies, the old one is refused ({error.code})")
    else:
        raise SystemExit("the old password still verifies")


def totp_flow(api: py_logto.VerificationsApi, account: py_logto.MyAccountApi, target: Target) -> None:
    assert target.totp_code is not None
    identity = prove_identity(api, target)
    secret = account.generate_totp_secret().secret
    account.add_mfa_verification(
        identity, py_logto.AddTotpMfaVerificationRequest(secret=secret, code=target.totp_code(secret))
    )
    codes = account.generate_my_account_backup_codes().codes
    account.add_mfa_verification(identity, py_logto.AddBackupCodeMfaVerificationRequest(codes=codes))
    print(f"   {len(codes)} backup codes bound (show them to the user once)")
    factors = ", ".join(str(factor.type) for factor in account.get_mfa_verifications())
    print(f"   MFA factors: {factors}")


def social_link_flow(api: py_logto.VerificationsApi, account: py_logto.MyAccountApi, target: Target) -> None:
    assert target.social_connector_id is not None
    identity = prove_identity(api, target)
    state = secrets.token_urlsafe(16)
    created = api.create_verification_by_social(
        py_logto.CreateVerificationBySocialRequest(
            connector_id=target.social_connector_id, state=state, redirect_uri=target.redirect_uri
        )
    )
    api.verify_verification_by_social(
        py_logto.VerifyVerificationBySocialRequest(
            verification_record_id=created.verification_record_id,
            connector_data=target.social_callback(created.authorization_uri, state),
        )
    )
    account.add_user_identities(
        py_logto.AddUserIdentitiesRequest(new_identifier_verification_record_id=created.verification_record_id),
        logto_verification_id=identity,
    )
    linked = sorted((account.get_profile().identities or {}).keys())
    print(f"   linked: {', '.join(linked)}")
    for target_name in linked:
        account.delete_identity(target_name, logto_verification_id=identity)
    print(f"   and unlinked again: {', '.join(linked)}")


def avatar_flow(account: py_logto.MyAccountApi, target: Target) -> None:
    assert target.avatar is not None
    uploaded = account.upload_account_avatar(("avatar.png", target.avatar))
    account.update_profile(py_logto.UpdateProfileRequest(avatar=uploaded.url))
    print(f"   avatar uploaded and set: {account.get_profile().avatar}")


def sessions_flow(api: py_logto.VerificationsApi, account: py_logto.MyAccountApi, target: Target) -> None:
    identity = prove_identity(api, target)
    sessions = account.get_sessions(identity).sessions
    others = [s for s in sessions if not s.is_current]
    for session in others:
        account.delete_session_by_id(session.payload.uid, identity, revoke_grants_target="firstParty")
    print(f"   {len(sessions)} session(s); signed out of the {len(others)} other(s)")


def _unless(value: Optional[str], variable: str) -> Optional[str]:
    return None if value else variable


def main() -> int:
    with ExitStack() as stack:
        use_logto = bool(os.environ.get("LOGTO_ENDPOINT") and os.environ.get("LOGTO_ACCESS_TOKEN"))
        target = logto_target() if use_logto else sandbox_target(stack)
        configuration = py_logto.Configuration(host=target.host)
        configuration.access_token = target.access_token

        with py_logto.ApiClient(configuration) as api_client:
            api = py_logto.VerificationsApi(api_client)
            account = py_logto.MyAccountApi(api_client)
            identity_missing = _unless(target.password, "LOGTO_PASSWORD")
            # (name, the variable to set when the flow cannot run, the flow)
            flows: List[Tuple[str, Optional[str], Callable[[], None]]] = [
                ("password", _unless(target.password, "LOGTO_PASSWORD"), lambda: password_flow(api, target)),
                ("email code", _unless(target.email, "LOGTO_EMAIL"), lambda: code_flow(api, target, "email")),
                ("SMS code", _unless(target.phone, "LOGTO_PHONE"), lambda: code_flow(api, target, "sms")),
                (
                    "social",
                    _unless(target.social_connector_id, "LOGTO_SOCIAL_CONNECTOR_ID"),
                    lambda: social_flow(api, target),
                ),
                ("passkey (WebAuthn)", None, lambda: passkey_flow(api, target)),
                ("Account API: profile", None, lambda: profile_flow(account)),
                (
                    "Account API: change the primary email",
                    identity_missing or _unless(target.new_email, "LOGTO_NEW_EMAIL"),
                    lambda: email_change_flow(api, account, target),
                ),
                (
                    "Account API: bind an authenticator app and backup codes",
                    identity_missing or (None if target.totp_code else "LOGTO_BIND_TOTP=1"),
                    lambda: totp_flow(api, account, target),
                ),
                (
                    "Account API: link and unlink a social account",
                    identity_missing or (None if target.link_social else "(runs on the sandbox)"),
                    lambda: social_link_flow(api, account, target),
                ),
                (
                    "Account API: upload an avatar",
                    None if target.avatar else "(runs on the sandbox)",
                    lambda: avatar_flow(account, target),
                ),
                (
                    "Account API: sign out other sessions",
                    identity_missing or (None if target.sign_out_others else "LOGTO_SIGN_OUT_OTHERS=1"),
                    lambda: sessions_flow(api, account, target),
                ),
                (
                    "Account API: change the password",
                    identity_missing or _unless(target.new_password, "(runs on the sandbox)"),
                    lambda: password_change_flow(api, account, target),
                ),
            ]
            for name, missing, run in flows:
                print(f"== {name}")
                if missing:
                    print(f"   skipped: {missing}" if missing.startswith("(") else f"   skipped: set {missing}")
                    continue
                try:
                    run()
                except py_logto.OpenApiException as error:
                    print(f"   failed: {error}", file=sys.stderr)
                    return 1
        print("All flows done.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
