"""Settings for an :class:`~py_logto.ApiClient`.

Every field here is read by the client; none is decorative. Connection-level
fields (TLS, proxy, pool size, socket options) are read when an ``ApiClient`` is
created; the others (host, token, timeout, deadline, retries, response size,
debug) on every request. Invalid values raise
:class:`~py_logto.exceptions.ApiTypeError` or
:class:`~py_logto.exceptions.ApiValueError` when they are set.

Every keyword and attribute of the OpenAPI Generator client's ``Configuration``
is accepted. The ones that cannot mean anything for Logto's user APIs (API keys,
HTTP basic credentials, a temp folder) read as the generated defaults and raise
``ApiValueError`` when set, saying why.
"""

from __future__ import annotations

import copy
import logging
import os
import ssl
import sys
import threading
import weakref
from typing import Any, Callable, ClassVar, Dict, List, Mapping, NoReturn, Optional, Tuple, Union
from urllib.parse import urlsplit

from py_logto import _headers
from py_logto._version import __version__
from py_logto.exceptions import ApiTypeError, ApiValueError
from py_logto.rest import (
    MAX_SECONDS,
    Retry,
    Timeout,
    _checked_seconds,
    _logging_retry,
    _pool_timeout,
    _redact_url,
    _url_problem,
    is_socks_proxy_url,
)
from py_logto.rest import _to_timeout as _to_timeout  # the engine checks per-call timeouts with it

__all__ = [
    "Configuration",
    "DEFAULT_TIMEOUT",
    "DEFAULT_RETRIES",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "MAX_SECONDS",
    "TokenSource",
]

#: The default timeout: 10 s to connect, 60 s between bytes of the response.
DEFAULT_TIMEOUT = Timeout(connect=10.0, read=60.0)

#: The default cap on a response body: 1 MiB, a hundred times Logto's largest answer.
DEFAULT_MAX_RESPONSE_SIZE = 1024 * 1024

#: The default connection pool size (connections open to one host at most).
DEFAULT_CONNECTION_POOL_MAXSIZE = 10

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

#: The API the package is written for (the spec's ``info.version``).
API_VERSION = "1.42.0"

#: The servers the contracts declare; ``server_index`` selects among them.
_SERVERS: Tuple[Dict[str, Any], ...] = ({"url": "http://localhost", "description": "Logto endpoint address."},)

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

    def __reduce__(self) -> str:
        return "_UNSET"  # unpickles as this module's one instance


_UNSET: Any = _Unset()

#: Generated-client knobs with no meaning here: their generated default, and why they are refused.
_AUTH_REFUSED = (
    "Logto's user APIs accept only the signed-in user's access token (OAuth2 bearer): "
    "set Configuration.access_token instead"
)
_REFUSED: Dict[str, str] = {
    "api_key": _AUTH_REFUSED,
    "api_key_prefix": _AUTH_REFUSED,
    "username": _AUTH_REFUSED,
    "password": _AUTH_REFUSED,
    "refresh_api_key_hook": (
        "there is no API key to refresh; to rotate the token, set access_token to a zero-argument "
        "callable returning the current one (it is called for every request)"
    ),
    "temp_folder_path": "no operation of Logto's user APIs downloads a file",
}


def _refuse(name: str) -> NoReturn:
    raise ApiValueError(f"Configuration.{name} cannot be set: {_REFUSED[name]}")


