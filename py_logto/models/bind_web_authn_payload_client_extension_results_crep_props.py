"""The credential-properties extension result (Logto spells its key ``crepProps``)."""

from __future__ import annotations

from typing import Optional

from pydantic import ConfigDict

from py_logto.models._base import RequestModel

__all__ = ["BindWebAuthnPayloadClientExtensionResultsCrepProps"]


class BindWebAuthnPayloadClientExtensionResultsCrepProps(RequestModel):
    """Attributes:
    rk: whether the credential is a discoverable (resident) credential.
    """

    model_config = ConfigDict(extra="allow")

    rk: Optional[bool] = None
