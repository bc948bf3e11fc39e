"""The same requests to the sandbox and to a reference, answer by answer.

With ``LOGTO_ENDPOINT`` (e.g. ``http://localhost:3001``), ``LOGTO_ACCESS_TOKEN`` (the user's
first-party token with every user scope, account center on and every field editable) and
``LOGTO_PASSWORD`` (that user's password; a user without social identities or MFA factors) set,
the reference is that real Logto; otherwise that comparison is skipped, with the reason in the
test summary. Either way the probes also run
against a second sandbox, which keeps the harness itself honest.

The sandbox user is seeded from the reference user's own profile, so answers can be compared
value by value. The probes change nothing for good: they read, get refused, or write back what
is already there.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

import pytest

from py_logto.testing import LogtoSandbox

TIME_KEYS = frozenset({"createdAt", "updatedAt", "lastSignInAt", "expiresAt", "iat", "exp", "loginTs"})
ID_KEYS = frozenset({"id", "verificationRecordId", "applicationId", "secret", "jti", "uid", "sid", "grantId"})


@dataclass
class Target:
    """A Logto to send probes to: its base URL, the user's token and password."""

    url: str
    token: str
    password: str

    def send(
        self, method: str, path: str, body: Optional[bytes] = None, headers: Optional[Dict[str, str]] = None
    ) -> Tuple[int, Dict[str, str], bytes]:
        parts = urlsplit(self.url)
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(parts.hostname or "localhost", parts.port, timeout=30)
        try:
            connection.request(method, parts.path.rstrip("/") + path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def raw(self, data: bytes) -> bytes:
        parts = urlsplit(self.url)
        with socket.create_connection((parts.hostname or "localhost", parts.port or 80), timeout=30) as conn:
            conn.sendall(data)
            return conn.recv(1024)


@dataclass(frozen=True)
class Probe:
    name: str
    method: str
    path: str
    body: Any = None  # JSON, or raw bytes
    headers: Tuple[Tuple[str, str], ...] = ()
    auth: str = "token"  # token, none, basic
    verified: bool = False  # send a password record in logto-verification-id
    compare_body: bool = True


PROBES = [
    Probe("profile", "GET", "/api/my-account"),
    Probe("profile-without-token", "GET", "/api/my-account", auth="none"),
    Probe("profile-basic-scheme", "GET", "/api/my-account", auth="basic"),
    Probe("unknown-path", "GET", "/api/my-account/unknown"),
    Probe("wrong-method", "DELETE", "/api/my-account"),
    Probe(
        "preflight",
        "OPTIONS",
        "/api/my-account/primary-email",
        headers=(("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "POST")),
        auth="none",
    ),
    Probe("malformed-json", "PATCH", "/api/my-account", b'{"name": ', (("Content-Type", "application/json"),)),
    Probe("nothing-to-update", "PATCH", "/api/my-account", {}),
    Probe("wrong-type", "PATCH", "/api/my-account", {"name": 42}),
    Probe("avatar-not-a-url", "PATCH", "/api/my-account", {"avatar": "not a url"}),
    Probe("username-needs-a-record", "PATCH", "/api/my-account", {"username": "someone_else_1"}),
    Probe(
        "proto-key", "PATCH", "/api/my-account", b'{"a": {"__proto__": {}}}', (("Content-Type", "application/json"),)
    ),
    Probe(
        "unknown-encoding",
        "PATCH",
        "/api/my-account/profile",
        b"{}",
        (("Content-Type", "application/json"), ("Content-Encoding", "br")),
    ),
    Probe(
        "gzip-body",
        "PATCH",
        "/api/my-account/profile",
        gzip.compress(b"{}"),
        (("Content-Type", "application/json"), ("Content-Encoding", "gzip")),
    ),
    Probe(
        "oversized-json",
        "PATCH",
        "/api/my-account/profile",
        b'{"a": "' + b"x" * (1024 * 1024) + b'"}',
        (("Content-Type", "application/json"),),
    ),
    Probe("sessions-need-a-record", "GET", "/api/my-account/sessions"),
    Probe("sessions", "GET", "/api/my-account/sessions", verified=True, compare_body=False),
    Probe("unknown-session", "DELETE", "/api/my-account/sessions/unknown-session", verified=True),
    Probe("unknown-grant", "DELETE", "/api/my-account/grants/unknown-grant", verified=True),
    Probe("grants-bad-app-type", "GET", "/api/my-account/grants?appType=bogus", verified=True),
    Probe("mfa-settings", "GET", "/api/my-account/mfa-settings", compare_body=False),
    Probe("logto-configs", "GET", "/api/my-account/logto-configs", compare_body=False),
    Probe("totp-secret", "POST", "/api/my-account/mfa-verifications/totp-secret/generate"),
    Probe(
        "mfa-type-upper-case",
        "POST",
        "/api/my-account/mfa-verifications",
        {"type": "TOTP", "secret": "x"},
        verified=True,
    ),
    Probe(
        "mfa-bad-secret", "PUT", "/api/my-account/mfa-verifications/totp", {"secret": "abc", "code": "1"}, verified=True
    ),
    Probe(
        "email-unknown-record",
        "POST",
        "/api/my-account/primary-email",
        {"email": "nobody@example.com", "newIdentifierVerificationRecordId": "no-such-record"},
        verified=True,
    ),
    Probe(
        "identity-unknown-record",
        "POST",
        "/api/my-account/identities",
        {"newIdentifierVerificationRecordId": "x"},
        verified=True,
    ),
    Probe("no-token-set", "GET", "/api/my-account/identities/no-such-target/access-token"),
    Probe(
        "social-empty-state", "POST", "/api/verifications/social", {"connectorId": "x", "state": "", "redirectUri": "r"}
    ),
    Probe(
        "code-unknown-record",
        "POST",
        "/api/verifications/verification-code/verify",
        {"identifier": {"type": "email", "value": "a@b.co"}, "verificationId": "no-such-record", "code": ""},
    ),
    Probe(
        "email-too-long-for-the-guard",
        "POST",
        "/api/verifications/verification-code",
        {"identifier": {"type": "email", "value": "x" * 300}},
    ),
]


def _normalized(value: Any, key: str = "") -> Any:
    """Ids and times replaced by their kind, so that two Logtos' answers compare."""
    if key in TIME_KEYS:
        return type(value).__name__
    if key in ID_KEYS and isinstance(value, str):
        return "<id>"
    if isinstance(value, dict):
        return {k: _normalized(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalized(item) for item in value]
    return value


def _answer(target: Target, probe: Probe, record: Optional[str]) -> Dict[str, Any]:
    headers = dict(probe.headers)
    if probe.auth == "token":
        headers["Authorization"] = f"Bearer {target.token}"
    elif probe.auth == "basic":
        headers["Authorization"] = "Basic dXNlcjpwYXNz"
    if probe.verified and record is not None:
        headers["logto-verification-id"] = record
    body = probe.body
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    status, response_headers, raw = target.send(probe.method, probe.path, body, headers)
    answer: Dict[str, Any] = {
        "status": status,
        "content-type": response_headers.get("content-type"),
        "allow": response_headers.get("allow"),
        "access-control-allow-origin": response_headers.get("access-control-allow-origin"),
    }
    if raw and (response_headers.get("content-type") or "").startswith("application/json"):
        parsed = json.loads(raw)
        answer["body"] = _normalized(parsed) if probe.compare_body else type(parsed).__name__
    else:
        answer["body"] = raw.decode("utf-8", "replace")
    return answer


def run_probes(target: Target) -> Dict[str, Dict[str, Any]]:
    """Every probe's answer from ``target`` (a password record made first for the verified ones)."""
    status, _, raw = target.send(
        "POST",
        "/api/verifications/password",
        json.dumps({"password": target.password}).encode(),
        {"Authorization": f"Bearer {target.token}", "Content-Type": "application/json"},
    )
    record = json.loads(raw)["verificationRecordId"] if status == 201 else None
    answers = {probe.name: _answer(target, probe, record) for probe in PROBES}
    if urlsplit(target.url).scheme == "http":
        answers["lower-case-method"] = {
            "status_line": target.raw(b"get /api/my-account HTTP/1.1\r\nHost: x\r\n\r\n").split(b"\r\n")[0]
        }
    return answers


@contextmanager
def sandbox_like(profile: Dict[str, Any], password: str) -> Iterator[Target]:
    """A sandbox whose user has the reference user's profile."""
    with LogtoSandbox() as sandbox:
        user = sandbox.add_user(
            username=profile.get("username"),
            email=profile.get("primaryEmail"),
            phone=profile.get("primaryPhone"),
            name=profile.get("name"),
            avatar=profile.get("avatar"),
            custom_data=profile.get("customData"),
            profile=profile.get("profile"),
            password=password,
        )
        yield Target(sandbox.url, sandbox.issue_token(user), password)


def differences(reference: Dict[str, Dict[str, Any]], sandbox: Dict[str, Dict[str, Any]]) -> List[str]:
    return [
        f"{name}: sandbox {sandbox.get(name)} != reference {answer}"
        for name, answer in reference.items()
        if sandbox.get(name) != answer
    ]


def _compare_with(reference: Target) -> List[str]:
    status, _, raw = reference.send("GET", "/api/my-account", headers={"Authorization": f"Bearer {reference.token}"})
    assert status == 200, raw
    reference_answers = run_probes(reference)
    with sandbox_like(json.loads(raw), reference.password) as sandbox:
        return differences(reference_answers, run_probes(sandbox))


def test_the_sandbox_answers_as_a_real_logto() -> None:
    endpoint, token, password = (
        os.environ.get(name) for name in ("LOGTO_ENDPOINT", "LOGTO_ACCESS_TOKEN", "LOGTO_PASSWORD")
    )
    if not (endpoint and token and password):
        pytest.skip("no real Logto to compare with: set LOGTO_ENDPOINT, LOGTO_ACCESS_TOKEN and LOGTO_PASSWORD")
    assert _compare_with(Target(endpoint, token, password)) == []


def test_the_harness_finds_two_sandboxes_alike() -> None:
    with LogtoSandbox() as reference_sandbox:
        user = reference_sandbox.add_user(
            username="reference_user",
            email="ref@example.com",
            phone="14155550100",
            name="Ref",
            password="reference-pass-1",
            custom_data={"plan": "pro"},
            profile={"givenName": "Ref"},
        )
        reference = Target(reference_sandbox.url, reference_sandbox.issue_token(user), "reference-pass-1")
        assert _compare_with(reference) == []
        answers = run_probes(reference)
    assert {
        name: answers[name]["status"] for name in ("profile", "unknown-encoding", "oversized-json", "unknown-session")
    } == {
        "profile": 200,
        "unknown-encoding": 500,
        "oversized-json": 404,
        "unknown-session": 400,
    }
    assert answers["lower-case-method"] == {"status_line": b"HTTP/1.1 400 Bad Request"}
