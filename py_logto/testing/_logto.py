"""What Logto does behind the seven Verifications routes, kept in memory.

Each flow follows Logto 1.42 (``packages/core/src/routes/verification/index.ts`` and the
libraries it calls), in the same order of checks, so the same input meets the same error:

- records live 10 minutes and are looked up by id *and* type (a wrong kind is "not found");
- a code is 6 digits, expires 10 minutes after it was sent, allows 10 wrong tries, works once;
- the sentinel blocks an identity for 60 minutes at its 100th failed password or code check
  within an hour, and then refuses even correct answers;
- at most 10 codes go to one recipient (emails lower-cased, phones as digits) per 600 seconds.
"""

from __future__ import annotations

import hmac
import math
import re
import secrets
import string
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple
from urllib.parse import quote

from py_logto.testing._json import to_json_bytes
from py_logto.testing._webauthn import WebAuthnError, b64url_encode, registration_options, verify_registration

__all__ = ["Call", "LogtoError", "LogtoState", "SandboxConnector", "SandboxUser", "SentMessage"]

RECORD_TTL = 10 * 60
CODE_TTL = 10 * 60
CODE_MAX_TRIES = 10
SENTINEL_MAX_FAILURES = 100
SENTINEL_WINDOW = 60 * 60
SENTINEL_LOCKOUT = 60 * 60
MESSAGE_LIMIT = 10
MESSAGE_WINDOW = 600

_LOWER_ALNUM = string.ascii_lowercase + string.digits

# status, English message (Logto's phrases, packages/phrases/src/locales/en/errors).
_PHRASES: Dict[str, Tuple[int, str]] = {
    "auth.authorization_header_missing": (401, "Authorization header is missing."),
    "auth.authorization_token_type_not_supported": (401, "Authorization type is not supported."),
    "auth.unauthorized": (401, "Unauthorized. Please check credentials and its scope."),
    "auth.third_party_application_forbidden": (
        403,
        "Third-party applications cannot modify account data through this API.",
    ),
    "guard.invalid_input": (400, "The request body is invalid."),
    "session.invalid_credentials": (422, "Incorrect account or password. Please check your input."),
    "session.verification_blocked_too_many_attempts": (
        400,
        "Too many attempts in a short time. Please try again {relativeTime}.",
    ),
    "session.invalid_connector_id": (422, "Unable to find available connector with id {connectorId}."),
    "session.mfa.webauthn_verification_failed": (400, "WebAuthn verification failed."),
    "verification_record.not_found": (400, "Verification record not found."),
    "verification_code.not_found": (400, "Verification code not found. Please send verification code first."),
    "verification_code.phone_mismatch": (400, "Phone mismatch. Please request a new verification code."),
    "verification_code.email_mismatch": (400, "Email mismatch. Please request a new verification code."),
    "verification_code.code_mismatch": (400, "Invalid verification code."),
    "verification_code.expired": (400, "Verification code has expired. Please request a new verification code."),
    "verification_code.exceed_max_try": (
        400,
        "Verification code retries limitation exceeded. Please request a new verification code.",
    ),
    "request.message_rate_limited": (429, "Too many messages sent to this recipient. Please try again later."),
    "connector.not_found": (501, "Cannot find any available connector for type: {type}."),
    "connector.unexpected_type": (400, "The connector's type is unexpected."),
    "connector.invalid_response": (400, "The connector's response is invalid."),
}


class LogtoError(Exception):
    """A Logto ``RequestError``: answered as ``{code, data?, details?, message}``."""

    def __init__(self, code: str, *, data: Any = None, details: Optional[str] = None, **params: str) -> None:
        self.status, template = _PHRASES[code]
        self.code = code
        self.data = data
        self.details = details
        self.message = template.format(**params)
        super().__init__(f"{code}: {self.message}")

    def body(self) -> Dict[str, Any]:
        body: Dict[str, Any] = {"code": self.code}
        if self.data is not None:
            body["data"] = self.data
        if self.details is not None:
            body["details"] = self.details
        body["message"] = self.message
        return body


@dataclass(frozen=True)
class SandboxUser:
    """A user of the sandbox; ``id`` is what Logto would call the user ID."""

    id: str
    password: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None
    username: Optional[str] = None


