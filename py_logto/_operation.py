"""An API operation described as data: the engine in ``api_client`` does the rest."""

from __future__ import annotations

from functools import cached_property
from typing import Callable, Generic, Mapping, Optional, Tuple, Type, TypeVar

from pydantic import BaseModel

R = TypeVar("R", bound=BaseModel)


class Operation(Generic[R]):
    """One endpoint.

    Attributes:
        operation_id: the spec's operationId (e.g. ``CreateVerificationByPassword``).
        method: the HTTP method.
        path: the path below the host.
        request_type: the model of the JSON body, or ``None`` when there is no body.
        body_param: the public name of the body parameter (used in error messages).
        success_status: the documented success status.
        response_type: the model of a 2xx body.
        error_statuses: the error statuses the spec declares (others can still occur).

    The two models are given by ``load_models``, a function returning the classes
    ``(request_type, response_type)``. It is called when the operation is first
    used, so a program imports the models of the operations it calls and no others.
    """

    def __init__(
        self,
        *,
        operation_id: str,
        method: str,
        path: str,
        body_param: Optional[str],
        success_status: int,
        error_statuses: Tuple[int, ...],
        load_models: Callable[[], Tuple[Optional[Type[BaseModel]], Type[R]]],
    ) -> None:
        self.operation_id = operation_id
        self.method = method
        self.path = path
        self.body_param = body_param
        self.success_status = success_status
        self.error_statuses = error_statuses
        self._load_models = load_models

    # cached_property stores the class in the instance, so later reads are plain
    # attribute lookups on the request path.
    @cached_property
    def request_type(self) -> Optional[Type[BaseModel]]:
        """The model of the JSON body, or ``None`` when there is no body."""
        return self._load_models()[0]

    @cached_property
    def response_type(self) -> Type[R]:
        """The model of a 2xx body."""
        return self._load_models()[1]

    @property
    def responses(self) -> Mapping[int, Optional[Type[BaseModel]]]:
        """Status -> body model, as the spec declares them (errors: ``RequestErrorBody``)."""
        from py_logto.models.request_error_body import RequestErrorBody

        table: dict[int, Optional[Type[BaseModel]]] = {self.success_status: self.response_type}
        table.update(dict.fromkeys(self.error_statuses, RequestErrorBody))
        return table

    def __repr__(self) -> str:
        return f"Operation({self.operation_id}: {self.method} {self.path})"
