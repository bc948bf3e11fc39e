"""``/api/verifications/*``: the seven routes that prove who the user is and leave a record.

As in Logto 1.42 (``routes/verification/index.ts`` and the verification classes it uses):

- records live 10 minutes; a password record and a code record for the user's own email or
  phone belong to the user, the others (new identifiers, social) to nobody;
- a code is 6 digits, expires 10 minutes after it was sent, allows 10 wrong tries, works once;
  an empty code is "not found" and costs no try;
- the sentinel blocks an identity for 60 minutes at its 100th failed password or code check
  within an hour, and then refuses even correct answers;
- at most 10 codes go to one recipient (emails lower-cased, phones normalized) per 600 seconds;
  a send that fails is not counted.
"""

from __future__ import annotations

import math
import re
import secrets
import string
import uuid
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import quote

from py_logto.testing._context import Context, Reply, Route
from py_logto.testing._errors import LogtoError
from py_logto.testing._guard import (
    EMAIL_PATTERN,
    PHONE_PATTERN,
    Array,
    Boolean,
    DiscriminatedUnion,
    Enum,
    JsonObject,
    Literal,
    Number,
    Object,
    OneOf,
    Schema,
    String,
    max_length,
    min_length,
    optional,
    regex,
)
from py_logto.testing._json import to_json_bytes
from py_logto.testing._models import SandboxConnector, SentMessage
from py_logto.testing._phone import format_international, normalize
from py_logto.testing._store import Activity, Passcode, Record, Store, iso_timestamp, random_id, same_secret
from py_logto.testing._webauthn import WebAuthnError, b64url_encode, registration_options, verify_registration

__all__ = ["ROUTES", "social_user_info"]

CODE_TTL = 10 * 60
CODE_MAX_TRIES = 10
SENTINEL_MAX_FAILURES = 100
SENTINEL_WINDOW = 60 * 60
SENTINEL_LOCKOUT = 60 * 60
MESSAGE_LIMIT = 10
MESSAGE_WINDOW = 600
# passcodes.email is varchar(128), passcodes.phone varchar(32)
_PASSCODE_COLUMNS = {"email": 128, "phone": 32}
_CHANNELS = {  # identifier type -> (connector type, record type, outbox channel)
    "email": ("Email", "EmailVerificationCode", "email"),
    "phone": ("Sms", "PhoneVerificationCode", "sms"),
}


# -- shared pieces ----------------------------------------------------------------------------


def _in_minutes(seconds: float) -> str:
    """``Intl.RelativeTimeFormat('en').format(Math.round(seconds / 60), 'minute')`` for a future time."""
    minutes = math.floor(seconds / 60 + 0.5)
    return f"in {minutes} minute{'' if minutes == 1 else 's'}"


def _with_sentinel(store: Store, target: str, verify: Callable[[], None]) -> None:
    """Run ``verify``, report the outcome, and refuse it all while ``target`` is blocked."""
    error: Optional[LogtoError] = None
    try:
        verify()
    except LogtoError as failure:
        error = failure
    now = store.now()
    history = store.activities.setdefault(target, [])
    history[:] = [a for a in history if a.created_at > now - SENTINEL_WINDOW or (a.blocked_until or 0) > now]
    blocked_until = next((a.blocked_until for a in history if (a.blocked_until or 0) > now), None)
    if blocked_until is None:
        failures = sum(1 for a in history if a.failed and a.blocked_until is None)
        if error is not None and failures + 1 >= SENTINEL_MAX_FAILURES:
            blocked_until = now + SENTINEL_LOCKOUT
    history.append(Activity(now, error is not None, blocked_until))
    if blocked_until is not None:
        raise LogtoError(
            "session.verification_blocked_too_many_attempts", relativeTime=_in_minutes(blocked_until - now)
        )
    if error is not None:
        raise error


