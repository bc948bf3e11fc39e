"""JSON parsing with the error messages Node.js (V8) gives, as Logto echoes them in 400 bodies.

Valid documents go through the fast :func:`json.loads`. Only when it refuses (or recurses too
deep) does the slower, iterative :class:`_V8Parser` run, to either build the value after all or
raise :class:`JsonSyntaxError` carrying the exact ``JSON.parse`` message, e.g.
``Expected ',' or '}' after property value in JSON at position 18 (line 1 column 19)``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Dict, List, NoReturn, Optional, Tuple, Union

__all__ = ["JsonSyntaxError", "parse_json", "to_json_bytes"]

_WHITESPACE = " \t\n\r"
_DIGITS = "0123456789"
_HEX_DIGITS = "0123456789abcdefABCDEF"
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
# V8 shows at most this many characters either side of an unexpected token.
_CONTEXT = 10

_EXPECTED_PROP_OR_BRACE = "Expected property name or '}'"
_EXPECTED_DOUBLE_QUOTED = "Expected double-quoted property name"
_EXPECTED_COLON = "Expected ':' after property name"
_EXPECTED_COMMA_OR_BRACE = "Expected ',' or '}' after property value"
_EXPECTED_COMMA_OR_BRACKET = "Expected ',' or ']' after array element"
# A "__proto__" key, its letters possibly written as \u escapes; only then is the value scanned.
_PROTO_KEY = re.compile(
    r'"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)'
    r'(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:'
)


class JsonSyntaxError(ValueError):
    """The text is not JSON; ``str(error)`` is what V8's ``JSON.parse`` would have said."""


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(name)


def parse_json(text: str, *, forbid_proto: bool = False) -> Any:
    """Parse ``text`` as ``JSON.parse`` would (no NaN/Infinity, any nesting depth). With
    ``forbid_proto``, refuse a ``__proto__`` key anywhere, as Logto's body parser does."""
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        value = _V8Parser(_utf16_units(text)).parse()
    if forbid_proto and _PROTO_KEY.search(text) and _has_proto_key(value):
        raise JsonSyntaxError("Object contains forbidden prototype property")
    return value


def _has_proto_key(value: Any) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            if "__proto__" in item:
                return True
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_finite(item) for item in value]
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    return value


def to_json_bytes(value: Any) -> bytes:
    """Serialize compactly as UTF-8, like ``JSON.stringify``: infinities become ``null`` and lone
    surrogates ``\\udxxx`` escapes."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(value), ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(_finite(value), separators=(",", ":")).encode("ascii")


def _utf16_units(text: str) -> str:
    """``text`` with every character beyond U+FFFF split into its two surrogates, so that
    indices count UTF-16 code units, as JavaScript's do."""
    if text.isascii() or all(ord(char) <= 0xFFFF for char in text):
        return text
    raw = text.encode("utf-16-le", "surrogatepass")
    return "".join(chr(int.from_bytes(raw[i : i + 2], "little")) for i in range(0, len(raw), 2))


