"""The transport: the only module that talks to urllib3 or sees its exceptions.

urllib3's errors are translated here into :class:`~py_logto.exceptions.ApiTimeoutError`
and :class:`~py_logto.exceptions.ApiConnectionError`, with the original chained as
``__cause__``. ``ApiException`` is re-exported so ``from py_logto.rest import
ApiException`` keeps working.

What the transport guarantees, whatever the server does:

* **The final response is the call's answer.** Interim ``1xx`` responses (``103 Early
  Hints``, ``102 Processing``, an unsolicited ``100``) are read past, as RFC 9110
  §15.2 requires, on the connection they came on. A connection whose state is in
  doubt (an error mid-response, a body cut at ``max_response_size``, an unexpected
  ``101``) is closed, never handed to another call.
* **Bounded time.** Each call has a deadline (``Configuration.deadline``): every read
  from the socket waits at most until then, so a server trickling bytes is cut off
  with ``ApiTimeoutError``; a status retry whose wait (``Retry-After`` or backoff)
  would pass the deadline is not made, and the call ends with that status's exception.
* **Fork-safe.** After ``os.fork()`` the child opens its own connections: it never
  sends on, nor reads from, a connection its parent opened, and the parent's pool is
  left as it was.

urllib3 does the retrying; :class:`_LoggingRetry` reports each decision to the
``py_logto`` logger, ignores a ``Retry-After`` it cannot parse (the backoff applies)
and declines a retry that would end after the deadline. The pool blocks at
``connection_pool_maxsize`` connections per host, and a call waits for a free one at
most as long as its connect timeout (and never past its deadline).
"""

from __future__ import annotations

import contextlib
import http.client
import io
import ipaddress
import json
import logging
import math
import os
import queue
import re
import socket
import ssl
import threading
import time
import weakref
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Set, Tuple, Type, Union
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import urllib3
from urllib3 import Retry as Retry
from urllib3 import Timeout as Timeout
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ClosedPoolError,
    ConnectTimeoutError,
    EmptyPoolError,
    HTTPError,
    InvalidHeader,
    LocationParseError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    ResponseError,
    SSLError,
)
from urllib3.exceptions import (
    TimeoutError as Urllib3TimeoutError,
)
from urllib3.filepost import encode_multipart_formdata

from py_logto import _headers
from py_logto.exceptions import ApiConnectionError, ApiTimeoutError, ApiTypeError, ApiValueError
from py_logto.exceptions import ApiException as ApiException

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Self
    from urllib3.connectionpool import ConnectionPool

    from py_logto.configuration import Configuration

_LOGGER = logging.getLogger("py_logto")

__all__ = [
    "RESTClientObject",
    "RESTResponse",
    "RESTResponseType",
    "ApiException",
    "is_socks_proxy_url",
    "should_bypass_proxies",
]

#: The urllib3 version, for the ``User-Agent`` (``__version__`` is not in urllib3's typed exports).
URLLIB3_VERSION: str = getattr(urllib3, "__version__", "unknown")

#: What ``*_without_preload_content`` methods return: urllib3's response, body unread.
RESTResponseType = urllib3.HTTPResponse

#: The longest timeout or deadline accepted, in seconds (a day). Longer ones are
#: refused when set: the operating system cannot wait that long in one call anyway.
MAX_SECONDS = 86_400.0

#: Interim responses read past before the final one, at most.
_MAX_INTERIM = 32

_METHODS = frozenset({"GET", "HEAD", "DELETE", "POST", "PUT", "PATCH", "OPTIONS"})
_SOCKS_SCHEMES = frozenset({"socks5", "socks5h", "socks4", "socks4a"})


