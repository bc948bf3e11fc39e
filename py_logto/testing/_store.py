"""The sandbox's tenant: every row Logto would keep in PostgreSQL and in its OIDC adapter, in
memory, with the database's own rules (column lengths, unique identifiers, stored phone format,
``jsonb`` key order) and the clock the tests move.

The routes hold :attr:`Store.lock` while they run; the set-up methods take it themselves, so a
test and parallel requests always see one consistent state.
"""

from __future__ import annotations

import hmac
import math
import secrets
import string
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Tuple

from py_logto.testing._errors import LogtoError
from py_logto.testing._models import (
    AccountCenterSettings,
    SandboxApplication,
    SandboxConnector,
    SandboxSignIn,
    SandboxUser,
    SentMessage,
    StoredAsset,
)
from py_logto.testing._phone import normalize, parse_phone

__all__ = [
    "ACCOUNT_CENTER_FIELDS",
    "USER_SCOPES",
    "AccessToken",
    "Grant",
    "Record",
    "Session",
    "Store",
    "TokenSet",
    "UserRow",
    "iso_timestamp",
    "jsonb",
    "random_id",
    "same_secret",
]

RECORD_TTL = 10 * 60
SESSION_TTL = 14 * 24 * 60 * 60
GRANT_TTL = 180 * 24 * 60 * 60
USER_SCOPES = (
    "openid",
    "offline_access",
    "profile",
    "email",
    "phone",
    "address",
    "custom_data",
    "identities",
    "roles",
    "urn:logto:scope:organizations",
    "urn:logto:scope:organization_roles",
    "urn:logto:scope:sessions",
    "urn:logto:scope:trusted_devices",
)
ACCOUNT_CENTER_FIELDS = (
    "name",
    "avatar",
    "profile",
    "email",
    "phone",
    "password",
    "username",
    "social",
    "customData",
    "mfa",
    "passkey",
    "session",
    "trustedDevice",
)
CONTROL_VALUES = ("Off", "ReadOnly", "Edit")
#: What a tenant that switched the Account API on has: every field editable, passkeys following MFA.
DEFAULT_FIELDS = dict.fromkeys(
    ("name", "avatar", "profile", "email", "phone", "password", "username", "social", "customData", "mfa", "session"),
    "Edit",
)
MFA_FACTORS = ("Totp", "WebAuthn", "BackupCode")
# varchar lengths of the users table, which PostgreSQL enforces after every other check.
_COLUMN_LIMITS = {"username": 128, "primary_email": 128, "primary_phone": 128, "name": 128, "avatar": 2048}
_LOWER_ALNUM = string.ascii_lowercase + string.digits
_OIDC_ALPHABET = string.ascii_letters + string.digits + "_-"


def random_id(length: int = 21, alphabet: str = _LOWER_ALNUM) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def oidc_id() -> str:
    """An oidc-provider identifier (session uid, jti, grant id): 43 URL-safe characters."""
    return random_id(43, _OIDC_ALPHABET)


