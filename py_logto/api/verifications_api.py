"""The Verifications API: prove who the signed-in user is before a sensitive change.

Each operation is described once, as data (:class:`~py_logto._operation.Operation`);
each public method is its signature, its documentation and one call into the
:class:`~py_logto.ApiClient` engine.
"""

from __future__ import annotations

from typing import Optional

import urllib3
from typing_extensions import Unpack

from py_logto import models
from py_logto._operation import Operation
from py_logto.api_client import ApiClient, RequestOptions
from py_logto.api_response import ApiResponse

__all__ = ["VerificationsApi"]

_AUTH_ERRORS = (401, 403)

_CREATE_VERIFICATION_BY_PASSWORD = Operation(
    operation_id="CreateVerificationByPassword",
    method="POST",
    path="/api/verifications/password",
    body_param="create_verification_by_password_request",
    success_status=201,
    error_statuses=(400, *_AUTH_ERRORS, 422),
    load_models=lambda: (models.CreateVerificationByPasswordRequest, models.CreateVerificationByPassword201Response),
)
_CREATE_VERIFICATION_BY_VERIFICATION_CODE = Operation(
    operation_id="CreateVerificationByVerificationCode",
    method="POST",
    path="/api/verifications/verification-code",
    body_param="create_verification_by_verification_code_request",
    success_status=201,
    error_statuses=(400, *_AUTH_ERRORS, 422, 429, 501),
    load_models=lambda: (
        models.CreateVerificationByVerificationCodeRequest,
        models.CreateVerificationByPassword201Response,
    ),
)
_VERIFY_VERIFICATION_BY_VERIFICATION_CODE = Operation(
    operation_id="VerifyVerificationByVerificationCode",
    method="POST",
    path="/api/verifications/verification-code/verify",
    body_param="verify_verification_code_verification_request",
    success_status=200,
    error_statuses=(400, *_AUTH_ERRORS, 501),
    load_models=lambda: (
        models.VerifyVerificationCodeVerificationRequest,
        models.VerifyVerificationByVerificationCode200Response,
    ),
)
_CREATE_VERIFICATION_BY_SOCIAL = Operation(
    operation_id="CreateVerificationBySocial",
    method="POST",
    path="/api/verifications/social",
    body_param="create_verification_by_social_request",
    success_status=201,
    error_statuses=(400, *_AUTH_ERRORS, 404, 422),
    load_models=lambda: (models.CreateVerificationBySocialRequest, models.CreateVerificationBySocial201Response),
)
_VERIFY_VERIFICATION_BY_SOCIAL = Operation(
    operation_id="VerifyVerificationBySocial",
    method="POST",
    path="/api/verifications/social/verify",
    body_param="verify_verification_by_social_request",
    success_status=200,
    error_statuses=(400, *_AUTH_ERRORS, 404, 422),
    load_models=lambda: (
        models.VerifyVerificationBySocialRequest,
        models.VerifyVerificationByVerificationCode200Response,
    ),
)
_GENERATE_WEB_AUTHN_REGISTRATION_OPTIONS = Operation(
    operation_id="GenerateWebAuthnRegistrationOptions",
    method="POST",
    path="/api/verifications/web-authn/registration",
    body_param=None,
    success_status=200,
    error_statuses=(400, *_AUTH_ERRORS),
    load_models=lambda: (None, models.GenerateWebAuthnRegistrationOptions200Response),
)
_VERIFY_WEB_AUTHN_REGISTRATION = Operation(
    operation_id="VerifyWebAuthnRegistration",
    method="POST",
    path="/api/verifications/web-authn/registration/verify",
    body_param="verify_web_authn_registration_request",
    success_status=200,
    error_statuses=(400, *_AUTH_ERRORS, 404),
    load_models=lambda: (
        models.VerifyWebAuthnRegistrationRequest,
        models.VerifyVerificationByVerificationCode200Response,
    ),
)