class RESTResponse(io.IOBase):
    """A response from the server: status, reason, headers, and the body once read."""

    def __init__(self, resp: urllib3.BaseHTTPResponse) -> None:
        self.response = resp
        self.status: int = resp.status
        self.reason: str = resp.reason or ""
        self.headers: Mapping[str, str] = resp.headers
        self.data: Optional[bytes] = None
        #: True when the body was longer than ``max_response_size``: ``data`` holds its start.
        self.truncated = False

    def read(self) -> bytes:
        """Read (once) and return the whole body."""
        if self.data is None:
            self.data = self.response.data
        return self.data

    def getheaders(self) -> Mapping[str, str]:
        """The response headers (a case-insensitive mapping)."""
        return self.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One response header, or ``default``."""
        return self.headers.get(name, default)


def is_socks_proxy_url(url: Optional[str]) -> bool:
    """Whether ``url`` names a SOCKS proxy (``socks5://``, ``socks5h://``, ``socks4://``, ``socks4a://``)."""
    if url is None or "://" not in url:
        return False
    return url.split("://", 1)[0].lower() in _SOCKS_SCHEMES


def should_bypass_proxies(url: str, no_proxy: Optional[str] = None) -> bool:
    """Whether a request to ``url`` goes direct rather than through the proxy, given
    ``no_proxy``: comma-separated host names (``example.com`` also covers its
    subdomains), addresses, ``host:port`` entries, networks (``10.0.0.0/8``), or ``*``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        return True
    if not no_proxy:
        return False
    try:
        address: Union[ipaddress.IPv4Address, ipaddress.IPv6Address, None] = ipaddress.ip_address(host)
    except ValueError:
        address = None
    port: Optional[int] = None
    with contextlib.suppress(ValueError):
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    for entry in (entry.strip().lower() for entry in no_proxy.split(",")):
        if entry == "*":
            return True
        if not entry:
            continue
        if address is not None and "/" in entry:
            with contextlib.suppress(ValueError):
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            continue
        name, entry_port = _host_and_port(entry)
        if entry_port is not None and int(entry_port) != port:
            continue
        if host == name or host.endswith("." + name):
            return True
    return False


def _host_and_port(entry: str) -> Tuple[str, Optional[str]]:
    """``("example.com", "8443")`` of a no-proxy entry such as ``.example.com:8443``."""
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(entry)
        return entry, None  # a bare address, IPv6 included
    if entry.startswith("["):
        address, _, rest = entry[1:].partition("]")
        return address, rest[1:] if rest.startswith(":") and rest[1:].isdigit() else None
    name, colon, port = entry.rpartition(":")
    if colon and port.isdigit():
        return name.lstrip("."), port
    return entry.lstrip("."), None


# -- the pools: interim responses skipped, reads bounded by the call's deadline -------------


class _Call:
    """The deadline of the call running on this thread (``None``: none, or no longer)."""

    __slots__ = ("deadline", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline: Optional[float] = time.monotonic() + seconds


_current = threading.local()


class _DeadlineExceeded(socket.timeout):
    """A read would end after the call's deadline."""

    def __init__(self, call: _Call) -> None:
        super().__init__(f"no complete response within the call's deadline of {call.seconds:g} s")


class _DeadlineReader(io.RawIOBase):
    """Reads from a socket, each read waiting no longer than the call's deadline allows."""

    def __init__(self, sock: socket.socket, call: _Call) -> None:
        self._sock = sock
        # The socket's own reader: it keeps the socket open until this reader closes.
        self._io = sock.makefile("rb", buffering=0)
        self._call = call
        self._timeout = sock.gettimeout()  # the read timeout, set before the response is read
        self._lowered = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> Optional[int]:
        deadline = self._call.deadline
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _DeadlineExceeded(self._call)
            if self._timeout is None or left < self._timeout:
                self._sock.settimeout(left)
                self._lowered = True
                try:
                    return self._io.readinto(buffer)
                except socket.timeout:
                    raise _DeadlineExceeded(self._call) from None
        if self._lowered:
            self._restore_timeout()
        return self._io.readinto(buffer)

    def _restore_timeout(self) -> None:
        self._lowered = False
        with contextlib.suppress(OSError):
            self._sock.settimeout(self._timeout)

    def close(self) -> None:
        if not self.closed:
            self._io.close()
            if self._lowered:
                self._restore_timeout()
        super().close()


class _DeadlineSocket:
    """What ``http.client`` asks of a socket to read a response (``makefile``), with
    the reads bounded by the call's deadline."""

    __slots__ = ("_call", "_sock")

    def __init__(self, sock: socket.socket, call: _Call) -> None:
        self._sock = sock
        self._call = call

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._call))


