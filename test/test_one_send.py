"""A request's head and its body leave in one ``send``: the server's first read holds the
whole request, even when the socket options leave Nagle's algorithm on (urllib3 alone
sends the body separately, and the body then waits ~40 ms for the server's delayed ACK)."""

from __future__ import annotations

import json
import socket
import threading
from typing import Iterator, List, Tuple

import pytest

import py_logto
from test.conftest import TOKEN

RECORD = b'{"verificationRecordId":"r1","expiresAt":"2026-11-25T11:44:51.555Z"}'
NAGLE_ON = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]  # replaces urllib3's TCP_NODELAY


class FirstReadServer:
    """Records, for each request, what its first ``recv`` returned and the whole request;
    answers ``200`` with a verification record, keeping the connection open."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)  # accept() wakes up to see the server stopped
        self._stopped = threading.Event()
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.seen: List[Tuple[bytes, bytes]] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> FirstReadServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped.set()
        self._thread.join(5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            conn.settimeout(None)
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn: socket.socket) -> None:
        with conn:
            while True:
                first = conn.recv(1 << 20)
                if not first:
                    return
                request = first
                while b"\r\n\r\n" not in request:
                    request += conn.recv(1 << 20)
                head, _, body = request.partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                while len(body) < length:
                    body += conn.recv(1 << 20)
                self.seen.append((first, request[: len(head) + 4] + body))
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(RECORD)}\r\n\r\n".encode()
                    + RECORD
                )


@pytest.fixture
def first_reads() -> Iterator[FirstReadServer]:
    with FirstReadServer() as server:
        yield server


@pytest.mark.parametrize("socket_options", [None, NAGLE_ON], ids=["urllib3's options", "Nagle on"])
def test_the_first_read_holds_the_head_and_the_body(first_reads: FirstReadServer, socket_options: object) -> None:
    configuration = py_logto.Configuration(host=first_reads.url, access_token=TOKEN, socket_options=socket_options)
    with py_logto.ApiClient(configuration) as client:
        api = py_logto.VerificationsApi(client)
        for n in range(5):
            api.create_verification_by_password(py_logto.CreateVerificationByPasswordRequest(password=f"secret {n}"))
    assert len(first_reads.seen) == 5
    for n, (first, whole) in enumerate(first_reads.seen):
        assert first == whole
        assert json.loads(whole.partition(b"\r\n\r\n")[2]) == {"password": f"secret {n}"}


def test_a_request_without_a_body_is_sent_whole(first_reads: FirstReadServer) -> None:
    configuration = py_logto.Configuration(host=first_reads.url, access_token=TOKEN, socket_options=NAGLE_ON)
    with py_logto.ApiClient(configuration) as client:
        client.rest_client.request("GET", first_reads.url + "/api/my-account")
    (first, whole), *_ = first_reads.seen
    assert first == whole
    assert whole.startswith(b"GET /api/my-account HTTP/1.1\r\n")


def test_a_large_body_arrives_whole(first_reads: FirstReadServer) -> None:
    """Above 64 KiB the body is sent after the head, as urllib3 sends it."""
    payload = {"blob": "x" * 200_000}
    configuration = py_logto.Configuration(host=first_reads.url, access_token=TOKEN)
    with py_logto.ApiClient(configuration) as client:
        client.rest_client.request("POST", first_reads.url + "/api/anything", body=payload)
    (_, whole), *_ = first_reads.seen
    assert json.loads(whole.partition(b"\r\n\r\n")[2]) == payload
