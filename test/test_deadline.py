"""A deadline per call: however the server paces its bytes, a call ends by
``Configuration.deadline`` (default: the timeout's total, or connect + read), and a
status retry never waits past it. Absurd timeouts are refused when set."""

from __future__ import annotations

import math
import sys
from typing import Any, Iterator

import pytest
from urllib3 import Retry, Timeout

import py_logto
from test._faulty_server import HANG, KEEP, Fault, FaultyServer, response, trickle
from test._reliability import MARGIN, api_for, assert_ours, password_request, stopwatch

RECORD = b'{"verificationRecordId": "vrf_1", "expiresAt": "2026-11-25T11:44:51.555Z"}'
UNAVAILABLE = b'{"code": "internal_server_error", "message": "Try again later."}'
HEAD = response(200, RECORD)[: -len(RECORD)]


def opt_in(total: int = 2) -> Retry:
    return Retry(total=total, status_forcelist=[503], allowed_methods=None, respect_retry_after_header=True)


@pytest.fixture
def api(faulty: FaultyServer) -> Iterator[py_logto.VerificationsApi]:
    # Each read may wait 1 s, so only the deadline can cut a byte-every-100-ms server off.
    api = api_for(faulty.url, timeout=(1, 1), deadline=0.8)
    yield api
    api.api_client.close()


@pytest.mark.parametrize(
    "fault",
    [
        Fault(HEAD, HANG, later=trickle(RECORD, 0.1)),
        Fault(b"", HANG, later=trickle(HEAD + RECORD, 0.1)),
        Fault(b"HTTP/1.1 103 Early Hints\r\n\r\n", HANG, later=trickle(b"HTTP/1.1 102 Processing\r\n\r\n" * 10, 0.1)),
    ],
    ids=["the body", "the status line and headers", "endless interim responses"],
)
def test_a_server_trickling_bytes_is_cut_off_at_the_deadline(
    faulty: FaultyServer, api: py_logto.VerificationsApi, fault: Fault
) -> None:
    faulty.queue(fault)
    with stopwatch() as watch, pytest.raises(py_logto.ApiTimeoutError, match=r"deadline of 0\.8 s") as info:
        api.create_verification_by_password(password_request())
    assert_ours(info.value)
    assert 0.8 <= watch.elapsed < 0.8 + MARGIN
    assert "\n" not in str(info.value)
    assert len(faulty.requests) == 1, "the POST was sent again"
    assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_default"
    assert faulty.opened == 2, "the connection in doubt was used again"


def test_the_default_deadline_is_connect_plus_read(faulty: FaultyServer) -> None:
    config = py_logto.Configuration(host=faulty.url, access_token="t", timeout=(0.3, 0.4))
    assert config.deadline == pytest.approx(0.7)
    assert py_logto.Configuration().deadline == 70.0
    assert py_logto.Configuration(timeout=5).deadline == 5.0
    assert py_logto.Configuration(timeout=None).deadline is None
    assert py_logto.Configuration(timeout=(None, 5)).deadline is None
    faulty.queue(Fault(HEAD, HANG, later=trickle(RECORD, 0.1)))
    api = py_logto.VerificationsApi(py_logto.ApiClient(config))
    with stopwatch() as watch, pytest.raises(py_logto.ApiTimeoutError, match=r"deadline of 0\.7 s"):
        api.create_verification_by_password(password_request())
    api.api_client.close()
    assert 0.7 <= watch.elapsed < 0.7 + MARGIN


def test_a_per_call_timeout_brings_its_own_deadline(faulty: FaultyServer) -> None:
    api = api_for(faulty.url)
    faulty.queue(Fault(HEAD, HANG, later=trickle(RECORD, 0.1)))
    with stopwatch() as watch, pytest.raises(py_logto.ApiTimeoutError, match=r"deadline of 0\.5 s"):
        api.create_verification_by_password(password_request(), _request_timeout=(0.2, 0.3))
    api.api_client.close()
    assert watch.elapsed < 0.5 + MARGIN


def test_deadline_none_lets_a_slow_but_steady_answer_through(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, timeout=(1, 0.5), deadline=None)
    faulty.queue(Fault(HEAD, KEEP, later=[*trickle(RECORD[:8], 0.1), (0.1, RECORD[8:])]))
    with stopwatch() as watch:
        record = api.create_verification_by_password(password_request())
    api.api_client.close()
    assert record.verification_record_id == "vrf_1"
    assert watch.elapsed >= 0.9


def test_without_preload_content_the_deadline_covers_the_headers_only(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, timeout=(1, 1), deadline=0.3)
    faulty.queue(Fault(HEAD, KEEP, later=[*trickle(RECORD[:6], 0.1), (0.0, RECORD[6:])]))
    raw = api.create_verification_by_password_without_preload_content(password_request())
    assert raw.read() == RECORD  # read by the caller, after the deadline
    api.api_client.close()