class _FinalResponse(http.client.HTTPResponse):
    """``http.client``'s response, reading past interim (1xx) responses to the final one."""

    def __init__(self, sock: socket.socket, debuglevel: int = 0, method: Optional[str] = None, url: Any = None) -> None:
        call: Optional[_Call] = getattr(_current, "call", None)
        if call is not None and call.deadline is not None:
            sock = _DeadlineSocket(sock, call)  # type: ignore[assignment]  # http.client only calls its makefile
        super().__init__(sock, debuglevel, method, url)

    def begin(self) -> None:
        for _ in range(_MAX_INTERIM + 1):  # the interim responses, then the final one
            super().begin()
            if self.status >= 200:
                return
            if self.status == 101:
                raise http.client.HTTPException("the server switched protocols (101), which was not asked for")
            # An interim response: the final one follows on the same connection.
            self.headers = self.msg = None  # type: ignore[assignment]  # lets begin() read the next one
        raise http.client.HTTPException(f"more than {_MAX_INTERIM} interim (1xx) responses")


def _bound_connect_timeout(conn: HTTPConnection) -> None:
    """Shorten ``conn``'s connect timeout to what is left of the call's deadline."""
    call: Optional[_Call] = getattr(_current, "call", None)
    if call is not None and call.deadline is not None:
        left = max(call.deadline - time.monotonic(), 0.001)
        current = conn.timeout
        if not isinstance(current, (int, float)) or current > left:
            conn.timeout = left


#: A request body up to this size goes out in the same ``send`` as the request's head.
_ONE_SEND_LIMIT = 64 * 1024


class _Connection(HTTPConnection):
    """urllib3's connection, reading past interim responses (:class:`_FinalResponse`),
    connecting within the call's deadline, and sending a request's head and its body
    (bytes, up to ``_ONE_SEND_LIMIT``) in one ``send``: urllib3 sends them apart, which
    costs a second system call and, on the wire, a second packet the server waits for."""

    response_class = _FinalResponse
    #: While a request is being sent: ``b""``, then the head, kept until the body comes.
    _head: Optional[bytes] = None

    def connect(self) -> None:
        _bound_connect_timeout(self)
        super().connect()

    def request(  # type: ignore[override]  # urllib3's keyword-only options, passed on as they are
        self, method: str, url: str, body: Any = None, headers: Optional[Mapping[str, str]] = None, **options: Any
    ) -> None:
        if not isinstance(body, bytes) or not 0 < len(body) <= _ONE_SEND_LIMIT:
            super().request(method, url, body, headers, **options)
            return
        self._head = b""
        try:
            super().request(method, url, body, headers, **options)
            unsent = self._head
        finally:
            self._head = None
        if unsent:  # the body never followed the head
            super().send(unsent)

    def send(self, data: Any) -> None:
        head = self._head
        if head is None:
            super().send(data)
        elif not head:
            self._head = data  # the head, from http.client: kept for the body
        else:
            self._head = None
            if isinstance(data, bytes):
                super().send(head + data)
            else:
                super().send(head)
                super().send(data)


class _HTTPSConnection(_Connection, HTTPSConnection):
    """The same over TLS."""


#: Every pool made here, so that a forked child can close its copies of them.
_all_pools: weakref.WeakSet[HTTPConnectionPool] = weakref.WeakSet()


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _all_pools.add(self)


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _all_pools.add(self)


_POOL_CLASSES: Dict[str, Type[HTTPConnectionPool]] = {"http": _Pool, "https": _HTTPSPool}


# -- the client ----------------------------------------------------------------------------


