"""Replaying traffic recorded against a real Logto on a :class:`LogtoSandbox`, and judging how
closely the sandbox answered.

A :class:`Replayer` sends the recorded requests in order on one sandbox, after mapping what only
the recording server knew onto what the sandbox knows: redacted tokens and passwords, the
``Host`` port, verification-record ids, codes from the outbox, WebAuthn challenges, and every
other id the sandbox generated differently. Subclasses say which token and password each
request stands for and what the recorder changed out of band before it.

:func:`differences` compares a sandbox answer with the recorded one: the status, the headers
that carry meaning, text bodies exactly, and JSON bodies value by value and key by key (in
order), except that ids are matched through a one-to-one mapping learned as they first appear
and timestamps only have to be of the same kind.
"""

from __future__ import annotations

import base64
import http.client
import json
import pathlib
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Tuple

from py_logto.testing import LogtoSandbox

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
Entry = Dict[str, Any]

#: Keys whose string values are ids the sandbox makes up itself.
ID_KEYS = frozenset(
    {
        "id",
        "verificationRecordId",
        "jti",
        "uid",
        "sid",
        "grantId",
        "accountId",
        "userId",
        "clientId",
        "applicationId",
        "secret",
        "challenge",
    }
)
#: Keys whose values are moments: only their kind (number or ISO 8601 string) must match.
TIME_KEYS = frozenset(
    {"createdAt", "updatedAt", "lastSignInAt", "expiresAt", "iat", "exp", "loginTs", "usedAt", "expires_in"}
)
#: Response headers compared exactly (``ETag`` only has to be there when it was).
HEADERS = ("allow", "content-type", "access-control-allow-origin", "access-control-allow-methods")
_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def load(name: str) -> List[Entry]:
    return [json.loads(line) for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def json_body(response: Dict[str, Any]) -> Any:
    body = response["body"]
    return json.loads(body) if isinstance(body, str) else body


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class IdMap:
    """Recorded id -> sandbox id, one to one, learned as ids first appear."""

    def __init__(self) -> None:
        self.forward: Dict[str, str] = {}
        self._backward: Dict[str, str] = {}

    def add(self, recorded: str, actual: str) -> bool:
        """Record the pair; ``False`` when either side is already paired with something else."""
        if self.forward.get(recorded, actual) != actual or self._backward.get(actual, recorded) != recorded:
            return False
        self.forward[recorded] = actual
        self._backward[actual] = recorded
        return True

    def get(self, recorded: str) -> Optional[str]:
        return self.forward.get(recorded)

    def apply(self, text: str) -> str:
        """Every recorded id in ``text`` replaced by its sandbox id (longest first)."""
        for recorded in sorted(self.forward, key=len, reverse=True):
            if recorded in text and recorded != self.forward[recorded]:
                text = text.replace(recorded, self.forward[recorded])
        return text


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "iso" if _ISO.fullmatch(value) else "string"
    if isinstance(value, bool) or value is None:
        return repr(value)
    return "number" if isinstance(value, (int, float)) else type(value).__name__


def differences(expected: Any, actual: Any, ids: IdMap, path: str = "$", key: str = "") -> List[str]:
    """Where ``actual`` differs from ``expected`` (see the module docstring)."""
    if key in TIME_KEYS:
        return [] if _kind(expected) == _kind(actual) else [f"{path}: {actual!r} is not like {expected!r}"]
    if isinstance(expected, dict) and isinstance(actual, dict):
        expected_keys = [ids.get(k) or k for k in expected]
        if expected_keys != list(actual) and len(expected) == len(actual):
            for recorded, sandbox in zip(expected, actual):  # object keys that are ids (client ids)
                if recorded not in actual and sandbox not in expected:
                    ids.add(recorded, sandbox)
            expected_keys = [ids.get(k) or k for k in expected]
        if expected_keys != list(actual):
            return [f"{path}: keys {list(actual)} != {expected_keys}"]
        problems = []
        for recorded_key, value in expected.items():
            actual_key = ids.get(recorded_key) or recorded_key
            problems.extend(differences(value, actual[actual_key], ids, f"{path}.{actual_key}", recorded_key))
        return problems
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(actual)} items != {len(expected)}"]
        problems = []
        for index, (want, got) in enumerate(zip(expected, actual)):
            problems.extend(differences(want, got, ids, f"{path}[{index}]"))
        return problems
    if isinstance(expected, str) and isinstance(actual, str) and expected != actual:
        if ids.apply(expected) == actual:  # a text that quotes ids
            return []
        if (key in ID_KEYS or ".codes[" in path) and ids.add(expected, actual):
            return []
        return [f"{path}: {actual!r} != {expected!r}"]
    if expected != actual or type(expected) is not type(actual):
        return [f"{path}: {actual!r} != {expected!r}"]
    return []


