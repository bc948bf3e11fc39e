"""The request-body guards of the Verifications routes, reporting problems as zod v3 does.

Logto validates bodies with zod and answers ``400 guard.invalid_input`` whose ``data`` is the
serialized ``ZodError`` (``{"issues": [...], "name": "ZodError"}``) and whose ``details`` has one
line per issue. The issue dicts here keep zod's key order, so the JSON is byte-for-byte Logto's.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

__all__ = [
    "MISSING",
    "BIND_WEBAUTHN_BODY",
    "CODE_SEND_BODY",
    "CODE_VERIFY_BODY",
    "PASSWORD_BODY",
    "SOCIAL_BODY",
    "SOCIAL_VERIFY_BODY",
    "Schema",
    "format_issues",
]

Issue = Dict[str, Any]
Path = Tuple[Union[str, int], ...]


class _Missing:
    """JavaScript's ``undefined``: a key that is absent from the body."""

    def __repr__(self) -> str:
        return "undefined"


MISSING: Any = _Missing()

# JavaScript's \s (ECMAScript WhiteSpace + LineTerminator), which differs from Python's.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
EMAIL_PATTERN = re.compile(f"[^{_JS_SPACE}]+@[^{_JS_SPACE}]+\\.[^{_JS_SPACE}]+")  # /^\S+@\S+\.\S+$/
PHONE_PATTERN = re.compile("[0-9]+")  # /^\d+$/


def _parsed_type(value: Any) -> str:
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


def _join_values(values: Sequence[str]) -> str:
    return " | ".join(f"'{value}'" for value in values)


def _js_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _invalid_type(expected: str, value: Any, path: Path) -> Issue:
    received = _parsed_type(value)
    message = "Required" if received == "undefined" else f"Expected {expected}, received {received}"
    return {"code": "invalid_type", "expected": expected, "received": received, "path": list(path), "message": message}


class Schema:
    """A zod type: ``check`` appends the issues ``value`` has to ``issues``."""

    def check(self, value: Any, path: Path, issues: List[Issue]) -> None:
        raise NotImplementedError

    def issues(self, value: Any) -> List[Issue]:
        found: List[Issue] = []
        self.check(value, (), found)
        return found


class String(Schema):
    def __init__(
        self,
        *,
        min_length: Optional[int] = None,
        pattern: Optional[re.Pattern[str]] = None,
        max_length: Optional[int] = None,
    ) -> None:
        self.min_length = min_length
        self.pattern = pattern
        self.max_length = max_length

    def check(self, value: Any, path: Path, issues: List[Issue]) -> None:
        if not isinstance(value, str):
            issues.append(_invalid_type("string", value, path))
            return
        length = _js_length(value)
        if self.min_length is not None and length < self.min_length:
            issues.append(
                {
                    "code": "too_small",
                    "minimum": self.min_length,
                    "type": "string",
                    "inclusive": True,
                    "exact": False,
                    "message": f"String must contain at least {self.min_length} character(s)",
                    "path": list(path),
                }
            )
        if self.pattern is not None and not self.pattern.fullmatch(value):
            issues.append({"validation": "regex", "code": "invalid_string", "message": "Invalid", "path": list(path)})
        if self.max_length is not None and length > self.max_length:
            issues.append(
                {
                    "code": "too_big",
                    "maximum": self.max_length,
                    "type": "string",
                    "inclusive": True,
                    "exact": False,
                    "message": f"String must contain at most {self.max_length} character(s)",
                    "path": list(path),
                }
            )


class _Scalar(Schema):
    def __init__(self, expected: str) -> None:
        self.expected = expected

    def check(self, value: Any, path: Path, issues: List[Issue]) -> None:
        if _parsed_type(value) != self.expected:
            issues.append(_invalid_type(self.expected, value, path))


NUMBER = _Scalar("number")
BOOLEAN = _Scalar("boolean")


class Literal(Schema):
    def __init__(self, value: str) -> None:
        self.value = value

    def check(self, value: Any, path: Path, issues: List[Issue]) -> None:
        if value == self.value and isinstance(value, str):
            return
        issue: Issue = {} if value is MISSING else {"received": value}  # undefined vanishes from JSON
        issue.update(
            code="invalid_literal",
            expected=self.value,
            path=list(path),
            message=f"Invalid literal value, expected {json.dumps(self.value)}",
        )
        issues.append(issue)


class Enum(Schema):
    def __init__(self, *options: str) -> None:
        self.options = list(options)

    def check(self, value: Any, path: Path, issues: List[Issue]) -> None:
        joined = _join_values(self.options)
        if not isinstance(value, str):
            received = _parsed_type(value)
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


