"""Tokens and secrets: the token is read for every request (so it can rotate), a
missing one stops the call before anything is sent, and no token, password or
code ever shows up in output, logs, reprs or exception messages."""

from __future__ import annotations

import http.client
import itertools
import logging
import traceback
from typing import Any, Dict, List, Tuple

import pytest
from urllib3 import Retry

import py_logto
from py_logto.models import (
    CreateVerificationByPasswordRequest,
    EmailVerificationCodeIdentifier,
    VerifyVerificationCodeVerificationRequest,
)
from test._faulty_server import CLOSE, HANG, KEEP, Fault, FaultyServer, response
from test._reliability import CODE, PASSWORD, RECORD_PATH, TOKEN, api_for, password_request

#: Wrong-typed secrets (validation must not echo them either).
WRONG_PASSWORD = 918273645546372
WRONG_CODE = 102938475665748


# -- tokens ---------------------------------------------------------------------


def test_a_token_callable_is_called_for_every_request(faulty: FaultyServer) -> None:
    tokens = itertools.count(1)
    api = api_for(faulty.url, access_token=lambda: f"rotated-{next(tokens)}")
    api.create_verification_by_password(password_request())
    api.create_verification_by_password(password_request())
    api.api_client.close()
    assert [r.headers["authorization"] for r in faulty.requests] == ["Bearer rotated-1", "Bearer rotated-2"]


def test_a_token_set_after_the_client_was_made_is_used(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, access_token="first")
    api.create_verification_by_password(password_request())
    api.api_client.configuration.access_token = "second"
    api.create_verification_by_password(password_request())
    api.create_verification_by_password(password_request(), _request_auth="per-call")
    api.api_client.close()
    assert [r.headers["authorization"] for r in faulty.requests] == ["Bearer first", "Bearer second", "Bearer per-call"]


def _raise() -> str:
    raise RuntimeError(f"vault unreachable, last token {TOKEN}")


@pytest.mark.parametrize(
    ("token", "error", "message"),
    [
        (None, py_logto.ApiValueError, "access_token is not set"),
        ("", py_logto.ApiValueError, "access_token is not set"),
        (lambda: None, py_logto.ApiValueError, "access_token is not set"),
        (lambda: "", py_logto.ApiValueError, "access_token is not set"),
        (_raise, py_logto.ApiValueError, "the access_token callable raised RuntimeError"),
        (lambda: 42, py_logto.ApiTypeError, "the access_token callable must return a str, not int"),
        ("tok\r\nX-Evil: 1", py_logto.ApiValueError, "access_token contains a line break"),
        ("tok-\u2603", py_logto.ApiValueError, "access_token contains characters that cannot be sent"),
    ],
    ids=["None", "empty", "callable->None", "callable->empty", "callable raises", "callable->int", "CRLF", "snowman"],
)
def test_a_missing_or_bad_token_stops_the_call_before_anything_is_sent(
    faulty: FaultyServer, token: Any, error: type, message: str
) -> None:
    api = api_for(faulty.url, access_token=token)
    with pytest.raises(error, match=message) as info:
        api.create_verification_by_password(password_request())
    api.api_client.close()
    assert "access_token" in str(info.value)
    assert TOKEN not in str(info.value)
    assert (faulty.opened, len(faulty.requests)) == (0, 0)


def test_a_token_of_the_wrong_type_is_refused_when_set() -> None:
    with pytest.raises(py_logto.ApiTypeError, match="access_token must be a str or a zero-argument callable"):
        py_logto.Configuration(access_token=12345)  # type: ignore[arg-type]


# -- secrets never leak ---------------------------------------------------------------


def _exercise(faulty: FaultyServer) -> List[BaseException]:
    """Success and error calls of every kind with debug on; the exceptions raised."""
    error_body = b'{"code": "session.invalid_credentials", "message": "Invalid credentials."}'
    faulty.queue(
        Fault(response(201, b'{"verificationRecordId": "v1", "expiresAt": "2026-11-25T11:44:51.555Z"}'), KEEP),
        Fault(response(422, error_body, headers=(("Logto-Core-Request-Id", "req-1"),)), KEEP),
        Fault(response(503, b"busy"), KEEP),  # retried once (status retry opted in), then
        Fault(response(503, b"busy"), KEEP),  # surfaces as ServiceException
        Fault(response(200, b"<html>not json</html>"), KEEP),
        Fault(b"", CLOSE),
        Fault(b"", HANG),
    )
    retries = Retry(total=1, read=0, status_forcelist=[503], allowed_methods=None)
    api = api_for(faulty.url, timeout=0.3, retries=retries, debug=True)
    code_request = VerifyVerificationCodeVerificationRequest(
        identifier=EmailVerificationCodeIdentifier(type="email", value="jane@example.com"),
        verification_id="v1",
        code=CODE,
    )
    calls = [
        lambda: api.create_verification_by_password(password_request()),
        lambda: api.create_verification_by_password(password_request()),
        lambda: api.verify_verification_by_verification_code(code_request),
        lambda: api.verify_verification_by_verification_code(code_request),
        lambda: api.create_verification_by_password(password_request()),
        lambda: api.create_verification_by_password(password_request()),
        lambda: api.create_verification_by_password({"password": WRONG_PASSWORD}),  # type: ignore[arg-type]
        lambda: CreateVerificationByPasswordRequest(password=WRONG_PASSWORD),  # type: ignore[arg-type]
        lambda: VerifyVerificationCodeVerificationRequest(
            identifier={"type": "email", "value": "jane@example.com"},  # type: ignore[arg-type]
            verification_id="v1",
            code=WRONG_CODE,  # type: ignore[arg-type]
        ),
        lambda: setattr(code_request, "code", WRONG_CODE),
        lambda: api.create_verification_by_password(password_request(), _request_auth="bad\ntoken " + TOKEN),
    ]
    raised: List[BaseException] = []
    for call in calls:
        try:
            call()
        except py_logto.OpenApiException as err:
            raised.append(err)
    api.api_client.close()
    api.api_client.configuration.debug = False
    return raised


