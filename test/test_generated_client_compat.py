"""Code written for the OpenAPI Generator client runs on py_logto: the operation methods'
option parameters, the ApiClient's lower-level methods, and the models' conveniences,
as the generated client's documentation and templates describe them."""

from __future__ import annotations

import datetime
import enum
import inspect
import json
from typing import Any, Iterator

import pytest

import py_logto
from py_logto import models
from py_logto.api.my_account_api import _OPERATIONS as ACCOUNT_OPERATIONS
from py_logto.api.verifications_api import _OPERATIONS as VERIFICATION_OPERATIONS
from py_logto.api_response import ApiResponse
from test._server import RecordingServer, Reply

RECORD = {"verificationRecordId": "r1", "expiresAt": "2026-11-25T11:44:51.555Z"}
OPTIONS = ["_request_timeout", "_request_auth", "_content_type", "_headers", "_host_index"]


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as srv:
        yield srv


def client_for(server: RecordingServer, token: Any = "token-1") -> py_logto.ApiClient:
    configuration = py_logto.Configuration(host=server.url, access_token=token)
    configuration.retries = 0
    return py_logto.ApiClient(configuration)


def _methods() -> Iterator[Any]:
    for api, operations in (
        (py_logto.VerificationsApi, VERIFICATION_OPERATIONS),
        (py_logto.MyAccountApi, ACCOUNT_OPERATIONS),
    ):
        for op in operations.values():
            base = "".join(f"_{c.lower()}" if c.isupper() else c for c in op.operation_id).lstrip("_")
            for suffix in ("", "_with_http_info", "_without_preload_content"):
                yield pytest.param(getattr(api, base + suffix), op, id=f"{api.__name__}.{base}{suffix}")


# -- 2. the method shape -------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "op"), list(_methods()))
def test_every_method_lists_the_options_as_real_parameters_in_the_generated_order(method: Any, op: Any) -> None:
    parameters = list(inspect.signature(method).parameters.values())[1:]
    names = [p.name for p in parameters]
    assert names == [p.name for p in op.params] + OPTIONS
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters)
    defaults = {p.name: p.default for p in parameters[len(op.params) :]}
    assert defaults == dict(zip(OPTIONS, [None, None, None, None, 0]))


def test_options_can_be_passed_positionally(server: RecordingServer) -> None:
    server.queue(Reply(201, RECORD))
    with client_for(server) as client:
        api = py_logto.VerificationsApi(client)
        request = py_logto.CreateVerificationByPasswordRequest(password="pw")
        api.create_verification_by_password(
            request, 5.0, {"in": "header", "key": "Authorization", "value": "Bearer t2"}, None, {"X-Trace": "1"}, 0
        )
    assert server.last.header("Authorization") == "Bearer t2"
    assert server.last.header("X-Trace") == "1"


def test_another_host_index_is_refused_before_sending(server: RecordingServer) -> None:
    with client_for(server) as client, pytest.raises(py_logto.ApiValueError, match="_host_index"):
        py_logto.MyAccountApi(client).get_profile(_host_index=1)
    assert server.requests == []


class Colour(enum.Enum):
    RED = "red"


def test_header_values_that_are_not_strings_are_converted(server: RecordingServer) -> None:
    server.queue(Reply(200, {"id": "u1"}))
    when = datetime.datetime(2026, 11, 30, 1, 2, 3, 456000, tzinfo=datetime.timezone.utc)
    with client_for(server) as client:
        py_logto.MyAccountApi(client).get_profile(
            _headers={
                "X-Int": 7,
                "X-Bool": True,
                "X-Float": 1.5,
                "X-Enum": Colour.RED,
                "X-When": when,
                "X-Day": when.date(),
            }
        )
    sent = server.last
    assert (sent.header("X-Int"), sent.header("X-Bool"), sent.header("X-Float")) == ("7", "True", "1.5")
    assert sent.header("X-Enum") == "red"
    assert sent.header("X-When") == "2026-11-30T01:02:03.456000+0000"  # Configuration.datetime_format
    assert sent.header("X-Day") == "2026-11-30"
    with client_for(server) as client, pytest.raises(py_logto.ApiTypeError, match="X-Obj"):
        py_logto.MyAccountApi(client).get_profile(_headers={"X-Obj": object()})


def test_an_authorization_in_headers_is_used_when_no_token_is_configured(server: RecordingServer) -> None:
    server.queue(Reply(200, {"id": "u1"}), Reply(200, {"id": "u2"}))
    with client_for(server, token=None) as client:
        api = py_logto.MyAccountApi(client)
        assert api.get_profile(_headers={"Authorization": "Bearer user-a"}).id == "u1"
        assert server.last.header("Authorization") == "Bearer user-a"
        with pytest.raises(py_logto.ApiValueError, match="access_token"):
            api.get_profile()
    assert len(server.requests) == 1


# -- 4. ApiClient's lower-level methods ----------------------------------------------------------


def test_param_serialize_call_api_response_deserialize(server: RecordingServer) -> None:
    server.queue(Reply(201, RECORD, headers=[("Logto-Core-Request-Id", "q1")]))
    with client_for(server) as client:
        method, url, headers, body, post_params = client.param_serialize(
            "POST",
            "/api/verifications/password",
            header_params={
                "Content-Type": "application/json",
                "Accept": client.select_header_accept(["application/json"]),
            },
            body=py_logto.CreateVerificationByPasswordRequest(password="pw"),
            auth_settings=["OAuth2"],
        )
        assert (method, url, body, post_params) == (
            "POST",
            server.url + "/api/verifications/password",
            {"password": "pw"},
            [],
        )
        assert headers["Authorization"] == "Bearer token-1"
        response = client.call_api(method, url, header_params=headers, body=body)
        result = client.response_deserialize(response, {"201": "CreateVerificationByPassword201Response"})
    assert isinstance(result, ApiResponse)
    assert result.status_code == 201
    assert result.data == py_logto.CreateVerificationByPassword201Response.from_dict(RECORD)
    assert result.request_id == "q1"
    assert server.last.json() == {"password": "pw"}


