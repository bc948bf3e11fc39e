"""The contracts the tests hold the SDK to: the OpenAPI documents and the recorded
traffic in this repository (one :class:`Contract` each: Verifications and Account), and
helpers that walk a document.

Everything is read from files inside the repository (``spec/`` and
``test/fixtures/``), never from outside it.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib
import json
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple, Type, TypeVar

import py_logto

ROOT = Path(__file__).resolve().parent.parent
SHA256SUMS_PATH = ROOT / "spec" / "SHA256SUMS"

JsonObject = Dict[str, Any]
Path_ = Tuple[str, ...]

_A = TypeVar("_A")


class Contract:
    """One contract the SDK implements: its OpenAPI document, the traffic recorded against
    a real Logto, the API class and operation table that implement it, and its docs page."""

    def __init__(self, key: str, spec: str, traffic: str, api_module: str, api_class: str, docs: str) -> None:
        self.key = key
        self.spec_path = ROOT / "spec" / spec
        self.traffic_path = ROOT / "test" / "fixtures" / traffic
        self.api_module = api_module
        self.api_class_name = api_class
        self.docs_path = ROOT / "docs" / docs

    def __repr__(self) -> str:
        return f"Contract({self.key})"

    @functools.cached_property
    def _spec_text(self) -> str:
        return self.spec_path.read_text(encoding="utf-8")

    def load_spec(self) -> JsonObject:
        """A fresh copy of the spec (callers may change it)."""
        return json.loads(self._spec_text)  # type: ignore[no-any-return]

    @functools.cached_property
    def spec(self) -> JsonObject:
        """The spec, shared: do not change it (use :meth:`load_spec`)."""
        return self.load_spec()

    @functools.cached_property
    def _traffic(self) -> Tuple[JsonObject, ...]:
        with self.traffic_path.open(encoding="utf-8") as lines:
            return tuple(json.loads(line) for line in lines if line.strip())

    def load_traffic(self) -> List[JsonObject]:
        """The recorded request/response pairs, in recording order (a fresh copy)."""
        return copy.deepcopy(list(self._traffic))

    @property
    def api_class(self) -> Type[Any]:
        return getattr(importlib.import_module(self.api_module), self.api_class_name)  # type: ignore[no-any-return]

    @property
    def table(self) -> Dict[str, Any]:
        """The SDK's operation table for this contract (``_OPERATIONS``: operationId -> Operation)."""
        return importlib.import_module(self.api_module)._OPERATIONS  # type: ignore[no-any-return]

    @property
    def docs_name(self) -> str:
        return str(self.docs_path.relative_to(ROOT))


VERIFICATIONS = Contract(
    "verifications",
    "logto-verifications.openapi.json",
    "traffic.jsonl",
    "py_logto.api.verifications_api",
    "VerificationsApi",
    "VerificationsApi.md",
)
ACCOUNT = Contract(
    "account",
    "logto-account.openapi.json",
    "account-traffic.jsonl",
    "py_logto.api.my_account_api",
    "MyAccountApi",
    "MyAccountApi.md",
)
CONTRACTS = (VERIFICATIONS, ACCOUNT)

# The Verifications contract under its historical names.
SPEC_PATH = VERIFICATIONS.spec_path
TRAFFIC_PATH = VERIFICATIONS.traffic_path
DOCS_PATH = VERIFICATIONS.docs_path
SPEC: JsonObject = VERIFICATIONS.spec
ACCOUNT_SPEC: JsonObject = ACCOUNT.spec


def load_spec() -> JsonObject:
    """A fresh copy of the Verifications spec (callers may change it)."""
    return VERIFICATIONS.load_spec()


def load_traffic() -> List[JsonObject]:
    """The Verifications traffic, in recording order (a fresh copy)."""
    return VERIFICATIONS.load_traffic()


# -- names --------------------------------------------------------------------------


def snake_case(name: str) -> str:
    """``GenerateWebAuthnRegistrationOptions200Response`` -> ``generate_web_authn_registration_options200_response``,
    ``logto-verification-id`` -> ``logto_verification_id`` (the generator's rule: a break before an upper-case
    letter that follows a lower-case letter or a digit; a hyphen becomes an underscore)."""
    name = name.replace("-", "_")
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

#: The option parameters every operation method ends with, in the generated client's order.
OPTION_PARAMETERS = ("_request_timeout", "_request_auth", "_content_type", "_headers", "_host_index")


@dataclass(frozen=True)
class SpecParam:
    """One parameter of an operation method, as the spec defines it."""

    name: str  # the Python parameter name
    wire: str  # the name on the wire (header, path or query name; the body's schema name)
    location: str  # path | query | header | body | file
    required: bool
    schema: JsonObject  # $ref resolved
    ref: Optional[str]  # the component the schema comes from, if any
    example: Any
    description: str


@dataclass(frozen=True)
class SpecOperation:
    operation_id: str
    method: str
    path: str
    #: The method's parameters in the generated client's order: the spec's parameters, then
    #: the body (or the multipart file), required ones first.
    params: Tuple[SpecParam, ...]
    body_kind: Optional[str]  # json | multipart | None
    request_schema: Optional[str]
    request_example: Any
    success_status: int
    response_kind: str  # model | list | text | empty
    response_schema: Optional[str]  # the model (of the items, for a list)
    error_statuses: Tuple[int, ...]
    #: status -> (schema name, example); the schema of a list is its items', of text or nothing None
    responses: Dict[int, Tuple[Optional[str], Any]]

    @property
    def success_example(self) -> Any:
        return self.responses[self.success_status][1]

    def param(self, name: str) -> SpecParam:
        return next(p for p in self.params if p.name == name)