class OneOf(Schema):
    """``z.union``: valid when one option is; otherwise one ``invalid_union`` with every option's issues."""

    def __init__(self, *options: Schema) -> None:
        self.options = options

    def check(self, value: Any, path: Path, issues: List[Issue]) -> None:
        errors: List[Dict[str, Any]] = []
        for option in self.options:
            found: List[Issue] = []
            option.check(value, path, found)
            if not found:
                return
            errors.append({"issues": found, "name": "ZodError"})
        issues.append({"code": "invalid_union", "unionErrors": errors, "path": list(path), "message": "Invalid input"})


class Array(Schema):
    def __init__(self, item: Schema) -> None:
        self.item = item

    def check(self, value: Any, path: Path, issues: List[Issue]) -> None:
        if not isinstance(value, list):
            issues.append(_invalid_type("array", value, path))
            return
        for index, element in enumerate(value):
            self.item.check(element, (*path, index), issues)


class JsonObject(Schema):
    """``z.record(z.string(), jsonGuard)``: any JSON object."""

    def check(self, value: Any, path: Path, issues: List[Issue]) -> None:
        if not isinstance(value, dict):
            issues.append(_invalid_type("object", value, path))


class Object(Schema):
    """``z.object``: fields are checked in declaration order; unknown keys are ignored."""

    def __init__(self, fields: Mapping[str, Schema], optional: Sequence[str] = ()) -> None:
        self.fields = dict(fields)
        self.optional = frozenset(optional)

    def check(self, value: Any, path: Path, issues: List[Issue]) -> None:
        if not isinstance(value, dict):
            issues.append(_invalid_type("object", value, path))
            return
        for name, schema in self.fields.items():
            field = value.get(name, MISSING)
            if field is MISSING and name in self.optional:
                continue
            schema.check(field, (*path, name), issues)


class DiscriminatedUnion(Schema):
    def __init__(self, discriminator: str, options: Mapping[str, Schema]) -> None:
        self.discriminator = discriminator
        self.options = dict(options)

    def check(self, value: Any, path: Path, issues: List[Issue]) -> None:
        if not isinstance(value, dict):
            issues.append(_invalid_type("object", value, path))
            return
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
            return
        option.check(value, path, issues)


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


_IDENTIFIER = DiscriminatedUnion(
    "type",
    {
        "email": Object({"type": Literal("email"), "value": String(pattern=EMAIL_PATTERN, max_length=256)}),
        "phone": Object({"type": Literal("phone"), "value": String(pattern=PHONE_PATTERN)}),
    },
)

PASSWORD_BODY = Object({"password": String(min_length=1)})
CODE_SEND_BODY = Object(
    {"identifier": _IDENTIFIER, "templateType": OneOf(Literal("BindMfa"), Literal("UserPermissionValidation"))},
    optional=["templateType"],
)
CODE_VERIFY_BODY = Object({"identifier": _IDENTIFIER, "verificationId": String(), "code": String()})
SOCIAL_BODY = Object(
    {"state": String(), "redirectUri": String(), "scope": String(), "connectorId": String()},
    optional=["scope"],
)
SOCIAL_VERIFY_BODY = Object({"connectorData": JsonObject(), "verificationRecordId": String()})
_TRANSPORTS = Enum("usb", "nfc", "ble", "internal", "cable", "hybrid", "smart-card")
BIND_WEBAUTHN_BODY = Object(
    {
        "verificationRecordId": String(),
        "payload": Object(
            {
                "type": Literal("WebAuthn"),
                "id": String(),
                "rawId": String(),
                "response": Object(
                    {
                        "clientDataJSON": String(),
                        "attestationObject": String(),
                        "authenticatorData": String(),
                        "transports": Array(_TRANSPORTS),
                        "publicKeyAlgorithm": NUMBER,
                        "publicKey": String(),
                    },
                    optional=["authenticatorData", "transports", "publicKeyAlgorithm", "publicKey"],
                ),
                "authenticatorAttachment": Enum("cross-platform", "platform"),
                "clientExtensionResults": Object(
                    {
                        "appid": BOOLEAN,
                        "crepProps": Object({"rk": BOOLEAN}, optional=["rk"]),
                        "hmacCreateSecret": BOOLEAN,
                    },
                    optional=["appid", "crepProps", "hmacCreateSecret"],
                ),
            },
            optional=["authenticatorAttachment"],
        ),
    }
)
