"""Request body of ``create_verification_by_verification_code``."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from py_logto.models._base import RequestModel
from py_logto.models.verification_code_identifier import VerificationCodeIdentifierInput

__all__ = ["CreateVerificationByVerificationCodeRequest"]


class CreateVerificationByVerificationCodeRequest(RequestModel):
    """Where to send a one-time code.

    Attributes:
        identifier: an :class:`EmailVerificationCodeIdentifier`, a
            :class:`PhoneVerificationCodeIdentifier`, a :class:`VerificationCodeIdentifier`
            or a dict such as ``{"type": "email", "value": "jane@example.com"}``.
        template_type: ``"BindMfa"`` or ``"UserPermissionValidation"`` to override the
            message template (a new identifier always uses ``BindNewIdentifier``).
    """

    identifier: VerificationCodeIdentifierInput
    template_type: Optional[Literal["BindMfa", "UserPermissionValidation"]] = Field(
        default=None,
        description="Optional override for the template type used to send the verification code.",
    )
