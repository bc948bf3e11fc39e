"""The engine: authentication, serialization, sending, deserialization and error mapping,
written once for every operation."""

from __future__ import annotations

import logging
import platform
import threading
import time
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple, Type, TypeVar, Union

import urllib3
from pydantic import BaseModel, ValidationError
from typing_extensions import Self, TypedDict

from py_logto._operation import Operation
from py_logto._version import __version__
from py_logto.api_response import ApiResponse
from py_logto.configuration import _UNSET, Configuration, _to_timeout
from py_logto.exceptions import (
    REQUEST_ID_HEADER,
    ApiConnectionError,
    ApiException,
    ApiResponseValidationError,
    ApiTypeError,
    ApiValueError,
    _exception_class_for_status,
)
from py_logto.models._base import _to_api_error
from py_logto.rest import RESTClientObject, RESTResponse

if TYPE_CHECKING:
    from types import TracebackType

    from py_logto.models.request_error_body import RequestErrorBody

__all__ = ["ApiClient", "RequestOptions"]

R = TypeVar("R", bound=BaseModel)

_LOGGER = logging.getLogger("py_logto")

_JSON = "application/json"


class RequestOptions(TypedDict, total=False):
    """Per-call options accepted by every operation method (all optional).

    Keys:
        _request_timeout: seconds, a ``(connect, read)`` tuple, a ``urllib3.Timeout``,
            or ``None`` for no timeout; overrides ``Configuration.timeout``.
        _request_auth: another access token for this call only: a string, or the
            generated-client form ``{"in": "header", "key": "Authorization", "value": "Bearer ..."}``.
        _content_type: the ``Content-Type`` to send; must be a JSON media type.
        _headers: extra request headers, e.g. ``{"Origin": "https://app.example.com"}``.
    """

    _request_timeout: Union[int, float, Tuple[float, float], urllib3.Timeout, None]
    _request_auth: Union[str, Mapping[str, Any], None]
    _content_type: Optional[str]
    _headers: Optional[Mapping[str, str]]


_OPTION_NAMES = frozenset(RequestOptions.__annotations__)


def _user_agent() -> str:
    # urllib3.__version__, not importlib.metadata: reading package metadata scans
    # site-packages, which costs every new client a millisecond or more.
    urllib3_version = getattr(urllib3, "__version__", "unknown")  # not in urllib3's typed exports
    return f"py-logto/{__version__} (Python {platform.python_version()}; urllib3 {urllib3_version})"


