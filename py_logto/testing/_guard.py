"""Request guards that judge and report as zod 3.24 does, as Logto's ``koaGuard`` uses them.

A failed guard is ``400 guard.invalid_input`` whose ``data`` is the serialized ``ZodError``
(``{"issues": [...], "name": "ZodError"}``), whose ``details`` has one line per issue and whose
message names the part of the request (``body``, ``query``, ``params``, ``files``). Issues keep
zod's key order and come in zod's order (an object's fields in declaration order, a string's
checks in the order they were chained), so the JSON is byte for byte Logto's. A guard also gives
back what zod would: unknown keys dropped, known ones in declaration order.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from py_logto.testing._errors import LogtoError

__all__ = [
    "MISSING",
    "Array",
    "Boolean",
    "DiscriminatedUnion",
    "Enum",
    "JsonObject",
    "Literal",
    "Number",
    "Object",
    "OneOf",
    "Schema",
    "String",
    "format_issues",
    "guard",
    "js_length",
    "max_length",
    "min_length",
    "nullable",
    "optional",
    "regex",
    "url",
]

Issue = Dict[str, Any]
Path = Tuple[Union[str, int], ...]


class _Missing:
    """JavaScript's ``undefined``: a key that is absent."""

    def __repr__(self) -> str:
        return "undefined"


MISSING: Any = _Missing()

# JavaScript's \s (ECMAScript WhiteSpace + LineTerminator) and \w, which differ from Python's.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
EMAIL_PATTERN = re.compile(f"[^{_JS_SPACE}]+@[^{_JS_SPACE}]+\\.[^{_JS_SPACE}]+")  # /^\S+@\S+\.\S+$/
PHONE_PATTERN = re.compile("[0-9]+")  # /^\d+$/
USERNAME_PATTERN = re.compile("[A-Z_a-z][0-9A-Z_a-z]*")  # /^[A-Z_a-z]\w*$/


