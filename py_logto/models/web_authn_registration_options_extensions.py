"""Extensions requested for a WebAuthn registration."""

from __future__ import annotations

from typing import Optional

from py_logto.models._base import ResponseModel

__all__ = ["WebAuthnRegistrationOptionsExtensions"]


class WebAuthnRegistrationOptionsExtensions(ResponseModel):
    """Attributes:
    appid: the ``appid`` extension input.
    cred_props: request the credential-properties extension (``credProps``).
    hmac_create_secret: request the ``hmacCreateSecret`` extension.
    """

    appid: Optional[str] = None
    cred_props: Optional[bool] = None
    hmac_create_secret: Optional[bool] = None
