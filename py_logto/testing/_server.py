"""HTTP/1.1 framing for the sandbox: keep-alive, Content-Length and chunked bodies, timeouts.

Whatever arrives, the server answers or closes the connection; it never waits for ever (idle
and slow connections time out after a few seconds) and never holds more than about 1 MB of a
body in memory (a larger one is answered without being read, then the connection is closed).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import socketserver
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Optional, Set, Tuple

from py_logto.testing._app import BODY_LIMIT, LogtoApp, Request, Response

__all__ = ["SandboxHTTPServer"]

_log = logging.getLogger("py_logto.testing")

_IDLE_TIMEOUT = 5  # seconds, as Node's keep-alive timeout
# Node's reason phrases, which differ from Python's for 413 and 422 on newer versions.
_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    414: "URI Too Long",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    505: "HTTP Version Not Supported",
}


class _BadFraming(Exception):
    """The request's framing is broken; the connection cannot be reused."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = _IDLE_TIMEOUT
    server: SandboxHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the sandbox runs inside test suites."""

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if len(self.raw_requestline) > 65536:
                self.send_error(414)
                return
            if not self.parse_request():  # answers 400/431/505 itself, through send_error
                return
            self._serve()
        except (OSError, ValueError):
            # Timeouts, resets and half-closed sockets: nothing left to answer to.
            self.close_connection = True

    def send_error(self, code: int, message: Optional[str] = None, explain: Optional[str] = None) -> None:
        """Answer a broken request as Node does: a bare status line, then close."""
        self.close_connection = True
        self.wfile.write(f"HTTP/1.1 {code} {_REASONS.get(code, 'Bad Request')}\r\nConnection: close\r\n\r\n".encode())

    def _read_body(self) -> Tuple[Optional[bytes], bool]:
        """Return the body (``None`` when none was announced) and whether it exceeded the limit."""
        transfer_encoding = self.headers.get("Transfer-Encoding")
        content_length = self.headers.get("Content-Length")
        if transfer_encoding is not None:
            if content_length is not None or transfer_encoding.strip().lower() != "chunked":
                raise _BadFraming
            return self._read_chunked()
        if content_length is None:
            return None, False
        if not content_length.strip().isdigit() or not content_length.isascii():
            raise _BadFraming
        length = int(content_length)
        if length > BODY_LIMIT:
            return b"", True
        body = self.rfile.read(length)
        if len(body) < length:
            raise _BadFraming
        return body, False

    def _read_chunked(self) -> Tuple[bytes, bool]:
        chunks = []
        total = 0
        while True:
            size_line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise _BadFraming from None
            if size == 0:
                break
            total += size
            if total > BODY_LIMIT:
                return b"", True
            chunk = self.rfile.read(size)
            if len(chunk) < size or self.rfile.readline(3).strip():
                raise _BadFraming
            chunks.append(chunk)
        while self.rfile.readline(8192).strip():  # trailer fields
            pass
        return b"".join(chunks), False

    def _serve(self) -> None:
        try:
            body, too_large = self._read_body()
        except _BadFraming:
            self.send_error(400)
            return
        headers: Dict[str, str] = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), value)
        request = Request(self.command, self.path, headers, body, too_large)
        response = self.server.app.handle(request)
        if too_large:
            self.close_connection = True  # the unread rest of the body is still on the wire
        self._write(response)

    def _write(self, response: Response) -> None:
        lines = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, '')}"]
        lines.extend(f"{name}: {value}" for name, value in response.headers)
        if response.status != 204:
            lines.append(f"Content-Length: {len(response.body)}")
        lines.append(f"Date: {formatdate(usegmt=True)}")
        if self.close_connection:
            lines.append("Connection: close")
        else:
            lines.extend(("Connection: keep-alive", f"Keep-Alive: timeout={_IDLE_TIMEOUT}"))
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        self.wfile.write(head if self.command == "HEAD" or response.status == 204 else head + response.body)
        self.wfile.flush()


class SandboxHTTPServer(ThreadingHTTPServer):
    """One thread per connection; :meth:`close_connections` ends the open keep-alive ones."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: Tuple[str, int], app: LogtoApp) -> None:
        self.app = app
        self._connections: Set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would resolve the host name (getfqdn), which can take seconds.
        socketserver.TCPServer.server_bind(self)
        host, port = self.socket.getsockname()[:2]
        self.server_name, self.server_port = str(host), int(port)

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