def test_param_serialize_encodes_path_and_query_parameters_as_the_operations_do(server: RecordingServer) -> None:
    with client_for(server) as client:
        _, url, headers, _, _ = client.param_serialize(
            "DELETE",
            "/api/my-account/sessions/{sessionId}",
            path_params={"sessionId": "a/../b"},
            query_params=[("revokeGrantsTarget", "firstParty")],
            header_params={"logto-verification-id": "rec"},
            _request_auth={"in": "header", "key": "Authorization", "value": "Bearer other"},
        )
    assert url == server.url + "/api/my-account/sessions/a%2F..%2Fb?revokeGrantsTarget=firstParty"
    assert headers["Authorization"] == "Bearer other"
    with client_for(server) as client, pytest.raises(py_logto.ApiValueError, match="Content-Length"):
        client.param_serialize("POST", "/x", header_params={"Content-Length": "5"})


def test_response_deserialize_raises_the_mapped_exception_with_the_error_body(server: RecordingServer) -> None:
    error = {"code": "session.invalid_credentials", "message": "Incorrect account or password."}
    server.queue(Reply(422, error))
    with client_for(server) as client:
        method, url, headers, body, _ = client.param_serialize(
            "POST", "/api/verifications/password", body={"password": "x"}, auth_settings=["OAuth2"]
        )
        response = client.call_api(method, url, headers, body)
        with pytest.raises(py_logto.UnprocessableEntityException) as caught:
            client.response_deserialize(response, {"201": "CreateVerificationByPassword201Response"})
    assert caught.value.code == "session.invalid_credentials"
    assert "invalid_credentials" in (caught.value.body or "")


def test_deserialize_and_sanitize() -> None:
    client = py_logto.ApiClient(py_logto.Configuration())
    factors = client.deserialize(
        '[{"id": "m1", "createdAt": "2026-11-30T00:44:18.265Z", "type": "Totp"}]', "List[MfaVerification]"
    )
    assert factors[0].type is models.MfaFactor.TOTP
    assert client.deserialize("OK", "str", "text/plain; charset=utf-8") == "OK"
    assert client.deserialize('{"a": 1}', "Dict[str, int]") == {"a": 1}
    request = py_logto.UpdateProfileRequest(name=None)
    when = datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc)
    assert client.sanitize_for_serialization({"r": request, "t": models.WebAuthnTransport.USB, "w": [when, (1,)]}) == {
        "r": {"name": None},
        "t": "usb",
        "w": ["2026-01-02T00:00:00+00:00", (1,)],
    }
    assert client.select_header_content_type(["text/plain", "application/json"]) == "application/json"
    assert client.select_header_accept(["text/plain"]) == "text/plain"
    assert client.select_header_accept([]) is None


def test_cookie_and_the_pool_manager(server: RecordingServer) -> None:
    server.queue(Reply(200, {"id": "u1"}))
    configuration = py_logto.Configuration(host=server.url, access_token="t")
    with py_logto.ApiClient(configuration, cookie="session=abc") as client:
        assert client.cookie == "session=abc"
        assert client.rest_client.pool_manager is not None
        py_logto.MyAccountApi(client).get_profile()
    assert server.last.header("Cookie") == "session=abc"


def test_an_api_response_can_be_built_without_headers() -> None:
    response = ApiResponse(status_code=200, data="OK", raw_data=b"OK")
    assert response.headers == {}
    assert response.request_id is None


# -- 5. models ------------------------------------------------------------------------------------


def test_from_dict_of_none_is_none() -> None:
    assert py_logto.CreateVerificationByPasswordRequest.from_dict(None) is None
    assert py_logto.GetProfile200Response.from_dict(None) is None
    assert py_logto.VerificationCodeIdentifier.from_dict(None) is None


def test_one_of_models_work_as_generated() -> None:
    email = py_logto.EmailVerificationCodeIdentifier(value="jane@example.com")
    wrapped = py_logto.VerificationCodeIdentifier(actual_instance=email)
    assert wrapped.actual_instance is email
    assert py_logto.VerificationCodeIdentifier(email).actual_instance is email
    request = py_logto.CreateVerificationByVerificationCodeRequest(identifier=email)
    assert isinstance(request.identifier, py_logto.VerificationCodeIdentifier)
    assert request.identifier.actual_instance == email
    assert request.to_dict() == {"identifier": {"type": "email", "value": "jane@example.com"}}
    wrapped.actual_instance = py_logto.PhoneVerificationCodeIdentifier(value="15551234567")
    assert wrapped.to_json() == json.dumps({"type": "phone", "value": "15551234567"}, separators=(",", ":"))
    body = py_logto.AddMfaVerificationRequest.from_dict({"type": "BackupCode", "codes": ["a"]})
    assert isinstance(body.actual_instance, py_logto.AddBackupCodeMfaVerificationRequest)
    assert py_logto.AddMfaVerificationRequest.one_of_schemas == (
        "AddWebAuthnMfaVerificationRequest",
        "AddTotpMfaVerificationRequest",
        "AddBackupCodeMfaVerificationRequest",
    )


def test_enums_have_from_json() -> None:
    assert models.WebAuthnTransport.from_json('"usb"') is models.WebAuthnTransport.USB
    assert models.MfaFactor.from_json(b'"Totp"') is models.MfaFactor.TOTP
    with pytest.raises(py_logto.ApiValueError, match="MfaFactor"):
        models.MfaFactor.from_json('"Sms"')
