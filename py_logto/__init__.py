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

import importlib
from typing import TYPE_CHECKING, Any, List

from py_logto._version import __version__

if TYPE_CHECKING:
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

# Public names are imported from their modules on first use, so ``import py_logto``
# is nearly free and a program loads only what it uses. Models are found through
# py_logto.models, which loads each model module the same way.
_HOMES = {
    "VerificationsApi": "py_logto.api.verifications_api",
    "ApiClient": "py_logto.api_client",
    "RequestOptions": "py_logto.api_client",
    "ApiResponse": "py_logto.api_response",
    "Configuration": "py_logto.configuration",
    "ApiAttributeError": "py_logto.exceptions",
    "ApiConnectionError": "py_logto.exceptions",
    "ApiException": "py_logto.exceptions",
    "ApiKeyError": "py_logto.exceptions",
    "ApiResponseValidationError": "py_logto.exceptions",
    "ApiTimeoutError": "py_logto.exceptions",
    "ApiTypeError": "py_logto.exceptions",
    "ApiValueError": "py_logto.exceptions",
    "BadRequestException": "py_logto.exceptions",
    "ConflictException": "py_logto.exceptions",
    "ForbiddenException": "py_logto.exceptions",
    "NotFoundException": "py_logto.exceptions",
    "OpenApiException": "py_logto.exceptions",
    "ServiceException": "py_logto.exceptions",
    "TooManyRequestsException": "py_logto.exceptions",
    "UnauthorizedException": "py_logto.exceptions",
    "UnprocessableEntityException": "py_logto.exceptions",
}
_SUBMODULES = frozenset({"api", "api_client", "api_response", "configuration", "exceptions", "models", "rest"})


def _load(name: str) -> Any:
    """Import ``name`` from its module on first use (the module's ``__getattr__``)."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    home = _HOMES.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home), name)
    elif name in __all__:
        value = getattr(importlib.import_module(f"{__name__}.models"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


if not TYPE_CHECKING:
    # Hidden from type checkers, which see the imports above instead: a misspelt
    # name must stay an error there rather than become ``Any``.
    __getattr__ = _load


def __dir__() -> List[str]:
    return sorted({*globals(), *__all__, *_SUBMODULES})
