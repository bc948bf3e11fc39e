"""What the benchmarks share: the canned-response server and the table printer.

The server is an HTTP/1.1 server run in its own process.
It answers every request, instantly and over keep-alive connections, with the same
``201`` and the body of a new verification record. It is a bare asyncio protocol
(no HTTP library, no routing) so the server is never what a benchmark measures.

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

PATH = "/api/verifications/password"
TOKEN = "benchmark-access-token-0123456789abcdef"
PASSWORD = "correct horse battery staple"
BODY = b'{"verificationRecordId":"7w4mq9z3rkf2h1xg8c5dt","expiresAt":"2026-11-25T11:44:51.555Z"}'
RESPONSE = (
    b"HTTP/1.1 201 Created\r\n"
    b"Content-Type: application/json; charset=utf-8\r\n"
    b"Logto-Core-Request-Id: 0f8e7d6c-5b4a-4392-8170-benchmark000\r\n"
    b"Content-Length: " + str(len(BODY)).encode() + b"\r\n"
    b"\r\n" + BODY
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
        answers = 0
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
            buffer = buffer[total:]
            answers += 1
        self._buffer = buffer
        if answers and self._transport is not None:
            self._transport.write(RESPONSE * answers)


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
