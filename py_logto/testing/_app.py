"""The sandbox as Logto's Koa application sees a request, in the order its middleware runs:

1. the ``/api`` mount (case-sensitive); outside it only uploaded avatars are served;
2. CORS, only below ``/api/my-account`` and ``/api/verifications`` (where Logto allows any
   origin): preflights are answered here, other responses get the CORS headers;
3. routing (koa-router: paths ignore case and one trailing slash): an unknown path is
   ``404 Not Found``, a known one with another method ``405`` (``200`` with ``Allow`` for
   ``OPTIONS``), a method koa-router does not implement ``501``, all as text;
4. the access token (401, or 403 without ``openid``), then the account center (400 when off);
5. koaGuard: the body is read (koa-body), then query, body, params and files are guarded (400);
6. the route itself, holding the store's lock;
7. GET answers get an ``ETag`` and become ``304`` when ``If-None-Match`` matches.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Pattern, Tuple
from urllib.parse import unquote

from py_logto.testing._context import Context, Reply, Route
from py_logto.testing._errors import LogtoError
from py_logto.testing._guard import MISSING, guard
from py_logto.testing._json import to_json_bytes
from py_logto.testing._routes import ROUTES
from py_logto.testing._routes.avatar import ASSET_PREFIX
from py_logto.testing._store import AccessToken, Store, UserRow, random_id
from py_logto.testing._wire import (
    JSON_TYPE,
    TEXT_TYPE,
    BodyRefused,
    ParsedBody,
    Request,
    Response,
    etag_of,
    json_response,
    parse_body,
    parse_query,
    text_response,
)

__all__ = ["LogtoApp"]

_log = logging.getLogger("py_logto.testing")

_REQUEST_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_IMPLEMENTED_METHODS = ("HEAD", "OPTIONS", "GET", "PUT", "PATCH", "POST", "DELETE")
_CORS_PREFIXES = ("/my-account", "/verifications")
_CORS_METHODS = "GET,HEAD,PUT,POST,DELETE,PATCH"
_NO_CACHE = re.compile(r"(?:^|,)\s*?no-cache\s*?(?:,|$)")
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


@dataclass(frozen=True)
class _CompiledRoute:
    route: Route
    pattern: Pattern[str]
    methods: Tuple[str, ...]


def _compile(route: Route) -> _CompiledRoute:
    """path-to-regexp as koa-router uses it: ``:name`` is one segment, case is ignored and one
    trailing slash is allowed."""
    parts = re.split(r":([A-Za-z_][A-Za-z0-9_]*)", route.path)
    pattern = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>[^/#?]+?)" for index, part in enumerate(parts)
    )
    methods = ("HEAD", "GET") if route.method == "GET" else (route.method,)
    return _CompiledRoute(route, re.compile(f"^{pattern}[/#?]?$", re.IGNORECASE), methods)


_COMPILED = tuple(_compile(route) for route in ROUTES)


def _decode_param(value: str) -> str:
    """koa-router's ``safeDecodeURIComponent``: the value as it is when it does not decode."""
    try:
        return unquote(value, errors="strict")
    except UnicodeDecodeError:
        return value


def _hostname(host: str) -> str:
    """Koa's ``ctx.hostname`` for a ``Host`` header."""
    host = host.strip().lower()
    return host[: host.find("]") + 1] if host.startswith("[") else host.split(":", 1)[0]


def _fresh(request: Request, etag: str) -> bool:
    """Koa's ``ctx.fresh`` (the ``fresh`` package) for a response with this ETag and no
    ``Last-Modified``."""
    none_match = request.header("If-None-Match")
    modified_since = request.header("If-Modified-Since")
    if not none_match and not modified_since:
        return False
    if _NO_CACHE.search(request.header("Cache-Control") or ""):
        return False
    if none_match and none_match != "*":
        tags = [tag.strip() for tag in none_match.split(",")]
        if not any(tag in (etag, "W/" + etag) or "W/" + tag == etag for tag in tags):
            return False
    return not modified_since


