"""Property tests with strategies built from the spec's schemas.

- Every valid value of every model round-trips exactly: JSON -> model -> JSON gives the
  same JSON, model -> JSON -> model the same model, and a request body goes on the wire
  unchanged.
- For every property of every request body, values that break its schema (missing,
  wrong type, not in the enum, too short, too long, not matching the pattern) are refused
  before anything is sent, with an ``ApiValueError`` that names the property.
- Every ``example`` in the spec validates as its model.

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

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import py_logto
from test import _contract as contract
from test._contract import SPEC, JsonObject
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

SCHEMAS = contract.model_schemas(SPEC)
OPERATIONS = contract.operations(SPEC)

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


def _string(schema: JsonObject) -> st.SearchStrategy[str]:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if "pattern" not in schema:
        return st.text(min_size=low, max_size=high if high is not None else max(low, 40))
    strategy = st.from_regex(contract.ecma_to_python(schema["pattern"]), fullmatch=True)
    # pydantic's pattern engine counts U+0085 as whitespace, JavaScript does not: the SDK
    # refuses such a value that Logto would take, so it is not generated as valid.
    strategy = strategy.filter(lambda s: "\x85" not in s)
    return strategy.filter(lambda s: low <= len(s) and (high is None or len(s) <= high))


def from_schema(
    schema: JsonObject,
    *,
    pins: Tuple[contract.Pin, ...] = (),
    force: contract.Path_ = (),
    path: contract.Path_ = (),
) -> st.SearchStrategy[Any]:
    """Valid JSON values of ``schema``. Optional properties may be present or absent
    (present when they lead to ``force``); a oneOf takes its pinned member, or any."""
    _, schema = contract.resolve(SPEC, schema)
    if "oneOf" in schema:
        chosen = dict(pins).get(path)
        members = [contract.resolve(SPEC, m) for m in schema["oneOf"]]
        return st.one_of(
            [
                from_schema(member, pins=pins, force=force, path=path)
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
            strategy = from_schema(sub, pins=pins, force=force, path=here)
            leads_to_force = len(force) > len(here) and force[: len(here)] == here
            (must if prop in required or leads_to_force else may)[prop] = strategy
        return st.fixed_dictionaries(must, optional=may)
    if kind == "object":
        return st.dictionaries(st.text(max_size=12), JSON_VALUES, max_size=4)
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {}), path=(*path, "0")), max_size=3)
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
def body_strategy(name: str, pins: Tuple[contract.Pin, ...] = (), force: contract.Path_ = ()) -> st.SearchStrategy[Any]:
    """``from_schema`` for the model ``name``, built once."""
    return from_schema(SCHEMAS[name], pins=pins, force=force)


# pydantic's lax mode converts these to valid values (and sends the valid value), so they
# are not "wrong types" for the purpose of these tests.
_BOOL_WORDS = frozenset({"0", "1", "f", "t", "n", "y", "no", "yes", "on", "off", "false", "true"})


def _not_a_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return True
    return False


def wrong_types(schema: JsonObject, *, required: bool) -> st.SearchStrategy[Any]:
    """JSON values of a type the schema does not allow (``null`` only for a required
    property: an optional one left ``None`` is simply not sent)."""
    _, schema = contract.resolve(SPEC, schema)
    lists = st.lists(JSON_SCALARS, max_size=2)
    dicts = st.dictionaries(st.text(max_size=5), JSON_SCALARS, max_size=2)
    numbers = st.integers() | st.floats(allow_nan=False)
    kind = "object" if "oneOf" in schema else schema.get("type")
    choices = {
        "string": numbers | st.booleans() | lists | dicts,
        "boolean": st.integers().filter(lambda n: n not in (0, 1))
        | st.text().filter(lambda s: s.strip().lower() not in _BOOL_WORDS)
        | lists
        | dicts,
        "number": st.text().filter(_not_a_number) | lists | dicts,
        "integer": st.text().filter(_not_a_number) | lists | dicts,
        "array": numbers | st.booleans() | st.text() | dicts,
        "object": numbers | st.booleans() | st.text() | lists,
    }[kind]
    return (choices | st.none()) if required else choices


def invalid_strategy(slot: contract.Slot, kind: str) -> st.SearchStrategy[Any]:
    schema = slot.schema
    if kind == "missing":
        return st.just(contract.MISSING)
    if kind == "wrong-type":
        return wrong_types(schema, required=slot.required)
    if kind == "enum":
        allowed = set(schema.get("enum", ())) | set(contract.union_tags(SPEC, slot))
        if schema.get("type") == "array":
            _, items = contract.resolve(SPEC, schema["items"])
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
    raise NotImplementedError(kind)


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server: RecordingServer) -> Iterator[py_logto.VerificationsApi]:
    with contract.api_at(server.url) as client:
        yield client


def _send(api: py_logto.VerificationsApi, operation_id: str, body: Any) -> Any:
    return getattr(api, contract.snake_case(operation_id))(body)


# -- round trips ---------------------------------------------------------------------------------

OBJECT_MODELS = sorted(name for name, schema in SCHEMAS.items() if schema.get("type") == "object" or "oneOf" in schema)
REQUEST_MODELS = set(contract.request_models(SPEC))


@pytest.mark.parametrize("name", OBJECT_MODELS)
@given(data=st.data())
def test_every_valid_value_round_trips_exactly_and_responses_keep_unknown_fields(
    name: str, data: st.DataObject
) -> None:
    model = getattr(py_logto, name)
    value = data.draw(body_strategy(name), label=name)
    text = json.dumps(value, ensure_ascii=False)

    # JSON -> model -> JSON
    parsed = model.from_json(text)
    assert json.loads(parsed.to_json()) == value
    assert parsed.to_dict() == value
    # model -> JSON -> model
    assert model.from_json(parsed.to_json()) == parsed
    # dict -> model, as users build them
    assert model.from_dict(value) == parsed

    if name not in REQUEST_MODELS:
        # A newer Logto may send fields this SDK does not know: they are kept.
        known = set(SCHEMAS[name].get("properties", {}))
        extra = data.draw(
            st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda k: k not in known), JSON_VALUES, max_size=3),
            label="unknown fields",
        )
        with_extra = model.from_json(json.dumps({**value, **extra}))
        assert with_extra.model_extra == extra
        # A response's to_dict() is the body as received: explicit nulls and unknown fields included.
        assert with_extra.to_dict() == {**value, **extra}


@pytest.mark.parametrize("operation_id", sorted(op for op in OPERATIONS if OPERATIONS[op].request_schema))
@given(data=st.data())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_a_valid_body_goes_on_the_wire_unchanged(
    operation_id: str, data: st.DataObject, server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    op = OPERATIONS[operation_id]
    body = data.draw(body_strategy(str(op.request_schema)), label="body")
    success = op.responses[op.success_status][1]
    server.queue(Reply(op.success_status, success))
    _send(api, operation_id, body)
    assert server.last.json() == body
    typed = getattr(py_logto, str(op.request_schema)).from_dict(body)
    server.queue(Reply(op.success_status, success))
    _send(api, operation_id, typed)
    assert server.last.json() == body


# -- invalid values ------------------------------------------------------------------------------


def _defaulted(slot: contract.Slot) -> Optional[Any]:
    return contract.filled_in_default(SPEC, slot)


def _invalid_cases() -> List[Any]:
    """One case per property and kind of invalid value. A model reached from several
    operations (the identifier) is tested through the first; test_prism sends fixed
    invalid values through every operation."""
    cases: Dict[Tuple[str, str, str], Any] = {}
    for slot in contract.request_slots(SPEC):
        for kind in dict.fromkeys(kind for kind, _ in contract.invalid_values(slot)):
            if kind == "missing" and _defaulted(slot) is not None:
                continue
            cases.setdefault((slot.owner, slot.path[-1], kind), pytest.param(slot, kind, id=f"{slot.id}-{kind}"))
    return list(cases.values())


INVALID_CASES = _invalid_cases()


def _check_refused(slot: contract.Slot, kind: str, data: st.DataObject, server: RecordingServer, api: Any) -> None:
    op = OPERATIONS[slot.operation_id]
    base = data.draw(body_strategy(str(op.request_schema), slot.pins, slot.path), label="base")
    bad = data.draw(invalid_strategy(slot, kind), label=f"{'.'.join(slot.path)} ({kind})")
    body = contract.with_value(base, slot.path, bad)
    sent_before = len(server.requests)
    with pytest.raises(py_logto.ApiValueError) as caught:
        _send(api, slot.operation_id, body)
    assert len(server.requests) == sent_before, "the SDK sent a body it should have refused"
    labels = contract.error_labels(getattr(py_logto, str(op.request_schema)), slot)
    assert contract.names_field(caught.value.fields, labels), (caught.value.fields, labels)
    assert any(label in str(caught.value) for label in labels), str(caught.value)


_VALUE_KINDS = ("pattern", "max-length", "min-length", "enum")


@pytest.mark.parametrize(("slot", "kind"), [c for c in INVALID_CASES if c.values[1] in _VALUE_KINDS])
@given(data=st.data())
def test_a_value_that_breaks_a_constraint_is_refused_before_the_wire(
    slot: contract.Slot, kind: str, data: st.DataObject, server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    _check_refused(slot, kind, data, server, api)


@pytest.mark.parametrize(("slot", "kind"), [c for c in INVALID_CASES if c.values[1] not in _VALUE_KINDS])
@_FEW
@given(data=st.data())
def test_a_missing_or_mistyped_property_is_refused_before_the_wire(
    slot: contract.Slot, kind: str, data: st.DataObject, server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    _check_refused(slot, kind, data, server, api)


@pytest.mark.parametrize(
    "slot",
    [s for s in contract.request_slots(SPEC) if s.required and _defaulted(s) is not None],
    ids=lambda s: s.id,
)
def test_a_left_out_constant_is_filled_in(
    slot: contract.Slot, server: RecordingServer, api: py_logto.VerificationsApi
) -> None:
    op = OPERATIONS[slot.operation_id]
    body = contract.with_value(
        contract.sample(SPEC, SCHEMAS[str(op.request_schema)], pins=slot.pins, force=slot.path),
        slot.path,
        contract.MISSING,
    )
    server.queue(Reply(op.success_status, op.responses[op.success_status][1]))
    _send(api, slot.operation_id, body)
    sent = server.last.json()
    for key in slot.path:
        sent = sent[key]
    assert sent == _defaulted(slot) == slot.schema["enum"][0]


def test_every_constrained_property_has_invalid_cases() -> None:
    covered = {(slot.owner, slot.path[-1], kind) for slot, kind in (c.values for c in INVALID_CASES)}
    names = {"minLength": "min-length", "maxLength": "max-length", "pattern": "pattern", "enum": "enum"}
    wanted = {
        (slot.owner, slot.path[-1], names[keyword])
        for slot in contract.request_slots(SPEC)
        for keyword in names
        if keyword in slot.schema or (keyword == "enum" and "$ref" in slot.schema.get("items", {}))
    }
    assert len(wanted) >= 9
    assert wanted <= covered, sorted(wanted - covered)


# -- examples ------------------------------------------------------------------------------------


def model_for_example(where: Tuple[str, ...], example: Any) -> Tuple[str, Any]:
    """The model that must accept the example at ``where``, and the value to give it."""
    if where[0] == "paths" and where[3] == "requestBody" and where[-1] == "example":
        op = next(op for op in OPERATIONS.values() if op.path == where[1] and op.method == where[2].upper())
        return str(op.request_schema), example
    if where[0] == "paths" and where[3] == "responses" and where[-1] == "example":
        op = next(op for op in OPERATIONS.values() if op.path == where[1] and op.method == where[2].upper())
        return str(op.responses[int(where[4])][0]), example
    if where[:2] == ("components", "schemas") and where[3] == "properties" and len(where) == 6:
        name, prop = where[2], where[4]
        value = contract.sample(SPEC, SCHEMAS[name], full=True)
        value[prop] = example
        return name, value
    raise AssertionError(f"no rule says which model checks the example at {'/'.join(where)}: add one")


EXAMPLES = list(contract.iter_examples(SPEC))


@pytest.mark.parametrize(("where", "example"), EXAMPLES, ids=["/".join(w) for w, _ in EXAMPLES])
def test_every_example_in_the_spec_validates_as_its_model(where: Tuple[str, ...], example: Any) -> None:
    name, value = model_for_example(where, example)
    model = getattr(py_logto, name)
    parsed = model.from_json(json.dumps(value))
    assert parsed.to_dict() == value


def test_the_spec_has_examples_everywhere_it_should() -> None:
    request_examples = [w for w, _ in EXAMPLES if "requestBody" in w]
    response_examples = [w for w, _ in EXAMPLES if "responses" in w]
    assert len(request_examples) == sum(1 for op in OPERATIONS.values() if op.request_schema)
    assert len(response_examples) == sum(len(op.responses) for op in OPERATIONS.values())
