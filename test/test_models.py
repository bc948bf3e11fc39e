"""Models: construction by either name, constraints, round trips, secrets, forward compatibility."""

from __future__ import annotations

import importlib
from typing import Any, Dict

import pytest

import py_logto
from py_logto.models import (
    BindWebAuthnPayload,
    CreateVerificationByPassword201Response,
    CreateVerificationByPasswordRequest,
    CreateVerificationBySocialRequest,
    CreateVerificationByVerificationCodeRequest,
    EmailVerificationCodeIdentifier,
    PhoneVerificationCodeIdentifier,
    RequestErrorBody,
    VerificationCodeIdentifier,
    VerifyVerificationBySocialRequest,
    VerifyVerificationCodeVerificationRequest,
    WebAuthnTransport,
)

SEED_IMPORTS = {
    "create_verification_by_password201_response": "CreateVerificationByPassword201Response",
    "create_verification_by_password_request": "CreateVerificationByPasswordRequest",
    "create_verification_by_social201_response": "CreateVerificationBySocial201Response",
    "create_verification_by_social_request": "CreateVerificationBySocialRequest",
    "create_verification_by_verification_code_request": "CreateVerificationByVerificationCodeRequest",
    "verify_verification_by_social_request": "VerifyVerificationBySocialRequest",
    "verify_verification_by_verification_code200_response": "VerifyVerificationByVerificationCode200Response",
    "verify_verification_code_verification_request": "VerifyVerificationCodeVerificationRequest",
    "generate_web_authn_registration_options200_response": "GenerateWebAuthnRegistrationOptions200Response",
    "verify_web_authn_registration_request": "VerifyWebAuthnRegistrationRequest",
    "verification_code_identifier": "VerificationCodeIdentifier",
    "email_verification_code_identifier": "EmailVerificationCodeIdentifier",
    "phone_verification_code_identifier": "PhoneVerificationCodeIdentifier",
    "web_authn_registration_options": "WebAuthnRegistrationOptions",
    "bind_web_authn_payload": "BindWebAuthnPayload",
    "web_authn_transport": "WebAuthnTransport",
    "request_error_body": "RequestErrorBody",
}


@pytest.mark.parametrize(("module", "name"), sorted(SEED_IMPORTS.items()))
def test_models_import_from_their_module_and_the_package(module: str, name: str) -> None:
    cls = getattr(importlib.import_module(f"py_logto.models.{module}"), name)
    assert getattr(py_logto, name) is cls
    assert getattr(py_logto.models, name) is cls
    assert name in py_logto.__all__


def test_rest_api_exception_is_the_exceptions_one() -> None:
    from py_logto.rest import ApiException

    assert ApiException is py_logto.exceptions.ApiException is py_logto.ApiException


def test_constructible_by_attribute_or_wire_name() -> None:
    by_attr = VerifyVerificationCodeVerificationRequest(
        identifier=EmailVerificationCodeIdentifier(value="jane@example.com"), verification_id="v1", code="123456"
    )
    by_wire = VerifyVerificationCodeVerificationRequest(
        identifier={"type": "email", "value": "jane@example.com"}, verificationId="v1", code="123456"
    )
    assert by_attr == by_wire
    assert by_attr.to_dict() == {
        "identifier": {"type": "email", "value": "jane@example.com"},
        "verificationId": "v1",
        "code": "123456",
    }


@pytest.mark.parametrize(
    "identifier",
    [
        PhoneVerificationCodeIdentifier(value="15551234567"),
        PhoneVerificationCodeIdentifier(type="phone", value="15551234567"),
        VerificationCodeIdentifier(PhoneVerificationCodeIdentifier(value="15551234567")),
        VerificationCodeIdentifier.from_dict({"type": "phone", "value": "15551234567"}),
        {"type": "phone", "value": "15551234567"},
    ],
)
def test_identifier_accepts_every_form_and_sends_it(identifier: Any) -> None:
    request = CreateVerificationByVerificationCodeRequest(identifier=identifier)
    assert request.to_dict() == {"identifier": {"type": "phone", "value": "15551234567"}}
    assert request.to_json() == '{"identifier":{"type":"phone","value":"15551234567"}}'
    assert request.identifier.value == "15551234567"
    assert request.identifier.type == "phone"


