"""Safe retries: by default only a connection that could not be established is
retried; a request the server may have received is never re-sent. Status retries
are opt-in and honour ``Retry-After``. Each decision is logged at DEBUG level."""

from __future__ import annotations

import logging
from typing import Any, Callable, ClassVar, Iterator, List, Optional

import pytest
from urllib3 import Retry

import py_logto
from test._faulty_server import CLOSE, HANG, KEEP, RESET, Fault, FaultyServer, response
from test._reliability import MARGIN, RECORD_PATH, TIMEOUT, api_for, assert_ours, password_request, stopwatch

UNAVAILABLE = b'{"code": "internal_server_error", "message": "Try again later."}'
OPT_IN = Retry(total=2, status_forcelist=[503], allowed_methods=None, respect_retry_after_header=True)


@pytest.fixture
def retry_log(caplog: pytest.LogCaptureFixture) -> Iterator[List[str]]:
    """The py_logto log lines about attempts, as they come."""
    caplog.set_level(logging.DEBUG, logger="py_logto")
    handler = _Hook(lambda message: message if ": attempt " in message else None)
    logger = logging.getLogger("py_logto")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


class _Hook(logging.Handler):
    """Calls ``on_message`` for every record; keeps what it returns."""

    def __init__(self, on_message: Callable[[str], Optional[str]]) -> None:
        super().__init__(logging.DEBUG)
        self.on_message = on_message
        self.lines: List[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        kept = self.on_message(record.getMessage())
        if kept is not None:
            self.lines.append(kept)


def test_the_default_retries_a_refused_connection(retry_log: List[str]) -> None:
    with FaultyServer(listening=False) as server:

        def listen_on_first_retry(message: str) -> None:
            # Attempt 1 is refused for certain; the port opens before attempt 2.
            if "retrying" in message and server.opened == 0 and not server.listening:
                server.listen()

        logger = logging.getLogger("py_logto")
        hook = _Hook(listen_on_first_retry)
        logger.addHandler(hook)
        try:
            api = api_for(server.url, timeout=TIMEOUT)
            record = api.create_verification_by_password(password_request())
            api.api_client.close()
        finally:
            logger.removeHandler(hook)
        assert record.verification_record_id == "vrf_default"
        assert len(server.requests) == 1
    assert len(retry_log) == 1
    assert retry_log[0].startswith(f"POST {RECORD_PATH}: attempt 1 failed (NewConnectionError: ")
    assert "Connection refused" in retry_log[0]
    assert retry_log[0].endswith("; retrying in 0.0 s")


@pytest.mark.parametrize(
    ("retries", "attempts"),
    [(py_logto.configuration._UNSET, 3), (None, 1), (0, 1), (1, 2), (Retry(connect=1, total=None), 2)],
    ids=["default", "None", "0", "1", "Retry(connect=1)"],
)
def test_connection_attempts_are_counted(retry_log: List[str], retries: Any, attempts: int) -> None:
    with FaultyServer(listening=False) as server:
        api = api_for(server.url, timeout=TIMEOUT, retries=retries)
        with stopwatch() as watch, pytest.raises(py_logto.ApiConnectionError, match="could not connect") as info:
            api.create_verification_by_password(password_request())
    assert_ours(info.value)
    assert len(retry_log) == attempts
    assert retry_log[-1].endswith("; no retries left")
    assert watch.elapsed < 0.4 * (attempts - 1) + MARGIN  # backoff: 0 s, then 0.4 s


# Failures before the response headers go through urllib3's Retry, which declines and
# says so; a failure while reading the body happens after urllib3 returned the
# response, so no retry is even considered.
NOT_RESENT = {
    "closes after reading the request": (Fault(b"", CLOSE), True),
    "resets after reading the request": (Fault(b"", RESET), True),
    "never answers": (Fault(b"", HANG), True),
    "answers garbage": (Fault(b"garbage\r\n\r\n", CLOSE), True),
    "closes mid-body": (Fault(response(200, b'{"verif', content_length=60), CLOSE), False),
}


@pytest.mark.parametrize(
    "retries",
    [py_logto.configuration._UNSET, 5, Retry(total=5), Retry(total=5, status_forcelist=[503])],
    ids=["default", "int", "Retry(total=5)", "Retry(status_forcelist)"],
)
@pytest.mark.parametrize("fault", list(NOT_RESENT))
def test_a_post_the_server_received_is_never_re_sent(
    faulty: FaultyServer, retry_log: List[str], fault: str, retries: Any
) -> None:
    injected, declined_by_retry = NOT_RESENT[fault]
    faulty.queue(injected)
    api = api_for(faulty.url, timeout=TIMEOUT, retries=retries)
    with stopwatch() as watch, pytest.raises(py_logto.ApiConnectionError) as info:
        api.create_verification_by_password(password_request())
    assert_ours(info.value)
    assert watch.elapsed < TIMEOUT + MARGIN
    assert len(faulty.requests) == 1
    declined = [f"POST {RECORD_PATH}: attempt 1 failed ("]
    assert [line[: len(declined[0])] for line in retry_log] == (declined if declined_by_retry else [])
    assert all(line.endswith("; not retried: the server may have received the request") for line in retry_log)
    api.api_client.close()


def test_the_default_does_not_retry_503_or_429_even_with_retry_after(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, timeout=TIMEOUT)
    for status, expected in ((503, py_logto.ServiceException), (429, py_logto.TooManyRequestsException)):
        faulty.queue(Fault(response(status, UNAVAILABLE, headers=(("Retry-After", "1"),)), KEEP))
        with stopwatch() as watch, pytest.raises(expected):
            api.create_verification_by_password(password_request())
        assert watch.elapsed < 0.5
    assert len(faulty.requests) == 2
    api.api_client.close()


def test_opt_in_status_retries_re_send_and_honour_retry_after(faulty: FaultyServer, retry_log: List[str]) -> None:
    faulty.queue(Fault(response(503, UNAVAILABLE, headers=(("Retry-After", "1"),)), KEEP))
    api = api_for(faulty.url, timeout=TIMEOUT, deadline=5, retries=OPT_IN)
    with stopwatch() as watch:
        record = api.create_verification_by_password(password_request())
    api.api_client.close()
    assert record.verification_record_id == "vrf_default"
    assert 1.0 <= watch.elapsed < 1.0 + MARGIN
    first, second = faulty.requests
    assert (first.body, first.headers["authorization"]) == (second.body, second.headers["authorization"])
    assert retry_log == [f"POST {RECORD_PATH}: attempt 1 failed (status 503, Retry-After: 1); retrying in 1.0 s"]


@pytest.mark.parametrize(
    ("status", "expected"), [(503, py_logto.ServiceException), (429, py_logto.TooManyRequestsException)]
)
def test_an_exhausted_status_retry_surfaces_as_the_status_exception(
    faulty: FaultyServer, retry_log: List[str], status: int, expected: type
) -> None:
    headers = (("Retry-After", "0"), ("Logto-Core-Request-Id", "req-3"))
    faulty.queue(*[Fault(response(status, UNAVAILABLE, headers=headers), KEEP)] * 3)
    retries = Retry(total=2, status_forcelist=[429, 503], allowed_methods=None, respect_retry_after_header=True)
    api = api_for(faulty.url, timeout=TIMEOUT, retries=retries)
    with pytest.raises(py_logto.ApiException) as info:
        api.create_verification_by_password(password_request())
    api.api_client.close()
    assert type(info.value) is expected
    assert_ours(info.value)
    assert (info.value.status, info.value.code, info.value.request_id) == (status, "internal_server_error", "req-3")
    assert len(faulty.requests) == 3
    assert [line.rsplit("; ", 1)[1] for line in retry_log] == [
        "retrying in 0.0 s",
        "retrying in 0.0 s",
        "no retries left",
    ]


def test_a_user_retry_subclass_keeps_its_behaviour(faulty: FaultyServer, retry_log: List[str]) -> None:
    class NoBackoff(Retry):
        seen: ClassVar[List[int]] = []

        def get_backoff_time(self) -> float:
            NoBackoff.seen.append(len(self.history))
            return 0.0

    api = api_for(faulty.url, timeout=TIMEOUT, retries=NoBackoff(total=1, status_forcelist=[503], allowed_methods=None))
    assert type(api.api_client.configuration.retries).__name__ == "NoBackoff"
    assert isinstance(api.api_client.configuration.retries, NoBackoff)
    faulty.queue(Fault(response(503, UNAVAILABLE), KEEP))
    assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_default"
    api.api_client.close()
    assert NoBackoff.seen, "the subclass's own method was not used"
    assert len(retry_log) == 1


def test_allowing_every_method_also_re_sends_after_read_errors_unless_read_is_0(faulty: FaultyServer) -> None:
    """Why the README's status-retry example says ``read=0``: ``allowed_methods=None``
    lets urllib3 re-send a POST the server received and then dropped."""
    for read, sent in ((None, 2), (0, 1)):
        faulty.queue(Fault(b"", CLOSE))
        retries = Retry(total=2, read=read, status_forcelist=[503], allowed_methods=None)
        api = api_for(faulty.url, timeout=TIMEOUT, retries=retries)
        before = len(faulty.requests)
        try:
            api.create_verification_by_password(password_request())
        except py_logto.ApiConnectionError:
            assert sent == 1
        api.api_client.close()
        assert len(faulty.requests) - before == sent