def iso_timestamp(seconds: float) -> str:
    """``new Date(ms).toISOString()``: UTC, milliseconds, ``Z``."""
    millis = math.floor(seconds * 1000)
    moment = datetime.fromtimestamp(millis // 1000, timezone.utc)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{millis % 1000:03d}Z"


def jsonb(value: Any) -> Any:
    """A JSON value as PostgreSQL's ``jsonb`` gives it back: object keys shortest first, then by
    their bytes."""
    if isinstance(value, dict):
        keys = sorted(
            value, key=lambda key: (len(key.encode("utf-8", "surrogatepass")), key.encode("utf-8", "surrogatepass"))
        )
        return {key: jsonb(value[key]) for key in keys}
    if isinstance(value, list):
        return [jsonb(item) for item in value]
    return value


def same_secret(given: str, expected: str) -> bool:
    """Compare secrets in constant time; JSON may carry lone surrogates, hence surrogatepass."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


def value_too_long(limit: int) -> LogtoError:
    """PostgreSQL refused a value longer than its ``varchar(limit)`` column."""
    return LogtoError(
        "entity.value_too_long",
        status=422,
        data={"message": f"value too long for type character varying({limit})"},
    )


@dataclass
class UserRow:
    id: str
    username: Optional[str] = None
    primary_email: Optional[str] = None
    primary_phone: Optional[str] = None
    password: Optional[str] = field(default=None, repr=False)
    name: Optional[str] = None
    avatar: Optional[str] = None
    profile: Dict[str, Any] = field(default_factory=dict)
    custom_data: Dict[str, Any] = field(default_factory=dict)
    identities: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    logto_config: Dict[str, Any] = field(default_factory=dict)
    mfa_verifications: List[Dict[str, Any]] = field(default_factory=list, repr=False)
    application_id: Optional[str] = None
    created_at: int = 0  # epoch milliseconds
    updated_at: int = 0
    last_sign_in_at: Optional[int] = None

    @property
    def has_security_verification_method(self) -> bool:
        return bool(self.password) or bool(self.primary_email) or bool(self.primary_phone)

    def identifier_count(self) -> int:
        return (
            int(bool(self.username))
            + int(bool(self.primary_email))
            + int(bool(self.primary_phone))
            + len(self.identities)
        )

    def snapshot(self) -> SandboxUser:
        return SandboxUser(
            id=self.id,
            password=self.password,
            email=self.primary_email,
            phone=self.primary_phone,
            username=self.username,
            name=self.name,
            avatar=self.avatar,
            profile=dict(self.profile),
            custom_data=dict(self.custom_data),
            identities={target: dict(identity) for target, identity in self.identities.items()},
            mfa_verifications=tuple(dict(factor) for factor in self.mfa_verifications),
        )


@dataclass
class Grant:
    id: str
    account_id: str
    client_id: str
    scope: str
    iat: int  # epoch seconds
    expires_at: int  # epoch milliseconds
    revoked: bool = False

    @property
    def exp(self) -> int:
        return self.expires_at // 1000


@dataclass
class Session:
    uid: str
    jti: str
    account_id: str
    client_id: str
    login_ts: int
    iat: int  # epoch seconds
    expires_at: int  # epoch milliseconds
    authorizations: Dict[str, Dict[str, Any]]
    last_submission: Optional[Dict[str, Any]]
    destroyed: bool = False

    @property
    def exp(self) -> int:
        return self.expires_at // 1000


@dataclass
class AccessToken:
    account_id: str
    client_id: str
    grant_id: str
    session_uid: str
    scopes: FrozenSet[str]
    revoked: bool = False


@dataclass
class Record:
    """A verification record (``verification_records`` row): ``user_id`` is its owner, if any."""

    id: str
    type: str
    expires_at: float
    user_id: Optional[str] = None
    verified: bool = False
    data: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class Passcode:
    code: str = field(repr=False)
    identifier: Dict[str, str]  # {"email": ...} or {"phone": ...}
    created_at: float
    tries: int = 0
    consumed: bool = False


@dataclass
class TokenSet:
    """A third-party token set (``secrets`` row) for a social target or an SSO connector."""

    access_token: str = field(repr=False)
    refresh_token: Optional[str] = field(default=None, repr=False)
    scope: Optional[str] = None
    token_type: Optional[str] = None
    expires_at: Optional[int] = None  # epoch seconds
    connector_id: str = ""


@dataclass
class Activity:
    """A sentinel activity: a verification attempt and the lockout it may have started."""

    created_at: float
    failed: bool
    blocked_until: Optional[float]


class Store:
    """Everything the sandbox knows, behind one lock."""

    def __init__(self, clock: Callable[[], float], on_message: Optional[Callable[[SentMessage], None]] = None) -> None:
        self._clock = clock
        self._offset = 0.0
        self.on_message = on_message
        self.lock = threading.RLock()
        self.users: Dict[str, UserRow] = {}
        self.applications: Dict[str, SandboxApplication] = {}
        self.grants: Dict[str, Grant] = {}
        self.sessions: Dict[str, Session] = {}
        self.tokens: Dict[str, AccessToken] = {}
        self.records: Dict[str, Record] = {}
        self.passcodes: Dict[str, Passcode] = {}
        self.activities: Dict[str, List[Activity]] = {}
        self.sends: Dict[str, List[float]] = {}
        self.outbox: List[SentMessage] = []
        self.connectors: Dict[str, SandboxConnector] = {}
        self.social_tokens: Dict[Tuple[str, str], TokenSet] = {}  # (user id, target)
        self.sso_tokens: Dict[Tuple[str, str], TokenSet] = {}  # (user id, SSO connector id)
        self.assets: Dict[str, StoredAsset] = {}  # URL path -> asset
        self.account_center = AccountCenterSettings(True, dict(DEFAULT_FIELDS))
        self.mfa_factors: Tuple[str, ...] = MFA_FACTORS
        self.passkey_sign_in = False
        self.avatar_storage = True
        self.first_party_app = self.add_application("Sandbox first-party app", third_party=False)
        self.third_party_app = self.add_application("Sandbox third-party app", third_party=True)

    # -- time ---------------------------------------------------------------------------------

    def now(self) -> float:
        return self._clock() + self._offset

    def now_ms(self) -> int:
        return math.floor(self.now() * 1000)

    def advance(self, seconds: float) -> None:
        with self.lock:
            self._offset += seconds

    # -- users --------------------------------------------------------------------------------

    def add_user(
        self,
        *,
        user_id: Optional[str] = None,
        password: Optional[str] = None,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        username: Optional[str] = None,
        name: Optional[str] = None,
        avatar: Optional[str] = None,
        custom_data: Optional[Mapping[str, Any]] = None,
        profile: Optional[Mapping[str, Any]] = None,
    ) -> UserRow:
        with self.lock:
            identifier = user_id or random_id(12)
            if identifier in self.users:
                raise ValueError(f"a user with id {identifier!r} already exists")
            if phone is not None and parse_phone(phone) is None:
                raise ValueError(f"{phone!r} is not a phone number Logto would accept (digits, country code first)")
            for taken, value, what in (
                (self.user_by_username(username) if username else None, username, "username"),
                (self.user_by_email(email) if email else None, email, "email"),
                (self.user_by_phone(phone) if phone else None, phone, "phone"),
            ):
                if taken is not None:
                    raise ValueError(f"another user already has the {what} {value!r}")
            now = self.now_ms()
            row = UserRow(
                identifier,
                username=username,
                primary_email=email,
                primary_phone=normalize(phone) if phone else None,
                password=password,
                name=name,
                avatar=avatar,
                profile=dict(profile or {}),
                custom_data=jsonb(dict(custom_data or {})),
                created_at=now,
                updated_at=now,
            )
            self.users[row.id] = row
            return row

    def user(self, user_id: str) -> UserRow:
        try:
            return self.users[user_id]
        except KeyError:
            raise LookupError(f"no user with id {user_id!r} in this sandbox") from None

    def user_by_username(self, username: str) -> Optional[UserRow]:
        return next((u for u in self.users.values() if u.username == username), None)

    def user_by_email(self, email: str) -> Optional[UserRow]:
        lowered = email.lower()
        return next((u for u in self.users.values() if (u.primary_email or "").lower() == lowered), None)

    def user_by_phone(self, phone: str) -> Optional[UserRow]:
        """Logto's normalized phone lookup: the same number with or without a trunk ``0``."""
        wanted = {phone, normalize(phone)}
        parsed = parse_phone(phone)
        if parsed is not None:
            wanted.add(f"{parsed.country_code}0{parsed.national_number}")
        return next((u for u in self.users.values() if u.primary_phone in wanted), None)

    def user_by_identity(self, target: str, social_user_id: str) -> Optional[UserRow]:
        return next(
            (u for u in self.users.values() if u.identities.get(target, {}).get("userId") == social_user_id), None
        )

    def check_identifier_collision(
        self,
        user: UserRow,
        *,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        username: Optional[str] = None,
        identity: Optional[Tuple[str, str]] = None,
    ) -> None:
        """Logto's ``checkIdentifierCollision``: each identifier must be no other user's."""

        def taken(other: Optional[UserRow]) -> bool:
            return other is not None and other.id != user.id

        if email and taken(self.user_by_email(email)):
            raise LogtoError("user.email_already_in_use", status=422)
        if phone and taken(self.user_by_phone(phone)):
            raise LogtoError("user.phone_already_in_use", status=422)
        if username and taken(self.user_by_username(username)):
            raise LogtoError("user.username_already_in_use", status=422)
        if identity and taken(self.user_by_identity(*identity)):
            raise LogtoError("user.identity_already_in_use", status=422)

    def update_user(self, user: UserRow, **changes: Any) -> UserRow:
        """``updateUserById``: column limits, the stored phone format, ``updated_at``."""
        for column, limit in _COLUMN_LIMITS.items():
            value = changes.get(column)
            if isinstance(value, str) and len(value) > limit:
                raise value_too_long(limit)
        if changes.get("primary_phone"):
            parsed = parse_phone(changes["primary_phone"])
            if parsed is None:
                raise LogtoError("user.invalid_phone", status=422)
            changes["primary_phone"] = parsed.country_code + parsed.national_number
        for column in ("custom_data", "identities", "logto_config"):
            if column in changes:
                changes[column] = jsonb(changes[column])
        for column, value in changes.items():
            setattr(user, column, value)
        user.updated_at = self.now_ms()
        return user

    # -- applications, sign-ins, tokens -------------------------------------------------------

    def add_application(
        self, name: str, *, third_party: bool = False, application_id: Optional[str] = None
    ) -> SandboxApplication:
        with self.lock:
            application = SandboxApplication(application_id or random_id(), name, third_party)
            self.applications[application.id] = application
            return application

    def sign_in(
        self,
        user: UserRow,
        application: SandboxApplication,
        scopes: Iterable[str],
        *,
        user_agent: str = "LogtoSandbox",
    ) -> SandboxSignIn:
        """A completed sign-in: an OIDC session, a grant for the application, an access token."""
        with self.lock:
            if user.id not in self.users:
                raise ValueError(f"user {user.id!r} does not belong to this sandbox")
            if application.id not in self.applications:
                raise ValueError(f"application {application.id!r} does not belong to this sandbox")
            scope_list = tuple(dict.fromkeys(scopes))
            now_ms = self.now_ms()
            now = now_ms // 1000
            grant = Grant(oidc_id(), user.id, application.id, " ".join(scope_list), now, now_ms + GRANT_TTL * 1000)
            authorization: Dict[str, Any] = {"sid": oidc_id(), "grantId": grant.id}
            if "offline_access" in scope_list:
                authorization["persistsLogout"] = True
            identifier_type, identifier_value = next(
                (kind, value)
                for kind, value in (
                    ("username", user.username),
                    ("email", user.primary_email),
                    ("phone", user.primary_phone),
                    ("userId", user.id),
                )
                if value
            )
            session = Session(
                uid=oidc_id(),
                jti=oidc_id(),
                account_id=user.id,
                client_id=application.id,
                login_ts=now,
                iat=now,
                expires_at=now_ms + SESSION_TTL * 1000,
                authorizations={application.id: authorization},
                last_submission={
                    "interactionEvent": "SignIn",
                    "userId": user.id,
                    "verificationRecords": [
                        {
                            "id": random_id(),
                            "type": "Password",
                            "identifier": {"type": identifier_type, "value": identifier_value},
                            "verified": True,
                        }
                    ],
                    "signInContext": {"ip": "127.0.0.1", "userAgent": user_agent},
                },
            )
            token = secrets.token_urlsafe(32)
            self.grants[grant.id] = grant
            self.sessions[session.uid] = session
            self.tokens[token] = AccessToken(user.id, application.id, grant.id, session.uid, frozenset(scope_list))
            user.last_sign_in_at = self.now_ms()
            if user.application_id is None:  # the application the user first signed in to
                user.application_id = application.id
            return SandboxSignIn(token, user.id, application.id, session.uid, grant.id, scope_list)

    def token(self, value: str) -> Optional[AccessToken]:
        """An access token that still works: known, not revoked, its grant alive, its user there."""
        token = self.tokens.get(value)
        if token is None or token.revoked or token.account_id not in self.users:
            return None
        grant = self.grants.get(token.grant_id)
        if grant is None or grant.revoked:
            return None
        return token

    def revoke_grant(self, grant: Grant) -> None:
        """Revoke a grant and every access token issued under it."""
        grant.revoked = True
        for token in self.tokens.values():
            if token.grant_id == grant.id:
                token.revoked = True

    def active_sessions(self, user_id: str) -> List[Session]:
        now = self.now_ms()
        return [s for s in self.sessions.values() if s.account_id == user_id and not s.destroyed and s.expires_at > now]

    def active_grants(self, user_id: str) -> List[Grant]:
        now = self.now_ms()
        return [g for g in self.grants.values() if g.account_id == user_id and not g.revoked and g.expires_at > now]

    # -- verification records -----------------------------------------------------------------

    def new_record(self, record_type: str, *, user_id: Optional[str] = None, **data: Any) -> Record:
        record = Record(random_id(), record_type, self.now() + RECORD_TTL, user_id, data=data)
        self.records[record.id] = record
        return record

    def active_record(self, record_id: str, record_type: Optional[str] = None) -> Optional[Record]:
        """An unexpired record (of ``record_type``, if given), or ``None``."""
        record = self.records.get(record_id)
        if record is None or record.expires_at <= self.now():
            return None
        if record_type is not None and record.type != record_type:
            return None
        return record

    def record(self, record_id: str, record_type: str) -> Record:
        """``buildVerificationRecordByIdAndType``: a missing, expired or other-type record is
        400 ``verification_record.not_found``."""
        record = self.active_record(record_id, record_type)
        if record is None:
            raise LogtoError("verification_record.not_found")
        return record

    def expire_record(self, record_id: str) -> None:
        with self.lock:
            self.records[record_id].expires_at = self.now() - 60

    # -- connectors ---------------------------------------------------------------------------

    def add_connector(self, connector: SandboxConnector) -> SandboxConnector:
        with self.lock:
            self.connectors[connector.id] = connector
            return connector

    def remove_connector(self, connector_id: str) -> None:
        with self.lock:
            self.connectors.pop(connector_id, None)

    def social_connector_for(self, target: str) -> Optional[SandboxConnector]:
        return next((c for c in self.connectors.values() if c.type == "Social" and c.target == target), None)

    # -- account center and tenant settings ---------------------------------------------------

    def set_account_center(
        self, enabled: Optional[bool], fields: Optional[Mapping[str, Optional[str]]], replace_fields: bool
    ) -> AccountCenterSettings:
        with self.lock:
            current = dict({} if replace_fields else self.account_center.fields)
            for name, value in (fields or {}).items():
                if name not in ACCOUNT_CENTER_FIELDS:
                    raise ValueError(
                        f"unknown account center field {name!r}; known: {', '.join(ACCOUNT_CENTER_FIELDS)}"
                    )
                if value is None:
                    current.pop(name, None)
                elif value in CONTROL_VALUES:
                    current[name] = value
                else:
                    raise ValueError(f"field {name!r}: {value!r} is not one of {', '.join(CONTROL_VALUES)} (or None)")
            self.account_center = replace(
                self.account_center,
                enabled=self.account_center.enabled if enabled is None else bool(enabled),
                fields=current,
            )
            return self.account_center
