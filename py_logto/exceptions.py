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
    ├── ApiResponseValidationError  (also ValueError)  a 2xx whose body is not JSON, not the
    │                               documented model, or larger than Configuration.max_response_size
    └── ApiException            the server answered with a non-2xx status
        ├── BadRequestException            400
        ├── UnauthorizedException          401
        ├── ForbiddenException             403
        ├── NotFoundException              404
        ├── ConflictException              409
        ├── UnprocessableEntityException   422
        ├── TooManyRequestsException       429
        └── ServiceException               5xx

:class:`ApiException` and :class:`ApiResponseValidationError` keep the ``status``,
``reason`` and ``headers`` of the response and its body twice: ``body`` as text
(decoded as UTF-8, as generated clients do) and ``raw_body`` as the bytes
received (also when the body is HTML, binary or empty). ``ApiException`` adds the
parsed Logto error in ``data`` (a :class:`~py_logto.models.RequestErrorBody`, or
``None`` when the body is not one), its ``code`` and ``message``, and the
``Logto-Core-Request-Id`` header as ``request_id``.

``str(e)`` is one bounded line: what the server sent (reason, code, message,
request id) is flattened (no line breaks or control characters) and capped, and
the request's secrets (the access token, a password, a code, connector data) are
masked as ``***`` wherever the server echoed them; ``repr(e)`` likewise.
``body``, ``raw_body``, ``headers`` and ``data`` stay exactly as received. Our own
messages never quote request bodies or headers, and validation errors name
fields, not values. Every exception raised from a lower-level one chains it as
``__cause__``, and every exception survives ``pickle`` (for Celery, RQ and
process pools) with its class, message and attributes.
"""

from __future__ import annotations

import json
import re
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    NoReturn,
    Optional,
    Sequence,
    Set,
    Tuple,
    Type,
    TypeVar,
    Union,
)
from urllib.parse import quote, quote_plus

if TYPE_CHECKING:
    from typing_extensions import Protocol, Self

    from py_logto.models.request_error_body import RequestErrorBody

    class _HttpResponse(Protocol):
        """What an exception reads from ``http_resp``: a ``py_logto.rest.RESTResponse``
        or urllib3's response (and, when read, its ``data``)."""

        @property
        def status(self) -> int: ...
        @property
        def reason(self) -> Optional[str]: ...
        @property
        def headers(self) -> Mapping[str, str]: ...


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
    "render_path",
]

#: The response header Logto uses to identify a request in its logs.
REQUEST_ID_HEADER = "Logto-Core-Request-Id"

_PathType = Sequence[Union[str, int]]
_E = TypeVar("_E", bound=BaseException)


def render_path(path_to_item: _PathType) -> str:
    """Render a location as generated clients do: ``["identifier", 0]`` -> ``['identifier'][0]``."""
    return "".join(f"[{part}]" if isinstance(part, int) else f"['{part}']" for part in path_to_item)


def _render_path(path_to_item: _PathType) -> str:
    """Render a location such as ``("identifier", "value")`` as ``identifier.value``."""
    return ".".join(str(part) for part in path_to_item)


def _restore(cls: Type[_E], args: Tuple[Any, ...]) -> _E:
    """Unpickle an exception without calling its ``__init__`` (whose signature varies)."""
    return cls.__new__(cls, *args)


class OpenApiException(Exception):
    """The base class of every exception raised by py_logto."""

    def __reduce__(self) -> Tuple[Any, ...]:
        # Exception's own reduction calls cls(*args), which fails (or builds the wrong
        # thing) for classes whose __init__ takes other arguments than args holds.
        return (_restore, (type(self), self.args), self.__dict__)


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
            full_msg = f"{msg} at {render_path(path_to_item)}"
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


# -- what the server sent, made safe to show ----------------------------------------

#: Characters that must not reach a log line: C0/C1 controls (CR, LF, NUL, ESC, NEL...),
#: Unicode line and paragraph separators, bidirectional and zero-width format
#: characters, a byte order mark, and lone surrogates (which no log file can encode).
#: (A pattern string: ``re`` compiles and caches it when the first error is shown, not at
#: start-up, where compiling it would cost about a millisecond.)
_UNPRINTABLE = "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]"