def parsed_type(value: Any) -> str:
    """zod's ``getParsedType`` for a JSON value."""
    if value is MISSING:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "nan" if value != value else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def js_length(text: str) -> int:
    """``String.prototype.length``: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _join_values(values: Sequence[str]) -> str:
    return " | ".join(f"'{value}'" for value in values)


def _invalid_type(expected: str, value: Any, path: Path) -> Issue:
    received = parsed_type(value)
    message = "Required" if received == "undefined" else f"Expected {expected}, received {received}"
    return {"code": "invalid_type", "expected": expected, "received": received, "path": list(path), "message": message}


def _size_issue(code: str, kind: str, bound: int, path: Path) -> Issue:
    bound_key, words = ("minimum", "at least") if code == "too_small" else ("maximum", "at most")
    unit = "character(s)" if kind == "string" else "element(s)"
    noun = "String" if kind == "string" else "Array"
    return {
        "code": code,
        bound_key: bound,
        "type": kind,
        "inclusive": True,
        "exact": False,
        "message": f"{noun} must contain {words} {bound} {unit}",
        "path": list(path),
    }


# -- URLs -------------------------------------------------------------------------------------

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_SPECIAL_SCHEMES = frozenset({"ftp", "http", "https", "ws", "wss"})
_FORBIDDEN_HOST = frozenset("\x00\t\n\r #/:<>?@[\\]^|")
_FORBIDDEN_DOMAIN = _FORBIDDEN_HOST | frozenset("%\x7f") | frozenset(chr(c) for c in range(0x20))


def _ipv4_number(part: str) -> Optional[int]:
    text = part.lower()
    base = 10
    if text.startswith("0x"):
        text, base = text[2:], 16
    elif len(text) > 1 and text.startswith("0"):
        text, base = text[1:], 8
    if text == "":
        return 0
    try:
        return int(text, base)
    except ValueError:
        return None


def _host_ok(host: str, special: bool) -> bool:
    if host.startswith("["):
        return host.endswith("]") and len(host) > 2 and all(c in "0123456789abcdefABCDEF:." for c in host[1:-1])
    if not special:
        return not any(c in _FORBIDDEN_HOST for c in host)
    if not host or any(c in _FORBIDDEN_DOMAIN for c in host):
        return False
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels = labels[:-1]
    if re.fullmatch(r"[0-9]+|0[xX][0-9a-fA-F]*", labels[-1]):  # "ends in a number": it must be IPv4
        numbers = [_ipv4_number(label) for label in labels]
        if len(numbers) > 4 or any(n is None for n in numbers):
            return False
        values = [n for n in numbers if n is not None]
        if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
            return False
    return True


def url_ok(text: str) -> bool:
    """Whether ``new URL(text)`` would succeed (WHATWG URL parsing, without a base)."""
    text = text.strip("".join(chr(c) for c in range(0x21))).replace("\t", "").replace("\n", "").replace("\r", "")
    match = _SCHEME.match(text)
    if match is None:
        return False
    scheme = match.group()[:-1].lower()
    rest = text[match.end() :]
    special = scheme in _SPECIAL_SCHEMES
    if scheme == "file":
        return True
    if special:
        rest = rest.lstrip("/\\")
    elif rest.startswith("//"):
        rest = rest[2:]
    else:
        return True
    authority = re.split(r"[/?#]" if not special else r"[/\\?#]", rest, maxsplit=1)[0]
    host_port = authority.rsplit("@", 1)[-1]
    host, port = host_port, ""
    if not host_port.startswith("[") or "]:" in host_port:
        head, colon, tail = host_port.rpartition(":")
        if colon and (not host_port.startswith("[") or head.endswith("]")):
            host, port = head, tail
    if port and (not port.isdigit() or int(port) > 65535):
        return False
    if not special and host == "":
        return True
    return _host_ok(host, special)


# -- schemas ----------------------------------------------------------------------------------


class Schema:
    """A zod type. ``check`` appends the issues of ``value`` to ``issues`` and returns what zod
    would give back for it (meaningful only when no issue was added)."""

    def check(self, value: Any, path: Path, issues: List[Issue]) -> Any:
        raise NotImplementedError

    def issues(self, value: Any) -> List[Issue]:
        found: List[Issue] = []
        self.check(value, (), found)
        return found


class _StringCheck:
    def __init__(self, kind: str, argument: Any = None) -> None:
        self.kind = kind
        self.argument = argument

    def issue(self, value: str, path: Path) -> Optional[Issue]:
        if self.kind == "min" and js_length(value) < self.argument:
            return _size_issue("too_small", "string", self.argument, path)
        if self.kind == "max" and js_length(value) > self.argument:
            return _size_issue("too_big", "string", self.argument, path)
        if self.kind == "regex" and not self.argument.fullmatch(value):
            return {"validation": "regex", "code": "invalid_string", "message": "Invalid", "path": list(path)}
        if self.kind == "url" and not url_ok(value):
            return {"validation": "url", "code": "invalid_string", "message": "Invalid url", "path": list(path)}
        return None


def min_length(length: int) -> _StringCheck:
    return _StringCheck("min", length)


def max_length(length: int) -> _StringCheck:
    return _StringCheck("max", length)


def regex(pattern: re.Pattern[str]) -> _StringCheck:
    return _StringCheck("regex", pattern)


def url() -> _StringCheck:
    return _StringCheck("url")


class String(Schema):
    """``z.string()`` with its checks, run in the order given (zod runs them all)."""

    def __init__(self, *checks: _StringCheck) -> None:
        self.checks = checks

    def check(self, value: Any, path: Path, issues: List[Issue]) -> Any:
        if not isinstance(value, str):
            issues.append(_invalid_type("string", value, path))
            return None
        for string_check in self.checks:
            issue = string_check.issue(value, path)
            if issue is not None:
                issues.append(issue)
        return value


class _Scalar(Schema):
    def __init__(self, expected: str) -> None:
        self.expected = expected

    def check(self, value: Any, path: Path, issues: List[Issue]) -> Any:
        if parsed_type(value) != self.expected:
            issues.append(_invalid_type(self.expected, value, path))
        return value


Number = _Scalar("number")
Boolean = _Scalar("boolean")


class Literal(Schema):
    def __init__(self, value: str) -> None:
        self.value = value

    def check(self, value: Any, path: Path, issues: List[Issue]) -> Any:
        if value == self.value and isinstance(value, str):
            return value
        issue: Issue = {} if value is MISSING else {"received": value}  # undefined vanishes from JSON
        issue.update(
            code="invalid_literal",
            expected=self.value,
            path=list(path),
            message=f"Invalid literal value, expected {json.dumps(self.value)}",
        )
        issues.append(issue)
        return None


class Enum(Schema):
    """``z.enum`` (and ``z.nativeEnum`` of strings)."""

    def __init__(self, *options: str) -> None:
        self.options = list(options)

    def check(self, value: Any, path: Path, issues: List[Issue]) -> Any:
        joined = _join_values(self.options)
        if not isinstance(value, str):
            received = parsed_type(value)
            issues.append(
                {
                    "expected": joined,
                    "received": received,
                    "code": "invalid_type",
                    "path": list(path),
                    "message": f"Expected {joined}, received {received}",
                }
            )
        elif value not in self.options:
            issues.append(
                {
                    "received": value,
                    "code": "invalid_enum_value",
                    "options": self.options,
                    "path": list(path),
                    "message": f"Invalid enum value. Expected {joined}, received '{value}'",
                }
            )
        return value


class _Optional(Schema):
    """``.optional()`` and ``.nullable()``: ``undefined`` (or ``null``) pass as they are."""

    def __init__(self, inner: Schema, *, undefined: bool, null: bool) -> None:
        self.inner = inner
        self.undefined = undefined
        self.null = null

    def check(self, value: Any, path: Path, issues: List[Issue]) -> Any:
        if (value is MISSING and self.undefined) or (value is None and self.null):
            return value
        return self.inner.check(value, path, issues)


def optional(inner: Schema) -> Schema:
    return _Optional(inner, undefined=True, null=False)


def nullable(inner: Schema, *, optional: bool = False) -> Schema:
    return _Optional(inner, undefined=optional, null=True)


class OneOf(Schema):
    """``z.union``: valid when one option is; otherwise one ``invalid_union`` with every option's issues."""

    def __init__(self, *options: Schema) -> None:
        self.options = options

    def check(self, value: Any, path: Path, issues: List[Issue]) -> Any:
        errors: List[Dict[str, Any]] = []
        for option in self.options:
            found: List[Issue] = []
            result = option.check(value, path, found)
            if not found:
                return result
            errors.append({"issues": found, "name": "ZodError"})
        issues.append({"code": "invalid_union", "unionErrors": errors, "path": list(path), "message": "Invalid input"})
        return None


