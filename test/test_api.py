"""Every operation over real HTTP: what is sent, what comes back, how each status surfaces."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, Optional, Tuple, Type

import pytest

import py_logto
from py_logto.models import (
    BindWebAuthnPayload,
    CreateVerificationByPassword201Response,
    CreateVerificationByPasswordRequest,
    CreateVerificationBySocial201Response,
    CreateVerificationBySocialRequest,
    CreateVerificationByVerificationCodeRequest,
    EmailVerificationCodeIdentifier,
    GenerateWebAuthnRegistrationOptions200Response,
    PhoneVerificationCodeIdentifier,
    VerifyVerificationBySocialRequest,
    VerifyVerificationByVerificationCode200Response,
    VerifyVerificationCodeVerificationRequest,
    VerifyWebAuthnRegistrationRequest,
)
from test._server import RecordingServer, Reply
from test.conftest import TOKEN

RECORD = {"verificationRecordId": "vmxzd55z0mn4osor04ej7", "expiresAt": "2026-11-25T11:44:51.555Z"}

WEBAUTHN_OPTIONS = {
    "verificationRecordId": "mgvdizup7x9vc26ruddnq",
    "registrationOptions": {
        "rp": {"name": "127.0.0.1", "id": "127.0.0.1"},
        "user": {"id": "bzJwenNtdmN0eDI4", "name": "jane@example.com", "displayName": "jane@example.com"},
        "challenge": "uDFlepzQTkAsM9_gLnc94x41m-h529CrZobU7dqeMpY",
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
        "timeout": 60000,
        "excludeCredentials": [],
        "authenticatorSelection": {
            "requireResidentKey": True,
            "residentKey": "required",
            "userVerification": "required",
        },
        "attestation": "none",
        "extensions": {"credProps": True},
    },
    "expiresAt": "2026-11-25T11:44:53.147Z",
}

CREDENTIAL = {
    "id": "czREd_zAxRkKbxG6sLYLJQ",
    "rawId": "czREd_zAxRkKbxG6sLYLJQ",
    "type": "WebAuthn",
    "response": {
        "clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",
        "attestationObject": "o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YQ",
        "transports": ["internal"],
    },
    "authenticatorAttachment": "platform",
    "clientExtensionResults": {},
}


class Case:
    """One operation: how to call it, what must go on the wire, what comes back."""

    def __init__(
        self,
        method: str,
        path: str,
        call: Callable[[py_logto.VerificationsApi, str], Any],
        sent: Optional[Dict[str, Any]],
        status: int,
        reply: Dict[str, Any],
        model: Type[Any],
        errors: Tuple[int, ...],
    ) -> None:
        self.method, self.path, self.call, self.sent = method, path, call, sent
        self.status, self.reply, self.model, self.errors = status, reply, model, errors


def _invoke(name: str, body: Any) -> Callable[[py_logto.VerificationsApi, str], Any]:
    def call(api: py_logto.VerificationsApi, variant: str) -> Any:
        method = getattr(api, name + variant)
        return method() if body is None else method(body)

    return call


CASES = {
    "create_verification_by_password": Case(
        "POST",
        "/api/verifications/password",
        _invoke("create_verification_by_password", CreateVerificationByPasswordRequest(password="correct horse")),
        {"password": "correct horse"},
        201,
        RECORD,
        CreateVerificationByPassword201Response,
        (400, 401, 403, 422),
    ),
    "create_verification_by_verification_code": Case(
        "POST",
        "/api/verifications/verification-code",
        _invoke(
            "create_verification_by_verification_code",
            CreateVerificationByVerificationCodeRequest(
                identifier=EmailVerificationCodeIdentifier(value="jane@example.com"),
                template_type="UserPermissionValidation",
            ),
        ),
        {"identifier": {"type": "email", "value": "jane@example.com"}, "templateType": "UserPermissionValidation"},
        201,
        RECORD,
        CreateVerificationByPassword201Response,
        (400, 401, 403, 422, 429, 501),
    ),
    "verify_verification_by_verification_code": Case(
        "POST",
        "/api/verifications/verification-code/verify",
        _invoke(
            "verify_verification_by_verification_code",
            VerifyVerificationCodeVerificationRequest(
                identifier=PhoneVerificationCodeIdentifier(value="15551234567"),
                verification_id="c7h2r9m4k1x8w3q6z5t0a",
                code="123456",
            ),
        ),
        {
            "identifier": {"type": "phone", "value": "15551234567"},
            "verificationId": "c7h2r9m4k1x8w3q6z5t0a",
            "code": "123456",
        },
        200,
        {"verificationRecordId": "c7h2r9m4k1x8w3q6z5t0a"},
        VerifyVerificationByVerificationCode200Response,
        (400, 401, 403, 501),
    ),
    "create_verification_by_social": Case(
        "POST",
        "/api/verifications/social",
        _invoke(
            "create_verification_by_social",
            CreateVerificationBySocialRequest(
                connector_id="0mspzxut1fjq", state="fa6cbd1e19720e94", redirect_uri="https://app.example.com/cb"
            ),
        ),
        {"state": "fa6cbd1e19720e94", "redirectUri": "https://app.example.com/cb", "connectorId": "0mspzxut1fjq"},
        201,
        {**RECORD, "authorizationUri": "https://idp.example.com/auth?state=fa6cbd1e19720e94"},
        CreateVerificationBySocial201Response,
        (400, 401, 403, 404, 422),
    ),
    "verify_verification_by_social": Case(
        "POST",
        "/api/verifications/social/verify",
        _invoke(
            "verify_verification_by_social",
            VerifyVerificationBySocialRequest(
                verification_record_id="iyow5vurpyw6p8jq30hug",
                connector_data={"code": "mock-code", "state": "fa6cbd1e19720e94", "nested": {"a": [1, None]}},
            ),
        ),
        {
            "connectorData": {"code": "mock-code", "state": "fa6cbd1e19720e94", "nested": {"a": [1, None]}},
            "verificationRecordId": "iyow5vurpyw6p8jq30hug",
        },
        200,
        {"verificationRecordId": "iyow5vurpyw6p8jq30hug"},
        VerifyVerificationByVerificationCode200Response,
        (400, 401, 403, 404, 422),
    ),
    "generate_web_authn_registration_options": Case(
        "POST",
        "/api/verifications/web-authn/registration",
        _invoke("generate_web_authn_registration_options", None),
        None,
        200,
        WEBAUTHN_OPTIONS,
        GenerateWebAuthnRegistrationOptions200Response,
        (401, 403),
    ),
    "verify_web_authn_registration": Case(
        "POST",
        "/api/verifications/web-authn/registration/verify",
        _invoke(
            "verify_web_authn_registration",
            VerifyWebAuthnRegistrationRequest(
                verification_record_id="mgvdizup7x9vc26ruddnq", payload=BindWebAuthnPayload.from_dict(CREDENTIAL)
            ),
        ),
        {"verificationRecordId": "mgvdizup7x9vc26ruddnq", "payload": CREDENTIAL},
        200,
        {"verificationRecordId": "mgvdizup7x9vc26ruddnq"},
        VerifyVerificationByVerificationCode200Response,
        (400, 401, 403, 404),
    ),
}

EXCEPTION_FOR = {
    400: py_logto.BadRequestException,
    401: py_logto.UnauthorizedException,
    403: py_logto.ForbiddenException,
    404: py_logto.NotFoundException,
    422: py_logto.UnprocessableEntityException,
    429: py_logto.TooManyRequestsException,
    501: py_logto.ServiceException,
}


def _check_request(server: RecordingServer, case: Case) -> None:
    assert len(server.requests) == 1
    req = server.last
    assert req.method == case.method
    assert req.path == case.path
    assert req.header("Authorization") == f"Bearer {TOKEN}"
    assert req.header("Accept") == "application/json"
    assert (req.header("User-Agent") or "").startswith(f"logto-user-api/{py_logto.__version__} ")
    if case.sent is None:
        assert req.body == b""
        assert req.header("Content-Type") is None
    else:
        assert req.header("Content-Type") == "application/json"
        assert req.json() == case.sent


@pytest.mark.parametrize("name", sorted(CASES))
def test_success_returns_the_typed_model(name: str, server: RecordingServer, api: py_logto.VerificationsApi) -> None:
    case = CASES[name]
    server.queue(Reply(case.status, case.reply, headers=[("Logto-Core-Request-Id", "req-1")]))
    result = case.call(api, "")
    _check_request(server, case)
    assert type(result) is case.model
    assert result.to_dict() == case.reply


@pytest.mark.parametrize("name", sorted(CASES))
def test_with_http_info_keeps_status_headers_and_raw_body(
    name: str, server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    case = CASES[name]
    server.queue(Reply(case.status, case.reply, headers=[("Logto-Core-Request-Id", "req-2")]))
    info = case.call(api, "_with_http_info")
    _check_request(server, case)
    assert isinstance(info, py_logto.ApiResponse)
    assert info.status_code == case.status
    assert info.headers["logto-core-request-id"] == "req-2"
    assert info.request_id == "req-2"
    assert json.loads(info.raw_data) == case.reply
    assert type(info.data) is case.model


@pytest.mark.parametrize("name", sorted(CASES))
def test_without_preload_content_returns_the_unread_response(
    name: str, server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    case = CASES[name]
    server.queue(Reply(case.status, case.reply))
    raw = case.call(api, "_without_preload_content")
    _check_request(server, case)
    assert raw.status == case.status
    assert json.loads(raw.read()) == case.reply
    raw.release_conn()


ERROR_CASES = [(name, status) for name in sorted(CASES) for status in CASES[name].errors]


@pytest.mark.parametrize(("name", "status"), ERROR_CASES)
def test_every_declared_error_status_raises_its_exception(
    name: str, status: int, server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    case = CASES[name]
    body = {"code": f"test.status_{status}", "message": f"Status {status} happened.", "data": {"n": status}}
    server.queue(Reply(status, body, headers=[("Logto-Core-Request-Id", f"rid-{status}")]))
    with pytest.raises(EXCEPTION_FOR[status]) as info:
        case.call(api, "")
    err = info.value
    assert isinstance(err, py_logto.ApiException)
    assert err.status == status
    assert json.loads(err.body or b"") == body
    assert err.headers["Logto-Core-Request-Id"] == f"rid-{status}"
    assert err.request_id == f"rid-{status}"
    assert err.data is not None
    assert err.data.code == f"test.status_{status}"
    assert err.data.data == {"n": status}
    assert err.code == f"test.status_{status}"
    text = str(err)
    assert "\n" not in text
    assert str(status) in text
    assert f"test.status_{status}" in text
    assert f"Status {status} happened." in text
    assert f"rid-{status}" in text


@pytest.mark.parametrize(
    ("status", "exc"),
    [
        (404, py_logto.NotFoundException),
        (405, py_logto.ApiException),
        (409, py_logto.ConflictException),
        (418, py_logto.ApiException),
        (429, py_logto.TooManyRequestsException),
        (500, py_logto.ServiceException),
        (503, py_logto.ServiceException),
        (302, py_logto.ApiException),
    ],
)
def test_undeclared_statuses_still_map_through_the_one_table(
    status: int, exc: Type[py_logto.ApiException], server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    server.queue(Reply(status, {"code": "x.y", "message": "m"}, headers=[("Location", "/elsewhere")]))
    with pytest.raises(exc) as info:
        api.create_verification_by_password(CreateVerificationByPasswordRequest(password="pw"))
    assert type(info.value) is exc
    assert info.value.status == status
    assert info.value.code == "x.y"
    assert len(server.requests) == 1


def test_text_and_html_error_bodies_are_kept(server: RecordingServer, api: py_logto.VerificationsApi) -> None:
    server.queue(Reply(405, "Method Not Allowed", content_type="text/plain; charset=utf-8"))
    with pytest.raises(py_logto.ApiException) as info:
        api.create_verification_by_password(CreateVerificationByPasswordRequest(password="pw"))
    assert info.value.body == "Method Not Allowed"
    assert info.value.data is None
    assert info.value.message == "Method Not Allowed"
    assert "Method Not Allowed" in str(info.value)

    html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    server.queue(Reply(502, html, content_type="text/html"))
    with pytest.raises(py_logto.ServiceException) as info2:
        api.generate_web_authn_registration_options()
    assert info2.value.body == html
    assert info2.value.data is None
    assert str(info2.value) == "(502) Bad Gateway"

    server.queue(Reply(400, {"message": "Unexpected end of JSON input"}))
    with pytest.raises(py_logto.BadRequestException) as info3:
        api.generate_web_authn_registration_options()
    assert info3.value.data is None
    assert info3.value.code is None
    assert info3.value.message == "Unexpected end of JSON input"

    server.queue(Reply(503, None, content_type=None))
    with pytest.raises(py_logto.ServiceException) as info4:
        api.generate_web_authn_registration_options()
    assert info4.value.body == ""


def test_host_with_or_without_trailing_slash_and_with_a_path_prefix(server: RecordingServer) -> None:
    for host, prefix in ((server.url, ""), (server.url + "/", ""), (server.url + "/logto/", "/logto")):
        config = py_logto.Configuration(host=host, access_token=TOKEN)
        server.queue(Reply(201, RECORD))
        with py_logto.ApiClient(config) as client:
            py_logto.VerificationsApi(client).create_verification_by_password(
                CreateVerificationByPasswordRequest(password="pw")
            )
        assert server.last.path == prefix + "/api/verifications/password"


def test_plain_dict_bodies_are_validated_and_sent(server: RecordingServer, api: py_logto.VerificationsApi) -> None:
    server.queue(Reply(201, RECORD))
    api.create_verification_by_verification_code(
        {"identifier": {"type": "phone", "value": "15551234567"}}  # type: ignore[arg-type]
    )
    assert server.last.json() == {"identifier": {"type": "phone", "value": "15551234567"}}
    with pytest.raises(py_logto.ApiValueError, match="identifier"):
        api.create_verification_by_verification_code(
            {"identifier": {"type": "phone", "value": "+15551234567"}}  # type: ignore[arg-type]
        )
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda api: api.create_verification_by_password(None), "create_verification_by_password_request"),
        (lambda api: api.create_verification_by_password("hunter2"), "CreateVerificationByPasswordRequest"),
        (lambda api: api.create_verification_by_password({"password": ""}), "password"),
        (lambda api: api.create_verification_by_password({"password": 12345678}), "password"),
        (lambda api: api.create_verification_by_password({}), "password"),
        (
            lambda api: api.create_verification_by_password(
                CreateVerificationByPasswordRequest(password="pw"), _content_type="text/plain"
            ),
            "_content_type",
        ),
        (
            lambda api: api.create_verification_by_password(
                CreateVerificationByPasswordRequest(password="pw"), _request_timout=3
            ),
            "_request_timout",
        ),
        (
            lambda api: api.create_verification_by_password(
                CreateVerificationByPasswordRequest(password="pw"), _headers={"X-Evil": "a\r\nb"}
            ),
            "line break",
        ),
        (
            lambda api: api.create_verification_by_verification_code(
                {"identifier": {"type": "username", "value": "jane"}}
            ),
            "identifier",
        ),
        (
            lambda api: api.verify_verification_by_verification_code(
                {"identifier": {"type": "email", "value": "jane@example.com"}, "verificationId": "x"}
            ),
            "code",
        ),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(
    call: Callable[[Any], Any], match: str, server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    # A misspelt option is Python's own TypeError: the options are real parameters.
    with pytest.raises((py_logto.ApiValueError, TypeError), match=match):
        call(api)
    assert server.requests == []


def test_missing_access_token_is_refused_before_sending(server: RecordingServer) -> None:
    with py_logto.ApiClient(py_logto.Configuration(host=server.url)) as client:
        api = py_logto.VerificationsApi(client)
        with pytest.raises(py_logto.ApiValueError, match="access_token"):
            api.create_verification_by_password(CreateVerificationByPasswordRequest(password="pw"))
    assert server.requests == []


def test_request_options_reach_the_wire(server: RecordingServer, api: py_logto.VerificationsApi) -> None:
    server.queue(Reply(201, RECORD))
    api.create_verification_by_password(
        CreateVerificationByPasswordRequest(password="pw"),
        _request_auth="other-token",
        _content_type="application/json; charset=utf-8",
        _headers={"Accept-Language": "zh-CN", "Origin": "https://app.example.com"},
        _request_timeout=(2, 5),
    )
    req = server.last
    assert req.header("Authorization") == "Bearer other-token"
    assert req.header("Content-Type") == "application/json; charset=utf-8"
    assert req.header("Accept-Language") == "zh-CN"
    assert req.header("Origin") == "https://app.example.com"

    server.queue(Reply(201, RECORD))
    api.create_verification_by_password(
        CreateVerificationByPasswordRequest(password="pw"),
        _request_auth={"in": "header", "key": "Authorization", "value": "Bearer dict-token", "type": "oauth2"},
    )
    assert server.last.header("Authorization") == "Bearer dict-token"


def test_default_headers_and_user_agent(server: RecordingServer, configuration: py_logto.Configuration) -> None:
    with py_logto.ApiClient(configuration, header_name="X-Tenant", header_value="t1", cookie="a=b") as client:
        client.set_default_header("X-Trace", "abc")
        client.user_agent = "my-service/2.0"
        server.queue(Reply(200, WEBAUTHN_OPTIONS))
        py_logto.VerificationsApi(client).generate_web_authn_registration_options()
    req = server.last
    assert req.header("X-Tenant") == "t1"
    assert req.header("X-Trace") == "abc"
    assert req.header("Cookie") == "a=b"
    assert req.header("User-Agent") == "my-service/2.0"


def test_verifications_api_without_a_client_uses_the_default(server: RecordingServer) -> None:
    py_logto.Configuration.set_default(py_logto.Configuration(host=server.url, access_token=TOKEN))
    py_logto.ApiClient.set_default(None)
    try:
        api = py_logto.VerificationsApi()
        server.queue(Reply(201, RECORD))
        record = api.create_verification_by_password(CreateVerificationByPasswordRequest(password="pw"))
        assert record.verification_record_id == RECORD["verificationRecordId"]
        api.api_client.close()
    finally:
        py_logto.ApiClient.set_default(None)
        py_logto.Configuration.set_default(None)


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (201, "not json", "application/json"),
        (201, "", "application/json"),
        (201, '{"verificationRecordId": 5}', "application/json"),
        (201, '{"expiresAt": "x"}', "application/json"),
        (201, "<html>ok</html>", "text/html"),
        (201, '{"verificationRecordId": "a", "expiresAt"', "application/json"),
    ],
)
def test_a_2xx_that_is_not_the_model_raises_response_validation_error(
    status: int, body: str, content_type: str, server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    server.queue(Reply(status, body.encode(), content_type=content_type, headers=[("Logto-Core-Request-Id", "r9")]))
    with pytest.raises(py_logto.ApiResponseValidationError) as info:
        api.create_verification_by_password(CreateVerificationByPasswordRequest(password="pw"))
    err = info.value
    assert err.status == status
    assert err.body == body
    assert err.request_id == "r9"
    assert "CreateVerificationByPassword201Response" in str(err)


def test_unknown_response_fields_and_enum_values_are_tolerated(
    server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    reply = json.loads(json.dumps(WEBAUTHN_OPTIONS))
    reply["newTopLevel"] = {"x": 1}
    opts = reply["registrationOptions"]
    opts["attestation"] = "some-future-mode"
    opts["pubKeyCredParams"].append({"type": "future-key", "alg": -8, "extra": True})
    opts["authenticatorSelection"]["residentKey"] = "mandatory"
    opts["excludeCredentials"] = [{"type": "public-key", "id": "abc", "transports": ["usb", "quantum"]}]
    server.queue(Reply(200, reply))
    result = api.generate_web_authn_registration_options()
    assert result.registration_options.attestation == "some-future-mode"
    assert result.registration_options.authenticator_selection is not None
    assert result.registration_options.authenticator_selection.resident_key == "mandatory"
    assert result.to_dict() == reply
    assert py_logto.GenerateWebAuthnRegistrationOptions200Response.from_json(result.to_json()) == result
