"""Exceptions as code written for the generated client uses them: ``body`` is text
(the bytes are ``raw_body``), ``ApiResponseValidationError`` is a ``ValueError``,
the generated constructors and ``from_response`` work, and ``render_path`` exists."""

from __future__ import annotations

import json
from typing import Iterator, Type

import pytest

import py_logto
from py_logto import exceptions
from py_logto.models import RequestErrorBody
from py_logto.rest import RESTResponse
from test._reliability import password_request
from test._server import RecordingServer, Reply
from test.test_api import EXCEPTION_FOR

INVALID = {"code": "session.invalid_credentials", "message": "Incorrect account or password."}


@pytest.fixture
def api(server: RecordingServer) -> Iterator[py_logto.VerificationsApi]:
    config = py_logto.Configuration(host=server.url, access_token="t")
    with py_logto.ApiClient(config) as client:
        yield py_logto.VerificationsApi(client)


def _response(server: RecordingServer, api: py_logto.VerificationsApi, reply: Reply) -> RESTResponse:
    """A real ``RESTResponse``, read, for ``reply``."""
    server.queue(reply)
    resp = RESTResponse(api.create_verification_by_password_without_preload_content(password_request()))
    resp.read()
    return resp


# -- body is text ------------------------------------------------------------------


def test_the_common_handler_of_generated_code_works(server: RecordingServer, api: py_logto.VerificationsApi) -> None:
    server.queue(Reply(422, INVALID))
    with pytest.raises(py_logto.ApiException) as info:
        api.create_verification_by_password(password_request())
    e = info.value
    assert "invalid_credentials" in e.body  # a TypeError when body was bytes
    assert json.loads(e.body)["code"] == "session.invalid_credentials"
    assert isinstance(e.body, str)
    assert e.raw_body == json.dumps(INVALID).encode()
    assert e.text == e.body


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"", ""),
        ("Zugriff verweigert \u2013 bitte erneut".encode(), "Zugriff verweigert \u2013 bitte erneut"),
        (b"\xff\xfebroken \xc3", "\ufffd\ufffdbroken \ufffd"),
    ],
    ids=["empty", "utf-8", "not utf-8"],
)
def test_body_is_the_utf8_text_and_raw_body_the_bytes(
    server: RecordingServer, api: py_logto.VerificationsApi, raw: bytes, text: str
) -> None:
    server.queue(Reply(400, raw, content_type="text/plain"))
    with pytest.raises(py_logto.BadRequestException) as info:
        api.create_verification_by_password(password_request())
    assert (info.value.body, info.value.raw_body) == (text, raw)


def test_response_validation_error_is_a_value_error_with_text_body(
    server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    server.queue(Reply(201, b'{"verificationRecordId": 7}'))
    with pytest.raises(ValueError, match="CreateVerificationByPassword201Response") as info:
        api.create_verification_by_password(password_request())
    error = info.value
    assert isinstance(error, py_logto.ApiResponseValidationError)
    assert isinstance(error, py_logto.OpenApiException)
    assert (error.status, error.body, error.raw_body) == (
        201,
        '{"verificationRecordId": 7}',
        b'{"verificationRecordId": 7}',
    )
    assert "verificationRecordId" in error.message


# -- built as generated code builds them ------------------------------------------------


def test_api_exception_from_a_response(server: RecordingServer, api: py_logto.VerificationsApi) -> None:
    resp = _response(server, api, Reply(422, INVALID, headers=[("Logto-Core-Request-Id", "r1")]))
    error = py_logto.ApiException(http_resp=resp)
    # http.server's phrase for 422 is "Unprocessable Content" from Python 3.13 on.
    assert (error.status, error.reason, error.request_id) == (422, resp.reason, "r1")
    assert error.reason in ("Unprocessable Entity", "Unprocessable Content")
    assert error.headers["logto-core-request-id"] == "r1"
    assert json.loads(error.body) == INVALID
    assert error.raw_body == resp.data
    assert error.data is None
    assert error.message == INVALID["message"]


def test_explicit_arguments_win_over_the_response(server: RecordingServer, api: py_logto.VerificationsApi) -> None:
    resp = _response(server, api, Reply(422, INVALID))
    data = RequestErrorBody.from_dict(INVALID)
    error = py_logto.ApiException(status=400, reason="Nope", http_resp=resp, body="replaced", data=data)
    assert (error.status, error.reason, error.body, error.data) == (400, "Nope", "replaced", data)
    assert error.raw_body == resp.data, "the bytes received stay available"
    assert (error.code, error.message) == ("session.invalid_credentials", "Incorrect account or password.")
    assert str(error) == "(400) Nope [session.invalid_credentials] Incorrect account or password."


def test_api_exception_without_a_response() -> None:
    error = py_logto.NotFoundException(status=404, reason="Not Found")
    assert (error.status, error.reason, error.body, error.raw_body, error.data) == (404, "Not Found", None, None, None)
    assert dict(error.headers) == {}
    assert error.request_id is None
    assert str(error) == "(404) Not Found"
    assert repr(error) == "NotFoundException(status=404, code=None, request_id=None)"
    with_body = py_logto.ApiException(418, "I'm a teapot", body="short and stout")
    assert (with_body.body, with_body.raw_body, with_body.message) == (
        "short and stout",
        b"short and stout",
        "short and stout",
    )


#: The statuses the operations declare, and a few they do not.
MAPPED = {**EXCEPTION_FOR, 409: py_logto.ConflictException, 418: py_logto.ApiException, 503: py_logto.ServiceException}


@pytest.mark.parametrize(("status", "expected"), sorted(MAPPED.items()))
def test_from_response_raises_the_mapped_class(
    server: RecordingServer, api: py_logto.VerificationsApi, status: int, expected: Type[py_logto.ApiException]
) -> None:
    resp = _response(server, api, Reply(status, INVALID))
    data = RequestErrorBody.from_dict(INVALID)
    with pytest.raises(py_logto.ApiException) as info:
        py_logto.ApiException.from_response(http_resp=resp, body=resp.data.decode() if resp.data else None, data=data)
    assert type(info.value) is expected
    assert (info.value.status, info.value.data, info.value.code) == (status, data, "session.invalid_credentials")
    assert json.loads(info.value.body or "") == INVALID


def test_render_path_and_path_errors_as_generated() -> None:
    assert exceptions.render_path(["identifier", 0, "value"]) == "['identifier'][0]['value']"
    assert exceptions.render_path([]) == ""
    for cls in (py_logto.ApiTypeError, py_logto.ApiValueError, py_logto.ApiKeyError, py_logto.ApiAttributeError):
        error = cls("Invalid value", path_to_item=["identifier", 0])
        assert error.path_to_item == ["identifier", 0]
        assert error.args[0] == "Invalid value at ['identifier'][0]"
    typed = py_logto.ApiTypeError("Wrong type", ["a"], (str,), True)
    assert (typed.valid_classes, typed.key_type) == ((str,), True)
    assert str(py_logto.ApiValueError("plain")) == "plain"
    assert "render_path" in exceptions.__all__
