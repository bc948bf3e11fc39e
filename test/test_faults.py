"""Fault injection: a loopback server that misbehaves on purpose.

Every fault ends in its documented exception within the configured timeout, the
server sees the request exactly once (a POST is never re-sent), and the next call
on the same client succeeds. Decisions these tests pin down:

* A truncated JSON body whose ``Content-Length`` is honest (the HTTP message is
  complete; the JSON is not) is the server's answer: ``ApiResponseValidationError``
  with status, headers and body. A body that ends before its ``Content-Length``
  (or before its last chunk) is a broken connection: ``ApiConnectionError``.
* A body larger than ``Configuration.max_response_size`` (1 MiB by default) is not
  read past the limit and its connection is closed: on a 2xx that is
  ``ApiResponseValidationError``; on an error status, the status's exception with
  the start of the body.
"""

from __future__ import annotations

import gzip
import json
from typing import Any, Callable, Iterator, Tuple, Type

import pytest

import py_logto
from py_logto import (
    ApiConnectionError,
    ApiResponseValidationError,
    ApiTimeoutError,
    OpenApiException,
    ServiceException,
)
from test._faulty_server import CLOSE, HANG, KEEP, RESET, Fault, FaultyServer, response
from test._reliability import MARGIN, TIMEOUT, api_for, assert_ours, password_request, stopwatch

RECORD = b'{"verificationRecordId": "vrf_1", "expiresAt": "2026-11-25T11:44:51.555Z"}'
TRUNCATED = RECORD[:30]
HTML = (("Content-Type", "text/html"),)
BIG = 10 * 1024 * 1024

