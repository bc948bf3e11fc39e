"""Every response recorded from a real Logto, replayed to the SDK: the Verifications
traffic (``traffic.jsonl``) and the Account traffic (``account-traffic.jsonl``).

Each recorded request becomes the SDK call a user would make for it: the operation with
that method and path, its path parameters read from the path, its query parameters, its
``logto-verification-id`` header, its JSON body or its uploaded file. A loopback server
answers with the recorded response: the status line, headers and body exactly as Logto
sent them (only the hop-by-hop headers are dropped and the length is recomputed). Each
success must become the typed result with the recorded values (a model, a list, ``"OK"``,
``None`` for a 204 or a 304); each error must raise the class for its status with the
status, the raw body, Logto's code and the request id intact. Text bodies (405, unknown
path) stay text.

And Logto as the judge of requests: every request its guard refused
(``guard.invalid_input``, ``entity.invalid_input``, ``guard.mime_type_not_allowed``) is
refused by the SDK before anything is sent, but for those it cannot know (``CANNOT_KNOW``,
with why); and every request it accepted is sent by the SDK as recorded, but for the
differences made on purpose (``REFUSED_ON_PURPOSE``).

Recorded passwords are ``<redacted>``: that text is itself a valid password for the
contract, so the calls send it as it stands.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any, Dict, Iterator, List, Optional, Tuple, Type
from urllib.parse import parse_qsl, quote, unquote, urlencode

import pytest

import py_logto
from py_logto._operation import Operation
from test import _contract as contract
from test._contract import ACCOUNT, CONTRACTS, VERIFICATIONS, Contract
from test._server import BackgroundServer

Record = Dict[str, Any]

#: (contract, record) for every recorded pair of both files, in recording order.
RECORDS: List[Tuple[Contract, Record]] = [(c, r) for c in CONTRACTS for r in c.load_traffic()]
IDS = [f"{c.key}-{r['seq']:03d}-{r['case']}" for c, r in RECORDS]

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
STAND_INS = {
    "/api/verifications/unknown": "CreateVerificationByPassword",
    "/api/my-account/unknown": "GetProfile",
}

#: Requests Logto accepted that the SDK refuses on purpose, and why.
_UNKNOWN_FIELDS = "request models refuse unknown fields (Logto drops them), so a typo cannot go unnoticed"
REFUSED_ON_PURPOSE = {
    "password/extra-field": _UNKNOWN_FIELDS,
    "update-other-profile/unknown-field": _UNKNOWN_FIELDS,
    "update-logto-config/unknown-key": _UNKNOWN_FIELDS,
}

#: Requests Logto's guard refused that the SDK cannot know to refuse, and why. (A malformed
#: JSON body, also refused, is no call the SDK can make: it serializes every body itself.)
_MIME = (
    "the SDK sends the content type it is given (or reads from the file name or the first bytes); which "
    "types Logto's storage allows is prose in the contract, not something it can check"
)
CANNOT_KNOW: Dict[str, str] = {
    "upload-avatar/not-an-image": _MIME + " (five bytes of text named hello.png)",
    "upload-avatar/svg": _MIME + " (image/svg+xml)",
}

#: Logto's codes for a request its guard refused.
GUARD_CODES = frozenset({"guard.invalid_input", "entity.invalid_input", "guard.mime_type_not_allowed"})

#: Stand-ins for values the SDK refused, so the recorded response can still be replayed.
STAND_IN_RECORD_ID = "stand-in-verification-record"
STAND_IN_FILE = ("avatar.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "image/png")


def wire_body(record: Record) -> bytes:
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


def recorded_header(headers: List[List[str]], name: str) -> Optional[str]:
    for key, value in headers:
        if key.lower() == name.lower():
            return str(value)
    return None


def _template(path: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path)))


def operation_for(api_contract: Contract, record: Record) -> Tuple[Operation[Any], bool]:
    """The SDK operation for the recorded request, and whether the request is that
    operation's (same method and path). Otherwise the path names the operation (another
    method, a trailing slash), or its stand-in does."""
    method = record["request"]["method"]
    path = record["request"]["path"].split("?", 1)[0]
    candidates = [op for c in CONTRACTS for op in c.table.values() if _template(op.path).fullmatch(path)]
    for op in candidates:
        if op.method == method:
            return op, True
    trimmed = path.rstrip("/")
    for op in [op for c in CONTRACTS for op in c.table.values() if _template(op.path).fullmatch(trimmed)]:
        if op.method == method or not candidates:
            return op, False
    if candidates:
        return candidates[0], False
    return api_contract.table[STAND_INS[path]], False


def _api_contract(op: Operation[Any]) -> Contract:
    return next(c for c in CONTRACTS if op.operation_id in c.table)


def _recorded_file(request: Record) -> Optional[Tuple[str, bytes, str]]:
    """The ``file`` part of a recorded multipart body (its content is recorded as ``<binary N bytes>``)."""
    content_type = recorded_header(request["headers"], "Content-Type") or ""
    if not content_type.startswith("multipart/form-data"):
        return None
    part = re.search(
        r'Content-Disposition: form-data; name="file"; filename="([^"]*)"\r?\nContent-Type: ([^\r\n]+)\r?\n\r?\n'
        r"<binary (\d+) bytes>",
        request["body"],
    )
    if part is None:
        return None
    return part.group(1), b"\x00" * int(part.group(3)), part.group(2)


def recorded_json_body(request: Record) -> Any:
    """The recorded body as the SDK sends it: JSON as recorded; a form body's fields as JSON
    (the SDK sends JSON only); nothing for no body."""
    content_type = recorded_header(request["headers"], "Content-Type") or ""
    if not request["body"]:
        return None
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(request["body"], keep_blank_values=True))
    return request["body_json"] if content_type.startswith("application/json") else None


def recorded_arguments(op: Operation[Any], record: Record) -> Dict[str, Any]:
    """The method's arguments for the recorded request, exactly as recorded."""
    request = record["request"]
    path, _, query = request["path"].partition("?")
    found = _template(op.path).fullmatch(path.rstrip("/") if path.rstrip("/") else path)
    path_values = {k: unquote(v) for k, v in found.groupdict().items()} if found else {}
    query_values = dict(parse_qsl(query, keep_blank_values=True))
    arguments: Dict[str, Any] = {}
    for param in op.params:
        if param.location == "path":
            arguments[param.name] = path_values.get(param.wire)
        elif param.location == "query":
            arguments[param.name] = query_values.get(param.wire)
        elif param.location == "header":
            arguments[param.name] = recorded_header(request["headers"], param.wire)
        elif param.location == "body":
            arguments[param.name] = recorded_json_body(request)
        else:
            arguments[param.name] = _recorded_file(request)
    return arguments


