"""The relying party of WebAuthn registration options."""

from __future__ import annotations

from typing import Optional

from py_logto.models._base import ResponseModel

__all__ = ["WebAuthnRegistrationOptionsRp"]


class WebAuthnRegistrationOptionsRp(ResponseModel):
    """Attributes:
    name: the RP name (Logto uses the request's host name).
    id: the RP id (the same host name).
    """

    name: str
    id: Optional[str] = None
