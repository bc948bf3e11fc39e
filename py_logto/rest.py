"""The transport: the only module that talks to urllib3 or sees its exceptions.

urllib3's errors are translated here into :class:`~py_logto.exceptions.ApiTimeoutError`
and :class:`~py_logto.exceptions.ApiConnectionError`, with the original chained as
``__cause__``. ``ApiException`` is re-exported so ``from py_logto.rest import
ApiException`` keeps working.

urllib3 does the retrying; :class:`_LoggingRetry` only reports each decision to the
``py_logto`` logger. The pool blocks at ``connection_pool_maxsize`` connections per
host, and a call waits for a free one at most as long as its connect timeout.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import ssl
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Set, Tuple, Type, Union
from urllib.parse import unquote, urlsplit, urlunsplit

import urllib3
from urllib3 import Retry, Timeout
from urllib3.exceptions import (
    ClosedPoolError,
    ConnectTimeoutError,
    EmptyPoolError,
    HTTPError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.exceptions import (
    TimeoutError as Urllib3TimeoutError,
)

from py_logto.exceptions import ApiConnectionError, ApiTimeoutError
from py_logto.exceptions import ApiException as ApiException

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Self
    from urllib3.connectionpool import ConnectionPool, HTTPConnectionPool

    from py_logto.configuration import Configuration

_LOGGER = logging.getLogger("py_logto")

__all__ = ["RESTClientObject", "RESTResponse", "RESTResponseType", "ApiException"]

#: What the ``*_without_preload_content`` methods return: urllib3's response, body unread.
RESTResponseType = urllib3.BaseHTTPResponse


class RESTResponse:
    """A response from the server: status, reason, headers, and the body once read."""

    __slots__ = ("data", "headers", "reason", "response", "status", "truncated")

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


class RESTClientObject:
    """Owns the connection pool built from a :class:`~py_logto.Configuration`."""

    def __init__(self, configuration: Configuration) -> None:
        pool_args: dict[str, Any] = {
            "maxsize": configuration.connection_pool_maxsize,
            # Never more than maxsize connections per host: a call waits for a free one.
            "block": True,
            "cert_reqs": ssl.CERT_REQUIRED if configuration.verify_ssl else ssl.CERT_NONE,
        }
        if configuration.ssl_ca_cert:
            pool_args["ca_certs"] = configuration.ssl_ca_cert
        if configuration.cert_file:
            pool_args["cert_file"] = configuration.cert_file
        if configuration.key_file:
            pool_args["key_file"] = configuration.key_file
        if configuration.assert_hostname:
            pool_args["assert_hostname"] = configuration.assert_hostname
        self._manager: urllib3.PoolManager
        if configuration.proxy:
            proxy_url, proxy_headers = _proxy_settings(configuration.proxy, configuration.proxy_headers)
            self._manager = urllib3.ProxyManager(proxy_url=proxy_url, proxy_headers=proxy_headers, **pool_args)
        else:
            self._manager = urllib3.PoolManager(**pool_args)
        self._proxied = bool(configuration.proxy)
        self._maxsize = configuration.connection_pool_maxsize
        self._pools: dict[str, tuple[HTTPConnectionPool, str]] = {}

    def _pool_for(self, base_url: str) -> tuple[HTTPConnectionPool, str]:
        """The pool for ``base_url`` and the path prefix it carries (``""`` for none)."""
        entry = self._pools.get(base_url)
        if entry is None:
            entry = (self._manager.connection_from_url(base_url), urlsplit(base_url).path.rstrip("/"))
            self._pools[base_url] = entry
        return entry

    def request(
        self,
        method: str,
        base_url: str,
        path: str,
        headers: Mapping[str, str],
        body: Optional[bytes],
        *,
        timeout: Optional[Timeout],
        retries: Retry,
        preload_content: bool = True,
        max_body: Optional[int] = None,
    ) -> RESTResponse:
        """Send one request; return the response whatever its status.

        With ``preload_content``, the body is read into ``data``; when ``max_body``
        is given, at most that many bytes: a longer body is cut there (``truncated``)
        and its connection closed.

        Raises:
            ApiTimeoutError: connecting or reading timed out, or no pooled connection
                became free within the connect timeout.
            ApiConnectionError: any other failure to get a response.
        """
        url = base_url + path
        capped = preload_content and max_body is not None
        pool_timeout = _pool_timeout(timeout)
        options: Dict[str, Any] = {
            "body": body,
            "headers": headers,
            "timeout": timeout,
            "retries": retries,
            "redirect": False,
            "preload_content": preload_content and not capped,
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
            if capped:
                _read_capped(result, max_body or 0)
        except EmptyPoolError as err:
            raise ApiTimeoutError(
                f"{method} {url}: no free connection within {pool_timeout} s: all {self._maxsize} "
                "pooled connections are in use (connection_pool_maxsize; are *_without_preload_content "
                "responses read or released?)",
                method=method,
                url=url,
            ) from err
        except HTTPError as err:
            raise _translate(err, method, url) from err
        except (OSError, ValueError) as err:
            raise ApiConnectionError(
                f"{method} {url} failed: {err.__class__.__name__}", method=method, url=url
            ) from err
        return result

    def _urlopen(self, method: str, base_url: str, path: str, options: Mapping[str, Any]) -> urllib3.BaseHTTPResponse:
        if self._proxied:
            return self._manager.urlopen(method, base_url + path, **options)
        # One pool per base URL, looked up once: cheaper than PoolManager's
        # per-call URL parsing and pool-key construction.
        pool, prefix = self._pool_for(base_url)
        return pool.urlopen(method, prefix + path, **options)

    def clear(self) -> None:
        """Close every pooled connection: the idle ones now, the ones calls on other
        threads are using when those calls finish. Later calls open new pools."""
        pools: List[Optional[HTTPConnectionPool]] = [pool for pool, _ in self._pools.values()]
        in_manager = self._manager.pools.keys()  # a snapshot; the container cannot be iterated
        pools += [self._manager.pools.get(key) for key in in_manager]
        self._pools.clear()
        self._manager.clear()  # forgets the pools (urllib3 2.x does not close them)
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
        return ApiTimeoutError(
            f"{where}: timed out waiting for the response: {_describe(cause)}", method=method, url=url
        )
    if isinstance(cause, SSLError):
        return ApiConnectionError(f"{where}: TLS error: {_describe(cause)}", method=method, url=url)
    if isinstance(cause, ProtocolError):
        return ApiConnectionError(f"{where}: connection broken: {_describe(cause)}", method=method, url=url)
    return ApiConnectionError(f"{where}: {_describe(cause)}", method=method, url=url)


# urllib3 starts many messages with the repr of a connection or pool object.
_OBJECT_PREFIX = re.compile(r"^(<[^>]*>|\w*Pool\([^)]*\)): ")


def _describe(err: Optional[BaseException]) -> str:
    """One short line about ``err``: the innermost cause urllib3 wrapped, without object reprs."""
    if err is None:
        return "unknown error"
    if isinstance(err, (ProtocolError, ProxyError)) and len(err.args) > 1 and isinstance(err.args[-1], Exception):
        err = err.args[-1]
        if isinstance(err, (ProtocolError, ProxyError, SSLError)):
            return _describe(err)
    text = " ".join(_OBJECT_PREFIX.sub("", str(err)).split())
    name = type(err).__name__
    if not text.startswith(name):
        text = f"{name}: {text}" if text else name
    return text if len(text) <= 200 else text[:199] + "…"


class _LoggingRetry(Retry):
    """urllib3's ``Retry``, reporting each decision (method, path, attempt, reason) to the
    ``py_logto`` logger at DEBUG level. urllib3 still decides and does the retrying."""

    def increment(
        self,
        method: Optional[str] = None,
        url: Optional[str] = None,
        response: Optional[urllib3.BaseHTTPResponse] = None,
        error: Optional[Exception] = None,
        _pool: Optional[ConnectionPool] = None,
        _stacktrace: Optional[TracebackType] = None,
    ) -> Self:
        if not _LOGGER.isEnabledFor(logging.DEBUG):
            return super().increment(method, url, response, error, _pool, _stacktrace)
        path = urlsplit(url).path if url and "://" in url else (url or "").split("?", 1)[0]
        failed = f"{method} {path}: attempt {len(self.history) + 1} failed ({_retry_reason(response, error)})"
        try:
            new = super().increment(method, url, response, error, _pool, _stacktrace)
        except MaxRetryError:
            _LOGGER.debug("%s; no retries left", failed)
            raise
        except Exception:
            read_error = error is not None and self._is_read_error(error)
            why = "the server may have received the request" if read_error else "retries are disabled"
            _LOGGER.debug("%s; not retried: %s", failed, why)
            raise
        _LOGGER.debug("%s; retrying in %.1f s", failed, _planned_wait(new, response))
        return new


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
        return _describe(error)
    if response is None:
        return "unknown reason"
    retry_after = response.headers.get("Retry-After")
    return f"status {response.status}" + (f", Retry-After: {retry_after}" if retry_after else "")


def _planned_wait(retry: Retry, response: Optional[urllib3.BaseHTTPResponse]) -> float:
    """The pause urllib3 is about to take (what ``Retry.sleep`` does)."""
    if response is not None and retry.respect_retry_after_header:
        try:
            after = retry.get_retry_after(response)
        except HTTPError:
            after = None  # urllib3 will report the bad header itself
        if after:
            return after
    return retry.get_backoff_time()