def stand_in_arguments(op: Operation[Any], arguments: Dict[str, Any]) -> Dict[str, Any]:
    """``arguments`` with every value the SDK refuses replaced by a valid one, so that the
    recorded response can still be replayed (what matters then is the response)."""
    spec_op = contract.operations(_api_contract(op).spec)[op.operation_id]
    fixed = dict(arguments)
    for param in op.params:
        value = arguments[param.name]
        if param.location == "body":
            fixed[param.name] = spec_op.request_example
        elif param.location == "file":
            fixed[param.name] = value or STAND_IN_FILE
        elif param.location == "query" and param.choices is not None and value not in param.choices:
            fixed[param.name] = None
        elif param.location in ("path", "header") and not value and (param.required or value is not None):
            fixed[param.name] = STAND_IN_RECORD_ID
    return fixed


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

            do_POST = do_GET = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _replay

        super().__init__(Handler)

    def serve(self, record: Record) -> bytes:
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
def apis(replay: ReplayServer) -> Iterator[Dict[str, Any]]:
    with contract.api_at(replay.url, py_logto.VerificationsApi) as verifications:
        account = py_logto.MyAccountApi(verifications.api_client)
        yield {VERIFICATIONS.key: verifications, ACCOUNT.key: account}


def _call(apis: Dict[str, Any], op: Operation[Any], arguments: Dict[str, Any]) -> Any:
    api = apis[_api_contract(op).key]
    return getattr(api, contract.snake_case(op.operation_id) + "_with_http_info")(**arguments)


