"""Logto's ``RequestError``: an error code, a status and the English message of that code.

The status belongs to the place that raises the error, not to the code: Logto raises the same
code with different statuses on different routes (``auth.unauthorized`` is 400, 401 or 403), and a
code raised without one is a 400. Messages are Logto 1.42's English phrases.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

__all__ = ["LogtoError"]

_PHRASES: Dict[str, str] = {
    "account_center.field_not_editable": "Field is not editable.",
    "account_center.field_not_enabled": "Field is not enabled.",
    "account_center.not_enabled": "Account center is not enabled.",
    "auth.authorization_header_missing": "Authorization header is missing.",
    "auth.authorization_token_type_not_supported": "Authorization type is not supported.",
    "auth.forbidden": "Forbidden. Please check your user roles and permissions.",
    "auth.third_party_application_forbidden": "Third-party applications cannot modify account data through this API.",
    "auth.unauthorized": "Unauthorized. Please check credentials and its scope.",
    "connector.invalid_response": "The connector's response is invalid.",
    "connector.not_found": "Cannot find any available connector for type: {type}.",
    "connector.token_storage_not_supported": "This connector does not support token storage. ",
    "connector.unexpected_type": "The connector's type is unexpected.",
    "entity.invalid_input": "Invalid input. Value list must not be empty.",
    "entity.value_too_long": "The length of value is too long and exceeds the limit.",
    "guard.file_size_exceeded": "File size exceeded.",
    "guard.invalid_input": "The request {type} is invalid.",
    "guard.mime_type_not_allowed": "MIME type is not allowed.",
    "oidc.invalid_grant": "Grant request is invalid.",
    "oidc.invalid_session_account_id": "Session accountId mismatch.",
    "oidc.session_not_found": "Session not found.",
    "password.rejected": "Password rejected. Please check if your password meets the requirements.",
    "request.message_rate_limited": "Too many messages sent to this recipient. Please try again later.",
    "secrets.third_party_token_set.access_token_expired": "The access token has expired. Please reconnect your account.",
    "secrets.third_party_token_set.token_not_found": "Token record not found.",
    "session.connector_validation_session_not_found": "The connector session for token validation is not found.",
    "session.insufficient_info": "Insufficient sign-in info.",
    "session.invalid_connector_id": "Unable to find available connector with id {connectorId}.",
    "session.invalid_credentials": "Incorrect account or password. Please check your input.",
    "session.mfa.backup_code_can_not_be_alone": "Backup code can not be the only MFA.",
    "session.mfa.invalid_totp_code": "Invalid TOTP code.",
    "session.mfa.mfa_factor_not_enabled": "MFA factor is not enabled.",
    "session.mfa.webauthn_verification_failed": "WebAuthn verification failed.",
    "session.verification_blocked_too_many_attempts": "Too many attempts in a short time. Please try again {relativeTime}.",
    "storage.not_configured": "Storage provider is not configured.",
    "user.backup_code_already_in_use": "Backup code is already in use.",
    "user.email_already_in_use": "This email is associated with an existing account.",
    "user.identity_already_in_use": "The social account has been associated with an existing account.",
    "user.identity_not_exist": "The social account has not been registered yet.",
    "user.identity_not_exists_in_current_user": (
        "The specified identity does not exist in the current user account. Please link the identity before proceeding."
    ),
    "user.invalid_phone": "Invalid phone number.",
    "user.last_sign_in_method_required": "You need to keep at least one identifier in your account.",
    "user.phone_already_in_use": "This phone number is associated with an existing account.",
    "user.same_password": "New password cannot be the same as your old password.",
    "user.totp_already_in_use": "TOTP is already in use.",
    "user.totp_secret_invalid": "Invalid TOTP secret supplied.",
    "user.username_already_in_use": "This username is already in use.",
    "user.username_invalid_charset_hard": "Username can only contain letters, numbers, and underscores.",
    "user.username_required": "Username is a required identifier, you can not set it to null.",
    "user.username_starts_with_number": "Username cannot start with a number.",
    "user.username_too_long": "Username is too long.",
    "user.username_too_short": "Username is too short.",
    "user.wrong_backup_code_format": "Backup code format is invalid.",
    "verification_code.code_mismatch": "Invalid verification code.",
    "verification_code.email_mismatch": "Email mismatch. Please request a new verification code.",
    "verification_code.exceed_max_try": (
        "Verification code retries limitation exceeded. Please request a new verification code."
    ),
    "verification_code.expired": "Verification code has expired. Please request a new verification code.",
    "verification_code.not_found": "Verification code not found. Please send verification code first.",
    "verification_code.phone_mismatch": "Phone mismatch. Please request a new verification code.",
    "verification_record.not_found": "Verification record not found.",
    "verification_record.permission_denied": "Permission denied, please re-authenticate.",
    "verification_record.social_verification.invalid_target": (
        "Invalid verification record. Expected {expected} but got {actual}."
    ),
    "verification_record.social_verification.token_response_not_found": (
        "Token response not found. Please check that token storage is supported and enabled for the social connector."
    ),
}


class LogtoError(Exception):
    """Answered as ``{code, data?, details?, message}`` with ``status``."""

    def __init__(
        self, code: str, *, status: int = 400, data: Any = None, details: Optional[str] = None, **params: str
    ) -> None:
        self.status = status
        self.code = code
        self.data = data
        self.details = details
        self.message = _PHRASES[code].format(**params)
        super().__init__(f"{code}: {self.message}")

    def body(self) -> Dict[str, Any]:
        body: Dict[str, Any] = {"code": self.code}
        if self.data is not None:
            body["data"] = self.data
        if self.details is not None:
            body["details"] = self.details
        body["message"] = self.message
        return body


def permission_denied() -> LogtoError:
    """The 401 every route gives when the ``logto-verification-id`` record does not count."""
    return LogtoError("verification_record.permission_denied", status=401)
