"""An API operation described as data: the engine in ``api_client`` does the rest.

The operation tables in ``py_logto/api/`` are written by ``scripts/generate.py`` from the
contracts in ``spec/``.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Callable, Generic, Mapping, Optional, Tuple, Type, TypeVar

from pydantic import BaseModel

R = TypeVar("R")

__all__ = ["Operation", "Param"]


class Param:
    """One parameter of an operation, in the method's order.

    Attributes:
        name: the Python parameter name (``logto_verification_id``).
        wire: its name on the wire (``logto-verification-id``), or the body's schema name.
        location: ``path``, ``query``, ``header``, ``body`` (the JSON body) or ``file`` (a
            part of a ``multipart/form-data`` body).
        required: whether the method requires it.
        min_length: the shortest string value allowed.
        choices: the values allowed, for an enum parameter.
        max_size: the largest file Logto accepts, in bytes.
    """

    __slots__ = ("choices", "location", "max_size", "min_length", "name", "required", "wire")

    def __init__(
        self,
        name: str,
        wire: str,
        location: str,
        *,
        required: bool = False,
        min_length: int = 0,
        choices: Optional[Tuple[str, ...]] = None,
        max_size: Optional[int] = None,
    ) -> None:
        self.name = name
        self.wire = wire
        self.location = location
        self.required = required
        self.min_length = min_length
        self.choices = choices
        self.max_size = max_size

    def __repr__(self) -> str:
        return f"Param({self.name!r}, {self.location})"


def _no_models() -> Tuple[None, None]:
    return None, None


class Operation(Generic[R]):
    """One endpoint.

    Attributes:
        operation_id: the spec's operationId (e.g. ``CreateVerificationByPassword``).
        method: the HTTP method.
        path: the path template below the host (``/api/my-account/sessions/{sessionId}``).
        params: the method's parameters, in order.
        body: ``"json"``, ``"multipart"`` or ``None``.
        success_status: the documented success status.
        error_statuses: the error statuses the spec declares (others can still occur).
        response: what a 2xx carries: ``"model"``, ``"list"`` (a JSON array of the model),
            ``"text"`` or ``"empty"``.
        accept: the ``Accept`` header sent.

    The two models are given by ``load_models``, a function returning the classes
    ``(request_type, response_type)`` (``None`` where there is none). It is called when
    the operation is first used, so a program imports the models of the operations it
    calls and no others.
    """

    def __init__(
        self,
        *,
        operation_id: str,
        method: str,
        path: str,
        params: Tuple[Param, ...] = (),
        body: Optional[str] = None,
        success_status: int,
        error_statuses: Tuple[int, ...],
        response: str,
        accept: str = "application/json",
        load_models: Callable[[], Tuple[Optional[Type[Any]], Optional[Type[Any]]]] = _no_models,
    ) -> None:
        self.operation_id = operation_id
        self.method = method
        self.path = path
        self.params = params
        self.body = body
        self.success_status = success_status
        self.error_statuses = error_statuses
        self.response = response
        self.accept = accept
        self._load_models = load_models
        #: The parameter holding the JSON body, if any.
        self.body_param: Optional[str] = next((p.name for p in params if p.location == "body"), None)
        #: Whether every parameter is the JSON body (the cheap path of the engine).
        self.body_only = len(params) == 1 and params[0].location == "body"

    # cached_property stores the class in the instance, so later reads are plain
    # attribute lookups on the request path.
    @cached_property
    def request_type(self) -> Optional[Type[BaseModel]]:
        """The model of the JSON body, or ``None`` when there is none."""
        return self._load_models()[0]

    @cached_property
    def response_type(self) -> Optional[Type[BaseModel]]:
        """The model of a 2xx body (of its items, for a list), or ``None``."""
        return self._load_models()[1]

    @cached_property
    def list_adapter(self) -> Any:
        """A pydantic ``TypeAdapter`` for a JSON array of the response model."""
        from typing import List

        from pydantic import TypeAdapter

        return TypeAdapter(List[self.response_type])  # type: ignore[name-defined]

    @property
    def responses(self) -> Mapping[int, Any]:
        """Status -> body type, as the spec declares them (errors: ``RequestErrorBody``)."""
        from py_logto.models.request_error_body import RequestErrorBody

        kinds = {"model": self.response_type, "list": list, "text": str, "empty": None}
        table: dict[int, Any] = {self.success_status: kinds[self.response]}
        table.update(dict.fromkeys(self.error_statuses, RequestErrorBody))
        return table

    def __repr__(self) -> str:
        return f"Operation({self.operation_id}: {self.method} {self.path})"