def _send(apis: Dict[str, Any], replay: ReplayServer, op: Operation[Any], record: Record) -> Tuple[Any, bool]:
    """Call with the recorded arguments; if the SDK refuses them (nothing sent), with
    stand-ins. Returns the result or the raised error, and whether the recorded arguments
    were sent."""
    arguments = recorded_arguments(op, record)
    for exact in (True, False):
        try:
            return _call(apis, op, arguments), exact
        except (py_logto.ApiValueError, py_logto.ApiTypeError):
            assert replay.requests == [], "the SDK refused a request after sending it"
            arguments = stand_in_arguments(op, arguments)
        except py_logto.OpenApiException as err:
            return err, exact
    raise AssertionError("the SDK refused the stand-in arguments too")


def _check_result(op: Operation[Any], record: Record, result: Any, payload: bytes) -> None:
    recorded = record["response"]
    status = recorded["status"]
    assert isinstance(result, py_logto.ApiResponse), result
    assert result.status_code == status
    assert result.raw_data == payload
    assert result.request_id == recorded_header(recorded["headers"], "Logto-Core-Request-Id")
    if status == 304 or op.response == "empty":
        assert result.data is None
    elif op.response == "text":
        assert result.data == recorded["body"]
    elif op.response == "list":
        assert [item.to_dict() for item in result.data] == recorded["body"]
        assert all(isinstance(item, op.response_type) for item in result.data)
    else:
        assert isinstance(result.data, op.response_type)
        assert result.data.to_dict() == recorded["body"]


def _check_error(record: Record, error: Any, payload: bytes) -> None:
    recorded = record["response"]
    status = recorded["status"]
    request_id = recorded_header(recorded["headers"], "Logto-Core-Request-Id")
    assert isinstance(error, py_logto.ApiException), error
    assert type(error) is EXPECTED_EXCEPTION[status]
    assert error.status == status
    assert error.reason == recorded["status_line"].split(" ", 2)[2]
    assert error.body in (payload, payload.decode("utf-8"))
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
        assert error.headers["Content-Type"] == recorded_header(recorded["headers"], "Content-Type")
    assert request_id is not None
    assert request_id in str(error)


def _check_sent(op: Operation[Any], record: Record, sent: Tuple[str, str, Dict[str, str], bytes]) -> None:
    """What the SDK sent for the recorded request is what was recorded."""
    method, path, headers, body = sent
    request = record["request"]
    # A query parameter that is no operation's (``?page=1``, which Logto ignores) cannot be sent.
    recorded_path, _, query = request["path"].partition("?")
    known = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if any(p.wire == k for p in op.params)]
    expected = recorded_path + ("?" + urlencode(known, quote_via=quote) if known else "")
    assert (method, path) == (request["method"], expected)
    for name in ("logto-verification-id",):
        assert recorded_header(list(headers.items()), name) == recorded_header(request["headers"], name)
    if op.body == "json":
        assert json.loads(body) == recorded_json_body(request)
    elif op.body == "multipart":
        filename, data, content_type = _recorded_file(request) or ("", b"", "")
        assert f'; filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode() + data in body
    else:
        assert body == b""


@pytest.mark.parametrize(("api_contract", "record"), RECORDS, ids=IDS)
def test_the_sdk_handles_the_recorded_response(
    api_contract: Contract, record: Record, replay: ReplayServer, apis: Dict[str, Any]
) -> None:
    op, own_request = operation_for(api_contract, record)
    payload = replay.serve(record)
    recorded = record["response"]
    status = recorded["status"]
    content_length = recorded_header(recorded["headers"], "Content-Length")
    if content_length is not None:
        assert str(len(payload)) == content_length, "not the bytes Logto sent"

    outcome, exact = _send(apis, replay, op, record)
    if status == 304 or (200 <= status <= 299 and (recorded["body_kind"] != "empty" or op.response == "empty")):
        _check_result(op, record, outcome, payload)
    elif 200 <= status <= 299:
        # A bodyless 2xx where a model is documented (the CORS preflight): said so rather than guessed.
        assert isinstance(outcome, py_logto.ApiResponseValidationError), outcome
        assert outcome.status == status
        assert outcome.request_id == recorded_header(recorded["headers"], "Logto-Core-Request-Id")
    else:
        _check_error(record, outcome, payload)

    (sent,) = replay.requests
    assert sent[2]["Authorization"] == f"Bearer {contract.ACCESS_TOKEN}"
    if own_request and exact:
        _check_sent(op, record, sent)
    else:
        assert (sent[0], sent[1].split("?", 1)[0]) == (op.method, sent[1].split("?", 1)[0])


