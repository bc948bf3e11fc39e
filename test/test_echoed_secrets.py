"""A hostile or careless server echoes the request's secrets and sends codes and
messages built to forge or flood log lines. ``str(e)``, ``repr(e)``, log lines and
``traceback.format_exc()`` show the secrets masked and stay one bounded line;
``e.body``, ``e.raw_body``, ``e.headers`` and ``e.data`` keep what was received."""

from __future__ import annotations

import json
import logging
import pickle
import traceback
from typing import Any, Callable, Iterator, List, Tuple

import pytest

import py_logto
from py_logto.models import (
    EmailVerificationCodeIdentifier,
    VerifyVerificationBySocialRequest,
    VerifyVerificationCodeVerificationRequest,
)
from test._faulty_server import CLOSE, KEEP, Fault, FaultyServer, response
from test._reliability import CODE, PASSWORD, TOKEN, api_for, password_request
from test._server import Recorded, RecordingServer, Reply

CONNECTOR_CODE = "idp-SECRET-authcode-31"
CONNECTOR_STATE = "st-SECRET-4e1d"
SECRETS = (TOKEN, PASSWORD, CODE, CONNECTOR_CODE, CONNECTOR_STATE)

#: The longest ``str(e)`` may be, however much the server sends.
LONGEST = 700


def _echo(request: Recorded) -> Reply:
    """An error that quotes the request: its token and its whole body, in the code,
    the message, the details and a header."""
    authorization = request.header("Authorization") or ""
    body = request.body.decode()
    error = {
        "code": f"echo.{authorization}",
        "message": f"You sent {authorization} with {body}",
        "details": body,
    }
    return Reply(400, error, headers=[("Logto-Core-Request-Id", authorization), ("X-Echo", body)])


@pytest.fixture
def echo() -> Iterator[RecordingServer]:
    with RecordingServer() as server:
        for path in ("/api/verifications/password", "/api/verifications/verification-code/verify"):
            server.route(path, _echo)
        server.route("/api/verifications/social/verify", _echo)
        yield server


def _calls(api: py_logto.VerificationsApi) -> List[Callable[[], Any]]:
    code_request = VerifyVerificationCodeVerificationRequest(
        identifier=EmailVerificationCodeIdentifier(type="email", value="jane@example.com"),
        verification_id="v1",
        code=CODE,
    )
    social_request = VerifyVerificationBySocialRequest(
        verification_record_id="v2",
        connector_data={"code": CONNECTOR_CODE, "nested": [{"state": CONNECTOR_STATE}]},
    )
    return [
        lambda: api.create_verification_by_password(password_request()),
        lambda: api.verify_verification_by_verification_code(code_request),
        lambda: api.verify_verification_by_social(social_request),
        lambda: api.create_verification_by_password({"password": PASSWORD}, _request_auth=f"Bearer {TOKEN}"[7:]),
        lambda: api.create_verification_by_password(
            password_request(), _request_auth="other", _headers={"authorization": f"Bearer {TOKEN}"}
        ),
    ]


def _shown(call: Callable[[], Any]) -> Tuple[py_logto.ApiException, str]:
    """The exception ``call`` raises, and everything a program would print about it."""
    try:
        call()
    except py_logto.ApiException as err:
        shown = [str(err), repr(err), traceback.format_exc(), str(err.args), str(pickle.loads(pickle.dumps(err)))]
        return err, "\n".join(shown)
    raise AssertionError("no exception")