@dataclass(frozen=True)
class SentMessage:
    """A verification code the sandbox "sent" instead of mailing or texting it."""

    channel: str  #: ``"email"`` or ``"sms"``
    recipient: str
    code: str
    template_type: str  #: Logto's TemplateType, e.g. ``"UserPermissionValidation"``
    verification_record_id: str
    sent_at: float  #: sandbox clock, epoch seconds


@dataclass(frozen=True)
class SandboxConnector:
    """A connector as Logto's mock connectors behave: ``type`` is Social, Email or Sms."""

    id: str
    type: str
    authorization_endpoint: str = "http://mock-social/"
    default_scope: str = "email profile"


@dataclass(frozen=True)
class Call:
    """What a route handler gets besides the parsed body."""

    user: SandboxUser
    body: Any
    hostname: str
    origin: Optional[str]


@dataclass
class _Token:
    user_id: str
    first_party: bool
    revoked: bool = False


@dataclass
class _Record:
    id: str
    type: str
    expires_at: float
    data: Dict[str, str] = field(default_factory=dict)


class _Channel(NamedTuple):
    connector_type: str  # Logto's ConnectorType
    record_type: str  # Logto's VerificationType
    outbox_name: str


_CHANNELS = {
    "email": _Channel("Email", "EmailVerificationCode", "email"),
    "phone": _Channel("Sms", "PhoneVerificationCode", "sms"),
}


@dataclass
class _Passcode:
    code: str
    identifier: Dict[str, str]  # {"email": ...} or {"phone": ...}
    created_at: float
    tries: int = 0
    consumed: bool = False


@dataclass
class _Activity:
    created_at: float
    failed: bool
    blocked_until: Optional[float]


