"""The engine owns the framing: framing and hop-by-hop headers, names that are not
RFC 9110 tokens and values with CR, LF, NUL or other control characters are refused
with an ``ApiValueError`` naming the header, before anything is sent, wherever the
header came from: ``_headers``, default headers (however set), the ``header_name``
pair, ``cookie``, ``user_agent``, the token, ``_request_auth`` or ``_content_type``."""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

import py_logto
from py_logto.models import CreateVerificationByPasswordRequest
from test._faulty_server import FaultyServer
from test._reliability import PASSWORD, RECORD_PATH, TOKEN, api_for, password_request

FRAMING = [
    "Content-Length",
    "content-length",
    "CONTENT-LENGTH",
    "Transfer-Encoding",
    "Host",
    "Connection",
    "Keep-Alive",
    "TE",
    "Trailer",
    "Upgrade",
    "Proxy-Connection",
    "Proxy-Authorization",
    "Expect",
]

BAD_NAMES = ["X Bad", "X-Bad:", "X-Bad\r\nContent-Length", "", "X-Bäd", "X-Bad\x00", "(X)", "X-Bad\t"]

#: value -> what the message says
BAD_VALUES = {
    "a\r\nContent-Length: 0": "a line break",
    "a\nb": "a line break",
    "a\rb": "a line break",
    "a\x00b": "a control character",
    "a\x1bb": "a control character",
    "a\x7fb": "a control character",
    "snow \u2603": "characters that cannot be sent",
}


def _refused(faulty: FaultyServer, call: Callable[[], Any], *words: str) -> py_logto.ApiValueError:
    """``call()`` raises an ``ApiValueError`` (never a connection error) whose message
    holds ``words``, and nothing reached the server."""
    with pytest.raises(py_logto.OpenApiException) as info:
        call()
    error = info.value
    assert type(error) is py_logto.ApiValueError, f"{type(error).__name__}: {error}"
    for word in words:
        assert word in str(error)
    assert TOKEN not in str(error)
    assert (faulty.opened, faulty.requests) == (0, [])
    return error


@pytest.fixture
def api(faulty: FaultyServer) -> Iterator[py_logto.VerificationsApi]:
    api = api_for(faulty.url)
    yield api
    api.api_client.close()


# -- framing and hop-by-hop headers ---------------------------------------------------


@pytest.mark.parametrize("name", FRAMING)
def test_framing_headers_in_headers_are_refused_before_sending(
    faulty: FaultyServer, api: py_logto.VerificationsApi, name: str
) -> None:
    _refused(faulty, lambda: api.create_verification_by_password(password_request(), _headers={name: "0"}), name)


@pytest.mark.parametrize("name", FRAMING)
@pytest.mark.parametrize(
    "how",
    ["set_default_header", "default_headers[]", "default_headers =", "default_headers.update", "header_name"],
)
def test_framing_headers_as_default_headers_are_refused_when_set(faulty: FaultyServer, name: str, how: str) -> None:
    api = api_for(faulty.url)
    client = api.api_client
    setters: Dict[str, Callable[[], Any]] = {
        "set_default_header": lambda: client.set_default_header(name, "0"),
        "default_headers[]": lambda: client.default_headers.__setitem__(name, "0"),
        "default_headers =": lambda: setattr(client, "default_headers", {"X-Fine": "1", name: "0"}),
        "default_headers.update": lambda: client.default_headers.update({name: "0"}),
        "header_name": lambda: py_logto.ApiClient(client.configuration, header_name=name, header_value="0"),
    }
    _refused(faulty, setters[how], name)
    assert not any(key.lower() == name.lower() for key in client.default_headers)
    api.create_verification_by_password(password_request())  # the client still works, without it
    client.close()
    assert name.lower() not in faulty.requests[0].headers or name.lower() in ("host", "content-length")
    assert faulty.requests[0].headers["content-length"] == str(len(faulty.requests[0].body))


# -- names and values ----------------------------------------------------------------


@pytest.mark.parametrize("name", BAD_NAMES, ids=repr)
def test_header_names_must_be_tokens(faulty: FaultyServer, api: py_logto.VerificationsApi, name: str) -> None:
    error = _refused(faulty, lambda: api.create_verification_by_password(password_request(), _headers={name: "1"}))
    assert "is not a valid header name" in str(error)
    assert "\n" not in str(error)
    assert "\r" not in str(error)
    _refused(faulty, lambda: api.api_client.set_default_header(name, "1"), "is not a valid header name")


