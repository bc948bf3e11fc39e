"""A new verification record and when it expires."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from py_logto.models._base import ResponseModel
from py_logto.models._timestamps import parse_timestamp

__all__ = ["CreateVerificationByPassword201Response"]


class CreateVerificationByPassword201Response(ResponseModel):
    """Returned by ``create_verification_by_password`` and ``create_verification_by_verification_code``.

    Attributes:
        verification_record_id: the id to pass to the next call (and to the Account API).
        expires_at: when the record expires, as Logto sends it (ISO 8601, e.g.
            ``2026-11-25T11:44:51.555Z``); :attr:`expires_at_datetime` parses it.
    """

    verification_record_id: str = Field(description="The ID of the verification record.")
    expires_at: str = Field(description="The expiration date and time of the verification record (ISO 8601 string).")

    @property
    def expires_at_datetime(self) -> datetime:
        """``expires_at`` as a timezone-aware ``datetime``."""
        return parse_timestamp(self.expires_at)