def test_waiting_for_a_free_connection_ends_at_the_deadline(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, timeout=5, deadline=0.4, connection_pool_maxsize=1)
    held = api.create_verification_by_password_without_preload_content(password_request())
    with stopwatch() as watch, pytest.raises(py_logto.ApiTimeoutError, match=r"no free connection within 0\.4 s"):
        api.create_verification_by_password(password_request())
    assert watch.elapsed < 0.4 + MARGIN
    held.release_conn()
    api.api_client.close()


def test_a_retry_after_beyond_the_deadline_ends_the_call_with_the_status_exception(faulty: FaultyServer) -> None:
    faulty.queue(Fault(response(503, UNAVAILABLE, headers=(("Retry-After", "3600"),)), KEEP))
    api = api_for(faulty.url, timeout=(1, 1), deadline=5, retries=opt_in())
    with stopwatch() as watch, pytest.raises(py_logto.ServiceException) as info:
        api.create_verification_by_password(password_request())
    api.api_client.close()
    assert watch.elapsed < MARGIN, "it slept towards the Retry-After"
    assert (info.value.status, info.value.code) == (503, "internal_server_error")
    assert len(faulty.requests) == 1


@pytest.mark.parametrize("retry_after", ["1.5", "soon", "-3", "Wed, 99 Foo 2026 99:99:99 GMT"])
def test_an_unparseable_retry_after_falls_back_to_the_backoff(faulty: FaultyServer, retry_after: str) -> None:
    reply = Fault(response(503, UNAVAILABLE, headers=(("Retry-After", retry_after),)), KEEP)
    faulty.queue(reply, reply, reply)
    retries = Retry(total=2, status_forcelist=[503], allowed_methods=None, backoff_factor=0.05)
    api = api_for(faulty.url, timeout=(1, 1), retries=retries)
    with stopwatch() as watch, pytest.raises(py_logto.ServiceException) as info:
        api.create_verification_by_password(password_request())
    api.api_client.close()
    assert_ours(info.value)
    assert len(faulty.requests) == 3
    assert watch.elapsed < MARGIN


def test_retries_stop_when_the_next_wait_would_pass_the_deadline(faulty: FaultyServer) -> None:
    reply = Fault(response(503, UNAVAILABLE, headers=(("Retry-After", "1"),)), KEEP)
    faulty.queue(reply, reply, reply)
    api = api_for(faulty.url, timeout=(1, 1), deadline=1.5, retries=opt_in())
    with stopwatch() as watch, pytest.raises(py_logto.ServiceException):
        api.create_verification_by_password(password_request())
    api.api_client.close()
    assert len(faulty.requests) == 2, "one retry fits in the deadline, the second does not"
    assert 1.0 <= watch.elapsed < 1.5


ABSURD = [1e10, float(sys.maxsize), 86_401, math.inf]


@pytest.mark.parametrize("value", ABSURD)
@pytest.mark.parametrize(
    "shape",
    [
        lambda v: v,
        lambda v: (v, 1),
        lambda v: (1, v),
        lambda v: Timeout(read=v),
        lambda v: Timeout(connect=v, read=1),
        lambda v: Timeout(total=v),
    ],
    ids=["seconds", "connect", "read", "Timeout(read)", "Timeout(connect)", "Timeout(total)"],
)
def test_an_absurd_timeout_is_refused_when_set(shape: Any, value: float) -> None:
    with pytest.raises(py_logto.ApiValueError, match=r"Configuration\.timeout"):
        py_logto.Configuration(timeout=shape(value))
    config = py_logto.Configuration()
    with pytest.raises(py_logto.ApiValueError):
        config.timeout = shape(value)
    api = api_for("http://127.0.0.1:9")
    with pytest.raises(py_logto.ApiValueError, match="_request_timeout"):
        api.create_verification_by_password(password_request(), _request_timeout=shape(value))


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (1e10, py_logto.ApiValueError),
        (sys.maxsize, py_logto.ApiValueError),
        (0, py_logto.ApiValueError),
        (-1, py_logto.ApiValueError),
        (math.nan, py_logto.ApiValueError),
        ("10", py_logto.ApiTypeError),
        (True, py_logto.ApiTypeError),
    ],
)
def test_an_unusable_deadline_is_refused_when_set(value: Any, error: type) -> None:
    with pytest.raises(error, match=r"Configuration\.deadline"):
        py_logto.Configuration(deadline=value)


def test_the_longest_timeout_accepted_is_a_day(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, timeout=86_400, deadline=86_400)
    assert api.api_client.configuration.deadline == 86_400
    assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_default"
    api.api_client.close()
