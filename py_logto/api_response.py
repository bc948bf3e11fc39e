"""The value returned by the ``*_with_http_info`` methods."""

from __future__ import annotations

from typing import Generic, Mapping, Optional, TypeVar

__all__ = ["ApiResponse"]

T = TypeVar("T")


class ApiResponse(Generic[T]):
    """A typed response together with its HTTP details.

    Attributes:
        status_code: the HTTP status (e.g. 201).
        headers: the response headers (case-insensitive mapping).
        data: the response model.
        raw_data: the body exactly as received.
    """

    __slots__ = ("data", "headers", "raw_data", "status_code")

    def __init__(
        self, *, status_code: int, data: T, raw_data: bytes = b"", headers: Optional[Mapping[str, str]] = None
    ) -> None:
        self.status_code = status_code
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.data = data
        self.raw_data = raw_data

    @property
    def request_id(self) -> str | None:
        """Logto's id for this request (the ``Logto-Core-Request-Id`` header)."""
        return self.headers.get("Logto-Core-Request-Id")

    def __repr__(self) -> str:
        return f"ApiResponse(status_code={self.status_code!r}, data={self.data!r})"