@pytest.mark.parametrize(("value", "problem"), BAD_VALUES.items(), ids=repr)
def test_header_values_are_checked_wherever_they_come_from(faulty: FaultyServer, value: str, problem: str) -> None:
    api = api_for(faulty.url)
    client = api.api_client
    request = password_request()
    sources: List[Tuple[str, Callable[[], Any]]] = [
        ("X-Custom", lambda: api.create_verification_by_password(request, _headers={"X-Custom": value})),
        ("X-Custom", lambda: client.set_default_header("X-Custom", value)),
        ("X-Custom", lambda: client.default_headers.__setitem__("X-Custom", value)),
        ("X-Custom", lambda: py_logto.ApiClient(client.configuration, header_name="X-Custom", header_value=value)),
        ("Cookie", lambda: py_logto.ApiClient(client.configuration, cookie=value)),
        ("User-Agent", lambda: setattr(client, "user_agent", value)),
        ("_request_auth", lambda: api.create_verification_by_password(request, _request_auth=value)),
        ("_request_auth", lambda: api.create_verification_by_password(request, _request_auth={"value": value})),
        (
            "Content-Type",
            lambda: api.create_verification_by_password(request, _content_type="application/json;" + value),
        ),
    ]
    for header, call in sources:
        _refused(faulty, call, header, problem)
    client.configuration.access_token = "tok-" + value
    error = _refused(faulty, lambda: api.create_verification_by_password(request), "access_token", problem)
    assert "Authorization" in str(error)
    client.close()


def test_a_tab_and_latin_1_are_fine_in_values(faulty: FaultyServer, api: py_logto.VerificationsApi) -> None:
    api.create_verification_by_password(password_request(), _headers={"X-Custom": "a\tb caf\u00e9"})
    assert faulty.requests[0].headers["x-custom"] == "a\tb caf\u00e9"


def test_a_header_given_twice_in_headers_is_refused(faulty: FaultyServer, api: py_logto.VerificationsApi) -> None:
    call = lambda: api.create_verification_by_password(  # noqa: E731
        password_request(), _headers={"X-Trace": "1", "x-trace": "2"}
    )
    _refused(faulty, call, "X-Trace", "twice")


def test_headers_that_are_not_strings_are_type_errors(faulty: FaultyServer, api: py_logto.VerificationsApi) -> None:
    with pytest.raises(py_logto.ApiTypeError, match="_headers must be a mapping"):
        api.create_verification_by_password(password_request(), _headers=[("X-A", "1")])  # type: ignore[arg-type]
    with pytest.raises(py_logto.ApiTypeError, match="header names must be strings"):
        api.create_verification_by_password(password_request(), _headers={1: "x"})  # type: ignore[dict-item]
    assert faulty.opened == 0


# -- what reaches the wire -----------------------------------------------------------


