"""Every error py_logto raises.

All of them derive from :class:`OpenApiException`, so one ``except`` clause
catches anything the SDK can raise::

    OpenApiException
    ├── ApiTypeError            (also TypeError)   wrong argument types, before sending
    ├── ApiValueError           (also ValueError)  invalid values / missing token, before sending
    ├── ApiAttributeError       (also AttributeError)
    ├── ApiKeyError             (also KeyError)
    ├── ApiConnectionError      refused / reset connection, DNS, TLS, proxy, protocol errors
    │   └── ApiTimeoutError     connect or read timeout, or no free pooled connection in time
    ├── ApiResponseValidationError   a 2xx whose body is not JSON, not the documented model,
    │                                or larger than Configuration.max_response_size
    └── ApiException            the server answered with a non-2xx status
        ├── BadRequestException            400
        ├── UnauthorizedException          401
        ├── ForbiddenException             403
        ├── NotFoundException              404
        ├── ConflictException              409
        ├── UnprocessableEntityException   422
        ├── TooManyRequestsException       429
        └── ServiceException               5xx

:class:`ApiException` keeps the ``status``, ``reason``, ``headers`` and raw
``body`` of the response (also when the body is HTML, text or empty), the
parsed Logto error in ``data`` (a :class:`~py_logto.models.RequestErrorBody`,
or ``None`` when the body is not one) and the ``Logto-Core-Request-Id`` header
as ``request_id``. ``str(e)`` is one line.

Messages never contain the access token, a password or a code: request bodies
and headers are never quoted, and validation errors name fields, not values.
Every exception raised from a lower-level one chains it as ``__cause__``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Sequence, Tuple, Type, Union

if TYPE_CHECKING:
    from py_logto.models.request_error_body import RequestErrorBody
    from py_logto.rest import RESTResponse

__all__ = [
    "OpenApiException",
    "ApiTypeError",
    "ApiValueError",
    "ApiAttributeError",
    "ApiKeyError",
    "ApiConnectionError",
    "ApiTimeoutError",
    "ApiResponseValidationError",
    "ApiException",
    "BadRequestException",
    "UnauthorizedException",
    "ForbiddenException",
    "NotFoundException",
    "ConflictException",
    "UnprocessableEntityException",
    "TooManyRequestsException",
    "ServiceException",
    "REQUEST_ID_HEADER",
]

#: The response header Logto uses to identify a request in its logs.
REQUEST_ID_HEADER = "Logto-Core-Request-Id"

_PathType = Sequence[Union[str, int]]


def _render_path(path_to_item: _PathType) -> str:
    """Render a location such as ``("identifier", "value")`` as ``identifier.value``."""
    return ".".join(str(part) for part in path_to_item)


class OpenApiException(Exception):
    """The base class of every exception raised by py_logto."""


class _PathError(OpenApiException):
    def __init__(
        self,
        msg: str,
        path_to_item: Optional[_PathType] = None,
        valid_classes: Optional[Tuple[type, ...]] = None,
        key_type: Optional[bool] = None,
    ) -> None:
        self.path_to_item = path_to_item
        self.valid_classes = valid_classes
        self.key_type = key_type
        full_msg = msg
        if path_to_item:
            full_msg = f"{msg} at {_render_path(path_to_item)}"
        super().__init__(full_msg)


class ApiTypeError(_PathError, TypeError):
    """An argument has the wrong type. Raised before anything is sent."""


class ApiValueError(_PathError, ValueError):
    """An argument has an invalid value (or no access token is set). Raised before sending.

    When the error comes from a model's validation, ``errors`` lists each problem
    as a dict with ``loc`` (the field path, wire names), ``msg`` and ``type``;
    the offending values themselves are never included, since they may be secrets.
    """

    def __init__(
        self,
        msg: str,
        path_to_item: Optional[_PathType] = None,
        errors: Optional[Sequence[Mapping[str, Any]]] = None,
    ) -> None:
        self.errors: Tuple[Mapping[str, Any], ...] = tuple(errors or ())
        super().__init__(msg, path_to_item)

    @property
    def fields(self) -> Tuple[str, ...]:
        """The dotted paths of the fields that failed validation."""
        return tuple(str(e.get("field") or _render_path(e["loc"])) for e in self.errors)


class ApiAttributeError(_PathError, AttributeError):
    """An attribute that does not exist was requested."""


class ApiKeyError(_PathError, KeyError):
    """A key that does not exist was requested."""


class ApiConnectionError(OpenApiException):
    """No usable response: the connection was refused or reset, DNS or TLS failed,
    or the server broke the HTTP protocol. ``__cause__`` holds the low-level error.

    Attributes:
        method: the HTTP method of the failed request.
        url: the URL of the failed request.
    """

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        self.method = method
        self.url = url
        super().__init__(message)


class ApiTimeoutError(ApiConnectionError):
    """Connecting, or waiting for the response, took longer than the configured timeout."""


class _ResponseError(OpenApiException):
    """Shared state of errors that carry an HTTP response."""

    status: int
    reason: str
    headers: Mapping[str, str]
    body: Optional[bytes]

    def _init_response(
        self,
        status: int,
        reason: Optional[str],
        headers: Optional[Mapping[str, str]],
        body: Optional[bytes],
    ) -> None:
        self.status = status
        self.reason = reason or ""
        self.headers = headers if headers is not None else {}
        self.body = body

    @property
    def request_id(self) -> Optional[str]:
        """Logto's id for this request (the ``Logto-Core-Request-Id`` header), if sent."""
        return self.headers.get(REQUEST_ID_HEADER)

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes replaced); ``""`` when empty."""
        return self.body.decode("utf-8", "replace") if self.body else ""


class ApiResponseValidationError(_ResponseError):
    """The server answered 2xx, but the body is not JSON, does not match the
    documented response model, or is larger than ``Configuration.max_response_size``
    (``body`` then holds its start). ``status``, ``headers`` and ``body`` are kept."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        reason: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        body: Optional[bytes] = None,
    ) -> None:
        self._init_response(status, reason, headers, body)
        super().__init__(message)

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} (request id: {self.request_id})" if self.request_id else message


