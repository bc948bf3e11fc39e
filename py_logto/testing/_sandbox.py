"""``LogtoSandbox``: an in-process Logto that serves the user API (the Verifications API and the
Account API) on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Any, Callable, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Type

from py_logto.testing._app import LogtoApp
from py_logto.testing._models import (
    AccountCenterSettings,
    SandboxApplication,
    SandboxConnector,
    SandboxSignIn,
    SandboxUser,
    SentMessage,
    StoredAsset,
)
from py_logto.testing._routes.sessions import grant_view, session_view
from py_logto.testing._routes.verifications import CODE_TTL
from py_logto.testing._server import SandboxHTTPServer
from py_logto.testing._store import MFA_FACTORS, USER_SCOPES, Store, TokenSet, iso_timestamp, random_id
from py_logto.testing._totp import totp_code

__all__ = ["LogtoSandbox"]


class LogtoSandbox:
    """A local stand-in for a Logto tenant, serving ``/api/verifications/*`` and ``/api/my-account/*``.

    It answers as Logto 1.42 does (statuses, error codes, messages, ``data``/``details``,
    ``Logto-Core-Request-Id``, ETags), keeps its state in memory, and "sends" verification codes
    to :attr:`outbox` instead of mailing them. The account center starts enabled with every
    field editable, as on a tenant that switched the Account API on. Use it as a context manager::

        with LogtoSandbox() as sandbox:
            user = sandbox.add_user(password="s3cret-pass", email="jane@example.com")
            token = sandbox.issue_token(user)
            ...  # point py_logto.Configuration(host=sandbox.url) at it

    Args:
        host: the address to bind; 127.0.0.1 by default.
        port: the port to bind; 0 (the default) picks a free one.
        clock: returns the current time in epoch seconds; :func:`time.time` by default. Use it,
            or :meth:`advance`, to expire codes, records and tokens without sleeping.
        on_message: called with every :class:`SentMessage` as it is sent.
        default_connectors: create a social, an email and an SMS connector up front.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Optional[Callable[[], float]] = None,
        on_message: Optional[Callable[[SentMessage], None]] = None,
        default_connectors: bool = True,
    ) -> None:
        self._host = host
        self._requested_port = port
        self._store = Store(clock or time.time, on_message)
        self._server: Optional[SandboxHTTPServer] = None
        self._thread: Optional[threading.Thread] = None
        if default_connectors:
            self.add_social_connector()
            self.add_message_connector("email")
            self.add_message_connector("sms")

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> LogtoSandbox:
        """Bind the port and serve in a background thread. Returns ``self``."""
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")
        url_host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self._host, self._host)
        self._server = SandboxHTTPServer((self._host, self._requested_port), LogtoApp(self._store, url_host))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="logto-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every open connection. Safe to call twice."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None or thread is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join()

    def __enter__(self) -> LogtoSandbox:
        return self.start()

    def __exit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the sandbox listens on (only while running)."""
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() or use it in a with block")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The base URL to give ``py_logto.Configuration(host=...)``, e.g. ``http://127.0.0.1:54321``."""
        port = self.port
        assert self._server is not None
        host = self._server.app.default_hostname
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    # -- users --------------------------------------------------------------------------------

    def add_user(
        self,
        *,
        password: Optional[str] = None,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        username: Optional[str] = None,
        name: Optional[str] = None,
        avatar: Optional[str] = None,
        custom_data: Optional[Mapping[str, Any]] = None,
        profile: Optional[Mapping[str, Any]] = None,
        user_id: Optional[str] = None,
    ) -> SandboxUser:
        """Create a user and return a snapshot of it.

        ``phone`` is digits only, country code first; it is stored as Logto stores it (a trunk
        ``0`` after the country code is dropped). ``profile`` holds OIDC claims (``givenName``,
        ``address``, ...). ``user_id`` defaults to a random 12-character id.

        Raises:
            ValueError: the id, username, email or phone is another user's, or the phone is not
                one Logto accepts.
        """
        row = self._store.add_user(
            user_id=user_id,
            password=password,
            email=email,
            phone=phone,
            username=username,
            name=name,
            avatar=avatar,
            custom_data=custom_data,
            profile=profile,
        )
        return row.snapshot()

    def user(self, user_id: str) -> SandboxUser:
        """The user as it is now (after whatever the API changed).

        Raises:
            LookupError: no such user.
        """
        with self._store.lock:
            return self._store.user(user_id).snapshot()

    @property
    def users(self) -> List[SandboxUser]:
        with self._store.lock:
            return [row.snapshot() for row in self._store.users.values()]

    # -- applications, sign-ins and tokens ----------------------------------------------------

    @property
    def first_party_app(self) -> SandboxApplication:
        """The first-party application :meth:`issue_token` signs in to by default."""
        return self._store.first_party_app

    @property
    def third_party_app(self) -> SandboxApplication:
        """The third-party application ``issue_token(..., first_party=False)`` signs in to."""
        return self._store.third_party_app

    def add_application(
        self, name: str, *, third_party: bool = False, application_id: Optional[str] = None
    ) -> SandboxApplication:
        """Register another application to sign in to (its ``name`` shows in ``GET /grants``)."""
        return self._store.add_application(name, third_party=third_party, application_id=application_id)

    def sign_in(
        self,
        user: SandboxUser,
        *,
        application: Optional[SandboxApplication] = None,
        first_party: bool = True,
        scopes: Optional[Iterable[str]] = None,
        user_agent: str = "LogtoSandbox",
    ) -> SandboxSignIn:
        """Sign ``user`` in to an application: an OIDC session, a grant and an access token.

        Each sign-in is one more entry in ``GET /api/my-account/sessions`` and ``/grants``;
        deleting its session (with ``revokeGrantsTarget``) or its grant revokes its token.

        Args:
            user: a user of this sandbox.
            application: the application; by default :attr:`first_party_app`, or
                :attr:`third_party_app` when ``first_party`` is false.
            first_party: see ``application``.
            scopes: the token's scopes; every user scope by default (``openid``,
                ``offline_access``, ``profile``, ``email``, ``phone``, ``address``,
                ``custom_data``, ``identities``, ``roles``, ``urn:logto:scope:sessions``, ...).
                Routes answer missing scopes with 400, 401 or 403 as Logto does; a token
                without ``openid`` is refused everywhere (403 ``auth.forbidden``).
            user_agent: what the session's sign-in context records.
        """
        store = self._store
        if application is None:
            application = store.first_party_app if first_party else store.third_party_app
        with store.lock:
            row = store.user(user.id)
        return store.sign_in(row, application, USER_SCOPES if scopes is None else scopes, user_agent=user_agent)

    def issue_token(
        self,
        user: SandboxUser,
        *,
        first_party: bool = True,
        scopes: Optional[Iterable[str]] = None,
        application: Optional[SandboxApplication] = None,
    ) -> str:
        """Sign ``user`` in (see :meth:`sign_in`) and return the opaque access token.

        With ``first_party=False`` the token belongs to a third-party app, which may read the
        account but not change it (403 ``auth.third_party_application_forbidden``).
        """
        return self.sign_in(user, application=application, first_party=first_party, scopes=scopes).token

    def revoke_token(self, token: str) -> None:
        """Revoke a token; it then gets 401 ``auth.unauthorized``."""
        with self._store.lock:
            if token in self._store.tokens:
                self._store.tokens[token].revoked = True

    def sessions(self, user: SandboxUser) -> List[Dict[str, Any]]:
        """The user's live sessions as ``GET /api/my-account/sessions`` lists them."""
        with self._store.lock:
            return [session_view(session, "") for session in self._store.active_sessions(user.id)]

    def grants(self, user: SandboxUser) -> List[Dict[str, Any]]:
        """The user's live grants as ``GET /api/my-account/grants`` lists them."""
        with self._store.lock:
            return [grant_view(self._store, grant) for grant in self._store.active_grants(user.id)]

    # -- tenant settings ----------------------------------------------------------------------

    def account_center(
        self,
        *,
        enabled: Optional[bool] = None,
        fields: Optional[Mapping[str, Optional[str]]] = None,
        replace_fields: bool = False,
    ) -> AccountCenterSettings:
        """Read, and optionally change, the account-center settings.

        Args:
            enabled: switch the account center on or off. Off, every route of the user API
                (the seven verification routes too) answers 400 ``account_center.not_enabled``.
            fields: field name -> ``"Off"``, ``"ReadOnly"`` or ``"Edit"`` (``None`` removes the
                setting; a missing field is ``Off``, a missing ``passkey`` follows ``mfa``).
                Fields: ``name``, ``avatar``, ``profile``, ``email``, ``phone``, ``password``,
                ``username``, ``social``, ``customData``, ``mfa``, ``passkey``, ``session``,
                ``trustedDevice``. Writing a field that is not ``Edit`` answers 400
                ``account_center.field_not_editable``; ``GET /api/my-account`` leaves ``Off``
                fields out.
            replace_fields: replace all field settings with ``fields`` instead of updating them.

        Returns:
            The settings now in force. The default is enabled, with ``Edit`` for every field but
            ``passkey`` and ``trustedDevice``.

        Raises:
            ValueError: an unknown field or value.
        """
        return self._store.set_account_center(enabled, fields, replace_fields)

    def sign_in_experience(
        self, *, mfa_factors: Optional[Sequence[str]] = None, passkey_sign_in: Optional[bool] = None
    ) -> None:
        """Change the tenant's MFA settings.

        Args:
            mfa_factors: the factors users may bind: any of ``"Totp"``, ``"WebAuthn"``,
                ``"BackupCode"`` (all three by default). Binding another answers 400
                ``session.mfa.mfa_factor_not_enabled``.
            passkey_sign_in: allow passkey sign-in (then WebAuthn may be bound even when it is not
                an MFA factor).
        """
        with self._store.lock:
            if mfa_factors is not None:
                unknown = [factor for factor in mfa_factors if factor not in MFA_FACTORS]
                if unknown:
                    raise ValueError(f"unknown MFA factors {unknown}; known: {', '.join(MFA_FACTORS)}")
                self._store.mfa_factors = tuple(mfa_factors)
            if passkey_sign_in is not None:
                self._store.passkey_sign_in = passkey_sign_in

    @property
    def avatar_storage(self) -> bool:
        """Whether avatar uploads are stored (on by default). Off, an upload of a valid image
        answers 400 ``storage.not_configured``, as a Logto without a storage provider does."""
        return self._store.avatar_storage

    @avatar_storage.setter
    def avatar_storage(self, enabled: bool) -> None:
        self._store.avatar_storage = enabled

    @property
    def assets(self) -> List[StoredAsset]:
        """Every uploaded avatar (its ``url`` is served by the sandbox)."""
        with self._store.lock:
            return list(self._store.assets.values())

    # -- messages -----------------------------------------------------------------------------

    @property
    def outbox(self) -> List[SentMessage]:
        """Every verification code sent so far, oldest first (a copy)."""
        with self._store.lock:
            return list(self._store.outbox)

    def last_message(self, recipient: Optional[str] = None) -> SentMessage:
        """The latest message (to ``recipient``, compared case-insensitively, if given).

        Raises:
            LookupError: nothing was sent (to that recipient).
        """
        for message in reversed(self.outbox):
            if recipient is None or message.recipient.lower() == recipient.lower():
                return message
        raise LookupError(f"no message was sent{'' if recipient is None else ' to ' + recipient}")

    # -- connectors ---------------------------------------------------------------------------

    def add_social_connector(
        self,
        *,
        connector_id: Optional[str] = None,
        authorization_endpoint: str = "http://mock-social/",
        scope: str = "email profile",
        target: str = "mock-social",
        token_storage: bool = True,
    ) -> SandboxConnector:
        """Add a social connector that behaves like Logto's mock social connector.

        Its authorization URI is ``<authorization_endpoint>?state=..&redirect_uri=..&scope=..``.
        Its callback data (``connectorData``) needs a string ``code``; ``userId``, ``email``,
        ``phone``, ``name`` and ``avatar`` must be strings when present; ``userId`` becomes the
        social account's id (a random one otherwise). The identity it links is
        ``identities[target]``. With ``token_storage``, a ``tokenResponse`` object in the data is
        checked and kept, so linking stores the user's token set for ``target``.
        """
        return self._store.add_connector(
            SandboxConnector(
                connector_id or random_id(12), "Social", authorization_endpoint, scope, target, token_storage
            )
        )

    def add_message_connector(
        self, channel: Literal["email", "sms"], *, connector_id: Optional[str] = None
    ) -> SandboxConnector:
        """Add an email or SMS connector (codes go to :attr:`outbox`)."""
        kinds = {"email": "Email", "sms": "Sms"}
        if channel not in kinds:
            raise ValueError("channel must be 'email' or 'sms'")
        return self._store.add_connector(SandboxConnector(connector_id or random_id(12), kinds[channel]))

    def remove_connector(self, connector_id: str) -> None:
        """Remove a connector. Without an SMS (email) connector, sending a code to a phone
        (email) answers 501 ``connector.not_found``."""
        self._store.remove_connector(connector_id)

    @property
    def connectors(self) -> List[SandboxConnector]:
        with self._store.lock:
            return list(self._store.connectors.values())

    def _first_connector(self, connector_type: str) -> Optional[SandboxConnector]:
        return next((c for c in self.connectors if c.type == connector_type), None)

    @property
    def social_connector(self) -> Optional[SandboxConnector]:
        """The first social connector (its ``id`` is the ``connector_id`` to use)."""
        return self._first_connector("Social")

    @property
    def email_connector(self) -> Optional[SandboxConnector]:
        """The first email connector; not a social one, so the social route answers 400
        ``connector.unexpected_type`` for its id."""
        return self._first_connector("Email")

    @property
    def sms_connector(self) -> Optional[SandboxConnector]:
        return self._first_connector("Sms")

    def set_social_token(
        self,
        user: SandboxUser,
        access_token: str,
        *,
        target: str = "mock-social",
        scope: Optional[str] = None,
        token_type: Optional[str] = None,
        expires_in: Optional[int] = None,
        refresh_token: Optional[str] = None,
    ) -> None:
        """Store a social token set for ``user`` (what linking with token storage keeps), for
        ``GET /api/my-account/identities/{target}/access-token``.

        An expired one (``expires_in`` of 0 or less) answers 401
        ``secrets.third_party_token_set.access_token_expired`` and is deleted, or 422
        ``connector.token_storage_not_supported`` when it has a refresh token (the mock
        connectors cannot refresh).
        """
        self._set_token(
            self._store.social_tokens, user, target, access_token, scope, token_type, expires_in, refresh_token
        )

    def set_sso_token(
        self,
        user: SandboxUser,
        connector_id: str,
        access_token: str,
        *,
        scope: Optional[str] = None,
        token_type: Optional[str] = None,
        expires_in: Optional[int] = None,
        refresh_token: Optional[str] = None,
    ) -> None:
        """Store an enterprise SSO token set, for ``GET /api/my-account/sso-identities/{connector_id}/access-token``."""
        self._set_token(
            self._store.sso_tokens, user, connector_id, access_token, scope, token_type, expires_in, refresh_token
        )

    def _set_token(
        self,
        tokens: Dict[Any, TokenSet],
        user: SandboxUser,
        key: str,
        access_token: str,
        scope: Optional[str],
        token_type: Optional[str],
        expires_in: Optional[int],
        refresh_token: Optional[str],
    ) -> None:
        with self._store.lock:
            now = int(self._store.now())
            expires_at = None if expires_in is None else now + expires_in
            tokens[(self._store.user(user.id).id, key)] = TokenSet(
                access_token, refresh_token, scope, token_type, expires_at, key
            )

    # -- MFA ----------------------------------------------------------------------------------

    def totp_code(self, secret: str, *, offset: int = 0) -> str:
        """The 6-digit code an authenticator app shows for ``secret`` now, on the sandbox clock
        (``offset`` steps of 30 seconds later or, negative, earlier)."""
        return totp_code(secret, self.now() + offset * 30)

    def use_backup_code(self, user: SandboxUser, code: str) -> None:
        """Spend one of the user's backup codes, as an MFA sign-in would (it gets a ``usedAt``).

        Raises:
            LookupError: the user has no such unused backup code.
        """
        with self._store.lock:
            row = self._store.user(user.id)
            for factor in row.mfa_verifications:
                for entry in factor.get("codes", []) if factor["type"] == "BackupCode" else []:
                    if entry["code"] == code and not entry.get("usedAt"):
                        entry["usedAt"] = iso_timestamp(self._store.now())
                        return
        raise LookupError("the user has no such unused backup code")

    # -- time ---------------------------------------------------------------------------------

    def now(self) -> float:
        """The sandbox time: ``clock()`` plus everything :meth:`advance` added."""
        return self._store.now()

    def advance(self, seconds: float) -> None:
        """Move the sandbox clock forward (codes and records live 600 s, lockouts 3600 s,
        sessions 14 days, grants 180 days)."""
        self._store.advance(seconds)

    def expire_record(self, verification_record_id: str) -> None:
        """Make a verification record expired now (then it is "not found" everywhere, and no
        longer proves who the user is)."""
        self._store.expire_record(verification_record_id)

    def expire_code(self, verification_record_id: str) -> None:
        """Age the code of a verification-code record past its 10 minutes while the record
        stays valid, so verifying it answers 400 ``verification_code.expired``.

        (Moving the clock 10 minutes expires the record too, and a missing record is reported
        first, exactly as on a real Logto.)
        """
        with self._store.lock:
            self._store.passcodes[verification_record_id].created_at = self._store.now() - CODE_TTL - 60