FAULTS = {
    "hangs before headers": (Fault(b"", HANG), ApiTimeoutError),
    "hangs mid-body": (Fault(response(200, TRUNCATED, content_length=len(RECORD)), HANG), ApiTimeoutError),
    "closes before responding": (Fault(b"", CLOSE), ApiConnectionError),
    "resets before responding": (Fault(b"", RESET), ApiConnectionError),
    "resets mid-response": (Fault(response(200, TRUNCATED, content_length=len(RECORD)), RESET), ApiConnectionError),
    "truncated JSON, honest Content-Length": (Fault(response(200, TRUNCATED), KEEP), ApiResponseValidationError),
    "truncated JSON, body shorter than Content-Length": (
        Fault(response(200, TRUNCATED, content_length=len(RECORD)), CLOSE),
        ApiConnectionError,
    ),
    "truncated chunked body": (
        Fault(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + TRUNCATED, CLOSE),
        ApiConnectionError,
    ),
    "HTML 502": (Fault(response(502, b"<html><h1>502 Bad Gateway</h1></html>", headers=HTML), KEEP), ServiceException),
    "10 MB body on a 200": (Fault(response(200, b"[" + b"1," * (BIG // 2) + b"1]"), KEEP), ApiResponseValidationError),
    "10 MB body on a 502": (Fault(response(502, b"<p>" + b"x" * BIG, headers=HTML), KEEP), ServiceException),
    "invalid status line": (Fault(b"HTTP/1.1 abc Nope\r\n\r\n", CLOSE), ApiConnectionError),
    "not HTTP at all": (Fault(b"SSH-2.0-OpenSSH_9.6\r\n", CLOSE), ApiConnectionError),
    "header line too long": (
        Fault(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n", CLOSE),
        ApiConnectionError,
    ),
    "empty 200": (Fault(response(200, b""), KEEP), ApiResponseValidationError),
    "HTML 200": (Fault(response(200, b"<html>captive portal</html>", headers=HTML), KEEP), ApiResponseValidationError),
    "JSON 200 of the wrong shape": (Fault(response(200, b'{"id": 1}'), KEEP), ApiResponseValidationError),
    "absurdly nested JSON 500": (Fault(response(500, b'{"a":' + b"[" * 300_000), KEEP), ServiceException),
}

Variant = Callable[[py_logto.VerificationsApi], Any]
VARIANTS = {
    "method": lambda api: api.create_verification_by_password(password_request()),
    "with_http_info": lambda api: api.create_verification_by_password_with_http_info(password_request()),
}


@pytest.fixture
def api(faulty: FaultyServer) -> Iterator[py_logto.VerificationsApi]:
    api = api_for(faulty.url, timeout=TIMEOUT)
    yield api
    api.api_client.close()


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_ends_in_its_exception_and_the_next_call_succeeds(
    faulty: FaultyServer, api: py_logto.VerificationsApi, fault: str, variant: str
) -> None:
    injected, expected = FAULTS[fault]
    faulty.queue(injected)
    with stopwatch() as watch, pytest.raises(OpenApiException) as info:
        VARIANTS[variant](api)
    assert type(info.value) is expected, f"{type(info.value).__name__}: {info.value}"
    assert_ours(info.value)
    assert watch.elapsed < TIMEOUT + MARGIN
    assert len(faulty.requests) == 1, "the POST was sent again"
    assert "\n" not in str(info.value)

    record = api.create_verification_by_password(password_request())
    assert record.verification_record_id == "vrf_default"
    assert len(faulty.requests) == 2


PRE_HEADER_FAULTS = [
    "hangs before headers",
    "closes before responding",
    "resets before responding",
    "invalid status line",
]


@pytest.mark.parametrize("fault", PRE_HEADER_FAULTS)
def test_fault_before_the_headers_is_ours_without_preload_content(
    faulty: FaultyServer, api: py_logto.VerificationsApi, fault: str
) -> None:
    injected, expected = FAULTS[fault]
    faulty.queue(injected)
    with stopwatch() as watch, pytest.raises(expected) as info:
        api.create_verification_by_password_without_preload_content(password_request())
    assert_ours(info.value)
    assert watch.elapsed < TIMEOUT + MARGIN
    assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_default"


def test_connection_errors_chain_the_low_level_cause(faulty: FaultyServer, api: py_logto.VerificationsApi) -> None:
    faulty.queue(FAULTS["resets mid-response"][0])
    with pytest.raises(ApiConnectionError) as info:
        api.create_verification_by_password(password_request())
    assert info.value.__cause__ is not None
    assert info.value.method == "POST"
    assert info.value.url == faulty.url + "/api/verifications/password"
    assert "ConnectionResetError" in str(info.value)


def test_a_timeout_says_which_phase_timed_out(faulty: FaultyServer, api: py_logto.VerificationsApi) -> None:
    faulty.queue(FAULTS["hangs before headers"][0])
    with pytest.raises(ApiTimeoutError, match="timed out waiting for the response") as info:
        api.create_verification_by_password(password_request())
    assert isinstance(info.value, ApiConnectionError)


def test_a_truncated_json_200_keeps_status_headers_and_body(
    faulty: FaultyServer, api: py_logto.VerificationsApi
) -> None:
    faulty.queue(Fault(response(200, TRUNCATED, headers=(("Logto-Core-Request-Id", "req-7"),)), KEEP))
    with pytest.raises(ApiResponseValidationError) as info:
        api.create_verification_by_password(password_request())
    error = info.value
    assert (error.status, error.raw_body, error.request_id) == (200, TRUNCATED, "req-7")
    assert error.headers["Content-Length"] == str(len(TRUNCATED))
    assert str(error).endswith("(request id: req-7)")
    assert type(error.__cause__).__name__ == "ValidationError"


def test_an_html_502_keeps_its_body(faulty: FaultyServer, api: py_logto.VerificationsApi) -> None:
    page = b"<html><h1>502 Bad Gateway</h1></html>"
    faulty.queue(Fault(response(502, page, headers=HTML), KEEP))
    with pytest.raises(ServiceException) as info:
        api.create_verification_by_password(password_request())
    assert (info.value.status, info.value.reason, info.value.raw_body, info.value.data) == (
        502,
        "Bad Gateway",
        page,
        None,
    )
    assert str(info.value) == "(502) Bad Gateway"


def test_a_body_over_max_response_size_is_cut_and_its_connection_closed(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, timeout=TIMEOUT, max_response_size=1000)
    try:
        faulty.queue(Fault(response(200, b" " * 1001 + RECORD), KEEP))
        with pytest.raises(ApiResponseValidationError, match="larger than max_response_size") as info:
            api.create_verification_by_password(password_request())
        assert info.value.raw_body == b" " * 1000
        faulty.queue(Fault(response(503, b"y" * 5000), KEEP))
        with pytest.raises(ServiceException) as error:
            api.create_verification_by_password(password_request())
        assert error.value.raw_body == b"y" * 1000
        assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_default"
        assert faulty.opened == 3, "a cut response's connection must not be reused"
        faulty.queue(Fault(response(200, b" " * (1000 - len(RECORD)) + RECORD), KEEP))
        assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_1"
    finally:
        api.api_client.close()


def chunked(body: bytes, headers: bytes = b"") -> bytes:
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:40], body[40:]) if part)
    return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n" + headers + b"\r\n" + chunks + b"0\r\n\r\n"


def test_the_limit_holds_without_a_content_length_and_after_decompression(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, timeout=TIMEOUT, max_response_size=1000)
    gzip_header = (("Content-Type", "application/json"), ("Content-Encoding", "gzip"))
    bomb = gzip.compress(b" " * 20_000_000 + RECORD)  # about 20 KB on the wire
    try:
        faulty.queue(
            Fault(chunked(RECORD), KEEP), Fault(response(200, gzip.compress(RECORD), headers=gzip_header), KEEP)
        )
        assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_1"
        assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_1"
        for too_big in (chunked(b" " * 2000 + RECORD), response(200, bomb, headers=gzip_header)):
            faulty.queue(Fault(too_big, KEEP))
            with pytest.raises(ApiResponseValidationError, match="larger than max_response_size") as info:
                api.create_verification_by_password(password_request())
            assert info.value.raw_body == b" " * 1000
        assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_default"
    finally:
        api.api_client.close()


def test_max_response_size_none_reads_any_size(faulty: FaultyServer) -> None:
    record_id = "r" * (3 * 1024 * 1024)
    body = json.dumps({"verificationRecordId": record_id, "expiresAt": "2026-11-25T11:44:51.555Z"}).encode()
    api = api_for(faulty.url, timeout=TIMEOUT, max_response_size=None)
    try:
        faulty.queue(Fault(response(201, body), KEEP))
        assert api.create_verification_by_password(password_request()).verification_record_id == record_id
    finally:
        api.api_client.close()


def test_refused_connection() -> None:
    with FaultyServer(listening=False) as closed:
        api = api_for(closed.url, timeout=TIMEOUT, retries=None)
        with stopwatch() as watch, pytest.raises(ApiConnectionError, match="could not connect") as info:
            api.create_verification_by_password(password_request())
    assert type(info.value) is ApiConnectionError
    assert_ours(info.value)
    assert watch.elapsed < TIMEOUT + MARGIN


ERROR_BODY = b'{"code": "session.verification_failed", "message": "Verification failed."}'


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, py_logto.BadRequestException),
        (401, py_logto.UnauthorizedException),
        (403, py_logto.ForbiddenException),
        (404, py_logto.NotFoundException),
        (405, py_logto.ApiException),
        (409, py_logto.ConflictException),
        (418, py_logto.ApiException),
        (422, py_logto.UnprocessableEntityException),
        (429, py_logto.TooManyRequestsException),
        (500, ServiceException),
        (501, ServiceException),
        (503, ServiceException),
        (302, py_logto.ApiException),
    ],
)
def test_every_error_status_parses_logto_s_body_declared_or_not(
    faulty: FaultyServer, api: py_logto.VerificationsApi, status: int, expected: Type[py_logto.ApiException]
) -> None:
    headers = (("Content-Type", "application/json"), ("Logto-Core-Request-Id", "req-42"))
    faulty.queue(Fault(response(status, ERROR_BODY, headers=headers, reason="Reason"), KEEP))
    with pytest.raises(py_logto.ApiException) as info:
        api.create_verification_by_password(password_request())
    error = info.value
    assert type(error) is expected
    assert error.data is not None
    assert (error.status, error.code, error.message, error.request_id) == (
        status,
        "session.verification_failed",
        "Verification failed.",
        "req-42",
    )
    assert str(error) == f"({status}) Reason [session.verification_failed] Verification failed. (request id: req-42)"
    assert error.raw_body == ERROR_BODY


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"message": "Unexpected token } in JSON"}', "Unexpected token } in JSON"),
        (b"Method Not Allowed", "Method Not Allowed"),
        (b"", None),
        (b'{"code": 7}', '{"code": 7}'),
        (b'[{"code": "x", "message": "y"}]', '[{"code": "x", "message": "y"}]'),
    ],
)
def test_an_error_body_that_is_not_logto_s_is_kept_raw(
    faulty: FaultyServer, api: py_logto.VerificationsApi, body: bytes, message: Any
) -> None:
    faulty.queue(Fault(response(400, body, headers=(("Content-Type", "text/plain"),)), KEEP))
    with pytest.raises(py_logto.BadRequestException) as info:
        api.create_verification_by_password(password_request())
    assert (info.value.data, info.value.raw_body, info.value.message, info.value.code) == (None, body, message, None)


