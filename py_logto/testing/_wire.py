"""What arrives and leaves on the wire, as Logto's Node stack reads and writes it: request and
response objects, request bodies as koa-body reads them (co-body for JSON, forms and text,
formidable for multipart, inflation for gzip/deflate), query strings as Node's ``querystring``
parses them, and the ETag of a JSON body as the ``etag`` package computes it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple, Union
from urllib.parse import unquote, unquote_to_bytes

from py_logto.testing._json import JsonSyntaxError, parse_json, to_json_bytes

__all__ = [
    "JSON_LIMIT",
    "READ_LIMIT",
    "TEXT_TYPE",
    "JSON_TYPE",
    "BodyRefused",
    "ParsedBody",
    "Request",
    "Response",
    "UploadedFile",
    "etag_of",
    "json_response",
    "parse_body",
    "parse_query",
    "text_response",
]

JSON_LIMIT = 1024 * 1024  # koa-body's jsonLimit ("1mb")
_TEXT_LIMIT = 56 * 1024  # formLimit and textLimit ("56kb")
READ_LIMIT = 32 * 1024 * 1024  # the most the sandbox reads of any body (avatars may be up to 20 MB)
JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
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
# Node keeps the first of these when a request repeats them, and joins repeats of the others.
_SINGLE_HEADERS = frozenset(
    {
        "age",
        "authorization",
        "content-length",
        "content-type",
        "etag",
        "expires",
        "from",
        "host",
        "if-modified-since",
        "if-unmodified-since",
        "last-modified",
        "location",
        "max-forwards",
        "proxy-authorization",
        "referer",
        "retry-after",
        "server",
        "user-agent",
    }
)


@dataclass(frozen=True)
class Request:
    """A request as read off the wire. ``body`` is ``None`` when the request announced none;
    ``body_too_large`` when it was over :data:`READ_LIMIT` and left unread."""

    method: str
    target: str
    raw_headers: Tuple[Tuple[str, str], ...] = ()
    body: Optional[bytes] = None
    body_too_large: bool = False
    headers: Dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        merged: Dict[str, str] = {}
        for name, value in self.raw_headers:
            key = name.lower()
            if key not in merged:
                merged[key] = value
            elif key not in _SINGLE_HEADERS:
                merged[key] = f"{merged[key]}, {value}"
        object.__setattr__(self, "headers", merged)

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name.lower())

    @property
    def path(self) -> str:
        """Koa's ``ctx.path``: the target's path, also when the target is an absolute URL."""
        target = self.target
        match = re.match(r"[A-Za-z][A-Za-z0-9+.\-]*://[^/?#]*", target)
        if match:
            target = target[match.end() :] or "/"
        return target.split("?", 1)[0].split("#", 1)[0]

    @property
    def query_string(self) -> str:
        _, _, query = self.target.partition("?")
        return query.split("#", 1)[0]


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: Optional[str] = None
    headers: List[Tuple[str, str]] = field(default_factory=list)


def json_response(status: int, body: Any, *headers: Tuple[str, str]) -> Response:
    return Response(status, to_json_bytes(body), JSON_TYPE, list(headers))


def text_response(status: int, text: str, *headers: Tuple[str, str]) -> Response:
    return Response(status, text.encode(), TEXT_TYPE, list(headers))


def etag_of(body: bytes) -> str:
    """The ``etag`` package's strong ETag of a body: its length in hex and 27 characters of its
    base64 SHA-1."""
    digest = base64.b64encode(hashlib.sha1(body).digest()).decode("ascii")[:27]
    return f'"{len(body):x}-{digest}"'


# -- query strings ----------------------------------------------------------------------------


def _qs_decode(text: str) -> str:
    text = text.replace("+", " ")
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        # Node's unescape falls back to decoding each escape on its own.
        return unquote_to_bytes(text).decode("utf-8", "replace")


def parse_query(query: str) -> Dict[str, Union[str, List[str]]]:
    """Node's ``querystring.parse``: repeated keys become lists (at most 1000 pairs)."""
    result: Dict[str, Union[str, List[str]]] = {}
    if not query:
        return result
    for pair in query.split("&")[:1000]:
        if not pair:
            continue
        raw_key, _, raw_value = pair.partition("=")
        key, value = _qs_decode(raw_key), _qs_decode(raw_value)
        previous = result.get(key)
        if previous is None:
            result[key] = value
        elif isinstance(previous, list):
            previous.append(value)
        else:
            result[key] = [previous, value]
    return result


# -- bodies -----------------------------------------------------------------------------------


class BodyRefused(Exception):
    """koa-body could not read the body. ``status`` 400 answers ``{"message": ...}`` (a
    ``SyntaxError``); 404 is an ``HttpError`` Logto leaves to Koa, which answers ``Not Found``;
    500 is any other error."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class UploadedFile:
    """A multipart file part as formidable describes it (``content`` stays in memory)."""

    name: str
    filename: Optional[str]
    mimetype: str
    content: bytes = field(repr=False)

    def describe(self, index: int) -> Dict[str, Any]:
        """The object Logto's ``uploadFileGuard`` looks at."""
        return {
            "filepath": f"/tmp/{index:032x}",
            "mimetype": self.mimetype,
            "originalFilename": self.filename,
            "size": len(self.content),
        }


