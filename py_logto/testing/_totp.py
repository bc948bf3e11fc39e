"""TOTP (RFC 6238) as Logto checks it: SHA-1, 30-second steps, 6 digits, one step either side."""

from __future__ import annotations

import base64
import hmac
import re
import secrets
import struct

__all__ = ["generate_secret", "totp_code", "totp_matches", "valid_secret"]

STEP = 30
DIGITS = 6
_BASE32 = re.compile(r"(?:[2-7A-Z]{8})*(?:[2-7A-Z]{2}={6}|[2-7A-Z]{4}={4}|[2-7A-Z]{5}={3}|[2-7A-Z]{7}=)?")


def generate_secret() -> str:
    """20 random bytes as base32 without padding (32 characters), as Logto generates them."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def valid_secret(secret: str) -> bool:
    """Logto's check: 16 to 32 characters of upper-case base32."""
    return 16 <= len(secret) <= 32 and _BASE32.fullmatch(secret) is not None


def _key(secret: str) -> bytes:
    cleaned = secret.upper().rstrip("=")
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def totp_code(secret: str, at: float) -> str:
    """The code an authenticator app shows for ``secret`` at ``at`` (epoch seconds)."""
    digest = hmac.new(_key(secret), struct.pack(">Q", int(at // STEP)), "sha1").digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def totp_matches(secret: str, code: str, at: float) -> bool:
    """Whether ``code`` is the code of the current, the previous or the next step."""
    if not re.fullmatch(r"[0-9]+", code):
        return False
    return any(hmac.compare_digest(code, totp_code(secret, at + delta * STEP)) for delta in (0, -1, 1))
