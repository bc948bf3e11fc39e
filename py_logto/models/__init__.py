"""Request and response models, one per module (module names as in the generated client)."""

import importlib
from typing import TYPE_CHECKING, Any, List

if TYPE_CHECKING:
    from py_logto.models.bind_web_authn_payload import BindWebAuthnPayload
    from py_logto.models.bind_web_authn_payload_client_extension_results import (
        BindWebAuthnPayloadClientExtensionResults,
    )
    from py_logto.models.bind_web_authn_payload_client_extension_results_crep_props import (
        BindWebAuthnPayloadClientExtensionResultsCrepProps,
    )
    from py_logto.models.bind_web_authn_payload_response import BindWebAuthnPayloadResponse
    from py_logto.models.create_verification_by_password201_response import CreateVerificationByPassword201Response
    from py_logto.models.create_verification_by_password_request import CreateVerificationByPasswordRequest
    from py_logto.models.create_verification_by_social201_response import CreateVerificationBySocial201Response
    from py_logto.models.create_verification_by_social_request import CreateVerificationBySocialRequest
    from py_logto.models.create_verification_by_verification_code_request import (
        CreateVerificationByVerificationCodeRequest,
    )
    from py_logto.models.email_verification_code_identifier import EmailVerificationCodeIdentifier
    from py_logto.models.generate_web_authn_registration_options200_response import (
        GenerateWebAuthnRegistrationOptions200Response,
    )
    from py_logto.models.phone_verification_code_identifier import PhoneVerificationCodeIdentifier
    from py_logto.models.request_error_body import RequestErrorBody
    from py_logto.models.verification_code_identifier import VerificationCodeIdentifier, VerificationCodeIdentifierInput
    from py_logto.models.verify_verification_by_social_request import VerifyVerificationBySocialRequest
    from py_logto.models.verify_verification_by_verification_code200_response import (
        VerifyVerificationByVerificationCode200Response,
    )
    from py_logto.models.verify_verification_code_verification_request import VerifyVerificationCodeVerificationRequest
    from py_logto.models.verify_web_authn_registration_request import VerifyWebAuthnRegistrationRequest
    from py_logto.models.web_authn_registration_options import WebAuthnRegistrationOptions
    from py_logto.models.web_authn_registration_options_authenticator_selection import (
        WebAuthnRegistrationOptionsAuthenticatorSelection,
    )
    from py_logto.models.web_authn_registration_options_exclude_credentials_inner import (
        WebAuthnRegistrationOptionsExcludeCredentialsInner,
    )
    from py_logto.models.web_authn_registration_options_extensions import WebAuthnRegistrationOptionsExtensions
    from py_logto.models.web_authn_registration_options_pub_key_cred_params_inner import (
        WebAuthnRegistrationOptionsPubKeyCredParamsInner,
    )
    from py_logto.models.web_authn_registration_options_rp import WebAuthnRegistrationOptionsRp
    from py_logto.models.web_authn_registration_options_user import WebAuthnRegistrationOptionsUser
    from py_logto.models.web_authn_transport import WebAuthnTransport

__all__ = [
    "BindWebAuthnPayload",
    "BindWebAuthnPayloadClientExtensionResults",
    "BindWebAuthnPayloadClientExtensionResultsCrepProps",
    "BindWebAuthnPayloadResponse",
    "CreateVerificationByPassword201Response",
    "CreateVerificationByPasswordRequest",
    "CreateVerificationBySocial201Response",
    "CreateVerificationBySocialRequest",
    "CreateVerificationByVerificationCodeRequest",
    "EmailVerificationCodeIdentifier",
    "GenerateWebAuthnRegistrationOptions200Response",
    "PhoneVerificationCodeIdentifier",
    "RequestErrorBody",
    "VerificationCodeIdentifier",
    "VerificationCodeIdentifierInput",
    "VerifyVerificationBySocialRequest",
    "VerifyVerificationByVerificationCode200Response",
    "VerifyVerificationCodeVerificationRequest",
    "VerifyWebAuthnRegistrationRequest",
    "WebAuthnRegistrationOptions",
    "WebAuthnRegistrationOptionsAuthenticatorSelection",
    "WebAuthnRegistrationOptionsExcludeCredentialsInner",
    "WebAuthnRegistrationOptionsExtensions",
    "WebAuthnRegistrationOptionsPubKeyCredParamsInner",
    "WebAuthnRegistrationOptionsRp",
    "WebAuthnRegistrationOptionsUser",
    "WebAuthnTransport",
]

# Each model's module (below this package) is imported when the model is first
# used: a program that calls one operation never builds the others' models.
_MODULES = {
    "BindWebAuthnPayload": "bind_web_authn_payload",
    "BindWebAuthnPayloadClientExtensionResults": "bind_web_authn_payload_client_extension_results",
    "BindWebAuthnPayloadClientExtensionResultsCrepProps": "bind_web_authn_payload_client_extension_results_crep_props",
    "BindWebAuthnPayloadResponse": "bind_web_authn_payload_response",
    "CreateVerificationByPassword201Response": "create_verification_by_password201_response",
    "CreateVerificationByPasswordRequest": "create_verification_by_password_request",
    "CreateVerificationBySocial201Response": "create_verification_by_social201_response",
    "CreateVerificationBySocialRequest": "create_verification_by_social_request",
    "CreateVerificationByVerificationCodeRequest": "create_verification_by_verification_code_request",
    "EmailVerificationCodeIdentifier": "email_verification_code_identifier",
    "GenerateWebAuthnRegistrationOptions200Response": "generate_web_authn_registration_options200_response",
    "PhoneVerificationCodeIdentifier": "phone_verification_code_identifier",
    "RequestErrorBody": "request_error_body",
    "VerificationCodeIdentifier": "verification_code_identifier",
    "VerificationCodeIdentifierInput": "verification_code_identifier",
    "VerifyVerificationBySocialRequest": "verify_verification_by_social_request",
    "VerifyVerificationByVerificationCode200Response": "verify_verification_by_verification_code200_response",
    "VerifyVerificationCodeVerificationRequest": "verify_verification_code_verification_request",
    "VerifyWebAuthnRegistrationRequest": "verify_web_authn_registration_request",
    "WebAuthnRegistrationOptions": "web_authn_registration_options",
    "WebAuthnRegistrationOptionsAuthenticatorSelection": "web_authn_registration_options_authenticator_selection",
    "WebAuthnRegistrationOptionsExcludeCredentialsInner": "web_authn_registration_options_exclude_credentials_inner",
    "WebAuthnRegistrationOptionsExtensions": "web_authn_registration_options_extensions",
    "WebAuthnRegistrationOptionsPubKeyCredParamsInner": "web_authn_registration_options_pub_key_cred_params_inner",
    "WebAuthnRegistrationOptionsRp": "web_authn_registration_options_rp",
    "WebAuthnRegistrationOptionsUser": "web_authn_registration_options_user",
    "WebAuthnTransport": "web_authn_transport",
}


def _load(name: str) -> Any:
    """Import ``name`` from its module on first use (the module's ``__getattr__``)."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


if not TYPE_CHECKING:
    # Hidden from type checkers, which see the imports above instead: a misspelt
    # name must stay an error there rather than become ``Any``.
    __getattr__ = _load


def __dir__() -> List[str]:
    return sorted({*globals(), *__all__})
