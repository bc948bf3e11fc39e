"""A WebAuthn registration credential, as the browser returns it."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import ConfigDict, Field

from py_logto.models._base import RequestModel
from py_logto.models.bind_web_authn_payload_client_extension_results import BindWebAuthnPayloadClientExtensionResults
from py_logto.models.bind_web_authn_payload_response import BindWebAuthnPayloadResponse

__all__ = ["BindWebAuthnPayload"]


class BindWebAuthnPayload(RequestModel):
    """The serialized ``PublicKeyCredential`` from ``navigator.credentials.create()``.

    Build it from the browser's JSON with :meth:`from_dict`; note that ``type`` is
    Logto's ``"WebAuthn"`` (the default), not the browser's ``"public-key"``.

    Attributes:
        type: always ``"WebAuthn"``.
        id: the credential id (Base64URL).
        raw_id: the raw credential id (Base64URL), sent as ``rawId``.
        response: the attestation response.
        authenticator_attachment: ``"platform"`` or ``"cross-platform"``.
        client_extension_results: the extension results (may be empty).
    """

    model_config = ConfigDict(extra="allow")

    type: Literal["WebAuthn"] = Field(default="WebAuthn")
    id: str
    raw_id: str
    response: BindWebAuthnPayloadResponse
    authenticator_attachment: Optional[Literal["cross-platform", "platform"]] = Field(default=None)
    client_extension_results: BindWebAuthnPayloadClientExtensionResults