@dataclass
class Outcome:
    """One replayed pair and how the sandbox's answer differs from the recorded one."""

    entry: Entry
    status: int
    problems: List[str] = field(default_factory=list)

    @property
    def status_matches(self) -> bool:
        return self.status == self.entry["response"]["status"]


class Replayer:
    """Sends recorded requests to a sandbox and compares the answers (see the module docstring)."""

    #: Cases whose ``message`` is not compared, with the reason.
    message_not_compared: ClassVar[Mapping[str, str]] = {}

    def __init__(self, sandbox: LogtoSandbox) -> None:
        self.sandbox = sandbox
        self.ids = IdMap()
        self.recorded_challenges: Dict[str, str] = {}  # recorded record id -> recorded challenge
        self.etags: Dict[str, str] = {}  # recorded ETag -> the sandbox's ETag for the same response

    # -- hooks --------------------------------------------------------------------------------

    def authorization(self, entry: Entry, recorded: str) -> str:
        """The ``Authorization`` value to send for the recorded (redacted) one."""
        return recorded

    def password(self, entry: Entry) -> str:
        """What a ``<redacted>`` password in this request stands for."""
        raise NotImplementedError

    def set_up(self, entry: Entry) -> None:
        """Reproduce what the recorder changed out of band just before this request."""

    def tear_down(self, entry: Entry) -> None:
        """Undo :meth:`set_up` where the recorder undid it right after the request."""

    def body_bytes(self, entry: Entry, body: str) -> bytes:
        """The body to send, once ids, codes and passwords are mapped."""
        return body.encode()

    # -- requests -----------------------------------------------------------------------------

    def _code(self, record_id: Optional[str], recorded_code: str) -> str:
        """The sandbox's code for a record, where the recording sent the real one."""
        sent = [m for m in self.sandbox.outbox if m.verification_record_id == record_id]
        return sent[-1].code if sent and recorded_code != "000000" else recorded_code

    def body(self, entry: Entry) -> Optional[str]:
        request = entry["request"]
        body: Optional[str] = request["body"]
        if body is None:
            return None
        if "<redacted>" in body:
            password = self.password(entry)
            body = body.replace('"<redacted>"', json.dumps(password)).replace(
                "password=<redacted>", f"password={password}"
            )
        parsed = request["body_json"] if isinstance(request["body_json"], dict) else {}
        code = parsed.get("code")
        record_id = self.ids.get(parsed.get("verificationId", ""))
        if record_id and isinstance(code, str):
            body = body.replace(json.dumps(code), json.dumps(self._code(record_id, code)))
        payload = parsed.get("payload")
        recorded_challenge = self.recorded_challenges.get(parsed.get("verificationRecordId", ""))
        if isinstance(payload, dict) and recorded_challenge and self.ids.get(recorded_challenge):
            encoded = payload.get("response", {}).get("clientDataJSON", "")
            client_data = json.loads(b64url_decode(encoded))
            if client_data.get("challenge") == recorded_challenge:
                client_data["challenge"] = self.ids.get(recorded_challenge)
                body = body.replace(encoded, b64url(json.dumps(client_data, separators=(",", ":")).encode()))
        return self.ids.apply(body)

    def headers(self, entry: Entry) -> List[Tuple[str, str]]:
        headers = []
        for name, value in entry["request"]["headers"]:
            lowered = name.lower()
            if lowered == "content-length":
                continue
            if lowered == "host":
                value = f"{value.split(':')[0]}:{self.sandbox.port}"
            elif lowered == "authorization":
                value = self.authorization(entry, value)
            elif lowered == "if-none-match":
                value = self.etags.get(value, value)
            elif lowered == "logto-verification-id":
                value = self.ids.apply(value)
            headers.append((name, value))
        return headers

    def send(self, entry: Entry) -> Tuple[int, Dict[str, str], bytes]:
        self.set_up(entry)
        request = entry["request"]
        body = self.body(entry)
        encoded = None if body is None else self.body_bytes(entry, body)
        connection = http.client.HTTPConnection("127.0.0.1", self.sandbox.port, timeout=10)
        try:
            connection.putrequest(
                request["method"], self.ids.apply(request["path"]), skip_host=True, skip_accept_encoding=True
            )
            for name, value in self.headers(entry):
                connection.putheader(name, value)
            if encoded is not None:
                connection.putheader("Content-Length", str(len(encoded)))
            connection.endheaders(encoded)
            response = connection.getresponse()
            result = (response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()
        self.tear_down(entry)
        return result

    # -- answers ------------------------------------------------------------------------------

    def compare(self, entry: Entry, status: int, headers: Dict[str, str], raw: bytes) -> List[str]:
        """Every way the sandbox's answer differs from Logto's."""
        expected = entry["response"]
        problems = []
        if status != expected["status"]:
            problems.append(f"status {status} != {expected['status']}")
        if "logto-core-request-id" not in headers:
            problems.append("no Logto-Core-Request-Id header")
        recorded_headers = {name.lower(): value for name, value in expected["headers"]}
        for name in HEADERS:
            if recorded_headers.get(name) != headers.get(name):
                problems.append(f"header {name}: {headers.get(name)!r} != {recorded_headers.get(name)!r}")
        if "etag" in recorded_headers:
            if "etag" not in headers:
                problems.append("no ETag header")
            else:
                self.etags[recorded_headers["etag"]] = headers["etag"]
        if expected["body_kind"] == "text":
            if raw.decode() != expected["body"]:
                problems.append(f"text body {raw!r} != {expected['body']!r}")
            return problems
        if expected["body_kind"] != "json":
            if raw:
                problems.append(f"body {raw!r}, expected none")
            return problems
        try:
            got = json.loads(raw)
        except ValueError:
            return [*problems, f"body {raw[:200]!r} is not JSON"]
        want = json_body(expected)
        if entry["case"] in self.message_not_compared and isinstance(want, dict) and isinstance(got, dict):
            want = {k: v for k, v in want.items() if k != "message"}
            got = {k: v for k, v in got.items() if k != "message"}
        if isinstance(want, dict) and "registrationOptions" in want and isinstance(got, dict):
            self.recorded_challenges[want.get("verificationRecordId", "")] = want["registrationOptions"]["challenge"]
        return problems + differences(want, got, self.ids)

    def replay(self, entries: List[Entry]) -> List[Outcome]:
        outcomes = []
        for entry in entries:
            status, headers, raw = self.send(entry)
            outcomes.append(Outcome(entry, status, self.compare(entry, status, headers, raw)))
        return outcomes


def summary(name: str, outcomes: List[Outcome]) -> str:
    """``name: N pairs replayed, S same status, C same error code, B same body``."""
    same_status = sum(1 for outcome in outcomes if outcome.status_matches)
    same_code = sum(
        1 for outcome in outcomes if not any(problem.startswith(("status", "$.code")) for problem in outcome.problems)
    )
    same_body = sum(1 for outcome in outcomes if not outcome.problems)
    return (
        f"{name}: {len(outcomes)} pairs replayed, {same_status} with the recorded status, "
        f"{same_code} with the recorded error code, {same_body} identical in status, headers and body"
    )
