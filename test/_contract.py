"""The contract the tests hold the SDK to: the OpenAPI document and the recorded
traffic in this repository, and helpers that walk the document.

Everything is read from files inside the repository (``spec/`` and
``test/fixtures/``), never from outside it.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import py_logto

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "spec" / "logto-verifications.openapi.json"
SHA256SUMS_PATH = ROOT / "spec" / "SHA256SUMS"
TRAFFIC_PATH = ROOT / "test" / "fixtures" / "traffic.jsonl"
DOCS_PATH = ROOT / "docs" / "VerificationsApi.md"

JsonObject = Dict[str, Any]
Path_ = Tuple[str, ...]


@functools.cache
def _spec_text() -> str:
    return SPEC_PATH.read_text(encoding="utf-8")


def load_spec() -> JsonObject:
    """A fresh copy of the spec (callers may change it)."""
    return json.loads(_spec_text())  # type: ignore[no-any-return]


SPEC: JsonObject = load_spec()


@functools.cache
def _traffic() -> Tuple[JsonObject, ...]:
    with TRAFFIC_PATH.open(encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines if line.strip())


def load_traffic() -> List[JsonObject]:
    """The recorded request/response pairs, in recording order (a fresh copy)."""
    return copy.deepcopy(list(_traffic()))


# -- names --------------------------------------------------------------------------


def snake_case(name: str) -> str:
    """``GenerateWebAuthnRegistrationOptions200Response`` -> ``generate_web_authn_registration_options200_response``
    (the generator's rule: a break before an upper-case letter that follows a lower-case letter or a digit)."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.lower()


def inline_model_name(owner: str, prop: str, *, items: bool) -> str:
    """The model name of an inline object: ``WebAuthnRegistrationOptions`` + ``rp`` ->
    ``WebAuthnRegistrationOptionsRp``; array items get ``Inner``."""
    return owner + prop[:1].upper() + prop[1:] + ("Inner" if items else "")


def ref_name(ref: str) -> str:
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix):
        raise ValueError(f"unsupported $ref {ref!r}")
    return ref[len(prefix) :]


def resolve(spec: JsonObject, schema: JsonObject) -> Tuple[Optional[str], JsonObject]:
    """``(component name, schema)`` for a ``$ref``; ``(None, schema)`` otherwise."""
    if "$ref" in schema:
        name = ref_name(schema["$ref"])
        return name, spec["components"]["schemas"][name]
    return None, schema


def is_inline_object(schema: JsonObject) -> bool:
    """An object with declared properties (a model of its own), as opposed to a free-form dict."""
    return "$ref" not in schema and schema.get("type") == "object" and "properties" in schema


# -- operations ---------------------------------------------------------------------


@dataclass(frozen=True)
class SpecOperation:
    operation_id: str
    method: str
    path: str
    request_schema: Optional[str]
    request_example: Any
    success_status: int
    response_schema: str
    error_statuses: Tuple[int, ...]
    #: status -> (schema name, example)
    responses: Dict[int, Tuple[Optional[str], Any]]


def _json_media(content: JsonObject, where: str) -> JsonObject:
    if "application/json" not in content:
        raise ValueError(f"{where}: no application/json content")
    return content["application/json"]  # type: ignore[no-any-return]


