"""py_logto: a typed Python client for Logto's Verifications API.

Quick start::

    import py_logto

    configuration = py_logto.Configuration(host="https://your-tenant.logto.app")
    configuration.access_token = user_access_token
    with py_logto.ApiClient(configuration) as api_client:
        api = py_logto.VerificationsApi(api_client)
        record = api.create_verification_by_password(
            py_logto.CreateVerificationByPasswordRequest(password=password)
        )

See the README for errors, timeouts, retries and the test sandbox.
"""

from py_logto._version import __version__
from py_logto.api.verifications_api import VerificationsApi
from py_logto.api_client import ApiClient, RequestOptions
from py_logto.api_response import ApiResponse
from py_logto.configuration import Configuration
from py_logto.exceptions import (
    ApiAttributeError,
    ApiConnectionError,
    ApiException,
    ApiKeyError,
    ApiResponseValidationError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    BadRequestException,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    OpenApiException,
    ServiceException,
    TooManyRequestsException,
    UnauthorizedException,
    UnprocessableEntityException,
)
from py_logto.models import (
    BindWebAuthnPayload,
    BindWebAuthnPayloadClientExtensionResults,
    BindWebAuthnPayloadClientExtensionResultsCrepProps,
    BindWebAuthnPayloadResponse,
    CreateVerificationByPassword201Response,
    CreateVerificationByPasswordRequest,
    CreateVerificationBySocial201Response,
    CreateVerificationBySocialRequest,
    CreateVerificationByVerificationCodeRequest,
    EmailVerificationCodeIdentifier,
    GenerateWebAuthnRegistrationOptions200Response,
    PhoneVerificationCodeIdentifier,
    RequestErrorBody,
    VerificationCodeIdentifier,
    VerificationCodeIdentifierInput,
    VerifyVerificationBySocialRequest,
    VerifyVerificationByVerificationCode200Response,
    VerifyVerificationCodeVerificationRequest,
    VerifyWebAuthnRegistrationRequest,
    WebAuthnRegistrationOptions,
    WebAuthnRegistrationOptionsAuthenticatorSelection,
    WebAuthnRegistrationOptionsExcludeCredentialsInner,
    WebAuthnRegistrationOptionsExtensions,
    WebAuthnRegistrationOptionsPubKeyCredParamsInner,
    WebAuthnRegistrationOptionsRp,
    WebAuthnRegistrationOptionsUser,
    WebAuthnTransport,
)

__all__ = [
    "__version__",
    "VerificationsApi",
    "ApiClient",
    "RequestOptions",
    "ApiResponse",
    "Configuration",
    "OpenApiException",
    "ApiTypeError",
    "ApiValueError",
    "ApiAttributeError",
    "ApiKeyError",
    "ApiConnectionError",
    "ApiTimeoutError",
    "ApiResponseValidationError",
    "ApiException",
    "BadRequestException",
    "UnauthorizedException",
    "ForbiddenException",
    "NotFoundException",
    "ConflictException",
    "UnprocessableEntityException",
    "TooManyRequestsException",
    "ServiceException",
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
