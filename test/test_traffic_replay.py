"""Every response recorded from a real Logto, replayed to the SDK.

A loopback server answers the SDK's call with one recorded response: the status line,
headers and body exactly as Logto sent them (only the hop-by-hop headers are dropped and
the length is recomputed). Each success must become the typed model with the recorded
values; each error must raise the class for its status with the status, the raw body,
Logto's code and the request id intact. Text bodies (405, unknown path) stay text.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any, Dict, Iterator, List, Optional, Tuple, Type

import pytest

import py_logto
from py_logto._operation import Operation
from py_logto.api.verifications_api import _OPERATIONS
from test import _contract as contract
from test._contract import SPEC
from test._server import BackgroundServer

RECORDS = contract.load_traffic()

#: Dropped when replaying: they describe the recorded connection, not the response.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "content-length", "transfer-encoding"})

#: The exception each status must raise: written out here, not read from the SDK.
EXPECTED_EXCEPTION: Dict[int, Type[py_logto.ApiException]] = {
    400: py_logto.BadRequestException,
    401: py_logto.UnauthorizedException,
    403: py_logto.ForbiddenException,
    404: py_logto.NotFoundException,
    405: py_logto.ApiException,
    422: py_logto.UnprocessableEntityException,
    429: py_logto.TooManyRequestsException,
    501: py_logto.ServiceException,
}

#: Recorded paths that are no operation's: the call a client would have made there.
STAND_INS = {"/api/verifications/unknown": "CreateVerificationByPassword"}

#: Bodies Logto accepted that the SDK refuses on purpose, and why.
REFUSED_ON_PURPOSE = {
    "password/extra-field": "request models refuse unknown top-level fields, so a typo cannot go unnoticed",
}


def wire_body(record: Dict[str, Any]) -> bytes:
    """The response body as Logto sent it: JSON re-serialized the way Logto writes it
    (compact, UTF-8), text as text, nothing for an empty body."""
    response = record["response"]
    kind = response["body_kind"]
    if kind == "json":
        return json.dumps(response["body"], separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if kind == "text":
        return str(response["body"]).encode("utf-8")
    assert kind == "empty", kind
    return b""


def recorded_header(record: Dict[str, Any], name: str) -> Optional[str]:
    for key, value in record["response"]["headers"]:
        if key.lower() == name.lower():
            return str(value)
    return None


def operation_for(record: Dict[str, Any]) -> Operation[Any]:
    """The SDK operation for the recorded endpoint (a trailing slash or another method
    still names the same operation; an unknown path gets its stand-in)."""
    path = record["request"]["path"].rstrip("/")
    for op in _OPERATIONS.values():
        if op.path == path:
            return op
    return _OPERATIONS[STAND_INS[path]]


def request_for(op: Operation[Any], record: Dict[str, Any]) -> Tuple[Any, bool]:
    """The body to send: the recorded one when the SDK accepts it, else the spec's example
    (what matters is how the SDK handles the recorded response). Also says which."""
    if op.request_type is None:
        return None, True
    body = record["request"]["body_json"]
    if isinstance(body, dict):
        try:
            return op.request_type.from_dict(body), True
        except py_logto.ApiValueError:
            pass
    return op.request_type.from_dict(contract.operations(SPEC)[op.operation_id].request_example), False


class ReplayServer(BackgroundServer):
    """A real HTTP/1.1 server on 127.0.0.1 that answers every request with the response
    set by :meth:`serve`, byte for byte, and records what it received."""

    def __init__(self) -> None:
        self.requests: List[Tuple[str, str, Dict[str, str], bytes]] = []
        self._reply: Tuple[int, str, List[Tuple[str, str]], bytes] = (500, "Not Set", [], b"")
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in one write, with no Nagle delay waiting for an ACK.
            wbufsize = -1
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def _replay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with outer._lock:
                    outer.requests.append((self.command, self.path, dict(self.headers.items()), body))
                    status, reason, headers, payload = outer._reply
                self.send_response_only(status, reason)
                for name, value in headers:
                    self.send_header(name, value)
                if status not in (204, 304):
                    self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_GET = do_OPTIONS = _replay

        super().__init__(Handler)

    def serve(self, record: Dict[str, Any]) -> bytes:
        """Answer the next requests with ``record``'s response; return the body bytes."""
        response = record["response"]
        reason = response["status_line"].split(" ", 2)[2]
        headers = [(k, v) for k, v in response["headers"] if k.lower() not in HOP_BY_HOP]
        payload = wire_body(record)
        with self._lock:
            self.requests.clear()
            self._reply = (response["status"], reason, headers, payload)
        return payload


@pytest.fixture(scope="module")
def replay() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        yield server


@pytest.fixture(scope="module")
def api(replay: ReplayServer) -> Iterator[py_logto.VerificationsApi]:
    with contract.api_at(replay.url) as client:
        yield client


