"""A credential the authenticator must not register again."""

from __future__ import annotations

from typing import List, Literal, Optional, Union

from py_logto.models._base import ResponseModel
from py_logto.models.web_authn_transport import WebAuthnTransport

__all__ = ["WebAuthnRegistrationOptionsExcludeCredentialsInner"]


class WebAuthnRegistrationOptionsExcludeCredentialsInner(ResponseModel):
    """Attributes:
    type: ``"public-key"``.
    id: the credential id (Base64URL).
    transports: its transport hints (unknown hints are kept as strings).
    """

    type: Union[Literal["public-key"], str]
    id: str
    transports: Optional[List[Union[WebAuthnTransport, str]]] = None
