"""The id of a verification record that is now verified."""

from __future__ import annotations

from pydantic import Field

from py_logto.models._base import ResponseModel

__all__ = ["VerifyVerificationByVerificationCode200Response"]


class VerifyVerificationByVerificationCode200Response(ResponseModel):
    """Returned by the three ``verify_*`` operations.

    Attributes:
        verification_record_id: the verified record's id, to pass to the Account API.
    """

    verification_record_id: str = Field(description="The ID of the verification record.")
