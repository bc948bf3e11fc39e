"""``LogtoSandbox``: an in-process Logto that serves the Verifications API on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Callable, List, Literal, Optional, Type

from py_logto.testing._app import LogtoApp
from py_logto.testing._logto import LogtoState, SandboxConnector, SandboxUser, SentMessage, random_id
from py_logto.testing._server import SandboxHTTPServer

__all__ = ["LogtoSandbox"]


class LogtoSandbox:
    """A local stand-in for a Logto tenant, speaking the seven ``/api/verifications`` routes.

    It answers as Logto 1.42 does (statuses, error codes, messages, ``data``/``details``,
    ``Logto-Core-Request-Id``), keeps its state in memory and "sends" verification codes to
    :attr:`outbox` instead of mailing them. Use it as a context manager::

        with LogtoSandbox() as sandbox:
            user = sandbox.add_user(password="s3cret-pass", email="jane@example.com")
            token = sandbox.issue_token(user)
            ...  # point py_logto.Configuration(host=sandbox.url) at it

    Args:
        host: the address to bind; 127.0.0.1 by default.
        port: the port to bind; 0 (the default) picks a free one.
        clock: returns the current time in epoch seconds; :func:`time.time` by default. Use it,
            or :meth:`advance`, to expire codes and records without sleeping.
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
        self._state = LogtoState(clock or time.time, on_message)
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
        self._server = SandboxHTTPServer((self._host, self._requested_port), LogtoApp(self._state, url_host))
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

    # -- users and tokens ---------------------------------------------------------------------

    def add_user(
        self,
        *,
        password: Optional[str] = None,
        email: Optional[str] = None,
        phone: Optional[str] = None,
        username: Optional[str] = None,
    ) -> SandboxUser:
        """Create a user. ``phone`` is digits only, country code included, as Logto stores it."""
        return self._state.add_user(password=password, email=email, phone=phone, username=username)

    @property
    def users(self) -> List[SandboxUser]:
        with self._state.lock:
            return list(self._state.users.values())

    def issue_token(self, user: SandboxUser, *, first_party: bool = True) -> str:
        """Issue an opaque access token for ``user``, as if it signed in to an app.

        Args:
            user: a user of this sandbox.
            first_party: ``False`` issues it to a third-party app, which every route but the two
                social ones refuses with 403 ``auth.third_party_application_forbidden``.
        """
        return self._state.issue_token(user, first_party)

    def revoke_token(self, token: str) -> None:
        """Revoke a token; it then gets 401 ``auth.unauthorized``."""
        self._state.revoke_token(token)

    # -- messages -----------------------------------------------------------------------------

    @property
    def outbox(self) -> List[SentMessage]:
        """Every verification code sent so far, oldest first (a copy)."""
        with self._state.lock:
            return list(self._state.outbox)

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
    ) -> SandboxConnector:
        """Add a social connector that behaves like Logto's mock social connector.

        Its authorization URI is ``<authorization_endpoint>?state=..&redirect_uri=..&scope=..``,
        and its verification needs a string ``code`` in ``connectorData``.
        """
        return self._state.add_connector(
            SandboxConnector(connector_id or random_id(12), "Social", authorization_endpoint, scope)
        )

    def add_message_connector(
        self, channel: Literal["email", "sms"], *, connector_id: Optional[str] = None
    ) -> SandboxConnector:
        """Add an email or SMS connector (codes go to :attr:`outbox`)."""
        kinds = {"email": "Email", "sms": "Sms"}
        if channel not in kinds:
            raise ValueError("channel must be 'email' or 'sms'")
        return self._state.add_connector(SandboxConnector(connector_id or random_id(12), kinds[channel]))

    def remove_connector(self, connector_id: str) -> None:
        """Remove a connector. Without an SMS (email) connector, sending a code to a phone
        (email) answers 501 ``connector.not_found``."""
        self._state.remove_connector(connector_id)

    @property
    def connectors(self) -> List[SandboxConnector]:
        with self._state.lock:
            return list(self._state.connectors.values())

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

    # -- time ---------------------------------------------------------------------------------

    def now(self) -> float:
        """The sandbox's current time: ``clock()`` plus everything :meth:`advance` added."""
        return self._state.now()

    def advance(self, seconds: float) -> None:
        """Move the sandbox clock forward (codes and records live 600 s, lockouts 3600 s)."""
        self._state.advance(seconds)

    def expire_record(self, verification_record_id: str) -> None:
        """Make a verification record expired now (then 400 ``verification_record.not_found``)."""
        self._state.expire_record(verification_record_id)

    def expire_code(self, verification_record_id: str) -> None:
        """Age the code of a verification-code record past its 10 minutes while the record
        stays valid, so verifying it answers 400 ``verification_code.expired``.

        (Moving the clock 10 minutes expires the record too, and a missing record is reported
        first, exactly as on a real Logto.)
        """
        self._state.expire_code(verification_record_id)