#: The most characters of each server-sent part shown in ``str(e)``.
_REASON_LIMIT = 100
_CODE_LIMIT = 100
_MESSAGE_LIMIT = 300
_REQUEST_ID_LIMIT = 100

_MASK = "***"

#: Secrets at least this long (a six-digit code, any token) are masked wherever
#: they appear; shorter ones only where they stand alone.
_MASK_ANYWHERE = 6

_Mask = Callable[[str], str]


def _no_mask(text: str) -> str:
    return text


def _flatten(text: str) -> str:
    """``text`` on one line: unprintable characters and runs of whitespace become one space."""
    if text.isprintable() and text.isascii():
        return " ".join(text.split())
    return " ".join(re.sub(_UNPRINTABLE, " ", text).split())


def _shown(text: str, limit: int, mask: _Mask) -> str:
    """A server-sent ``text`` as it may appear in a message: secrets masked, one line, capped."""
    flat = mask(_flatten(mask(text)))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _masker(secrets: Iterable[str]) -> _Mask:
    """A function replacing each of ``secrets`` (also JSON-escaped, URL-encoded or
    flattened, as a server may echo it) with ``***``."""
    forms: Set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        forms.update(
            (
                secret,
                json.dumps(secret)[1:-1],
                json.dumps(secret, ensure_ascii=False)[1:-1],
                quote(secret, safe=""),
                quote_plus(secret, safe=""),
                _flatten(secret),
            )
        )
    forms.discard("")
    if not forms:
        return _no_mask
    # Longest first, so that a secret containing another is masked whole. A short
    # secret is masked only where it stands alone: masked inside words, a one-letter
    # token would blank out every "t" of a message.
    pattern = re.compile(
        "|".join(
            re.escape(form) if len(form) >= _MASK_ANYWHERE else rf"(?<!\w){re.escape(form)}(?!\w)"
            for form in sorted(forms, key=len, reverse=True)
        )
    )
    return lambda text: pattern.sub(_MASK, text)


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


class _ResponseError(OpenApiException):
    """Shared state of errors that carry an HTTP response.

    ``str()`` and ``repr()`` are computed once, when the error is built (and again
    when the engine hands over the request's secrets to mask), and stored: the
    error pickles without holding any secret and formats cheaply.
    """

    status: int
    reason: str
    headers: Mapping[str, str]
    #: The body as text (UTF-8; invalid bytes replaced), ``None`` when there was none.
    body: Optional[str]
    #: The body exactly as received.
    raw_body: Optional[bytes]
    _summary: str
    _repr: str

    def _init_response(
        self,
        status: Optional[int],
        reason: Optional[str],
        headers: Optional[Mapping[str, str]],
        body: Union[str, bytes, None],
        raw: Optional[bytes] = None,
    ) -> None:
        self.status = status or 0
        self.reason = reason or ""
        self.headers = headers if headers is not None else {}
        if isinstance(body, (bytes, bytearray)):
            raw = bytes(body)
            text: Optional[str] = _decode(raw)
        elif body is not None:
            text = str(body)
            if raw is None:
                raw = text.encode("utf-8", "replace")
        else:
            text = _decode(raw) if raw is not None else None
        self.body = text
        self.raw_body = raw

    @property
    def request_id(self) -> Optional[str]:
        """Logto's id for this request (the ``Logto-Core-Request-Id`` header), if sent."""
        return self.headers.get(REQUEST_ID_HEADER) if self.headers else None

    @property
    def text(self) -> str:
        """The body as text; ``""`` when there was none (``body`` is ``None`` then)."""
        return self.body or ""

    def _describe(self, mask: _Mask) -> Tuple[str, str]:
        """``(str(self), repr(self))``, server-sent parts passed through ``mask``."""
        raise NotImplementedError

    def _render(self, mask: _Mask = _no_mask) -> None:
        self._summary, self._repr = self._describe(mask)
        self.args = (self._summary,)

    def _mask_secrets(self, secrets: Iterable[str]) -> Self:
        """Mask ``secrets`` (the request's token, password, codes...) wherever the
        server echoed them into what ``str``/``repr`` show. The engine calls this
        when it raises; ``body``, ``headers`` and ``data`` are left as received."""
        self._render(_masker(secrets))
        return self

    def _request_id_part(self, mask: _Mask) -> str:
        request_id = self.request_id
        return _shown(request_id, _REQUEST_ID_LIMIT, mask) if request_id else ""

    def __str__(self) -> str:
        return self._summary

    def __repr__(self) -> str:
        return self._repr


