"""The SDK covers the spec one for one.

Every operationId has its operation table entry, its three methods, a section in
docs/VerificationsApi.md and an HTTP test; every schema (inline objects included,
under their generated names) has a model whose fields match the schema's
properties: alias, required or optional, type, length and pattern constraints, enum
values and nested models. The checker returns readable problems, and the last tests
prove that it notices when the spec grows and the SDK does not.
"""

from __future__ import annotations

import copy
import enum
import hashlib
import importlib
import inspect
import typing
from typing import Any, Dict, FrozenSet, List, Literal, Optional, Tuple, Union

import pytest
import urllib3
from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo

import py_logto
import py_logto.models
from py_logto.api.verifications_api import _OPERATIONS, VerificationsApi
from py_logto.api_response import ApiResponse
from test import _contract as contract
from test._contract import SPEC, JsonObject

#: Exports of ``py_logto.models`` that are helpers, not schemas.
_NOT_SCHEMAS = frozenset({"VerificationCodeIdentifierInput"})

#: Schema keywords this checker understands; any other one is reported, so a new
#: constraint in the spec cannot pass unnoticed.
_KNOWN_KEYWORDS = frozenset(
    {
        "type",
        "description",
        "example",
        "enum",
        "minLength",
        "maxLength",
        "pattern",
        "items",
        "properties",
        "required",
        "additionalProperties",
        "$ref",
        "oneOf",
        "discriminator",
    }
)


def _http_tested_operations() -> FrozenSet[str]:
    """Operations that the contract tests send over HTTP (to Prism)."""
    from test.test_prism import VALID_REQUESTS

    return frozenset(op_id for op_id, requests in VALID_REQUESTS.items() if requests)


# -- shapes: what a property is, said the same way for the spec and for a model --------

Shape = Tuple[Any, ...]


def _render(shape: Shape) -> str:
    kind = shape[0]
    if kind == "enum":
        _, values, tolerant, class_name = shape
        owner = f"{class_name} " if class_name else ""
        mode = "also any other string" if tolerant else "nothing else"
        return f"{owner}enum {sorted(values)} ({mode})"
    if kind == "array":
        return f"array of {_render(shape[1])}"
    if kind == "model":
        return f"model {shape[1]}"
    if kind == "union":
        return "union of " + " | ".join(sorted(shape[1]))
    if kind == "unknown":
        return f"unrecognised annotation {shape[1]}"
    return str(kind)


def _spec_shape(
    spec: JsonObject, owner: str, prop: str, schema: JsonObject, *, tolerant: bool, items: bool = False
) -> Shape:
    """What the model field for ``prop`` (or, with ``items``, its array items) must look like."""
    if "$ref" in schema:
        target, resolved = contract.resolve(spec, schema)
        if "oneOf" in resolved:
            return ("union", frozenset(str(contract.resolve(spec, m)[0]) for m in resolved["oneOf"]))
        if "enum" in resolved:
            return ("enum", frozenset(resolved["enum"]), tolerant, target)
        return ("model", target)
    kind = schema.get("type")
    if "enum" in schema:
        return ("enum", frozenset(schema["enum"]), tolerant, None)
    if kind == "array":
        return ("array", _spec_shape(spec, owner, prop, schema.get("items", {}), tolerant=tolerant, items=True))
    if contract.is_inline_object(schema):
        return ("model", contract.inline_model_name(owner, prop, items=items))
    if kind == "object":
        return ("free-object",)
    if kind is None:
        return ("any",)
    return (kind,)


def _strip_optional(annotation: Any) -> Tuple[Any, bool]:
    if typing.get_origin(annotation) in (Union, getattr(__import__("types"), "UnionType", Union)):
        args = typing.get_args(annotation)
        if type(None) in args:
            rest = tuple(a for a in args if a is not type(None))
            return (rest[0] if len(rest) == 1 else Union[rest]), True  # type: ignore[return-value]
    return annotation, False


