"""Request body of ``verify_verification_by_verification_code``."""

from __future__ import annotations

from typing import ClassVar, FrozenSet

from pydantic import Field

from py_logto.models._base import RequestModel
from py_logto.models.verification_code_identifier import VerificationCodeIdentifierInput

__all__ = ["VerifyVerificationCodeVerificationRequest"]


class VerifyVerificationCodeVerificationRequest(RequestModel):
    """A code the user received, to check.

    Attributes:
        identifier: the same identifier the code was sent to.
        verification_id: the ``verification_record_id`` returned when the code was sent
            (sent as ``verificationId``).
        code: the code the user typed. Never shown in ``repr``.
    """

    identifier: VerificationCodeIdentifierInput
    verification_id: str = Field(description="The verification ID of the CodeVerification record.")
    code: str = Field(description="The verification code to be verified.")

    _secret_fields: ClassVar[FrozenSet[str]] = frozenset({"code"})
