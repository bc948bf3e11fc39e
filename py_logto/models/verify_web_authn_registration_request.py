"""Request body of ``verify_web_authn_registration``."""

from __future__ import annotations

from pydantic import Field

from py_logto.models._base import RequestModel
from py_logto.models.bind_web_authn_payload import BindWebAuthnPayload

__all__ = ["VerifyWebAuthnRegistrationRequest"]


class VerifyWebAuthnRegistrationRequest(RequestModel):
    """A new passkey to verify against its registration options.

    Logto checks the credential's origin against the request's ``Origin`` header:
    send it with ``_headers={"Origin": "https://your.app"}``.

    Attributes:
        verification_record_id: the id returned by ``generate_web_authn_registration_options``.
        payload: the credential the browser created.
    """

    verification_record_id: str = Field(description="The ID of the verification record.")
    payload: BindWebAuthnPayload