def _model_shape(annotation: Any) -> Shape:
    """What a model field's annotation accepts, in the terms of ``_spec_shape``."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _model_shape(args[0])
    if annotation is Any:
        return ("any",)
    simple = {str: ("string",), bool: ("boolean",), int: ("integer",), float: ("number",)}
    if annotation in simple:
        return simple[annotation]
    if origin is Literal:
        return ("enum", frozenset(args), False, None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return ("enum", frozenset(m.value for m in annotation), False, annotation.__name__)
    if isinstance(annotation, type) and issubclass(annotation, RootModel):
        return _model_shape(annotation.model_fields["root"].annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return ("model", annotation.__name__)
    if origin in (list, List):
        return ("array", _model_shape(args[0]))
    if origin in (dict, Dict) and args[:1] == (str,) and args[1:] in ((Any,), ()):
        return ("free-object",)
    if origin is Union:
        members = set(args)
        if members == {int, float}:
            return ("number",)
        if str in members and len(members) == 2:
            (other,) = members - {str}
            inner = _model_shape(other)
            if inner[0] == "enum":
                return ("enum", inner[1], True, inner[3])
        shapes = [_model_shape(a) for a in args]
        if all(s[0] == "model" for s in shapes):
            return ("union", frozenset(s[1] for s in shapes))
    return ("unknown", repr(annotation))


def _constraints(info: FieldInfo) -> Dict[str, Any]:
    found: Dict[str, Any] = {}
    for item in info.metadata:
        for attr, keyword in (("min_length", "minLength"), ("max_length", "maxLength"), ("pattern", "pattern")):
            value = getattr(item, attr, None)
            if value is not None:
                found[keyword] = value
    return found


# -- the checker -----------------------------------------------------------------------


def _lookup_model(name: str) -> Tuple[Optional[Any], List[str]]:
    """The class exported as ``py_logto.<name>``, and problems with how it is exported."""
    problems: List[str] = []
    module_name = f"py_logto.models.{contract.snake_case(name)}"
    top = getattr(py_logto, name, None)
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        module = None
    in_module = getattr(module, name, None) if module is not None else None
    if top is None and in_module is None:
        return None, [f"schema {name}: no model: neither py_logto.{name} nor {module_name}.{name} exists"]
    if top is None:
        problems.append(f"schema {name}: {module_name}.{name} exists but py_logto does not export {name}")
    if in_module is None:
        problems.append(f"schema {name}: py_logto.{name} exists but {module_name}.{name} does not")
    if top is not None and in_module is not None and top is not in_module:
        problems.append(f"schema {name}: py_logto.{name} and {module_name}.{name} are different objects")
    return top if top is not None else in_module, problems


def schema_problems(spec: JsonObject, name: str) -> List[str]:
    """Everything in which the SDK's model for schema ``name`` differs from the spec."""
    schema = contract.model_schemas(spec)[name]
    unknown = sorted(set(schema) - _KNOWN_KEYWORDS)
    problems = [f"schema {name}: keyword {k!r} is not checked by test_spec_coverage: teach it" for k in unknown]
    model, lookup_problems = _lookup_model(name)
    problems += lookup_problems
    if model is None:
        return problems
    if "oneOf" in schema:
        return problems + _union_problems(spec, name, schema, model)
    if schema.get("type") == "string" and "enum" in schema:
        if not (isinstance(model, type) and issubclass(model, enum.Enum)):
            return [*problems, f"schema {name}: py_logto.{name} is not an Enum"]
        values = sorted(m.value for m in model)
        if values != sorted(schema["enum"]):
            problems.append(f"schema {name}: enum values differ: spec {sorted(schema['enum'])}, {name} {values}")
        return problems
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return [*problems, f"schema {name}: py_logto.{name} is not a pydantic model"]
    return problems + _object_problems(spec, name, schema, model)