def random_id(length: int = 21, alphabet: str = _LOWER_ALNUM) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def iso_timestamp(seconds: float) -> str:
    """``new Date(ms).toISOString()``: UTC, milliseconds, ``Z``."""
    millis = math.floor(seconds * 1000)
    moment = datetime.fromtimestamp(millis // 1000, timezone.utc)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{millis % 1000:03d}Z"


def _in_minutes(seconds: float) -> str:
    """``Intl.RelativeTimeFormat('en').format(Math.round(seconds / 60), 'minute')`` for a future time."""
    minutes = math.floor(seconds / 60 + 0.5)
    return f"in {minutes} minute{'' if minutes == 1 else 's'}"


def _same(given: str, expected: str) -> bool:
    """Compare secrets in constant time; JSON may carry lone surrogates, hence surrogatepass."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


def _normalize_recipient(recipient: str) -> str:
    trimmed = recipient.strip()
    return trimmed.lower() if "@" in trimmed else (re.sub(r"\D", "", trimmed) or trimmed)


class LogtoState:
    """The sandbox's tenant. Set-up methods take :attr:`lock`; route methods expect the caller to
    hold it, so parallel requests see one consistent state."""

    def __init__(self, clock: Callable[[], float], on_message: Optional[Callable[[SentMessage], None]] = None) -> None:
        self._clock = clock
        self._offset = 0.0
        self._on_message = on_message
        self.lock = threading.RLock()
        self.users: Dict[str, SandboxUser] = {}
        self.connectors: Dict[str, SandboxConnector] = {}
        self.outbox: List[SentMessage] = []
        self._tokens: Dict[str, _Token] = {}
        self._records: Dict[str, _Record] = {}
        self._passcodes: Dict[str, _Passcode] = {}
        self._activities: Dict[str, List[_Activity]] = {}
        self._sends: Dict[str, List[float]] = {}

    # -- time ---------------------------------------------------------------------------------

    def now(self) -> float:
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        with self.lock:
            self._offset += seconds

    # -- set-up -------------------------------------------------------------------------------

    def add_user(self, **profile: Optional[str]) -> SandboxUser:
        with self.lock:
            user = SandboxUser(id=random_id(12), **profile)
            self.users[user.id] = user
            return user

    def issue_token(self, user: SandboxUser, first_party: bool) -> str:
        with self.lock:
            if user.id not in self.users:
                raise ValueError(f"user {user.id!r} does not belong to this sandbox")
            token = secrets.token_urlsafe(32)
            self._tokens[token] = _Token(user.id, first_party)
            return token

    def revoke_token(self, token: str) -> None:
        with self.lock:
            if token in self._tokens:
                self._tokens[token].revoked = True

    def add_connector(self, connector: SandboxConnector) -> SandboxConnector:
        with self.lock:
            self.connectors[connector.id] = connector
            return connector

    def remove_connector(self, connector_id: str) -> None:
        with self.lock:
            self.connectors.pop(connector_id, None)

    def expire_record(self, record_id: str) -> None:
        with self.lock:
            self._records[record_id].expires_at = self.now() - 60

    def expire_code(self, record_id: str) -> None:
        with self.lock:
            self._passcodes[record_id].created_at = self.now() - CODE_TTL - 60

    # -- authentication -----------------------------------------------------------------------

    def authenticate(self, authorization: Optional[str]) -> Tuple[SandboxUser, bool]:
        """Return the token's user and whether the token belongs to a first-party app."""
        if not authorization:
            raise LogtoError("auth.authorization_header_missing")
        if not authorization.startswith("Bearer"):
            raise LogtoError("auth.authorization_token_type_not_supported", data={"supportedTypes": ["Bearer"]})
        with self.lock:
            token = self._tokens.get(authorization[len("Bearer ") :])
            if token is None or token.revoked or token.user_id not in self.users:
                raise LogtoError("auth.unauthorized")
            return self.users[token.user_id], token.first_party

    # -- shared pieces ------------------------------------------------------------------------

    def _new_record(self, record_type: str, **data: str) -> _Record:
        record = _Record(random_id(), record_type, self.now() + RECORD_TTL, data)
        self._records[record.id] = record
        return record

    def _record(self, record_id: str, record_type: str) -> _Record:
        record = self._records.get(record_id)
        if record is None or record.type != record_type or record.expires_at <= self.now():
            raise LogtoError("verification_record.not_found")
        return record

    def _with_sentinel(self, target: str, verify: Callable[[], None]) -> None:
        """Run ``verify``, report the outcome, and refuse it all while ``target`` is blocked."""
        error: Optional[LogtoError] = None
        try:
            verify()
        except LogtoError as failure:
            error = failure
        now = self.now()
        history = self._activities.setdefault(target, [])
        history[:] = [a for a in history if a.created_at > now - SENTINEL_WINDOW or (a.blocked_until or 0) > now]
        blocked_until = next((a.blocked_until for a in history if (a.blocked_until or 0) > now), None)
        if blocked_until is None:
            failures = sum(1 for a in history if a.failed and a.blocked_until is None)
            if error is not None and failures + 1 >= SENTINEL_MAX_FAILURES:
                blocked_until = now + SENTINEL_LOCKOUT
        history.append(_Activity(now, error is not None, blocked_until))
        if blocked_until is not None:
            raise LogtoError(
                "session.verification_blocked_too_many_attempts", relativeTime=_in_minutes(blocked_until - now)
            )
        if error is not None:
            raise error

    def _connector(self, connector_id: str) -> SandboxConnector:
        connector = self.connectors.get(connector_id)
        if connector is None:
            raise LogtoError("session.invalid_connector_id", connectorId=connector_id)
        if connector.type != "Social":
            raise LogtoError("connector.unexpected_type")
        return connector

    # -- the routes ---------------------------------------------------------------------------

    def create_by_password(self, call: Call) -> Tuple[int, Dict[str, Any]]:
        password = call.body["password"]
        user = call.user

        def verify() -> None:
            if user.password is None or not _same(user.password, password):
                raise LogtoError("session.invalid_credentials")

        self._with_sentinel(f"user:{user.id}", verify)
        record = self._new_record("Password")
        return 201, {"verificationRecordId": record.id, "expiresAt": iso_timestamp(record.expires_at)}

    def send_code(self, call: Call) -> Tuple[int, Dict[str, Any]]:
        kind, value = call.body["identifier"]["type"], call.body["identifier"]["value"]
        channel = _CHANNELS[kind]
        is_new = value != (call.user.email if kind == "email" else call.user.phone)
        template = "BindNewIdentifier" if is_new else call.body.get("templateType", "UserPermissionValidation")

        if not any(c.type == channel.connector_type for c in self.connectors.values()):
            raise LogtoError("connector.not_found", type=channel.connector_type)
        recipient_key = _normalize_recipient(value)
        now = self.now()
        sends = [t for t in self._sends.get(recipient_key, []) if t > now - MESSAGE_WINDOW]
        if len(sends) >= MESSAGE_LIMIT:
            raise LogtoError("request.message_rate_limited")
        self._sends[recipient_key] = [*sends, now]

        record = self._new_record(channel.record_type)
        code = random_id(6, string.digits)
        self._passcodes[record.id] = _Passcode(code, {kind: value}, now)
        message = SentMessage(channel.outbox_name, value, code, template, record.id, now)
        self.outbox.append(message)
        if self._on_message is not None:
            self._on_message(message)
        return 201, {"verificationRecordId": record.id, "expiresAt": iso_timestamp(record.expires_at)}

    def verify_code(self, call: Call) -> Tuple[int, Dict[str, Any]]:
        identifier, code = call.body["identifier"], call.body["code"]
        kind, value = identifier["type"], identifier["value"]
        record = self._record(call.body["verificationId"], _CHANNELS[kind].record_type)

        def verify() -> None:
            passcode = self._passcodes.get(record.id)
            if passcode is None or passcode.consumed:
                raise LogtoError("verification_code.not_found")
            if passcode.identifier.get(kind) != value:
                raise LogtoError(f"verification_code.{kind}_mismatch")
            if passcode.created_at + CODE_TTL < self.now():
                raise LogtoError("verification_code.expired")
            if passcode.tries >= CODE_MAX_TRIES:
                raise LogtoError("verification_code.exceed_max_try")
            if not _same(code, passcode.code):
                passcode.tries += 1
                raise LogtoError("verification_code.code_mismatch")
            passcode.consumed = True

        self._with_sentinel(f"identifier:{value}", verify)
        return 200, {"verificationRecordId": record.id}

    def create_by_social(self, call: Call) -> Tuple[int, Dict[str, Any]]:
        body = call.body
        connector = self._connector(body["connectorId"])
        query = _form_encode(
            [
                ("state", body["state"]),
                ("redirect_uri", body["redirectUri"]),
                ("scope", body.get("scope", connector.default_scope)),
            ]
        )
        separator = "&" if "?" in connector.authorization_endpoint else "?"
        record = self._new_record("Social", connectorId=connector.id)
        return 201, {
            "verificationRecordId": record.id,
            "authorizationUri": f"{connector.authorization_endpoint}{separator}{query}",
            "expiresAt": iso_timestamp(record.expires_at),
        }

    def verify_social(self, call: Call) -> Tuple[int, Dict[str, Any]]:
        record = self._record(call.body["verificationRecordId"], "Social")
        self._connector(record.data["connectorId"])
        connector_data = call.body["connectorData"]
        if not isinstance(connector_data.get("code"), str):
            # Logto's mock social connector rejects callback data without a code, quoting it.
            raise LogtoError("connector.invalid_response", data={"message": to_json_bytes(connector_data).decode()})
        return 200, {"verificationRecordId": record.id}

    def webauthn_options(self, call: Call) -> Tuple[int, Dict[str, Any]]:
        user = call.user
        challenge = b64url_encode(secrets.token_bytes(32))
        record = self._new_record("WebAuthn", challenge=challenge, rpId=call.hostname)
        options = registration_options(
            rp_id=call.hostname,
            user_id=user.id,
            challenge=challenge,
            user_name=user.email or user.phone or user.username or user.id,
        )
        return 200, {
            "verificationRecordId": record.id,
            "registrationOptions": options,
            "expiresAt": iso_timestamp(record.expires_at),
        }

    def verify_webauthn(self, call: Call) -> Tuple[int, Dict[str, Any]]:
        record = self._record(call.body["verificationRecordId"], "WebAuthn")
        try:
            verify_registration(
                call.body["payload"],
                challenge=record.data["challenge"],
                rp_id=record.data["rpId"],
                origins=[call.origin] if call.origin else [],
            )
        except WebAuthnError as error:
            raise LogtoError("session.mfa.webauthn_verification_failed", data={"message": str(error)}) from error
        return 200, {"verificationRecordId": record.id}


def _form_encode(pairs: List[Tuple[str, str]]) -> str:
    """``URLSearchParams.toString()``: only ``*-._`` and alphanumerics stay, spaces become ``+``."""

    def component(text: str) -> str:
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)  # lone surrogates, as USVString conversion does
        return quote(text, safe="*").replace("%20", "+").replace("~", "%7E")

    return "&".join(f"{component(key)}={component(value)}" for key, value in pairs)
