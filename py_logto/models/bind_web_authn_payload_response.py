"""The ``response`` part of a serialized WebAuthn registration credential."""

from __future__ import annotations

from typing import List, Optional, Union

from pydantic import ConfigDict

from py_logto.models._base import RequestModel
from py_logto.models.web_authn_transport import WebAuthnTransport

__all__ = ["BindWebAuthnPayloadResponse"]


class BindWebAuthnPayloadResponse(RequestModel):
    """``AuthenticatorAttestationResponse`` in JSON form (binary fields Base64URL-encoded).

    Attributes:
        client_data_json: ``clientDataJSON``.
        attestation_object: ``attestationObject``.
        authenticator_data: ``authenticatorData``.
        transports: transport hints.
        public_key_algorithm: the COSE algorithm of the new key.
        public_key: the new public key (SubjectPublicKeyInfo, Base64URL).
    """

    model_config = ConfigDict(extra="allow")

    client_data_json: str
    attestation_object: str
    authenticator_data: Optional[str] = None
    transports: Optional[List[WebAuthnTransport]] = None
    public_key_algorithm: Optional[Union[int, float]] = None
    public_key: Optional[str] = None