class RESTClientObject:
    """Owns the connection pool built from a :class:`~py_logto.Configuration`.

    Attributes:
        pool_manager: the ``urllib3.PoolManager`` (a ``ProxyManager`` when a proxy is
            used for ``configuration.host``).
    """

    def __init__(self, configuration: Configuration) -> None:
        self._configuration = configuration
        self._pool_args = _pool_args(configuration)
        self._proxy = None
        if configuration.proxy and not should_bypass_proxies(configuration.host, configuration.no_proxy):
            self._proxy = _proxy_settings(configuration.proxy, configuration.proxy_headers)
        self._maxsize = configuration.connection_pool_maxsize
        self.pool_manager: urllib3.PoolManager = self._new_manager()
        self._pools: dict[str, tuple[HTTPConnectionPool, str]] = {}
        _clients.add(self)

    def _new_manager(self) -> urllib3.PoolManager:
        manager: urllib3.PoolManager
        if self._proxy is not None:
            proxy_url, proxy_headers = self._proxy
            manager = urllib3.ProxyManager(proxy_url=proxy_url, proxy_headers=proxy_headers, **self._pool_args)
        else:
            manager = urllib3.PoolManager(**self._pool_args)
        manager.pool_classes_by_scheme = _POOL_CLASSES
        return manager

    def _pool_for(self, base_url: str) -> tuple[HTTPConnectionPool, str]:
        """The pool for ``base_url`` and the path prefix it carries (``""`` for none)."""
        entry = self._pools.get(base_url)
        if entry is None:
            entry = (self.pool_manager.connection_from_url(base_url), urlsplit(base_url).path.rstrip("/"))
            self._pools[base_url] = entry
        return entry

    def request(
        self,
        method: str,
        url: str,
        headers: Optional[Mapping[str, str]] = None,
        body: Any = None,
        post_params: Any = None,
        _request_timeout: Any = None,
    ) -> RESTResponse:
        """Send one request to ``url`` and return the response, whatever its status,
        with its body read (``data``), as the generated client's transport does.

        ``body`` is sent as JSON unless ``headers`` give another ``Content-Type``:
        form fields (``post_params``) for ``application/x-www-form-urlencoded`` and
        ``multipart/form-data``, a ``str`` or ``bytes`` body as it is.
        ``_request_timeout`` is seconds, a ``(connect, read)`` tuple or a
        ``urllib3.Timeout``; ``None`` means ``Configuration.timeout``.

        Raises:
            ApiValueError, ApiTypeError: a request that cannot be made; nothing was sent.
            ApiTimeoutError, ApiConnectionError: no response.
        """
        verb = method.upper() if isinstance(method, str) else method
        if verb not in _METHODS:
            raise ApiValueError(f"method must be one of {', '.join(sorted(_METHODS))}, got {method!r}")
        if post_params and body is not None:
            raise ApiValueError("body parameter cannot be used with post_params parameter.")
        send_headers = _headers.checked_extra(headers, "headers") if headers else {}
        payload = _encode_body(verb, send_headers, body, post_params)
        base_url, path = _split_url(url)
        config = self._configuration
        timeout = config.timeout if _request_timeout is None else _to_timeout(_request_timeout, "_request_timeout")
        response = self._request(
            verb, base_url, path, send_headers, payload, timeout=timeout, preload_content=True, config=config
        )
        response.read()
        return response

    def _request(
        self,
        method: str,
        base_url: str,
        path: str,
        headers: Mapping[str, str],
        body: Optional[bytes],
        *,
        timeout: Optional[Timeout],
        preload_content: bool,
        config: Configuration,
    ) -> RESTResponse:
        """Send one request; return the response whatever its status.

        The retry policy, the response size cap and the deadline come from ``config``.
        With ``preload_content``, the body is read into ``data`` (at most
        ``max_response_size`` bytes: a longer body is cut there, ``truncated``, and its
        connection closed) before the deadline; without it, the deadline covers the
        status line and headers only.

        Raises:
            ApiTimeoutError: connecting or reading timed out, the deadline passed, or no
                pooled connection became free in time.
            ApiConnectionError: any other failure to get a response.
        """
        max_body = config.max_response_size if preload_content else None
        seconds, pool_timeout = config._call_limits(timeout)
        call = None if seconds is None else _Call(seconds)
        _current.call = call
        options: Dict[str, Any] = {
            "body": body,
            "headers": headers,
            "timeout": timeout,
            "retries": config._retry_policy,
            "redirect": False,
            "preload_content": preload_content and max_body is None,
            "pool_timeout": pool_timeout,
        }
        try:
            try:
                resp = self._urlopen(method, base_url, path, options)
            except ClosedPoolError:
                # close() ran on another thread between the pool lookup and the send;
                # nothing was sent, so send once through a fresh pool.
                self._pools.pop(base_url, None)
                resp = self._urlopen(method, base_url, path, options)
            result = RESTResponse(resp)
            if max_body is not None:
                _read_capped(result, max_body)
        except EmptyPoolError as err:
            url = base_url + path
            raise ApiTimeoutError(
                f"{method} {url}: no free connection within {pool_timeout:g} s: all {self._maxsize} "
                "pooled connections are in use (connection_pool_maxsize; are *_without_preload_content "
                "responses read or released?)",
                method=method,
                url=url,
            ) from err
        except HTTPError as err:
            raise _translate(err, method, base_url + path) from err
        except (OSError, ValueError) as err:
            url = base_url + path
            raise ApiConnectionError(
                f"{method} {url} failed: {err.__class__.__name__}", method=method, url=url
            ) from err
        finally:
            if call is not None:
                call.deadline = None  # a body read later, by the caller, is theirs to bound
        return result

    def _urlopen(self, method: str, base_url: str, path: str, options: Mapping[str, Any]) -> urllib3.BaseHTTPResponse:
        if self._proxy is not None:
            return self.pool_manager.urlopen(method, base_url + path, **options)
        # One pool per base URL, looked up once: cheaper than PoolManager's
        # per-call URL parsing and pool-key construction.
        pool, prefix = self._pools.get(base_url) or self._pool_for(base_url)
        return pool.urlopen(method, prefix + path, **options)

    def clear(self) -> None:
        """Close every pooled connection: the idle ones now, the ones calls on other
        threads are using when those calls finish. Later calls open new pools."""
        pools: List[Optional[HTTPConnectionPool]] = [pool for pool, _ in self._pools.values()]
        manager = self.pool_manager
        in_manager = manager.pools.keys()  # a snapshot; the container cannot be iterated
        pools += [manager.pools.get(key) for key in in_manager]
        self._pools.clear()
        manager.clear()  # forgets the pools (urllib3 2.x does not close them)
        closed: Set[int] = set()
        for pool in pools:
            if pool is None or id(pool) in closed:
                continue
            closed.add(id(pool))
            waiting_room = pool.pool
            pool.close()
            if waiting_room is not None:
                # A call blocked waiting for a free connection of the closed pool
                # would wait its whole timeout: hand it an empty slot to go on with.
                with contextlib.suppress(queue.Full):
                    for _ in range(waiting_room.maxsize):
                        waiting_room.put_nowait(None)

    def _start_afresh(self) -> None:
        """In a forked child: new pools, so no connection of the parent is ever used."""
        self.pool_manager = self._new_manager()
        self._pools = {}


