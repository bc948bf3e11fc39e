"""Interim (1xx) responses: read past on their connection, as RFC 9110 §15.2 requires,
so the final response is the call's answer and never reaches another call.

Every answer echoes the request's ``verificationId``, so a response that crossed to
another call shows as a mismatch. A connection whose state is in doubt (an unexpected
``101``, a flood of interim responses) is closed, never reused."""

from __future__ import annotations

from typing import Iterator

import pytest

import py_logto
from py_logto.models import EmailVerificationCodeIdentifier, VerifyVerificationCodeVerificationRequest
from test._faulty_server import CLOSE, KEEP, Fault, FaultyServer
from test._reliability import MARGIN, TIMEOUT, api_for, assert_ours, password_request, stopwatch, wait_for

EARLY_HINTS = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
PROCESSING = b"HTTP/1.1 102 Processing\r\n\r\n"
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
SWITCHING = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"


@pytest.fixture
def api(faulty: FaultyServer) -> Iterator[py_logto.VerificationsApi]:
    api = api_for(faulty.url, timeout=TIMEOUT)
    yield api
    api.api_client.close()


def verify(api: py_logto.VerificationsApi, record_id: str) -> str:
    identifier = EmailVerificationCodeIdentifier(value="jane@example.com")
    request = VerifyVerificationCodeVerificationRequest(identifier=identifier, verification_id=record_id, code="123456")
    return api.verify_verification_by_verification_code(request).verification_record_id


INTERIM = {
    "103 in the same packet as the answer": Fault(EARLY_HINTS, KEEP, echo=True),
    "103, then the answer 200 ms later": Fault(EARLY_HINTS, KEEP, later=[(0.2, b"")], echo=True),
    "102, 100 and 103 before the answer": Fault(PROCESSING + CONTINUE + EARLY_HINTS, KEEP, echo=True),
    "103 sent in pieces": Fault(EARLY_HINTS[:10], KEEP, later=[(0.05, EARLY_HINTS[10:]), (0.05, b"")], echo=True),
    "32 interim responses": Fault(EARLY_HINTS * 16 + PROCESSING * 16, KEEP, echo=True),
}


@pytest.mark.parametrize("fault", list(INTERIM))
def test_the_final_response_is_the_answer_and_the_next_call_gets_its_own(
    faulty: FaultyServer, api: py_logto.VerificationsApi, fault: str
) -> None:
    faulty.queue(INTERIM[fault])
    assert verify(api, "user-a-record") == "user-a-record"
    assert verify(api, "user-b-record") == "user-b-record"
    assert verify(api, "user-c-record") == "user-c-record"
    assert faulty.opened == 1, "a clean connection is kept"
    assert len(faulty.requests) == 3


def test_a_late_answer_after_an_interim_response_never_reaches_the_next_call(
    faulty: FaultyServer, api: py_logto.VerificationsApi
) -> None:
    for n in range(5):
        faulty.queue(Fault(EARLY_HINTS, KEEP, later=[(0.05, b"")], echo=True))
        assert verify(api, f"a-{n}") == f"a-{n}"
        assert verify(api, f"b-{n}") == f"b-{n}"


def test_interim_responses_are_skipped_without_preload_content(
    faulty: FaultyServer, api: py_logto.VerificationsApi
) -> None:
    faulty.queue(Fault(EARLY_HINTS + PROCESSING, KEEP, echo=True))
    raw = api.create_verification_by_password_without_preload_content(password_request())
    assert raw.status == 200
    assert b"vrf_default" in raw.read()
    assert verify(api, "next") == "next"


def test_the_generated_transport_entry_skips_them_too(faulty: FaultyServer, api: py_logto.VerificationsApi) -> None:
    faulty.queue(Fault(EARLY_HINTS, KEEP, echo=True))
    response = api.api_client.rest_client.request(
        "POST", faulty.url + "/api/verifications/password", body={"password": "x"}
    )
    assert (response.status, response.getheader("Logto-Core-Request-Id")) == (200, "req-ok")
    assert verify(api, "next") == "next"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (SWITCHING, "switched protocols"),
        (EARLY_HINTS * 33, "more than 32 interim"),
    ],
    ids=["101 not asked for", "33 interim responses"],
)
def test_a_connection_in_doubt_is_closed_and_the_call_fails_cleanly(
    faulty: FaultyServer, api: py_logto.VerificationsApi, reply: bytes, message: str
) -> None:
    faulty.queue(Fault(reply, KEEP, echo=True))
    with stopwatch() as watch, pytest.raises(py_logto.ApiConnectionError, match=message) as info:
        verify(api, "doubt")
    assert type(info.value) is py_logto.ApiConnectionError
    assert_ours(info.value)
    assert watch.elapsed < TIMEOUT + MARGIN
    assert wait_for(lambda: faulty.closed_by_client == 1), "the connection in doubt was not closed"
    assert verify(api, "fresh") == "fresh"
    assert faulty.opened == 2
    assert len(faulty.requests) == 2, "the POST was sent again"


def test_interim_then_the_connection_closes_is_a_connection_error(
    faulty: FaultyServer, api: py_logto.VerificationsApi
) -> None:
    faulty.queue(Fault(EARLY_HINTS, CLOSE))
    with pytest.raises(py_logto.ApiConnectionError, match="connection broken"):
        verify(api, "lost")
    assert verify(api, "fresh") == "fresh"
