"""Property tests with strategies built from the schemas of both contracts (Verifications
and Account).

- Every valid value of every model round-trips exactly: JSON -> model -> JSON gives the
  same JSON, model -> JSON -> model the same model, and a request body goes on the wire
  unchanged.
- For every property of every request body, values that break its schema (missing,
  wrong type, not in the enum, too short, too long, not matching the pattern) are refused
  before anything is sent, with an ``ApiValueError`` that names the property.
- Every ``example`` in the specs validates as its model; every parameter example goes on
  the wire as given.

Patterns are ECMA-262 (Logto and Prism run them in JavaScript) and are translated to
Python with that meaning: ``\\d`` is ASCII only and ``\\s`` is JavaScript's whitespace.

Hypothesis profiles: ``dev`` (the default) and ``ci`` (more examples, derandomized, no
example database), chosen with ``HYPOTHESIS_PROFILE`` or, when unset, by ``CI``.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import py_logto
from test import _contract as contract
from test._contract import CONTRACTS, JsonObject
from test._server import RecordingServer, Reply

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
_IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _IN_CI else "dev"))

#: Kinds of invalid value whose outcome does not depend much on the value: fewer examples.
_FEW = settings(max_examples=max(5, settings.default.max_examples // 5))

_BY_KEY = {c.key: c for c in CONTRACTS}
SCHEMAS = {c.key: contract.model_schemas(c.spec) for c in CONTRACTS}
OPERATIONS = {c.key: contract.operations(c.spec) for c in CONTRACTS}

# -- strategies from the spec ------------------------------------------------------------------

_MAX_SAFE_INTEGER = 2**53 - 1

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-_MAX_SAFE_INTEGER, _MAX_SAFE_INTEGER)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)


#: Absolute URLs, as ``format: uri`` (zod's ``.url()``) takes them.
URIS = st.builds(
    "{}://{}.example.com/{}".format,
    st.sampled_from(["https", "http", "myapp"]),
    st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9._~-]{0,20}", fullmatch=True),
)


def _string(schema: JsonObject) -> st.SearchStrategy[str]:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if schema.get("format") == "uri":
        return URIS
    if "pattern" not in schema:
        return st.text(min_size=low, max_size=high if high is not None else max(low, 40))
    strategy = st.from_regex(contract.ecma_to_python(schema["pattern"]), fullmatch=True)
    # pydantic's pattern engine counts U+0085 as whitespace, JavaScript does not: the SDK
    # refuses such a value that Logto would take, so it is not generated as valid.
    strategy = strategy.filter(lambda s: "\x85" not in s)
    return strategy.filter(lambda s: low <= len(s) and (high is None or len(s) <= high))


def from_schema(
    spec: JsonObject,
    schema: JsonObject,
    *,
    pins: Tuple[contract.Pin, ...] = (),
    force: contract.Path_ = (),
    path: contract.Path_ = (),
) -> st.SearchStrategy[Any]:
    """Valid JSON values of ``schema``. Optional properties may be present or absent
    (present when they lead to ``force``); a oneOf takes its pinned member, or any; a
    nullable schema may be ``null``."""
    strategy = _from_schema(spec, schema, pins=pins, force=force, path=path)
    nullable = schema.get("nullable") or contract.resolve(spec, schema)[1].get("nullable")
    return (st.none() | strategy) if nullable else strategy


def _from_schema(
    spec: JsonObject,
    schema: JsonObject,
    *,
    pins: Tuple[contract.Pin, ...],
    force: contract.Path_,
    path: contract.Path_,
) -> st.SearchStrategy[Any]:
    _, schema = contract.resolve(spec, schema)
    if "oneOf" in schema:
        chosen = dict(pins).get(path)
        members = [contract.resolve(spec, m) for m in schema["oneOf"]]
        return st.one_of(
            [
                from_schema(spec, member, pins=pins, force=force, path=path)
                for name, member in members
                if chosen is None or name == chosen
            ]
        )
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        required = set(schema.get("required", []))
        must: Dict[str, st.SearchStrategy[Any]] = {}
        may: Dict[str, st.SearchStrategy[Any]] = {}
        for prop, sub in schema["properties"].items():
            here = (*path, prop)
            strategy = from_schema(spec, sub, pins=pins, force=force, path=here)
            leads_to_force = len(force) > len(here) and force[: len(here)] == here
            (must if prop in required or leads_to_force else may)[prop] = strategy
        objects = st.fixed_dictionaries(must, optional=may)
        minimum = schema.get("minProperties", 0)
        return objects.filter(lambda value: len(value) >= minimum) if minimum else objects
    if kind == "object":
        values = schema.get("additionalProperties", True)
        if isinstance(values, dict) and values:
            inner = from_schema(spec, values, path=(*path, "*"))
            return st.dictionaries(st.text(min_size=1, max_size=12), inner, max_size=3)
        return st.dictionaries(st.text(max_size=12), JSON_VALUES, max_size=4)
    if kind == "array":
        return st.lists(from_schema(spec, schema.get("items", {}), path=(*path, "0")), max_size=3)
    if kind == "string":
        return _string(schema)
    if kind == "number":
        return st.integers(-_MAX_SAFE_INTEGER, _MAX_SAFE_INTEGER) | st.floats(allow_nan=False, allow_infinity=False)
    if kind == "integer":
        return st.integers(-_MAX_SAFE_INTEGER, _MAX_SAFE_INTEGER)
    if kind == "boolean":
        return st.booleans()
    if kind is None:
        # Any JSON value, but not a bare null: to_dict() leaves out None, so {"data": null}
        # would come back as {} (Logto omits an unset ``data`` rather than sending null).
        return JSON_VALUES.filter(lambda v: v is not None)
    raise NotImplementedError(f"no strategy for {schema}")


@functools.cache
def body_strategy(
    key: str, name: str, pins: Tuple[contract.Pin, ...] = (), force: contract.Path_ = ()
) -> st.SearchStrategy[Any]:
    """``from_schema`` for the model ``name`` of contract ``key``, built once (never ``null``:
    a nullable schema is null where it is used, not as a model)."""
    return _from_schema(_BY_KEY[key].spec, SCHEMAS[key][name], pins=pins, force=force, path=())


def wrong_types(spec: JsonObject, schema: JsonObject, *, required: bool) -> st.SearchStrategy[Any]:
    """JSON values of a type the schema does not allow (``null`` only for a required,
    non-nullable property: an optional one left ``None`` is simply not sent). Request
    booleans and numbers are strict, like Logto's: ``"yes"``, ``1`` for a flag and ``"7"``
    for a number are wrong types too."""
    nullable = schema.get("nullable")
    _, schema = contract.resolve(spec, schema)
    nullable = nullable or schema.get("nullable")
    lists = st.lists(JSON_SCALARS, max_size=2)
    dicts = st.dictionaries(st.text(max_size=5), JSON_SCALARS, max_size=2)
    numbers = st.integers() | st.floats(allow_nan=False)
    kind = "object" if "oneOf" in schema else schema.get("type")
    choices = {
        "string": numbers | st.booleans() | lists | dicts,
        "boolean": numbers | st.text() | lists | dicts,
        "number": st.text() | st.booleans() | lists | dicts,
        "integer": st.text()
        | st.booleans()
        | st.floats(allow_nan=False).filter(lambda f: not f.is_integer())
        | lists
        | dicts,
        "array": numbers | st.booleans() | st.text() | dicts,
        "object": numbers | st.booleans() | st.text() | lists,
    }[kind]
    return (choices | st.none()) if required and not nullable else choices


def invalid_strategy(spec: JsonObject, slot: contract.Slot, kind: str) -> st.SearchStrategy[Any]:
    schema = slot.schema
    if kind == "missing":
        return st.just(contract.MISSING)
    if kind == "wrong-type":
        return wrong_types(spec, schema, required=slot.required)
    if kind == "enum":
        allowed = set(schema.get("enum", ())) | set(contract.union_tags(spec, slot))
        if schema.get("type") == "array":
            _, items = contract.resolve(spec, schema["items"])
            allowed = set(items["enum"])
            return st.lists(st.text().filter(lambda s: s not in allowed), min_size=1, max_size=3)
        return st.text().filter(lambda s: s not in allowed)
    if kind == "min-length":
        return st.text(max_size=schema["minLength"] - 1)
    if kind == "max-length":
        limit = schema["maxLength"]

        def pad(value: str) -> str:
            return value[:1] * (limit + 1 - len(value)) + value if value else "x" * (limit + 1)

        strategy = _string({k: v for k, v in schema.items() if k != "maxLength"}).map(pad)
        if "pattern" in schema:
            strategy = strategy.filter(lambda s: contract.js_fullmatch(schema["pattern"], s))
        return strategy
    if kind == "pattern":
        pattern = schema["pattern"]
        high = schema.get("maxLength", 64)
        breakers = [v for v in contract.PATTERN_BREAKERS if not contract.js_fullmatch(pattern, v)]
        return st.sampled_from(breakers) | st.text(max_size=high).filter(
            lambda s: not contract.js_fullmatch(pattern, s)
        )
    if kind == "format":
        # Relative references, bare words and URLs with white space: not what zod's .url() takes.
        return st.sampled_from(contract.URI_BREAKERS) | st.text(
            alphabet=st.characters(blacklist_characters=":"), max_size=20
        )
    raise NotImplementedError(kind)


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def apis(server: RecordingServer) -> Iterator[Dict[str, Any]]:
    with contract.api_at(server.url, py_logto.VerificationsApi) as verifications:
        yield {"verifications": verifications, "account": py_logto.MyAccountApi(verifications.api_client)}


def parameter_examples(op: contract.SpecOperation) -> Dict[str, Any]:
    """The spec's example for every parameter but the body (for an enum without one, its first value)."""
    return {
        p.name: p.schema["enum"][0] if p.example is None and "enum" in p.schema else p.example
        for p in op.params
        if p.location not in ("body", "file")
    }


