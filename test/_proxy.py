"""A tiny HTTP proxy on 127.0.0.1 for the tests: it forwards absolute-URI requests
(``http://`` targets) and tunnels ``CONNECT`` (``https://`` targets), and records
the request line and headers of everything it was asked to do."""

from __future__ import annotations

import selectors
import socket
import ssl
import threading
from dataclasses import dataclass
from typing import BinaryIO, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from test._faulty_server import unblock


@dataclass
class Seen:
    method: str
    target: str
    headers: Dict[str, str]


class Proxy:
    """``with Proxy() as proxy:``; ``proxy.url`` is its URL, ``proxy.seen`` what it was asked.
    Given an ``ssl.SSLContext``, clients reach the proxy itself over TLS (``https://``)."""

    def __init__(self, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._ssl_context = ssl_context
        self.url = f"{'https' if ssl_context else 'http'}://127.0.0.1:{self._listener.getsockname()[1]}"
        self.seen: List[Seen] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._sockets: List[socket.socket] = []
        self._threads: List[threading.Thread] = []

    def __enter__(self) -> Proxy:
        self._spawn(self._accept_loop)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped.set()
        with self._lock:
            sockets = list(self._sockets)
        unblock(self._listener, sockets)
        for thread in list(self._threads):
            thread.join(5)

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
        return sock

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._spawn(self._serve, self._track(client))

    def _serve(self, client: socket.socket) -> None:
        if self._ssl_context is not None:
            try:
                client = self._track(self._ssl_context.wrap_socket(client, server_side=True))
            except OSError:
                client.close()
                return
        reader = client.makefile("rb")
        try:
            while True:
                head = _read_head(reader)
                if head is None:
                    return
                method, target, headers = head
                with self._lock:
                    self.seen.append(Seen(method, target, headers))
                if method == "CONNECT":
                    host, _, port = target.rpartition(":")
                    upstream = self._track(socket.create_connection((host, int(port))))
                    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    _pipe(client, upstream)
                    return
                self._forward(client, reader, method, target, headers)
        except (OSError, ValueError):
            return
        finally:
            reader.close()
            client.close()

    def _forward(
        self, client: socket.socket, reader: BinaryIO, method: str, target: str, headers: Dict[str, str]
    ) -> None:
        """Send one absolute-URI request upstream (proxy headers dropped) and relay the reply."""
        url = urlsplit(target)
        body = reader.read(int(headers.get("content-length", "0")))
        kept = [(name, value) for name, value in headers.items() if not name.startswith("proxy-")]
        lines = [f"{method} {url.path or '/'} HTTP/1.1", *(f"{name}: {value}" for name, value in kept)]
        upstream = self._track(socket.create_connection((url.hostname or "", url.port or 80)))
        with upstream, upstream.makefile("rb") as replies:
            upstream.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            status_line = replies.readline()
            reply = _read_head(replies, first_line=status_line)
            if reply is None:
                return
            reply_headers = reply[2]
            payload = replies.read(int(reply_headers.get("content-length", "0")))
            out = [status_line.decode("latin-1").rstrip("\r\n"), *(f"{n}: {v}" for n, v in reply_headers.items())]
            client.sendall(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + payload)


def _read_head(reader: BinaryIO, first_line: Optional[bytes] = None) -> Optional[Tuple[str, str, Dict[str, str]]]:
    line = first_line if first_line is not None else reader.readline(65537)
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers: Dict[str, str] = {}
    while True:
        line = reader.readline(65537)
        if line in (b"\r\n", b"\n", b""):
            return method, target, headers
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()


def _pipe(a: socket.socket, b: socket.socket) -> None:
    """Relay bytes both ways until either side closes."""
    with selectors.DefaultSelector() as selector, b:
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        while True:
            for key, _ in selector.select(timeout=10):
                source: socket.socket = key.fileobj  # type: ignore[assignment]
                data = source.recv(65536)
                if not data:
                    return
                while isinstance(source, ssl.SSLSocket) and source.pending():
                    data += source.recv(source.pending())  # decrypted already: select would not say
                key.data.sendall(data)
