"""The rules every request header passes, wherever it comes from.

The engine owns the framing of a request: a caller who could set
``Content-Length`` or ``Transfer-Encoding`` could make the server read the rest of
the body (the password included) as a second request, and ``Host``,
``Connection`` and the other hop-by-hop headers decide where the request goes and
what becomes of the connection. So these are refused, as are names that are not
RFC 9110 tokens and values holding CR, LF, NUL or another control character —
each with an :class:`~py_logto.exceptions.ApiValueError` naming the header,
before anything is sent.

Default headers are checked when they are set (:class:`DefaultHeaders`), so a
call only copies them; per-call ``_headers`` are checked on each call that has
some.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, FrozenSet, Iterable, Mapping, Optional, Tuple

from py_logto.exceptions import ApiTypeError, ApiValueError

__all__ = ["DefaultHeaders", "check_name", "check_value", "checked_extra", "merge", "value_of"]

#: Headers the engine (or urllib3 under it) writes itself, lower-cased. They frame the
#: message or govern the connection and the hops between client and server.
_ENGINE_OWNED = frozenset(
    {
        "content-length",
        "transfer-encoding",
        "trailer",
        "te",
        "host",
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authorization",
        "upgrade",
        "http2-settings",
        "expect",
    }
)

#: RFC 9110 §5.6.2: a field name is a token.
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"

#: Control characters other than horizontal tab (RFC 9110 §5.5: a field value is
#: visible characters, spaces and tabs).
_CONTROL = "[\x00-\x08\x0a-\x1f\x7f]"

# The patterns are compiled (by ``re``, once) only for the names and values the
# quick checks below cannot clear: compiling them costs more at start-up than a
# program spends checking its usual headers.

#: Names the engine writes in this spelling; default headers given in another case
#: replace them instead of going out twice.
_CANONICAL = {name.lower(): name for name in ("Accept", "Authorization", "Content-Type", "User-Agent", "Cookie")}


def _shown_name(name: str) -> str:
    return repr(name) if len(name) <= 60 else repr(name[:59] + "…")


def check_name(name: Any, source: str, allowed: FrozenSet[str] = frozenset()) -> str:
    """``name`` if it may be sent as a header name by ``source`` (e.g. ``"_headers"``).

    ``allowed`` lists lower-cased engine-owned names that ``source`` may set all the same
    (``proxy-authorization`` for the headers sent to a proxy)."""
    if not isinstance(name, str):
        raise ApiTypeError(f"{source}: header names must be strings, not {type(name).__name__}")
    # Letters, digits and dashes (nearly every name) are token characters.
    if not (name.isascii() and name.replace("-", "").isalnum()) and not re.fullmatch(_TOKEN, name):
        raise ApiValueError(
            f"{source}: {_shown_name(name)} is not a valid header name "
            "(letters, digits and !#$%&'*+-.^_`|~ only, no spaces, colons or line breaks)"
        )
    if name.lower() in _ENGINE_OWNED and name.lower() not in allowed:
        raise ApiValueError(
            f"{source} may not set the {name} header: py_logto frames every request and manages "
            "its connections itself"
            + (" (set Configuration.proxy_headers for the proxy)" if name.lower() == "proxy-authorization" else "")
        )
    return name


def check_value(value: Any, header: str, source: str) -> str:
    """``value`` if it may be sent as the ``header`` header, which ``source`` (e.g.
    ``"access_token"``) gave; the message names both, never the value."""
    if not isinstance(value, str):
        raise ApiTypeError(f"{source}: the value of the {header} header must be a string, not {type(value).__name__}")
    # Printable ASCII (nearly every value) holds no control character.
    bad = None if value.isascii() and value.isprintable() else re.search(_CONTROL, value)
    if bad is not None:
        what = "a line break" if bad.group() in "\r\n" else "a control character"
        raise ApiValueError(f"{source} contains {what}, which cannot be sent in the {header} header")
    if not value.isascii():
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise ApiValueError(
                f"{source} contains characters that cannot be sent in the {header} header (only Latin-1)"
            ) from None
    return value


def checked_extra(
    extra: Any, source: str = "_headers", convert: Optional[Callable[[str, Any], str]] = None
) -> Dict[str, str]:
    """The per-call headers ``extra`` as a dict, every name and value checked; values
    are first passed through ``convert(name, value)`` when given (e.g. numbers to text)."""
    if not isinstance(extra, Mapping):
        raise ApiTypeError(f"{source} must be a mapping of header names to values, not {type(extra).__name__}")
    checked: Dict[str, str] = {}
    seen: Dict[str, str] = {}
    for name, value in extra.items():
        check_name(name, source)
        lowered = name.lower()
        if lowered in seen:
            raise ApiValueError(f"{source} gives the {name} header twice ({seen[lowered]!r} and {name!r})")
        seen[lowered] = name
        text = convert(name, value) if convert is not None else value
        checked[name] = check_value(text, name, f"{source}[{name!r}]")
    return checked


def merge(headers: Dict[str, str], extra: Mapping[str, str]) -> None:
    """Add ``extra`` to ``headers``, each replacing a header of the same name in any
    case (two spellings of one name would go out as two headers)."""
    spelled = {name.lower(): name for name in headers}
    for name, value in extra.items():
        existing = spelled.get(name.lower())
        if existing is not None and existing != name:
            del headers[existing]
        headers[name] = value


def value_of(headers: Mapping[str, str], name: str) -> Optional[str]:
    """The value of the ``name`` header in ``headers``, whatever the case of its name."""
    lowered = name.lower()
    return next((value for key, value in headers.items() if key.lower() == lowered), None)


class DefaultHeaders(Dict[str, str]):
    """The headers a client sends with every request: a dict that checks each name
    and value as it is set, so that sending only copies it.

    A name set in another case replaces the existing header (``"accept"`` replaces
    ``"Accept"``); the names the engine writes keep their usual spelling.
    """

    def __init__(self, headers: Optional[Mapping[str, str]] = None, source: str = "default_headers") -> None:
        super().__init__()
        self._source = source
        if headers:
            self.update(headers)

    def __setitem__(self, name: str, value: str) -> None:
        check_name(name, self._source)
        lowered = name.lower()
        name = _CANONICAL.get(lowered, name)
        check_value(value, name, f"{self._source}[{name!r}]")
        for existing in [key for key in self if key.lower() == lowered and key != name]:
            super().__delitem__(existing)
        super().__setitem__(name, value)

    def update(self, *args: Any, **kwargs: str) -> None:
        for name, value in _items(*args, **kwargs):
            self[name] = value

    def setdefault(self, name: str, default: Optional[str] = None) -> str:
        if name not in self:
            self[name] = default  # type: ignore[assignment]  # checked (and refused) like any value
        return self[name]

    def __ior__(self, other: Any) -> DefaultHeaders:  # type: ignore[override,misc]
        self.update(other)
        return self

    def copy(self) -> Dict[str, str]:
        """A plain dict of the headers."""
        return dict(self)

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (dict(self), self._source))


def _items(*args: Any, **kwargs: str) -> Iterable[Tuple[Any, Any]]:
    if len(args) > 1:
        raise TypeError(f"update expected at most 1 argument, got {len(args)}")
    if args:
        other = args[0]
        yield from other.items() if isinstance(other, Mapping) else other
    yield from kwargs.items()
