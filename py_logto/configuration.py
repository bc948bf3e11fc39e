"""Settings for an :class:`~py_logto.ApiClient`.

Every field here is read by the client; none is decorative. Connection-level
fields (TLS, proxy, pool size) are read when an ``ApiClient`` is created; the
others (host, token, timeout, retries, debug) on every request.
"""

from __future__ import annotations

import copy
import logging
import sys
import threading
from typing import Any, Callable, ClassVar, Mapping, Optional, Tuple, Union
from urllib.parse import urlsplit, urlunsplit

from urllib3 import Retry, Timeout

__all__ = ["Configuration", "DEFAULT_TIMEOUT", "DEFAULT_RETRIES", "TokenSource"]

#: The default timeout: 10 s to connect, 60 s between bytes of the response.
DEFAULT_TIMEOUT = Timeout(connect=10.0, read=60.0)

#: The default retry policy: up to 2 new attempts when a connection cannot be
#: *established* (refused, DNS failure, connect timeout) and nothing else, since
#: every Verifications call is a non-idempotent POST.
DEFAULT_RETRIES = Retry(
    total=2,
    connect=2,
    read=0,
    status=0,
    other=0,
    redirect=0,
    backoff_factor=0.2,
    raise_on_status=False,
    raise_on_redirect=False,
)

#: An access token, or a zero-argument callable returning the current one.
TokenSource = Union[str, Callable[[], str]]

TimeoutSetting = Union[None, float, int, Timeout, Tuple[Optional[float], Optional[float]]]
RetriesSetting = Union[None, int, Retry]

_LOGGER = logging.getLogger("py_logto")


class _Unset:
    """Marks an argument that was not given (``None`` means "no timeout" / "no retries")."""

    _instance: ClassVar[Optional[_Unset]] = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unset>"

    def __bool__(self) -> bool:
        return False


_UNSET: Any = _Unset()


