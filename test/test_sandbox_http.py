"""The sandbox on the wire, with plain http.client and sockets: framing, bad input, concurrency,
the command line, and that ``import py_logto`` leaves it alone."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

from py_logto.testing import LogtoSandbox, SandboxUser
from test._sandbox_wire import raw_exchange, request

PASSWORD = "wire-password-1"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def sandbox() -> Iterator[LogtoSandbox]:
    with LogtoSandbox() as sandbox:
        yield sandbox


@pytest.fixture
def user(sandbox: LogtoSandbox) -> SandboxUser:
    return sandbox.add_user(password=PASSWORD, email="wire@example.com", phone="15550009999")


@pytest.fixture
def auth(sandbox: LogtoSandbox, user: SandboxUser) -> Dict[str, str]:
    return {"Authorization": f"Bearer {sandbox.issue_token(user)}"}


Answer = Tuple[int, Dict[str, str], bytes]


def _request(
    sandbox: LogtoSandbox,
    method: str,
    path: str,
    body: Optional[bytes] = None,
    headers: Optional[Dict[str, str]] = None,
) -> Answer:
    answer = request(sandbox, method, path, body, headers)
    return answer.status, answer.headers, answer.raw


_raw = raw_exchange


def _post(sandbox: LogtoSandbox, path: str, body: Any, headers: Dict[str, str]) -> Tuple[int, Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    status, _, answer = _request(sandbox, "POST", "/api/verifications" + path, raw, {**JSON, **headers})
    return status, json.loads(answer)


# -- life cycle -------------------------------------------------------------------------------


def test_binds_an_ephemeral_port_on_loopback_and_stops_cleanly() -> None:
    sandbox = LogtoSandbox()
    with pytest.raises(RuntimeError):
        _ = sandbox.url
    with sandbox:
        assert sandbox.url == f"http://127.0.0.1:{sandbox.port}"
        assert sandbox.port > 0
        with pytest.raises(RuntimeError):
            sandbox.start()
        kept_open = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
        kept_open.request("POST", "/api/verifications/password")
        kept_open.getresponse().read()
        port = sandbox.port
    sandbox.stop()  # a second stop is harmless
    kept_open.close()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


def test_chosen_port(sandbox: LogtoSandbox) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    with LogtoSandbox(port=free_port) as chosen:
        assert chosen.url == f"http://127.0.0.1:{free_port}"


# -- routing ----------------------------------------------------------------------------------


def test_unknown_paths_are_404_text(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    for path in ("/api/verifications/unknown", "/", "/api", "/password", "/API/verifications/password"):
        status, headers, body = _request(sandbox, "POST", path, b"{}", {**JSON, **auth})
        assert (status, headers["content-type"], body) == (404, "text/plain; charset=utf-8", b"Not Found")
        assert len(headers["logto-core-request-id"]) == 16


def test_other_methods_are_405_or_501_text_with_allow(sandbox: LogtoSandbox) -> None:
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        status, headers, body = _request(sandbox, method, "/api/verifications/password")
        assert (status, headers["allow"], body) == (405, "POST", b"Method Not Allowed")
    status, headers, body = _request(sandbox, "HEAD", "/api/verifications/password")
    assert (status, headers["content-length"], body) == (405, "18", b"")
    # A method Node parses but koa-router does not implement; on an unknown path the Allow is empty.
    status, headers, body = _request(sandbox, "PROPFIND", "/api/verifications/password")
    assert (status, headers["allow"], body) == (501, "POST", b"Not Implemented")
    status, headers, body = _request(sandbox, "PROPFIND", "/api/nowhere")
    assert (status, headers["allow"], body) == (501, "", b"Not Implemented")
    status, headers, body = _request(sandbox, "OPTIONS", "/api/my-account/mfa-verifications/totp")
    assert (status, headers["allow"], body) == (200, "PUT, DELETE", b"")  # the :verificationId route too


def test_cors(sandbox: LogtoSandbox) -> None:
    origin = {"Origin": "http://127.0.0.1:5173"}
    preflight = {**origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    status, headers, body = _request(sandbox, "OPTIONS", "/api/verifications/password", headers=preflight)
    assert (status, body) == (204, b"")
    assert headers["access-control-allow-origin"] == "http://127.0.0.1:5173"
    assert headers["access-control-allow-methods"] == "GET,HEAD,PUT,POST,DELETE,PATCH"
    assert headers["access-control-allow-headers"] == "authorization"
    _, headers, _ = _request(sandbox, "POST", "/api/verifications/password", headers=origin)
    assert (headers["access-control-allow-origin"], headers["access-control-expose-headers"]) == (origin["Origin"], "*")
    _, headers, _ = _request(sandbox, "POST", "/api/verifications/password")
    assert headers["access-control-allow-origin"] == "*"


def test_trailing_slash_and_case_are_ignored_after_api(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    for path in ("/password/", "/PassWord"):
        assert _post(sandbox, path, {"password": PASSWORD}, auth)[0] == 201


# -- authentication ---------------------------------------------------------------------------


def test_authorization_header_checks(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    token = auth["Authorization"].split(" ", 1)[1]
    cases = [
        ({}, "auth.authorization_header_missing"),
        ({"Authorization": ""}, "auth.authorization_header_missing"),
        ({"Authorization": "Bearer "}, "auth.unauthorized"),
        ({"Authorization": "Bearer this-is-not-a-token"}, "auth.unauthorized"),
        ({"Authorization": f"bearer {token}"}, "auth.authorization_token_type_not_supported"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "auth.authorization_token_type_not_supported"),
    ]
    for headers, code in cases:
        status, body = _post(sandbox, "/password", {"password": PASSWORD}, headers)
        assert (status, body["code"]) == (401, code)
    assert body["data"] == {"supportedTypes": ["Bearer"]}


def test_authentication_comes_before_the_body(sandbox: LogtoSandbox) -> None:
    status, body = _post(sandbox, "/password", b"{not json", {"Authorization": "Bearer nope"})
    assert (status, body["code"]) == (401, "auth.unauthorized")


# -- bodies -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"password": "abc"', "Expected ',' or '}' after property value in JSON at position 18 (line 1 column 19)"),
        (b'{"identifier": ', "Unexpected end of JSON input"),
        (b"{connectorId}", "Expected property name or '}' in JSON at position 1 (line 1 column 2)"),
        (b'"just a string"', "invalid JSON, only supports object and array"),
        (b"[1,]", "Unexpected token ']', \"[1,]\" is not valid JSON"),
        (b'{"a": 1} x', "Unexpected non-whitespace character after JSON at position 9 (line 1 column 10)"),
    ],
)
def test_malformed_json_is_400_with_only_a_message(
    sandbox: LogtoSandbox, auth: Dict[str, str], raw: bytes, message: str
) -> None:
    assert _post(sandbox, "/password", raw, auth) == (400, {"message": message})


def test_form_bodies_are_accepted_and_text_bodies_are_strings(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    form = {**auth, "Content-Type": "application/x-www-form-urlencoded"}
    assert _post(sandbox, "/password", f"password={PASSWORD}".encode(), form)[0] == 201
    nested = b"identifier.type=email&identifier%5Bvalue%5D=wire%40example.com"
    assert _post(sandbox, "/verification-code", nested, form)[0] == 201
    status, body = _post(
        sandbox, "/password", json.dumps({"password": PASSWORD}).encode(), {**auth, "Content-Type": "text/plain"}
    )
    assert (status, body["code"]) == (400, "guard.invalid_input")
    assert body["data"]["issues"][0]["message"] == "Expected object, received string"


def test_unparsed_content_types_and_missing_bodies_count_as_empty(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    for headers, raw in (({"Content-Type": "application/xml"}, b"<password/>"), ({}, None)):
        status, _, answer = _request(sandbox, "POST", "/api/verifications/password", raw, {**auth, **headers})
        assert (status, json.loads(answer)["details"]) == (
            400,
            'Error in key path "password": (invalid_type) Expected string but received undefined.',
        )


def test_strange_json_is_judged_by_the_guard_not_by_a_crash(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    deep = b'{"password": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    status, body = _post(sandbox, "/password", deep, auth)
    assert (status, body["data"]["issues"][0]["message"]) == (400, "Expected string, received array")
    cases = [
        (b'{"password": NaN}', 400),
        (b'{"password": 1e999}', 400),
        (b"[]", 400),
        (b"null", 400),
        (b'\xef\xbb\xbf{"password": "\xff\xfe"}', 422),  # a BOM is skipped, bad UTF-8 decodes to U+FFFD
    ]
    for raw, expected in cases:
        assert _post(sandbox, "/password", raw, auth)[0] == expected, raw
    status, body = _post(
        sandbox, "/verification-code", {"identifier": {"type": "email", "value": "a" * 260 + "@x.io"}}, auth
    )
    assert [issue["code"] for issue in body["data"]["issues"]] == ["too_big"]


def test_huge_bodies_are_404_text_as_logto_leaves_them(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    # koa-body's 413 is an HttpError Logto's error handler leaves alone, so Koa answers 404.
    head = (
        f"POST /api/verifications/password HTTP/1.1\r\nHost: x\r\nAuthorization: {auth['Authorization']}\r\n"
        "Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n"
    ).encode()
    answer = _raw(sandbox, head + b'{"password": "')
    assert answer.startswith(b"HTTP/1.1 404 Not Found\r\n")
    assert b"\r\nConnection: close\r\n" in answer
    assert answer.endswith(b"\r\n\r\nNot Found")
    form = {**auth, "Content-Type": "application/x-www-form-urlencoded"}
    status, headers, body = _request(
        sandbox, "POST", "/api/verifications/password", b"password=" + b"x" * (56 * 1024), form
    )
    assert (status, headers["content-type"], body) == (404, "text/plain; charset=utf-8", b"Not Found")
    json_body = json.dumps({"password": "x" * (1024 * 1024)}).encode()
    assert _request(sandbox, "POST", "/api/verifications/password", json_body, {**auth, **JSON})[0] == 404
    assert _post(sandbox, "/password", {"password": PASSWORD}, auth)[0] == 201  # still serving
    # A route that reads no body ignores it, however large.
    assert _request(sandbox, "GET", "/api/my-account", json_body, {**auth, **JSON})[0] == 200


def test_chunked_bodies(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    body = json.dumps({"password": PASSWORD}).encode()
    request = (
        f"POST /api/verifications/password HTTP/1.1\r\nHost: x\r\nAuthorization: {auth['Authorization']}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    chunked = request + b"5\r\n" + body[:5] + b"\r\n" + f"{len(body) - 5:x}\r\n".encode() + body[5:] + b"\r\n0\r\n\r\n"
    assert _raw(sandbox, chunked).startswith(b"HTTP/1.1 201 Created\r\n")
    huge = request + b"".join([b"100000\r\n" + b" " * 0x100000 + b"\r\n"] * 2) + b"0\r\n\r\n"
    assert _raw(sandbox, huge).startswith(b"HTTP/1.1 404 ")


_PASSWORD_ROUTE = b"POST /api/verifications/password HTTP/1.1\r\n"


@pytest.mark.parametrize(
    ("request_bytes", "status_line"),
    [
        (_PASSWORD_ROUTE + b"Host: x\r\nContent-Length: abc\r\n\r\n", b"400 Bad Request"),
        (_PASSWORD_ROUTE + b"Host: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}", b"400 Bad Request"),
        (_PASSWORD_ROUTE + b"Host: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}", b"400 Bad Request"),
        (_PASSWORD_ROUTE + b"Host: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"400 Bad Request"),
        (b"NONSENSE\r\n\r\n", b"400 Bad Request"),
        (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", b"400 Bad Request"),
        (b"post /api/verifications/password HTTP/1.1\r\nHost: x\r\n\r\n", b"400 Bad Request"),
        (b"BREW /api/verifications/password HTTP/1.1\r\nHost: x\r\n\r\n", b"400 Bad Request"),
        (_PASSWORD_ROUTE + b"\r\n", b"400 Bad Request"),
        (_PASSWORD_ROUTE + b"Host: x\r\nX-A: 1\r\n  folded\r\n\r\n", b"400 Bad Request"),
        (_PASSWORD_ROUTE + b"Host: x\nX-A: 1\n\n", b"400 Bad Request"),
        (_PASSWORD_ROUTE + b"Host: x\r\nno colon here\r\n\r\n", b"400 Bad Request"),
        (_PASSWORD_ROUTE + b"Host: x\r\nX : y\r\n\r\n", b"400 Bad Request"),
        (_PASSWORD_ROUTE + b"Host: x\r\n" + b"X-Padding: " + b"y" * 17_000 + b"\r\n\r\n", b"431 "),
    ],
    ids=[
        "bad-length",
        "length-and-chunked",
        "duplicate-length",
        "bad-chunk",
        "no-version",
        "bad-version",
        "lower-case-method",
        "unknown-method",
        "no-host",
        "folded-header",
        "bare-lf",
        "no-colon",
        "space-before-colon",
        "headers-over-16-kib",
    ],
)
def test_malformed_http_gets_a_bare_status_line_and_a_closed_connection(
    sandbox: LogtoSandbox, request_bytes: bytes, status_line: bytes
) -> None:
    answer = _raw(sandbox, request_bytes)
    assert answer.startswith(b"HTTP/1.1 " + status_line)
    assert answer.endswith(b"\r\nConnection: close\r\n\r\n")


def test_many_small_headers_and_an_absolute_url_target_are_served(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    head = f"GET http://127.0.0.1:{sandbox.port}/api/my-account HTTP/1.1\r\nHost: x\r\n".encode()
    request = head + b"X: y\r\n" * 200 + f"Authorization: {auth['Authorization']}\r\nConnection: close\r\n\r\n".encode()
    answer = _raw(sandbox, request)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b'"primaryEmail":"wire@example.com"' in answer


def test_expect_100_continue(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    body = json.dumps({"password": PASSWORD}).encode()
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as conn:
        conn.sendall(
            _PASSWORD_ROUTE
            + f"Host: x\r\nAuthorization: {auth['Authorization']}\r\nContent-Type: application/json\r\n".encode()
            + f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n".encode()
        )
        assert conn.recv(1024) == b"HTTP/1.1 100 Continue\r\n\r\n"
        conn.sendall(body)
        assert conn.recv(65536).startswith(b"HTTP/1.1 201 Created\r\n")


# -- connections ------------------------------------------------------------------------------


def test_keep_alive_with_exact_content_length(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        ids = []
        for _ in range(3):
            connection.request(
                "POST", "/api/verifications/password", json.dumps({"password": PASSWORD}), {**JSON, **auth}
            )
            response = connection.getresponse()
            raw = response.read()
            assert (response.status, int(response.headers["Content-Length"])) == (201, len(raw))
            assert (response.headers["Connection"], response.headers["Keep-Alive"]) == ("keep-alive", "timeout=5")
            ids.append(response.headers["Logto-Core-Request-Id"])
        assert len(set(ids)) == 3
    finally:
        connection.close()


def test_a_stalled_client_does_not_hold_up_others(sandbox: LogtoSandbox, auth: Dict[str, str]) -> None:
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as stalled:
        stalled.sendall(b"POST /api/verifications/password HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
        assert _post(sandbox, "/password", {"password": PASSWORD}, auth)[0] == 201


def test_parallel_requests(sandbox: LogtoSandbox, user: SandboxUser) -> None:
    results: List[int] = []

    def work() -> None:
        headers = {"Authorization": f"Bearer {sandbox.issue_token(user)}"}
        for _ in range(5):
            results.append(
                _post(sandbox, "/verification-code", {"identifier": {"type": "phone", "value": "1555"}}, headers)[0]
            )
            results.append(_post(sandbox, "/password", {"password": PASSWORD}, headers)[0])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [201] * 50 + [429] * 30  # exactly 10 codes reach one recipient
    assert len(sandbox.outbox) == 10


# -- the command line and the import boundary ------------------------------------------------


def test_command_line_prints_what_to_use_and_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "py_logto.testing", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]
        url = lines[0].split()[-1]
        token = lines[1].split()[-1]
        assert url.startswith("http://127.0.0.1:")
        assert lines[4].strip() == "demo password: demo-password-1"
        host, port = url[len("http://") :].split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            connection.request(
                "POST",
                "/api/verifications/password",
                '{"password": "demo-password-1"}',
                {**JSON, "Authorization": f"Bearer {token}"},
            )
            assert connection.getresponse().status == 201
        finally:
            connection.close()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out.strip().endswith("Logto sandbox stopped.")


def test_command_line_reports_a_busy_port(sandbox: LogtoSandbox) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "py_logto.testing", "--port", str(sandbox.port)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "cannot listen" in result.stderr


def test_import_py_logto_does_not_load_the_sandbox() -> None:
    code = "import sys, py_logto; print(sorted(m for m in sys.modules if m.startswith('py_logto.testing')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