def _union_problems(spec: JsonObject, name: str, schema: JsonObject, model: Any) -> List[str]:
    problems: List[str] = []
    if not (isinstance(model, type) and issubclass(model, RootModel)):
        return [f"schema {name}: py_logto.{name} is not a RootModel union"]
    members = {str(contract.resolve(spec, m)[0]) for m in schema["oneOf"]}
    shape = _model_shape(model)
    if shape != ("union", frozenset(members)):
        problems.append(f"schema {name}: spec oneOf {sorted(members)}, {name} is {_render(shape)}")
    discriminator = schema.get("discriminator", {})
    tag_name = _discriminator(contract.wire_fields(model)["root"])
    if discriminator.get("propertyName") != tag_name:
        problems.append(
            f"schema {name}: discriminator is {discriminator.get('propertyName')!r} in the spec, {tag_name!r} on {name}"
        )
    for tag, ref in discriminator.get("mapping", {}).items():
        member = getattr(py_logto, contract.ref_name(ref), None)
        field = contract.wire_fields(member).get(str(tag_name)) if member is not None else None
        if field is None or typing.get_args(field.annotation) != (tag,):
            problems.append(f"schema {name}: mapping {tag!r} -> {contract.ref_name(ref)} is not what the model tags")
    return problems


def _discriminator(field: FieldInfo) -> Optional[str]:
    """The field's discriminator (pydantic before 2.12 leaves it in the ``Annotated`` metadata)."""
    if field.discriminator is not None:
        return str(field.discriminator)
    for item in typing.get_args(field.annotation)[1:]:
        if isinstance(item, FieldInfo) and item.discriminator is not None:
            return str(item.discriminator)
    return None


def _object_problems(spec: JsonObject, name: str, schema: JsonObject, model: Any) -> List[str]:
    problems: List[str] = []
    tolerant = name in contract.response_models(spec)
    if tolerant and model.model_config.get("extra") != "allow":
        problems.append(f"schema {name}: a response model must keep unknown fields (extra='allow')")
    request_roots = {op.request_schema for op in contract.operations(spec).values()}
    if name in request_roots and model.model_config.get("extra") != "forbid":
        problems.append(f"schema {name}: a request body model must refuse unknown fields (extra='forbid')")
    by_alias = {(info.alias or attr): (attr, info) for attr, info in contract.wire_fields(model).items()}
    properties: Dict[str, JsonObject] = schema.get("properties", {})
    required = set(schema.get("required", []))
    for alias in sorted(set(by_alias) - set(properties)):
        attr = by_alias[alias][0]
        problems.append(f"{name}: model field {attr} (alias {alias!r}) is not a property in the spec")
    for prop, prop_schema in properties.items():
        where = f"{name}.{prop}"
        unknown = sorted(set(prop_schema) - _KNOWN_KEYWORDS)
        problems += [f"{where}: keyword {k!r} is not checked by test_spec_coverage: teach it" for k in unknown]
        if prop not in by_alias:
            expected = _render(_spec_shape(spec, name, prop, prop_schema, tolerant=tolerant))
            problems.append(
                f"{where}: {model.__name__} has no field with alias {prop!r} "
                f"(expected {contract.snake_case(prop)}: {expected}, {'required' if prop in required else 'optional'})"
            )
            continue
        attr, info = by_alias[prop]
        problems += _field_problems(spec, name, prop, prop_schema, prop in required, attr, info, tolerant=tolerant)
    return problems


def _field_problems(
    spec: JsonObject,
    owner: str,
    prop: str,
    schema: JsonObject,
    required: bool,
    attr: str,
    info: FieldInfo,
    *,
    tolerant: bool,
) -> List[str]:
    where = f"{owner}.{prop}"
    problems: List[str] = []
    if attr != contract.snake_case(prop):
        problems.append(f"{where}: attribute is {attr}, expected {contract.snake_case(prop)}")
    annotation, nullable = _strip_optional(info.annotation)
    _, resolved = contract.resolve(spec, schema)
    constant = resolved.get("enum", [None, None])
    # A single-value enum (a discriminator or constant) may default to its value: it is still always sent.
    defaults_to_constant = len(constant) == 1 and info.default == constant[0]
    if required and not info.is_required() and not defaults_to_constant:
        problems.append(f"{where}: required in the spec, but {attr} is optional (default {info.default!r})")
    if required and nullable:
        problems.append(f"{where}: required in the spec, but {attr} accepts None")
    if not required and info.is_required():
        problems.append(f"{where}: optional in the spec, but {attr} is required")
    expected = _spec_shape(spec, owner, prop, schema, tolerant=tolerant)
    actual = _model_shape(annotation)
    if actual != expected:
        problems.append(f"{where}: the spec says {_render(expected)}, {attr} is {_render(actual)}")
    spec_constraints = {k: resolved[k] for k in ("minLength", "maxLength", "pattern") if k in resolved}
    model_constraints = _constraints(info)
    for keyword in sorted(set(spec_constraints) | set(model_constraints)):
        if spec_constraints.get(keyword) != model_constraints.get(keyword):
            problems.append(
                f"{where}: {keyword} is {spec_constraints.get(keyword)!r} in the spec, "
                f"{model_constraints.get(keyword)!r} on {attr}"
            )
    return problems