def _recipient_key(recipient: str) -> str:
    trimmed = recipient.strip()
    return trimmed.lower() if "@" in trimmed else normalize(trimmed)


def _social_connector(store: Store, connector_id: str) -> SandboxConnector:
    connector = store.connectors.get(connector_id)
    if connector is None:
        raise LogtoError("session.invalid_connector_id", status=422, connectorId=connector_id)
    if connector.type != "Social":
        raise LogtoError("connector.unexpected_type")
    return connector


def _created(record: Record, **extra: Any) -> Dict[str, Any]:
    return {"verificationRecordId": record.id, **extra, "expiresAt": iso_timestamp(record.expires_at)}


def _form_encode(pairs: List[Tuple[str, str]]) -> str:
    """``URLSearchParams.toString()``: only ``*-._`` and alphanumerics stay, spaces become ``+``."""

    def component(text: str) -> str:
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)  # lone surrogates, as USVString conversion does
        return quote(text, safe="*").replace("%20", "+").replace("~", "%7E")

    return "&".join(f"{component(key)}={component(value)}" for key, value in pairs)


def _is_string(value: Any) -> bool:
    return isinstance(value, str)


def _token_response_ok(value: Any) -> bool:
    """connector-kit's ``tokenResponseGuard``: optional strings (``expires_in`` may be a number)."""
    if not isinstance(value, dict):
        return False
    for key in ("id_token", "access_token", "refresh_token", "scope", "token_type"):
        if key in value and not isinstance(value[key], str):
            return False
    expires_in = value.get("expires_in", "")
    return isinstance(expires_in, str) or (isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool))


def social_user_info(connector: SandboxConnector, data: Dict[str, Any]) -> Tuple[Dict[str, Any], Optional[Any]]:
    """What Logto's mock social connector makes of callback ``data``: the social user info and,
    with token storage on, the token response.

    Raises:
        LogtoError: 400 ``connector.invalid_response`` quoting the data, when it does not fit.
    """
    fits = isinstance(data.get("code"), str) and all(
        _is_string(data[key]) for key in ("userId", "email", "phone", "name", "avatar") if key in data
    )
    if connector.token_storage and "tokenResponse" in data and not _token_response_ok(data["tokenResponse"]):
        fits = False
    if not fits:
        raise LogtoError("connector.invalid_response", data={"message": to_json_bytes(data).decode()})
    info: Dict[str, Any] = {"id": data.get("userId", f"mock-social-sub-{uuid.uuid4()}")}
    info.update((key, data[key]) for key in ("email", "phone", "name", "avatar") if key in data)
    info["rawData"] = data
    token_response = data.get("tokenResponse") if connector.token_storage else None
    return info, token_response


def _display_name(*candidates: Optional[str]) -> str:
    """``getUserDisplayName``: the first that is not null (an empty string counts)."""
    return next((candidate for candidate in candidates if candidate is not None), "Unnamed User")


# -- the routes -------------------------------------------------------------------------------


def create_by_password(ctx: Context) -> Reply:
    ctx.require_first_party()
    password = ctx.body["password"]
    user = ctx.user

    def verify() -> None:
        if user.password is None or not same_secret(password, user.password):
            raise LogtoError("session.invalid_credentials", status=422)

    _with_sentinel(ctx.store, f"user:{user.id}", verify)
    record = ctx.store.new_record("Password", user_id=user.id)
    record.verified = True
    return Reply(201, _created(record))


