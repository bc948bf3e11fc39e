"""What the benchmarks share: the three request shapes, the canned-response server and
the table printer.

The server is an HTTP/1.1 server run in its own process. It answers every request
instantly, over keep-alive connections, with the canned answer of its request line:

- ``POST /api/verifications/password`` (a JSON body): ``201`` and a new verification record;
- ``GET /api/my-account``: ``200``, the user's profile and an ``ETag``;
- ``DELETE /api/my-account/sessions/<SESSION_ID>``: ``204`` and no body;
- anything else: ``404``, so a benchmark that sends the wrong request fails at once.

It is a bare asyncio protocol (no HTTP library; the request line is one dictionary
lookup) so the server is never what a benchmark measures.

Run it directly (``python benchmarks/_harness.py``) to get ``PORT <n>`` on stdout;
the benchmarks use :class:`CannedServer` to start and stop it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from typing import Any, Callable, Dict, List, Optional

TOKEN = "benchmark-access-token-0123456789abcdef"
PASSWORD = "correct horse battery staple"
VERIFICATION_ID = "v3rif1cat10nrec0rd1d"
SESSION_ID = "s3ss10n1d0123456789"

VERIFY_PATH = "/api/verifications/password"
PROFILE_PATH = "/api/my-account"
SESSION_PATH = "/api/my-account/sessions/" + SESSION_ID

#: The headers py_logto sends (``User-Agent`` aside) in each shape, in its order, so a
#: floor that sends these puts the same bytes on the wire.
USER_AGENT = "py-logto/1.0.0 (Python 3; urllib3 2)"
JSON_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}

VERIFY_BODY = b'{"verificationRecordId":"7w4mq9z3rkf2h1xg8c5dt","expiresAt":"2026-11-25T11:44:51.555Z"}'
PROFILE_BODY = (
    b'{"id":"u8kq2x0v7m3n","username":"jane","primaryEmail":"jane@example.com","primaryPhone":null,'
    b'"name":"Jane Doe","avatar":null,"customData":{"plan":"pro"},'
    b'"identities":{"github":{"userId":"5830127","details":{"email":"jane@example.com"}}},'
    b'"lastSignInAt":1764067491555,"createdAt":1732531491555,"updatedAt":1764067491555,'
    b'"profile":{"givenName":"Jane","familyName":"Doe","locale":"en-GB"},"applicationId":null,'
    b'"isSuspended":false,"hasPassword":true,"hasSecurityVerificationMethod":true}'
)
_REQUEST_ID = b"Logto-Core-Request-Id: 0f8e7d6c-5b4a-4392-8170-benchmark000"


def _json_response(status: bytes, body: bytes, extra: bytes = b"") -> bytes:
    head = [
        b"HTTP/1.1 " + status,
        b"Content-Type: application/json; charset=utf-8",
        *([extra] if extra else []),
        _REQUEST_ID,
        b"Content-Length: " + str(len(body)).encode(),
    ]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


#: The canned answer of each request line (method and target).
RESPONSES = {
    b"POST " + VERIFY_PATH.encode(): _json_response(b"201 Created", VERIFY_BODY),
    b"GET " + PROFILE_PATH.encode(): _json_response(b"200 OK", PROFILE_BODY, b'ETag: W/"1e2-kq2x0v7m3nJane"'),
    b"DELETE " + SESSION_PATH.encode(): b"HTTP/1.1 204 No Content\r\n" + _REQUEST_ID + b"\r\n\r\n",
}
NOT_FOUND = _json_response(
    b"404 Not Found", b'{"code":"request.general","message":"no canned answer for this request"}'
)


class _Canned(asyncio.Protocol):
    """Splits the byte stream into requests (head + ``Content-Length`` body) and answers each."""

    def __init__(self) -> None:
        self._buffer = b""
        self._transport: Optional[asyncio.Transport] = None

    def connection_made(self, transport: Any) -> None:
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer + data if self._buffer else data
        answers: List[bytes] = []
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            length = 0
            marker = buffer.lower().find(b"\r\ncontent-length:", 0, end)
            if marker >= 0:
                stop = buffer.find(b"\r\n", marker + 2)
                length = int(buffer[marker + 17 : stop])
            total = end + 4 + length
            if len(buffer) < total:
                break
            request_line = buffer[: buffer.find(b" HTTP/1.1\r\n", 0, end + 2)]
            answers.append(RESPONSES.get(request_line, NOT_FOUND))
            buffer = buffer[total:]
        self._buffer = buffer
        if answers and self._transport is not None:
            self._transport.write(b"".join(answers))


async def _serve() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Canned, "127.0.0.1", 0, backlog=128)
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"PORT {port}\n")
    sys.stdout.flush()
    # Stop when the parent closes our stdin (or dies).
    stdin_closed = loop.create_future()

    def _on_stdin() -> None:
        if not os.read(sys.stdin.fileno(), 4096) and not stdin_closed.done():
            stdin_closed.set_result(None)

    loop.add_reader(sys.stdin.fileno(), _on_stdin)
    async with server:
        await stdin_closed


class CannedServer:
    """``with CannedServer() as server:`` starts the server process; ``server.url`` is its base URL."""

    def __init__(self) -> None:
        self._process: Optional[subprocess.Popen[str]] = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> CannedServer:
        self._process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.startswith("PORT "):
            self._process.kill()
            raise RuntimeError(f"the benchmark server did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def __exit__(self, *exc: object) -> None:
        process = self._process
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def run_alone(doc: str, option: str, default: int, what: str, report: Callable[[str, int], None]) -> None:
    """The command line of a benchmark run on its own: one count ``option``, then
    ``report(server_url, count)`` against a fresh canned-response server."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument(option, type=int, default=default, help=f"{what} (default {default})")
    count = getattr(parser.parse_args(), option.lstrip("-"))
    with CannedServer() as server:
        report(server.url, count)


def probe_env() -> Dict[str, str]:
    """The environment for measured child processes: as in a normal installation,
    modules are loaded from cached bytecode (``PYTHONDONTWRITEBYTECODE`` would make
    every start compile py_logto's sources again, which no installed copy does)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def print_table(title: str, header: List[str], rows: List[List[str]], left: int = 1) -> None:
    """Print ``rows`` under ``header``: the first ``left`` columns aligned left, the others right."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: List[str]) -> str:
        return "  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    print(f"\n{title}")
    print(line(header))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))
    sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(_serve())