def test_identifier_union_model() -> None:
    wrapped = VerificationCodeIdentifier.from_json('{"type": "email", "value": "a@b.co"}')
    assert isinstance(wrapped.actual_instance, EmailVerificationCodeIdentifier)
    assert wrapped.to_dict() == {"type": "email", "value": "a@b.co"}
    assert wrapped.to_json() == '{"type":"email","value":"a@b.co"}'
    with pytest.raises(py_logto.ApiValueError):
        VerificationCodeIdentifier.from_dict({"type": "username", "value": "jane"})


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"identifier": {"type": "phone", "value": "+15551234567"}}, "identifier"),
        ({"identifier": {"type": "phone", "value": "1555 123 4567"}}, "identifier"),
        ({"identifier": {"type": "phone", "value": "\u0661\u0665\u0665"}}, "identifier"),
        ({"identifier": {"type": "phone", "value": ""}}, "identifier"),
        ({"identifier": {"type": "email", "value": "not-an-email"}}, "identifier"),
        ({"identifier": {"type": "email", "value": "a@" + "b" * 256 + ".com"}}, "identifier"),
        ({"identifier": {"type": "username", "value": "jane"}}, "identifier"),
        ({"identifier": {"type": "email"}}, "identifier"),
        ({}, "identifier"),
        ({"identifier": {"type": "email", "value": "a@b.co"}, "template_type": "SignIn"}, "template_type"),
        ({"identifier": {"type": "email", "value": "a@b.co"}, "templateTyp": "BindMfa"}, "templateTyp"),
    ],
)
def test_code_request_constraints_name_the_field(kwargs: Dict[str, Any], field: str) -> None:
    with pytest.raises(py_logto.ApiValueError) as info:
        CreateVerificationByVerificationCodeRequest(**kwargs)
    assert any(f.startswith(field) for f in info.value.fields), info.value.fields
    assert field in str(info.value)


@pytest.mark.parametrize(
    ("cls", "kwargs", "field"),
    [
        (CreateVerificationByPasswordRequest, {"password": ""}, "password"),
        (CreateVerificationByPasswordRequest, {"password": 123}, "password"),
        (CreateVerificationByPasswordRequest, {}, "password"),
        (CreateVerificationBySocialRequest, {"state": "s", "redirect_uri": "r"}, "connector_id"),
        (CreateVerificationBySocialRequest, {"state": "s", "connector_id": "c", "redirect_uri": 5}, "redirect_uri"),
        (VerifyVerificationBySocialRequest, {"verification_record_id": "v", "connector_data": "x"}, "connector_data"),
        (VerifyVerificationBySocialRequest, {"connector_data": {}}, "verification_record_id"),
    ],
)
def test_required_fields_and_types_name_the_field(cls: Any, kwargs: Dict[str, Any], field: str) -> None:
    with pytest.raises(py_logto.ApiValueError) as info:
        cls(**kwargs)
    assert field in info.value.fields
    assert isinstance(info.value, ValueError)


def test_assignment_is_validated_too() -> None:
    request = CreateVerificationByPasswordRequest(password="pw")
    with pytest.raises(py_logto.ApiValueError, match="password"):
        request.password = ""
    assert request.password == "pw"


SECRETS = ("hunter2-secret", "987654", "oauth-code-xyz")


