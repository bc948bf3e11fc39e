"""The SDK covers both contracts one for one.

For each contract (Verifications and Account), every operationId has its operation
table entry (method, path, parameters with their names, locations, requirement and
order, body kind, success status and response kind, error statuses), its three methods
with the generated signature and types, a section in the contract's docs page and an
HTTP test; every schema (inline objects included, under their generated names) has a
model whose fields match the schema's properties: alias, required or optional,
nullable, type, length, pattern and format constraints, enum values and nested models;
request models have their ``...Dict`` form, unions their ``...Input``. The checker is a
reading of the spec of its own (it does not import the generator), returns readable
problems, and the last tests prove that it notices when a spec grows and the SDK does not.
"""

from __future__ import annotations

import copy
import enum
import hashlib
import importlib
import inspect
import re
import typing
from typing import Any, Callable, Dict, FrozenSet, List, Literal, Mapping, Optional, Tuple, Union

import pytest
import typing_extensions
from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo

import py_logto
import py_logto.models
from py_logto.api_client import UploadFile
from py_logto.api_response import ApiResponse
from py_logto.models._types import UriFormat
from py_logto.rest import RESTResponseType
from test import _contract as contract
from test._contract import ACCOUNT, CONTRACTS, VERIFICATIONS, Contract, JsonObject, SpecOperation, SpecParam

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
        "format",
        "nullable",
        "minProperties",
        "items",
        "properties",
        "required",
        "additionalProperties",
        "$ref",
        "oneOf",
        "discriminator",
    }
)

#: ``format`` values and what the SDK must do with them on a request model's field.
_KNOWN_FORMATS = frozenset({"uri"})


def _http_tested_operations(api_contract: Contract) -> Tuple[FrozenSet[str], str]:
    """Operations that the HTTP tests send to a server on 127.0.0.1, and where to add one."""
    if api_contract is ACCOUNT:
        from test.test_account_api import CASES

        return frozenset(CASES), "add a case to CASES in test/test_account_api.py"
    from test.test_prism import VALID_REQUESTS

    tested = frozenset(op_id for op_id, requests in VALID_REQUESTS.items() if requests)
    return tested, "add a valid request to VALID_REQUESTS in test/test_prism.py"


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
    if kind == "map":
        return f"map of {_render(shape[1])}"
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
        values = schema.get("additionalProperties", True)
        if isinstance(values, dict) and values:
            return ("map", _spec_shape(spec, owner, prop, values, tolerant=tolerant))
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
    if origin in (dict, Dict) and args[:1] == (str,):
        if args[1:] in ((Any,), ()):
            return ("free-object",)
        return ("map", _model_shape(args[1]))
    if origin is Union:
        # StrictInt is Annotated[int, Strict()]: what it accepts is still an int.
        members = {typing.get_args(a)[0] if typing.get_origin(a) is typing.Annotated else a for a in args}
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
    for item in _metadata(info):
        for attr, keyword in (("min_length", "minLength"), ("max_length", "maxLength"), ("pattern", "pattern")):
            value = getattr(item, attr, None)
            if value is not None:
                found[keyword] = value
    return found


