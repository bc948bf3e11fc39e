"""Replay every request recorded against a real Logto's Verifications API
(test/fixtures/traffic.jsonl) on the sandbox.

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

Then status, error ``code``, the whole body (ids mapped) and key headers must match.
"""

from __future__ import annotations

from typing import ClassVar, List, Mapping

import pytest

from py_logto.testing import LogtoSandbox
from test._sandbox_replay import Entry, Outcome, Replayer, json_body, load, summary

PASSWORD = "parity-password-1"
THROWAWAY_PASSWORD = "throwaway-password-1"
RECORDED_SOCIAL_CONNECTOR = "0mspzxut1fjq"
RECORDED_EMAIL_CONNECTOR = "iogqhgm7fgo5"
FAKE_ID_TOKEN = "eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJvMnB6c212Y3R4MjgifQ.c2lnbmF0dXJl"


class VerificationsReplayer(Replayer):
    message_not_compared: ClassVar[Mapping[str, str]] = {
        "password/accept-language-zh": "the sandbox answers in English only; Logto translated the message to zh-CN",
    }

    def __init__(self, sandbox: LogtoSandbox) -> None:
        super().__init__(sandbox)
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
        self.ids.add(RECORDED_SOCIAL_CONNECTOR, sandbox.social_connector.id)
        self.ids.add(RECORDED_EMAIL_CONNECTOR, sandbox.email_connector.id)

    def authorization(self, entry: Entry, recorded: str) -> str:
        if entry["case"].startswith("limits/lockout"):
            recorded = recorded.replace("<redacted: valid opaque token, first-party SPA>", self.throwaway_token)
        for description, token in self.tokens.items():
            recorded = recorded.replace(description, token)
        return recorded

    def password(self, entry: Entry) -> str:
        return THROWAWAY_PASSWORD if entry["case"].startswith("limits/lockout") else PASSWORD

    def _record_in_body(self, entry: Entry) -> str:
        parsed = entry["request"]["body_json"]
        recorded = parsed.get("verificationId", "") if isinstance(parsed, dict) else ""
        return self.ids.get(recorded) or ""

    def set_up(self, entry: Entry) -> None:
        case = entry["case"]
        if case == "limits/no-sms-connector":
            assert self.sandbox.sms_connector is not None
            self.sandbox.remove_connector(self.sandbox.sms_connector.id)
        elif case == "limits/expired-record-verify":
            self.sandbox.expire_record(self._record_in_body(entry))
        elif case == "limits/expired-passcode-verify":
            self.sandbox.expire_code(self._record_in_body(entry))

    def tear_down(self, entry: Entry) -> None:
        if entry["case"] == "limits/no-sms-connector":
            self.sandbox.add_message_connector("sms")


@pytest.fixture(scope="module")
def replay() -> List[Outcome]:
    with LogtoSandbox() as sandbox:
        return VerificationsReplayer(sandbox).replay(load("traffic.jsonl"))


def test_every_recorded_pair_is_replayed(replay: List[Outcome]) -> None:
    assert len(replay) == len(load("traffic.jsonl")) == 238
    print(summary("traffic.jsonl", replay))


def test_sandbox_answers_as_the_recorded_logto(replay: List[Outcome]) -> None:
    mismatches = [f"{o.entry['seq']} {o.entry['case']}: {'; '.join(o.problems)}" for o in replay if o.problems]
    assert mismatches == []


def test_replay_covers_every_route_and_error_code(replay: List[Outcome]) -> None:
    entries = [outcome.entry for outcome in replay]
    codes = {(json_body(e["response"]) or {}).get("code") for e in entries if e["response"]["body_kind"] == "json"}
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
    assert len({e["endpoint"] for e in entries}) == 9  # 7 routes, an unknown path, a trailing slash