def _rejoin(text: str) -> str:
    """Surrogate pairs back into single characters (lone surrogates stay)."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


class _V8Parser:
    """Works on UTF-16 code units (see :func:`_utf16_units`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    # -- errors -------------------------------------------------------------------------------

    def _fail_at(self, problem: str, pos: int, where: str = " in JSON") -> NoReturn:
        # V8 counts CR, LF and CRLF as one line break each.
        line, line_start, index = 1, 0, 0
        while index < pos:
            char = self.text[index]
            if char == "\r" and index < pos - 1 and self.text[index + 1] == "\n":
                index += 1
                char = "\n"
            if char in "\r\n":
                line, line_start = line + 1, index + 1
            index += 1
        raise JsonSyntaxError(f"{problem}{where} at position {pos} (line {line} column {pos - line_start + 1})")

    def _unexpected(self, pos: int, expected: Optional[str] = None) -> NoReturn:
        if expected is not None:
            self._fail_at(expected, pos)
        text = self.text
        if pos >= len(text):
            raise JsonSyntaxError("Unexpected end of JSON input")
        char = text[pos]
        if char == '"':
            self._fail_at("Unexpected string", pos)
        if char in _DIGITS or char == "-":
            self._fail_at("Unexpected number", pos)
        if len(text) < 2 * _CONTEXT + 1:
            shown = f'"{text}"'
        elif pos < _CONTEXT:
            shown = f'"{text[: pos + _CONTEXT]}"...'
        elif pos >= len(text) - _CONTEXT:
            shown = f'..."{text[pos - _CONTEXT :]}"'
        else:
            shown = f'..."{text[pos - _CONTEXT : pos + _CONTEXT]}"...'
        raise JsonSyntaxError(f"Unexpected token '{char}', {shown} is not valid JSON")

    # -- scanning -----------------------------------------------------------------------------

    def _skip_whitespace(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in _WHITESPACE:
            pos += 1
        self.pos = pos

    def _peek(self) -> str:
        self._skip_whitespace()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _expect(self, char: str, message: str) -> None:
        if self._peek() != char:
            self._unexpected(self.pos, message)
        self.pos += 1

    def _property_name(self, message: str) -> str:
        if self._peek() != '"':
            self._unexpected(self.pos, message)
        name = self._string()
        self._expect(":", _EXPECTED_COLON)
        return name

    def _string(self) -> str:
        text = self.text
        pos = self.pos + 1  # after the opening quote
        parts: List[str] = []
        while True:
            if pos >= len(text):
                self._fail_at("Unterminated string", len(text))
            char = text[pos]
            if char == '"':
                self.pos = pos + 1
                # Surrogate pairs (escaped or not) become one character, as in json.loads.
                return _rejoin("".join(parts))
            if char == "\\":
                if pos + 1 >= len(text):
                    raise JsonSyntaxError("Unexpected end of JSON input")
                escape = text[pos + 1]
                if escape in _ESCAPES:
                    parts.append(_ESCAPES[escape])
                    pos += 2
                    continue
                if ord(escape) > 0xFF:  # beyond Latin-1, V8 reports the character itself
                    self._unexpected(pos + 1)
                if escape != "u":
                    self._fail_at("Bad escaped character", pos + 1)
                digits = text[pos + 2 : pos + 6]
                for offset, digit in enumerate(digits.ljust(4, "\x00")):
                    if digit not in _HEX_DIGITS:
                        self._fail_at("Bad Unicode escape", min(pos + 2 + offset, len(text)))
                parts.append(chr(int(digits, 16)))
                pos += 6
                continue
            if ord(char) < 0x20:
                self._fail_at("Bad control character in string literal", pos)
            parts.append(char)
            pos += 1

    def _digits(self) -> None:
        text = self.text
        while self.pos < len(text) and text[self.pos] in _DIGITS:
            self.pos += 1

    def _number(self) -> Union[int, float]:
        text, start = self.text, self.pos
        if text[self.pos] == "-":
            self.pos += 1
            if self.pos >= len(text) or text[self.pos] not in _DIGITS:
                self._fail_at("No number after minus sign", self.pos)
        if text[self.pos] == "0":
            self.pos += 1
            if self.pos < len(text) and text[self.pos] in _DIGITS:
                self._unexpected(self.pos)
        else:
            self._digits()
        is_float = False
        if self.pos < len(text) and text[self.pos] == ".":
            is_float = True
            self.pos += 1
            if self.pos >= len(text) or text[self.pos] not in _DIGITS:
                self._fail_at("Unterminated fractional number", self.pos)
            self._digits()
        if self.pos < len(text) and text[self.pos] in "eE":
            is_float = True
            self.pos += 1
            if self.pos < len(text) and text[self.pos] in "+-":
                self.pos += 1
            if self.pos >= len(text) or text[self.pos] not in _DIGITS:
                self._fail_at("Exponent part is missing a number", self.pos)
            self._digits()
        literal = text[start : self.pos]
        return float(literal) if is_float else int(literal)

    def _literal(self, word: str, value: Any) -> Any:
        text = self.text
        for offset, expected in enumerate(word):
            if self.pos + offset >= len(text) or text[self.pos + offset] != expected:
                self._unexpected(self.pos + offset)
        self.pos += len(word)
        return value

    # -- structure ----------------------------------------------------------------------------

    def parse(self) -> Any:
        # Each open container is a pair: the container and, for objects, the pending key.
        stack: List[Tuple[Union[Dict[str, Any], List[Any]], str]] = []
        while True:
            char = self._peek()
            value: Any
            if char == "{":
                self.pos += 1
                if self._peek() == "}":
                    self.pos += 1
                    value = {}
                else:
                    stack.append(({}, self._property_name(_EXPECTED_PROP_OR_BRACE)))
                    continue
            elif char == "[":
                self.pos += 1
                if self._peek() == "]":
                    self.pos += 1
                    value = []
                else:
                    stack.append(([], ""))
                    continue
            elif char == '"':
                value = self._string()
            elif char and (char in _DIGITS or char == "-"):
                value = self._number()
            elif char == "t":
                value = self._literal("true", True)
            elif char == "f":
                value = self._literal("false", False)
            elif char == "n":
                value = self._literal("null", None)
            else:
                self._unexpected(self.pos)

            # Attach the finished value to its parents, closing every container that ends here.
            while stack:
                container, key = stack[-1]
                if isinstance(container, dict):
                    container[key] = value
                    following = self._peek()
                    if following == ",":
                        self.pos += 1
                        stack[-1] = (container, self._property_name(_EXPECTED_DOUBLE_QUOTED))
                        break
                    if following != "}":
                        self._unexpected(self.pos, _EXPECTED_COMMA_OR_BRACE)
                else:
                    container.append(value)
                    following = self._peek()
                    if following == ",":
                        self.pos += 1
                        break
                    if following != "]":
                        self._unexpected(self.pos, _EXPECTED_COMMA_OR_BRACKET)
                self.pos += 1
                stack.pop()
                value = container
            else:
                if self._peek():
                    self._fail_at("Unexpected non-whitespace character after JSON", self.pos, where="")
                return value
