"""The engine: authentication, serialization, sending, deserialization and error mapping,
written once for every operation."""

from __future__ import annotations

import datetime
import decimal
import enum
import logging
import os
import platform
import threading
import time
from typing import TYPE_CHECKING, Any, BinaryIO, Dict, List, Mapping, Optional, Tuple, Type, TypeVar, Union, cast
from urllib.parse import quote, urlencode

from pydantic import BaseModel, ValidationError
from typing_extensions import Self, TypedDict

from py_logto import _headers
from py_logto._operation import Operation, Param
from py_logto._version import __version__
from py_logto.api_response import ApiResponse
from py_logto.configuration import Configuration, _to_timeout
from py_logto.exceptions import (
    REQUEST_ID_HEADER,
    ApiConnectionError,
    ApiException,
    ApiResponseValidationError,
    ApiTypeError,
    ApiValueError,
    _exception_class_for_status,
    _mask_chain,
    _masker,
    _request_secrets,
    _shown,
)
from py_logto.models._base import UnionModel, _to_api_error, _unsendable
from py_logto.rest import URLLIB3_VERSION, RESTClientObject, RESTResponse, RESTResponseType, Timeout

if TYPE_CHECKING:
    from types import TracebackType

    from py_logto.models.request_error_body import RequestErrorBody

__all__ = ["ApiClient", "RequestOptions", "RequestTimeout", "UploadFile"]

R = TypeVar("R")

#: What ``_request_timeout`` accepts: seconds, a ``(connect, read)`` tuple, a
#: ``urllib3.Timeout``, or ``None`` for the configured timeout.
RequestTimeout = Union[None, int, float, Tuple[Optional[float], Optional[float]], Timeout]

#: What a file parameter accepts: the bytes, a path, a binary file object, or a
#: ``(filename, bytes)`` or ``(filename, bytes, content_type)`` tuple.
UploadFile = Union[bytes, str, os.PathLike[str], BinaryIO, Tuple[str, bytes], Tuple[str, bytes, str]]

_VERIFICATION_HEADER = "logto-verification-id"

#: What a request sent that must be masked if the server echoes it: the
#: ``Authorization`` header's value and the body model (its secret fields).
_Sent = Tuple[Optional[str], Optional[BaseModel]]

_LOGGER = logging.getLogger("py_logto")

_JSON = "application/json"


class RequestOptions(TypedDict, total=False):
    """The per-call options every operation method takes (all optional), as a dict:
    ``api.get_profile(**options)``.

    Keys:
        _request_timeout: seconds, a ``(connect, read)`` tuple or a ``urllib3.Timeout``;
            ``None`` uses ``Configuration.timeout``.
        _request_auth: another access token for this call only: a string, or the
            generated-client form ``{"in": "header", "key": "Authorization", "value": "Bearer ..."}``.
        _content_type: the ``Content-Type`` to send; must be a JSON media type.
        _headers: extra request headers, e.g. ``{"Origin": "https://app.example.com"}``.
    """

    _request_timeout: RequestTimeout
    _request_auth: Union[str, Mapping[str, Any], None]
    _content_type: Optional[str]
    _headers: Optional[Mapping[str, Any]]
    _host_index: int


