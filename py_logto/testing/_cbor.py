"""The subset of CBOR (RFC 8949) WebAuthn needs: definite-length items, decoded and encoded.

Maps decode to ``dict``, byte strings to ``bytes``; tags are read and dropped. Indefinite
lengths, which authenticators never use, are refused, as is nesting deeper than 32 levels.
"""

from __future__ import annotations

import struct
from typing import Any, Dict, List, Tuple

__all__ = ["CborError", "decode_first", "encode"]

_MAX_DEPTH = 32


class CborError(ValueError):
    """The bytes are not (supported) CBOR."""


def decode_first(data: bytes) -> Tuple[Any, int]:
    """Decode the first item of ``data``; return it and the number of bytes it took."""
    return _Decoder(data).item(0)


class _Decoder:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _take(self, count: int) -> bytes:
        if count > len(self.data) - self.pos:
            raise CborError("Unexpected end of CBOR data")
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def _argument(self, info: int) -> int:
        if info < 24:
            return info
        if info > 27:
            raise CborError(f"Unsupported CBOR additional information {info}")
        return int.from_bytes(self._take(1 << (info - 24)), "big")

    def item(self, depth: int) -> Tuple[Any, int]:
        if depth > _MAX_DEPTH:
            raise CborError("CBOR nesting is too deep")
        start = self.pos
        initial = self._take(1)[0]
        major, info = initial >> 5, initial & 0x1F
        value: Any
        if major == 7:
            value = self._simple(info)
        else:
            argument = self._argument(info)
            if major == 0:
                value = argument
            elif major == 1:
                value = -1 - argument
            elif major == 2:
                value = self._take(argument)
            elif major == 3:
                try:
                    value = self._take(argument).decode("utf-8")
                except UnicodeDecodeError as error:
                    raise CborError("Invalid UTF-8 in CBOR text string") from error
            elif major == 4:
                value = [self.item(depth + 1)[0] for _ in range(argument)]
            elif major == 5:
                entries: Dict[Any, Any] = {}
                for _ in range(argument):
                    key = self.item(depth + 1)[0]
                    if isinstance(key, (list, dict)):
                        raise CborError("Unsupported CBOR map key")
                    entries[key] = self.item(depth + 1)[0]
                value = entries
            else:  # major 6: a tag; WebAuthn attaches no meaning to them here
                value = self.item(depth + 1)[0]
        return value, self.pos - start

    def _simple(self, info: int) -> Any:
        simple = {20: False, 21: True, 22: None, 23: None}
        if info in simple:
            return simple[info]
        if info == 25:
            return struct.unpack(">e", self._take(2))[0]
        if info == 26:
            return struct.unpack(">f", self._take(4))[0]
        if info == 27:
            return struct.unpack(">d", self._take(8))[0]
        raise CborError(f"Unsupported CBOR simple value {info}")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise CborError("Integer too large for CBOR")


def encode(value: Any) -> bytes:
    """Encode ``value`` (int, bytes, str, bool, None, list, dict) in the order given."""
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if value is None:
        return b"\xf6"
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        parts: List[bytes] = [_head(4, len(value))]
        parts.extend(encode(element) for element in value)
        return b"".join(parts)
    if isinstance(value, dict):
        parts = [_head(5, len(value))]
        for key, element in value.items():
            parts.append(encode(key))
            parts.append(encode(element))
        return b"".join(parts)
    raise TypeError(f"Cannot encode {type(value).__name__} as CBOR")
