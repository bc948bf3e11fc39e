"""Client extension results of a WebAuthn registration."""

from __future__ import annotations

from typing import Optional

from pydantic import ConfigDict

from py_logto.models._base import RequestModel
from py_logto.models.bind_web_authn_payload_client_extension_results_crep_props import (
    BindWebAuthnPayloadClientExtensionResultsCrepProps,
)

__all__ = ["BindWebAuthnPayloadClientExtensionResults"]


class BindWebAuthnPayloadClientExtensionResults(RequestModel):
    """The browser's ``getClientExtensionResults()``; other keys are passed through.

    Attributes:
        appid: the ``appid`` extension result.
        crep_props: the credential-properties result, sent as ``crepProps`` (Logto's spelling).
        hmac_create_secret: the ``hmacCreateSecret`` extension result.
    """

    model_config = ConfigDict(extra="allow")

    appid: Optional[bool] = None
    crep_props: Optional[BindWebAuthnPayloadClientExtensionResultsCrepProps] = None
    hmac_create_secret: Optional[bool] = None