def send_code(ctx: Context) -> Reply:
    ctx.require_first_party()
    store, user = ctx.store, ctx.user
    kind, value = ctx.body["identifier"]["type"], ctx.body["identifier"]["value"]
    connector_type, record_type, channel = _CHANNELS[kind]
    is_new = value != (user.primary_email if kind == "email" else user.primary_phone)
    template = "BindNewIdentifier" if is_new else ctx.body.get("templateType", "UserPermissionValidation")

    recipient = _recipient_key(value)
    now = store.now()
    sends = [t for t in store.sends.get(recipient, []) if t > now - MESSAGE_WINDOW]
    if len(sends) >= MESSAGE_LIMIT:
        raise LogtoError("request.message_rate_limited", status=429)
    if len(value) > _PASSCODE_COLUMNS[kind]:
        raise LogtoError(
            "entity.value_too_long",
            status=422,
            data={"message": f"value too long for type character varying({_PASSCODE_COLUMNS[kind]})"},
        )
    if not any(c.type == connector_type for c in store.connectors.values()):
        raise LogtoError("connector.not_found", status=501, type=connector_type)
    store.sends[recipient] = [*sends, now]

    record = store.new_record(
        record_type,
        user_id=None if is_new else user.id,
        identifier={"type": kind, "value": value},
        template_type=template,
    )
    code = random_id(6, string.digits)
    store.passcodes[record.id] = Passcode(code, {kind: value}, now)
    message = SentMessage(channel, value, code, template, record.id, now)
    store.outbox.append(message)
    if store.on_message is not None:
        store.on_message(message)
    return Reply(201, _created(record))


def verify_code(ctx: Context) -> Reply:
    ctx.require_first_party()
    store = ctx.store
    identifier, code = ctx.body["identifier"], ctx.body["code"]
    kind, value = identifier["type"], identifier["value"]
    record = store.record(ctx.body["verificationId"], _CHANNELS[kind][1])

    def verify() -> None:
        if not code:
            raise LogtoError("verification_code.not_found")
        passcode = store.passcodes.get(record.id)
        if passcode is None or passcode.consumed:
            raise LogtoError("verification_code.not_found")
        if passcode.identifier.get(kind) != value:
            raise LogtoError(f"verification_code.{kind}_mismatch")
        if passcode.created_at + CODE_TTL < store.now():
            raise LogtoError("verification_code.expired")
        if passcode.tries >= CODE_MAX_TRIES:
            raise LogtoError("verification_code.exceed_max_try")
        if not same_secret(code, passcode.code):
            passcode.tries += 1
            raise LogtoError("verification_code.code_mismatch")
        passcode.consumed = True

    _with_sentinel(store, f"identifier:{value}", verify)
    record.verified = True
    return Reply(200, {"verificationRecordId": record.id})


def create_by_social(ctx: Context) -> Reply:
    body = ctx.body
    if not body["state"] or not body["redirectUri"]:
        raise LogtoError("session.insufficient_info")
    connector = _social_connector(ctx.store, body["connectorId"])
    query = _form_encode(
        [
            ("state", body["state"]),
            ("redirect_uri", body["redirectUri"]),
            ("scope", body.get("scope", connector.default_scope)),
        ]
    )
    separator = "&" if "?" in connector.authorization_endpoint else "?"
    record = ctx.store.new_record(
        "Social",
        connector_id=connector.id,
        connector_session={"state": body["state"], "redirectUri": body["redirectUri"], "connectorId": connector.id},
    )
    return Reply(201, _created(record, authorizationUri=f"{connector.authorization_endpoint}{separator}{query}"))


def verify_social(ctx: Context) -> Reply:
    record = ctx.store.record(ctx.body["verificationRecordId"], "Social")
    connector = _social_connector(ctx.store, record.data["connector_id"])
    info, token_response = social_user_info(connector, ctx.body["connectorData"])
    record.data["user_info"] = info
    record.data["target"] = connector.target
    if isinstance(token_response, dict) and token_response.get("access_token"):
        record.data["token_response"] = token_response
    else:
        record.data.pop("token_response", None)
    record.verified = True
    return Reply(200, {"verificationRecordId": record.id})