def _pool_args(configuration: Configuration) -> Dict[str, Any]:
    args: Dict[str, Any] = {
        "maxsize": configuration.connection_pool_maxsize,
        # Never more than maxsize connections per host: a call waits for a free one.
        "block": True,
        "cert_reqs": ssl.CERT_REQUIRED if configuration.verify_ssl else ssl.CERT_NONE,
    }
    optional = {
        "ca_certs": configuration.ssl_ca_cert,
        "ca_cert_data": configuration.ca_cert_data,
        "cert_file": configuration.cert_file,
        "key_file": configuration.key_file,
        "assert_hostname": configuration.assert_hostname,
        "server_hostname": configuration.tls_server_name,
        "socket_options": configuration.socket_options,
        "proxy_ssl_context": configuration.proxy_ssl_context if configuration.proxy else None,
    }
    args.update((name, value) for name, value in optional.items() if value is not None)
    if args.get("assert_hostname") is True:
        del args["assert_hostname"]  # True: check the name in the URL, urllib3's default
    return args


# -- after fork ------------------------------------------------------------------------------

_clients: weakref.WeakSet[RESTClientObject] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    """The child of ``os.fork()`` shares its parent's sockets: it closes its copies of
    them (the parent's connections stay open) and gives every client new pools."""
    for pool in list(_all_pools):
        waiting_room = pool.pool
        if isinstance(waiting_room, queue.Queue):
            # Another thread of the parent may have held the queue's lock at the fork;
            # that thread does not exist here, so the lock would never be released.
            waiting_room.mutex = threading.Lock()
            waiting_room.not_empty = threading.Condition(waiting_room.mutex)
            waiting_room.not_full = threading.Condition(waiting_room.mutex)
            waiting_room.all_tasks_done = threading.Condition(waiting_room.mutex)
        pool.close()  # closes the child's descriptors only: nothing is sent to the server
    for client in list(_clients):
        client._start_afresh()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


# -- helpers ---------------------------------------------------------------------------------