def operations(spec: JsonObject) -> Dict[str, SpecOperation]:
    """Every operation of the spec, keyed by operationId."""
    found: Dict[str, SpecOperation] = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in ("get", "put", "post", "delete", "patch", "options", "head", "trace"):
                continue
            op_id = op["operationId"]
            request_schema = request_example = None
            if "requestBody" in op:
                media = _json_media(op["requestBody"]["content"], f"{op_id} request body")
                request_schema, _ = resolve(spec, media["schema"])
                request_example = media.get("example")
            responses: Dict[int, Tuple[Optional[str], Any]] = {}
            for status, response in op["responses"].items():
                media = _json_media(response.get("content", {}), f"{op_id} {status}")
                responses[int(status)] = (resolve(spec, media["schema"])[0], media.get("example"))
            successes = sorted(s for s in responses if 200 <= s <= 299)
            if len(successes) != 1:
                raise ValueError(f"{op_id}: expected exactly one 2xx response, found {successes}")
            success = successes[0]
            response_schema = responses[success][0]
            if response_schema is None:
                raise ValueError(f"{op_id}: the {success} response schema is not a named component")
            found[op_id] = SpecOperation(
                operation_id=op_id,
                method=method.upper(),
                path=path,
                request_schema=request_schema,
                request_example=request_example,
                success_status=success,
                response_schema=response_schema,
                error_statuses=tuple(sorted(s for s in responses if s != success)),
                responses=responses,
            )
    return found


# -- schemas ------------------------------------------------------------------------


def model_schemas(spec: JsonObject) -> Dict[str, JsonObject]:
    """Every schema that has a model (or enum) of its own, by model name: the
    components, plus the inline objects nested in them under their generated names."""
    found: Dict[str, JsonObject] = {}

    def visit(name: str, schema: JsonObject) -> None:
        found[name] = schema
        for prop, sub in schema.get("properties", {}).items():
            if is_inline_object(sub):
                visit(inline_model_name(name, prop, items=False), sub)
            elif sub.get("type") == "array" and is_inline_object(sub.get("items", {})):
                visit(inline_model_name(name, prop, items=True), sub["items"])

    for name, schema in spec["components"]["schemas"].items():
        visit(name, schema)
    return found


def reachable(spec: JsonObject, roots: List[str]) -> List[str]:
    """The model names reachable from the named schemas (them included)."""
    seen: Dict[str, None] = {}

    def visit(name: str, schema: JsonObject) -> None:
        if name in seen:
            return
        seen[name] = None
        for member in schema.get("oneOf", []):
            target, resolved = resolve(spec, member)
            visit(target or name, resolved)
        for prop, sub in schema.get("properties", {}).items():
            walk(name, prop, sub, items=False)

    def walk(owner: str, prop: str, sub: JsonObject, *, items: bool) -> None:
        if "$ref" in sub:
            target, resolved = resolve(spec, sub)
            assert target is not None
            visit(target, resolved)
        elif is_inline_object(sub):
            visit(inline_model_name(owner, prop, items=items), sub)
        elif sub.get("type") == "array":
            walk(owner, prop, sub.get("items", {}), items=True)

    for root in roots:
        visit(root, spec["components"]["schemas"][root])
    return list(seen)


def request_models(spec: JsonObject) -> List[str]:
    """Model names reachable from request bodies."""
    roots = sorted({op.request_schema for op in operations(spec).values() if op.request_schema})
    return reachable(spec, roots)


def response_models(spec: JsonObject) -> List[str]:
    """Model names reachable from responses (success and error)."""
    roots = sorted({name for op in operations(spec).values() for name, _ in op.responses.values() if name is not None})
    return reachable(spec, roots)


# -- ECMA-262 patterns --------------------------------------------------------------

#: What ECMAScript's ``\s`` matches (Logto's zod regexes and Prism run on JavaScript).
JS_WHITESPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

_ESCAPES = {
    r"\d": "[0-9]",
    r"\D": "[^0-9]",
    r"\s": f"[{JS_WHITESPACE}]",
    r"\S": f"[^{JS_WHITESPACE}]",
}