def _send(apis: Dict[str, Any], key: str, operation_id: str, body: Any) -> Any:
    op = OPERATIONS[key][operation_id]
    method = getattr(apis[key], contract.snake_case(operation_id))
    return method(**parameter_examples(op), **{str(op.param(contract.snake_case(str(op.request_schema))).name): body})


def _success_reply(op: contract.SpecOperation) -> Reply:
    content_type = {"text": "text/plain", "empty": None}.get(op.response_kind, "application/json")
    return Reply(op.success_status, op.success_example, content_type=content_type)


# -- round trips ---------------------------------------------------------------------------------

OBJECT_MODELS = [
    pytest.param(c.key, name, id=f"{c.key}:{name}")
    for c in CONTRACTS
    for name, schema in sorted(SCHEMAS[c.key].items())
    if schema.get("type") == "object" or "oneOf" in schema
]
REQUEST_MODELS = {c.key: set(contract.request_models(c.spec)) for c in CONTRACTS}
RESPONSE_MODELS = {c.key: set(contract.response_models(c.spec)) for c in CONTRACTS}


@pytest.mark.parametrize(("key", "name"), OBJECT_MODELS)
@given(data=st.data())
def test_every_valid_value_round_trips_exactly_and_responses_keep_unknown_fields(
    key: str, name: str, data: st.DataObject
) -> None:
    model = getattr(py_logto, name)
    value = data.draw(body_strategy(key, name), label=name)
    text = json.dumps(value, ensure_ascii=False)

    # JSON -> model -> JSON
    parsed = model.from_json(text)
    assert json.loads(parsed.to_json()) == value
    assert parsed.to_dict() == value
    # model -> JSON -> model
    assert model.from_json(parsed.to_json()) == parsed
    # dict -> model, as users build them
    assert model.from_dict(value) == parsed

    if name not in REQUEST_MODELS[key] or name in RESPONSE_MODELS[key]:
        # A newer Logto may send fields this SDK does not know: they are kept.
        known = set(SCHEMAS[key][name].get("properties", {}))
        extra = data.draw(
            st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda k: k not in known), JSON_VALUES, max_size=3),
            label="unknown fields",
        )
        with_extra = model.from_json(json.dumps({**value, **extra}))
        assert with_extra.model_extra == extra
        # A response's to_dict() is the body as received: explicit nulls and unknown fields included.
        assert with_extra.to_dict() == {**value, **extra}