def operation_problems(spec: JsonObject, operation_id: str) -> List[str]:
    """Everything in which the SDK's operation ``operation_id`` differs from the spec."""
    op = contract.operations(spec)[operation_id]
    where = f"operation {operation_id} ({op.method} {op.path})"
    problems: List[str] = []
    sdk_op = _OPERATIONS.get(operation_id)
    if sdk_op is None:
        problems.append(f"{where}: no entry in py_logto.api.verifications_api._OPERATIONS")
    else:
        request_name = sdk_op.request_type.__name__ if sdk_op.request_type is not None else None
        expected_body_param = contract.snake_case(op.request_schema) if op.request_schema else None
        for label, actual, wanted in (
            ("method", sdk_op.method, op.method),
            ("path", sdk_op.path, op.path),
            ("request_type", request_name, op.request_schema),
            ("body_param", sdk_op.body_param, expected_body_param),
            ("success_status", sdk_op.success_status, op.success_status),
            ("response_type", sdk_op.response_type.__name__, op.response_schema),
            ("error_statuses", tuple(sorted(sdk_op.error_statuses)), op.error_statuses),
        ):
            if actual != wanted:
                problems.append(f"{where}: Operation.{label} is {actual!r}, the spec says {wanted!r}")
    problems += _method_problems(spec, operation_id)
    if operation_id not in _http_tested_operations():
        problems.append(f"{where}: no HTTP test sends it: add a valid request to VALID_REQUESTS in test/test_prism.py")
    return problems


def _method_problems(spec: JsonObject, operation_id: str) -> List[str]:
    op = contract.operations(spec)[operation_id]
    base = contract.snake_case(operation_id)
    where = f"operation {operation_id}"
    problems: List[str] = []
    request_model = getattr(py_logto, op.request_schema, None) if op.request_schema else None
    response_model = getattr(py_logto, op.response_schema, None)
    returns = {
        base: response_model,
        f"{base}_with_http_info": ApiResponse[response_model] if response_model is not None else None,  # type: ignore[valid-type]
        f"{base}_without_preload_content": urllib3.BaseHTTPResponse,
    }
    for method_name, expected_return in returns.items():
        method = getattr(VerificationsApi, method_name, None)
        if method is None:
            problems.append(f"{where}: VerificationsApi has no method {method_name}")
            continue
        params = list(inspect.signature(method).parameters.values())[1:]
        names = [p.name for p in params if p.kind is not inspect.Parameter.VAR_KEYWORD]
        expected_names = [contract.snake_case(op.request_schema)] if op.request_schema else []
        if names != expected_names:
            problems.append(f"{where}: {method_name} takes {names}, expected {expected_names} and **options")
        hints = typing.get_type_hints(method)
        if expected_names and names == expected_names and hints.get(names[0]) is not request_model:
            problems.append(f"{where}: {method_name}({names[0]}) is not typed {op.request_schema}")
        if expected_return is not None and hints.get("return") != expected_return:
            problems.append(f"{where}: {method_name} returns {hints.get('return')}, expected {expected_return}")
    return problems


