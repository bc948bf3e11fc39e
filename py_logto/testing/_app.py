"""The HTTP face of the sandbox: routing, body parsing, authentication and error bodies, in the
order Logto's Koa middleware applies them:

1. CORS preflights are answered first; unknown paths get ``404 Not Found`` and known paths with
   another method ``405 Method Not Allowed`` (``501`` for methods Koa does not know), as text.
2. The bearer token is checked (401) before anything in the body is looked at.
3. koa-body parses the body by ``Content-Type`` (JSON up to 1 MB, forms and text up to 56 KB,
   anything else ignored); malformed JSON is ``400 {"message": <V8's JSON.parse error>}``.
4. The zod guard validates it (``400 guard.invalid_input``), then third-party apps are refused
   (403) on every route but the two social ones, then the route runs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import unquote

from py_logto.testing._guard import (
    BIND_WEBAUTHN_BODY,
    CODE_SEND_BODY,
    CODE_VERIFY_BODY,
    PASSWORD_BODY,
    SOCIAL_BODY,
    SOCIAL_VERIFY_BODY,
    Schema,
    format_issues,
)
from py_logto.testing._json import JsonSyntaxError, parse_json, to_json_bytes
from py_logto.testing._logto import Call, LogtoError, LogtoState, random_id

__all__ = ["BODY_LIMIT", "LogtoApp", "Request", "Response"]

_log = logging.getLogger("py_logto.testing")

BODY_LIMIT = 1024 * 1024  # koa-body's jsonLimit, the largest body any route reads
_TEXT_LIMIT = 56 * 1024  # koa-body's formLimit and textLimit
_JSON_TYPES = frozenset(
    {
        "application/json",
        "application/json-patch+json",
        "application/vnd.api+json",
        "application/csp-report",
        "application/scim+json",
    }
)
_STRICT_JSON_START = re.compile(r"[\x20\x09\x0a\x0d]*[\[{]")  # co-body accepts only objects and arrays
_KNOWN_METHODS = frozenset({"HEAD", "OPTIONS", "GET", "PUT", "PATCH", "POST", "DELETE"})
_REQUEST_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_JSON = "application/json; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"
_STATIC_HEADERS = (
    ("Vary", "Accept-Encoding, Origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Origin-Agent-Cluster", "?1"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Strict-Transport-Security", "max-age=15552000; includeSubDomains"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Download-Options", "noopen"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("X-Permitted-Cross-Domain-Policies", "none"),
    ("X-XSS-Protection", "0"),
)

Handler = Callable[[LogtoState, Call], Tuple[int, Dict[str, Any]]]


@dataclass(frozen=True)
class _Route:
    handler: Handler
    schema: Optional[Schema]
    first_party_only: bool = True


_ROUTES: Dict[str, _Route] = {
    "/verifications/password": _Route(LogtoState.create_by_password, PASSWORD_BODY),
    "/verifications/verification-code": _Route(LogtoState.send_code, CODE_SEND_BODY),
    "/verifications/verification-code/verify": _Route(LogtoState.verify_code, CODE_VERIFY_BODY),
    "/verifications/social": _Route(LogtoState.create_by_social, SOCIAL_BODY, first_party_only=False),
    "/verifications/social/verify": _Route(LogtoState.verify_social, SOCIAL_VERIFY_BODY, first_party_only=False),
    "/verifications/web-authn/registration": _Route(LogtoState.webauthn_options, None),
    "/verifications/web-authn/registration/verify": _Route(LogtoState.verify_webauthn, BIND_WEBAUTHN_BODY),
}


@dataclass(frozen=True)
class Request:
    """A request as read off the wire. ``body`` is ``None`` when the request announced none."""

    method: str
    target: str
    headers: Dict[str, str]  # lower-case names; the first of repeated headers
    body: Optional[bytes] = None
    body_too_large: bool = False

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name.lower())


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: Optional[str] = None
    headers: List[Tuple[str, str]] = field(default_factory=list)


class _BodyError(Exception):
    """koa-body refused the body: answered as ``{"message": ...}`` only."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _json_response(status: int, body: Any) -> Response:
    return Response(status, to_json_bytes(body), _JSON)


def _text_response(status: int, text: str, *headers: Tuple[str, str]) -> Response:
    return Response(status, text.encode(), _TEXT, list(headers))


def _form_decode(text: str) -> str:
    # qs: "+" is a space; when any escape is malformed the whole string stays as it is.
    text = text.replace("+", " ")
    if re.search(r"%(?![0-9a-fA-F]{2})", text):
        return text
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        return text


