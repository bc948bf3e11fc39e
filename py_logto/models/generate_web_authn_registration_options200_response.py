"""Registration options for a new passkey."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from py_logto.models._base import ResponseModel
from py_logto.models._timestamps import parse_timestamp
from py_logto.models.web_authn_registration_options import WebAuthnRegistrationOptions

__all__ = ["GenerateWebAuthnRegistrationOptions200Response"]


class GenerateWebAuthnRegistrationOptions200Response(ResponseModel):
    """Returned by ``generate_web_authn_registration_options``.

    Attributes:
        verification_record_id: pass it to ``verify_web_authn_registration``.
        registration_options: hand these to the browser.
        expires_at: when the record expires (ISO 8601); see :attr:`expires_at_datetime`.
    """

    verification_record_id: str = Field(description="The ID of the verification record.")
    registration_options: WebAuthnRegistrationOptions
    expires_at: str = Field(description="The expiration date and time of the verification record (ISO 8601 string).")

    @property
    def expires_at_datetime(self) -> datetime:
        """``expires_at`` as a timezone-aware ``datetime``."""
        return parse_timestamp(self.expires_at)
