"""A raw-socket HTTP(S) server on 127.0.0.1 that misbehaves on purpose.

Each request is answered by the next queued :class:`Fault` (some bytes, then an
ending: keep the connection, close it, reset it or hang), else by the one ``choose``
picks for it, else by a well-formed JSON reply that echoes the request's ``verificationId`` (so a
test can match every response to its own request). The server records what it
saw: the requests, the connections opened, and the connections the *client*
closed (``recv`` returned ``b""``, or the client's reset when it closed with our data unread).

Give it an ``ssl.SSLContext`` to serve HTTPS (failed handshakes are counted), or
``listening=False`` to bind its port but refuse connections until :meth:`listen`.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import struct
import threading
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Dict, List, Optional, Sequence, Tuple

from test._server import Recorded as Request

KEEP, CLOSE, RESET, HANG = "keep", "close", "reset", "hang"

GOOD_EXPIRY = "2026-11-25T11:44:51.555Z"


def response(
    status: int = 200,
    body: bytes = b"",
    *,
    reason: str = "",
    headers: Sequence[Tuple[str, str]] = (("Content-Type", "application/json"),),
    content_length: Optional[int] = None,
) -> bytes:
    """The bytes of an HTTP/1.1 response (``content_length`` may lie on purpose)."""
    reasons = {200: "OK", 201: "Created", 400: "Bad Request", 422: "Unprocessable Entity", 429: "Too Many Requests"}
    reasons.update({500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"})
    head = [f"HTTP/1.1 {status} {reason or reasons.get(status, 'Status')}"]
    head += [f"{name}: {value}" for name, value in headers]
    head.append(f"Content-Length: {len(body) if content_length is None else content_length}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class Fault:
    """After ``delay`` seconds, send ``data``, then each of ``later`` (``(pause, bytes)``:
    wait ``pause`` seconds, send the bytes), then ``then``: KEEP (serve the next
    request), CLOSE, RESET (RST) or HANG (until the server stops). With ``echo``, the
    good reply to the request follows the rest."""

    data: bytes = b""
    then: str = CLOSE
    delay: float = 0.0
    later: Sequence[Tuple[float, bytes]] = ()
    echo: bool = False


def trickle(data: bytes, every: float) -> Sequence[Tuple[float, bytes]]:
    """``data`` one byte at a time, ``every`` seconds apart (for ``Fault.later``)."""
    return [(every, data[i : i + 1]) for i in range(len(data))]


@dataclass
class _Stats:
    requests: List[Request] = field(default_factory=list)
    opened: int = 0
    closed_by_client: int = 0
    tls_failures: int = 0
    open_now: int = 0
    most_open: int = 0


class FaultyServer:
    """``with FaultyServer() as server:``; ``server.url`` is the base URL."""

    def __init__(
        self,
        ssl_context: Optional[ssl.SSLContext] = None,
        *,
        listening: bool = True,
        choose: Optional[Callable[[Request], Optional[Fault]]] = None,
    ) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listening = listening
        self._ssl_context = ssl_context
        self._choose = choose
        self.port = self._listener.getsockname()[1]
        self.url = f"{'https' if ssl_context else 'http'}://127.0.0.1:{self.port}"
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._faults: List[Fault] = []
        self._stats = _Stats()
        self._conns: List[socket.socket] = []
        self._threads: List[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)

    # -- what the tests use --------------------------------------------------------

    def queue(self, *faults: Fault) -> None:
        """Answer the next requests with these faults, in order."""
        with self._lock:
            self._faults.extend(faults)

    @property
    def requests(self) -> List[Request]:
        with self._lock:
            return list(self._stats.requests)

    @property
    def opened(self) -> int:
        return self._stats.opened

    @property
    def closed_by_client(self) -> int:
        return self._stats.closed_by_client

    @property
    def most_open(self) -> int:
        """The most connections that were open at the same time."""
        return self._stats.most_open

    @property
    def open_now(self) -> int:
        return self._stats.open_now

    @property
    def tls_failures(self) -> int:
        return self._stats.tls_failures

    @property
    def listening(self) -> bool:
        return self._acceptor.is_alive()

    def listen(self) -> None:
        """Start accepting connections (until now they were refused)."""
        self._listener.listen(128)
        self._acceptor.start()

    def __enter__(self) -> FaultyServer:
        if self._listening:
            self.listen()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        with self._lock:
            conns = list(self._conns)
        unblock(self._listener, conns)
        if self._acceptor.is_alive():
            self._acceptor.join(5)
        for thread in list(self._threads):
            thread.join(5)

    # -- the server ---------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._conns.append(conn)
                stats = self._stats
                stats.opened += 1
                stats.open_now += 1
                stats.most_open = max(stats.most_open, stats.open_now)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        if self._ssl_context is not None:
            raw = conn
            try:
                conn = self._ssl_context.wrap_socket(raw, server_side=True)
            except OSError:  # ssl.SSLError included: a failed handshake
                with self._lock:
                    self._stats.tls_failures += 1
                    self._stats.open_now -= 1
                    self._conns.remove(raw)
                _quiet_close(raw)
                return
            with self._lock:
                self._conns[self._conns.index(raw)] = conn
        reader = conn.makefile("rb")
        try:
            while not self.stopped.is_set():
                request = _read_request(reader)
                if request is None:
                    with self._lock:
                        self._stats.closed_by_client += 1
                    return
                with self._lock:
                    self._stats.requests.append(request)
                    fault = self._faults.pop(0) if self._faults else None
                if fault is None and self._choose is not None:
                    fault = self._choose(request)
                if fault is None:
                    fault = Fault(echo(request), KEEP)
                if fault.delay:
                    self.stopped.wait(fault.delay)
                conn.sendall(fault.data)
                for pause, part in fault.later:
                    if self.stopped.wait(pause):
                        return
                    conn.sendall(part)
                if fault.echo:
                    conn.sendall(echo(request))
                if fault.then == KEEP:
                    continue
                if fault.then == HANG:
                    self.stopped.wait(60)
                elif fault.then == RESET:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
        except ConnectionError:
            # The client closed the connection with data of ours still unread (or while we
            # wrote): its kernel answers with a reset instead of a clean end. Still its close.
            with self._lock:
                self._stats.closed_by_client += 1
            return
        except (OSError, ValueError):
            return  # the client went away mid-exchange (e.g. it stopped reading a huge body)
        finally:
            reader.close()
            _quiet_close(conn)
            with self._lock:
                self._stats.open_now -= 1
                if conn in self._conns:
                    self._conns.remove(conn)


def _read_request(reader: BinaryIO) -> Optional[Request]:
    """One request from the connection, or ``None`` when the client closed it."""
    line = reader.readline(65537)
    if not line:
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers: Dict[str, str] = {}
    while True:
        line = reader.readline(65537)
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = reader.read(length) if length else b""
    return Request(method, path, headers, body)


def echo(request: Request) -> bytes:
    """A good reply for every Verifications operation, echoing the request's id."""
    record_id = "vrf_default"
    if request.body:
        sent = json.loads(request.body)
        if isinstance(sent, dict) and isinstance(sent.get("verificationId"), str):
            record_id = sent["verificationId"]
    body = json.dumps({"verificationRecordId": record_id, "expiresAt": GOOD_EXPIRY}).encode()
    return response(200, body, headers=(("Content-Type", "application/json"), ("Logto-Core-Request-Id", "req-ok")))


def unblock(listener: socket.socket, sockets: Sequence[socket.socket]) -> None:
    """Close ``listener`` and shut ``sockets`` down, waking the threads blocked in
    ``accept()`` or ``recv()`` on them (closing alone does not, on Linux)."""
    for sock in (listener, *sockets):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    listener.close()


def _quiet_close(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.close()