def _parse_form(text: str) -> Dict[str, Any]:
    """A subset of qs (as co-body calls it, with ``allowDots``): ``a=1&b.c=2&d[e]=3&f[]=4``."""
    result: Dict[str, Any] = {}
    for pair in text.split("&")[:1000]:
        raw_key, _, raw_value = pair.partition("=")
        key, value = _form_decode(raw_key), _form_decode(raw_value)
        key = re.sub(r"\.([^.\[]+)", r"[\1]", key)
        head, _, rest = key.partition("[")
        if not head:
            continue
        path = [head, *re.findall(r"([^\[\]]*)\]", "[" + rest)[:5]] if rest else [head]
        target = result
        for segment in path[:-1]:
            child = target.get(segment)
            if not isinstance(child, dict):
                child = target[segment] = {}
            target = child
        leaf = path[-1]
        if leaf == "" or leaf in target:
            previous = target.get(leaf, [])
            target[leaf] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            target[leaf] = value
    return result


def _parse_body(request: Request) -> Any:
    """What koa-body leaves in ``ctx.request.body`` (koaGuard falls back to ``{}``)."""
    if request.body is None:
        return {}
    media_type = (request.header("Content-Type") or "").split(";", 1)[0].strip().lower()
    if media_type in _JSON_TYPES:
        limit = BODY_LIMIT
    elif media_type == "application/x-www-form-urlencoded" or media_type.startswith("text/"):
        limit = _TEXT_LIMIT
    else:
        return {}
    if request.body_too_large or len(request.body) > limit:
        raise _BodyError(413, "request entity too large")
    text = request.body.decode("utf-8", "replace")
    text = text[1:] if text.startswith("\ufeff") else text
    if media_type.startswith("text/"):
        return text
    if media_type not in _JSON_TYPES:
        return _parse_form(text)
    if not text:
        return {}
    if not _STRICT_JSON_START.match(text):
        raise _BodyError(400, "invalid JSON, only supports object and array")
    try:
        return parse_json(text)
    except JsonSyntaxError as error:
        raise _BodyError(400, str(error)) from error


def _hostname(host: str) -> str:
    """Koa's ``ctx.URL.hostname`` for a ``Host`` header."""
    host = host.strip().lower()
    return host[: host.find("]") + 1] if host.startswith("[") else host.split(":", 1)[0]


class LogtoApp:
    """Turns a :class:`Request` into the :class:`Response` Logto would give."""

    def __init__(self, state: LogtoState, default_hostname: str) -> None:
        self.state = state
        self.default_hostname = default_hostname

    def handle(self, request: Request) -> Response:
        try:
            response = self._dispatch(request)
        except Exception:  # the catch-all of Logto's koaErrorHandler
            _log.exception("sandbox error while handling %s %s", request.method, request.target)
            response = _json_response(500, {"message": "Internal server error."})
        origin = request.header("Origin")
        headers = [*_STATIC_HEADERS, ("Access-Control-Allow-Origin", origin or "*")]
        if response.status != 204:
            headers.append(("Access-Control-Expose-Headers", "*"))
        headers.extend(response.headers)
        if response.content_type is not None:
            headers.append(("Content-Type", response.content_type))
        headers.append(("Logto-Core-Request-Id", random_id(16, _REQUEST_ID_ALPHABET)))
        response.headers = headers
        return response

    def _dispatch(self, request: Request) -> Response:
        method = request.method
        if method == "OPTIONS" and request.header("Origin") and request.header("Access-Control-Request-Method"):
            allow_headers = request.header("Access-Control-Request-Headers")
            return Response(
                204,
                headers=[
                    ("Access-Control-Allow-Methods", "GET,HEAD,PUT,POST,DELETE,PATCH"),
                    *([("Access-Control-Allow-Headers", allow_headers)] if allow_headers else []),
                ],
            )
        path = request.target.split("?", 1)[0]
        # Mounted at /api (case-sensitive); koa-router itself ignores case and one trailing slash.
        route_path = path[len("/api") :] if path.startswith("/api/") else ""
        route = _ROUTES.get((route_path[:-1] if route_path.endswith("/") else route_path).lower())
        if route is None:
            return _text_response(404, "Not Found")
        if method == "OPTIONS":
            return Response(200, b"", _TEXT, [("Allow", "POST")])
        if method != "POST":
            if method in _KNOWN_METHODS:
                return _text_response(405, "Method Not Allowed", ("Allow", "POST"))
            return _text_response(501, "Not Implemented", ("Allow", "POST"))
        try:
            return self._call(route, request)
        except LogtoError as error:
            return _json_response(error.status, error.body())
        except _BodyError as error:
            return _json_response(error.status, {"message": str(error)})

    def _call(self, route: _Route, request: Request) -> Response:
        user, first_party = self.state.authenticate(request.header("Authorization"))
        body: Any = None
        if route.schema is not None:
            body = _parse_body(request)
            issues = route.schema.issues(body)
            if issues:
                raise LogtoError(
                    "guard.invalid_input", data={"issues": issues, "name": "ZodError"}, details=format_issues(issues)
                )
        if route.first_party_only and not first_party:
            raise LogtoError("auth.third_party_application_forbidden")
        call = Call(
            user, body, _hostname(request.header("Host") or "") or self.default_hostname, request.header("Origin")
        )
        with self.state.lock:
            status, payload = route.handler(self.state, call)
        return _json_response(status, payload)