def _metadata(info: FieldInfo) -> List[Any]:
    """The field's constraint objects, including those inside ``Optional[Annotated[...]]``."""
    found = list(info.metadata)
    annotation, _ = _strip_optional(info.annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        found += list(typing.get_args(annotation)[1:])
    return found


# -- the checker: schemas ----------------------------------------------------------------


def _lookup(name: str, module_name: str) -> Tuple[Optional[Any], List[str]]:
    """The object exported as ``py_logto.<name>`` and ``<module_name>.<name>``, and problems with how it is."""
    problems: List[str] = []
    top = getattr(py_logto, name, None)
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        module = None
    in_module = getattr(module, name, None) if module is not None else None
    if top is None and in_module is None:
        return None, [f"neither py_logto.{name} nor {module_name}.{name} exists"]
    if top is None:
        problems.append(f"{module_name}.{name} exists but py_logto does not export {name}")
    if in_module is None:
        problems.append(f"py_logto.{name} exists but {module_name}.{name} does not")
    if top is not None and in_module is not None and top is not in_module:
        problems.append(f"py_logto.{name} and {module_name}.{name} are different objects")
    return top if top is not None else in_module, problems


def _lookup_model(name: str) -> Tuple[Optional[Any], List[str]]:
    model, problems = _lookup(name, f"py_logto.models.{contract.snake_case(name)}")
    if model is None:
        return None, [f"schema {name}: no model: {problems[0]}"]
    return model, [f"schema {name}: {p}" for p in problems]


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
    if name in contract.request_models(spec):
        alias, alias_problems = _lookup(f"{name}Input", f"py_logto.models.{contract.snake_case(name)}")
        problems += [f"schema {name}: {p}" for p in alias_problems]
        if alias is not None:
            accepted = set(typing.get_args(alias))
            wanted = {model} | {getattr(py_logto, m, None) for m in members}
            wanted |= {getattr(py_logto, f"{m}Dict", None) for m in members}
            if accepted != wanted:
                problems.append(f"schema {name}: {name}Input is not {name}, its members, or their dict forms")
    return problems


def _discriminator(field: FieldInfo) -> Optional[str]:
    """The field's discriminator (pydantic before 2.12 leaves it in the ``Annotated`` metadata)."""
    if field.discriminator is not None:
        return str(field.discriminator)
    for item in typing.get_args(field.annotation)[1:]:
        if isinstance(item, FieldInfo) and item.discriminator is not None:
            return str(item.discriminator)
    return None


def _is_constant(spec: JsonObject, schema: JsonObject) -> bool:
    """A single-value enum written inline (a discriminator tag or a constant like ``"type": "WebAuthn"``)."""
    return "$ref" not in schema and len(schema.get("enum", ())) == 1


def _object_problems(spec: JsonObject, name: str, schema: JsonObject, model: Any) -> List[str]:
    problems: List[str] = []
    tolerant = name in contract.response_models(spec)
    in_requests = name in contract.request_models(spec)
    request_only = in_requests and not tolerant
    if tolerant and model.model_config.get("extra") != "allow":
        problems.append(f"schema {name}: a response model must keep unknown fields (extra='allow')")
    open_schema = schema.get("additionalProperties") is True
    if open_schema and model.model_config.get("extra") != "allow":
        problems.append(f"schema {name}: additionalProperties is true in the spec, but {name} drops unknown fields")
    request_roots = {op.request_schema for op in contract.operations(spec).values()}
    if name in request_roots and not open_schema and model.model_config.get("extra") != "forbid":
        problems.append(f"schema {name}: a request body model must refuse unknown fields (extra='forbid')")
    minimum = schema.get("minProperties")
    if minimum is not None and request_only:
        problems += _min_properties_problems(name, model, minimum)
    by_alias = {(info.alias or attr): (attr, info) for attr, info in contract.wire_fields(model).items()}
    properties: Dict[str, JsonObject] = schema.get("properties", {})
    required = set(schema.get("required", []))
    for alias in sorted(set(by_alias) - set(properties)):
        attr = by_alias[alias][0]
        problems.append(f"{name}: model field {attr} (alias {alias!r}) is not a property in the spec")
    nullable_fields = getattr(model, "_nullable_fields", frozenset())
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
        if request_only:
            problems += _request_field_problems(spec, name, prop, prop_schema, attr, info, nullable_fields)
    if in_requests:
        problems += _dict_problems(spec, name, schema)
    return problems


def _min_properties_problems(name: str, model: Any, minimum: int) -> List[str]:
    try:
        model.from_dict({})
    except py_logto.ApiValueError:
        return []
    return [f"schema {name}: minProperties is {minimum} in the spec, but {name}.from_dict({{}}) is accepted"]


def _nullable(spec: JsonObject, schema: JsonObject) -> bool:
    return bool(schema.get("nullable") or contract.resolve(spec, schema)[1].get("nullable"))


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
    annotation, accepts_none = _strip_optional(info.annotation)
    _, resolved = contract.resolve(spec, schema)
    nullable = _nullable(spec, schema)
    constant = resolved.get("enum", [None, None])
    # A single-value enum (a discriminator or constant) may default to its value: it is still always sent.
    defaults_to_constant = len(constant) == 1 and info.default == constant[0]
    if required and not info.is_required() and not defaults_to_constant:
        problems.append(f"{where}: required in the spec, but {attr} is optional (default {info.default!r})")
    if required and accepts_none and not nullable:
        problems.append(f"{where}: required in the spec, but {attr} accepts None")
    if nullable and not accepts_none:
        problems.append(f"{where}: nullable in the spec, but {attr} does not accept None")
    if not required and info.is_required():
        problems.append(f"{where}: optional in the spec, but {attr} is required")
    expected = _spec_shape(spec, owner, prop, schema, tolerant=tolerant)
    actual = _model_shape(annotation)
    if actual != expected:
        problems.append(f"{where}: the spec says {_render(expected)}, {attr} is {_render(actual)}")
    model_constraints = _constraints(info)
    if tolerant:
        # A response is taken as Logto sends it: its lengths and patterns are documentation.
        if model_constraints:
            problems.append(
                f"{where}: a response field must not refuse what Logto sends, but {attr} checks {model_constraints}"
            )
        return problems + _format_problems(where, resolved)
    spec_constraints = {k: resolved[k] for k in ("minLength", "maxLength", "pattern") if k in resolved}
    for keyword in sorted(set(spec_constraints) | set(model_constraints)):
        if spec_constraints.get(keyword) != model_constraints.get(keyword):
            problems.append(
                f"{where}: {keyword} is {spec_constraints.get(keyword)!r} in the spec, "
                f"{model_constraints.get(keyword)!r} on {attr}"
            )
    return problems + _format_problems(where, resolved)


def _format_problems(where: str, resolved: JsonObject) -> List[str]:
    if "format" in resolved and resolved["format"] not in _KNOWN_FORMATS:
        return [f"{where}: format {resolved['format']!r} is not checked by test_spec_coverage: teach it"]
    return []


def _request_field_problems(
    spec: JsonObject,
    owner: str,
    prop: str,
    schema: JsonObject,
    attr: str,
    info: FieldInfo,
    nullable_fields: FrozenSet[str],
) -> List[str]:
    """What a field of a model only sent (never received) must do: send ``null`` only where
    the spec allows it, check ``format`` before sending."""
    where = f"{owner}.{prop}"
    problems: List[str] = []
    nullable = _nullable(spec, schema)
    if nullable and attr not in nullable_fields:
        problems.append(f"{where}: nullable in the spec, but {attr} set to None is not sent as null")
    if not nullable and attr in nullable_fields:
        problems.append(f"{where}: not nullable in the spec, but {attr} set to None is sent as null")
    resolved = contract.resolve(spec, schema)[1]
    has_uri_check = any(isinstance(item, UriFormat) for item in _metadata(info))
    if (resolved.get("format") == "uri") != has_uri_check:
        problems.append(
            f"{where}: format is {resolved.get('format')!r} in the spec, but {attr} "
            f"{'does' if has_uri_check else 'does not'} check for an absolute URI"
        )
    return problems


def _dict_problems(spec: JsonObject, name: str, schema: JsonObject) -> List[str]:
    """A request model's ``...Dict`` TypedDict: exported, with the spec's wire names, and
    required where the spec requires (a constant the SDK fills in may be left out)."""
    typed_dict, problems = _lookup(f"{name}Dict", f"py_logto.models.{contract.snake_case(name)}")
    problems = [f"schema {name}: {p}" for p in problems]
    if typed_dict is None:
        return problems
    properties = schema.get("properties", {})
    keys = set(getattr(typed_dict, "__annotations__", {}))
    if keys != set(properties):
        problems.append(f"schema {name}: {name}Dict has keys {sorted(keys)}, the spec {sorted(properties)}")
    required = set(schema.get("required", []))
    must = {p for p in required if not _is_constant(spec, properties.get(p, {}))}
    declared = {key for key, hint in _typed_dict_hints(typed_dict).items() if not _not_required(hint)}
    if not must <= declared or not declared <= required:
        problems.append(
            f"schema {name}: {name}Dict requires {sorted(declared)}, the spec requires {sorted(required)}"
            + (f" (of which {sorted(required - must)} may be left out)" if required - must else "")
        )
    return problems


def _typed_dict_hints(typed_dict: Any) -> Dict[str, Any]:
    # ``__required_keys__`` cannot see ``NotRequired`` in a module with postponed annotations
    # (before Python 3.14): resolve the annotations instead.
    return typing_extensions.get_type_hints(typed_dict, include_extras=True)  # type: ignore[no-any-return]


def _not_required(hint: Any) -> bool:
    return typing_extensions.get_origin(hint) is typing_extensions.NotRequired


# -- the checker: operations -------------------------------------------------------------

_PARAM_FIELDS = ("name", "wire", "location", "required")


def _param_rows(params: Any) -> List[Tuple[Any, ...]]:
    return [tuple(getattr(p, f) for f in _PARAM_FIELDS) for p in params]


def _file_limit(param: SpecParam) -> Optional[int]:
    """The size limit the spec states in prose for an uploaded file (``at most 20 MiB``)."""
    found = re.search(r"at most (\d+) MiB", param.description)
    return int(found.group(1)) * 1024 * 1024 if found else None


def operation_problems(api_contract: Contract, spec: JsonObject, operation_id: str) -> List[str]:
    """Everything in which the SDK's operation ``operation_id`` differs from the spec."""
    op = contract.operations(spec)[operation_id]
    where = f"operation {operation_id} ({op.method} {op.path})"
    problems: List[str] = []
    sdk_op = api_contract.table.get(operation_id)
    if sdk_op is None:
        problems.append(f"{where}: no entry in {api_contract.api_module}._OPERATIONS")
    else:
        problems += [f"{where}: {p}" for p in _table_problems(op, sdk_op)]
    problems += _method_problems(api_contract, op)
    tested, how = _http_tested_operations(api_contract)
    if operation_id not in tested:
        problems.append(f"{where}: no HTTP test sends it: {how}")
    return problems


def _table_problems(op: SpecOperation, sdk_op: Any) -> List[str]:
    problems: List[str] = []
    request_name = sdk_op.request_type.__name__ if sdk_op.request_type is not None else None
    response_name = sdk_op.response_type.__name__ if sdk_op.response_type is not None else None
    body_param = next((p.name for p in op.params if p.location == "body"), None)
    for label, actual, wanted in (
        ("method", sdk_op.method, op.method),
        ("path", sdk_op.path, op.path),
        ("body", sdk_op.body, op.body_kind),
        ("request_type", request_name, op.request_schema),
        ("body_param", sdk_op.body_param, body_param),
        ("success_status", sdk_op.success_status, op.success_status),
        ("response", sdk_op.response, op.response_kind),
        ("response_type", response_name, op.response_schema),
        ("error_statuses", tuple(sorted(sdk_op.error_statuses)), op.error_statuses),
    ):
        if actual != wanted:
            problems.append(f"Operation.{label} is {actual!r}, the spec says {wanted!r}")
    if op.response_kind == "text" and "text/plain" not in sdk_op.accept:
        problems.append(f"the response is text/plain, but Operation.accept is {sdk_op.accept!r}")
    if op.response_kind in ("model", "list") and sdk_op.accept != "application/json":
        problems.append(f"the response is JSON, but Operation.accept is {sdk_op.accept!r}")
    if _param_rows(sdk_op.params) != _param_rows(op.params):
        problems.append(
            f"Operation.params are {_param_rows(sdk_op.params)}, the spec says {_param_rows(op.params)} "
            f"({', '.join(_PARAM_FIELDS)})"
        )
    by_name = {p.name: p for p in sdk_op.params}
    for param in op.params:
        sdk_param = by_name.get(param.name)
        if sdk_param is None or param.location in ("body",):
            continue
        label = f"parameter {param.name}"
        min_length = param.schema.get("minLength", 0) if param.location != "file" else 0
        if sdk_param.min_length != min_length:
            problems.append(f"{label}: min_length is {sdk_param.min_length}, the spec says {min_length}")
        choices = tuple(param.schema["enum"]) if "enum" in param.schema else None
        actual_choices = tuple(sdk_param.choices) if sdk_param.choices is not None else None
        if (sorted(actual_choices) if actual_choices else actual_choices) != (sorted(choices) if choices else choices):
            problems.append(f"{label}: choices are {actual_choices}, the spec says {choices}")
        if param.location == "file" and sdk_param.max_size != _file_limit(param):
            problems.append(f"{label}: max_size is {sdk_param.max_size}, the spec says {_file_limit(param)}")
    return problems


def _param_type(param: SpecParam) -> Any:
    """The type hint the method must give ``param`` (before ``Optional`` for an optional one)."""
    if param.location == "body":
        model = getattr(py_logto, str(param.ref), None)
        if isinstance(model, type) and issubclass(model, RootModel):
            return getattr(py_logto, f"{param.ref}Input", None)
        return Union[model, getattr(py_logto, f"{param.ref}Dict", None)]  # type: ignore[misc]
    if param.location == "file":
        return UploadFile
    if "enum" in param.schema:
        literal = Literal[tuple(param.schema["enum"])]  # type: ignore[misc]
        if param.ref is not None:
            return Union[getattr(py_logto, param.ref, None), literal]  # type: ignore[misc]
        return literal
    return str


def _return_types(op: SpecOperation) -> Dict[str, Any]:
    base = contract.snake_case(op.operation_id)
    model = getattr(py_logto, op.response_schema, None) if op.response_schema else None
    data: Any = {"model": model, "list": List[model], "text": str, "empty": None}[op.response_kind]  # type: ignore[valid-type]
    return {
        base: type(None) if data is None else data,
        f"{base}_with_http_info": ApiResponse[data],
        f"{base}_without_preload_content": RESTResponseType,
    }


def _method_problems(api_contract: Contract, op: SpecOperation) -> List[str]:
    where = f"operation {op.operation_id}"
    api_class = api_contract.api_class
    problems: List[str] = []
    expected_names = [p.name for p in op.params] + list(contract.OPTION_PARAMETERS)
    for method_name, expected_return in _return_types(op).items():
        method = getattr(api_class, method_name, None)
        if method is None:
            problems.append(f"{where}: {api_class.__name__} has no method {method_name}")
            continue
        params = list(inspect.signature(method).parameters.values())[1:]
        names = [p.name for p in params]
        if names != expected_names:
            problems.append(f"{where}: {method_name} takes {names}, expected {expected_names}")
            continue
        hints = typing.get_type_hints(method)
        for param, spec_param in zip(params, op.params):
            wanted = _param_type(spec_param)
            has_default = param.default is not inspect.Parameter.empty
            if spec_param.required and has_default:
                problems.append(f"{where}: {method_name}({param.name}) is required in the spec, optional in the SDK")
            if not spec_param.required:
                wanted = Optional[wanted]
                if param.default is not None:
                    problems.append(f"{where}: {method_name}({param.name}) is optional in the spec: default it to None")
            if hints.get(param.name) != wanted:
                problems.append(
                    f"{where}: {method_name}({param.name}) is typed {hints.get(param.name)}, expected {wanted}"
                )
        defaults = [p.default for p in params[len(op.params) :]]
        if defaults != [None, None, None, None, 0]:
            problems.append(
                f"{where}: {method_name}'s options default to {defaults}, expected None, None, None, None, 0"
            )
        if hints.get("return") != expected_return:
            problems.append(f"{where}: {method_name} returns {hints.get('return')}, expected {expected_return}")
    return problems


# -- the checker: docs and what the SDK has beyond the spec -----------------------------------


def docs_problems(api_contract: Contract, spec: JsonObject, docs: Optional[str]) -> List[str]:
    """Operations without a ``# **method_name**`` section in the contract's docs page."""
    methods = [contract.snake_case(op_id) for op_id in contract.operations(spec)]
    if docs is None:
        return [
            f"{api_contract.docs_name} does not exist: it needs a '# **method_name**' section for each of {methods}"
        ]
    headings = {line.strip() for line in docs.splitlines()}
    return [
        f"{api_contract.docs_name} has no '# **{method}**' section (operation {op_id})"
        for op_id, method in zip(contract.operations(spec), methods)
        if f"# **{method}**" not in headings
    ]


def _helper_exports(spec: JsonObject) -> FrozenSet[str]:
    """Model exports that are not schemas: the ``...Dict`` of request models, the ``...Input`` of unions."""
    schemas = contract.model_schemas(spec)
    found = set()
    for name in contract.request_models(spec):
        found.add(f"{name}Input" if "oneOf" in schemas[name] else f"{name}Dict")
    return frozenset(found)


def sdk_extras(api_contract: Contract, spec: JsonObject, specs: Mapping[str, JsonObject]) -> List[str]:
    """What the SDK has that the spec does not: operations and methods of ``api_contract``,
    and model exports that no contract in ``specs`` (contract key -> spec) explains."""
    problems: List[str] = []
    spec_ops = contract.operations(spec)
    for op_id in sorted(set(api_contract.table) - set(spec_ops)):
        problems.append(f"{api_contract.api_module}._OPERATIONS has {op_id}, which is not in the spec")
    expected_methods = {
        f"{contract.snake_case(op_id)}{suffix}"
        for op_id in spec_ops
        for suffix in ("", "_with_http_info", "_without_preload_content")
    }
    api_class = api_contract.api_class
    public = {name for name, _ in inspect.getmembers(api_class, inspect.isfunction) if not name.startswith("_")}
    for name in sorted(public - expected_methods):
        problems.append(f"{api_class.__name__}.{name} is not an operation of the spec")
    explained: set[str] = set()
    for each in specs.values():
        explained |= set(contract.model_schemas(each)) | _helper_exports(each)
    for name in sorted(set(py_logto.models.__all__) - explained):
        problems.append(f"py_logto.models exports {name}, which is not a schema of the specs (nor its Dict/Input)")
    return problems


def all_problems(api_contract: Contract, spec: JsonObject, docs: Optional[str]) -> List[str]:
    problems: List[str] = []
    for op_id in contract.operations(spec):
        problems += operation_problems(api_contract, spec, op_id)
    for name in contract.model_schemas(spec):
        problems += schema_problems(spec, name)
    specs = {c.key: (spec if c is api_contract else c.spec) for c in CONTRACTS}
    return problems + docs_problems(api_contract, spec, docs) + sdk_extras(api_contract, spec, specs)


def _read_docs(api_contract: Contract) -> Optional[str]:
    try:
        return api_contract.docs_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _report(problems: List[str]) -> str:
    return "\n".join(["the SDK does not follow the spec:", *(f"  - {p}" for p in problems)])


# -- the tests ----------------------------------------------------------------------------

_BY_KEY = {c.key: c for c in CONTRACTS}


def test_spec_and_traffic_are_the_recorded_copies() -> None:
    sums = {}
    for line in contract.SHA256SUMS_PATH.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, path = line.split(maxsplit=1)
            sums[path.lstrip("*")] = digest
    expected = set()
    for each in CONTRACTS:
        expected |= {str(each.spec_path.relative_to(contract.ROOT)), str(each.traffic_path.relative_to(contract.ROOT))}
    assert set(sums) == expected
    for path, digest in sums.items():
        actual = hashlib.sha256((contract.ROOT / path).read_bytes()).hexdigest()
        assert actual == digest, f"{path} changed: sha256 {actual}, spec/SHA256SUMS records {digest}"


@pytest.mark.parametrize(
    ("key", "operation_count", "schema_count", "model_count", "pair_count"),
    [("verifications", 7, 17, 26, 238), ("account", 31, 47, 47, 470)],
)
def test_the_spec_has_what_the_tests_expect(
    key: str, operation_count: int, schema_count: int, model_count: int, pair_count: int
) -> None:
    api_contract = _BY_KEY[key]
    assert len(contract.operations(api_contract.spec)) == operation_count
    assert len(api_contract.spec["components"]["schemas"]) == schema_count
    assert len(contract.model_schemas(api_contract.spec)) == model_count
    assert len(api_contract.load_traffic()) == pair_count


_OPERATION_CASES = [(c.key, op_id) for c in CONTRACTS for op_id in sorted(contract.operations(c.spec))]


@pytest.mark.parametrize(("key", "operation_id"), _OPERATION_CASES, ids=[f"{k}:{o}" for k, o in _OPERATION_CASES])
def test_operation_follows_the_spec(key: str, operation_id: str) -> None:
    api_contract = _BY_KEY[key]
    problems = operation_problems(api_contract, api_contract.spec, operation_id)
    assert not problems, _report(problems)


_SCHEMA_CASES = [(c.key, name) for c in CONTRACTS for name in sorted(contract.model_schemas(c.spec))]


@pytest.mark.parametrize(("key", "name"), _SCHEMA_CASES, ids=[f"{k}:{n}" for k, n in _SCHEMA_CASES])
def test_schema_has_a_matching_model(key: str, name: str) -> None:
    problems = schema_problems(_BY_KEY[key].spec, name)
    assert not problems, _report(problems)


@pytest.mark.parametrize("key", list(_BY_KEY))
def test_every_operation_has_a_docs_section(key: str) -> None:
    api_contract = _BY_KEY[key]
    problems = docs_problems(api_contract, api_contract.spec, _read_docs(api_contract))
    assert not problems, _report(problems)


@pytest.mark.parametrize("key", list(_BY_KEY))
def test_the_sdk_has_nothing_the_spec_does_not(key: str) -> None:
    api_contract = _BY_KEY[key]
    problems = sdk_extras(api_contract, api_contract.spec, {c.key: c.spec for c in CONTRACTS})
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


def _move_grant_route(spec: JsonObject) -> None:
    """``DELETE /grants/{grantId}`` gains an ``{applicationId}`` path parameter before the grant."""
    item = spec["paths"].pop("/api/my-account/grants/{grantId}")
    item["delete"]["parameters"].insert(
        0, {"name": "applicationId", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
    )
    spec["paths"]["/api/my-account/applications/{applicationId}/grants/{grantId}"] = item


def _require_password_header(spec: JsonObject) -> None:
    operation = spec["paths"]["/api/my-account/password"]["post"]
    operation["parameters"] = [{"$ref": "#/components/parameters/LogtoVerificationId"}]


VERIFICATION_MUTATIONS: Dict[str, Tuple[Callable[[JsonObject], Any], List[str]]] = {
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
            "(expected otp: string, optional)",
            "schema CreateVerificationByPasswordRequest: CreateVerificationByPasswordRequestDict has keys ['password'], "
            "the spec ['otp', 'password']",
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
        [
            "CreateVerificationBySocialRequest.scope: required in the spec, but scope is optional (default None)",
            "schema CreateVerificationBySocialRequest: CreateVerificationBySocialRequestDict requires "
            "['connectorId', 'redirectUri', 'state'], the spec requires ['connectorId', 'redirectUri', 'scope', 'state']",
        ],
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
    "new uri format": (
        lambda s: _schemas(s)["CreateVerificationBySocialRequest"]["properties"]["redirectUri"].update(
            {"format": "uri"}
        ),
        [
            "CreateVerificationBySocialRequest.redirectUri: format is 'uri' in the spec, but redirect_uri does not "
            "check for an absolute URI"
        ],
    ),
    "new format": (
        lambda s: _schemas(s)["CreateVerificationBySocialRequest"]["properties"]["state"].update({"format": "uuid"}),
        ["CreateVerificationBySocialRequest.state: format 'uuid' is not checked by test_spec_coverage: teach it"],
    ),
    "new keyword": (
        lambda s: _schemas(s)["WebAuthnRegistrationOptions"]["properties"]["excludeCredentials"].update(
            {"maxItems": 64}
        ),
        ["WebAuthnRegistrationOptions.excludeCredentials: keyword 'maxItems' is not checked by test_spec_coverage"],
    ),
}

ACCOUNT_MUTATIONS: Dict[str, Tuple[Callable[[JsonObject], Any], List[str]]] = {
    "new path parameter": (
        _move_grant_route,
        [
            "operation DeleteGrantById (DELETE /api/my-account/applications/{applicationId}/grants/{grantId}): "
            "Operation.path is '/api/my-account/grants/{grantId}', the spec says "
            "'/api/my-account/applications/{applicationId}/grants/{grantId}'",
            "operation DeleteGrantById (DELETE /api/my-account/applications/{applicationId}/grants/{grantId}): "
            "Operation.params are [('grant_id', 'grantId', 'path', True), ('logto_verification_id', "
            "'logto-verification-id', 'header', True)], the spec says [('application_id', 'applicationId', 'path', "
            "True), ('grant_id', 'grantId', 'path', True), ('logto_verification_id', 'logto-verification-id', "
            "'header', True)]",
            "operation DeleteGrantById: delete_grant_by_id takes ['grant_id', 'logto_verification_id', "
            "'_request_timeout', '_request_auth', '_content_type', '_headers', '_host_index'], expected "
            "['application_id', 'grant_id', 'logto_verification_id', '_request_timeout'",
        ],
    ),
    "header becomes required": (
        _require_password_header,
        [
            "operation UpdatePassword (POST /api/my-account/password): Operation.params are "
            "[('update_password_request', 'UpdatePasswordRequest', 'body', True), ('logto_verification_id', "
            "'logto-verification-id', 'header', False)], the spec says [('logto_verification_id', "
            "'logto-verification-id', 'header', True), ('update_password_request', 'UpdatePasswordRequest', 'body', "
            "True)]",
            "operation UpdatePassword: update_password takes ['update_password_request', 'logto_verification_id', "
            "'_request_timeout', '_request_auth', '_content_type', '_headers', '_host_index'], expected "
            "['logto_verification_id', 'update_password_request', '_request_timeout'",
        ],
    ),
    "header becomes required (same order)": (
        lambda s: s["paths"]["/api/my-account/identities/{target}"]["delete"].update(
            {
                "parameters": [
                    {"$ref": "#/components/parameters/target"},
                    {"$ref": "#/components/parameters/LogtoVerificationId"},
                ]
            }
        ),
        [
            "operation DeleteIdentity: delete_identity(logto_verification_id) is required in the spec, optional in "
            "the SDK",
            "operation DeleteIdentity: delete_identity(logto_verification_id) is typed typing.Optional[str], "
            "expected <class 'str'>",
        ],
    ),
    "nullable request field": (
        lambda s: _schemas(s)["UpdateOtherProfileRequest"]["properties"]["nickname"].update({"nullable": True}),
        ["UpdateOtherProfileRequest.nickname: nullable in the spec, but nickname set to None is not sent as null"],
    ),
    "nullable field becomes plain": (
        lambda s: _schemas(s)["UpdateProfileRequest"]["properties"]["avatar"].pop("nullable"),
        ["UpdateProfileRequest.avatar: not nullable in the spec, but avatar set to None is sent as null"],
    ),
    "required response field becomes nullable": (
        lambda s: _schemas(s)["GrantApplication"]["properties"]["name"].update({"nullable": True}),
        ["GrantApplication.name: nullable in the spec, but name does not accept None"],
    ),
    "nullable response field becomes required": (
        lambda s: _schemas(s)["AccountSession"]["properties"]["clientId"].pop("nullable"),
        ["AccountSession.clientId: required in the spec, but client_id accepts None"],
    ),
    "new query enum value": (
        lambda s: _schemas(s)["SessionGrantRevokeTarget"]["enum"].append("thirdParty"),
        [
            "schema SessionGrantRevokeTarget: enum values differ: spec ['all', 'firstParty', 'thirdParty'], "
            "SessionGrantRevokeTarget ['all', 'firstParty']",
            "operation DeleteSessionById (DELETE /api/my-account/sessions/{sessionId}): parameter "
            "revoke_grants_target: choices are ('all', 'firstParty'), the spec says ('all', 'firstParty', 'thirdParty')",
            "operation DeleteSessionById: delete_session_by_id(revoke_grants_target) is typed",
        ],
    ),
    "new map value model": (
        lambda s: _schemas(s)["SessionPayload"]["properties"]["authorizations"].update(
            {"additionalProperties": {"$ref": "#/components/schemas/UserIdentity"}}
        ),
        [
            "SessionPayload.authorizations: the spec says map of model UserIdentity, authorizations is map of model "
            "SessionAuthorization"
        ],
    ),
    "minProperties dropped": (
        lambda s: _schemas(s)["UpdateLogtoConfigRequest"].update({"minProperties": 1}),
        ["schema UpdateLogtoConfigRequest: minProperties is 1 in the spec, but UpdateLogtoConfigRequest.from_dict({})"],
    ),
    "closed schema opened": (
        lambda s: _schemas(s)["UpdatePasswordRequest"].update({"additionalProperties": True}),
        ["schema UpdatePasswordRequest: additionalProperties is true in the spec, but UpdatePasswordRequest drops"],
    ),
    "new text response": (
        lambda s: s["paths"]["/api/my-account/password"]["post"]["responses"].update(
            {"204": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}}
        ),
        [
            "operation UpdatePassword (POST /api/my-account/password): Operation.response is 'empty', the spec says "
            "'text'",
            "operation UpdatePassword: update_password returns <class 'NoneType'>, expected <class 'str'>",
        ],
    ),
    "new error status": (
        lambda s: s["paths"]["/api/my-account/mfa-verifications/totp"]["put"]["responses"].update(
            {"422": {"description": "x", "content": {"application/json": {"schema": {"type": "object"}}}}}
        ),
        [
            "operation CreateOrReplaceTotpMfaVerification (PUT /api/my-account/mfa-verifications/totp): "
            "Operation.error_statuses is (400, 401, 403), the spec says (400, 401, 403, 422)"
        ],
    ),
    "smaller upload limit": (
        lambda s: s["paths"]["/api/my-account/user-assets/avatar"]["post"]["requestBody"]["content"][
            "multipart/form-data"
        ]["schema"]["properties"]["file"].update({"description": "The avatar image (at most 5 MiB)."}),
        [
            "operation UploadAccountAvatar (POST /api/my-account/user-assets/avatar): parameter file: max_size is "
            "20971520, the spec says 5242880"
        ],
    ),
    "new union member": (
        lambda s: (
            _schemas(s).update(
                {
                    "AddSmsMfaVerificationRequest": {
                        "type": "object",
                        "required": ["type"],
                        "properties": {"type": {"type": "string", "enum": ["Sms"]}},
                    }
                }
            ),
            _schemas(s)["AddMfaVerificationRequest"]["oneOf"].append(
                {"$ref": "#/components/schemas/AddSmsMfaVerificationRequest"}
            ),
        ),
        [
            "schema AddMfaVerificationRequest: spec oneOf ['AddBackupCodeMfaVerificationRequest', "
            "'AddSmsMfaVerificationRequest', 'AddTotpMfaVerificationRequest', 'AddWebAuthnMfaVerificationRequest']",
            "schema AddSmsMfaVerificationRequest: no model",
        ],
    ),
}

_MUTATIONS = [("verifications", name) for name in VERIFICATION_MUTATIONS] + [
    ("account", name) for name in ACCOUNT_MUTATIONS
]


@pytest.mark.parametrize(("key", "mutation"), _MUTATIONS, ids=[f"{k}:{m}" for k, m in _MUTATIONS])
def test_the_checker_reports_what_the_sdk_lacks(key: str, mutation: str) -> None:
    api_contract = _BY_KEY[key]
    mutate, expected = (VERIFICATION_MUTATIONS if key == "verifications" else ACCOUNT_MUTATIONS)[mutation]
    spec = copy.deepcopy(api_contract.spec)
    mutate(spec)
    docs = _read_docs(api_contract) or ""
    problems = all_problems(api_contract, spec, docs)
    for message in expected:
        assert any(message in problem for problem in problems), (
            f"expected a problem containing:\n  {message}\ngot:\n" + "\n".join(f"  {p}" for p in problems)
        )
    unchanged = [p for p in all_problems(api_contract, api_contract.spec, docs) if "docs/" not in p]
    assert unchanged == [], "the unchanged spec must have no problems (docs aside):\n" + "\n".join(unchanged)


@pytest.mark.parametrize("key", list(_BY_KEY))
def test_a_missing_docs_file_is_reported_clearly(key: str) -> None:
    api_contract = _BY_KEY[key]
    (problem,) = docs_problems(api_contract, api_contract.spec, None)
    assert problem.startswith(f"{api_contract.docs_name} does not exist: it needs a '# **method_name**' section")
    first = contract.snake_case(next(iter(contract.operations(api_contract.spec))))
    assert first in problem


def test_both_contracts_are_checked() -> None:
    assert {c.key for c in CONTRACTS} == {"verifications", "account"}
    assert VERIFICATIONS.api_class is py_logto.VerificationsApi
    assert ACCOUNT.api_class is py_logto.MyAccountApi
