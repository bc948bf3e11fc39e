"""The benchmark scripts still run and print their tables (tiny sizes; no timing is
asserted), and their canned-response server answers each request shape as Logto would."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Iterator, List

import pytest
import urllib3

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from _harness import PROFILE_PATH, SESSION_PATH, VERIFY_PATH, CannedServer  # noqa: E402


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_overhead_quick_prints_every_table() -> None:
    out = run("overhead.py", "--quick")
    for line in (
        "Per call (",
        "Per-call CPU against the targets",
        "Cold start (",
        "Memory (",
        "py_logto / urllib3",
        "py_logto / pool",
        "py_logto: import + configure + one call",
        "py_logto: ... an Account call instead",
        "typed floor",
        "Python calls/call",
    ):
        assert line in out
    ratios = [row.split()[:2] for row in out.splitlines() if "py_logto / urllib3" in row and "x" in row]
    assert ratios == [[shape, threads] for shape in ("verify", "profile", "delete") for threads in ("1", "8")]


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        ("coldstart.py", ["--reps", "1"], ["as from a regular install", "import py_logto", "empty interpreter"]),
        ("coldstart.py", ["--reps", "1", "--with-pth"], [".pth files run", "an Account call instead"]),
        ("memory.py", ["--calls", "20"], ["Memory (", "after 20 calls MiB", "py_logto", "urllib3 (floor)"]),
        (
            "overhead.py",
            ["--sections", "per-call", "--shapes", "delete", "--n", "16", "--rounds", "1", "--threads", "2"],
            ["Per call (", "py_logto / pool"],
        ),
    ],
)
def test_each_benchmark_runs_alone(script: str, args: List[str], expected: List[str]) -> None:
    out = run(script, *args)
    for text in expected:
        assert text in out


@pytest.mark.parametrize("variant", ["urllib3", "urllib3 pool", "py_logto"])
def test_what_instructions_py_counts_runs(canned: CannedServer, variant: str) -> None:
    """The process the instruction counter runs under valgrind (valgrind itself takes
    minutes, so the suite runs the process without it)."""
    for shape in ("verify", "profile", "delete"):
        run("instructions.py", "--child", variant, shape, "2", canned.url)


def test_an_unknown_shape_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "overhead.py"), "--shapes", "verify,upload"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "unknown shape(s) upload" in done.stderr


@pytest.fixture(scope="module")
def canned() -> Iterator[CannedServer]:
    with CannedServer() as server:
        yield server


def test_the_canned_server_answers_a_verification_with_201_json(canned: CannedServer) -> None:
    response = urllib3.request("POST", canned.url + VERIFY_PATH, body=b'{"password":"p"}')
    assert response.status == 201
    assert set(json.loads(response.data)) == {"verificationRecordId", "expiresAt"}


def test_the_canned_server_answers_the_profile_with_200_json_and_an_etag(canned: CannedServer) -> None:
    response = urllib3.request("GET", canned.url + PROFILE_PATH)
    assert response.status == 200
    assert response.headers["ETag"].startswith('W/"')
    assert json.loads(response.data)["hasSecurityVerificationMethod"] is True


def test_the_canned_server_answers_a_session_delete_with_204_and_no_body(canned: CannedServer) -> None:
    response = urllib3.request("DELETE", canned.url + SESSION_PATH, headers={"logto-verification-id": "v"})
    assert response.status == 204
    assert response.data == b""


@pytest.mark.parametrize(
    ("method", "path"), [("GET", VERIFY_PATH), ("DELETE", PROFILE_PATH), ("DELETE", SESSION_PATH + "x")]
)
def test_the_canned_server_answers_any_other_request_with_404(canned: CannedServer, method: str, path: str) -> None:
    assert urllib3.request(method, canned.url + path).status == 404


def test_the_canned_server_answers_pipelined_requests_in_order(canned: CannedServer) -> None:
    requests = (
        f"GET {PROFILE_PATH} HTTP/1.1\r\nHost: x\r\n\r\n"
        f"POST {VERIFY_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{{}}"
        f"DELETE {SESSION_PATH} HTTP/1.1\r\nHost: x\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", canned.port), timeout=5) as sock:
        # The last request's head is sent in two pieces.
        sock.sendall(requests[:-3])
        sock.sendall(requests[-3:])
        received = b""
        while received.count(b"HTTP/1.1 ") < 3 or not received.endswith(b"\r\n\r\n"):
            received += sock.recv(65536)
    assert re.findall(rb"HTTP/1\.1 (\d{3}) ", received) == [b"200", b"201", b"204"]