@dataclass(frozen=True)
class ParsedBody:
    body: Any
    files: Optional[Dict[str, List[UploadedFile]]] = None


def _media_type(request: Request) -> str:
    return (request.header("Content-Type") or "").split(";", 1)[0].strip().lower()


def _inflate(request: Request, data: bytes, limit: int) -> bytes:
    """Undo ``Content-Encoding`` as the ``inflation`` package does, stopping past ``limit``."""
    encoding = (request.header("Content-Encoding") or "identity").lower()
    if encoding == "identity":
        return data
    if encoding not in ("gzip", "deflate"):
        raise BodyRefused(500, f"Unsupported Content-Encoding: {encoding}")
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | (16 if encoding == "gzip" else 0))
    try:
        output = decompressor.decompress(data, limit + 1)
        while encoding == "gzip" and decompressor.eof and decompressor.unused_data and len(output) <= limit:
            rest = decompressor.unused_data  # gzip allows several members, one after the other
            decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
            output += decompressor.decompress(rest, limit + 1 - len(output))
    except zlib.error as error:
        raise BodyRefused(500, str(error)) from error
    if len(output) > limit:
        raise BodyRefused(404, "request entity too large")
    if not decompressor.eof:
        raise BodyRefused(500, "unexpected end of file")
    return output


def _raw_text(request: Request, limit: int) -> str:
    assert request.body is not None
    if request.body_too_large or (
        len(request.body) > limit and (request.header("Content-Encoding") or "identity").lower() == "identity"
    ):
        raise BodyRefused(404, "request entity too large")
    data = _inflate(request, request.body, limit)
    text = data.decode("utf-8", "replace")
    return text[1:] if text.startswith("\ufeff") else text


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
        if not head or head == "__proto__":
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


_DISPOSITION_PARAM = re.compile(r';\s*([A-Za-z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))')


def _parse_multipart(request: Request) -> ParsedBody:
    """The fields and files of a ``multipart/form-data`` body; a malformed one is a 500, as
    formidable's errors are for Logto."""
    assert request.body is not None
    content_type = request.header("Content-Type") or ""
    match = re.search(r'boundary=(?:"([^"]+)"|([^;\s]+))', content_type, re.IGNORECASE)
    if match is None:
        raise BodyRefused(500, "bad content-type header, no multipart boundary")
    boundary = (match.group(1) or match.group(2)).encode("latin-1", "replace")
    data = request.body
    delimiter = b"--" + boundary
    if not data.startswith(delimiter) and b"\r\n" + delimiter not in data:
        raise BodyRefused(500, "MultipartParser.end(): stream ended unexpectedly")
    fields: Dict[str, Any] = {}
    files: Dict[str, List[UploadedFile]] = {}
    sections = (b"\r\n" + data).split(b"\r\n" + delimiter)
    if not sections[-1].startswith(b"--"):
        raise BodyRefused(500, "MultipartParser.end(): stream ended unexpectedly")
    for section in sections[1:-1]:
        head, separator, content = section.partition(b"\r\n\r\n")
        if not separator:
            raise BodyRefused(500, "MultipartParser.end(): stream ended unexpectedly")
        part_headers: Dict[str, str] = {}
        for line in head.split(b"\r\n")[1:]:
            name, colon, value = line.decode("utf-8", "replace").partition(":")
            if colon:
                part_headers[name.strip().lower()] = value.strip()
        params = {
            key.lower(): quoted if quoted is not None else bare
            for key, quoted, bare in _DISPOSITION_PARAM.findall(";" + part_headers.get("content-disposition", ""))
        }
        field_name = params.get("name", "")
        mimetype = part_headers.get("content-type")
        if not mimetype:  # formidable: a part without a Content-Type is a field
            fields[field_name] = content.decode("utf-8", "replace")
            continue
        if not content:
            raise BodyRefused(500, "options.minFileSize (1 bytes) inferior, received 0 bytes of file data")
        files.setdefault(field_name, []).append(UploadedFile(field_name, params.get("filename"), mimetype, content))
    return ParsedBody(fields, files)


def parse_body(request: Request, *, multipart: bool = False) -> ParsedBody:
    """What koa-body leaves in ``ctx.request.body`` (and ``files``) for a POST, PUT or PATCH.

    Raises:
        BodyRefused: the body is malformed, too large or encoded in an unknown way.
    """
    if request.method not in ("POST", "PUT", "PATCH") or request.body is None:
        return ParsedBody({})
    media_type = _media_type(request)
    if media_type in _JSON_TYPES:
        text = _raw_text(request, JSON_LIMIT)
        if not text:
            return ParsedBody({})
        if not _STRICT_JSON_START.match(text):
            raise BodyRefused(400, "invalid JSON, only supports object and array")
        try:
            return ParsedBody(parse_json(text, forbid_proto=True))
        except JsonSyntaxError as error:
            raise BodyRefused(400, str(error)) from error
    if media_type == "application/x-www-form-urlencoded":
        return ParsedBody(_parse_form(_raw_text(request, _TEXT_LIMIT)))
    if media_type.startswith("text/"):
        return ParsedBody(_raw_text(request, _TEXT_LIMIT))
    if multipart and media_type == "multipart/form-data":
        if request.body_too_large:
            raise BodyRefused(500, "maxFileSize exceeded")
        return _parse_multipart(request)
    return ParsedBody({})
