"""HTTP/1.1 framing as Node's HTTP server (llhttp, strict) does it for Logto: keep-alive,
``Content-Length`` and chunked bodies, ``Expect: 100-continue``, timeouts.

A request Node would not parse (an unknown or lower-case method, a missing ``Host`` on HTTP/1.1,
a bare LF, a folded header, a header line without a colon, a duplicate or malformed
``Content-Length``, ``Content-Length`` with ``Transfer-Encoding``, ...) gets a bare
``400 Bad Request`` and the connection is closed; headers over 16 KiB get ``431``. An
absolute-URL request target is served like its path. Whatever arrives, the server answers or
closes the connection; it never waits for ever (idle and slow connections time out after 5
seconds) and never holds more than :data:`READ_LIMIT` bytes of a body in memory.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import socketserver
import threading
from email.utils import formatdate
from typing import Any, List, Optional, Set, Tuple

from py_logto.testing._app import LogtoApp
from py_logto.testing._wire import READ_LIMIT, Request, Response

__all__ = ["SandboxHTTPServer"]

_log = logging.getLogger("py_logto.testing")

_IDLE_TIMEOUT = 5  # seconds, as Node's keep-alive timeout
_MAX_HEADER_BYTES = 16 * 1024  # Node's --max-http-header-size
# Node's http.METHODS: what llhttp parses (CONNECT, which Node hands to 'connect' listeners, aside).
_METHODS = frozenset(
    [
        "ACL",
        "BIND",
        "CHECKOUT",
        "COPY",
        "DELETE",
        "GET",
        "HEAD",
        "LINK",
        "LOCK",
        "M-SEARCH",
        "MERGE",
        "MKACTIVITY",
        "MKCALENDAR",
        "MKCOL",
        "MOVE",
        "NOTIFY",
        "OPTIONS",
        "PATCH",
        "POST",
        "PROPFIND",
        "PROPPATCH",
        "PURGE",
        "PUT",
        "QUERY",
        "REBIND",
        "REPORT",
        "SEARCH",
        "SOURCE",
        "SUBSCRIBE",
        "TRACE",
        "UNBIND",
        "UNLINK",
        "UNLOCK",
        "UNSUBSCRIBE",
    ]
)
_REQUEST_LINE = re.compile(rb"([!-~]+) ([!-~]+) HTTP/(1\.[01])")
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_BAD_VALUE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
# Node's reason phrases, which differ from Python's for some codes.
_REASONS = {
    100: "Continue",
    200: "OK",
    201: "Created",
    204: "No Content",
    304: "Not Modified",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    417: "Expectation Failed",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
}


class _Refused(Exception):
    """Node refuses the request outright: a bare status line, then the connection closes."""

    def __init__(self, status: int = 400) -> None:
        super().__init__(status)
        self.status = status


class _Handler(socketserver.StreamRequestHandler):
    timeout = _IDLE_TIMEOUT
    server: SandboxHTTPServer

    def handle(self) -> None:
        try:
            while self._serve_one():
                pass
        except _Refused as refused:
            self._write_raw(f"HTTP/1.1 {refused.status} {_REASONS[refused.status]}\r\nConnection: close\r\n\r\n")
        except (OSError, ValueError):
            pass  # timeouts, resets and half-closed sockets: nothing left to answer to

    def _write_raw(self, text: str) -> None:
        with contextlib.suppress(OSError):
            self.wfile.write(text.encode("latin-1"))
            self.wfile.flush()

    def _read_line(self, budget: List[int]) -> Optional[bytes]:
        """One CRLF-terminated line, counted against the header budget; ``None`` at EOF."""
        line = self.rfile.readline(budget[0] + 1)
        if not line:
            return None
        budget[0] -= len(line)
        if budget[0] < 0:
            raise _Refused(431)
        if not line.endswith(b"\r\n") or b"\r" in line[:-2]:
            if not line.endswith(b"\n"):
                raise _Refused(431 if len(line) > _MAX_HEADER_BYTES else 400)
            raise _Refused(400)  # a bare LF or CR
        return line[:-2]

    def _read_head(self) -> Optional[Tuple[str, str, str, List[Tuple[str, str]]]]:
        budget = [_MAX_HEADER_BYTES]
        line = self._read_line(budget)
        while line == b"":  # Node skips empty lines before a request line
            line = self._read_line(budget)
        if line is None:
            return None
        match = _REQUEST_LINE.fullmatch(line)
        if match is None or match.group(1).decode("ascii") not in _METHODS:
            raise _Refused(400)
        method, target, version = (part.decode("latin-1") for part in match.groups())
        headers: List[Tuple[str, str]] = []
        while True:
            line = self._read_line(budget)
            if line is None:
                raise _Refused(400)
            if line == b"":
                break
            name, colon, value = line.partition(b":")
            if not colon or not _TOKEN.fullmatch(name) or _BAD_VALUE.search(value):
                raise _Refused(400)  # no colon, folded line, space before the colon, control characters
            headers.append((name.decode("latin-1"), value.strip(b" \t").decode("latin-1")))
        return method, target, version, headers

    def _read_body(self, headers: List[Tuple[str, str]]) -> Tuple[Optional[bytes], bool]:
        lengths = [value for name, value in headers if name.lower() == "content-length"]
        encodings = [value for name, value in headers if name.lower() == "transfer-encoding"]
        if encodings:
            if lengths or encodings[-1].split(",")[-1].strip().lower() != "chunked":
                raise _Refused(400)
            return self._read_chunked()
        if not lengths:
            return None, False
        if len(lengths) > 1 or not re.fullmatch(r"[0-9]+", lengths[0]):
            raise _Refused(400)
        length = int(lengths[0])
        if length > READ_LIMIT:
            return b"", True
        body = self.rfile.read(length)
        if len(body) < length:
            raise OSError("the request body ended early")
        return body, False

    def _read_chunked(self) -> Tuple[bytes, bool]:
        chunks = []
        total = 0
        while True:
            size_line = self.rfile.readline(1024)
            if not size_line.endswith(b"\r\n"):
                raise _Refused(400)
            digits = size_line[:-2].split(b";", 1)[0].strip()
            if not re.fullmatch(rb"[0-9A-Fa-f]+", digits):
                raise _Refused(400)
            size = int(digits, 16)
            if size == 0:
                break
            total += size
            if total > READ_LIMIT:
                return b"", True
            chunk = self.rfile.read(size)
            if len(chunk) < size or self.rfile.readline(3) != b"\r\n":
                raise _Refused(400)
            chunks.append(chunk)
        while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):  # trailer fields
            pass
        return b"".join(chunks), False

    def _serve_one(self) -> bool:
        head = self._read_head()
        if head is None:
            return False
        method, target, version, headers = head
        header_map = {name.lower(): value for name, value in reversed(headers)}
        if version == "1.1" and "host" not in header_map:
            raise _Refused(400)
        expect = header_map.get("expect")
        if expect is not None:
            if expect.strip().lower() != "100-continue":
                self._write(method, Response(417), close=True)
                return False
            self._write_raw("HTTP/1.1 100 Continue\r\n\r\n")
        body, too_large = self._read_body(headers)
        connection = header_map.get("connection", "").lower()
        close = too_large or "close" in connection or (version == "1.0" and "keep-alive" not in connection)
        response = self.server.app.handle(Request(method, target, tuple(headers), body, too_large))
        self._write(method, response, close=close)
        return not close

    def _write(self, method: str, response: Response, *, close: bool) -> None:
        lines = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, '')}"]
        lines.extend(f"{name}: {value}" for name, value in response.headers)
        if response.status not in (204, 304):
            lines.append(f"Content-Length: {len(response.body)}")
        lines.append(f"Date: {formatdate(usegmt=True)}")
        if close:
            lines.append("Connection: close")
        else:
            lines.extend(("Connection: keep-alive", f"Keep-Alive: timeout={_IDLE_TIMEOUT}"))
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        bodiless = method == "HEAD" or response.status in (204, 304)
        self.wfile.write(head if bodiless else head + response.body)
        self.wfile.flush()


class SandboxHTTPServer(socketserver.ThreadingTCPServer):
    """One thread per connection; :meth:`close_connections` ends the open keep-alive ones."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: Tuple[str, int], app: LogtoApp) -> None:
        self.app = app
        self._connections: Set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        _log.debug("connection from %s ended with an error", client_address, exc_info=True)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
