"""A new social verification record and the URI to send the user to."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from py_logto.models._base import ResponseModel
from py_logto.models._timestamps import parse_timestamp

__all__ = ["CreateVerificationBySocial201Response"]


class CreateVerificationBySocial201Response(ResponseModel):
    """Returned by ``create_verification_by_social``.

    Attributes:
        verification_record_id: pass it to ``verify_verification_by_social``.
        authorization_uri: send the user's browser here to sign in with the provider.
        expires_at: when the record expires (ISO 8601); see :attr:`expires_at_datetime`.
    """

    verification_record_id: str = Field(description="The ID of the verification record.")
    authorization_uri: str = Field(description="The authorization URI of the social identity provider.")
    expires_at: str = Field(description="The expiration date and time of the verification record.")

    @property
    def expires_at_datetime(self) -> datetime:
        """``expires_at`` as a timezone-aware ``datetime``."""
        return parse_timestamp(self.expires_at)
