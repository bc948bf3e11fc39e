"""An API operation described as data: the engine in ``api_client`` does the rest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Mapping, Optional, Tuple, Type, TypeVar

from pydantic import BaseModel

R = TypeVar("R", bound=BaseModel)


@dataclass(frozen=True)
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
    """

    operation_id: str
    method: str
    path: str
    request_type: Optional[Type[BaseModel]]
    body_param: Optional[str]
    success_status: int
    response_type: Type[R]
    error_statuses: Tuple[int, ...]

    @property
    def responses(self) -> Mapping[int, Optional[Type[BaseModel]]]:
        """Status -> body model, as the spec declares them (errors: ``RequestErrorBody``)."""
        from py_logto.models.request_error_body import RequestErrorBody

        table: dict[int, Optional[Type[BaseModel]]] = {self.success_status: self.response_type}
        table.update(dict.fromkeys(self.error_statuses, RequestErrorBody))
        return table