def _user_agent() -> str:
    # The version urllib3 declares, not importlib.metadata: reading package metadata
    # scans site-packages, which costs every new client a millisecond or more.
    return f"logto-user-api/{__version__} (Python {platform.python_version()}; urllib3 {URLLIB3_VERSION})"


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
        #: The last configured token and its checked ``Authorization`` header.
        self._bearer: Tuple[Optional[str], str] = (None, "")
        self.default_headers = _headers.DefaultHeaders()
        if header_name is not None:
            self.default_headers[header_name] = header_value or ""
        #: The ``Cookie`` header sent with every request (as in generated clients).
        self.cookie = cookie
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
    def default_headers(self) -> Dict[str, str]:
        """The headers sent with every request. Names and values are checked as they
        are set: framing and hop-by-hop headers (``Content-Length``, ``Host``...),
        invalid names and values with line breaks raise ``ApiValueError``."""
        return self._default_headers

    @default_headers.setter
    def default_headers(self, headers: Mapping[str, str]) -> None:
        self._default_headers = _headers.DefaultHeaders(headers)

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

    @property
    def client_side_validation(self) -> bool:
        """Whether request values are checked before sending (``Configuration.client_side_validation``)."""
        return self.configuration.client_side_validation

    # -- the generated client's lower-level methods --------------------------------------
    #
    # Doors onto the same engine for code written against an OpenAPI Generator client:
    # ``param_serialize`` builds a request the way the operations do, ``call_api`` sends
    # it through the same transport, ``response_deserialize`` maps the answer to models
    # and exceptions through the same table.

    def param_serialize(
        self,
        method: str,
        resource_path: str,
        path_params: Optional[Mapping[str, Any]] = None,
        query_params: Optional[Any] = None,
        header_params: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        post_params: Optional[Any] = None,
        files: Optional[Mapping[str, Any]] = None,
        auth_settings: Optional[List[str]] = None,
        collection_formats: Optional[Mapping[str, str]] = None,
        _host: Optional[str] = None,
        _request_auth: Optional[Mapping[str, Any]] = None,
    ) -> Tuple[str, str, Dict[str, str], Any, List[Tuple[str, Any]]]:
        """Build a request as the operations do: ``(method, url, headers, body, post_params)``
        for :meth:`call_api`. Path values are one percent-encoded segment, headers are
        checked, ``body`` is made JSON-ready (:meth:`sanitize_for_serialization`) and the
        credentials of ``auth_settings`` (or ``_request_auth``) are added."""
        config = self.configuration
        headers = dict(self._default_headers)
        if header_params:
            _headers.merge(headers, _headers.checked_extra(header_params, "header_params", convert=self._header_text))
        for name, value in (path_params or {}).items():
            param = Param(name, name, "path")
            text = value if isinstance(value, str) else self._header_text(name, value)
            resource_path = resource_path.replace(
                "{" + name + "}", _path_segment(param, text, config.safe_chars_for_path_param)
            )
        fields: List[Tuple[str, Any]] = list(
            (post_params.items() if isinstance(post_params, Mapping) else post_params) or []
        )
        if files:
            fields += self.files_parameters(files)
        if _request_auth is not None or auth_settings:
            self.update_params_for_auth(headers, auth_settings, _request_auth)
        if body is not None:
            body = self.sanitize_for_serialization(body)
        url = (config.host if _host is None or config.ignore_operation_servers else _host.rstrip("/")) + resource_path
        query = self._query_pairs(query_params, collection_formats or {})
        if query:
            url += "?" + urlencode(query, quote_via=quote)
        return method, url, headers, body, fields

    def call_api(
        self,
        method: str,
        url: str,
        header_params: Optional[Mapping[str, str]] = None,
        body: Any = None,
        post_params: Optional[Any] = None,
        _request_timeout: Any = None,
    ) -> RESTResponse:
        """Send what :meth:`param_serialize` built and return the response (body read),
        whatever its status."""
        return self.rest_client.request(
            method, url, headers=header_params, body=body, post_params=post_params, _request_timeout=_request_timeout
        )

    def response_deserialize(
        self, response_data: RESTResponse, response_types_map: Optional[Mapping[str, Any]] = None
    ) -> ApiResponse[Any]:
        """The response as an :class:`ApiResponse`, its body deserialized as
        ``response_types_map`` says for its status (``"201"``, or ``"2XX"``: a model name,
        ``"List[Model]"``, ``"str"``, ``"bytearray"``, or a class); a non-2xx status raises
        its exception, as every operation does."""
        if response_data.data is None:
            raise ApiValueError("RESTResponse.read() must be called before passing it to response_deserialize()")
        status = response_data.status
        types = response_types_map or {}
        response_type = types.get(str(status)) or types.get(f"{str(status)[:1]}XX")
        raw = response_data.data
        data: Any = None
        if response_type == "bytearray":
            data = raw
        elif response_type is not None and raw:
            content_type = response_data.getheader("Content-Type")
            data = self.deserialize(raw.decode(_charset(content_type), "replace"), response_type, content_type)
        if not 200 <= status <= 299:
            if data is None or not hasattr(data, "code"):
                raise self._error_for(response_data, raw)
            raise _exception_class_for_status(status)(http_resp=response_data, body=raw, data=data)
        return ApiResponse(status_code=status, data=data, headers=response_data.headers, raw_data=raw)

    def deserialize(self, response_text: str, response_type: Any, content_type: Optional[str] = None) -> Any:
        """``response_text`` as ``response_type``: a model name (``"GetProfile200Response"``),
        ``"List[...]"``, ``"Dict[str, ...]"``, ``"str"``, ``"int"``, ``"float"``, ``"bool"``,
        ``"object"``, or a class. JSON unless ``content_type`` is ``text/plain``."""
        media = (content_type or "application/json").split(";", 1)[0].strip().lower()
        if media.startswith("text/") and not media.endswith("json"):
            data: Any = response_text
        else:
            import json

            try:
                data = json.loads(response_text)
            except ValueError:
                data = response_text
        try:
            return _type_adapter(response_type).validate_python(data)
        except ValidationError as err:
            raise ApiValueError(
                f"the response is not a valid {response_type}: {err.error_count()} problem(s)"
            ) from None

    def sanitize_for_serialization(self, obj: Any) -> Any:
        """``obj`` made JSON-ready as generated clients do: models as their wire dicts,
        enums as their values, dates and times in ISO 8601, containers element by element."""
        if obj is None or isinstance(obj, (str, bool, int, float)):
            return obj
        if isinstance(obj, enum.Enum):
            return obj.value
        if isinstance(obj, (BaseModel, UnionModel)) and hasattr(obj, "to_dict"):
            return obj.to_dict()
        if isinstance(obj, BaseModel):
            return obj.model_dump(mode="json", by_alias=True, exclude_none=True)
        if isinstance(obj, (datetime.datetime, datetime.date)):
            return obj.isoformat()
        if isinstance(obj, decimal.Decimal):
            return str(obj)
        if isinstance(obj, list):
            return [self.sanitize_for_serialization(item) for item in obj]
        if isinstance(obj, tuple):
            return tuple(self.sanitize_for_serialization(item) for item in obj)
        if isinstance(obj, Mapping):
            return {key: self.sanitize_for_serialization(value) for key, value in obj.items()}
        raise ApiTypeError(f"cannot serialize a {type(obj).__name__}")

    @staticmethod
    def select_header_accept(accepts: List[str]) -> Optional[str]:
        """The ``Accept`` to send: the first JSON type of ``accepts``, else the first."""
        if not accepts:
            return None
        return next((a for a in accepts if "json" in a.lower()), accepts[0])

    @staticmethod
    def select_header_content_type(content_types: List[str]) -> Optional[str]:
        """The ``Content-Type`` to send: the first JSON type of ``content_types``, else the first."""
        if not content_types:
            return None
        return next((c for c in content_types if "json" in c.lower()), content_types[0])

    def update_params_for_auth(
        self,
        headers: Dict[str, str],
        auth_settings: Optional[List[str]],
        request_auth: Optional[Mapping[str, Any]] = None,
    ) -> None:
        """Add the credentials: ``request_auth`` when given, else those of the named
        security schemes (``"OAuth2"``, ``"bearerAuth"``) from ``Configuration.auth_settings()``."""
        settings = [request_auth] if request_auth is not None else []
        if request_auth is None:
            known = self.configuration.auth_settings()
            settings = [known[name] for name in auth_settings or () if name in known]
        for setting in settings:
            if setting.get("in", "header") != "header":
                raise ApiValueError("Logto's user API takes its credentials in a header")
            name = str(setting.get("key") or "Authorization")
            _headers.merge(headers, {name: _headers.check_value(setting.get("value"), name, "auth_settings")})

    def files_parameters(self, files: Mapping[str, Any]) -> List[Tuple[str, Tuple[str, bytes, str]]]:
        """``files`` (name -> bytes, a path, a binary file or a ``(filename, bytes[, type])``
        tuple) as multipart fields."""
        from py_logto._multipart import read_file

        return [(name, read_file(Param(name, name, "file"), value)) for name, value in files.items()]

    def _query_pairs(self, query: Any, formats: Mapping[str, str]) -> List[Tuple[str, str]]:
        pairs: List[Tuple[str, str]] = []
        items = query.items() if isinstance(query, Mapping) else (query or [])
        separators = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}
        for name, value in items:
            if value is None:
                continue
            values = list(value) if isinstance(value, (list, tuple)) else [value]
            texts = [
                str(v).lower() if isinstance(v, bool) else self._header_text(name, v)
                for v in (self.sanitize_for_serialization(item) for item in values)
            ]
            fmt = formats.get(name, "multi" if isinstance(value, (list, tuple)) else "")
            if fmt in separators:
                pairs.append((name, separators[fmt].join(texts)))
            else:
                pairs += [(name, text) for text in texts]
        return pairs

    # -- the engine -------------------------------------------------------------

    def call(
        self,
        operation: Operation[R],
        args: Tuple[Any, ...] = (),
        _request_timeout: Any = None,
        _request_auth: Any = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, Any]] = None,
        _host_index: int = 0,
    ) -> ApiResponse[R]:
        """Send ``operation`` with ``args`` (its parameters, in order) and return the typed response.

        Raises:
            ApiTypeError, ApiValueError: bad input; nothing was sent.
            ApiConnectionError, ApiTimeoutError: no response.
            ApiException (or a subclass): a non-2xx status.
            ApiResponseValidationError: a 2xx whose body is not the documented model.
        """
        response, sent = self._send(
            operation, args, _request_timeout, _request_auth, _content_type, _headers, _host_index, True
        )
        raw = response.data or b""
        status = response.status
        if 200 <= status <= 299:
            try:
                data: Any = self._deserialize(operation, response, raw)
            except ApiResponseValidationError as err:
                err._mask_secrets(_request_secrets(*sent))
                raise
            return ApiResponse(status_code=status, headers=response.headers, data=data, raw_data=raw)
        if status == 304 and operation.method == "GET":
            # Not Modified, after the caller's If-None-Match: there is no body to return.
            return ApiResponse(status_code=status, headers=response.headers, data=cast(R, None), raw_data=raw)
        raise self._error_for(response, raw)._mask_secrets(_request_secrets(*sent))

    def call_without_preload_content(
        self,
        operation: Operation[Any],
        args: Tuple[Any, ...] = (),
        _request_timeout: Any = None,
        _request_auth: Any = None,
        _content_type: Optional[str] = None,
        _headers: Optional[Mapping[str, Any]] = None,
        _host_index: int = 0,
    ) -> RESTResponseType:
        """Send ``operation`` and return urllib3's response with the body unread,
        whatever the status. Read it (or call ``release_conn()``) to return the
        connection to the pool."""
        response = self._send(
            operation, args, _request_timeout, _request_auth, _content_type, _headers, _host_index, False
        )[0].response
        return cast(RESTResponseType, response)  # what urllib3's pools return

    def _send(
        self,
        operation: Operation[Any],
        args: Tuple[Any, ...],
        request_timeout: Any,
        request_auth: Any,
        content_type: Optional[str],
        extra_headers: Optional[Mapping[str, Any]],
        host_index: int,
        preload_content: bool,
    ) -> Tuple[RESTResponse, _Sent]:
        if host_index != 0:
            raise ApiValueError(
                f"_host_index must be 0, got {host_index!r}: the contract declares one server, used through "
                "Configuration.host"
            )
        config = self.configuration
        headers = dict(self._default_headers)
        headers["Accept"] = operation.accept
        path = operation.path
        model: Optional[BaseModel] = None
        if operation.body_only:
            payload, model = self._json_body(operation, args[0] if args else None)
        else:
            path, payload, model, multipart_type = self._encode_params(operation, args, headers)
            if multipart_type is not None:
                headers["Content-Type"] = multipart_type
        if payload is not None and operation.body == "json":
            headers["Content-Type"] = _JSON if content_type is None else _content_type(content_type)
        extra = _headers.checked_extra(extra_headers, convert=self._header_text) if extra_headers else None
        last_token, authorization = self._bearer
        if request_auth is not None or last_token is None or config._access_token is not last_token:
            authorization = self._authorization(request_auth, extra)
        headers["Authorization"] = authorization
        sent: _Sent = (authorization, model)
        if extra:
            _headers.merge(headers, extra)
            sent = (_headers.value_of(headers, "Authorization"), model)
        timeout = config._timeout if request_timeout is None else _to_timeout(request_timeout, "_request_timeout")

        debug = _LOGGER.isEnabledFor(logging.DEBUG)
        started = time.perf_counter() if debug else 0.0
        try:
            response = self.rest_client._request(
                operation.method,
                config.host,
                path,
                headers,
                payload,
                timeout=timeout,
                preload_content=preload_content,
                config=config,
            )
        except ApiConnectionError as err:
            _mask_chain(err, _request_secrets(*sent))  # a server may echo the token in a broken status line
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
        if preload_content and response.data is None:
            response.read()
        if debug:
            request_id = response.headers.get(REQUEST_ID_HEADER)
            _LOGGER.debug(
                "%s %s -> %d in %.1f ms (request id %s)",
                operation.method,
                operation.path,
                response.status,
                (time.perf_counter() - started) * 1000,
                _shown(request_id, 100, _masker(_request_secrets(*sent))) if request_id else "-",
            )
        return response, sent

    def _encode_params(
        self, operation: Operation[Any], args: Tuple[Any, ...], headers: Dict[str, str]
    ) -> Tuple[str, Optional[bytes], Optional[BaseModel], Optional[str]]:
        """Put each parameter where it goes: the path, the query, a header or the body.

        Returns the path (with its query), the body, the body's model (for a JSON body)
        and, for a multipart body, its ``Content-Type``."""
        if len(args) != len(operation.params):
            raise ApiTypeError(f"{operation.operation_id} takes {len(operation.params)} parameter(s), got {len(args)}")
        path = operation.path
        config = self.configuration
        query: List[Tuple[str, str]] = []
        payload: Optional[bytes] = None
        model: Optional[BaseModel] = None
        multipart_type: Optional[str] = None
        for param, value in zip(operation.params, args):
            location = param.location
            if location == "body":
                payload, model = self._json_body(operation, value)
                continue
            if value is None:
                if param.required:
                    raise ApiValueError(_missing(param))
                continue
            if location == "file":
                from py_logto._multipart import encode_file_part

                payload, multipart_type = encode_file_part(param, value)
                continue
            text = _param_text(param, value, config)
            if location == "path":
                path = path.replace(
                    "{" + param.wire + "}", _path_segment(param, text, config.safe_chars_for_path_param)
                )
            elif location == "query":
                query.append((param.wire, text))
            else:
                headers[param.wire] = _headers.check_value(text, param.wire, param.name)
        if query:
            path += "?" + urlencode(query, quote_via=quote)
        return path, payload, model, multipart_type

    def _json_body(self, operation: Operation[Any], body: Any) -> Tuple[Optional[bytes], Optional[BaseModel]]:
        request_type = operation.request_type
        if request_type is None:
            if body is not None:
                raise ApiTypeError(f"{operation.operation_id} takes no request body")
            return None, None
        if body is None:
            raise ApiValueError(f"Missing the required parameter `{operation.body_param}`")
        # The operation's own model is the usual body: it skips the checks below, which
        # are costly (Mapping is an abstract class) and change nothing for it.
        if type(body) is not request_type:
            if isinstance(body, Mapping) and not self.configuration.client_side_validation:
                return _unchecked_json(operation, body), None
            body = _validated_body(operation, request_type, body)
        # The serializer's bytes, as model_dump_json would make them but without the
        # round trip through str.
        try:
            payload: bytes = body.__pydantic_serializer__.to_json(body, by_alias=True, exclude_none=True)
        except ValueError as err:  # a free-form value changed in place since it was validated
            raise _unsendable(body, err) from err
        return payload, body

    def _header_text(self, name: str, value: Any) -> str:
        """A ``_headers`` value as text: numbers and enums as generated clients send them,
        dates in ``Configuration.datetime_format`` / ``date_format``."""
        if isinstance(value, enum.Enum):
            value = value.value
        if isinstance(value, str):
            return value
        if isinstance(value, (bool, int, float, decimal.Decimal)):
            return str(value)
        if isinstance(value, datetime.datetime):
            return value.strftime(self.configuration.datetime_format)
        if isinstance(value, datetime.date):
            return value.strftime(self.configuration.date_format)
        raise ApiTypeError(f"_headers[{name!r}] must be a str (or a number, enum or date), not {type(value).__name__}")

    def _authorization(self, request_auth: Any, extra: Optional[Mapping[str, str]]) -> str:
        if request_auth is not None:
            if isinstance(request_auth, str):
                token: Optional[str] = request_auth
            elif isinstance(request_auth, Mapping) and isinstance(request_auth.get("value"), str):
                return _headers.check_value(str(request_auth["value"]), "Authorization", "_request_auth")
            else:
                raise ApiTypeError("_request_auth must be a token string or a dict with a 'value'")
        else:
            token = self.configuration.get_access_token()
            if not token and extra:
                # A multi-user backend may pass each user's token per call in _headers.
                given = next((v for k, v in extra.items() if k.lower() == "authorization"), None)
                if given:
                    return given
        if not token:
            raise ApiValueError(
                "access_token is not set: set Configuration.access_token to the user's access token "
                "(or to a callable returning it), or pass _request_auth, before calling the API"
            )
        if request_auth is not None:
            return _headers.check_value("Bearer " + token, "Authorization", "_request_auth")
        # The configured token is usually the same str object call after call: its
        # header is built and checked once.
        last_token, header = self._bearer
        if token is not last_token:
            header = _headers.check_value("Bearer " + token, "Authorization", "access_token")
            self._bearer = (token, header)
        return header

    def _deserialize(self, operation: Operation[Any], response: RESTResponse, raw: bytes) -> Any:
        kind = operation.response
        if kind == "empty":
            return None
        if response.truncated:
            raise _invalid_response(
                f"the {response.status} response body is larger than max_response_size "
                f"({self.configuration.max_response_size} bytes); body holds its start",
                response,
                raw,
            )
        if kind == "text":
            return raw.decode("utf-8", "replace")
        response_type = operation.response_type
        assert response_type is not None
        if not raw:
            raise _invalid_response(
                f"expected a {response_type.__name__} but the {response.status} response has an empty body",
                response,
                raw,
            )
        try:
            if kind == "list":
                return operation.list_adapter.validate_json(raw)
            # What model_validate_json does, without its Python-level call.
            return response_type.__pydantic_validator__.validate_json(raw)
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