BODY_OPERATIONS = [
    pytest.param(c.key, op_id, id=f"{c.key}:{op_id}")
    for c in CONTRACTS
    for op_id, op in sorted(OPERATIONS[c.key].items())
    if op.request_schema
]


@pytest.mark.parametrize(("key", "operation_id"), BODY_OPERATIONS)
@given(data=st.data())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_a_valid_body_goes_on_the_wire_unchanged(
    key: str, operation_id: str, data: st.DataObject, server: RecordingServer, apis: Dict[str, Any]
) -> None:
    op = OPERATIONS[key][operation_id]
    body = data.draw(body_strategy(key, str(op.request_schema)), label="body")
    server.queue(_success_reply(op))
    _send(apis, key, operation_id, body)
    assert server.last.json() == body
    typed = getattr(py_logto, str(op.request_schema)).from_dict(body)
    server.queue(_success_reply(op))
    _send(apis, key, operation_id, typed)
    assert server.last.json() == body


# -- invalid values ------------------------------------------------------------------------------


def _defaulted(key: str, slot: contract.Slot) -> Optional[Any]:
    return contract.filled_in_default(_BY_KEY[key].spec, slot)


def _invalid_cases() -> List[Any]:
    """One case per property and kind of invalid value. A model reached from several
    operations (the identifier) is tested through the first; test_prism sends fixed
    invalid values through every operation."""
    cases: Dict[Tuple[str, str, str, str], Any] = {}
    for each in CONTRACTS:
        for slot in contract.request_slots(each.spec):
            for kind in dict.fromkeys(kind for kind, _ in contract.invalid_values(slot)):
                if kind == "missing" and _defaulted(each.key, slot) is not None:
                    continue
                cases.setdefault(
                    (each.key, slot.owner, slot.path[-1], kind),
                    pytest.param(each.key, slot, kind, id=f"{each.key}:{slot.id}-{kind}"),
                )
    return list(cases.values())