def docs_problems(spec: JsonObject, docs: Optional[str]) -> List[str]:
    """Operations without a ``# **method_name**`` section in docs/VerificationsApi.md."""
    methods = [contract.snake_case(op_id) for op_id in contract.operations(spec)]
    if docs is None:
        return [
            f"{contract.DOCS_PATH.relative_to(contract.ROOT)} does not exist: it needs a "
            f"'# **method_name**' section for each of {methods}"
        ]
    headings = {line.strip() for line in docs.splitlines()}
    return [
        f"docs/VerificationsApi.md has no '# **{method}**' section (operation {op_id})"
        for op_id, method in zip(contract.operations(spec), methods)
        if f"# **{method}**" not in headings
    ]


def sdk_extras(spec: JsonObject) -> List[str]:
    """What the SDK has that the spec does not: operations, methods and models."""
    problems: List[str] = []
    spec_ops = contract.operations(spec)
    for op_id in sorted(set(_OPERATIONS) - set(spec_ops)):
        problems.append(f"_OPERATIONS has {op_id}, which is not in the spec")
    expected_methods = {
        f"{contract.snake_case(op_id)}{suffix}"
        for op_id in spec_ops
        for suffix in ("", "_with_http_info", "_without_preload_content")
    }
    public = {name for name, _ in inspect.getmembers(VerificationsApi, inspect.isfunction) if not name.startswith("_")}
    for name in sorted(public - expected_methods):
        problems.append(f"VerificationsApi.{name} is not an operation of the spec")
    schemas = set(contract.model_schemas(spec))
    for name in sorted(set(py_logto.models.__all__) - schemas - _NOT_SCHEMAS):
        problems.append(f"py_logto.models exports {name}, which is not a schema of the spec")
    return problems


def all_problems(spec: JsonObject, docs: Optional[str]) -> List[str]:
    problems: List[str] = []
    for op_id in contract.operations(spec):
        problems += operation_problems(spec, op_id)
    for name in contract.model_schemas(spec):
        problems += schema_problems(spec, name)
    return problems + docs_problems(spec, docs) + sdk_extras(spec)


def _read_docs() -> Optional[str]:
    try:
        return contract.DOCS_PATH.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _report(problems: List[str]) -> str:
    return "\n".join(["the SDK does not follow the spec:", *(f"  - {p}" for p in problems)])


# -- the tests ----------------------------------------------------------------------------


def test_spec_and_traffic_are_the_recorded_copies() -> None:
    sums = {}
    for line in contract.SHA256SUMS_PATH.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, path = line.split(maxsplit=1)
            sums[path.lstrip("*")] = digest
    assert set(sums) == {
        "spec/logto-verifications.openapi.json",
        "spec/logto-account.openapi.json",
        "test/fixtures/traffic.jsonl",
        "test/fixtures/account-traffic.jsonl",
    }
    for path, digest in sums.items():
        actual = hashlib.sha256((contract.ROOT / path).read_bytes()).hexdigest()
        assert actual == digest, f"{path} changed: sha256 {actual}, spec/SHA256SUMS records {digest}"


def test_the_spec_has_what_the_tests_expect() -> None:
    ops = contract.operations(SPEC)
    assert len(ops) == 7
    assert len(contract.model_schemas(SPEC)) == 26
    assert len(contract.load_traffic()) == 238


@pytest.mark.parametrize("operation_id", sorted(contract.operations(SPEC)))
def test_operation_follows_the_spec(operation_id: str) -> None:
    problems = operation_problems(SPEC, operation_id)
    assert not problems, _report(problems)


@pytest.mark.parametrize("name", sorted(contract.model_schemas(SPEC)))
def test_schema_has_a_matching_model(name: str) -> None:
    problems = schema_problems(SPEC, name)
    assert not problems, _report(problems)


def test_every_operation_has_a_docs_section() -> None:
    problems = docs_problems(SPEC, _read_docs())
    assert not problems, _report(problems)


def test_the_sdk_has_nothing_the_spec_does_not() -> None:
    problems = sdk_extras(SPEC)
    assert not problems, _report(problems)


# -- the checker notices when the spec grows and the SDK does not --------------------------