def _charset(content_type: Optional[str]) -> str:
    import re

    match = re.search(r"charset=([a-zA-Z\-\d]+)", content_type or "")
    return match.group(1) if match else "utf-8"


def _type_adapter(response_type: Any) -> Any:
    """A pydantic ``TypeAdapter`` for a type given as a class or by name, as generated clients name them."""
    from pydantic import TypeAdapter

    return TypeAdapter(_resolve_type(response_type))


def _resolve_type(name: Any) -> Any:
    if not isinstance(name, str):
        return name
    name = name.strip()
    simple = {"str": str, "int": int, "float": float, "bool": bool, "object": Any, "bytearray": bytes}
    if name in simple:
        return simple[name]
    if name.startswith("List[") and name.endswith("]"):
        return List[_resolve_type(name[5:-1])]  # type: ignore[misc]
    if name.startswith("Dict[") and name.endswith("]"):
        return Dict[str, _resolve_type(name[5:-1].split(",", 1)[1])]  # type: ignore[misc]
    from py_logto import models

    try:
        return getattr(models, name)
    except AttributeError:
        raise ApiValueError(f"unknown response type {name!r}") from None


def _missing(param: Param) -> str:
    message = f"Missing the required parameter `{param.name}`"
    if param.wire == _VERIFICATION_HEADER:
        message += (
            ": this change needs a fresh verification record of the user. Verify them first (e.g. "
            "VerificationsApi.create_verification_by_password) and pass the record's id"
        )
    return message