def ecma_to_python(pattern: str) -> str:
    """Translate an anchored ECMA-262 pattern (``^...$``) into a Python pattern for
    ``re.fullmatch`` with the same meaning for the escapes the spec uses: ``\\d`` is
    ASCII-only and ``\\s`` is JavaScript's set. Anything else alphanumeric after a
    backslash, or a class escape inside ``[...]``, is refused rather than translated wrongly."""
    if not (pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$")):
        raise NotImplementedError(f"only ^...$ patterns are supported, got {pattern!r}")
    body = pattern[1:-1]
    out: List[str] = []
    in_class = False
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            escape = body[i : i + 2]
            if escape in _ESCAPES:
                if in_class:
                    raise NotImplementedError(f"{escape} inside a character class in {pattern!r}")
                out.append(_ESCAPES[escape])
            elif escape[1:].isalnum():
                raise NotImplementedError(f"escape {escape} in {pattern!r}")
            else:
                out.append(escape)
            i += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def js_fullmatch(pattern: str, value: str) -> bool:
    """Whether ``value`` matches the ECMA-262 ``pattern`` as JavaScript would test it."""
    return re.fullmatch(ecma_to_python(pattern), value) is not None


# -- request bodies: slots, samples and invalid values ------------------------------

MISSING = object()

#: A oneOf choice: the path of the property and the member schema chosen for it.
Pin = Tuple[Path_, str]


@dataclass(frozen=True)
class Slot:
    """One property of a request body, reached from the body's root."""

    operation_id: str
    path: Path_
    schema: JsonObject  # the property's schema, $ref resolved
    required: bool
    owner: str  # the model that declares the property
    pins: Tuple[Pin, ...]  # the oneOf members this slot lives in

    @property
    def id(self) -> str:
        branch = "".join(f"[{member}]" for _, member in self.pins)
        return f"{self.operation_id}:{'.'.join(self.path)}{branch}"


def request_slots(spec: JsonObject) -> List[Slot]:
    """Every property of every request body, nested ones included; a property inside a
    oneOf member appears once per member it belongs to."""
    slots: List[Slot] = []

    def walk(op_id: str, owner: str, schema: JsonObject, path: Path_, pins: Tuple[Pin, ...]) -> None:
        required = set(schema.get("required", []))
        for prop, raw in schema.get("properties", {}).items():
            target, sub = resolve(spec, raw)
            here = (*path, prop)
            slots.append(Slot(op_id, here, sub, prop in required, owner, pins))
            if "oneOf" in sub:
                for member in sub["oneOf"]:
                    member_name, member_schema = resolve(spec, member)
                    assert member_name is not None
                    walk(op_id, member_name, member_schema, here, (*pins, (here, member_name)))
            elif sub.get("type") == "object" and "properties" in sub:
                walk(op_id, target or inline_model_name(owner, prop, items=False), sub, here, pins)

    for op in operations(spec).values():
        if op.request_schema is not None:
            walk(op.operation_id, op.request_schema, spec["components"]["schemas"][op.request_schema], (), ())
    return slots


def example_values(spec: JsonObject) -> Dict[str, Any]:
    """The first value each property name has in the spec's request examples
    (``{"password": "correct-horse-battery-staple", "state": ..., ...}``)."""
    found: Dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                found.setdefault(key, value)
                walk(value)

    for op in operations(spec).values():
        walk(op.request_example)
    return found


def sample(
    spec: JsonObject,
    schema: JsonObject,
    *,
    pins: Tuple[Pin, ...] = (),
    force: Path_ = (),
    full: bool = False,
) -> Any:
    """A deterministic, realistic valid value of ``schema``, built from the spec's
    examples where it has them. Optional properties are included when ``full`` or when
    they lead to the path ``force``; a oneOf takes its pinned member (else the first)."""
    known = example_values(spec)

    def build(schema: JsonObject, path: Path_, name: str) -> Any:
        _, schema = resolve(spec, schema)
        if "oneOf" in schema:
            chosen = dict(pins).get(path)
            for member in schema["oneOf"]:
                member_name, member_schema = resolve(spec, member)
                if chosen is None or member_name == chosen:
                    return build(member_schema, path, name)
            raise ValueError(f"{'.'.join(path)}: no oneOf member named {chosen}")
        if "example" in schema:
            return copy.deepcopy(schema["example"])
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "object" and "properties" in schema:
            required = set(schema.get("required", []))
            value = {}
            for prop, sub in schema["properties"].items():
                here = (*path, prop)
                leads_to_force = len(force) > len(here) and force[: len(here)] == here
                if prop in required or full or leads_to_force:
                    value[prop] = build(sub, here, prop)
            return value
        if kind == "array":
            return [build(schema.get("items", {}), (*path, "0"), name)]
        example = known.get(name)
        if kind == "object":
            return copy.deepcopy(example) if isinstance(example, dict) else {"code": "8c2f1e0d9b7a6c5e4d3f"}
        if kind == "string":
            if isinstance(example, str):
                return example
            if "pattern" in schema:
                raise ValueError(f"{'.'.join(path)}: give the property an example so a valid value can be built")
            return f"sample-{name}".ljust(schema.get("minLength", 0), "x")
        if kind in ("number", "integer"):
            return example if isinstance(example, int) and not isinstance(example, bool) else 7
        if kind == "boolean":
            return True
        return {"anything": ["json", 1, True, None]}

    return build(schema, (), "body")


#: Values that break a pattern in ways people actually get wrong (a ``+`` or spaces in a
#: phone number, non-ASCII digits, a missing ``@``, a BOM that JavaScript counts as space).
PATTERN_BREAKERS = (
    "jane.doe at example.com",
    "+15551234567",
    "555 123 4567",
    "\u0661\u0665\u0665\u0665\u0661\u0662\u0663",
    "jane\ufeff@example.com",
    "",
)


def invalid_values(slot: Slot) -> List[Tuple[str, Any]]:
    """``(kind, value)`` pairs that break exactly one rule of the slot's schema.
    ``MISSING`` stands for "leave the property out"."""
    schema = slot.schema
    found: List[Tuple[str, Any]] = []
    if slot.required:
        found.append(("missing", MISSING))
    kind = schema.get("type")
    if "oneOf" in schema or kind == "object":
        found.append(("wrong-type", "not-an-object"))
    elif kind == "array":
        found.append(("wrong-type", "not-an-array"))
        items = schema.get("items", {})
        if "$ref" in items or "enum" in items:
            found.append(("enum", ["not-a-listed-value"]))
    elif kind in ("number", "integer"):
        found.append(("wrong-type", "not-a-number"))
    elif kind == "boolean":
        found.append(("wrong-type", "not-a-boolean"))
    elif kind == "string":
        found.append(("wrong-type", 12345))
        if "enum" in schema:
            found.append(("enum", "not-a-listed-value"))
        if "minLength" in schema:
            found.append(("min-length", "x" * (schema["minLength"] - 1)))
        if "maxLength" in schema:
            found.append(("max-length", too_long(schema)))
        if "pattern" in schema:
            for value in PATTERN_BREAKERS:
                if not js_fullmatch(schema["pattern"], value) and len(value) <= schema.get("maxLength", len(value)):
                    found.append(("pattern", value))
    return found


def too_long(schema: JsonObject) -> str:
    """A value one character longer than ``maxLength`` that breaks no other rule."""
    limit = schema["maxLength"] + 1
    seed = str(schema.get("example", "x"))
    value = seed[:1] * (limit - len(seed)) + seed
    if "pattern" in schema and not js_fullmatch(schema["pattern"], value):
        raise ValueError(f"cannot build an over-long value that matches {schema['pattern']!r}")
    return value


def with_value(body: Any, path: Path_, value: Any) -> Any:
    """A copy of ``body`` with ``path`` set to ``value`` (or removed, for ``MISSING``)."""
    body = copy.deepcopy(body)
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    if value is MISSING:
        parent.pop(path[-1], None)
    else:
        parent[path[-1]] = value
    return body


def iter_examples(spec: JsonObject) -> Iterator[Tuple[Path_, Any]]:
    """Every ``example``/``examples`` in the spec, with the keys that lead to it."""

    def walk(node: Any, where: Path_) -> Iterator[Tuple[Path_, Any]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("example", "examples"):
                    yield (*where, key), value
                else:
                    yield from walk(value, (*where, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, (*where, str(index)))

    yield from walk(spec, ())


# -- how the SDK names a body path in its errors -----------------------------------------


def wire_fields(model: Any) -> Dict[str, Any]:
    """``model.model_fields`` with their wire aliases filled in: before pydantic 2.12, a
    model with ``defer_build`` gets its generated aliases only when it is built."""
    if not model.__pydantic_complete__:
        model.model_rebuild()
    return model.model_fields  # type: ignore[no-any-return]


def error_labels(model: Any, slot: Slot) -> Tuple[str, ...]:
    """The labels an ``ApiValueError`` may use for ``slot`` (attribute names joined by dots):
    the plain path, the path with pydantic's union tag after a oneOf property, and, for the
    discriminator of a oneOf member, the oneOf property itself (pydantic reports a missing
    or unknown tag there)."""
    pinned = dict(slot.pins)
    plain: List[str] = []
    tagged: List[str] = []
    extra: List[str] = []
    current = model
    for depth, alias in enumerate(slot.path):
        name = next((n for n, f in wire_fields(current).items() if (f.alias or n) == alias), alias)
        plain.append(name)
        tagged.append(name)
        member = pinned.get(slot.path[: depth + 1])
        if member is not None:
            if slot.path[depth + 1 :] == ("type",):
                extra.append(".".join(plain))
            current = getattr(py_logto, member)
            tagged.append(str(current.model_fields["type"].default))
            continue
        annotation = _strip_none(current.model_fields[name].annotation) if name in current.model_fields else None
        if not isinstance(annotation, type):
            break
        current = annotation
    return tuple(dict.fromkeys([".".join(plain), ".".join(tagged), *extra]))


def _strip_none(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is typing.Union and len(args) == 1:
        return args[0]
    return annotation


def names_field(fields: Tuple[str, ...], labels: Tuple[str, ...]) -> bool:
    """Whether one of the reported ``fields`` is one of ``labels`` (or inside it, e.g. ``transports.0``)."""
    return any(field == label or field.startswith(label + ".") for field in fields for label in labels)


def union_tags(spec: JsonObject, slot: Slot) -> Tuple[str, ...]:
    """For the discriminator of a oneOf member (``identifier.type``), every tag of that oneOf."""
    if slot.path[:-1] not in dict(slot.pins):
        return ()
    schema = spec["components"]["schemas"][operations(spec)[slot.operation_id].request_schema]
    for key in slot.path[:-1]:
        schema = resolve(spec, schema["properties"][key])[1]
    discriminator = schema.get("discriminator", {})
    if discriminator.get("propertyName") != slot.path[-1]:
        return ()
    return tuple(discriminator.get("mapping", {}))


def filled_in_default(spec: JsonObject, slot: Slot) -> Optional[Any]:
    """The constant the SDK fills in when ``slot`` is left out (``"type": "WebAuthn"``), if any.
    A oneOf member's tag has none: in a dict, it is what picks the member."""
    if union_tags(spec, slot):
        return None
    owner = getattr(py_logto, slot.owner)
    for name, info in wire_fields(owner).items():
        if (info.alias or name) == slot.path[-1] and not info.is_required():
            return info.default
    return None


ACCESS_TOKEN = "opaque-access-token"


@contextlib.contextmanager
def api_at(url: str) -> Iterator[py_logto.VerificationsApi]:
    """A ``VerificationsApi`` talking to ``url`` with ``ACCESS_TOKEN``, no retries."""
    configuration = py_logto.Configuration(host=url)
    configuration.access_token = ACCESS_TOKEN
    configuration.retries = 0
    with py_logto.ApiClient(configuration) as client:
        yield py_logto.VerificationsApi(client)