class ApiClient:
    """Sends operations to Logto. Safe to share between threads; close it (or use
    ``with``) to close its pooled connections.

    Args:
        configuration: the settings; defaults to ``Configuration.get_default()``.
        header_name: the name of one extra header to send with every request.
        header_value: its value.
        cookie: a ``Cookie`` header to send with every request.
    """

    _default: Optional[ApiClient] = None
    _default_lock = threading.Lock()

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
        cookie: Optional[str] = None,
    ) -> None:
        self.configuration = configuration if configuration is not None else Configuration.get_default()
        self.rest_client = RESTClientObject(self.configuration)
        self.default_headers: Dict[str, str] = {}
        if header_name is not None:
            self.default_headers[header_name] = header_value or ""
        if cookie is not None:
            self.default_headers["Cookie"] = cookie
        self.user_agent = _user_agent()

    # -- lifecycle ------------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections. The client can still be used afterwards
        (new connections are opened as needed)."""
        self.rest_client.clear()

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` header sent with every request."""
        return self.default_headers["User-Agent"]

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.default_headers["User-Agent"] = value

    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send ``header_name: header_value`` with every request of this client."""
        self.default_headers[header_name] = header_value

    @classmethod
    def get_default(cls) -> ApiClient:
        """The client used by API classes created without one (made on first use)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = ApiClient()
            return cls._default

    @classmethod
    def set_default(cls, default: Optional[ApiClient]) -> None:
        """Replace the client used by API classes created without one."""
        with cls._default_lock:
            cls._default = default

    def __repr__(self) -> str:
        return f"ApiClient(host={self.configuration.host!r})"

    # -- the engine -------------------------------------------------------------

    def call(self, operation: Operation[R], body: Any, options: Mapping[str, Any]) -> ApiResponse[R]:
        """Send ``operation`` with ``body`` and return the typed response.

        Raises:
            ApiTypeError, ApiValueError: bad input; nothing was sent.
            ApiConnectionError, ApiTimeoutError: no response.
            ApiException (or a subclass): a non-2xx status.
            ApiResponseValidationError: a 2xx whose body is not the documented model.
        """
        response = self._send(operation, body, options, preload_content=True)
        raw = response.data or b""
        if 200 <= response.status <= 299:
            return ApiResponse(
                status_code=response.status,
                headers=response.headers,
                data=self._deserialize(operation.response_type, response, raw),
                raw_data=raw,
            )
        raise self._error_for(response, raw)

    def call_without_preload_content(
        self, operation: Operation[Any], body: Any, options: Mapping[str, Any]
    ) -> urllib3.BaseHTTPResponse:
        """Send ``operation`` and return urllib3's response with the body unread,
        whatever the status. Read it (or call ``release_conn()``) to return the
        connection to the pool."""
        return self._send(operation, body, options, preload_content=False).response

    def _send(
        self, operation: Operation[Any], body: Any, options: Mapping[str, Any], *, preload_content: bool
    ) -> RESTResponse:
        if options and not _OPTION_NAMES.issuperset(options):
            unknown = ", ".join(sorted(set(options) - _OPTION_NAMES))
            raise ApiTypeError(f"unexpected keyword argument(s): {unknown}")
        config = self.configuration
        headers = dict(self.default_headers)
        headers["Accept"] = _JSON
        payload = self._serialize_body(operation, body)
        if payload is not None:
            headers["Content-Type"] = _content_type(options.get("_content_type"))
        headers["Authorization"] = self._authorization(options.get("_request_auth"))
        extra = options.get("_headers")
        if extra:
            headers.update(_checked_headers(extra))
        timeout = options.get("_request_timeout", _UNSET)
        timeout = config.timeout if timeout is _UNSET else _to_timeout(timeout, "_request_timeout")

        debug = _LOGGER.isEnabledFor(logging.DEBUG)
        started = time.perf_counter() if debug else 0.0
        try:
            response = self.rest_client._request(
                operation.method,
                config.host,
                operation.path,
                headers,
                payload,
                timeout=timeout,
                preload_content=preload_content,
                config=config,
            )
        except ApiConnectionError as err:
            if debug:
                _LOGGER.debug(
                    "%s %s failed after %.1f ms: %s: %s",
                    operation.method,
                    operation.path,
                    (time.perf_counter() - started) * 1000,
                    type(err).__name__,
                    err,
                )
            raise
        if preload_content:
            response.read()
        if debug:
            _LOGGER.debug(
                "%s %s -> %d in %.1f ms (request id %s)",
                operation.method,
                operation.path,
                response.status,
                (time.perf_counter() - started) * 1000,
                response.headers.get(REQUEST_ID_HEADER, "-"),
            )
        return response

    def _serialize_body(self, operation: Operation[Any], body: Any) -> Optional[bytes]:
        request_type = operation.request_type
        if request_type is None:
            if body is not None:
                raise ApiTypeError(f"{operation.operation_id} takes no request body")
            return None
        if body is None:
            raise ApiValueError(f"Missing the required parameter `{operation.body_param}`")
        if not isinstance(body, request_type):
            if not isinstance(body, Mapping):
                raise ApiTypeError(
                    f"`{operation.body_param}` must be a {request_type.__name__} (or a dict), not {type(body).__name__}"
                )
            try:
                body = request_type.model_validate(body)
            except ValidationError as err:
                raise _to_api_error(request_type, err) from err
        # The serializer's bytes, as model_dump_json would make them but without the
        # round trip through str.
        payload: bytes = body.__pydantic_serializer__.to_json(body, by_alias=True, exclude_none=True)
        return payload

    def _authorization(self, request_auth: Any) -> str:
        if request_auth is not None:
            if isinstance(request_auth, str):
                token: Optional[str] = request_auth
            elif isinstance(request_auth, Mapping) and isinstance(request_auth.get("value"), str):
                value = str(request_auth["value"])
                return _checked_header_value(value, "_request_auth")
            else:
                raise ApiTypeError("_request_auth must be a token string or a dict with a 'value'")
        else:
            token = self.configuration.get_access_token()
        if not token:
            raise ApiValueError(
                "access_token is not set: set Configuration.access_token to the user's access token "
                "(or to a callable returning it) before calling the API"
            )
        return _checked_header_value("Bearer " + token, "access_token")

    def _deserialize(self, response_type: Type[R], response: RESTResponse, raw: bytes) -> R:
        if response.truncated:
            raise _invalid_response(
                f"the {response.status} response body is larger than max_response_size "
                f"({self.configuration.max_response_size} bytes); body holds its start",
                response,
                raw,
            )
        if not raw:
            raise _invalid_response(
                f"expected a {response_type.__name__} but the {response.status} response has an empty body",
                response,
                raw,
            )
        try:
            return response_type.model_validate_json(raw)
        except ValidationError as err:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(body)'}: {e['msg']}"
                for e in err.errors(include_url=False, include_input=False, include_context=False)[:5]
            )
            raise _invalid_response(
                f"the {response.status} response is not a valid {response_type.__name__}: {problems}",
                response,
                raw,
            ) from err

    @staticmethod
    def _error_for(response: RESTResponse, raw: bytes) -> ApiException:
        data: Optional[RequestErrorBody] = None
        if raw[:1] == b"{" or raw.lstrip()[:1] == b"{":
            from py_logto.models.request_error_body import RequestErrorBody

            try:
                data = RequestErrorBody.model_validate_json(raw)
            except ValidationError:
                data = None  # not a Logto error body (e.g. {"message": ...} only): kept raw
        exc_class = _exception_class_for_status(response.status)
        return exc_class(http_resp=response, body=raw, data=data)


def _invalid_response(message: str, response: RESTResponse, raw: bytes) -> ApiResponseValidationError:
    """A 2xx whose body cannot be the documented model, with everything the server sent."""
    return ApiResponseValidationError(
        message, status=response.status, reason=response.reason, headers=response.headers, body=raw
    )


def _content_type(requested: Optional[str]) -> str:
    if requested is None:
        return _JSON
    media = requested.split(";", 1)[0].strip().lower()
    if media != _JSON and not (media.startswith("application/") and media.endswith("+json")):
        raise ApiValueError(f"_content_type must be a JSON media type, got {requested!r}")
    return _checked_header_value(requested, "_content_type")


def _checked_header_value(value: str, what: str) -> str:
    if "\r" in value or "\n" in value:
        raise ApiValueError(f"{what} contains a line break, which cannot be sent in a header")
    if not value.isascii():
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise ApiValueError(f"{what} contains characters that cannot be sent in a header") from None
    return value


def _checked_headers(extra: Mapping[str, str]) -> Dict[str, str]:
    if not isinstance(extra, Mapping):
        raise ApiTypeError("_headers must be a mapping of header names to values")
    checked = {}
    for name, value in extra.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ApiTypeError("_headers names and values must be strings")
        checked[_checked_header_value(name, "_headers")] = _checked_header_value(value, f"_headers[{name!r}]")
    return checked