def _param_text(param: Param, value: Any, config: Configuration) -> str:
    """A path, query or header parameter as the text sent."""
    if isinstance(value, enum.Enum):
        value = value.value
    if not isinstance(value, str):
        raise ApiTypeError(f"`{param.name}` must be a str, not {type(value).__name__}")
    if not config.client_side_validation:
        return value
    if param.choices is not None and value not in param.choices:
        allowed = ", ".join(repr(c) for c in param.choices)
        raise ApiValueError(f"`{param.name}` must be one of {allowed}")
    if len(value) < param.min_length:
        raise ApiValueError(f"`{param.name}` must be at least {param.min_length} character(s) long")
    return value


#: Deletes the marks RFC 3986 leaves unreserved (``-._~``), for the check above.
_UNRESERVED_MARKS = str.maketrans("", "", "-._~")


def _path_segment(param: Param, value: str, safe: str) -> str:
    """``value`` as one path segment: a ``/``, ``?``, ``#``, ``%`` or a ``.``/``..`` in it can
    never change which route is called (``safe``, ``Configuration.safe_chars_for_path_param``,
    can hold none of these)."""
    if not value:
        raise ApiValueError(f"`{param.name}` must not be empty (it is part of the path)")
    if value.strip(".") == "":
        return "%2E" * len(value)  # "." and ".." would be resolved as dot-segments
    if value.isascii() and value.translate(_UNRESERVED_MARKS).isalnum():
        return value  # letters, digits and -._~ (most ids): what quote() leaves as they are
    return quote(value, safe=safe)


