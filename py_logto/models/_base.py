"""The base classes every model derives from: pydantic v2 plus the generated-client helpers."""

from __future__ import annotations

import enum
import json
import math
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Dict,
    FrozenSet,
    Iterator,
    List,
    Mapping,
    Optional,
    Set,
    Tuple,
    Type,
    TypeVar,
    Union,
    cast,
    overload,
)

from pydantic import AfterValidator, BaseModel, ConfigDict, GetCoreSchemaHandler, ValidationError
from pydantic.alias_generators import to_camel
from pydantic_core import CoreSchema, core_schema
from typing_extensions import Annotated, Self

from py_logto.exceptions import ApiTypeError, ApiValueError, _flatten, render_path

if TYPE_CHECKING:
    from py_logto.models._nullable import NullableRequestModel as NullableRequestModel

_M = TypeVar("_M", bound="LogtoModel")

#: The modules of the abstract bases, whose validators are never built.
_ABSTRACT_HOMES = frozenset({__name__, "py_logto.models._nullable"})

_REDACTED = "<redacted>"


class _Redacted:
    """Shown in place of a secret in ``repr`` and ``to_str``."""

    def __repr__(self) -> str:
        return _REDACTED


_REDACTED_VALUE = _Redacted()


#: Wire names that are not the plain camelCase of the attribute name.
_IRREGULAR_WIRE_NAMES = {"client_data_json": "clientDataJSON"}


def wire_name(attribute: str) -> str:
    """The JSON name of an attribute: its camelCase (``verification_record_id`` ->
    ``verificationRecordId``), except where Logto spells it otherwise."""
    return _IRREGULAR_WIRE_NAMES.get(attribute) or to_camel(attribute)


def _field_label(model: Type[BaseModel], loc: Tuple[Union[str, int], ...]) -> Tuple[str, Optional[type]]:
    """Render an error location with the Python attribute name of each model field, and
    the model the location ends in (if it is one)."""
    parts: List[str] = []
    current: Optional[Type[BaseModel]] = model
    for item in loc:
        if current is not None and isinstance(item, str):
            if issubclass(current, UnionModel) and item in current.one_of_tags():
                current = current.one_of_tags()[item]  # pydantic's tag for the chosen member
                continue
            name = _python_name(current, item)
            if name is not None:
                parts.append(name)
                annotation = _strip_optional(current.model_fields[name].annotation)
                current = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
                continue
        parts.append(str(item))
        current = None
    return ".".join(parts), current


def _strip_annotated(annotation: Any) -> Any:
    return getattr(annotation, "__origin__", annotation) if hasattr(annotation, "__metadata__") else annotation


