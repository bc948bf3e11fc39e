"""Replay every request recorded against a real Logto (test/fixtures/traffic.jsonl) on the sandbox.

The replay runs in recorded order on one sandbox, so state builds up as it did on Logto (the
same records verified twice, the same recipient rate-limited, the same user locked out). What
the recording redacted or what only that server knew is mapped onto the sandbox:

- tokens by their redacted description (first-party, third-party, revoked, an ID token), and the
  lockout cases, which Logto ran for a throwaway user, with that user's token;
- ``<redacted>`` passwords to the right user's password;
- verification record ids, connector ids, codes and WebAuthn challenges to the ones the sandbox
  created in the same place (codes come from the sandbox outbox);
- the ``Host`` port; the situations the recorder set up out of band (an SMS connector deleted, a
  record's or a code's expiry moved in the database) through the sandbox's hooks.

Then status, error ``code``, the whole error body (ids mapped), text bodies and key headers must
match what Logto answered.
"""

from __future__ import annotations

import base64
import http.client
import json
import pathlib
from typing import Any, Dict, List, Optional, Tuple

import pytest

from py_logto.testing import LogtoSandbox

TRAFFIC = pathlib.Path(__file__).parent / "fixtures" / "traffic.jsonl"
PASSWORD = "parity-password-1"
THROWAWAY_PASSWORD = "throwaway-password-1"
RECORDED_SOCIAL_CONNECTOR = "0mspzxut1fjq"
RECORDED_EMAIL_CONNECTOR = "iogqhgm7fgo5"
FAKE_ID_TOKEN = "eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJvMnB6c212Y3R4MjgifQ.c2lnbmF0dXJl"

#: Cases the sandbox cannot reproduce, with the reason. Everything else must match.
NOT_REPRODUCIBLE: Dict[str, str] = {}

#: Cases whose status and code are compared but whose message is not, with the reason.
MESSAGE_NOT_COMPARED = {
    "password/accept-language-zh": "the sandbox answers in English only; Logto translated the message to zh-CN",
}


def _load() -> List[Dict[str, Any]]:
    return [json.loads(line) for line in TRAFFIC.read_text(encoding="utf-8").splitlines() if line.strip()]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _request_fields(entry: Dict[str, Any]) -> Dict[str, Any]:
    parsed = entry["request"]["body_json"]
    return parsed if isinstance(parsed, dict) else {}


def _json_body(response: Dict[str, Any]) -> Any:
    body = response["body"]
    return json.loads(body) if isinstance(body, str) else body