INVALID_CASES = _invalid_cases()


def _check_refused(
    key: str, slot: contract.Slot, kind: str, data: st.DataObject, server: RecordingServer, apis: Dict[str, Any]
) -> None:
    spec = _BY_KEY[key].spec
    op = OPERATIONS[key][slot.operation_id]
    base = data.draw(body_strategy(key, str(op.request_schema), slot.pins, slot.path), label="base")
    bad = data.draw(invalid_strategy(spec, slot, kind), label=f"{'.'.join(slot.path)} ({kind})")
    body = contract.with_value(base, slot.path, bad)
    sent_before = len(server.requests)
    with pytest.raises(py_logto.ApiValueError) as caught:
        _send(apis, key, slot.operation_id, body)
    assert len(server.requests) == sent_before, "the SDK sent a body it should have refused"
    labels = contract.error_labels(getattr(py_logto, str(op.request_schema)), slot)
    assert contract.names_field(caught.value.fields, labels), (caught.value.fields, labels)
    assert any(label in str(caught.value) for label in labels), str(caught.value)


_VALUE_KINDS = ("pattern", "max-length", "min-length", "enum", "format")


@pytest.mark.parametrize(("key", "slot", "kind"), [c for c in INVALID_CASES if c.values[2] in _VALUE_KINDS])
@given(data=st.data())
def test_a_value_that_breaks_a_constraint_is_refused_before_the_wire(
    key: str, slot: contract.Slot, kind: str, data: st.DataObject, server: RecordingServer, apis: Dict[str, Any]
) -> None:
    _check_refused(key, slot, kind, data, server, apis)


@pytest.mark.parametrize(("key", "slot", "kind"), [c for c in INVALID_CASES if c.values[2] not in _VALUE_KINDS])
@_FEW
@given(data=st.data())
def test_a_missing_or_mistyped_property_is_refused_before_the_wire(
    key: str, slot: contract.Slot, kind: str, data: st.DataObject, server: RecordingServer, apis: Dict[str, Any]
) -> None:
    _check_refused(key, slot, kind, data, server, apis)


_CONSTANTS = [
    pytest.param(c.key, s, id=f"{c.key}:{s.id}")
    for c in CONTRACTS
    for s in contract.request_slots(c.spec)
    if s.required and _defaulted(c.key, s) is not None
]


@pytest.mark.parametrize(("key", "slot"), _CONSTANTS)
def test_a_left_out_constant_is_filled_in(
    key: str, slot: contract.Slot, server: RecordingServer, apis: Dict[str, Any]
) -> None:
    op = OPERATIONS[key][slot.operation_id]
    body = contract.with_value(
        contract.sample(_BY_KEY[key].spec, SCHEMAS[key][str(op.request_schema)], pins=slot.pins, force=slot.path),
        slot.path,
        contract.MISSING,
    )
    server.queue(_success_reply(op))
    _send(apis, key, slot.operation_id, body)
    sent = server.last.json()
    for part in slot.path:
        sent = sent[part]
    assert sent == _defaulted(key, slot) == slot.schema["enum"][0]


@pytest.mark.parametrize(("key", "minimum"), [("verifications", 9), ("account", 6)], ids=["verifications", "account"])
def test_every_constrained_property_has_invalid_cases(key: str, minimum: int) -> None:
    covered = {(slot.owner, slot.path[-1], kind) for k, slot, kind in (c.values for c in INVALID_CASES) if k == key}
    names = {"minLength": "min-length", "maxLength": "max-length", "pattern": "pattern", "enum": "enum"}
    wanted = {
        (slot.owner, slot.path[-1], names[keyword])
        for slot in contract.request_slots(_BY_KEY[key].spec)
        for keyword in names
        if keyword in slot.schema or (keyword == "enum" and "$ref" in slot.schema.get("items", {}))
    }
    wanted |= {
        (slot.owner, slot.path[-1], "format")
        for slot in contract.request_slots(_BY_KEY[key].spec)
        if slot.schema.get("format") == "uri"
    }
    assert len(wanted) >= minimum
    assert wanted <= covered, sorted(wanted - covered)