def _strip_optional(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", ())
    if type(None) in args and len(args) == 2:
        return next(a for a in args if a is not type(None))
    return annotation


def _python_name(model: Type[BaseModel], key: str) -> Optional[str]:
    if key in model.model_fields:
        return key
    for name, info in model.model_fields.items():
        if info.alias == key:
            return name
    return None


def _to_api_error(model: Type[BaseModel], err: ValidationError) -> ApiValueError:
    """Turn pydantic's error into ours: every failing field named, no input values shown."""
    errors = []
    lines = []
    for item in err.errors(include_url=False, include_input=False, include_context=False):
        loc = tuple(item["loc"])
        label, ends_in = _field_label(model, loc)
        label = label or "(body)"
        message = item["msg"]
        if item["type"] in ("union_tag_not_found", "union_tag_invalid") and ends_in is not None:
            message = _tag_message(ends_in, item["type"] == "union_tag_not_found")
        elif item["type"] == "missing":
            message = "required, but not given"
        errors.append({"loc": loc, "field": label, "msg": message, "type": item["type"]})
        lines.append(f"{label}: {message}")
    count = len(lines)
    summary = f"{count} invalid field{'s' if count != 1 else ''} in {model.__name__}: " + "; ".join(lines)
    first = errors[0]["loc"] if errors else None
    exc = ApiValueError(summary, errors=errors)
    exc.path_to_item = first
    return exc


def _tag_message(model: type, missing: bool) -> str:
    union = cast("Type[UnionModel]", model)
    tags = ", ".join(repr(tag) for tag in union.one_of_tags())
    field_name = union.discriminator() or "type"
    if missing:
        return f"{field_name!r} is missing: it must be one of {tags}"
    return f"{field_name!r} must be one of {tags}"


class ParsingMixin:
    """``from_dict`` and ``from_json`` of generated clients, raising our errors; shared by
    the field models and the one-of unions (``RootModel`` subclasses)."""

    @overload
    @classmethod
    def from_dict(cls, obj: None) -> None: ...

    @overload
    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> Self: ...

    @classmethod
    def from_dict(cls, obj: Optional[Mapping[str, Any]]) -> Optional[Self]:
        """Build the model from a dict with wire (camelCase) or attribute (snake_case) keys
        (``None`` gives ``None``, as in generated clients)."""
        if obj is None:
            return None
        if isinstance(obj, cls):
            return obj
        if not isinstance(obj, Mapping):
            raise ApiTypeError(f"{cls.__name__}.from_dict() needs a mapping, not {type(obj).__name__}")
        model = cast("Type[BaseModel]", cls)
        try:
            return cast("Self", model.model_validate(obj if isinstance(obj, dict) else dict(obj)))
        except ValidationError as err:
            raise _to_api_error(model, err) from None

    @classmethod
    def from_json(cls, json_str: Union[str, bytes]) -> Self:
        """Build the model from JSON text."""
        model = cast("Type[BaseModel]", cls)
        try:
            return cast("Self", model.model_validate_json(json_str))
        except ValidationError as err:
            raise _to_api_error(model, err) from None


class LogtoModel(ParsingMixin, BaseModel):
    """Common behaviour: snake_case attributes with camelCase wire aliases, constructible
    by either name, validated on construction and assignment, secrets kept out of
    ``repr``/``str``, and the ``to_dict``/``from_dict``/``to_json``/``from_json``/``to_str``
    helpers of generated clients.

    Invalid values raise :class:`~py_logto.exceptions.ApiValueError` (a ``ValueError``)
    naming every failing field; the values themselves never appear in the message.
    """

    # Aliases come from a generator rather than Field(alias=...), so that type checkers
    # see the snake_case attribute names as the constructor's keyword arguments.
    model_config = ConfigDict(
        alias_generator=wire_name,
        populate_by_name=True,
        validate_assignment=True,
        hide_input_in_errors=True,
        defer_build=True,
        protected_namespaces=(),
    )

    #: Attribute names whose values are secrets (passwords, codes): never shown.
    _secret_fields: ClassVar[FrozenSet[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # Build each model's validator and serializer while its module is imported,
        # which Python does once, under the module's import lock; only the abstract
        # bases in this module stay deferred. (Modules are imported on first use, so
        # this costs nothing up front.) Building on first use instead races in
        # pydantic < 2.13: threads that first use a model together can validate with
        # the parent class's validator while one of them is building it.
        if cls.__module__ not in _ABSTRACT_HOMES:
            cls.model_rebuild(raise_errors=False)

    def __init__(self, /, *args: Any, **data: Any) -> None:
        if args:
            raise ApiTypeError(f"{type(self).__name__}() takes keyword arguments only")
        try:
            super().__init__(**data)
        except ValidationError as err:
            # No chained pydantic error: the message names every field, in Python names.
            raise _to_api_error(type(self), err) from None

    # Tell pydantic this __init__ only wraps errors: nested models are then validated
    # in pydantic-core directly instead of through a Python-level __init__ call.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            super().__setattr__(name, value)
        except ValidationError as err:
            raise _to_api_error(type(self), err) from None

    def __repr_args__(self) -> Iterator[Tuple[Optional[str], Any]]:
        for name, value in super().__repr_args__():
            if name in self._secret_fields and value is not None:
                yield name, _REDACTED_VALUE
            else:
                yield name, value

    # -- generated-client conveniences -----------------------------------------------

    def to_dict(self) -> Dict[str, Any]:
        """The JSON-ready dict sent on the wire: camelCase keys, unset optional fields left out."""
        try:
            return self.model_dump(mode="json", by_alias=True, exclude_none=True)
        except ValueError as err:  # a free-form value changed in place since it was validated
            raise _unsendable(self, err) from None

    def to_json(self) -> str:
        """The JSON text sent on the wire."""
        try:
            return self.model_dump_json(by_alias=True, exclude_none=True)
        except ValueError as err:
            raise _unsendable(self, err) from None

    def to_str(self) -> str:
        """A readable, multi-line rendering with secrets replaced by ``<redacted>``."""
        shown = self.to_dict()
        for name in self._secret_fields:
            alias = type(self).model_fields[name].alias or name
            if alias in shown:
                shown[alias] = _REDACTED
        import pprint  # only needed here; not loaded by programs that never call to_str

        return pprint.pformat(shown)


class RequestModel(LogtoModel):
    """A request body: unknown keyword arguments are refused, so a typo cannot go unnoticed."""

    # NaN and infinities are not JSON: pydantic would send them as null.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ResponseModel(LogtoModel):
    """A response body: unknown fields are kept (they come back out of ``to_dict``), so a
    newer Logto never breaks an older client."""

    model_config = ConfigDict(extra="allow")

    def to_dict(self) -> Dict[str, Any]:
        """The body as received: camelCase keys, exactly the fields the server sent
        (explicit ``null``s and unknown fields included)."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def to_json(self) -> str:
        """The body as JSON text, with exactly the fields the server sent."""
        return self.model_dump_json(by_alias=True, exclude_unset=True)


class LogtoEnum(str, enum.Enum):
    """A string enum of the contracts: its members are the wire values."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def from_json(cls, json_str: Union[str, bytes]) -> Self:
        """The member for a JSON string (``'"usb"'``), as in generated clients."""
        try:
            return cls(json.loads(json_str))
        except (ValueError, TypeError):
            allowed = ", ".join(repr(m.value) for m in cls)
            raise ApiValueError(f"{cls.__name__}: not one of {allowed}") from None


class UnionModel(ParsingMixin):
    """Behaviour of the one-of models (``RootModel`` of a discriminated union of models).

    ``Union(member)``, ``Union(actual_instance=member)``, ``Union.from_dict({...})`` and
    ``Union.from_json(...)`` build it; ``actual_instance`` is the member. It serializes as
    the member does.
    """

    if TYPE_CHECKING:
        one_of_schemas: ClassVar[Tuple[str, ...]]
        model_fields: ClassVar[Dict[str, Any]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "actual_instance" in kwargs:
            if args:
                raise ApiTypeError(f"{type(self).__name__}() takes one member, positionally or as actual_instance")
            args = (kwargs.pop("actual_instance"),)
        if len(args) > 1 or (args and kwargs):
            raise ApiTypeError(f"{type(self).__name__}() takes one member, positionally or as actual_instance")
        value: Any = args[0] if args else kwargs
        if isinstance(value, UnionModel):
            value = value.actual_instance
        try:
            super().__init__(value)  # type: ignore[call-arg]
        except ValidationError as err:
            raise _to_api_error(cast("Type[BaseModel]", type(self)), err) from None

    # Tell pydantic this __init__ only adapts arguments (see LogtoModel.__init__).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @property
    def actual_instance(self) -> Any:
        """The member model (the name generated clients use)."""
        return cast(Any, self).root

    @actual_instance.setter
    def actual_instance(self, value: Any) -> None:
        cast(Any, self).root = type(self)(value).actual_instance

    @classmethod
    def discriminator(cls) -> Optional[str]:
        """The property whose value picks the member (``"type"``)."""
        info = cls.model_fields["root"]
        found = getattr(info, "discriminator", None)
        if found is None:
            for item in getattr(info.annotation, "__metadata__", ()):
                found = getattr(item, "discriminator", None) or found
        return str(found) if found is not None else None

    @classmethod
    def one_of_tags(cls) -> Dict[str, type]:
        """The discriminator value that picks each member -> the member model."""
        name = cls.discriminator()
        annotation = _strip_annotated(cls.model_fields["root"].annotation)
        tags: Dict[str, type] = {}
        for member in getattr(annotation, "__args__", ()):
            default = member.model_fields[name].default if name else None
            if isinstance(default, str):
                tags[default] = member
        return tags

    def to_dict(self) -> Dict[str, Any]:
        """The member's wire form, e.g. ``{"type": "email", "value": "jane@example.com"}``."""
        return cast("Dict[str, Any]", self.actual_instance.to_dict())

    def to_json(self) -> str:
        """The member's wire form as JSON text."""
        return cast("str", self.actual_instance.to_json())

    def to_str(self) -> str:
        """A readable rendering of the member, secrets redacted."""
        return cast("str", self.actual_instance.to_str())

    def __repr_args__(self) -> Iterator[Tuple[Optional[str], Any]]:
        yield "actual_instance", self.actual_instance


# -- secrets ----------------------------------------------------------------------

#: How deep the search for secrets goes into nested values.
_MAX_DEPTH = 200


def _secret_values(model: Any) -> List[str]:
    """The text of every value in the secret fields (``_secret_fields``) of ``model``
    and of the models nested in it, for masking where a server echoes them."""
    found: List[str] = []
    _collect_secrets(model, found, 0)
    return found


def _collect_secrets(value: Any, found: List[str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, BaseModel):
        secret_fields: FrozenSet[str] = getattr(value, "_secret_fields", frozenset())
        for name in type(value).model_fields:
            item = getattr(value, name, None)
            if name in secret_fields:
                _collect_leaves(item, found, depth + 1)
            else:
                _collect_secrets(item, found, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _collect_secrets(item, found, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _collect_secrets(item, found, depth + 1)


def _collect_leaves(value: Any, found: List[str], depth: int) -> None:
    """Every string, and every number long enough to be a code, inside ``value``."""
    if depth > _MAX_DEPTH or value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, (int, float)):
        text = str(value)
        if len(text) >= 4:
            found.append(text)
    elif isinstance(value, BaseModel):
        _collect_leaves(value.model_dump(), found, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _collect_leaves(item, found, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _collect_leaves(item, found, depth + 1)


# -- free-form JSON values ----------------------------------------------------------

#: How deeply a free-form JSON value may nest (pydantic-core's serializer stops at 255
#: levels, counting the models around the value).
_MAX_JSON_DEPTH = 200


def _json_problem(value: Any) -> Optional[str]:
    """Why ``value`` cannot be sent as JSON, saying where inside it; ``None`` when it can.

    JSON is ``None``, ``bool``, ``int``, finite ``float``, ``str``, lists (or tuples)
    and dicts with string keys, without cycles. Values are never quoted: they may
    be secrets (connector data holds the identity provider's authorization code).
    """
    return _json_problem_at(value, (), set())


def _json_problem_at(value: Any, path: Tuple[Union[str, int], ...], ancestors: Set[int]) -> Optional[str]:
    if value is None or isinstance(value, (str, int)):  # bool is an int
        return None
    where = _json_location(path)
    if isinstance(value, float):
        if math.isfinite(value):
            return None
        shown = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return f"{shown} (not a JSON number) at {where}"
    if not isinstance(value, (dict, list, tuple)):
        return f"a value of type {type(value).__name__} (not a JSON type) at {where}"
    if id(value) in ancestors:
        return f"a circular reference at {where}"
    if len(path) >= _MAX_JSON_DEPTH:
        return f"more than {_MAX_JSON_DEPTH} levels of nesting at {where}"
    ancestors.add(id(value))
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if isinstance(value, dict) and not isinstance(key, str):
            return f"a key of type {type(key).__name__} (JSON keys are strings) at {where}"
        problem = _json_problem_at(item, (*path, key), ancestors)
        if problem is not None:
            return problem
    ancestors.discard(id(value))
    return None


def _json_location(path: Tuple[Union[str, int], ...]) -> str:
    if not path:
        return "the top level"
    shown = [part if isinstance(part, int) else _flatten(part)[:40] for part in path[-8:]]
    return ("..." if len(path) > 8 else "") + render_path(shown)


def _check_json(value: Dict[str, Any]) -> Dict[str, Any]:
    problem = _json_problem(value)
    if problem is not None:
        raise ValueError(f"{problem} cannot be sent as JSON")
    return value


def _serialize_json(value: Dict[str, Any], handler: core_schema.SerializerFunctionWrapHandler) -> Any:
    # Checked again when sent: the dict may have been changed in place since it was
    # validated, and pydantic would send NaN as null.
    _check_json(value)
    return handler(value)


#: A free-form JSON object (an OpenAPI ``type: object`` without properties): a
#: ``Dict[str, Any]`` whose values must be sendable as JSON, checked when set and
#: again when sent. NaN, infinities, other objects and circular structures raise
#: :class:`~py_logto.exceptions.ApiValueError` naming the field.
class _SerializedChecked:
    """Serializes the value through :func:`_serialize_json` when serializing to JSON: what
    pydantic's ``WrapSerializer(_serialize_json, when_used="json")`` does, without importing
    ``pydantic.functional_serializers`` (about 2 ms at start-up, for every program)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        cast(Dict[str, Any], schema)["serialization"] = core_schema.wrap_serializer_function_ser_schema(
            _serialize_json, info_arg=False, return_schema=core_schema.any_schema(), when_used="json"
        )
        return schema


JsonObject = Annotated[Dict[str, Any], AfterValidator(_check_json), _SerializedChecked()]


def _unsendable(model: BaseModel, err: Exception) -> ApiValueError:
    """The error for a request body that pydantic could not serialize: the first
    field holding something that is not JSON, by name."""
    for label, value in _field_values(model, ""):
        problem = _json_problem(value)
        if problem is not None:
            return ApiValueError(
                f"{type(model).__name__}.{label} cannot be sent as JSON: it holds {problem}",
                errors=[{"loc": tuple(label.split(".")), "field": label, "msg": problem, "type": "json_invalid"}],
            )
    return ApiValueError(f"{type(model).__name__} cannot be serialized as JSON ({type(err).__name__})")


def _field_values(model: BaseModel, prefix: str) -> Iterator[Tuple[str, Any]]:
    """``(dotted attribute path, value)`` of every field, nested models opened."""
    for name in type(model).model_fields:
        value = getattr(model, name, None)
        label = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            yield from _field_values(value, f"{label}.")
        else:
            yield label, value


if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        # NullableRequestModel lives in its own module, loaded on first use (see there).
        if name == "NullableRequestModel":
            from py_logto.models._nullable import NullableRequestModel

            return NullableRequestModel
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