def _read_capped(result: RESTResponse, limit: int) -> None:
    """Read at most ``limit`` bytes of the body into ``result.data``."""
    resp = result.response
    length = resp.length_remaining  # from Content-Length
    if length is not None and length <= limit and "Content-Encoding" not in resp.headers:
        # The usual case, read as urllib3's own preloading does (and as cheaply).
        result.data = resp.read()
        return
    # read(n) keeps reading until n bytes or the end of the body, and raises
    # IncompleteRead (a ProtocolError) when the body ends before its Content-Length.
    data = resp.read(limit + 1)
    if len(data) > limit:
        result.data, result.truncated = data[:limit], True
        resp.close()  # the rest is never read, so the connection cannot be reused
        resp.release_conn()
    else:
        result.data = data


def _pool_timeout(timeout: Optional[Timeout]) -> Optional[float]:
    """How long a call may wait for a free pooled connection: its connect timeout."""
    if timeout is None:
        return None
    value = timeout.connect_timeout
    return float(value) if isinstance(value, (int, float)) else None


def _split_url(url: str) -> Tuple[str, str]:
    """``("scheme://host:port", "/path?query")`` of an absolute http(s) URL."""
    problem = _url_problem(url) if isinstance(url, str) else "it is not a string"
    if problem is None and not url.lower().startswith(("http://", "https://")):
        problem = "it must be an http:// or https:// URL"
    if problem is not None:
        raise ApiValueError(f"cannot send to {_redact_url(url)!r}: {problem}")
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    return base, url[len(base) :] or "/"


def _url_problem(url: str) -> Optional[str]:
    """Why ``url`` cannot be used as a base URL (scheme, host, port), or ``None``."""
    if any(ord(char) < 33 or ord(char) == 127 for char in url):
        return "it contains whitespace or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in 0-65535
        urllib3.util.parse_url(url)
    except (ValueError, LocationParseError) as err:
        return "it is not a valid URL" if "port" not in str(err).lower() else "it has an invalid port"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "it must be an http:// or https:// URL with a host"
    return None


def _redact_url(url: Any) -> str:
    """``url`` with any ``user:password@`` replaced by ``***@``, for messages."""
    text = str(url)
    return re.sub(r"(?<=://)[^/@?#]*@", "***@", text)


def _encode_body(method: str, headers: Dict[str, str], body: Any, post_params: Any) -> Optional[bytes]:
    """The bytes to send for ``body`` or ``post_params``, as the generated client encodes them."""
    content_type = next((value for name, value in headers.items() if name.lower() == "content-type"), None)
    if method in ("GET", "HEAD"):
        if body is not None or post_params:
            raise ApiValueError(f"a {method} request has no body")
        return None
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if not content_type or "json" in media:
        if body is None:
            return None
        try:
            return json.dumps(body, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError) as err:
            raise ApiValueError(f"the request body cannot be sent as JSON: {err}") from None
    if media == "application/x-www-form-urlencoded":
        return urlencode(list(_fields(post_params))).encode("utf-8")
    if media == "multipart/form-data":
        fields = [
            (name, json.dumps(value) if isinstance(value, dict) else value) for name, value in _fields(post_params)
        ]
        payload, multipart_type = encode_multipart_formdata(fields)
        for name in [name for name in headers if name.lower() == "content-type"]:
            del headers[name]
        headers["Content-Type"] = multipart_type  # carries the boundary
        return payload
    if isinstance(body, (str, bytes)):
        return body.encode("utf-8") if isinstance(body, str) else body
    if media.startswith("text/") and isinstance(body, bool):
        return b"true" if body else b"false"
    raise ApiValueError(
        f"cannot send a {type(body).__name__} body as {content_type}: pass str or bytes, or a JSON content type"
    )


def _fields(post_params: Any) -> List[Tuple[str, Any]]:
    if not post_params:
        return []
    items = post_params.items() if isinstance(post_params, Mapping) else post_params
    try:
        return [(str(name), value) for name, value in items]
    except (TypeError, ValueError):
        raise ApiTypeError("post_params must be a mapping or a list of (name, value) pairs") from None


def _proxy_settings(proxy: str, proxy_headers: Optional[Mapping[str, str]]) -> Tuple[str, Dict[str, str]]:
    """The proxy URL without credentials, and the headers for the proxy: ``user:password@``
    in the URL becomes ``Proxy-Authorization`` (an explicit one in ``proxy_headers`` wins)."""
    headers = dict(proxy_headers or {})
    parts = urlsplit(proxy)
    if parts.username is None and parts.password is None:
        return proxy, headers
    if not any(name.lower() == "proxy-authorization" for name in headers):
        credentials = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
        headers.update(urllib3.util.make_headers(proxy_basic_auth=credentials))
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), headers