#: Every operation of this API, keyed by operationId.
_OPERATIONS = {
    op.operation_id: op
    for op in (
        _CREATE_VERIFICATION_BY_PASSWORD,
        _CREATE_VERIFICATION_BY_VERIFICATION_CODE,
        _VERIFY_VERIFICATION_BY_VERIFICATION_CODE,
        _CREATE_VERIFICATION_BY_SOCIAL,
        _VERIFY_VERIFICATION_BY_SOCIAL,
        _GENERATE_WEB_AUTHN_REGISTRATION_OPTIONS,
        _VERIFY_WEB_AUTHN_REGISTRATION,
    )
}


class VerificationsApi:
    """Create and verify verification records (password, one-time code, social,
    WebAuthn). A verified record's id unlocks sensitive Account API changes.

    Every method takes the keyword options of :class:`~py_logto.RequestOptions`
    (``_request_timeout``, ``_request_auth``, ``_content_type``, ``_headers``) and
    raises :class:`~py_logto.exceptions.OpenApiException` subclasses: see the README's
    "Handling errors". Each operation also has ``*_with_http_info`` (status, headers
    and raw body too) and ``*_without_preload_content`` (urllib3's response, body
    unread, any status) variants.

    Args:
        api_client: the client to send through; defaults to ``ApiClient.get_default()``.
    """

    def __init__(self, api_client: Optional[ApiClient] = None) -> None:
        self.api_client = api_client if api_client is not None else ApiClient.get_default()

    # -- password -------------------------------------------------------------------

    def create_verification_by_password(
        self,
        create_verification_by_password_request: models.CreateVerificationByPasswordRequest,
        **options: Unpack[RequestOptions],
    ) -> models.CreateVerificationByPassword201Response:
        """Create a record by password.

        Create a verification record by verifying the password.

        Args:
            create_verification_by_password_request: the user's password.
            **options: see :class:`~py_logto.RequestOptions`.

        Returns:
            The new record's id and expiry (10 minutes).

        Raises:
            BadRequestException: 400, invalid body, or ``session.verification_blocked_too_many_attempts``.
            UnauthorizedException: 401, the access token is missing, invalid or revoked.
            ForbiddenException: 403, the token belongs to a third-party application.
            UnprocessableEntityException: 422 ``session.invalid_credentials``, wrong password.
        """
        return self.api_client.call(
            _CREATE_VERIFICATION_BY_PASSWORD, create_verification_by_password_request, options
        ).data

    def create_verification_by_password_with_http_info(
        self,
        create_verification_by_password_request: models.CreateVerificationByPasswordRequest,
        **options: Unpack[RequestOptions],
    ) -> ApiResponse[models.CreateVerificationByPassword201Response]:
        """Like :meth:`create_verification_by_password`, with the status, headers and raw body."""
        return self.api_client.call(_CREATE_VERIFICATION_BY_PASSWORD, create_verification_by_password_request, options)

    def create_verification_by_password_without_preload_content(
        self,
        create_verification_by_password_request: models.CreateVerificationByPasswordRequest,
        **options: Unpack[RequestOptions],
    ) -> urllib3.BaseHTTPResponse:
        """Like :meth:`create_verification_by_password`, returning urllib3's response unread."""
        return self.api_client.call_without_preload_content(
            _CREATE_VERIFICATION_BY_PASSWORD, create_verification_by_password_request, options
        )

    # -- social ---------------------------------------------------------------------

    def create_verification_by_social(
        self,
        create_verification_by_social_request: models.CreateVerificationBySocialRequest,
        **options: Unpack[RequestOptions],
    ) -> models.CreateVerificationBySocial201Response:
        """Create a social verification record.

        Create a social verification record and return the authorization URI.

        Args:
            create_verification_by_social_request: the connector, state and redirect URI.
            **options: see :class:`~py_logto.RequestOptions`.

        Returns:
            The record id, the provider's authorization URI and the expiry.

        Raises:
            BadRequestException: 400, invalid body, or ``connector.unexpected_type`` (not a social connector).
            UnauthorizedException: 401, the access token is missing, invalid or revoked.
            ForbiddenException: 403, the token lacks the ``openid`` scope.
            NotFoundException: 404, as documented for an unknown connector.
            UnprocessableEntityException: 422 ``session.invalid_connector_id`` (what Logto sends
                for an unknown connector).
        """
        return self.api_client.call(_CREATE_VERIFICATION_BY_SOCIAL, create_verification_by_social_request, options).data

    def create_verification_by_social_with_http_info(
        self,
        create_verification_by_social_request: models.CreateVerificationBySocialRequest,
        **options: Unpack[RequestOptions],
    ) -> ApiResponse[models.CreateVerificationBySocial201Response]:
        """Like :meth:`create_verification_by_social`, with the status, headers and raw body."""
        return self.api_client.call(_CREATE_VERIFICATION_BY_SOCIAL, create_verification_by_social_request, options)

    def create_verification_by_social_without_preload_content(
        self,
        create_verification_by_social_request: models.CreateVerificationBySocialRequest,
        **options: Unpack[RequestOptions],
    ) -> urllib3.BaseHTTPResponse:
        """Like :meth:`create_verification_by_social`, returning urllib3's response unread."""
        return self.api_client.call_without_preload_content(
            _CREATE_VERIFICATION_BY_SOCIAL, create_verification_by_social_request, options
        )

    def verify_verification_by_social(
        self,
        verify_verification_by_social_request: models.VerifyVerificationBySocialRequest,
        **options: Unpack[RequestOptions],
    ) -> models.VerifyVerificationByVerificationCode200Response:
        """Verify a social verification record.

        Verify a social verification record by callback connector data, and save the
        user information to the record.

        Args:
            verify_verification_by_social_request: the record id and the provider's callback data.
            **options: see :class:`~py_logto.RequestOptions`.

        Returns:
            The verified record's id.

        Raises:
            BadRequestException: 400, invalid body, ``verification_record.not_found`` or
                ``connector.invalid_response``.
            UnauthorizedException: 401, the access token is missing, invalid or revoked.
            ForbiddenException: 403, the token lacks the ``openid`` scope.
            NotFoundException: 404.
            UnprocessableEntityException: 422.
        """
        return self.api_client.call(_VERIFY_VERIFICATION_BY_SOCIAL, verify_verification_by_social_request, options).data

    def verify_verification_by_social_with_http_info(
        self,
        verify_verification_by_social_request: models.VerifyVerificationBySocialRequest,
        **options: Unpack[RequestOptions],
    ) -> ApiResponse[models.VerifyVerificationByVerificationCode200Response]:
        """Like :meth:`verify_verification_by_social`, with the status, headers and raw body."""
        return self.api_client.call(_VERIFY_VERIFICATION_BY_SOCIAL, verify_verification_by_social_request, options)

    def verify_verification_by_social_without_preload_content(
        self,
        verify_verification_by_social_request: models.VerifyVerificationBySocialRequest,
        **options: Unpack[RequestOptions],
    ) -> urllib3.BaseHTTPResponse:
        """Like :meth:`verify_verification_by_social`, returning urllib3's response unread."""
        return self.api_client.call_without_preload_content(
            _VERIFY_VERIFICATION_BY_SOCIAL, verify_verification_by_social_request, options
        )

    # -- verification code ----------------------------------------------------------

    def create_verification_by_verification_code(
        self,
        create_verification_by_verification_code_request: models.CreateVerificationByVerificationCodeRequest,
        **options: Unpack[RequestOptions],
    ) -> models.CreateVerificationByPassword201Response:
        """Create a record by verification code.

        Create a verification record and send the code to the specified identifier.
        The code verification can be used to verify the given identifier.

        Not retried automatically: re-sending texts or emails the user again and counts
        against Logto's limit of 10 codes per recipient per 10 minutes.

        Args:
            create_verification_by_verification_code_request: the email or phone to send the code to.
            **options: see :class:`~py_logto.RequestOptions`.

        Returns:
            The new record's id and expiry; pass the id as ``verification_id`` when verifying.

        Raises:
            BadRequestException: 400, invalid body.
            UnauthorizedException: 401, the access token is missing, invalid or revoked.
            ForbiddenException: 403, the token belongs to a third-party application.
            UnprocessableEntityException: 422, the email is blocked by the blocklist policy.
            TooManyRequestsException: 429 ``request.message_rate_limited``.
            ServiceException: 501 ``connector.not_found``, no email/SMS connector configured.
        """
        return self.api_client.call(
            _CREATE_VERIFICATION_BY_VERIFICATION_CODE, create_verification_by_verification_code_request, options
        ).data

    def create_verification_by_verification_code_with_http_info(
        self,
        create_verification_by_verification_code_request: models.CreateVerificationByVerificationCodeRequest,
        **options: Unpack[RequestOptions],
    ) -> ApiResponse[models.CreateVerificationByPassword201Response]:
        """Like :meth:`create_verification_by_verification_code`, with the status, headers and raw body."""
        return self.api_client.call(
            _CREATE_VERIFICATION_BY_VERIFICATION_CODE, create_verification_by_verification_code_request, options
        )

    def create_verification_by_verification_code_without_preload_content(
        self,
        create_verification_by_verification_code_request: models.CreateVerificationByVerificationCodeRequest,
        **options: Unpack[RequestOptions],
    ) -> urllib3.BaseHTTPResponse:
        """Like :meth:`create_verification_by_verification_code`, returning urllib3's response unread."""
        return self.api_client.call_without_preload_content(
            _CREATE_VERIFICATION_BY_VERIFICATION_CODE, create_verification_by_verification_code_request, options
        )

    def verify_verification_by_verification_code(
        self,
        verify_verification_code_verification_request: models.VerifyVerificationCodeVerificationRequest,
        **options: Unpack[RequestOptions],
    ) -> models.VerifyVerificationByVerificationCode200Response:
        """Verify verification code.

        Verify the provided verification code against the identifier. If successful,
        the verification record will be marked as verified.

        Args:
            verify_verification_code_verification_request: the identifier, the record id
                (``verification_id``) and the code.
            **options: see :class:`~py_logto.RequestOptions`.

        Returns:
            The verified record's id.

        Raises:
            BadRequestException: 400: ``verification_code.code_mismatch``, ``.exceed_max_try``,
                ``.expired``, ``.not_found``, ``verification_record.not_found`` or an invalid body.
            UnauthorizedException: 401, the access token is missing, invalid or revoked.
            ForbiddenException: 403, the token belongs to a third-party application.
            ServiceException: 501, no email/SMS connector configured.
        """
        return self.api_client.call(
            _VERIFY_VERIFICATION_BY_VERIFICATION_CODE, verify_verification_code_verification_request, options
        ).data

    def verify_verification_by_verification_code_with_http_info(
        self,
        verify_verification_code_verification_request: models.VerifyVerificationCodeVerificationRequest,
        **options: Unpack[RequestOptions],
    ) -> ApiResponse[models.VerifyVerificationByVerificationCode200Response]:
        """Like :meth:`verify_verification_by_verification_code`, with the status, headers and raw body."""
        return self.api_client.call(
            _VERIFY_VERIFICATION_BY_VERIFICATION_CODE, verify_verification_code_verification_request, options
        )

    def verify_verification_by_verification_code_without_preload_content(
        self,
        verify_verification_code_verification_request: models.VerifyVerificationCodeVerificationRequest,
        **options: Unpack[RequestOptions],
    ) -> urllib3.BaseHTTPResponse:
        """Like :meth:`verify_verification_by_verification_code`, returning urllib3's response unread."""
        return self.api_client.call_without_preload_content(
            _VERIFY_VERIFICATION_BY_VERIFICATION_CODE, verify_verification_code_verification_request, options
        )

    # -- WebAuthn -------------------------------------------------------------------

    def generate_web_authn_registration_options(
        self, **options: Unpack[RequestOptions]
    ) -> models.GenerateWebAuthnRegistrationOptions200Response:
        """Generate WebAuthn registration options.

        Create a WebAuthn verification record and the options to pass to the browser's
        ``navigator.credentials.create()``. Logto uses the request's host name as the
        relying party id.

        Args:
            **options: see :class:`~py_logto.RequestOptions`.

        Returns:
            The record id, the registration options and the expiry.

        Raises:
            UnauthorizedException: 401, the access token is missing, invalid or revoked.
            ForbiddenException: 403, the token belongs to a third-party application.
        """
        return self.api_client.call(_GENERATE_WEB_AUTHN_REGISTRATION_OPTIONS, None, options).data

    def generate_web_authn_registration_options_with_http_info(
        self, **options: Unpack[RequestOptions]
    ) -> ApiResponse[models.GenerateWebAuthnRegistrationOptions200Response]:
        """Like :meth:`generate_web_authn_registration_options`, with the status, headers and raw body."""
        return self.api_client.call(_GENERATE_WEB_AUTHN_REGISTRATION_OPTIONS, None, options)

    def generate_web_authn_registration_options_without_preload_content(
        self, **options: Unpack[RequestOptions]
    ) -> urllib3.BaseHTTPResponse:
        """Like :meth:`generate_web_authn_registration_options`, returning urllib3's response unread."""
        return self.api_client.call_without_preload_content(_GENERATE_WEB_AUTHN_REGISTRATION_OPTIONS, None, options)

    def verify_web_authn_registration(
        self,
        verify_web_authn_registration_request: models.VerifyWebAuthnRegistrationRequest,
        **options: Unpack[RequestOptions],
    ) -> models.VerifyVerificationByVerificationCode200Response:
        """Verify a WebAuthn registration.

        Verify the credential the browser created against the record's registration
        options. Logto checks the credential's origin against the request's ``Origin``
        header, so pass it: ``_headers={"Origin": "https://your.app"}``.

        Args:
            verify_web_authn_registration_request: the record id and the browser's credential.
            **options: see :class:`~py_logto.RequestOptions`.

        Returns:
            The verified record's id.

        Raises:
            BadRequestException: 400: ``session.mfa.webauthn_verification_failed``,
                ``verification_record.not_found`` or an invalid body.
            UnauthorizedException: 401, the access token is missing, invalid or revoked.
            ForbiddenException: 403, the token belongs to a third-party application.
            NotFoundException: 404.
        """
        return self.api_client.call(_VERIFY_WEB_AUTHN_REGISTRATION, verify_web_authn_registration_request, options).data

    def verify_web_authn_registration_with_http_info(
        self,
        verify_web_authn_registration_request: models.VerifyWebAuthnRegistrationRequest,
        **options: Unpack[RequestOptions],
    ) -> ApiResponse[models.VerifyVerificationByVerificationCode200Response]:
        """Like :meth:`verify_web_authn_registration`, with the status, headers and raw body."""
        return self.api_client.call(_VERIFY_WEB_AUTHN_REGISTRATION, verify_web_authn_registration_request, options)

    def verify_web_authn_registration_without_preload_content(
        self,
        verify_web_authn_registration_request: models.VerifyWebAuthnRegistrationRequest,
        **options: Unpack[RequestOptions],
    ) -> urllib3.BaseHTTPResponse:
        """Like :meth:`verify_web_authn_registration`, returning urllib3's response unread."""
        return self.api_client.call_without_preload_content(
            _VERIFY_WEB_AUTHN_REGISTRATION, verify_web_authn_registration_request, options
        )
