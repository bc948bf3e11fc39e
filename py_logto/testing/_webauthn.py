"""WebAuthn registration for the sandbox: the options Logto generates, the checks Logto runs on a
"none"-attestation credential (with the messages of @simplewebauthn/server, which Logto returns in
``data.message``), and a software authenticator that produces such credentials.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import string
from typing import Any, Dict, Mapping, Optional, Sequence

from py_logto.testing._cbor import CborError, decode_first, encode
from py_logto.testing._json import JsonSyntaxError, parse_json, to_json_bytes

__all__ = [
    "WebAuthnError",
    "b64url_decode",
    "b64url_encode",
    "make_webauthn_credential",
    "registration_options",
    "verify_registration",
]

# @simplewebauthn/server's default supportedAlgorithmIDs, which bound what a credential may use.
_SUPPORTED_ALGORITHMS = (-8, -7, -36, -37, -38, -39, -257, -258, -259, -65535)
_VERIFIABLE_FORMATS = ("fido-u2f", "packed", "android-safetynet", "android-key", "tpm", "apple")
_FLAG_UP, _FLAG_UV, _FLAG_AT, _FLAG_ED = 0x01, 0x04, 0x40, 0x80

# NIST P-256, for a software authenticator whose public key is at least a point on the curve.
_P256_P = 2**256 - 2**224 + 2**192 + 2**96 - 1
_P256_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B


_BASE64URL_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_")
_ABSENT: Any = object()  # a key the decoded map does not have: JavaScript's undefined


class WebAuthnError(Exception):
    """Verification failed; ``str(error)`` is the message Logto puts in ``data.message``."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode leniently, as @simplewebauthn does: padding optional, stray characters skipped."""
    cleaned = "".join(c for c in text.replace("+", "-").replace("/", "_") if c in _BASE64URL_ALPHABET)
    cleaned = cleaned[: len(cleaned) - (len(cleaned) % 4 == 1)]
    return base64.urlsafe_b64decode(cleaned.encode("ascii") + b"=" * (-len(cleaned) % 4))


