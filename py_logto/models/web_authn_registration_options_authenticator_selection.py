"""Which authenticators may be used."""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import Field

from py_logto.models._base import ResponseModel

__all__ = ["WebAuthnRegistrationOptionsAuthenticatorSelection"]


class WebAuthnRegistrationOptionsAuthenticatorSelection(ResponseModel):
    """Unknown enum values from a newer server are kept as strings.

    Attributes:
        authenticator_attachment: ``"platform"`` or ``"cross-platform"``.
        require_resident_key: whether a discoverable credential is required.
        resident_key: ``"discouraged"``, ``"preferred"`` or ``"required"``.
        user_verification: ``"required"``, ``"preferred"`` or ``"discouraged"``.
    """

    authenticator_attachment: Optional[Union[Literal["platform", "cross-platform"], str]] = Field(default=None)
    require_resident_key: Optional[bool] = None
    resident_key: Optional[Union[Literal["discouraged", "preferred", "required"], str]] = Field(default=None)
    user_verification: Optional[Union[Literal["required", "preferred", "discouraged"], str]] = Field(default=None)
