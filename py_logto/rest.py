"""The transport: the only module that talks to urllib3 or sees its exceptions.

urllib3's errors are translated here into :class:`~py_logto.exceptions.ApiTimeoutError`
and :class:`~py_logto.exceptions.ApiConnectionError`, with the original chained as
``__cause__``. ``ApiException`` is re-exported so ``from py_logto.rest import
ApiException`` keeps working.
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING, Any, Mapping, Optional, Union
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
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
    from urllib3 import Retry, Timeout
    from urllib3.connectionpool import HTTPConnectionPool

    from py_logto.configuration import Configuration

__all__ = ["RESTClientObject", "RESTResponse", "ApiException"]


class RESTResponse:
    """A response from the server: status, reason, headers, and the body once read."""

    __slots__ = ("data", "headers", "reason", "response", "status")

    def __init__(self, resp: urllib3.BaseHTTPResponse) -> None:
        self.response = resp
        self.status: int = resp.status
        self.reason: str = resp.reason or ""
        self.headers: Mapping[str, str] = resp.headers
        self.data: Optional[bytes] = None

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
            self._manager = urllib3.ProxyManager(
                proxy_url=configuration.proxy,
                proxy_headers=dict(configuration.proxy_headers or {}),
                **pool_args,
            )
        else:
            self._manager = urllib3.PoolManager(**pool_args)
        self._proxied = bool(configuration.proxy)
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
    ) -> RESTResponse:
        """Send one request; return the response whatever its status.

        Raises:
            ApiTimeoutError: connecting or reading timed out.
            ApiConnectionError: any other failure to get a response.
        """
        url = base_url + path
        try:
            if self._proxied:
                resp = self._manager.urlopen(
                    method,
                    url,
                    body=body,
                    headers=headers,
                    timeout=timeout,
                    retries=retries,
                    redirect=False,
                    preload_content=preload_content,
                )
            else:
                # One pool per base URL, looked up once: cheaper than PoolManager's
                # per-call URL parsing and pool-key construction.
                pool, prefix = self._pool_for(base_url)
                resp = pool.urlopen(
                    method,
                    prefix + path,
                    body=body,
                    headers=headers,
                    timeout=timeout,
                    retries=retries,
                    redirect=False,
                    preload_content=preload_content,
                )
        except HTTPError as err:
            raise _translate(err, method, url) from err
        except (OSError, ValueError) as err:
            raise ApiConnectionError(
                f"{method} {url} failed: {err.__class__.__name__}", method=method, url=url
            ) from err
        return RESTResponse(resp)

    def clear(self) -> None:
        """Close every pooled connection."""
        self._pools.clear()
        self._manager.clear()


def _translate(err: HTTPError, method: str, url: str) -> ApiConnectionError:
    """Map a urllib3 error (possibly wrapped in MaxRetryError) to ours."""
    cause: Union[BaseException, None] = err
    if isinstance(err, MaxRetryError) and err.reason is not None:
        cause = err.reason
    where = f"{method} {url}"
    if isinstance(cause, NewConnectionError):
        # Checked before ConnectTimeoutError, which urllib3 makes its base class.
        return ApiConnectionError(f"{where}: could not connect: {_describe(cause)}", method=method, url=url)
    if isinstance(cause, ConnectTimeoutError):
        return ApiTimeoutError(f"{where}: timed out connecting", method=method, url=url)
    if isinstance(cause, (ReadTimeoutError, Urllib3TimeoutError)):
        return ApiTimeoutError(f"{where}: timed out waiting for the response", method=method, url=url)
    if isinstance(cause, SSLError):
        return ApiConnectionError(f"{where}: TLS error: {cause}", method=method, url=url)
    if isinstance(cause, ProxyError):
        return ApiConnectionError(f"{where}: proxy error: {_describe(cause)}", method=method, url=url)
    if isinstance(cause, ProtocolError):
        return ApiConnectionError(f"{where}: connection broken: {_describe(cause)}", method=method, url=url)
    return ApiConnectionError(f"{where}: {_describe(cause)}", method=method, url=url)


def _describe(err: Optional[BaseException]) -> str:
    if err is None:
        return "unknown error"
    text = str(err)
    # urllib3 prefixes messages with the repr of the connection object; keep the reason.
    if ": " in text and text.startswith("<"):
        text = text.split(": ", 1)[1]
    return text or err.__class__.__name__