def _unchecked_json(operation: Operation[Any], body: Mapping[str, Any]) -> bytes:
    """A dict body sent as it is (``Configuration.client_side_validation`` is off): only what
    JSON cannot carry is refused."""
    import json

    try:
        return json.dumps(body, allow_nan=False, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError) as err:
        raise ApiValueError(f"`{operation.body_param}` cannot be sent as JSON: {type(err).__name__}") from None


def _validated_body(operation: Operation[Any], request_type: Type[BaseModel], body: Any) -> BaseModel:
    """``body`` as the operation's model: an instance (of a subclass) as it is, a dict (or,
    for a one-of model, one of its members) validated into it."""
    if isinstance(body, request_type):
        return body
    if not isinstance(body, Mapping) and not (issubclass(request_type, UnionModel) and isinstance(body, BaseModel)):
        raise ApiTypeError(
            f"`{operation.body_param}` must be a {request_type.__name__} (or a dict), not {type(body).__name__}"
        )
    try:
        return request_type.model_validate(body)
    except ValidationError as err:
        raise _to_api_error(request_type, err) from None


def _invalid_response(message: str, response: RESTResponse, raw: bytes) -> ApiResponseValidationError:
    """A 2xx whose body cannot be the documented model, with everything the server sent."""
    return ApiResponseValidationError(
        message, status=response.status, reason=response.reason, headers=response.headers, body=raw
    )


def _content_type(requested: Optional[str]) -> str:
    if requested is None:
        return _JSON
    _headers.check_value(requested, "Content-Type", "_content_type")
    media = requested.split(";", 1)[0].strip().lower()
    if media != _JSON and not (media.startswith("application/") and media.endswith("+json")):
        raise ApiValueError(f"_content_type must be a JSON media type, got {requested!r}")
    return requested
