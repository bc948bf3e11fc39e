"""The body of a Logto error response."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import Field

from py_logto.models._base import ResponseModel

__all__ = ["RequestErrorBody"]


class RequestErrorBody(ResponseModel):
    """What Logto sends with an error status; available as ``ApiException.data``.

    Attributes:
        code: Logto's error code, e.g. ``session.invalid_credentials``.
        message: a human-readable message, in the request's ``Accept-Language``.
        data: error-specific details of any JSON type (for ``guard.invalid_input``,
            the zod issues: ``{"issues": [...], "name": "ZodError"}``).
        details: for invalid bodies, one line per problem.
    """

    code: str = Field(description="Logto error code (LogtoErrorCode).")
    message: str = Field(description="Human-readable message, translated for the request's language.")
    data: Optional[Any] = Field(default=None, description="Optional error-specific payload of any JSON type.")
    details: Optional[str] = Field(default=None, description="Present for request-guard validation errors.")