class ApiResponseValidationError(_ResponseError, ValueError):
    """The server answered 2xx, but the body is not JSON, does not match the
    documented response model, or is larger than ``Configuration.max_response_size``
    (``raw_body`` then holds its start). It is also a ``ValueError``, which is
    what generated clients raise here.

    Attributes:
        status, reason, headers: those of the response.
        body: the body as text (UTF-8), ``raw_body``: its bytes.
        request_id: the ``Logto-Core-Request-Id`` response header.
        message: what is wrong with the body.
        data, code: ``None``, as on an ``ApiException`` whose body is not a Logto error.
    """

    _MESSAGE_LIMIT = 500

    def __init__(
        self,
        message: str,
        *,
        status: int,
        reason: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        body: Union[str, bytes, None] = None,
    ) -> None:
        self._message = message
        self._init_response(status, reason, headers, body)
        #: Always ``None``: a 2xx carries no Logto error (kept so that one handler can
        #: read ``data`` and ``code`` of any error with a response).
        self.data: None = None
        super().__init__(message)
        self._render()

    @property
    def message(self) -> str:
        """What is wrong with the response."""
        return self._message

    @property
    def code(self) -> None:
        """Always ``None``: a 2xx carries no Logto error code."""
        return None

    def _describe(self, mask: _Mask) -> Tuple[str, str]:
        text = _shown(self._message, self._MESSAGE_LIMIT, mask)
        request_id = self._request_id_part(mask)
        summary = f"{text} (request id: {request_id})" if request_id else text
        shown_id = repr(request_id) if request_id else "None"
        return summary, f"{type(self).__name__}(status={self.status!r}, request_id={shown_id})"