def webauthn_options(ctx: Context) -> Reply:
    ctx.require_first_party()
    user = ctx.user
    challenge = b64url_encode(secrets.token_bytes(32))
    record = ctx.store.new_record("WebAuthn", user_id=user.id, challenge=challenge, rp_id=ctx.hostname)
    phone = format_international(user.primary_phone) if user.primary_phone else None
    options = registration_options(
        rp_id=ctx.hostname,
        user_id=user.id,
        user_name=_display_name(user.primary_email, phone, user.username),
        display_name=_display_name(user.name, user.primary_email, phone, user.username),
        challenge=challenge,
        exclude_credentials=[f for f in user.mfa_verifications if f["type"] == "WebAuthn"],
    )
    return Reply(200, _created(record, registrationOptions=options))


def verify_webauthn(ctx: Context) -> Reply:
    ctx.require_first_party()
    record = ctx.store.record(ctx.body["verificationRecordId"], "WebAuthn")
    payload = ctx.body["payload"]
    try:
        registration = verify_registration(
            payload, challenge=record.data["challenge"], origins=[ctx.origin] if ctx.origin else []
        )
    except WebAuthnError as error:
        raise LogtoError("session.mfa.webauthn_verification_failed", data={"message": str(error)}) from error
    record.data["registration"] = {
        "type": "WebAuthn",
        "rpId": record.data["rp_id"],
        **registration,
        "agent": ctx.request.header("User-Agent") or "",
        "transports": list(payload["response"].get("transports", [])),
    }
    record.verified = True
    return Reply(200, {"verificationRecordId": record.id})


# -- guards -----------------------------------------------------------------------------------

_IDENTIFIER = DiscriminatedUnion(
    "type",
    {
        "email": Object({"type": Literal("email"), "value": String(max_length(256), regex(EMAIL_PATTERN))}),
        "phone": Object({"type": Literal("phone"), "value": String(regex(PHONE_PATTERN))}),
    },
)
_TRANSPORTS = Enum("usb", "nfc", "ble", "internal", "cable", "hybrid", "smart-card")
BIND_WEBAUTHN_PAYLOAD: Schema = Object(
    {
        "type": Literal("WebAuthn"),
        "id": String(),
        "rawId": String(),
        "response": Object(
            {
                "clientDataJSON": String(),
                "attestationObject": String(),
                "authenticatorData": optional(String()),
                "transports": optional(Array(_TRANSPORTS)),
                "publicKeyAlgorithm": optional(Number),
                "publicKey": optional(String()),
            }
        ),
        "authenticatorAttachment": optional(Enum("cross-platform", "platform")),
        "clientExtensionResults": Object(
            {
                "appid": optional(Boolean),
                "crepProps": optional(Object({"rk": optional(Boolean)})),
                "hmacCreateSecret": optional(Boolean),
            }
        ),
    }
)

ROUTES = [
    Route("POST", "/verifications/password", create_by_password, body=Object({"password": String(min_length(1))})),
    Route(
        "POST",
        "/verifications/verification-code",
        send_code,
        body=Object(
            {
                "identifier": _IDENTIFIER,
                "templateType": optional(OneOf(Literal("BindMfa"), Literal("UserPermissionValidation"))),
            }
        ),
    ),
    Route(
        "POST",
        "/verifications/verification-code/verify",
        verify_code,
        body=Object({"identifier": _IDENTIFIER, "verificationId": String(), "code": String()}),
    ),
    Route(
        "POST",
        "/verifications/social",
        create_by_social,
        body=Object({"state": String(), "redirectUri": String(), "scope": optional(String()), "connectorId": String()}),
    ),
    Route(
        "POST",
        "/verifications/social/verify",
        verify_social,
        body=Object({"connectorData": JsonObject(), "verificationRecordId": String()}),
    ),
    Route("POST", "/verifications/web-authn/registration", webauthn_options),
    Route(
        "POST",
        "/verifications/web-authn/registration/verify",
        verify_webauthn,
        body=Object({"verificationRecordId": String(), "payload": BIND_WEBAUTHN_PAYLOAD}),
    ),
]
