"""Settings for an :class:`~py_logto.ApiClient`.

Every field here is read by the client; none is decorative. Connection-level
fields (TLS, proxy, pool size) are read when an ``ApiClient`` is created; the
others (host, token, timeout, retries, response size, debug) on every request.
Invalid values raise :class:`~py_logto.exceptions.ApiTypeError` or
:class:`~py_logto.exceptions.ApiValueError` when they are set.
"""

from __future__ import annotations

import copy
import logging
import sys
import threading
import weakref
from typing import Any, Callable, ClassVar, Dict, Mapping, Optional, Tuple, Union
from urllib.parse import SplitResult, urlsplit, urlunsplit

from urllib3 import Retry, Timeout

from py_logto.exceptions import ApiTypeError, ApiValueError
from py_logto.rest import _logging_retry

__all__ = ["Configuration", "DEFAULT_TIMEOUT", "DEFAULT_RETRIES", "DEFAULT_MAX_RESPONSE_SIZE", "TokenSource"]

#: The default timeout: 10 s to connect, 60 s between bytes of the response.
DEFAULT_TIMEOUT = Timeout(connect=10.0, read=60.0)

#: The default cap on a response body: 1 MiB, a hundred times Logto's largest answer.
DEFAULT_MAX_RESPONSE_SIZE = 1024 * 1024

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
_LOGGER.addHandler(logging.NullHandler())


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
        proxy: URL of an HTTP(S) proxy; ``http://user:password@proxy:3128``
            sends the credentials as ``Proxy-Authorization``.
        proxy_headers: headers sent to the proxy (e.g. ``Proxy-Authorization``).
        connection_pool_maxsize: the most connections open to a host at once
            (default 10); more concurrent calls wait for a free one, at most as
            long as the connect timeout. Size it to the threads sharing a client.
        max_response_size: the most bytes of a response body read (default
            1 MiB); a longer 2xx body raises ``ApiResponseValidationError``, a
            longer error body is cut. ``None`` reads any size.
        debug: log each request (method, path, status, timing, request id) and
            each retry decision to the ``py_logto`` logger at DEBUG level, on
            stderr unless logging is configured. Bodies and the
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
        max_response_size: Optional[int] = DEFAULT_MAX_RESPONSE_SIZE,
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
        self.max_response_size = max_response_size
        self._debug = False
        self.debug = debug

    # -- host -----------------------------------------------------------------

    @property
    def host(self) -> str:
        """The base URL, without a trailing slash."""
        return self._host

    @host.setter
    def host(self, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ApiTypeError("Configuration.host must be a non-empty URL string")
        value = value.strip().rstrip("/")
        parts = _checked_url(value, "Configuration.host")
        if parts.username is not None or parts.password is not None:
            # urllib3 would silently drop them; Logto authenticates with access_token.
            raise ApiValueError("Configuration.host must not contain user:password@ (set access_token instead)")
        self._host = value

    # -- access token ---------------------------------------------------------

    @property
    def access_token(self) -> Optional[TokenSource]:
        """The user's access token, or a zero-argument callable returning the current one."""
        return self._access_token

    @access_token.setter
    def access_token(self, value: Optional[TokenSource]) -> None:
        if value is not None and not isinstance(value, str) and not callable(value):
            raise ApiTypeError(
                f"Configuration.access_token must be a str or a zero-argument callable, not {type(value).__name__}"
            )
        self._access_token = value

    # -- proxy, pool, response size --------------------------------------------

    @property
    def proxy(self) -> Optional[str]:
        """The URL of the HTTP(S) proxy, or ``None``."""
        return self._proxy

    @proxy.setter
    def proxy(self, value: Optional[str]) -> None:
        if value is not None:
            if not isinstance(value, str):
                raise ApiTypeError(f"Configuration.proxy must be a URL string, not {type(value).__name__}")
            _checked_url(value, "Configuration.proxy")
        self._proxy = value

    @property
    def proxy_headers(self) -> Optional[Dict[str, str]]:
        """Headers sent to the proxy (a copy of what was set)."""
        return self._proxy_headers

    @proxy_headers.setter
    def proxy_headers(self, value: Optional[Mapping[str, str]]) -> None:
        if value is not None and not isinstance(value, Mapping):
            raise ApiTypeError(f"Configuration.proxy_headers must be a mapping, not {type(value).__name__}")
        self._proxy_headers = dict(value) if value is not None else None

    @property
    def connection_pool_maxsize(self) -> int:
        """The most connections open to one host at once."""
        return self._connection_pool_maxsize

    @connection_pool_maxsize.setter
    def connection_pool_maxsize(self, value: int) -> None:
        self._connection_pool_maxsize = _positive_int(value, "Configuration.connection_pool_maxsize")

    @property
    def max_response_size(self) -> Optional[int]:
        """The most bytes of a response body read, or ``None`` for no limit."""
        return self._max_response_size

    @max_response_size.setter
    def max_response_size(self, value: Optional[int]) -> None:
        self._max_response_size = None if value is None else _positive_int(value, "Configuration.max_response_size")

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
        """Whether request summaries are logged to the ``py_logto`` logger.

        Only that logger is touched (its level, and a stderr handler when no
        handler would show its records); it is restored when the last
        configuration with ``debug`` on turns it off.
        """
        return self._debug

    @debug.setter
    def debug(self, value: bool) -> None:
        value = bool(value)
        if value != self._debug:
            self._debug = value
            _debug_logging.turn(self, value)

    # -- token ----------------------------------------------------------------

    def get_access_token(self) -> Optional[str]:
        """The token to send now: ``access_token`` itself, or what its callable returns.

        Raises:
            ApiValueError: the callable raised (its exception is the ``__cause__``).
            ApiTypeError: the callable returned something other than a str or ``None``.
        """
        token = self.access_token
        if token is None or isinstance(token, str):
            return token
        try:
            value = token()
        except Exception as err:
            raise ApiValueError(f"the access_token callable raised {type(err).__name__}") from err
        if value is not None and not isinstance(value, str):
            raise ApiTypeError(f"the access_token callable must return a str, not {type(value).__name__}")
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
        new.proxy_headers = self.proxy_headers  # a copy of the dict, not the same one
        if new._debug:
            _debug_logging.turn(new, True)
        return new

    def __deepcopy__(self, memo: Dict[int, Any]) -> Configuration:
        # Every field is immutable or copied by __copy__; the token callable is shared.
        return self.__copy__()

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
        fields.append(f"max_response_size={self.max_response_size!r}")
        fields.append(f"debug={self.debug!r}")
        return f"Configuration({', '.join(fields)})"


def _to_timeout(value: Any, what: str) -> Optional[Timeout]:
    if value is None:
        return None
    if isinstance(value, Timeout):
        return value
    if isinstance(value, tuple):
        if len(value) != 2:
            raise ApiTypeError(f"{what} as a tuple must be (connect, read) seconds")
        connect, read = (_to_timeout(part, what) for part in value)
        return Timeout(connect=connect.total if connect else None, read=read.total if read else None)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ApiTypeError(
            f"{what} must be a number of seconds, a (connect, read) tuple, a urllib3.Timeout or None, "
            f"not {type(value).__name__}"
        )
    if not 0 < value < float("inf"):
        raise ApiValueError(f"{what} must be a positive number of seconds, got {value!r}")
    return Timeout(total=float(value))


def _to_retry(value: Any) -> Retry:
    # raise_on_status/raise_on_redirect off: urllib3 always hands the last response
    # back, so an exhausted status retry surfaces as the matching ApiException.
    if value is None:
        return _logging_retry(DEFAULT_RETRIES, total=0, connect=0)
    if isinstance(value, Retry):
        return _logging_retry(value, raise_on_status=False, raise_on_redirect=False)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiTypeError(f"Configuration.retries must be None, an int or a urllib3.Retry, not {type(value).__name__}")
    if value < 0:
        raise ApiValueError(f"Configuration.retries must be >= 0, got {value!r}")
    return _logging_retry(DEFAULT_RETRIES, total=value, connect=value)


def _positive_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiTypeError(f"{what} must be an int, not {type(value).__name__}")
    if value < 1:
        raise ApiValueError(f"{what} must be at least 1, got {value!r}")
    return int(value)


def _checked_url(value: str, what: str) -> SplitResult:
    """``urlsplit(value)``, after checking the scheme, the host and the port."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ApiValueError(f"{what} must be an http:// or https:// URL with a host, got {_redact_url(value)!r}")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in 0-65535
    except ValueError:
        raise ApiValueError(f"{what} has an invalid port: {_redact_url(value)!r}") from None
    return parts


class _DebugLogging:
    """Turns the ``py_logto`` logger's DEBUG output on while any configuration has
    ``debug`` on, and back to how it was when the last one turns it off."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._on: weakref.WeakSet[Configuration] = weakref.WeakSet()
        self._saved_level: Optional[int] = None
        self._handler = _StderrHandler()
        self._handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))

    def turn(self, config: Configuration, on: bool) -> None:
        with self._lock:
            if on:
                self._on.add(config)
                if self._saved_level is None:
                    self._saved_level = _LOGGER.level
                _LOGGER.setLevel(logging.DEBUG)
                if self._handler not in _LOGGER.handlers and not _has_output(_LOGGER):
                    _LOGGER.addHandler(self._handler)
                return
            self._on.discard(config)
            if not self._on:
                if self._saved_level is not None:
                    _LOGGER.setLevel(self._saved_level)
                    self._saved_level = None
                _LOGGER.removeHandler(self._handler)


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time of each record."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


def _has_output(logger: logging.Logger) -> bool:
    """Whether a handler other than a NullHandler would receive ``logger``'s records."""
    current: Optional[logging.Logger] = logger
    while current is not None:
        if any(not isinstance(handler, logging.NullHandler) for handler in current.handlers):
            return True
        if not current.propagate:
            return False
        current = current.parent
    return False


_debug_logging = _DebugLogging()