def test_secrets_never_appear_in_repr_str_or_to_str() -> None:
    models = [
        CreateVerificationByPasswordRequest(password="hunter2-secret"),
        VerifyVerificationCodeVerificationRequest(
            identifier={"type": "email", "value": "a@b.co"}, verification_id="v", code="987654"
        ),
        VerifyVerificationBySocialRequest(verification_record_id="v", connector_data={"code": "oauth-code-xyz"}),
    ]
    for model in models:
        for text in (repr(model), str(model), model.to_str(), f"{model}", f"{model!r}"):
            for secret in SECRETS:
                assert secret not in text
            assert "<redacted>" in text
    assert "hunter2-secret" in models[0].to_json()  # the wire still carries it


def test_validation_errors_never_echo_the_value() -> None:
    for bad in (987654, [987654], {"c": 987654}):
        with pytest.raises(py_logto.ApiValueError) as info:
            VerifyVerificationCodeVerificationRequest(
                identifier={"type": "email", "value": "a@b.co"}, verification_id="v", code=bad
            )
        assert "987654" not in str(info.value)
        assert "987654" not in str(info.value.__cause__)


def test_round_trips() -> None:
    request = CreateVerificationByVerificationCodeRequest(
        identifier=EmailVerificationCodeIdentifier(value="jane@example.com"), template_type="BindMfa"
    )
    assert CreateVerificationByVerificationCodeRequest.from_json(request.to_json()) == request
    assert CreateVerificationByVerificationCodeRequest.from_dict(request.to_dict()) == request
    response = CreateVerificationByPassword201Response.from_dict(
        {"verificationRecordId": "r1", "expiresAt": "2026-11-25T11:44:51.555Z"}
    )
    assert response.verification_record_id == "r1"
    assert response.expires_at_datetime.isoformat() == "2026-11-25T11:44:51.555000+00:00"
    assert CreateVerificationByPassword201Response.from_json(response.to_json()) == response


def test_from_dict_rejects_non_mappings_with_a_typed_error() -> None:
    with pytest.raises(py_logto.ApiTypeError):
        CreateVerificationByPasswordRequest.from_dict("password")  # type: ignore[arg-type]
    with pytest.raises(py_logto.ApiValueError):
        CreateVerificationByPasswordRequest.from_json("{not json")


def test_response_models_keep_unknown_fields() -> None:
    body = {"code": "guard.invalid_input", "message": "m", "data": {"issues": []}, "details": "d", "newField": [1]}
    parsed = RequestErrorBody.from_dict(body)
    assert parsed.to_dict() == body
    assert RequestErrorBody.from_json(parsed.to_json()) == parsed


def test_request_models_refuse_unknown_fields_but_webauthn_payload_passes_extras_through() -> None:
    with pytest.raises(py_logto.ApiValueError, match="passwrd"):
        CreateVerificationByPasswordRequest(password="pw", passwrd="x")
    browser_json = {
        "id": "abc",
        "rawId": "abc",
        "response": {
            "clientDataJSON": "e30",
            "attestationObject": "oA",
            "transports": ["hybrid", "internal"],
            "publicKeyAlgorithm": -7,
        },
        "authenticatorAttachment": "cross-platform",
        "clientExtensionResults": {"credProps": {"rk": True}, "crepProps": {"rk": True}},
    }
    payload = BindWebAuthnPayload.from_dict(browser_json)
    assert payload.type == "WebAuthn"
    assert payload.response.transports == [WebAuthnTransport.HYBRID, WebAuthnTransport.INTERNAL]
    assert payload.to_dict() == {"type": "WebAuthn", **browser_json}
    with pytest.raises(py_logto.ApiValueError, match="transports"):
        BindWebAuthnPayload.from_dict({**browser_json, "response": {**browser_json["response"], "transports": ["x"]}})
    with pytest.raises(py_logto.ApiValueError, match="type"):
        BindWebAuthnPayload.from_dict({**browser_json, "type": "public-key"})


def test_to_str_is_readable() -> None:
    text = CreateVerificationBySocialRequest(connector_id="c", state="s", redirect_uri="https://x/cb").to_str()
    assert "'connectorId': 'c'" in text