def _everything_shown(raised: List[BaseException], config: py_logto.Configuration) -> str:
    request = password_request()
    shown = [repr(config), str(config), repr(py_logto.ApiClient(config)), repr(request), str(request), request.to_str()]
    for err in raised:
        shown += [str(err), repr(err), "".join(traceback.format_exception(type(err), err, err.__traceback__))]
    return "\n".join(shown)


def test_secrets_appear_nowhere(
    faulty: FaultyServer, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    for name in (None, "py_logto", "urllib3"):
        caplog.set_level(logging.DEBUG, logger=name)
    raised = _exercise(faulty)
    assert [type(e).__name__ for e in raised] == [
        "UnprocessableEntityException",
        "ServiceException",
        "ApiResponseValidationError",
        "ApiConnectionError",
        "ApiTimeoutError",
        "ApiValueError",
        "ApiValueError",
        "ApiValueError",
        "ApiValueError",
        "ApiValueError",
    ]
    config = py_logto.Configuration(host=faulty.url, access_token=TOKEN, proxy=f"http://user:{PASSWORD}@proxy:3128")
    out, err = capfd.readouterr()
    records = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    everything = "\n".join([out, err, caplog.text, records, _everything_shown(raised, config)])
    for secret in (TOKEN, PASSWORD, CODE, str(WRONG_PASSWORD), str(WRONG_CODE)):
        assert secret not in everything

    # ... and the debug log did say what happened, without them.
    lines = [r.getMessage() for r in caplog.records if r.name == "py_logto"]
    assert f"POST {RECORD_PATH} -> 201" in lines[0]
    assert any("-> 422" in line and "request id req-1" in line for line in lines)
    assert any("attempt 1 failed (status 503); retrying" in line for line in lines)
    assert any("failed after" in line and "ApiTimeoutError" in line for line in lines)


def _logging_state() -> Dict[str, Tuple[int, Tuple[logging.Handler, ...], bool, bool]]:
    loggers = {
        name: logger for name, logger in logging.root.manager.loggerDict.items() if isinstance(logger, logging.Logger)
    }
    loggers["<root>"] = logging.root
    return {
        name: (logger.level, tuple(logger.handlers), logger.disabled, logger.propagate)
        for name, logger in loggers.items()
        if name != "py_logto"
    }


def test_debug_touches_only_the_py_logto_logger(faulty: FaultyServer) -> None:
    logger = logging.getLogger("py_logto")
    before, level_before = _logging_state(), logger.level
    api = api_for(faulty.url, debug=True)
    assert logger.isEnabledFor(logging.DEBUG)
    api.create_verification_by_password(password_request())
    api.api_client.close()
    assert http.client.HTTPConnection.debuglevel == 0
    assert _logging_state() == before
    api.api_client.configuration.debug = False
    assert logger.level == level_before


def test_debug_logs_to_stderr_when_logging_is_not_configured(
    faulty: FaultyServer, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logging.root, "handlers", [])
    logger = logging.getLogger("py_logto")
    handlers_before = list(logger.handlers)
    api = api_for(faulty.url, debug=True)
    api.create_verification_by_password(password_request())
    api.api_client.close()
    api.api_client.configuration.debug = False
    api.create_verification_by_password(password_request())  # not logged any more
    assert logger.handlers == handlers_before
    err = capfd.readouterr().err
    assert err.count(f"py_logto DEBUG POST {RECORD_PATH} -> 200 in ") == 1
    assert TOKEN not in err
    assert PASSWORD not in err


def test_debug_stays_on_while_any_configuration_wants_it(faulty: FaultyServer) -> None:
    import copy

    logger = logging.getLogger("py_logto")
    level_before = logger.level
    first = py_logto.Configuration(host=faulty.url, debug=True)
    second = copy.copy(first)
    assert second.debug
    second.debug = False
    assert logger.isEnabledFor(logging.DEBUG), "turning one copy off turned the other off too"
    first.debug = False
    assert logger.level == level_before