@pytest.mark.parametrize(
    ("name", "body"),
    [("UpdateProfileRequest", {}), ("UpdateProfileRequest", {"customData": None})],
)
def test_a_body_with_fewer_properties_than_min_properties_is_refused(name: str, body: Dict[str, Any]) -> None:
    schema = SCHEMAS["account"][name]
    assert schema["minProperties"] == 1
    with pytest.raises(py_logto.ApiValueError, match="set at least 1 field"):
        getattr(py_logto, name).from_dict(body)


# -- examples ------------------------------------------------------------------------------------


def _operation_at(key: str, where: Tuple[str, ...]) -> contract.SpecOperation:
    return next(op for op in OPERATIONS[key].values() if op.path == where[1] and op.method == where[2].upper())


def model_for_example(key: str, where: Tuple[str, ...], example: Any) -> Tuple[Optional[str], Any]:
    """The model that must accept the example at ``where`` (``None`` for text), and the value to give it."""
    if where[0] == "paths" and where[3] == "requestBody" and where[-1] == "example":
        return str(_operation_at(key, where).request_schema), example
    if where[0] == "paths" and where[3] == "responses" and where[-1] == "example":
        return _operation_at(key, where).responses[int(where[4])][0], example
    if where[:2] == ("components", "schemas") and where[3] == "properties" and len(where) == 6:
        name, prop = where[2], where[4]
        value = contract.sample(_BY_KEY[key].spec, SCHEMAS[key][name], full=True)
        value[prop] = example
        return name, value
    raise AssertionError(f"no rule says which model checks the example at {'/'.join(where)}: add one")


EXAMPLES = [
    pytest.param(c.key, where, example, id=f"{c.key}:{'/'.join(where)}")
    for c in CONTRACTS
    for where, example in contract.iter_examples(c.spec)
    if where[:2] != ("components", "parameters")
]


@pytest.mark.parametrize(("key", "where", "example"), EXAMPLES)
def test_every_example_in_the_spec_validates_as_its_model(key: str, where: Tuple[str, ...], example: Any) -> None:
    name, value = model_for_example(key, where, example)
    if name is None:
        assert isinstance(value, str)  # a text/plain response ("OK")
        return
    model = getattr(py_logto, name)
    if isinstance(value, list):  # a JSON array of the model
        assert [model.from_json(json.dumps(item)).to_dict() for item in value] == value
        return
    parsed = model.from_json(json.dumps(value))
    assert parsed.to_dict() == value


ALL_OPERATIONS = [pytest.param(c.key, op_id, id=f"{c.key}:{op_id}") for c in CONTRACTS for op_id in OPERATIONS[c.key]]


@pytest.mark.parametrize(("key", "operation_id"), ALL_OPERATIONS)
def test_every_parameter_example_goes_on_the_wire_as_given(
    key: str, operation_id: str, server: RecordingServer, apis: Dict[str, Any]
) -> None:
    op = OPERATIONS[key][operation_id]
    arguments = parameter_examples(op)
    for param in op.params:
        if param.location == "body":
            arguments[param.name] = op.request_example
        elif param.location == "file":
            arguments[param.name] = ("avatar.png", b"\x89PNG\r\n\x1a\n", "image/png")
    server.queue(_success_reply(op))
    getattr(apis[key], contract.snake_case(operation_id))(**arguments)
    sent = server.last
    path, _, query = sent.path.partition("?")
    expected_path = op.path
    examples = parameter_examples(op)
    for param in op.params:
        if param.location == "path":
            assert param.example not in ("", ".", "..")
            assert "/" not in param.example
            expected_path = expected_path.replace("{" + param.wire + "}", param.example)
        elif param.location == "header":
            assert sent.header(param.wire) == param.example
        elif param.location == "query":
            assert (param.wire, examples[param.name]) in parse_qsl(query)
    assert path == expected_path
    if op.request_example is not None:
        assert sent.json() == op.request_example


def test_the_specs_have_examples_everywhere_they_should() -> None:
    for each in CONTRACTS:
        examples = [where for where, _ in contract.iter_examples(each.spec)]
        operations = OPERATIONS[each.key].values()
        request_examples = [w for w in examples if "requestBody" in w]
        response_examples = [w for w in examples if "responses" in w]
        assert len(request_examples) == sum(1 for op in operations if op.body_kind == "json")
        with_content = sum(1 for op in operations for status in op.responses if _has_content(op, status))
        assert len(response_examples) == with_content
        assert all(p.example is not None for op in operations for p in op.params if p.location in ("path", "header"))


def _has_content(op: contract.SpecOperation, status: int) -> bool:
    return not (status == op.success_status and op.response_kind == "empty")