def _checked_seconds(value: float, what: str) -> float:
    """``value`` as a float, if it is a usable number of seconds (``0 < value <= MAX_SECONDS``)."""
    if not 0 < value < math.inf:
        raise ApiValueError(f"{what} must be a positive number of seconds, got {value!r}")
    if value > MAX_SECONDS:
        raise ApiValueError(
            f"{what} must be at most {MAX_SECONDS:g} seconds (a day), got {value!r}; use None for no limit"
        )
    return float(value)


def _to_timeout(value: Any, what: str) -> Optional[Timeout]:
    """``value`` (seconds, a ``(connect, read)`` tuple, a ``urllib3.Timeout`` or ``None``)
    as a ``urllib3.Timeout``, checked: every part positive, finite, at most a day."""
    if value is None:
        return None
    if isinstance(value, Timeout):
        for part in (value.connect_timeout, value.total, None if value.total is not None else value.read_timeout):
            if isinstance(part, (int, float)):
                _checked_seconds(part, what)
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
    return Timeout(total=_checked_seconds(value, what))


def _translate(err: HTTPError, method: str, url: str) -> ApiConnectionError:
    """Map a urllib3 error (possibly wrapped in MaxRetryError) to ours."""
    cause: Union[BaseException, None] = err
    if isinstance(err, MaxRetryError) and err.reason is not None:
        cause = err.reason
    where = f"{method} {url}"
    if isinstance(cause, ProxyError):
        return ApiConnectionError(f"{where}: proxy error: {_describe(cause)}", method=method, url=url)
    if isinstance(cause, NewConnectionError):
        # Checked before ConnectTimeoutError, which urllib3 makes its base class.
        return ApiConnectionError(f"{where}: could not connect: {_describe(cause)}", method=method, url=url)
    if isinstance(cause, ConnectTimeoutError):
        return ApiTimeoutError(f"{where}: timed out connecting: {_describe(cause)}", method=method, url=url)
    if isinstance(cause, (ReadTimeoutError, Urllib3TimeoutError)):
        deadline = _deadline_in(cause)
        if deadline is not None:
            return ApiTimeoutError(f"{where}: timed out waiting for the response: {deadline}", method=method, url=url)
        return ApiTimeoutError(
            f"{where}: timed out waiting for the response: {_describe(cause)}", method=method, url=url
        )
    if isinstance(cause, SSLError):
        return ApiConnectionError(f"{where}: TLS error: {_describe(cause)}", method=method, url=url)
    if isinstance(cause, ProtocolError):
        return ApiConnectionError(f"{where}: connection broken: {_describe(cause)}", method=method, url=url)
    return ApiConnectionError(f"{where}: {_describe(cause)}", method=method, url=url)


def _deadline_in(err: BaseException) -> Optional[_DeadlineExceeded]:
    """The deadline error ``err`` was raised from, if it was."""
    seen: Optional[BaseException] = err
    for _ in range(4):
        if seen is None or isinstance(seen, _DeadlineExceeded):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


# urllib3 starts many messages with the repr of a connection or pool object.
_OBJECT_PREFIX = r"^(<[^>]*>|\w*Pool\([^)]*\)): "  # compiled by re on the first error


def _describe(err: Optional[BaseException]) -> str:
    """One short line about ``err``: the innermost cause urllib3 wrapped, without object reprs."""
    if err is None:
        return "unknown error"
    if isinstance(err, (ProtocolError, ProxyError)) and len(err.args) > 1 and isinstance(err.args[-1], Exception):
        err = err.args[-1]
        if isinstance(err, (ProtocolError, ProxyError, SSLError)):
            return _describe(err)
    text = " ".join(re.sub(_OBJECT_PREFIX, "", str(err)).split())
    name = type(err).__name__
    if not text.startswith(name):
        text = f"{name}: {text}" if text else name
    return text if len(text) <= 200 else text[:199] + "…"