def _bad_calls() -> Iterator[Tuple[str, Variant]]:
    from py_logto.models import VerifyVerificationCodeVerificationRequest

    yield "dict body with a wrong type", lambda api: api.create_verification_by_password({"password": 12345})  # type: ignore[arg-type]
    yield "dict body missing a field", lambda api: api.create_verification_by_password({})  # type: ignore[arg-type]
    yield "body of the wrong class", lambda api: api.create_verification_by_password("hunter2")  # type: ignore[arg-type]
    yield (
        "model with a wrong type",
        lambda api: api.verify_verification_by_verification_code(
            VerifyVerificationCodeVerificationRequest(identifier={"type": "email"}, verification_id="v", code=123)  # type: ignore[arg-type]
        ),
    )
    yield "no body", lambda api: api.create_verification_by_password(None)  # type: ignore[arg-type]
    yield (
        "timeout of the wrong type",
        lambda api: api.create_verification_by_password(
            password_request(),
            _request_timeout="soon",  # type: ignore[typeddict-item]
        ),
    )
    yield "negative timeout", lambda api: api.create_verification_by_password(password_request(), _request_timeout=-1)
    yield (
        "headers not a mapping",
        lambda api: api.create_verification_by_password(
            password_request(),
            _headers=[("a", "b")],  # type: ignore[typeddict-item]
        ),
    )
    yield (
        "header with a line break",
        lambda api: api.create_verification_by_password(password_request(), _headers={"X-A": "1\r\nX-B: 2"}),
    )
    yield (
        "non-JSON content type",
        lambda api: api.create_verification_by_password(password_request(), _content_type="text/plain"),
    )
    yield "bad _request_auth", lambda api: api.create_verification_by_password(password_request(), _request_auth=42)  # type: ignore[typeddict-item]
    yield (
        "token that is not latin-1",
        lambda api: api.create_verification_by_password(password_request(), _request_auth="tok-\u2603"),
    )


BAD_CALLS = dict(_bad_calls())


@pytest.mark.parametrize("call", list(BAD_CALLS))
def test_bad_input_raises_ours_and_sends_nothing(
    faulty: FaultyServer, api: py_logto.VerificationsApi, call: str
) -> None:
    with pytest.raises(Exception) as info:  # noqa: PT011 - the point is to see what escapes
        BAD_CALLS[call](api)
    assert_ours(info.value)
    assert isinstance(info.value, (py_logto.ApiTypeError, py_logto.ApiValueError))
    assert faulty.opened == 0
