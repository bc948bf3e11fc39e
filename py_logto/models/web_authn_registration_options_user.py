"""The user entity of WebAuthn registration options."""

from __future__ import annotations

from pydantic import Field

from py_logto.models._base import ResponseModel

__all__ = ["WebAuthnRegistrationOptionsUser"]


class WebAuthnRegistrationOptionsUser(ResponseModel):
    """Attributes:
    id: the Base64URL-encoded user handle.
    name: the user's name (email, phone or username).
    display_name: the name to display, sent as ``displayName``.
    """

    id: str = Field(description="Base64URL-encoded user handle.")
    name: str
    display_name: str