def _js(value: Any) -> str:
    """How a JavaScript template literal prints ``value``."""
    if value is _ABSENT:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ",".join("" if item is None else _js(item) for item in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def registration_options(
    *,
    rp_id: str,
    user_id: str,
    user_name: str,
    display_name: str,
    challenge: str,
    exclude_credentials: Sequence[Mapping[str, Any]] = (),
) -> Dict[str, Any]:
    """The ``registrationOptions`` Logto answers, in its key order.

    ``exclude_credentials`` are the user's WebAuthn factors (``credentialId``, ``transports``).
    """
    return {
        "rp": {"name": rp_id, "id": rp_id},
        "user": {"id": b64url_encode(user_id.encode("utf-8")), "name": user_name, "displayName": display_name},
        "challenge": challenge,
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
        "timeout": 60000,
        "excludeCredentials": [
            {"type": "public-key", "id": credential["credentialId"], "transports": list(credential["transports"])}
            for credential in exclude_credentials
        ],
        "authenticatorSelection": {
            "requireResidentKey": True,
            "residentKey": "required",
            "userVerification": "required",
        },
        "attestation": "none",
        "extensions": {"credProps": True},
    }


def _decode_cbor(data: bytes) -> Any:
    try:
        return decode_first(data)
    except CborError as error:
        raise WebAuthnError(str(error)) from error


def _property_of_nothing(value: Any, name: str) -> WebAuthnError:
    """The TypeError JavaScript gives for ``value.name`` when ``value`` is null or undefined."""
    return WebAuthnError(f"Cannot read properties of {'null' if value is None else 'undefined'} (reading '{name}')")


def _parse_authenticator_data(auth_data: Any) -> Dict[str, Any]:
    if auth_data is _ABSENT or auth_data is None:
        raise _property_of_nothing(auth_data, "byteLength")
    if not isinstance(auth_data, bytes):
        raise WebAuthnError("First argument to DataView constructor must be an ArrayBuffer")
    if len(auth_data) < 37:
        raise WebAuthnError(f"Authenticator data was {len(auth_data)} bytes, expected at least 37 bytes")
    flags = auth_data[32]
    parsed: Dict[str, Any] = {
        "flags": flags,
        "counter": int.from_bytes(auth_data[33:37], "big"),
        "aaguid": None,
        "credential_id": None,
        "public_key": None,
    }
    pointer = 37
    if flags & _FLAG_AT:
        parsed["aaguid"] = auth_data[pointer : pointer + 16]
        pointer += 16
        if pointer + 2 > len(auth_data):
            raise WebAuthnError("Offset is outside the bounds of the DataView")
        id_length = int.from_bytes(auth_data[pointer : pointer + 2], "big")
        pointer += 2
        parsed["credential_id"] = auth_data[pointer : pointer + id_length]
        pointer += id_length
        _, key_length = _decode_cbor(auth_data[pointer:])
        parsed["public_key"] = auth_data[pointer : pointer + key_length]
        pointer += key_length
    if flags & _FLAG_ED:
        pointer += _decode_cbor(auth_data[pointer:])[1]
    if len(auth_data) > pointer:
        raise WebAuthnError("Leftover bytes detected while parsing authenticator data")
    return parsed


def _check_client_data(encoded: str, challenge: str, origins: Sequence[str]) -> None:
    try:
        client_data = parse_json(b64url_decode(encoded).decode("utf-8", "replace"))  # a plain JSON.parse
    except JsonSyntaxError as error:
        raise WebAuthnError(str(error)) from error
    if client_data is None:
        raise WebAuthnError("Cannot destructure property 'type' of 'clientDataJSON' as it is null.")
    fields: Mapping[str, Any] = client_data if isinstance(client_data, dict) else {}
    missing = "undefined"
    if fields.get("type") != "webauthn.create":
        raise WebAuthnError(f"Unexpected registration response type: {_js(fields.get('type', missing))}")
    if fields.get("challenge") != challenge:
        received = _js(fields.get("challenge", missing))
        raise WebAuthnError(f'Unexpected registration response challenge "{received}", expected "{challenge}"')
    origin = fields.get("origin", missing)
    if not isinstance(origin, str) or origin not in origins:
        raise WebAuthnError(
            f'Unexpected registration response origin "{_js(origin)}", expected one of: {", ".join(origins)}'
        )
    token_binding = fields.get("tokenBinding")
    if token_binding not in (None, False, 0, ""):
        if not isinstance(token_binding, (dict, list)):
            raise WebAuthnError(f'Unexpected value for TokenBinding "{_js(token_binding)}"')
        status = token_binding.get("status", missing) if isinstance(token_binding, dict) else missing
        if status not in ("present", "supported", "not-supported"):
            raise WebAuthnError(f'Unexpected tokenBinding.status value of "{_js(status)}"')


def verify_registration(payload: Mapping[str, Any], *, challenge: str, origins: Sequence[str]) -> Dict[str, Any]:
    """Check a (guard-valid) ``BindWebAuthnPayload`` as Logto does, which leaves the relying
    party id unchecked (it passes none to @simplewebauthn).

    Returns:
        The registration: ``credentialId`` (Base64URL), ``publicKey`` (Base64URL COSE key),
        ``counter``.

    Raises:
        WebAuthnError: with the message Logto reports for the first failed check.
    """
    credential_id = payload["id"]
    if not credential_id:
        raise WebAuthnError("Missing credential ID")
    if credential_id != payload["rawId"]:
        raise WebAuthnError("Credential ID was not base64url-encoded")
    response = payload["response"]
    _check_client_data(response["clientDataJSON"], challenge, origins)

    attestation, _ = _decode_cbor(b64url_decode(response["attestationObject"]))
    if attestation is None:
        raise WebAuthnError("Cannot read properties of null (reading 'get')")
    if not isinstance(attestation, dict):
        raise WebAuthnError("decodedAttestationObject.get is not a function")
    auth = _parse_authenticator_data(attestation.get("authData", _ABSENT))
    if not auth["flags"] & _FLAG_UP:
        raise WebAuthnError("User not present during registration")
    if not auth["flags"] & _FLAG_UV:
        raise WebAuthnError("User verification required, but user could not be verified")
    if auth["credential_id"] is None:
        raise WebAuthnError("No credential ID was provided by authenticator")
    public_key, _ = _decode_cbor(auth["public_key"])
    if public_key is None:
        raise WebAuthnError("Cannot read properties of null (reading 'get')")
    if not isinstance(public_key, dict):
        raise WebAuthnError("decodedPublicKey.get is not a function")
    algorithm = public_key.get(3)
    if isinstance(algorithm, bool) or not isinstance(algorithm, (int, float)):
        raise WebAuthnError("Credential public key was missing numeric alg")
    if algorithm not in _SUPPORTED_ALGORITHMS:
        supported = ", ".join(str(alg) for alg in _SUPPORTED_ALGORITHMS)
        raise WebAuthnError(f'Unexpected public key alg "{_js(algorithm)}", expected one of "{supported}"')

    fmt = attestation.get("fmt", _ABSENT)
    if fmt == "none":
        statement = attestation.get("attStmt", _ABSENT)
        if statement is _ABSENT or statement is None:
            raise _property_of_nothing(statement, "size")
        if isinstance(statement, dict) and statement:
            raise WebAuthnError("None attestation had unexpected attestation statement")
    elif fmt in _VERIFIABLE_FORMATS:
        raise WebAuthnError(f'The Logto sandbox verifies only "none" attestation, not "{fmt}"')
    else:
        raise WebAuthnError(f"Unsupported Attestation Format: {_js(fmt)}")
    return {
        "credentialId": b64url_encode(auth["credential_id"]),
        "publicKey": b64url_encode(auth["public_key"]),
        "counter": auth["counter"],
    }


def _p256_point() -> Dict[int, Any]:
    """A COSE ES256 public key whose (x, y) lies on P-256; its private key is never needed."""
    while True:
        x = secrets.randbelow(_P256_P)
        rhs = (pow(x, 3, _P256_P) - 3 * x + _P256_B) % _P256_P
        y = pow(rhs, (_P256_P + 1) // 4, _P256_P)
        if y * y % _P256_P == rhs:
            return {1: 2, 3: -7, -1: 1, -2: x.to_bytes(32, "big"), -3: y.to_bytes(32, "big")}


def _options_dict(options: Any) -> Mapping[str, Any]:
    data = options.to_dict() if hasattr(options, "to_dict") else options
    registration = data.get("registrationOptions", data) if isinstance(data, Mapping) else None
    if not isinstance(registration, Mapping):
        raise TypeError("options must be the registrationOptions mapping or a model with to_dict()")
    return registration


def make_webauthn_credential(
    options: Any,
    *,
    origin: str,
    rp_id: Optional[str] = None,
    challenge: Optional[str] = None,
    user_present: bool = True,
    user_verified: bool = True,
    credential_id: Optional[bytes] = None,
    transports: Sequence[str] = ("internal",),
) -> Dict[str, Any]:
    """Create a passkey as a platform authenticator would, with "none" attestation.

    Args:
        options: the ``registrationOptions`` Logto returned (a mapping, a whole
            ``GenerateWebAuthnRegistrationOptions200Response`` mapping, or a model with ``to_dict()``).
        origin: the web origin the "browser" reports; send the same value as the request's
            ``Origin`` header when verifying.
        rp_id: the relying party ID to sign for; defaults to ``options["rp"]["id"]``.
        challenge: the challenge to answer; defaults to ``options["challenge"]``.
        user_present: set the UP flag.
        user_verified: set the UV flag (Logto requires it).
        credential_id: the raw credential ID; 16 random bytes by default.
        transports: the transports to report.

    Returns:
        The ``BindWebAuthnPayload`` as a JSON-ready dict (``type`` is ``"WebAuthn"``).
    """
    registration = _options_dict(options)
    rp_id = rp_id if rp_id is not None else str(registration["rp"].get("id") or registration["rp"]["name"])
    challenge = challenge if challenge is not None else str(registration["challenge"])
    raw_id = credential_id if credential_id is not None else secrets.token_bytes(16)

    client_data = {"type": "webauthn.create", "challenge": challenge, "origin": origin, "crossOrigin": False}
    flags = _FLAG_AT | (_FLAG_UP if user_present else 0) | (_FLAG_UV if user_verified else 0)
    auth_data = b"".join(
        [
            hashlib.sha256(rp_id.encode("utf-8")).digest(),
            bytes([flags]),
            (0).to_bytes(4, "big"),  # signature counter
            bytes(16),  # AAGUID: none for a software authenticator
            len(raw_id).to_bytes(2, "big"),
            raw_id,
            encode(_p256_point()),
        ]
    )
    attestation = encode({"fmt": "none", "attStmt": {}, "authData": auth_data})
    encoded_id = b64url_encode(raw_id)
    response: Dict[str, Any] = {
        "clientDataJSON": b64url_encode(to_json_bytes(client_data)),
        "attestationObject": b64url_encode(attestation),
        "transports": list(transports),
    }
    return {
        "type": "WebAuthn",
        "id": encoded_id,
        "rawId": encoded_id,
        "response": response,
        "authenticatorAttachment": "platform",
        "clientExtensionResults": {},
    }