class _RefusingDict(Dict[str, str]):
    """The generated default of ``api_key`` and ``api_key_prefix``: an empty dict that
    refuses entries, saying why."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def __setitem__(self, key: str, value: str) -> None:
        _refuse(self._name)

    def setdefault(self, key: str, default: Any = None) -> NoReturn:
        _refuse(self._name)

    def update(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            _refuse(self._name)

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_RefusingDict, (self._name,))


def _refused_knob(name: str, default: Callable[[], Any]) -> property:
    def read(self: Configuration) -> Any:
        return default()

    def write(self: Configuration, value: Any) -> None:
        if value is not None and value != {}:
            _refuse(name)

    return property(read, write, doc=f"Always the generated default; setting it raises: {_REFUSED[name]}.")


class Configuration:
    """Where and how to reach Logto.

    Args:
        host: the Logto endpoint, e.g. ``https://my-tenant.logto.app`` (default
            ``http://localhost``, the contracts' server); a trailing slash is
            ignored. Set explicitly, it wins over ``server_index``.
        access_token: the signed-in user's opaque access token, or a callable
            returning the current token (called for every request).
        timeout: seconds (float), a ``(connect, read)`` tuple or a
            ``urllib3.Timeout``; ``None`` disables timeouts. Default: 10 s
            connect, 60 s read. At most a day.
        deadline: the longest a call may take in all, in seconds: connecting,
            waiting for a free connection, retrying and reading the whole body.
            ``None``: no deadline. Default: derived from the timeout (its total,
            or connect + read: 70 s with the default timeout).
        retries: ``None`` (never retry), an int (retry that many failed
            connection attempts) or a ``urllib3.Retry``. Default: 2 retries of
            connection failures only. Reads back as set. See the README before
            enabling more.
        verify_ssl: verify the server's TLS certificate (default ``True``).
        ssl_ca_cert: path of a CA bundle to trust instead of the system's.
        ca_cert_data: CA certificates to trust, as PEM text or DER bytes.
        cert_file: client certificate (PEM) for mutual TLS.
        key_file: private key of ``cert_file``.
        assert_hostname: the host name the server certificate must match, when
            it differs from the one in ``host``; ``False`` skips the check.
        tls_server_name: the name sent in TLS SNI (and checked in the
            certificate), when it differs from the one in ``host``.
        proxy: URL of an HTTP(S) proxy; ``http://user:password@proxy:3128``
            sends the credentials as ``Proxy-Authorization``. Default: the
            environment's ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY`` for the
            scheme of ``host``.
        no_proxy: comma-separated hosts reached without the proxy. Default: the
            environment's ``NO_PROXY``.
        proxy_headers: headers sent to the proxy (e.g. ``Proxy-Authorization``).
        proxy_ssl_context: the ``ssl.SSLContext`` for the TLS connection to an
            ``https://`` proxy itself.
        connection_pool_maxsize: the most connections open to a host at once
            (default 10); more concurrent calls wait for a free one, at most as
            long as the connect timeout. Size it to the threads sharing a client.
        socket_options: ``(level, option, value)`` tuples set on every new socket
            (replacing urllib3's default, which turns Nagle's algorithm off).
        max_response_size: the most bytes of a response body read (default
            1 MiB); a longer 2xx body raises ``ApiResponseValidationError``, a
            longer error body is cut. ``None`` reads any size.
        server_index: which of ``get_host_settings()`` is the host, when
            ``host`` is not given (0, the only server of the contracts).
        server_variables: values of the selected server's URL variables.
        server_operation_index: operation id -> server index, per operation.
        server_operation_variables: operation id -> server variables.
        ignore_operation_servers: use ``host`` even for operations that declare
            their own servers (none of Logto's user API operations do).
        safe_chars_for_path_param: characters left unescaped in path parameters;
            ``/``, ``?``, ``#`` and ``%`` are refused, since they would change the route.
        client_side_validation: check request values against the contract
            before sending (default ``True``).
        datetime_format, date_format: ``strftime`` formats for ``datetime`` and
            ``date`` values sent.
        debug: log each request (method, path, status, timing, request id) and
            each retry decision to the ``py_logto`` logger at DEBUG level, on
            stderr unless logging is configured. Bodies and the
            ``Authorization`` header are never logged.
        api_key, api_key_prefix, username, password: accepted as ``None`` for
            compatibility with generated clients; anything else raises
            ``ApiValueError``: Logto's user APIs take a bearer token only.
    """

    _default: ClassVar[Optional[Configuration]] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()

    api_key = _refused_knob("api_key", lambda: _RefusingDict("api_key"))
    api_key_prefix = _refused_knob("api_key_prefix", lambda: _RefusingDict("api_key_prefix"))
    username = _refused_knob("username", lambda: None)
    password = _refused_knob("password", lambda: None)
    refresh_api_key_hook = _refused_knob("refresh_api_key_hook", lambda: None)
    temp_folder_path = _refused_knob("temp_folder_path", lambda: None)

    def __init__(
        self,
        host: Optional[str] = None,
        access_token: Optional[TokenSource] = None,
        *,
        timeout: TimeoutSetting = _UNSET,
        deadline: Optional[float] = _UNSET,
        retries: RetriesSetting = _UNSET,
        verify_ssl: bool = True,
        ssl_ca_cert: Optional[str] = None,
        ca_cert_data: Union[str, bytes, None] = None,
        cert_file: Optional[str] = None,
        key_file: Optional[str] = None,
        assert_hostname: Union[str, bool, None] = None,
        tls_server_name: Optional[str] = None,
        proxy: Optional[str] = None,
        no_proxy: Optional[str] = None,
        proxy_headers: Optional[Mapping[str, str]] = None,
        proxy_ssl_context: Optional[ssl.SSLContext] = None,
        connection_pool_maxsize: Optional[int] = None,
        socket_options: Optional[List[Tuple[int, int, Union[int, bytes]]]] = None,
        max_response_size: Optional[int] = DEFAULT_MAX_RESPONSE_SIZE,
        server_index: Optional[int] = None,
        server_variables: Optional[Dict[str, str]] = None,
        server_operation_index: Optional[Dict[str, int]] = None,
        server_operation_variables: Optional[Dict[str, Dict[str, str]]] = None,
        ignore_operation_servers: bool = False,
        safe_chars_for_path_param: str = "",
        client_side_validation: bool = True,
        datetime_format: str = "%Y-%m-%dT%H:%M:%S.%f%z",
        date_format: str = "%Y-%m-%d",
        debug: Optional[bool] = None,
        api_key: Optional[Dict[str, str]] = None,
        api_key_prefix: Optional[Dict[str, str]] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
    ) -> None:
        for name, knob in (("api_key", api_key), ("api_key_prefix", api_key_prefix)):
            if knob:
                _refuse(name)
        for name, credential in (("username", username), ("password", password)):
            if credential is not None:
                _refuse(name)
        self._host = self._base_path = "http://localhost"
        self._server_index: Optional[int] = None
        self._server_variables: Dict[str, str] = {}
        if host is not None:
            self.host = host
        self.server_variables = server_variables or {}
        self.server_index = 0 if server_index is None and host is None else server_index
        self.server_operation_index = server_operation_index or {}
        self.server_operation_variables = server_operation_variables or {}
        self.ignore_operation_servers = bool(ignore_operation_servers)
        self.access_token = access_token
        self.timeout = DEFAULT_TIMEOUT if timeout is _UNSET else timeout
        self.deadline = deadline
        self.retries = DEFAULT_RETRIES if retries is _UNSET else retries
        self.verify_ssl = verify_ssl
        self.ssl_ca_cert = ssl_ca_cert
        self.ca_cert_data = ca_cert_data
        self.cert_file = cert_file
        self.key_file = key_file
        self.assert_hostname = assert_hostname
        self.tls_server_name = tls_server_name
        # urllib3 reads no proxy variables itself: as the generated client does, the
        # environment's are taken when none is given, and the proxy taken from it
        # follows the host's scheme when the host changes.
        environment = _environment_proxies() if proxy is None or no_proxy is None else {}
        self._proxy: Optional[str] = None
        self._proxy_from_env = False
        if proxy is None:
            self._use_environment_proxy(environment)
        elif proxy is not _UNSET:  # _UNSET: being unpickled, the environment is not read
            self.proxy = proxy
        self.no_proxy = environment.get("no") if no_proxy is None else (None if no_proxy is _UNSET else no_proxy)
        self.proxy_headers = proxy_headers
        self.proxy_ssl_context = proxy_ssl_context
        self.connection_pool_maxsize = (
            DEFAULT_CONNECTION_POOL_MAXSIZE if connection_pool_maxsize is None else connection_pool_maxsize
        )
        self.socket_options = socket_options
        self.max_response_size = max_response_size
        self.safe_chars_for_path_param = safe_chars_for_path_param
        self.client_side_validation = bool(client_side_validation)
        self.datetime_format = datetime_format
        self.date_format = date_format
        self.logger: Dict[str, logging.Logger] = {
            "package_logger": _LOGGER,
            "urllib3_logger": logging.getLogger("urllib3"),
        }
        self.logger_stream_handler: Optional[logging.Handler] = None
        self.logger_file_handler: Optional[logging.FileHandler] = None
        self._logger_file: Optional[str] = None
        self.logger_format = "%(asctime)s %(levelname)s %(message)s"
        self._debug = False
        self.debug = bool(debug)

    # -- host and servers -------------------------------------------------------

    @property
    def host(self) -> str:
        """The base URL, without a trailing slash: the one set, or the server
        ``server_index`` selects."""
        return self._host

    @host.setter
    def host(self, value: str) -> None:
        self._base_path = _checked_host(value)
        self._server_index = None
        self._host = self._base_path
        if getattr(self, "_proxy_from_env", False):
            self._use_environment_proxy(_environment_proxies())

    @property
    def server_index(self) -> Optional[int]:
        """The index in ``get_host_settings()`` of the host, or ``None`` when ``host`` was set."""
        return self._server_index

    @server_index.setter
    def server_index(self, value: Optional[int]) -> None:
        if value is not None:
            _check_index(value, "Configuration.server_index")
        self._host = self.get_host_from_settings(value, self._server_variables)
        self._server_index = value

    @property
    def server_variables(self) -> Dict[str, str]:
        """Values of the selected server's URL variables (a copy of what was set)."""
        return self._server_variables

    @server_variables.setter
    def server_variables(self, value: Mapping[str, str]) -> None:
        variables = _string_mapping(value, "Configuration.server_variables")
        self._host = self.get_host_from_settings(getattr(self, "_server_index", None), variables)
        self._server_variables = variables

    @property
    def server_operation_index(self) -> Dict[str, int]:
        """Operation id -> index in ``get_host_settings()``."""
        return self._server_operation_index

    @server_operation_index.setter
    def server_operation_index(self, value: Mapping[str, int]) -> None:
        if not isinstance(value, Mapping):
            raise ApiTypeError("Configuration.server_operation_index must be a mapping of operation ids to indexes")
        for operation, index in value.items():
            _check_index(index, f"Configuration.server_operation_index[{operation!r}]")
        self._server_operation_index = dict(value)

    @property
    def server_operation_variables(self) -> Dict[str, Dict[str, str]]:
        """Operation id -> server variables."""
        return self._server_operation_variables

    @server_operation_variables.setter
    def server_operation_variables(self, value: Mapping[str, Mapping[str, str]]) -> None:
        if not isinstance(value, Mapping):
            raise ApiTypeError("Configuration.server_operation_variables must be a mapping of operation ids")
        self._server_operation_variables = {
            operation: _string_mapping(variables, f"Configuration.server_operation_variables[{operation!r}]")
            for operation, variables in value.items()
        }

    def get_host_settings(self) -> List[Dict[str, Any]]:
        """The servers the contracts declare: ``[{"url": ..., "description": ...}]``."""
        return copy.deepcopy(list(_SERVERS))

    def get_host_from_settings(
        self,
        index: Optional[int],
        variables: Optional[Mapping[str, str]] = None,
        servers: Optional[List[Dict[str, Any]]] = None,
    ) -> str:
        """The URL of server ``index`` of ``servers`` (default ``get_host_settings()``),
        its variables replaced by ``variables`` or their defaults; ``host`` as set
        when ``index`` is ``None``.

        Raises:
            ApiValueError: no such server, or a variable value outside its enum.
        """
        if index is None:
            return self._base_path
        servers = self.get_host_settings() if servers is None else servers
        if not 0 <= index < len(servers):
            raise ApiValueError(
                f"Invalid index {index} when selecting the host settings. Must be less than {len(servers)}"
            )
        server = servers[index]
        url: str = server["url"]
        variables = variables or {}
        for name, variable in server.get("variables", {}).items():
            value = variables.get(name, variable["default_value"])
            allowed = variable.get("enum_values")
            if allowed and value not in allowed:
                raise ApiValueError(
                    f"The variable `{name}` in the host URL has invalid value {value}. Must be {allowed}."
                )
            url = url.replace("{" + name + "}", value)
        return url.rstrip("/")

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

    def auth_settings(self) -> Dict[str, Dict[str, str]]:
        """The credentials sent, per security scheme of the contracts (empty without a token)."""
        token = self.get_access_token()
        if token is None:
            return {}
        value = "Bearer " + token
        return {
            "OAuth2": {"type": "oauth2", "in": "header", "key": "Authorization", "value": value},
            "bearerAuth": {"type": "bearer", "in": "header", "key": "Authorization", "value": value},
        }

    def get_api_key_with_prefix(self, identifier: str, alias: Optional[str] = None) -> Optional[str]:
        """Always ``None``: Logto's user APIs take no API key."""
        return None

    def get_basic_auth_token(self) -> Optional[str]:
        """Always ``None``: Logto's user APIs take no HTTP basic credentials."""
        return None

    # -- proxy --------------------------------------------------------------------

    @property
    def proxy(self) -> Optional[str]:
        """The URL of the HTTP(S) proxy, or ``None``."""
        return self._proxy

    @proxy.setter
    def proxy(self, value: Optional[str]) -> None:
        self._proxy = _checked_proxy(value, "Configuration.proxy")
        self._proxy_from_env = False

    def _use_environment_proxy(self, environment: Mapping[str, str]) -> None:
        """Take the environment's proxy for the host's scheme, if it is one urllib3 can use."""
        scheme = urlsplit(self._host).scheme
        candidate = environment.get(scheme) or environment.get("all")
        try:
            self._proxy = _checked_proxy(candidate, "the environment's proxy")
        except (ApiTypeError, ApiValueError) as err:
            _LOGGER.debug("proxy from the environment not used: %s", err)
            self._proxy = None
        self._proxy_from_env = True

    @property
    def no_proxy(self) -> Optional[str]:
        """Comma-separated hosts reached without the proxy."""
        return self._no_proxy

    @no_proxy.setter
    def no_proxy(self, value: Optional[str]) -> None:
        self._no_proxy: Optional[str] = _optional(value, str, "Configuration.no_proxy")

    @property
    def proxy_headers(self) -> Optional[Dict[str, str]]:
        """Headers sent to the proxy (a copy of what was set)."""
        return self._proxy_headers

    @proxy_headers.setter
    def proxy_headers(self, value: Optional[Mapping[str, str]]) -> None:
        if value is not None and not isinstance(value, Mapping):
            raise ApiTypeError(f"Configuration.proxy_headers must be a mapping, not {type(value).__name__}")
        source = "Configuration.proxy_headers"
        for name, header_value in (value or {}).items():
            _headers.check_name(name, source, allowed=frozenset({"proxy-authorization"}))
            _headers.check_value(header_value, name, source)
        self._proxy_headers = dict(value) if value is not None else None

    @property
    def proxy_ssl_context(self) -> Optional[ssl.SSLContext]:
        """The TLS context for the connection to an ``https://`` proxy."""
        return self._proxy_ssl_context

    @proxy_ssl_context.setter
    def proxy_ssl_context(self, value: Optional[ssl.SSLContext]) -> None:
        self._proxy_ssl_context: Optional[ssl.SSLContext] = _optional(
            value, ssl.SSLContext, "Configuration.proxy_ssl_context"
        )

    # -- TLS ------------------------------------------------------------------------

    @property
    def ca_cert_data(self) -> Union[str, bytes, None]:
        """CA certificates to trust, PEM text or DER bytes."""
        return self._ca_cert_data

    @ca_cert_data.setter
    def ca_cert_data(self, value: Union[str, bytes, None]) -> None:
        self._ca_cert_data: Union[str, bytes, None] = _optional(value, (str, bytes), "Configuration.ca_cert_data")

    @property
    def assert_hostname(self) -> Union[str, bool, None]:
        """The name the certificate must carry; ``False``: no host name check."""
        return self._assert_hostname

    @assert_hostname.setter
    def assert_hostname(self, value: Union[str, bool, None]) -> None:
        self._assert_hostname: Union[str, bool, None] = _optional(value, (str, bool), "Configuration.assert_hostname")

    @property
    def tls_server_name(self) -> Optional[str]:
        """The name sent in TLS SNI, when it differs from the one in ``host``."""
        return self._tls_server_name

    @tls_server_name.setter
    def tls_server_name(self, value: Optional[str]) -> None:
        self._tls_server_name: Optional[str] = _optional(value, str, "Configuration.tls_server_name")

    # -- pool, sockets, response size ---------------------------------------------

    @property
    def connection_pool_maxsize(self) -> int:
        """The most connections open to one host at once."""
        return self._connection_pool_maxsize

    @connection_pool_maxsize.setter
    def connection_pool_maxsize(self, value: int) -> None:
        self._connection_pool_maxsize = _positive_int(value, "Configuration.connection_pool_maxsize")

    @property
    def socket_options(self) -> Optional[List[Tuple[int, int, Union[int, bytes]]]]:
        """``(level, option, value)`` tuples set on every new socket, or ``None`` for urllib3's default."""
        return self._socket_options

    @socket_options.setter
    def socket_options(self, value: Optional[List[Tuple[int, int, Union[int, bytes]]]]) -> None:
        if value is None:
            self._socket_options = None
            return
        options = list(value) if isinstance(value, (list, tuple)) else None
        if options is None or not all(isinstance(option, tuple) and len(option) == 3 for option in options):
            raise ApiTypeError("Configuration.socket_options must be a list of (level, option, value) tuples")
        self._socket_options = options

    @property
    def max_response_size(self) -> Optional[int]:
        """The most bytes of a response body read, or ``None`` for no limit."""
        return self._max_response_size

    @max_response_size.setter
    def max_response_size(self, value: Optional[int]) -> None:
        self._max_response_size = None if value is None else _positive_int(value, "Configuration.max_response_size")

    # -- request encoding ---------------------------------------------------------------

    @property
    def safe_chars_for_path_param(self) -> str:
        """Characters left unescaped in path parameters."""
        return self._safe_chars_for_path_param

    @safe_chars_for_path_param.setter
    def safe_chars_for_path_param(self, value: str) -> None:
        if not isinstance(value, str):
            raise ApiTypeError("Configuration.safe_chars_for_path_param must be a str")
        unsafe = sorted(set(value) & set("/?#%\\"))
        if unsafe or any(ord(char) < 33 or ord(char) > 126 for char in value):
            raise ApiValueError(
                "Configuration.safe_chars_for_path_param may not contain /, ?, #, %, \\, spaces or control "
                "characters: a path parameter must never change the route"
            )
        self._safe_chars_for_path_param = value

    # -- timeout / deadline / retries ------------------------------------------------------

    @property
    def timeout(self) -> Optional[Timeout]:
        """The timeout applied to every request, as a ``urllib3.Timeout`` (``None``: none)."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: TimeoutSetting) -> None:
        self._timeout = _to_timeout(value, "Configuration.timeout")
        self._derived_deadline = _deadline_of(self._timeout)
        self._limits: Optional[Tuple[Optional[float], Optional[float]]] = None

    @property
    def deadline(self) -> Optional[float]:
        """The longest a call may take in all, in seconds (``None``: no deadline): the
        value set, or the one derived from ``timeout``."""
        return self._deadline if self._deadline_set else self._derived_deadline

    @deadline.setter
    def deadline(self, value: Optional[float]) -> None:
        self._deadline_set = value is not _UNSET
        if value is not None and value is not _UNSET:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ApiTypeError(
                    f"Configuration.deadline must be a number of seconds or None, not {type(value).__name__}"
                )
            value = _checked_seconds(value, "Configuration.deadline")
        self._deadline: Optional[float] = value if self._deadline_set else None
        self._limits = None

    def _deadline_for(self, timeout: Optional[Timeout]) -> Optional[float]:
        """The deadline of a call made with ``timeout``: the one set, or derived from ``timeout``."""
        if self._deadline_set:
            return self._deadline
        if timeout is self._timeout:
            return self._derived_deadline
        return _deadline_of(timeout)

    def _call_limits(self, timeout: Optional[Timeout]) -> Tuple[Optional[float], Optional[float]]:
        """``(deadline, pool timeout)`` of a call made with ``timeout``: its deadline, and how
        long it may wait for a free pooled connection (its connect timeout, never past the
        deadline), in seconds. Worked out once for the configured timeout."""
        if timeout is self._timeout and self._limits is not None:
            return self._limits
        deadline = self._deadline_for(timeout)
        pool_timeout = _pool_timeout(timeout)
        if deadline is not None and (pool_timeout is None or pool_timeout > deadline):
            pool_timeout = deadline
        if timeout is self._timeout:
            self._limits = (deadline, pool_timeout)
        return deadline, pool_timeout

    @property
    def retries(self) -> RetriesSetting:
        """The retry policy, as set (``None``, an int or a ``urllib3.Retry``)."""
        return self._retries

    @retries.setter
    def retries(self, value: RetriesSetting) -> None:
        self._retry_policy = _to_retry(value)
        self._retries = value

    # -- logging ----------------------------------------------------------------

    @property
    def debug(self) -> bool:
        """Whether request summaries are logged to the ``py_logto`` logger.

        Only that logger is touched (its level, and a stderr handler when no
        handler would show its records); it is restored when the last
        configuration with ``debug`` on turns it off. ``http.client``'s
        process-wide debug level is never changed.
        """
        return self._debug

    @debug.setter
    def debug(self, value: bool) -> None:
        value = bool(value)
        if value != self._debug:
            self._debug = value
            _debug_logging.turn(self, value)

    @property
    def logger_format(self) -> str:
        """The format of the records written to ``logger_file``."""
        return self._logger_format

    @logger_format.setter
    def logger_format(self, value: str) -> None:
        if not isinstance(value, str):
            raise ApiTypeError("Configuration.logger_format must be a str")
        self.logger_formatter = logging.Formatter(value)
        self._logger_format = value
        if self.logger_file_handler is not None:
            self.logger_file_handler.setFormatter(self.logger_formatter)

    @property
    def logger_file(self) -> Optional[str]:
        """A file the loggers in ``logger`` also write to (``None``: none)."""
        return self._logger_file

    @logger_file.setter
    def logger_file(self, value: Optional[str]) -> None:
        value = _optional(value, str, "Configuration.logger_file")
        if self.logger_file_handler is not None:
            for logger in self.logger.values():
                logger.removeHandler(self.logger_file_handler)
            self.logger_file_handler.close()
            self.logger_file_handler = None
        self._logger_file = value
        if value:
            handler = logging.FileHandler(value)
            handler.setFormatter(self.logger_formatter)
            for logger in self.logger.values():
                logger.addHandler(handler)
            self.logger_file_handler = handler

    # -- reports --------------------------------------------------------------------

    def to_debug_report(self) -> str:
        """The platform, Python, API and package versions, for a bug report."""
        return (
            "Python SDK Debug Report:\n"
            f"OS: {sys.platform}\n"
            f"Python Version: {sys.version}\n"
            f"Version of the API: {API_VERSION}\n"
            f"SDK Package Version: {__version__}"
        )

    # -- defaults -------------------------------------------------------------

    @classmethod
    def set_default(cls, default: Optional[Configuration]) -> None:
        """Use ``default`` itself for clients created without a configuration
        (``None``: a new ``Configuration()`` the next time one is needed)."""
        with cls._default_lock:
            cls._default = default

    @classmethod
    def get_default(cls) -> Configuration:
        """The configuration shared by clients created without one (made on first use)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    @classmethod
    def get_default_copy(cls) -> Configuration:
        """A copy of the default configuration."""
        return copy.copy(cls.get_default())

    # -- copies and pickling -----------------------------------------------------------

    def __copy__(self) -> Configuration:
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._copy_containers(self)
        if new._debug:
            _debug_logging.turn(new, True)
        return new

    def __deepcopy__(self, memo: Dict[int, Any]) -> Configuration:
        # Containers are copied; loggers, the token callable, the TLS context and the
        # retry policy (never changed in place) are shared.
        new = self.__copy__()
        memo[id(self)] = new
        return new

    def _copy_containers(self, source: Configuration) -> None:
        self._proxy_headers = copy.deepcopy(source._proxy_headers)
        self._server_variables = dict(source._server_variables)
        self._server_operation_index = dict(source._server_operation_index)
        self._server_operation_variables = copy.deepcopy(source._server_operation_variables)
        self._socket_options = None if source._socket_options is None else list(source._socket_options)
        self.logger = dict(source.logger)
        # The log file's handler stays the original's: the copy's records reach it through
        # the shared loggers, and changing the copy's logger_file never closes it.
        self.logger_file_handler = None

    def __getstate__(self) -> Dict[str, Any]:
        state = {name: getattr(self, "_" + name) for name in _PICKLED}
        state.update((name, getattr(self, name)) for name in _PICKLED_AS_IS)
        state.update(
            base_path=self._base_path,
            proxy_from_env=self._proxy_from_env,
            deadline=self._deadline if self._deadline_set else _UNSET,
        )
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        # Rebuilt through the setters, so every value is checked again and debug
        # logging and the log file are set up in this process.
        self.__init__(proxy=_UNSET, no_proxy=_UNSET)  # type: ignore[misc]
        self.host = state["base_path"]
        for name in (*_PICKLED_AS_IS, *_PICKLED):
            setattr(self, name, state[name])
        self.deadline = state["deadline"]
        self._proxy_from_env = state["proxy_from_env"]

    def __repr__(self) -> str:
        token = "None" if self.access_token is None else ("<callable>" if callable(self.access_token) else "'***'")
        fields = [
            f"host={self.host!r}",
            f"access_token={token}",
            f"timeout={self.timeout!r}",
            f"deadline={self.deadline!r}",
            f"retries={self.retries!r}",
            f"verify_ssl={self.verify_ssl!r}",
        ]
        for name in ("ssl_ca_cert", "cert_file", "key_file", "assert_hostname", "tls_server_name"):
            value = getattr(self, name)
            if value is not None:
                fields.append(f"{name}={value!r}")
        if self.ca_cert_data is not None:
            fields.append("ca_cert_data=<set>")
        if self.proxy is not None:
            fields.append(f"proxy={_redact_url(self.proxy)!r}")
        if self.no_proxy:
            fields.append(f"no_proxy={self.no_proxy!r}")
        if self.proxy_headers:
            fields.append(f"proxy_headers=<{len(self.proxy_headers)} header(s)>")
        fields.append(f"connection_pool_maxsize={self.connection_pool_maxsize!r}")
        fields.append(f"max_response_size={self.max_response_size!r}")
        fields.append(f"debug={self.debug!r}")
        return f"Configuration({', '.join(fields)})"


#: What a pickled configuration carries (each kept as ``_<name>``), in the order it is restored.
_PICKLED = (
    "server_variables",
    "server_index",
    "server_operation_index",
    "server_operation_variables",
    "access_token",
    "timeout",
    "retries",
    "ca_cert_data",
    "assert_hostname",
    "tls_server_name",
    "proxy",
    "no_proxy",
    "proxy_headers",
    "proxy_ssl_context",
    "connection_pool_maxsize",
    "socket_options",
    "max_response_size",
    "safe_chars_for_path_param",
    "logger_format",
    "logger_file",
    "debug",
)
_PICKLED_AS_IS = (
    "verify_ssl",
    "ssl_ca_cert",
    "cert_file",
    "key_file",
    "ignore_operation_servers",
    "client_side_validation",
    "datetime_format",
    "date_format",
    "logger",
)


def _environment_proxies() -> Dict[str, str]:
    """Scheme -> proxy URL (``"no"`` -> the no-proxy list), from the ``<scheme>_proxy``
    variables as ``urllib.request.getproxies`` reads them: lower case wins over upper
    case, and in a CGI request (``REQUEST_METHOD`` set, where a client can set
    ``HTTP_PROXY``) ``HTTP_PROXY`` is ignored. (``urllib.request`` itself is not imported:
    it would add milliseconds to every start.)"""
    proxies: Dict[str, str] = {}
    for name, value in os.environ.items():
        if value and name.lower().endswith("_proxy"):
            proxies[name.lower()[:-6]] = value
    if "REQUEST_METHOD" in os.environ:
        proxies.pop("http", None)
    for name, value in os.environ.items():
        if name.endswith("_proxy"):  # the lower-case spelling decides
            if value:
                proxies[name[:-6]] = value
            else:
                proxies.pop(name[:-6], None)
    return proxies


def _deadline_of(timeout: Optional[Timeout]) -> Optional[float]:
    """The deadline a timeout implies: its total, or connect + read; ``None`` when
    either is unbounded."""
    if timeout is None:
        return None
    if isinstance(timeout.total, (int, float)):
        return float(timeout.total)
    connect, read = timeout.connect_timeout, timeout.read_timeout
    if isinstance(connect, (int, float)) and isinstance(read, (int, float)):
        return float(connect + read)
    return None


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


def _optional(value: Any, kind: Union[type, Tuple[type, ...]], what: str) -> Any:
    if value is not None and not isinstance(value, kind):
        names = " or ".join(t.__name__ for t in (kind if isinstance(kind, tuple) else (kind,)))
        raise ApiTypeError(f"{what} must be a {names} or None, not {type(value).__name__}")
    return value


def _string_mapping(value: Any, what: str) -> Dict[str, str]:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ApiTypeError(f"{what} must be a mapping of strings to strings")
    return dict(value)


def _check_index(value: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiTypeError(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value < len(_SERVERS):
        raise ApiValueError(f"{what} must be less than {len(_SERVERS)} (the contracts declare one server), got {value}")


def _checked_host(given: Any) -> str:
    if not isinstance(given, str) or not given.strip():
        raise ApiTypeError("Configuration.host must be a non-empty URL string")
    value = given.strip().rstrip("/")
    problem = _url_problem(value)
    if problem is None:
        parts = urlsplit(value)
        if parts.username is not None or parts.password is not None:
            # urllib3 would silently drop them; Logto authenticates with access_token.
            problem = "it must not contain user:password@ (set access_token instead)"
        elif parts.query or parts.fragment or "?" in value or "#" in value:
            problem = "it must not have a query or a fragment"
    if problem is not None:
        raise ApiValueError(f"Configuration.host is not usable: {problem}: {_redact_url(value)!r}")
    return value


def _checked_proxy(value: Any, what: str) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiTypeError(f"{what} must be a URL string, not {type(value).__name__}")
    if is_socks_proxy_url(value):
        raise ApiValueError(f"{what} must be an http:// or https:// URL: SOCKS proxies are not supported")
    problem = _url_problem(value)
    if problem is not None:
        raise ApiValueError(f"{what} must be an http:// or https:// URL: {problem}: {_redact_url(value)!r}")
    return value


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