class ApiException(_ResponseError):
    """The server answered with a non-2xx status.

    Built by the SDK from a response; it can also be built as generated clients
    build it: ``ApiException(status=..., reason=..., http_resp=..., body="...", data=...)``
    (explicit arguments win over those of ``http_resp``).

    Attributes:
        status: the HTTP status code.
        reason: the HTTP reason phrase.
        headers: the response headers (case-insensitive mapping; empty when unknown).
        body: the body as text, decoded as UTF-8 with invalid bytes replaced
            (``None`` only when there was no response).
        raw_body: the body exactly as received, as bytes.
        data: the parsed Logto error (:class:`RequestErrorBody`) or ``None``.
        request_id: the ``Logto-Core-Request-Id`` response header.
        code: Logto's error code (e.g. ``session.invalid_credentials``) or ``None``.
        message: Logto's human-readable message (or the text body) or ``None``.
    """

    def __init__(
        self,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        http_resp: Optional[_HttpResponse] = None,
        *,
        body: Union[str, bytes, None] = None,
        data: Optional[RequestErrorBody] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        raw: Optional[bytes] = None
        if http_resp is not None:
            status = http_resp.status if status is None else status
            reason = http_resp.reason if reason is None else reason
            headers = http_resp.headers if headers is None else headers
            received = getattr(http_resp, "data", None)
            raw = bytes(received) if isinstance(received, (bytes, bytearray)) else None
        self._init_response(status, reason, headers, body, raw)
        self.data = data
        message = _field(data, "message")
        self._message = message if message is not None else _plain_message(self.body)
        super().__init__()
        self._render()

    @property
    def code(self) -> Optional[str]:
        """Logto's error code, when the body carried one."""
        return _field(self.data, "code")

    @property
    def message(self) -> Optional[str]:
        """Logto's message; for a plain-text or ``{"message"}`` body, that text."""
        return self._message

    def _describe(self, mask: _Mask) -> Tuple[str, str]:
        parts = [f"({self.status})"]
        if self.reason:
            parts.append(_shown(self.reason, _REASON_LIMIT, mask))
        code = _shown(self.code, _CODE_LIMIT, mask) if self.code else ""
        if code:
            parts.append(f"[{code}]")
        if self._message:
            parts.append(_shown(self._message, _MESSAGE_LIMIT, mask))
        hint = _HINTS.get(self.code or "")
        if hint:
            parts.append(f"({hint})")
        request_id = self._request_id_part(mask)
        if request_id:
            parts.append(f"(request id: {request_id})")
        shown_code = repr(code) if code else "None"
        shown_id = repr(request_id) if request_id else "None"
        return (
            " ".join(part for part in parts if part),
            f"{type(self).__name__}(status={self.status!r}, code={shown_code}, request_id={shown_id})",
        )

    @classmethod
    def from_response(
        cls,
        *,
        http_resp: _HttpResponse,
        body: Union[str, bytes, None] = None,
        data: Optional[RequestErrorBody] = None,
    ) -> NoReturn:
        """Raise the exception class that the status of ``http_resp`` maps to, as
        generated clients do."""
        raise _exception_class_for_status(http_resp.status)(http_resp=http_resp, body=body, data=data)


#: What to do about the Logto errors an Account API user meets first, added to ``str(e)``.
_HINTS = {
    "verification_record.permission_denied": (
        "the logto-verification-id record is missing, expired, another user's or not an identity record: "
        "this change needs a fresh verification record; verify the user again (e.g. "
        "VerificationsApi.create_verification_by_password) and pass the new record's id"
    ),
    "account_center.not_enabled": (
        "the tenant's account center is off (the default on a new Logto): enable it in the Console or with "
        "PATCH /api/account-center"
    ),
    "account_center.field_not_editable": "this field is not set to Edit in the tenant's account center settings",
}


def _field(data: Any, name: str) -> Optional[str]:
    """``data.<name>`` (or ``data[name]`` for a dict) when it is a string."""
    value = data.get(name) if isinstance(data, Mapping) else getattr(data, name, None)
    return value if isinstance(value, str) else None


def _plain_message(text: Optional[str]) -> Optional[str]:
    """The message of a body that is not a Logto error: ``{"message": ...}`` or short text."""
    text = text.strip() if text else ""
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


def _request_secrets(authorization: Optional[str], body: Any) -> List[str]:
    """What a request sent that must never be shown: the credentials of its
    ``Authorization`` header and the secret fields of its body model."""
    secrets: List[str] = []
    if authorization:
        secrets.append(authorization)
        credentials = authorization.partition(" ")[2]
        if credentials.strip():
            secrets.append(credentials.strip())
    if body is not None:
        from py_logto.models._base import _secret_values  # error path only: keeps this module light

        secrets.extend(_secret_values(body))
    return secrets


def _mask_chain(exc: BaseException, secrets: Iterable[str]) -> None:
    """Mask ``secrets`` in the message of ``exc`` and of the exceptions it chains,
    and put the message of ``exc`` on one line.

    For failures without a usable response: ``http.client`` quotes what the server
    sent (a malformed status line, say) in its exceptions, which urllib3 wraps and
    ``ApiConnectionError`` chains, so an echoed token or a control character would
    reach ``str(e)`` and ``traceback.format_exc()``.
    """
    mask = _masker(secrets)
    if exc.args and isinstance(exc.args[0], str):
        exc.args = (mask(_flatten(mask(exc.args[0]))), *exc.args[1:])
    if mask is _no_mask:
        return
    seen: Set[int] = set()
    pending: List[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        args = []
        for arg in current.args:
            if isinstance(arg, BaseException):
                pending.append(arg)
            args.append(mask(arg) if isinstance(arg, str) else arg)
        current.args = tuple(args)
        line = getattr(current, "line", None)  # http.client.BadStatusLine keeps the line
        if isinstance(line, str):
            current.line = mask(line)  # type: ignore[attr-defined]
        for linked in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(linked, BaseException):
                pending.append(linked)