def _spec_params(spec: JsonObject, op: JsonObject) -> List[SpecParam]:
    found = []
    for raw in op.get("parameters", []):
        if "$ref" in raw:
            prefix = "#/components/parameters/"
            assert raw["$ref"].startswith(prefix), raw
            raw = spec["components"]["parameters"][raw["$ref"][len(prefix) :]]
        ref, schema = resolve(spec, raw.get("schema", {}))
        found.append(
            SpecParam(
                snake_case(raw["name"]),
                raw["name"],
                raw["in"],
                bool(raw.get("required")),
                schema,
                ref,
                raw.get("example"),
                raw.get("description", ""),
            )
        )
    return found


def _response(spec: JsonObject, op_id: str, status: str, response: JsonObject) -> Tuple[str, Optional[str], Any]:
    """``(kind, schema name, example)`` of one response."""
    content = response.get("content") or {}
    if not content:
        return "empty", None, None
    if "application/json" in content:
        media = content["application/json"]
        schema = media["schema"]
        if schema.get("type") == "array":
            name = resolve(spec, schema["items"])[0]
            kind = "list"
        else:
            name = resolve(spec, schema)[0]
            kind = "model"
        if name is None and status.startswith("2"):
            raise ValueError(f"{op_id} {status}: the response schema is not a named component")
        return kind, name, media.get("example")
    if "text/plain" in content:
        return "text", None, content["text/plain"].get("example")
    raise ValueError(f"{op_id} {status}: no JSON or text content")


def operations(spec: JsonObject) -> Dict[str, SpecOperation]:
    """Every operation of the spec, keyed by operationId."""
    found: Dict[str, SpecOperation] = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in ("get", "put", "post", "delete", "patch", "options", "head", "trace"):
                continue
            op_id = op["operationId"]
            params = _spec_params(spec, op)
            body_kind = request_schema = request_example = None
            if "requestBody" in op:
                body = op["requestBody"]
                content = body["content"]
                if "application/json" in content:
                    media = content["application/json"]
                    request_schema, schema = resolve(spec, media["schema"])
                    if request_schema is None:
                        raise ValueError(f"{op_id}: the request body is not a named component")
                    request_example = media.get("example")
                    body_kind = "json"
                    params.append(
                        SpecParam(
                            snake_case(request_schema),
                            request_schema,
                            "body",
                            bool(body.get("required")),
                            schema,
                            request_schema,
                            request_example,
                            body.get("description", ""),
                        )
                    )
                elif "multipart/form-data" in content:
                    body_kind = "multipart"
                    schema = content["multipart/form-data"]["schema"]
                    for prop, sub in schema["properties"].items():
                        params.append(
                            SpecParam(
                                snake_case(prop),
                                prop,
                                "file",
                                prop in schema.get("required", []),
                                sub,
                                None,
                                None,
                                sub.get("description", ""),
                            )
                        )
                else:
                    raise ValueError(f"{op_id}: unsupported request media {sorted(content)}")
            params.sort(key=lambda p: not p.required)  # stable: the spec's order within each group
            responses: Dict[int, Tuple[Optional[str], Any]] = {}
            kinds: Dict[int, str] = {}
            for status, response in op["responses"].items():
                kind, name, example = _response(spec, op_id, status, response)
                responses[int(status)] = (name, example)
                kinds[int(status)] = kind
            successes = sorted(s for s in responses if 200 <= s <= 299)
            if len(successes) != 1:
                raise ValueError(f"{op_id}: expected exactly one 2xx response, found {successes}")
            success = successes[0]
            errors = tuple(sorted(s for s in responses if s != success))
            for status in errors:
                if kinds[status] != "model":
                    raise ValueError(f"{op_id}: the {status} response is not a JSON error body")
            found[op_id] = SpecOperation(
                operation_id=op_id,
                method=method.upper(),
                path=path,
                params=tuple(params),
                body_kind=body_kind,
                request_schema=request_schema,
                request_example=request_example,
                success_status=success,
                response_kind=kinds[success],
                response_schema=responses[success][0],
                error_statuses=errors,
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
        elif isinstance(sub.get("additionalProperties"), dict):
            walk(owner, prop, sub["additionalProperties"], items=False)

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
    r"\w": "[A-Za-z0-9_]",
    r"\W": "[^A-Za-z0-9_]",
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


#: Values that are not an absolute URL (``format: uri``, zod's ``.url()``).
URI_BREAKERS = ("not a url", "/avatars/me.png", "example.com/me.png", "https://exa mple.com/a.png", "")


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
        if schema.get("format") == "uri":
            found += [("format", value) for value in URI_BREAKERS]
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
def api_at(url: str, api_class: Type[_A] = py_logto.VerificationsApi) -> Iterator[_A]:  # type: ignore[assignment]
    """An ``api_class`` (``VerificationsApi`` by default) talking to ``url`` with
    ``ACCESS_TOKEN``, no retries."""
    configuration = py_logto.Configuration(host=url)
    configuration.access_token = ACCESS_TOKEN
    configuration.retries = 0
    with py_logto.ApiClient(configuration) as client:
        yield api_class(client)  # type: ignore[call-arg]