class RawCapture:
    """A raw-socket server on 127.0.0.1 that keeps the exact bytes of every request
    (so duplicate or smuggled headers are visible) and answers each with a 201."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.requests: List[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> RawCapture:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(5)

    def _serve(self) -> None:
        body = b'{"verificationRecordId": "v1", "expiresAt": "2026-11-25T11:44:51.555Z"}'
        reply = b"HTTP/1.1 201 Created\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self._listener.accept()
                with conn, conn.makefile("rb") as reader:
                    while True:
                        head = b""
                        while not head.endswith(b"\r\n\r\n"):
                            line = reader.readline()
                            if not line:
                                break
                            head += line
                        if not head:
                            break
                        length = 0
                        for line in head.split(b"\r\n"):
                            if line.lower().startswith(b"content-length:"):
                                length = int(line.split(b":", 1)[1])
                        self.requests.append(head + reader.read(length))
                        conn.sendall(reply)

    def header_lines(self, index: int, name: str) -> List[str]:
        head = self.requests[index].split(b"\r\n\r\n", 1)[0].decode("latin-1")
        return [line for line in head.split("\r\n")[1:] if line.lower().startswith(name.lower() + ":")]


def test_a_smuggled_content_length_never_reaches_the_server_as_a_second_request() -> None:
    with RawCapture() as server:
        api = api_for(server.url)
        request = CreateVerificationByPasswordRequest(password=PASSWORD)
        for name in ("Content-Length", "content-length", "Transfer-Encoding"):
            with pytest.raises(py_logto.ApiValueError, match=name):
                api.create_verification_by_password(request, _headers={name: "2"})
        api.create_verification_by_password(request)  # the same connection pool, a clean request
        api.api_client.close()
    assert len(server.requests) == 1
    sent = server.requests[0]
    assert sent.startswith(f"POST {RECORD_PATH} HTTP/1.1\r\n".encode())
    assert server.header_lines(0, "Content-Length") == [f"Content-Length: {len(request.to_json())}"]
    assert sent.endswith(b"\r\n\r\n" + request.to_json().encode())


def test_one_header_per_name_whatever_the_case() -> None:
    with RawCapture() as server:
        api = api_for(server.url)
        api.api_client.set_default_header("accept", "application/json")
        api.api_client.set_default_header("x-tenant", "a")
        api.api_client.set_default_header("X-Tenant", "b")
        api.create_verification_by_password(
            password_request(), _headers={"authorization": "Bearer per-call", "content-type": "application/json"}
        )
        api.api_client.close()
    assert server.header_lines(0, "Authorization") == ["authorization: Bearer per-call"]
    assert server.header_lines(0, "Content-Type") == ["content-type: application/json"]
    assert server.header_lines(0, "Accept") == ["Accept: application/json"]
    assert server.header_lines(0, "X-Tenant") == ["X-Tenant: b"]


def test_valid_custom_headers_reach_the_wire(faulty: FaultyServer, api: py_logto.VerificationsApi) -> None:
    api.api_client.set_default_header("X-Default", "d")
    api.api_client.default_headers.update({"X-Updated": "u"})
    api.api_client.default_headers.setdefault("X-Set", "s")
    api.create_verification_by_password(password_request(), _headers={"Origin": "https://app.example.com"})
    headers = faulty.requests[0].headers
    assert (headers["x-default"], headers["x-updated"], headers["x-set"]) == ("d", "u", "s")
    assert headers["origin"] == "https://app.example.com"
    assert headers["authorization"] == f"Bearer {TOKEN}"


def test_default_headers_stay_a_dict_that_copies_and_pickles() -> None:
    import copy
    import pickle

    client = py_logto.ApiClient(py_logto.Configuration(host="http://127.0.0.1:9"), header_name="X-A", header_value="1")
    assert isinstance(client.default_headers, dict)
    assert client.default_headers["X-A"] == "1"
    for clone in (copy.copy(client.default_headers), pickle.loads(pickle.dumps(client.default_headers))):
        assert dict(clone) == dict(client.default_headers)
        with pytest.raises(py_logto.ApiValueError, match="Host"):
            clone["Host"] = "evil.example"
    assert type(client.default_headers.copy()) is dict
    with pytest.raises(py_logto.ApiValueError, match="Connection"):
        client.default_headers |= {"Connection": "close"}


def test_a_converter_runs_before_the_checks() -> None:
    from py_logto import _headers

    assert _headers.checked_extra({"X-Count": 5}, convert=lambda name, value: str(value)) == {"X-Count": "5"}
    with pytest.raises(py_logto.ApiValueError, match="X-Note"):
        _headers.checked_extra({"X-Note": 1}, convert=lambda name, value: f"{value}\r\nHost: evil")


def test_a_source_may_be_allowed_one_engine_owned_name() -> None:
    from py_logto import _headers

    proxy = frozenset({"proxy-authorization"})
    assert _headers.check_name("Proxy-Authorization", "proxy_headers", proxy) == "Proxy-Authorization"
    with pytest.raises(py_logto.ApiValueError, match="Content-Length"):
        _headers.check_name("Content-Length", "proxy_headers", proxy)


def test_proxy_headers_are_checked_when_set() -> None:
    configuration = py_logto.Configuration()
    configuration.proxy_headers = {"Proxy-Authorization": "Basic dXNlcjpwYXNz", "X-Proxy-Tenant": "a"}
    for bad in ({"Content-Length": "5"}, {"X-Evil": "a\r\nHost: other"}, {"Bad Name": "x"}):
        with pytest.raises(py_logto.ApiValueError, match="proxy_headers"):
            configuration.proxy_headers = bad
    assert configuration.proxy_headers == {"Proxy-Authorization": "Basic dXNlcjpwYXNz", "X-Proxy-Tenant": "a"}
