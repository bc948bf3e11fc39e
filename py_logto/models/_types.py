"""Constraints of the contracts that pydantic cannot express as Logto means them.

Logto validates request bodies with zod, in JavaScript: a pattern's ``\\d``, ``\\w`` and
``\\s`` have JavaScript's meaning (ASCII digits, ASCII word characters, JavaScript's white
space), and ``format: uri`` is what ``new URL()`` accepts. :class:`JsPattern` and
:class:`UriFormat` check values that way before anything is sent, and keep the spec's
keyword (``pattern``) on the field for documentation and JSON Schema.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Pattern

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

__all__ = ["JsPattern", "UriFormat"]

#: What ECMAScript's ``\s`` matches.
_JS_WHITESPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

_CLASS_ESCAPES = {
    "d": "0-9",
    "w": "A-Za-z0-9_",
    "s": _JS_WHITESPACE,
}

_COMPILED: Dict[str, Pattern[str]] = {}


def _translate(pattern: str) -> str:
    """The Python ``re`` pattern that matches what the ECMA-262 ``pattern`` matches (for the
    escapes the contracts use)."""
    out = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            letter = pattern[i + 1]
            members = _CLASS_ESCAPES.get(letter.lower())
            if members is not None:
                if in_class:
                    if letter.isupper():
                        raise NotImplementedError(f"\\{letter} inside a character class")
                    out.append(members)
                else:
                    out.append(f"[{'^' if letter.isupper() else ''}{members}]")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"  # JavaScript's $ (no m flag) is the very end; Python's also matches before a final \n
        out.append(char)
        i += 1
    return "".join(out)


def _compiled(pattern: str) -> Pattern[str]:
    compiled = _COMPILED.get(pattern)
    if compiled is None:
        compiled = _COMPILED.setdefault(pattern, re.compile(_translate(pattern)))
    return compiled


class JsPattern:
    """A string that must match ``pattern`` as JavaScript (and so Logto) matches it.

    Used as ``Annotated[str, JsPattern(r"^\\d+$")]``; ``pattern`` stays readable on the field.
    """

    __slots__ = ("pattern",)

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        compiled = _compiled(self.pattern)
        pattern = self.pattern

        def check(value: str) -> str:
            if compiled.search(value) is None:
                raise PydanticCustomError(
                    "string_pattern_mismatch", "String should match pattern '{pattern}'", {"pattern": pattern}
                )
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        value = handler(schema)
        value["pattern"] = self.pattern
        return value

    def __repr__(self) -> str:
        return f"JsPattern({self.pattern!r})"


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _check_uri(value: str) -> str:
    # What WHATWG URL parsing (zod's .url()) needs at least: a scheme, and no white space or
    # control characters inside. A relative reference is refused, as Logto refuses it.
    if _SCHEME.match(value) is None or any(c.isspace() or ord(c) < 0x20 for c in value.strip()):
        raise PydanticCustomError("url_parsing", "Input should be an absolute URL (e.g. https://example.com/a.png)")
    return value


class UriFormat:
    """``format: uri``: an absolute URL, as Logto's ``z.string().url()`` checks it."""

    __slots__ = ()

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        check: Callable[[str], str] = _check_uri
        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        value = handler(schema)
        value["format"] = "uri"
        return value

    def __repr__(self) -> str:
        return "UriFormat()"
