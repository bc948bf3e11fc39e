"""WebAuthn authenticator transport hints."""

from __future__ import annotations

import enum

__all__ = ["WebAuthnTransport"]


class WebAuthnTransport(str, enum.Enum):
    """A WebAuthn authenticator transport hint."""

    USB = "usb"
    NFC = "nfc"
    BLE = "ble"
    INTERNAL = "internal"
    CABLE = "cable"
    HYBRID = "hybrid"
    SMART_MINUS_CARD = "smart-card"

    def __str__(self) -> str:
        return str(self.value)