class _LoggingRetry(Retry):
    """urllib3's ``Retry``, reporting each decision (method, path, attempt, reason) to the
    ``py_logto`` logger at DEBUG level. urllib3 still decides and does the retrying, except
    that a retry whose wait would end after the call's deadline is not made, and a
    ``Retry-After`` that cannot be parsed is ignored (the backoff applies)."""

    def increment(
        self,
        method: Optional[str] = None,
        url: Optional[str] = None,
        response: Optional[urllib3.BaseHTTPResponse] = None,
        error: Optional[Exception] = None,
        _pool: Optional[ConnectionPool] = None,
        _stacktrace: Optional[TracebackType] = None,
    ) -> Self:
        debug = _LOGGER.isEnabledFor(logging.DEBUG)
        failed = ""
        if debug:
            path = urlsplit(url).path if url and "://" in url else (url or "").split("?", 1)[0]
            failed = f"{method} {path}: attempt {len(self.history) + 1} failed ({_retry_reason(response, error)})"
        try:
            new = super().increment(method, url, response, error, _pool, _stacktrace)
        except MaxRetryError:
            if debug:
                _LOGGER.debug("%s; no retries left", failed)
            raise
        except Exception:
            if debug:
                read_error = error is not None and self._is_read_error(error)
                why = "the server may have received the request" if read_error else "retries are disabled"
                _LOGGER.debug("%s; not retried: %s", failed, why)
            raise
        wait = _planned_wait(new, response)
        call: Optional[_Call] = getattr(_current, "call", None)
        if call is not None and call.deadline is not None and time.monotonic() + wait >= call.deadline:
            if debug:
                _LOGGER.debug(
                    "%s; not retried: waiting %.1f s would pass the call's deadline of %g s", failed, wait, call.seconds
                )
            reason = error if error is not None else ResponseError(f"status {response.status if response else '?'}")
            raise MaxRetryError(_pool, url or "", reason)  # type: ignore[arg-type]  # urllib3 accepts a pool of None
        if debug:
            _LOGGER.debug("%s; retrying in %.1f s", failed, wait)
        return new

    def get_retry_after(self, response: urllib3.BaseHTTPResponse) -> Optional[float]:
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None  # e.g. "1.5": not a number of seconds nor a date; the backoff applies


_LOGGING_RETRY_CLASSES: Dict[Type[Retry], Type[_LoggingRetry]] = {}


def _logging_retry(retry: Retry, **changes: Any) -> Retry:
    """A copy of ``retry`` (with ``changes``) that also logs its decisions.

    The copy's class derives from ``retry``'s own (a user's ``Retry`` subclass keeps
    its behaviour) and carries the same name, so its ``repr`` is unchanged.
    """
    new = retry.new(**changes)
    cls = type(new)
    if not issubclass(cls, _LoggingRetry):
        logged = _LOGGING_RETRY_CLASSES.get(cls)
        if logged is None:
            logged = _LOGGING_RETRY_CLASSES.setdefault(
                cls, type(cls.__name__, (_LoggingRetry, cls), {"__module__": cls.__module__})
            )
        new.__class__ = logged
    return new


def _retry_reason(response: Optional[urllib3.BaseHTTPResponse], error: Optional[Exception]) -> str:
    if error is not None:
        if isinstance(error, (NewConnectionError, ConnectTimeoutError)):
            return _describe(error)  # nothing the server sent: the text is the OS's
        # Otherwise class names only: the text can quote what the server sent (a broken
        # status line that echoes the token), and this line is logged before any masking.
        names = [type(error).__name__]
        cause = error.args[-1] if isinstance(error, (ProtocolError, ProxyError)) and error.args else None
        if isinstance(cause, BaseException):
            names.append(type(cause).__name__)
        return ": ".join(names)
    if response is None:
        return "unknown reason"
    retry_after = response.headers.get("Retry-After")
    shown = " ".join(str(retry_after).split())[:40] if retry_after else ""
    return f"status {response.status}" + (f", Retry-After: {shown}" if shown else "")


def _planned_wait(retry: Retry, response: Optional[urllib3.BaseHTTPResponse]) -> float:
    """The pause urllib3 is about to take (what ``Retry.sleep`` does)."""
    if response is not None and retry.respect_retry_after_header:
        after = retry.get_retry_after(response)
        if after:
            return after
    return retry.get_backoff_time()
