"""A real HTTP server on 127.0.0.1 for the tests: it records every request and
answers with whatever the test queued (or a default per path)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, Union

from typing_extensions import Self

Headers = List[Tuple[str, str]]


@dataclass
class Recorded:
    method: str
    path: str
    headers: Dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> Optional[str]:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Reply:
    status: int = 200
    body: Union[bytes, str, Dict[str, Any], List[Any], None] = None
    headers: Headers = field(default_factory=list)
    content_type: Optional[str] = "application/json; charset=utf-8"

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


Responder = Callable[[Recorded], Reply]


class BackgroundServer:
    """A threaded HTTP server on 127.0.0.1 (an ephemeral port) serving ``handler`` while
    used as a context manager."""

    def __init__(self, handler: Type[BaseHTTPRequestHandler]) -> None:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


class RecordingServer(BackgroundServer):
    """Start with ``with RecordingServer() as server:``; ``server.url`` is the base URL."""

    def __init__(self) -> None:
        self.requests: List[Recorded] = []
        self._queue: List[Reply] = []
        self._routes: Dict[str, Responder] = {}
        self._fallback: Optional[Responder] = None
        self._lock = threading.Lock()
        self.connections_opened = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # TCP_NODELAY: without it the body waits ~40 ms for the client to ACK the headers.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                with outer._lock:
                    outer.connections_opened += 1

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                rec = Recorded(self.command, self.path, dict(self.headers.items()), body)
                with outer._lock:
                    outer.requests.append(rec)
                    reply = outer._queue.pop(0) if outer._queue else None
                    route = outer._routes.get(self.path, outer._fallback)
                if reply is None:
                    reply = route(rec) if route else Reply(404, "Not Found", content_type="text/plain; charset=utf-8")
                payload = reply.encoded()
                self.send_response(reply.status)
                if reply.content_type and payload:
                    self.send_header("Content-Type", reply.content_type)
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_GET = do_PUT = do_PATCH = do_DELETE = _handle

        super().__init__(Handler)

    def queue(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order."""
        with self._lock:
            self._queue.extend(replies)

    def route(self, path: str, responder: Responder) -> None:
        """Answer every request for ``path`` (when nothing is queued) with ``responder``."""
        with self._lock:
            self._routes[path] = responder

    def route_all(self, responder: Responder) -> None:
        """Answer every request for a path without its own route (when nothing is queued) with ``responder``."""
        with self._lock:
            self._fallback = responder

    @property
    def last(self) -> Recorded:
        return self.requests[-1]