class ApiException(_ResponseError):
    """The server answered with a non-2xx status.

    Attributes:
        status: the HTTP status code.
        reason: the HTTP reason phrase.
        headers: the response headers (case-insensitive mapping).
        body: the raw response body as bytes (``None`` only when there was no response).
        data: the parsed Logto error (:class:`RequestErrorBody`) or ``None``.
        request_id: the ``Logto-Core-Request-Id`` response header.
        code: Logto's error code (e.g. ``session.invalid_credentials``) or ``None``.
        message: Logto's human-readable message (or the text body) or ``None``.
    """

    def __init__(
        self,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        http_resp: Optional[RESTResponse] = None,
        *,
        body: Optional[bytes] = None,
        data: Optional[RequestErrorBody] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        if http_resp is not None:
            status = http_resp.status if status is None else status
            reason = http_resp.reason if reason is None else reason
            headers = http_resp.headers if headers is None else headers
            body = http_resp.data if body is None else body
        self._init_response(status or 0, reason, headers, body)
        self.data = data
        self._message: Optional[str] = None
        if data is not None:
            self._message = data.message
        elif body:
            self._message = _plain_message(body)
        super().__init__(self.status, self.reason, self.code)

    @property
    def code(self) -> Optional[str]:
        """Logto's error code, when the body carried one."""
        return self.data.code if self.data is not None else None

    @property
    def message(self) -> Optional[str]:
        """Logto's message; for a plain-text or ``{"message"}`` body, that text."""
        return self._message

    def __str__(self) -> str:
        parts = [f"({self.status})"]
        if self.reason:
            parts.append(self.reason)
        if self.code:
            parts.append(f"[{self.code}]")
        if self._message:
            parts.append(_one_line(self._message))
        if self.request_id:
            parts.append(f"(request id: {self.request_id})")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, request_id={self.request_id!r})"

    @classmethod
    def from_response(
        cls,
        *,
        http_resp: RESTResponse,
        body: Optional[bytes] = None,
        data: Optional[RequestErrorBody] = None,
    ) -> ApiException:
        """Build the exception class that the status code maps to."""
        exc_class = _exception_class_for_status(http_resp.status)
        return exc_class(http_resp=http_resp, body=body, data=data)


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _plain_message(body: bytes) -> Optional[str]:
    """The message of a body that is not a Logto error: ``{"message": ...}`` or short text."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return None
    if text[:1] == "{":
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: absurdly nested JSON
            parsed = None
        if isinstance(parsed, dict) and isinstance(parsed.get("message"), str):
            return str(parsed["message"])
    if text[:1] == "<":
        # An HTML error page (a proxy's 502, say): the body is kept, the markup is not shown.
        return None
    return text


class BadRequestException(ApiException):
    """400: the request was invalid (Logto: ``guard.invalid_input``, wrong code, ...)."""


class UnauthorizedException(ApiException):
    """401: the access token is missing, invalid, expired or revoked."""


class ForbiddenException(ApiException):
    """403: the token may not do this (e.g. issued to a third-party application)."""


class NotFoundException(ApiException):
    """404: the path or the referenced resource was not found."""


class ConflictException(ApiException):
    """409: the request conflicts with the current state."""


class UnprocessableEntityException(ApiException):
    """422: the request was understood but refused (e.g. a wrong password)."""


class TooManyRequestsException(ApiException):
    """429: rate limited (e.g. more than 10 codes to one recipient in 10 minutes)."""


class ServiceException(ApiException):
    """5xx: the server failed (or, for 501, a connector is not configured)."""


#: Status code -> exception class. The single source of truth, also shown in the README.
_HTTP_STATUS_TO_EXCEPTION: Dict[int, Type[ApiException]] = {
    400: BadRequestException,
    401: UnauthorizedException,
    403: ForbiddenException,
    404: NotFoundException,
    409: ConflictException,
    422: UnprocessableEntityException,
    429: TooManyRequestsException,
}


def _exception_class_for_status(status: int) -> Type[ApiException]:
    """The exception class raised for a non-2xx ``status``."""
    exc_class = _HTTP_STATUS_TO_EXCEPTION.get(status)
    if exc_class is not None:
        return exc_class
    if 500 <= status <= 599:
        return ServiceException
    return ApiException