def _add_totp_operation(spec: JsonObject) -> None:
    spec["components"]["schemas"]["CreateVerificationByTotpRequest"] = {
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"type": "string", "pattern": "^\\d{6}$"}},
    }
    spec["paths"]["/api/verifications/totp"] = {
        "post": {
            "operationId": "CreateVerificationByTotp",
            "requestBody": {
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/CreateVerificationByTotpRequest"}}
                }
            },
            "responses": {
                "201": {
                    "description": "Created",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/CreateVerificationByPassword201Response"}
                        }
                    },
                }
            },
        }
    }


def _schemas(spec: JsonObject) -> Dict[str, JsonObject]:
    return spec["components"]["schemas"]  # type: ignore[no-any-return]


MUTATIONS = {
    "new operation": (
        _add_totp_operation,
        [
            "operation CreateVerificationByTotp (POST /api/verifications/totp): "
            "no entry in py_logto.api.verifications_api._OPERATIONS",
            "operation CreateVerificationByTotp: VerificationsApi has no method create_verification_by_totp",
            "operation CreateVerificationByTotp: VerificationsApi has no method create_verification_by_totp_with_http_info",
            "operation CreateVerificationByTotp: VerificationsApi has no method "
            "create_verification_by_totp_without_preload_content",
            "docs/VerificationsApi.md has no '# **create_verification_by_totp**' section (operation CreateVerificationByTotp)",
            "operation CreateVerificationByTotp (POST /api/verifications/totp): no HTTP test sends it",
            "schema CreateVerificationByTotpRequest: no model: neither py_logto.CreateVerificationByTotpRequest nor "
            "py_logto.models.create_verification_by_totp_request.CreateVerificationByTotpRequest exists",
        ],
    ),
    "new request property": (
        lambda s: _schemas(s)["CreateVerificationByPasswordRequest"]["properties"].update(
            {"otp": {"type": "string", "maxLength": 6}}
        ),
        [
            "CreateVerificationByPasswordRequest.otp: CreateVerificationByPasswordRequest has no field with alias 'otp' "
            "(expected otp: string, optional)"
        ],
    ),
    "new required response property": (
        lambda s: (
            _schemas(s)["CreateVerificationByPassword201Response"]["properties"].update(
                {"createdAt": {"type": "number"}}
            ),
            _schemas(s)["CreateVerificationByPassword201Response"]["required"].append("createdAt"),
        ),
        [
            "CreateVerificationByPassword201Response.createdAt: CreateVerificationByPassword201Response has no field "
            "with alias 'createdAt' (expected created_at: number, required)"
        ],
    ),
    "new property in an inline object": (
        lambda s: _schemas(s)["WebAuthnRegistrationOptions"]["properties"]["rp"]["properties"].update(
            {"icon": {"type": "string"}}
        ),
        ["WebAuthnRegistrationOptionsRp.icon: WebAuthnRegistrationOptionsRp has no field with alias 'icon'"],
    ),
    "new inline object": (
        lambda s: _schemas(s)["WebAuthnRegistrationOptions"]["properties"].update(
            {"hints": {"type": "object", "properties": {"preferred": {"type": "boolean"}}}}
        ),
        [
            "WebAuthnRegistrationOptions.hints: WebAuthnRegistrationOptions has no field with alias 'hints' "
            "(expected hints: model WebAuthnRegistrationOptionsHints, optional)",
            "schema WebAuthnRegistrationOptionsHints: no model",
        ],
    ),
    "new schema": (
        lambda s: _schemas(s).update({"TotpSecret": {"type": "object", "properties": {"secret": {"type": "string"}}}}),
        ["schema TotpSecret: no model: neither py_logto.TotpSecret nor py_logto.models.totp_secret.TotpSecret exists"],
    ),
    "new enum value": (
        lambda s: _schemas(s)["CreateVerificationByVerificationCodeRequest"]["properties"]["templateType"][
            "enum"
        ].append("SignIn"),
        [
            "CreateVerificationByVerificationCodeRequest.templateType: the spec says enum "
            "['BindMfa', 'SignIn', 'UserPermissionValidation'] (nothing else), template_type is enum "
            "['BindMfa', 'UserPermissionValidation'] (nothing else)"
        ],
    ),
    "new transport": (
        lambda s: _schemas(s)["WebAuthnTransport"]["enum"].append("bluetooth"),
        ["schema WebAuthnTransport: enum values differ"],
    ),
    "optional becomes required": (
        lambda s: _schemas(s)["CreateVerificationBySocialRequest"]["required"].append("scope"),
        ["CreateVerificationBySocialRequest.scope: required in the spec, but scope is optional (default None)"],
    ),
    "required becomes optional": (
        lambda s: _schemas(s)["VerifyVerificationCodeVerificationRequest"]["required"].remove("code"),
        ["VerifyVerificationCodeVerificationRequest.code: optional in the spec, but code is required"],
    ),
    "new maxLength": (
        lambda s: _schemas(s)["CreateVerificationByPasswordRequest"]["properties"]["password"].update(
            {"maxLength": 256}
        ),
        ["CreateVerificationByPasswordRequest.password: maxLength is 256 in the spec, None on password"],
    ),
    "changed pattern": (
        lambda s: _schemas(s)["PhoneVerificationCodeIdentifier"]["properties"]["value"].update(
            {"pattern": "^\\d{6,15}$"}
        ),
        ["PhoneVerificationCodeIdentifier.value: pattern is '^\\\\d{6,15}$' in the spec, '^\\\\d+$' on value"],
    ),
    "changed type": (
        lambda s: _schemas(s)["WebAuthnRegistrationOptions"]["properties"]["timeout"].update({"type": "string"}),
        ["WebAuthnRegistrationOptions.timeout: the spec says string, timeout is number"],
    ),
    "changed nested model": (
        lambda s: _schemas(s)["VerifyWebAuthnRegistrationRequest"]["properties"].update(
            {"payload": {"$ref": "#/components/schemas/WebAuthnRegistrationOptions"}}
        ),
        [
            "VerifyWebAuthnRegistrationRequest.payload: the spec says model WebAuthnRegistrationOptions, "
            "payload is model BindWebAuthnPayload"
        ],
    ),
    "removed property": (
        lambda s: _schemas(s)["CreateVerificationBySocialRequest"]["properties"].pop("scope"),
        ["CreateVerificationBySocialRequest: model field scope (alias 'scope') is not a property in the spec"],
    ),
    "new error status": (
        lambda s: s["paths"]["/api/verifications/password"]["post"]["responses"].update(
            {"409": {"description": "Conflict", "content": {"application/json": {"schema": {"type": "object"}}}}}
        ),
        [
            "operation CreateVerificationByPassword (POST /api/verifications/password): Operation.error_statuses is "
            "(400, 401, 403, 422), the spec says (400, 401, 403, 409, 422)"
        ],
    ),
    "moved path": (
        lambda s: s["paths"].update({"/api/verifications/passwords": s["paths"].pop("/api/verifications/password")}),
        [
            "operation CreateVerificationByPassword (POST /api/verifications/passwords): Operation.path is "
            "'/api/verifications/password', the spec says '/api/verifications/passwords'"
        ],
    ),
    "new keyword": (
        lambda s: _schemas(s)["CreateVerificationBySocialRequest"]["properties"]["redirectUri"].update(
            {"format": "uri"}
        ),
        [
            "CreateVerificationBySocialRequest.redirectUri: keyword 'format' is not checked by test_spec_coverage: "
            "teach it"
        ],
    ),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_the_checker_reports_what_the_sdk_lacks(mutation: str) -> None:
    mutate, expected = MUTATIONS[mutation]
    spec = copy.deepcopy(SPEC)
    mutate(spec)
    problems = all_problems(spec, _read_docs() or "")
    for message in expected:
        assert any(message in problem for problem in problems), (
            f"expected a problem containing:\n  {message}\ngot:\n" + "\n".join(f"  {p}" for p in problems)
        )
    assert all_problems(SPEC, _read_docs()) == [], "the unchanged spec must have no problems"


def test_a_missing_docs_file_is_reported_clearly() -> None:
    (problem,) = docs_problems(SPEC, None)
    assert problem.startswith("docs/VerificationsApi.md does not exist: it needs a '# **method_name**' section")
    assert "create_verification_by_password" in problem