def _call(api: py_logto.VerificationsApi, op: Operation[Any], body: Any) -> Any:
    method = getattr(api, contract.snake_case(op.operation_id) + "_with_http_info")
    return method() if body is None else method(body)


@pytest.mark.parametrize("record", RECORDS, ids=[f"{r['seq']:03d}-{r['case']}" for r in RECORDS])
def test_the_sdk_handles_the_recorded_response(
    record: Dict[str, Any], replay: ReplayServer, api: py_logto.VerificationsApi
) -> None:
    op = operation_for(record)
    body, _ = request_for(op, record)
    payload = replay.serve(record)
    recorded = record["response"]
    status = recorded["status"]
    if recorded_header(record, "Content-Length") is not None:
        assert str(len(payload)) == recorded_header(record, "Content-Length"), "not the bytes Logto sent"
    request_id = recorded_header(record, "Logto-Core-Request-Id")

    if 200 <= status <= 299 and recorded["body_kind"] == "json":
        result = _call(api, op, body)
        assert result.status_code == status
        assert isinstance(result.data, op.response_type)
        assert result.data.to_dict() == recorded["body"]
        assert result.raw_data == payload
        assert result.request_id == request_id
    elif 200 <= status <= 299:
        # The CORS preflight's 204 has no body: not a model, and said so rather than guessed.
        with pytest.raises(py_logto.ApiResponseValidationError) as caught:
            _call(api, op, body)
        assert caught.value.status == status
        assert caught.value.raw_body == payload
        assert caught.value.request_id == request_id
    else:
        with pytest.raises(py_logto.ApiException) as raised:
            _call(api, op, body)
        error = raised.value
        assert type(error) is EXPECTED_EXCEPTION[status]
        assert error.status == status
        assert error.reason == recorded["status_line"].split(" ", 2)[2]
        assert error.raw_body == payload
        assert error.request_id == request_id
        content = recorded["body"]
        if isinstance(content, dict) and "code" in content:
            assert error.data is not None
            assert error.data.code == content["code"]
            assert error.code == content["code"]
            assert error.data.to_dict() == content
            assert error.message == content["message"]
        elif isinstance(content, dict):
            assert error.data is None
            assert error.message == content["message"]
        else:
            assert error.data is None
            assert error.message == content
            assert error.headers["Content-Type"] == recorded_header(record, "Content-Type")
        assert request_id is not None
        assert request_id in str(error)

    (method, path, headers, sent) = replay.requests[-1]
    assert (method, path) == (op.method, op.path)
    assert headers["Authorization"] == f"Bearer {contract.ACCESS_TOKEN}"
    if body is not None:
        assert json.loads(sent) == body.to_dict()


def test_every_operation_is_replayed() -> None:
    replayed = {operation_for(record).operation_id for record in RECORDS}
    assert replayed == set(contract.operations(SPEC))


def test_the_replay_covers_what_the_traffic_holds() -> None:
    assert len(RECORDS) == 238
    kinds = {(r["response"]["status"], r["response"]["body_kind"]) for r in RECORDS}
    assert {(201, "json"), (200, "json"), (204, "empty"), (405, "text"), (404, "text")} <= kinds
    assert {r["response"]["status"] for r in RECORDS} == {200, 201, 204, 400, 401, 403, 404, 405, 422, 429, 501}


def _json_requests() -> List[Dict[str, Any]]:
    found = []
    for record in RECORDS:
        request = record["request"]
        content_type = next((v for k, v in request["headers"] if k.lower() == "content-type"), "")
        if (
            request["path"].rstrip("/") not in STAND_INS
            and request["method"] == "POST"
            and content_type.startswith("application/json")
            and request["body_json"] is not None
            and operation_for(record).request_type is not None
        ):
            found.append(record)
    return found


@pytest.mark.parametrize("record", _json_requests(), ids=[f"{r['seq']:03d}-{r['case']}" for r in _json_requests()])
def test_the_sdk_refuses_what_logto_refused_and_accepts_what_it_accepted(record: Dict[str, Any]) -> None:
    """Logto as the judge of request bodies: a body its guard refused
    (``guard.invalid_input``) is refused by the SDK before sending, and a body it
    accepted is accepted (with the one difference made on purpose)."""
    op = operation_for(record)
    assert op.request_type is not None
    body = record["request"]["body_json"]
    response = record["response"]["body"]
    refused_by_logto = isinstance(response, dict) and response.get("code") == "guard.invalid_input"
    if refused_by_logto or record["case"] in REFUSED_ON_PURPOSE:
        with pytest.raises((py_logto.ApiValueError, py_logto.ApiTypeError)):
            op.request_type.from_dict(body)
    else:
        model = op.request_type.from_dict(body)
        assert model.to_dict() == body