class LogtoApp:
    """Turns a :class:`Request` into the :class:`Response` Logto would give."""

    def __init__(self, store: Store, default_hostname: str) -> None:
        self.store = store
        self.default_hostname = default_hostname

    def handle(self, request: Request) -> Response:
        path = request.path
        in_api = path == "/api" or path.startswith("/api/")
        mounted = path[len("/api") :] or "/"
        origin = request.header("Origin")
        cors_origin = (origin or "*") if in_api and mounted.startswith(_CORS_PREFIXES) else None
        preflight = (
            cors_origin is not None
            and request.method == "OPTIONS"
            and request.header("Access-Control-Request-Method") is not None
        )
        try:
            if preflight:
                response = self._preflight(request)
            elif in_api:
                response = self._dispatch(request, mounted)
            else:
                response = self._outside_api(request, path)
        except Exception:  # the catch-all of Logto's koaErrorHandler
            _log.exception("sandbox error while handling %s %s", request.method, path)
            response = json_response(500, {"message": "Internal server error."})
        headers = list(_STATIC_HEADERS)
        if cors_origin is not None:
            headers.append(("Access-Control-Allow-Origin", cors_origin))
            if not preflight:
                headers.append(("Access-Control-Expose-Headers", "*"))
        headers.extend(response.headers)
        request_id = ("Logto-Core-Request-Id", random_id(16, _REQUEST_ID_ALPHABET))
        content_type = [("Content-Type", response.content_type)] if response.content_type is not None else []
        # Koa types a text body only when it answers, after the request id; JSON is typed before.
        late = response.content_type is not None and not response.content_type.startswith("application/json")
        headers.extend([request_id, *content_type] if late else [*content_type, request_id])
        response.headers = headers
        return response

    # -- routing ------------------------------------------------------------------------------

    def _preflight(self, request: Request) -> Response:
        requested = request.header("Access-Control-Request-Headers")
        headers = [("Access-Control-Allow-Methods", _CORS_METHODS)]
        if requested:
            headers.append(("Access-Control-Allow-Headers", requested))
        return Response(204, headers=headers)

    def _dispatch(self, request: Request, mounted: str) -> Response:
        matched = [(compiled, compiled.pattern.match(mounted)) for compiled in _COMPILED]
        allowed: List[str] = []
        for compiled, match in matched:
            if match is not None:
                allowed.extend(method for method in compiled.methods if method not in allowed)
        for compiled, match in matched:
            if match is not None and request.method in compiled.methods:
                params = {name: _decode_param(value) for name, value in match.groupdict().items()}
                return self._run(compiled.route, request, params)
        allow = ("Allow", ", ".join(allowed))
        if request.method not in _IMPLEMENTED_METHODS:
            return text_response(501, "Not Implemented", allow)
        if allowed and request.method == "OPTIONS":
            return Response(200, b"", TEXT_TYPE, [allow])
        if allowed:
            return text_response(405, "Method Not Allowed", allow)
        return text_response(404, "Not Found")

    def _outside_api(self, request: Request, path: str) -> Response:
        if request.method in ("GET", "HEAD") and path.startswith(ASSET_PREFIX):
            with self.store.lock:
                asset = self.store.assets.get(path)
            if asset is not None:
                return Response(200, asset.content, asset.content_type)
        return text_response(404, "Not Found")

    # -- the middleware chain -----------------------------------------------------------------

    def _authenticate(self, request: Request) -> Tuple[UserRow, AccessToken]:
        authorization = request.header("Authorization")
        if not authorization:
            raise LogtoError("auth.authorization_header_missing", status=401)
        if not authorization.startswith("Bearer"):
            raise LogtoError(
                "auth.authorization_token_type_not_supported", status=401, data={"supportedTypes": ["Bearer"]}
            )
        token = self.store.token(authorization[len("Bearer ") :])
        if token is None:
            raise LogtoError("auth.unauthorized", status=401)
        if "openid" not in token.scopes:
            raise LogtoError("auth.forbidden", status=403)
        return self.store.users[token.account_id], token

    def _guarded(self, route: Route, request: Request, ctx: Context) -> None:
        """koaGuard: read the body (only for routes that guard a body or files), then guard
        query, body, params and files, in that order."""
        parsed = ParsedBody({})
        if route.body is not None or route.files is not None:
            parsed = parse_body(request, multipart=route.files is not None)
        if route.query is not None:
            ctx.query = guard("query", route.query, parse_query(request.query_string))
        if route.body is not None:
            ctx.body = guard("body", route.body, parsed.body)
        if route.params is not None:
            guard("params", route.params, ctx.params)
        if route.files is not None:
            described: Any = MISSING
            if parsed.files is not None:
                described = {name: [f.describe(i) for i, f in enumerate(files)] for name, files in parsed.files.items()}
            guard("files", route.files, described)
            ctx.files = parsed.files or {}

    def _run(self, route: Route, request: Request, params: Dict[str, str]) -> Response:
        try:
            with self.store.lock:
                user, token = self._authenticate(request)
                if not self.store.account_center.enabled:
                    raise LogtoError("account_center.not_enabled")
                host = _hostname(request.header("Host") or "") or self.default_hostname
                ctx = Context(self.store, request, user, token, host, params=params)
                self._guarded(route, request, ctx)
                reply = route.handler(ctx)
        except LogtoError as error:
            return json_response(error.status, error.body())
        except BodyRefused as refused:
            if refused.status == 404:  # an HttpError Logto leaves to Koa: no body set, so 404
                return text_response(404, "Not Found")
            if refused.status == 400:
                return json_response(400, {"message": str(refused)})
            return json_response(500, {"message": "Internal server error."})
        return self._render(request, reply)

    def _render(self, request: Request, reply: Reply) -> Response:
        if reply.text is not None:
            return text_response(reply.status, reply.text)
        if reply.body is None:
            return Response(reply.status)
        body = to_json_bytes(reply.body)
        if request.method != "GET":
            return Response(reply.status, body, JSON_TYPE)
        etag = etag_of(body)
        if 200 <= reply.status < 300 and _fresh(request, etag):
            return Response(304, headers=[("ETag", etag)])
        return Response(reply.status, body, JSON_TYPE, [("ETag", etag)])
