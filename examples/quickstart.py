"""Run Logto's verification flows end to end with py_logto: password, email code, SMS code,
social sign-in and a passkey, printing each step.

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


def sandbox_target(stack: ExitStack) -> Target:
    """Start the built-in sandbox with a demo user; codes are read from its outbox."""
    from py_logto.testing import LogtoSandbox, make_webauthn_credential

    sandbox = stack.enter_context(LogtoSandbox())
    user = sandbox.add_user(password="demo-password-1", email="jane@example.com", phone="15551234567")
    social = sandbox.social_connector
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
            ]
            for name, missing, run in flows:
                print(f"== {name}")
                if missing:
                    print(f"   skipped: set {missing}")
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