def test_echoed_secrets_are_masked_but_kept_in_the_raw_body(
    echo: RecordingServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api = api_for(echo.url, debug=True)
    log = logging.getLogger("app")
    seen: List[str] = []
    for call in _calls(api):
        error, shown = _shown(call)
        log.warning("Logto call failed: %s", error)
        log.exception("with traceback", exc_info=error)
        seen.append(shown)
        assert isinstance(error, py_logto.BadRequestException)
        assert "***" in str(error)
        assert "You sent" in str(error)
        assert TOKEN in error.body
        assert TOKEN in error.headers["Logto-Core-Request-Id"]
        assert error.raw_body is not None
        assert error.body == error.raw_body.decode()
        assert error.data is not None
        assert TOKEN in (error.code or "")
    api.api_client.configuration.debug = False
    api.api_client.close()
    logged = "\n".join([caplog.text, *(record.getMessage() for record in caplog.records)])
    everything = "\n".join([*seen, logged])
    for secret in SECRETS:
        assert secret not in everything
    assert any("-> 400" in record.getMessage() and "request id ***" in record.getMessage() for record in caplog.records)


def test_the_raw_body_keeps_each_secret(echo: RecordingServer) -> None:
    api = api_for(echo.url)
    bodies = [_shown(call)[0].body or "" for call in _calls(api)]
    api.api_client.close()
    assert PASSWORD in bodies[0]
    assert CODE in bodies[1]
    assert CONNECTOR_STATE in bodies[2]


def test_a_secret_split_across_lines_or_escaped_is_masked(faulty: FaultyServer) -> None:
    escaped = json.dumps(PASSWORD.replace("-", "\n"))  # a password with line breaks, JSON-escaped
    body = json.dumps({"code": "guard.invalid_input", "message": f"got {escaped} and {json.dumps(TOKEN)}"})
    password = PASSWORD.replace("-", "\n")
    faulty.queue(Fault(response(400, body.encode()), KEEP))
    api = api_for(faulty.url)
    error, shown = _shown(lambda: api.create_verification_by_password({"password": password}))
    api.api_client.close()
    assert password not in shown
    assert PASSWORD.replace("-", " ") not in shown
    assert TOKEN not in shown
    assert "guard.invalid_input" in str(error)


def test_a_2xx_that_echoes_the_token_is_masked_too(faulty: FaultyServer) -> None:
    echoed = (("Logto-Core-Request-Id", TOKEN),)
    faulty.queue(Fault(response(200, f'{{"{TOKEN}": 1}}'.encode(), headers=echoed), KEEP))
    api = api_for(faulty.url)
    with pytest.raises(py_logto.ApiResponseValidationError) as info:
        api.create_verification_by_password(password_request())
    api.api_client.close()
    error = info.value
    assert TOKEN not in str(error) + repr(error) + "".join(
        traceback.format_exception(type(error), error, error.__traceback__)
    )
    assert error.request_id == TOKEN
    assert TOKEN in (error.body or "")


def test_a_status_line_that_echoes_the_token_is_masked(faulty: FaultyServer) -> None:
    faulty.queue(Fault(f"HTTP/1.1 2xx \x1b[2J{TOKEN}\r\n\r\n".encode(), CLOSE))
    api = api_for(faulty.url)
    with pytest.raises(py_logto.ApiConnectionError) as info:
        api.create_verification_by_password(password_request())
    api.api_client.close()
    error = info.value
    assert "BadStatusLine" in str(error)
    assert str(error).isprintable()
    assert TOKEN not in str(error) + repr(error) + "".join(
        traceback.format_exception(type(error), error, error.__traceback__)
    )


def test_the_retry_log_never_quotes_a_status_line_that_echoes_the_token(
    faulty: FaultyServer, caplog: pytest.LogCaptureFixture
) -> None:
    faulty.queue(Fault(f"HTTP/1.1 2xx {TOKEN}\r\n\r\n".encode(), CLOSE))
    api = api_for(faulty.url, debug=True)
    with caplog.at_level(logging.DEBUG, logger="py_logto"), pytest.raises(py_logto.ApiConnectionError):
        api.create_verification_by_password(password_request())
    api.api_client.close()
    api.api_client.configuration.debug = False
    logged = [record.getMessage() for record in caplog.records]
    assert any("attempt 1 failed (ProtocolError: BadStatusLine)" in line for line in logged), logged
    assert not any(TOKEN in line for line in logged)


# -- one bounded line ---------------------------------------------------------------

HOSTILE = [
    "line one\r\n2026-01-01 00:00:00 CRITICAL forged log line",
    "bell\x07 escape\x1b[2J\x1b[31mred nul\x00 del\x7f c1\x85",
    "separators\u2028line\u2029paragraph",
    "bidi \u202egnp.exe zero\u200bwidth bom\ufeff",
    "x" * 1_000_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=["CRLF", "controls", "separators", "format", "1 MB"])
def test_str_is_one_bounded_line_whatever_the_server_sends(faulty: FaultyServer, text: str) -> None:
    body = json.dumps({"code": text[:20_000], "message": text})
    headers = (("Content-Type", "application/json"), ("Logto-Core-Request-Id", "id\x1b[1m" + "y" * 5000))
    faulty.queue(
        Fault(response(400, body.encode(), reason="Bad\x1b[2J \x7fRequest" + "z" * 5000, headers=headers), KEEP)
    )
    api = api_for(faulty.url, max_response_size=None)
    with pytest.raises(py_logto.BadRequestException) as info:
        api.create_verification_by_password(password_request())
    api.api_client.close()
    error = info.value
    for shown in (str(error), repr(error), traceback.format_exception_only(type(error), error)[-1].rstrip("\n")):
        assert len(shown) <= LONGEST
        assert shown.isprintable(), repr(shown)
    assert error.message == text
    assert error.code == text[:20_000]
    assert str(error).startswith("(400) Bad [2J Requestzzz")


def test_a_plain_text_body_is_flattened_too(faulty: FaultyServer) -> None:
    faulty.queue(Fault(response(503, b"upstream\r\nERROR forged\n" * 1000, headers=()), KEEP))
    api = api_for(faulty.url)
    with pytest.raises(py_logto.ServiceException) as info:
        api.create_verification_by_password(password_request())
    api.api_client.close()
    shown = str(info.value)
    assert shown.isprintable()
    assert len(shown) <= LONGEST
    assert shown.startswith("(503) Service Unavailable upstream ERROR forged upstream")
    assert shown.endswith("…")
