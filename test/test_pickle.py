"""Every exception the SDK raises survives ``pickle`` (Celery, RQ and process pools
send exceptions between processes) with its class, message and attributes."""

from __future__ import annotations

import copy
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Dict, List

import pytest

import py_logto
from py_logto import exceptions
from py_logto.models import CreateVerificationByPasswordRequest
from test._faulty_server import HANG, KEEP, Fault, FaultyServer, response
from test._reliability import api_for, password_request

ERROR_BODY = b'{"code": "session.invalid_credentials", "message": "Incorrect account or password."}'
STATUSES = [400, 401, 403, 404, 409, 422, 429, 500, 503, 418]

#: The attributes that must come back, per kind of exception.
RESPONSE_FIELDS = ("status", "reason", "body", "raw_body", "data", "code", "message", "request_id")


def _raised(call: Callable[[], Any]) -> BaseException:
    try:
        call()
    except py_logto.OpenApiException as err:
        return err
    raise AssertionError("no exception")


def _state(error: BaseException) -> Dict[str, Any]:
    """What a caller reads from ``error``."""
    state: Dict[str, Any] = {"class": type(error), "str": str(error), "repr": repr(error), "args": error.args}
    if isinstance(error, (py_logto.ApiException, py_logto.ApiResponseValidationError)):
        state.update({name: getattr(error, name) for name in RESPONSE_FIELDS})
        state["headers"] = dict(error.headers)
        assert error.headers.get("logto-core-request-id") == error.request_id, "headers stay case-insensitive"
    if isinstance(error, py_logto.ApiValueError):
        state.update(errors=error.errors, fields=error.fields, path_to_item=error.path_to_item)
    if isinstance(error, py_logto.ApiConnectionError):
        state.update(method=error.method, url=error.url)
    return state


def _every_kind(faulty: FaultyServer) -> List[BaseException]:
    headers = (("Content-Type", "application/json"), ("Logto-Core-Request-Id", "req-9"))
    faulty.queue(*(Fault(response(status, ERROR_BODY, headers=headers), KEEP) for status in STATUSES))
    faulty.queue(Fault(response(200, b'{"verificationRecordId": 1}', headers=headers), KEEP), Fault(b"", HANG))
    api = api_for(faulty.url, timeout=0.3)
    raised = [_raised(lambda: api.create_verification_by_password(password_request())) for _ in STATUSES]
    raised += [
        _raised(lambda: api.create_verification_by_password(password_request())),  # response validation
        _raised(lambda: api.create_verification_by_password(password_request())),  # timeout
        _raised(lambda: api.create_verification_by_password({"password": ""})),
        _raised(lambda: api.create_verification_by_password(42)),  # type: ignore[arg-type]
        _raised(lambda: api_for(faulty.url, access_token=None).create_verification_by_password(password_request())),
        _raised(lambda: api_for("http://127.0.0.1:9").create_verification_by_password(password_request())),
        _raised(lambda: CreateVerificationByPasswordRequest(password="")),
        py_logto.ApiKeyError("no such key", path_to_item=["a", 0]),
        py_logto.ApiAttributeError("no such attribute", path_to_item=["b"]),
        py_logto.ApiTypeError("wrong type", ["c"], (str,), False),
        py_logto.NotFoundException(status=404, reason="Not Found"),
    ]
    api.api_client.close()
    return raised


def test_every_exception_survives_pickle_and_copy(faulty: FaultyServer) -> None:
    raised = _every_kind(faulty)
    every_class = {name for name in exceptions.__all__ if isinstance(getattr(exceptions, name), type)}
    assert {type(error).__name__ for error in raised} == every_class - {"OpenApiException"}
    for error in raised:
        expected = _state(error)
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            assert _state(pickle.loads(pickle.dumps(error, protocol))) == expected, (type(error), protocol)
        assert _state(copy.copy(error)) == expected
        assert _state(copy.deepcopy(error)) == expected


def test_a_response_error_keeps_everything_through_pickle(faulty: FaultyServer) -> None:
    faulty.queue(Fault(response(422, ERROR_BODY, headers=(("Logto-Core-Request-Id", "req-1"),)), KEEP))
    api = api_for(faulty.url)
    error = _raised(lambda: api.create_verification_by_password(password_request()))
    api.api_client.close()
    back = pickle.loads(pickle.dumps(error))
    assert isinstance(back, py_logto.UnprocessableEntityException)
    assert (back.status, back.reason, back.request_id) == (422, "Unprocessable Entity", "req-1")
    assert (back.body, back.raw_body) == (ERROR_BODY.decode(), ERROR_BODY)
    assert back.data is not None
    assert back.data.code == back.code == "session.invalid_credentials"
    assert (
        str(back)
        == "(422) Unprocessable Entity [session.invalid_credentials] Incorrect account or password. (request id: req-1)"
    )


def _call_in_worker(url: str, status: int) -> None:
    """Runs in a worker process: a call that fails with ``status``."""
    api = api_for(url)
    try:
        api.create_verification_by_password(password_request())
    finally:
        api.api_client.close()


@pytest.mark.slow
def test_an_exception_raised_in_a_process_pool_arrives_whole(faulty: FaultyServer) -> None:
    faulty.queue(Fault(response(429, ERROR_BODY, headers=(("Logto-Core-Request-Id", "req-pool"),)), KEEP))
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        future = pool.submit(_call_in_worker, faulty.url, 429)
        with pytest.raises(py_logto.TooManyRequestsException) as info:
            future.result(timeout=60)
    error = info.value
    assert (error.status, error.request_id, error.code, error.raw_body) == (
        429,
        "req-pool",
        "session.invalid_credentials",
        ERROR_BODY,
    )
    assert str(error).startswith("(429) Too Many Requests [session.invalid_credentials]")