class Array(Schema):
    def __init__(self, item: Schema, *, min_items: Optional[int] = None) -> None:
        self.item = item
        self.min_items = min_items

    def check(self, value: Any, path: Path, issues: List[Issue]) -> Any:
        if not isinstance(value, list):
            issues.append(_invalid_type("array", value, path))
            return None
        if self.min_items is not None and len(value) < self.min_items:
            issues.append(_size_issue("too_small", "array", self.min_items, path))
        return [self.item.check(element, (*path, index), issues) for index, element in enumerate(value)]


class JsonObject(Schema):
    """``z.record(jsonGuard)``: any JSON object, kept as it is."""

    def check(self, value: Any, path: Path, issues: List[Issue]) -> Any:
        if not isinstance(value, dict):
            issues.append(_invalid_type("object", value, path))
        return value


class Object(Schema):
    """``z.object``: fields are checked in declaration order; unknown keys are dropped."""

    def __init__(self, fields: Mapping[str, Schema]) -> None:
        self.fields = dict(fields)

    def check(self, value: Any, path: Path, issues: List[Issue]) -> Any:
        if not isinstance(value, dict):
            issues.append(_invalid_type("object", value, path))
            return None
        result: Dict[str, Any] = {}
        for name, schema in self.fields.items():
            field = value.get(name, MISSING)
            parsed = schema.check(field, (*path, name), issues)
            if name in value:
                result[name] = parsed
        return result


class DiscriminatedUnion(Schema):
    def __init__(self, discriminator: str, options: Mapping[str, Schema]) -> None:
        self.discriminator = discriminator
        self.options = dict(options)

    def check(self, value: Any, path: Path, issues: List[Issue]) -> Any:
        if not isinstance(value, dict):
            issues.append(_invalid_type("object", value, path))
            return None
        tag = value.get(self.discriminator)
        option = self.options.get(tag) if isinstance(tag, str) else None
        if option is None:
            issues.append(
                {
                    "code": "invalid_union_discriminator",
                    "options": list(self.options),
                    "path": [*path, self.discriminator],
                    "message": f"Invalid discriminator value. Expected {_join_values(list(self.options))}",
                }
            )
            return None
        return option.check(value, path, issues)


def format_issues(issues: Sequence[Issue]) -> str:
    """Logto's ``details``: ``Error in key path "a.b": (code) message``, one line per issue."""
    lines = []
    for issue in issues:
        base = f'Error in key path "{".".join(str(part) for part in issue["path"])}": ({issue["code"]}) '
        if issue["code"] == "invalid_type":
            lines.append(f"{base}Expected {issue['expected']} but received {issue['received']}.")
        else:
            lines.append(base + str(issue["message"]))
    return "\n".join(lines)


def guard(part: str, schema: Schema, value: Any) -> Any:
    """Run ``schema`` on one part of the request as koaGuard does.

    Raises:
        LogtoError: ``400 guard.invalid_input`` naming ``part``.
    """
    found: List[Issue] = []
    parsed = schema.check(value, (), found)
    if found:
        raise LogtoError(
            "guard.invalid_input", data={"issues": found, "name": "ZodError"}, details=format_issues(found), type=part
        )
    return parsed