class Replayer:
    def __init__(self, sandbox: LogtoSandbox) -> None:
        self.sandbox = sandbox
        user = sandbox.add_user(
            password=PASSWORD, email="oracle.023894@example.com", phone="13102052814", username="oracle_user_023894"
        )
        throwaway = sandbox.add_user(password=THROWAWAY_PASSWORD, email="throwaway@example.com")
        revoked = sandbox.issue_token(user)
        sandbox.revoke_token(revoked)
        self.tokens = {
            "<redacted: valid opaque token, first-party SPA>": sandbox.issue_token(user),
            "<redacted: valid opaque token, third-party SPA>": sandbox.issue_token(user, first_party=False),
            "<redacted: revoked opaque token>": revoked,
            "<redacted: the user's ID token (JWT)>": FAKE_ID_TOKEN,
        }
        self.throwaway_token = sandbox.issue_token(throwaway)
        assert sandbox.social_connector is not None
        assert sandbox.email_connector is not None
        #: recorded value -> sandbox value, for ids and challenges
        self.ids: Dict[str, str] = {
            RECORDED_SOCIAL_CONNECTOR: sandbox.social_connector.id,
            RECORDED_EMAIL_CONNECTOR: sandbox.email_connector.id,
        }
        self.recorded_challenges: Dict[str, str] = {}  # recorded record id -> recorded challenge

    def _map(self, text: str) -> str:
        for recorded, actual in self.ids.items():
            text = text.replace(recorded, actual)
        return text

    def _mapped_record(self, recorded_id: Optional[str]) -> Optional[str]:
        return self.ids.get(recorded_id or "")

    def _body(self, entry: Dict[str, Any]) -> Optional[str]:
        request = entry["request"]
        body: Optional[str] = request["body"]
        if body is None:
            return None
        password = THROWAWAY_PASSWORD if entry["case"].startswith("limits/lockout") else PASSWORD
        body = body.replace('"<redacted>"', json.dumps(password)).replace("password=<redacted>", f"password={password}")
        parsed = _request_fields(entry)

        # A correct code (any but the recorder's deliberate "000000") becomes the sandbox's code.
        record_id = self._mapped_record(parsed.get("verificationId"))
        code = parsed.get("code")
        if record_id and isinstance(code, str) and code != "000000":
            sent = [m for m in self.sandbox.outbox if m.verification_record_id == record_id]
            if sent:
                body = body.replace(json.dumps(code), json.dumps(sent[-1].code))

        # The WebAuthn client data answers the recorded challenge; answer the sandbox's instead.
        payload = parsed.get("payload")
        recorded_challenge = self.recorded_challenges.get(parsed.get("verificationRecordId", ""))
        if isinstance(payload, dict) and recorded_challenge:
            encoded = payload.get("response", {}).get("clientDataJSON", "")
            client_data = json.loads(_b64url_decode(encoded))
            if client_data.get("challenge") == recorded_challenge:
                client_data["challenge"] = self.ids[recorded_challenge]
                body = body.replace(encoded, _b64url(json.dumps(client_data, separators=(",", ":")).encode()))
        return self._map(body)

    def _headers(self, entry: Dict[str, Any]) -> List[Tuple[str, str]]:
        headers = []
        for name, value in entry["request"]["headers"]:
            if name.lower() == "content-length":
                continue
            if name.lower() == "host":
                value = f"{value.split(':')[0]}:{self.sandbox.port}"
            if name.lower() == "authorization":
                if entry["case"].startswith("limits/lockout"):
                    value = value.replace("<redacted: valid opaque token, first-party SPA>", self.throwaway_token)
                for description, token in self.tokens.items():
                    value = value.replace(description, token)
            headers.append((name, value))
        return headers

    def _set_up(self, entry: Dict[str, Any]) -> None:
        """Reproduce what the recorder changed out of band just before this request."""
        case = entry["case"]
        record_id = self._mapped_record(_request_fields(entry).get("verificationId"))
        if case == "limits/no-sms-connector":
            assert self.sandbox.sms_connector is not None
            self.sandbox.remove_connector(self.sandbox.sms_connector.id)
        elif case == "limits/expired-record-verify" and record_id:
            self.sandbox.expire_record(record_id)
        elif case == "limits/expired-passcode-verify" and record_id:
            self.sandbox.expire_code(record_id)

    def _tear_down(self, entry: Dict[str, Any]) -> None:
        if entry["case"] == "limits/no-sms-connector":
            self.sandbox.add_message_connector("sms")

    def send(self, entry: Dict[str, Any]) -> Tuple[int, Dict[str, str], bytes]:
        self._set_up(entry)
        request = entry["request"]
        body = self._body(entry)
        connection = http.client.HTTPConnection("127.0.0.1", self.sandbox.port, timeout=10)
        try:
            connection.putrequest(request["method"], request["path"], skip_host=True, skip_accept_encoding=True)
            for name, value in self._headers(entry):
                connection.putheader(name, value)
            encoded = None if body is None else body.encode()
            if encoded is not None:
                connection.putheader("Content-Length", str(len(encoded)))
            connection.endheaders(encoded)
            response = connection.getresponse()
            result = (response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()
        self._tear_down(entry)
        return result

    def learn(self, entry: Dict[str, Any], actual: Any) -> None:
        """Map what Logto created here to what the sandbox created."""
        expected = _json_body(entry["response"]) if entry["response"]["body_kind"] == "json" else None
        if not (isinstance(expected, dict) and isinstance(actual, dict)):
            return
        if "verificationRecordId" in expected and "verificationRecordId" in actual:
            self.ids.setdefault(expected["verificationRecordId"], actual["verificationRecordId"])
        if "registrationOptions" in expected and "registrationOptions" in actual:
            recorded = expected["registrationOptions"]["challenge"]
            self.recorded_challenges[expected["verificationRecordId"]] = recorded
            self.ids[recorded] = actual["registrationOptions"]["challenge"]

    def compare(self, entry: Dict[str, Any], status: int, headers: Dict[str, str], raw: bytes) -> List[str]:
        """Every way the sandbox's answer differs from Logto's."""
        case, expected = entry["case"], entry["response"]
        problems = []
        if status != expected["status"]:
            problems.append(f"status {status} != {expected['status']}")
        if "logto-core-request-id" not in headers:
            problems.append("no Logto-Core-Request-Id header")
        recorded_headers = {name.lower(): value for name, value in expected["headers"]}
        for name in ("allow", "content-type", "access-control-allow-origin", "access-control-allow-methods"):
            if recorded_headers.get(name) != headers.get(name):
                problems.append(f"header {name}: {headers.get(name)!r} != {recorded_headers.get(name)!r}")
        if expected["body_kind"] == "text":
            if raw.decode() != expected["body"]:
                problems.append(f"text body {raw!r} != {expected['body']!r}")
            return problems
        if expected["body_kind"] != "json":
            if raw:
                problems.append(f"body {raw!r}, expected none")
            return problems
        want = json.loads(self._map(json.dumps(_json_body(expected))))
        got = json.loads(raw)
        if want.get("code") != got.get("code"):
            problems.append(f"code {got.get('code')!r} != {want.get('code')!r}")
        if status >= 400:
            if case in MESSAGE_NOT_COMPARED:
                want.pop("message", None)
                got.pop("message", None)
            if got != want:
                problems.append(f"body {got} != {want}")
        elif set(got) != set(want) or got.get("authorizationUri") != want.get("authorizationUri"):
            problems.append(f"success body {got} does not match {want}")
        return problems


@pytest.fixture(scope="module")
def replay() -> List[Tuple[Dict[str, Any], List[str]]]:
    results = []
    with LogtoSandbox() as sandbox:
        replayer = Replayer(sandbox)
        for entry in _load():
            if entry["case"] in NOT_REPRODUCIBLE:
                continue
            status, headers, raw = replayer.send(entry)
            actual = json.loads(raw) if headers.get("content-type", "").startswith("application/json") else None
            replayer.learn(entry, actual)
            results.append((entry, replayer.compare(entry, status, headers, raw)))
    return results


def test_every_recorded_case_is_replayed_or_listed_as_not_reproducible(
    replay: List[Tuple[Dict[str, Any], List[str]]],
) -> None:
    assert len(replay) + len(NOT_REPRODUCIBLE) == len(_load()) == 238


def test_sandbox_answers_as_the_recorded_logto(replay: List[Tuple[Dict[str, Any], List[str]]]) -> None:
    mismatches = [f"{entry['case']}: {'; '.join(problems)}" for entry, problems in replay if problems]
    assert mismatches == []


def test_replay_covers_every_route_and_error_code(replay: List[Tuple[Dict[str, Any], List[str]]]) -> None:
    codes = {(_json_body(e["response"]) or {}).get("code") for e, _ in replay if e["response"]["body_kind"] == "json"}
    assert {
        "guard.invalid_input",
        "session.invalid_credentials",
        "session.verification_blocked_too_many_attempts",
        "verification_code.exceed_max_try",
        "verification_code.expired",
        "request.message_rate_limited",
        "connector.not_found",
        "session.mfa.webauthn_verification_failed",
    } <= codes
    assert len({e["endpoint"] for e, _ in replay}) == 9  # 7 routes, an unknown path, a trailing slash
