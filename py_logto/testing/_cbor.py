"""CBOR (RFC 8949) as WebAuthn needs it, decoding exactly as the ``tiny-cbor`` 0.2.2 decoder
inside Logto's ``@simplewebauthn/server`` does, down to its error messages and its leniencies:
definite lengths only, minimal length encodings only, no tags, a byte string cut short by the end
of the data is returned as far as it goes, and reading past the end yields ``0``.

Maps decode to ``dict`` (keys must be strings or numbers), byte strings to ``bytes``.
"""

from __future__ import annotations

import struct
from typing import Any, Dict, List, Tuple

__all__ = ["CborError", "decode_first", "encode"]

_MAX_SAFE_INTEGER = 2**53 - 1
_MAP_ERROR = "Map is not supported or well formed"


class CborError(ValueError):
    """The bytes are not CBOR this decoder reads; ``str(error)`` is tiny-cbor's message."""


def decode_first(data: bytes) -> Tuple[Any, int]:
    """Decode the first item of ``data``; return it and the number of bytes it claims."""
    if not data:
        raise CborError("No data")
    return _decode_next(data, 0, 0)


def _length(data: bytes, argument: int, index: int) -> Tuple[int, int]:
    if argument < 24:
        return argument, 1
    remaining = len(data) - index - 1
    sizes = {24: 1, 25: 2, 26: 4, 27: 8}
    size = sizes.get(argument)
    if size is not None and remaining >= size:
        value = int.from_bytes(data[index + 1 : index + 1 + size], "big")
        if value >= 24 and (size < 8 or value <= _MAX_SAFE_INTEGER):
            return value, size + 1
    raise CborError("Length not supported or not well formed")


def _decode_next(data: bytes, index: int, depth: int) -> Tuple[Any, int]:
    if depth > 400:
        raise CborError("Maximum call stack size exceeded")
    initial = data[index] if index < len(data) else 0  # past the end, JavaScript reads undefined as 0
    major, argument = initial >> 5, initial & 0x1F
    if major == 0:
        return _length(data, argument, index)
    if major == 1:
        value, consumed = _length(data, argument, index)
        return -value - 1, consumed
    if major in (2, 3):
        length, consumed = _length(data, argument, index)
        start = index + consumed
        chunk = data[start : start + length]
        return (chunk if major == 2 else chunk.decode("utf-8", "replace")), consumed + length
    if major == 4:
        return _decode_array(data, argument, index, depth)
    if major == 5:
        return _decode_map(data, argument, index, depth)
    if major == 7:
        return _decode_simple(data, argument, index)
    raise CborError(f"Unsupported or not well formed at {index}")


def _decode_array(data: bytes, argument: int, index: int, depth: int) -> Tuple[List[Any], int]:
    if argument == 0:
        return [], 1
    length, consumed = _length(data, argument, index)
    items: List[Any] = []
    for _ in range(length):
        if len(data) - index - consumed <= 0:
            raise CborError("array is not supported or well formed")
        item, used = _decode_next(data, index + consumed, depth + 1)
        items.append(item)
        consumed += used
    return items, consumed


def _decode_map(data: bytes, argument: int, index: int, depth: int) -> Tuple[Dict[Any, Any], int]:
    if argument == 0:
        return {}, 1
    length, consumed = _length(data, argument, index)
    entries: Dict[Any, Any] = {}
    for _ in range(length):
        remaining = len(data) - index - consumed
        if remaining <= 0:
            raise CborError(_MAP_ERROR)
        key, used = _decode_next(data, index + consumed, depth + 1)
        consumed += used
        if remaining - used <= 0 or isinstance(key, bool) or not isinstance(key, (str, int, float)):
            raise CborError(_MAP_ERROR)
        if key in entries:
            raise CborError(_MAP_ERROR)
        entries[key], used = _decode_next(data, index + consumed, depth + 1)
        consumed += used
    return entries, consumed


def _decode_simple(data: bytes, argument: int, index: int) -> Tuple[Any, int]:
    simple = {20: False, 21: True, 22: None, 23: None}
    if argument in simple:
        return simple[argument], 1
    if argument == 25:
        if index + 2 > len(data):
            raise CborError("CBOR stream ended before end of Float 16")
        raise CborError("Float16 data is unsupported")
    if argument in (26, 27):
        size = 4 if argument == 26 else 8
        if index + size + 1 > len(data):
            raise CborError(f"CBOR stream ended before end of Float {size * 8}")
        return struct.unpack(">f" if size == 4 else ">d", data[index + 1 : index + 1 + size])[0], size + 1
    raise CborError(f"Unsupported or not well formed at {index}")


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
        return _head(4, len(value)) + b"".join(encode(element) for element in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(encode(key) + encode(element) for key, element in value.items())
    raise TypeError(f"Cannot encode {type(value).__name__} as CBOR")