def _redact_url(url: str) -> str:
    """Drop any ``user:password@`` from a URL before it is shown."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


class Configuration:
    """Where and how to reach Logto.

    Args:
        host: the Logto endpoint, e.g. ``https://my-tenant.logto.app`` (default
            ``http://localhost``); a trailing slash is ignored.
        access_token: the signed-in user's opaque access token, or a callable
            returning the current token (called for every request).
        timeout: seconds (float), or a ``urllib3.Timeout``; ``None`` disables
            timeouts. Default: 10 s connect, 60 s read.
        retries: ``None`` (never retry), an int (retry that many failed
            connection attempts) or a ``urllib3.Retry``. Default: 2 retries of
            connection failures only. See the README before enabling more.
        verify_ssl: verify the server's TLS certificate (default ``True``).
        ssl_ca_cert: path of a CA bundle to trust instead of the system's.
        cert_file: client certificate (PEM) for mutual TLS.
        key_file: private key of ``cert_file``.
        assert_hostname: the host name the server certificate must match, when
            it differs from the one in ``host``.
        proxy: URL of an HTTP(S) proxy.
        proxy_headers: headers sent to the proxy (e.g. ``Proxy-Authorization``).
        connection_pool_maxsize: connections kept open per host (default 10);
            size it to the number of threads sharing one client.
        debug: log each request (method, path, status, timing, request id) to
            the ``py_logto`` logger at DEBUG level. Bodies and the
            ``Authorization`` header are never logged.
    """

    _default: ClassVar[Optional[Configuration]] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        host: Optional[str] = None,
        access_token: Optional[TokenSource] = None,
        *,
        timeout: TimeoutSetting = _UNSET,
        retries: RetriesSetting = _UNSET,
        verify_ssl: bool = True,
        ssl_ca_cert: Optional[str] = None,
        cert_file: Optional[str] = None,
        key_file: Optional[str] = None,
        assert_hostname: Optional[str] = None,
        proxy: Optional[str] = None,
        proxy_headers: Optional[Mapping[str, str]] = None,
        connection_pool_maxsize: int = 10,
        debug: bool = False,
    ) -> None:
        self.host = "http://localhost" if host is None else host
        self.access_token = access_token
        self.timeout = DEFAULT_TIMEOUT if timeout is _UNSET else timeout
        self.retries = DEFAULT_RETRIES if retries is _UNSET else retries
        self.verify_ssl = verify_ssl
        self.ssl_ca_cert = ssl_ca_cert
        self.cert_file = cert_file
        self.key_file = key_file
        self.assert_hostname = assert_hostname
        self.proxy = proxy
        self.proxy_headers = proxy_headers
        self.connection_pool_maxsize = connection_pool_maxsize
        self._debug = False
        self._debug_handler: Optional[logging.Handler] = None
        self.debug = debug

    # -- host -----------------------------------------------------------------

    @property
    def host(self) -> str:
        """The base URL, without a trailing slash."""
        return self._host

    @host.setter
    def host(self, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise TypeError("Configuration.host must be a non-empty URL string")
        value = value.strip().rstrip("/")
        scheme = value.split("://", 1)[0].lower() if "://" in value else ""
        if scheme not in ("http", "https"):
            raise ValueError(f"Configuration.host must start with http:// or https://, got {_redact_url(value)!r}")
        self._host = value

    # -- timeout / retries ---------------------------------------------------------

    @property
    def timeout(self) -> Optional[Timeout]:
        """The timeout applied to every request, as a ``urllib3.Timeout`` (``None``: none)."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: TimeoutSetting) -> None:
        self._timeout = _to_timeout(value, "Configuration.timeout")

    @property
    def retries(self) -> Retry:
        """The retry policy, as a ``urllib3.Retry``."""
        return self._retries

    @retries.setter
    def retries(self, value: RetriesSetting) -> None:
        self._retries = _to_retry(value)

    # -- debug ----------------------------------------------------------------

    @property
    def debug(self) -> bool:
        """Whether request summaries are logged to the ``py_logto`` logger."""
        return self._debug

    @debug.setter
    def debug(self, value: bool) -> None:
        value = bool(value)
        if value == self._debug:
            return
        self._debug = value
        if value:
            _LOGGER.setLevel(logging.DEBUG)
            if not any(not isinstance(h, logging.NullHandler) for h in _LOGGER.handlers):
                handler = logging.StreamHandler(sys.stderr)
                handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
                _LOGGER.addHandler(handler)
                self._debug_handler = handler
        else:
            _LOGGER.setLevel(logging.NOTSET)
            if self._debug_handler is not None:
                _LOGGER.removeHandler(self._debug_handler)
                self._debug_handler = None

    # -- token ----------------------------------------------------------------

    def get_access_token(self) -> Optional[str]:
        """The token to send now: ``access_token`` itself, or what its callable returns."""
        token = self.access_token
        if token is None or isinstance(token, str):
            return token
        value = token()
        if value is not None and not isinstance(value, str):
            raise TypeError("the access_token callable must return a str")
        return value

    # -- defaults -------------------------------------------------------------

    @classmethod
    def set_default(cls, default: Optional[Configuration]) -> None:
        """Use ``default`` (copied) for clients created without a configuration."""
        with cls._default_lock:
            cls._default = copy.copy(default) if default is not None else None

    @classmethod
    def get_default(cls) -> Configuration:
        """A copy of the default configuration (a new ``Configuration()`` if none was set)."""
        with cls._default_lock:
            default = cls._default
        return copy.copy(default) if default is not None else cls()

    get_default_copy = get_default

    def __copy__(self) -> Configuration:
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._debug_handler = None
        if self.proxy_headers is not None:
            new.proxy_headers = dict(self.proxy_headers)
        return new

    def __repr__(self) -> str:
        token = "None" if self.access_token is None else ("<callable>" if callable(self.access_token) else "'***'")
        fields = [
            f"host={self.host!r}",
            f"access_token={token}",
            f"timeout={self.timeout!r}",
            f"retries={self.retries!r}",
            f"verify_ssl={self.verify_ssl!r}",
        ]
        for name in ("ssl_ca_cert", "cert_file", "key_file", "assert_hostname"):
            value = getattr(self, name)
            if value is not None:
                fields.append(f"{name}={value!r}")
        if self.proxy is not None:
            fields.append(f"proxy={_redact_url(self.proxy)!r}")
        if self.proxy_headers:
            fields.append(f"proxy_headers=<{len(self.proxy_headers)} header(s)>")
        fields.append(f"connection_pool_maxsize={self.connection_pool_maxsize!r}")
        fields.append(f"debug={self.debug!r}")
        return f"Configuration({', '.join(fields)})"


def _to_timeout(value: Any, what: str) -> Optional[Timeout]:
    if value is None:
        return None
    if isinstance(value, Timeout):
        return value
    if isinstance(value, tuple):
        if len(value) != 2:
            raise TypeError(f"{what} as a tuple must be (connect, read) seconds")
        connect, read = (_to_timeout(part, what) for part in value)
        return Timeout(connect=connect.total if connect else None, read=read.total if read else None)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number of seconds, a urllib3.Timeout or None, not {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{what} must be positive, got {value!r}")
    return Timeout(total=float(value))


def _to_retry(value: Any) -> Retry:
    if value is None:
        return Retry(
            total=0, connect=0, read=0, status=0, other=0, redirect=0, raise_on_status=False, raise_on_redirect=False
        )
    if isinstance(value, Retry):
        # Always hand the last response back to us, so an exhausted status
        # retry surfaces as the matching ApiException, never as urllib3's error.
        return value.new(raise_on_status=False, raise_on_redirect=False)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"Configuration.retries must be None, an int or a urllib3.Retry, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"Configuration.retries must be >= 0, got {value!r}")
    return DEFAULT_RETRIES.new(total=value, connect=value)