@pytest.mark.parametrize("api_contract", CONTRACTS, ids=[c.key for c in CONTRACTS])
def test_every_operation_is_replayed(api_contract: Contract) -> None:
    replayed = {operation_for(api_contract, record)[0].operation_id for each, record in RECORDS if each is api_contract}
    if api_contract is ACCOUNT:
        replayed &= set(ACCOUNT.table)  # the verification steps of the account flows are also there
    assert replayed == set(contract.operations(api_contract.spec))


def test_the_replay_covers_what_the_traffic_holds() -> None:
    verifications = [r for c, r in RECORDS if c is VERIFICATIONS]
    account = [r for c, r in RECORDS if c is ACCOUNT]
    assert (len(verifications), len(account)) == (238, 470)
    kinds = {(r["response"]["status"], r["response"]["body_kind"]) for r in verifications}
    assert {(201, "json"), (200, "json"), (204, "empty"), (405, "text"), (404, "text")} <= kinds
    assert {r["response"]["status"] for r in verifications} == {200, 201, 204, 400, 401, 403, 404, 405, 422, 429, 501}
    kinds = {(r["response"]["status"], r["response"]["body_kind"]) for r in account}
    assert {(200, "json"), (200, "text"), (204, "empty"), (304, "empty"), (404, "text"), (405, "text")} <= kinds
    assert {r["response"]["status"] for r in account} == {200, 201, 204, 304, 400, 401, 403, 404, 405, 422}


# -- Logto as the judge of requests ----------------------------------------------------------------


def _judged() -> List[Any]:
    """Every request Logto's guard refused, and every request it accepted, that is an operation's."""
    found = []
    for (api_contract, record), case_id in zip(RECORDS, IDS):
        _, own_request = operation_for(api_contract, record)
        body = record["response"]["body"]
        refused = isinstance(body, dict) and body.get("code") in GUARD_CODES
        accepted = 200 <= record["response"]["status"] <= 299
        if own_request and (refused or accepted):
            found.append(pytest.param(api_contract, record, refused, id=case_id))
    return found


@pytest.mark.parametrize(("api_contract", "record", "refused_by_logto"), _judged())
def test_the_sdk_refuses_what_logto_refused_and_sends_what_it_accepted(
    api_contract: Contract, record: Record, refused_by_logto: bool, replay: ReplayServer, apis: Dict[str, Any]
) -> None:
    op, _ = operation_for(api_contract, record)
    replay.serve(record)
    arguments = recorded_arguments(op, record)
    case = record["case"]
    if (refused_by_logto and case not in CANNOT_KNOW) or case in REFUSED_ON_PURPOSE:
        with pytest.raises((py_logto.ApiValueError, py_logto.ApiTypeError)):
            _call(apis, op, arguments)
        assert replay.requests == [], "the SDK sent a request Logto's guard refuses"
    else:
        # The recorded error may be raised: what matters is that the request was sent as recorded.
        with contextlib.suppress(py_logto.ApiException):
            _call(apis, op, arguments)
        (sent,) = replay.requests
        _check_sent(op, record, sent)


def test_the_judged_requests_cover_every_kind_of_parameter() -> None:
    refused = [r for _, r, is_refused in (p.values for p in _judged()) if is_refused]
    cases = {r["case"] for r in refused}
    assert len(refused) >= 40
    assert {"get-grants/app-type-invalid", "delete-session/invalid-revoke-target"} <= cases  # query
    assert {"upload-avatar/no-file-part", "upload-avatar/json-body"} <= cases  # the file
    assert {"update-profile/no-body", "update-profile/unknown-field", "add-mfa/type-TOTP-uppercase"} <= cases
    assert set(CANNOT_KNOW) <= cases
    assert len(refused) - len(CANNOT_KNOW) == 60
    accepted = {r["case"] for _, r, is_refused in (p.values for p in _judged()) if not is_refused}
    assert set(REFUSED_ON_PURPOSE) <= accepted
