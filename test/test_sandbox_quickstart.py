"""examples/quickstart.py, run as a user would: on its own sandbox, and as against a real Logto
(played here by a sandbox this test owns, with codes typed in on stdin)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from typing import Dict, List

from py_logto.testing import LogtoSandbox, SentMessage

ROOT = pathlib.Path(__file__).resolve().parents[1]
QUICKSTART = ROOT / "examples" / "quickstart.py"


def _environment(**variables: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOGTO_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    env.update(variables)
    return env


def _start(env: Dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(QUICKSTART)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    # Not communicate(): it would close stdin, on which codes may still have to be typed.
    try:
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.stdin is not None
    assert process.stdout is not None
    assert process.stderr is not None
    with process.stdin, process.stdout, process.stderr:
        return subprocess.CompletedProcess(
            process.args, process.returncode, process.stdout.read(), process.stderr.read()
        )


def test_quickstart_runs_every_flow_on_the_built_in_sandbox() -> None:
    result = _finish(_start(_environment()))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Started the Logto sandbox at http://127.0.0.1:")
    steps = [line for line in result.stdout.splitlines() if line.startswith("== ")]
    assert steps == [
        "== password",
        "== email code",
        "== SMS code",
        "== social",
        "== passkey (WebAuthn)",
        "== Account API: profile",
        "== Account API: change the primary email",
        "== Account API: bind an authenticator app and backup codes",
        "== Account API: link and unlink a social account",
        "== Account API: upload an avatar",
        "== Account API: sign out other sessions",
        "== Account API: change the password",
    ]
    assert "skipped" not in result.stdout
    assert result.stdout.count("   verified: record ") == 5
    assert "a wrong password is refused: 422 session.invalid_credentials" in result.stdout
    for line in (
        "asked again with its ETag: unchanged (304)",
        "primary email is now jane.new@example.com",
        "MFA factors: Totp, BackupCode",
        "linked: mock-social",
        "2 session(s); signed out of the 1 other(s)",
        "the old one is refused (session.invalid_credentials)",
    ):
        assert line in result.stdout
    assert result.stdout.rstrip().endswith("All flows done.")


def test_quickstart_against_a_logto_endpoint_reads_codes_from_stdin() -> None:
    running: List[subprocess.Popen[str]] = []

    def type_in(message: SentMessage) -> None:  # the user reads the code and types it in
        stdin = running[0].stdin
        assert stdin is not None
        stdin.write(message.code + "\n")
        stdin.flush()

    with LogtoSandbox(on_message=type_in) as logto:
        user = logto.add_user(password="real-password-1", email="real@example.com", phone="15557654321")
        assert logto.social_connector is not None
        env = _environment(
            LOGTO_ENDPOINT=logto.url,
            LOGTO_ACCESS_TOKEN=logto.issue_token(user),
            LOGTO_PASSWORD="real-password-1",
            LOGTO_EMAIL="real@example.com",
            LOGTO_PHONE="15557654321",
            LOGTO_SOCIAL_CONNECTOR_ID=logto.social_connector.id,
            LOGTO_SOCIAL_STATE="scripted-state",
            LOGTO_SOCIAL_CALLBACK_URL="http://localhost:3000/callback?code=idp-code&state=scripted-state",
        )
        running.append(_start(env))
        result = _finish(running[0])
        sent = [(m.channel, m.recipient) for m in logto.outbox]
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Using the Logto at {env['LOGTO_ENDPOINT']}")
    assert sent == [("email", "real@example.com"), ("sms", "15557654321")]
    assert result.stdout.count("   verified: record ") == 4  # the passkey needs a browser
    assert "needs a browser" in result.stdout
    assert "wrong password" not in result.stdout  # no lockout attempts spent on a real account
    # The Account API: reading runs; changes run only when asked for.
    assert "asked again with its ETag: unchanged (304)" in result.stdout
    for variable in ("LOGTO_NEW_EMAIL", "LOGTO_BIND_TOTP=1", "LOGTO_SIGN_OUT_OTHERS=1"):
        assert f"skipped: set {variable}" in result.stdout
    assert result.stdout.count("skipped: (runs on the sandbox)") == 3


def test_quickstart_changes_a_real_account_only_when_asked() -> None:
    running: List[subprocess.Popen[str]] = []

    def type_in(message: SentMessage) -> None:
        stdin = running[0].stdin
        assert stdin is not None
        stdin.write(message.code + "\n")
        stdin.flush()

    with LogtoSandbox(on_message=type_in) as logto:
        user = logto.add_user(password="real-password-1", email="real@example.com")
        logto.sign_in(user, user_agent="another device")
        env = _environment(
            LOGTO_ENDPOINT=logto.url,
            LOGTO_ACCESS_TOKEN=logto.issue_token(user),
            LOGTO_PASSWORD="real-password-1",
            LOGTO_NEW_EMAIL="real.new@example.com",
            LOGTO_SIGN_OUT_OTHERS="1",
        )
        running.append(_start(env))
        result = _finish(running[0])
        assert logto.user(user.id).email == "real.new@example.com"
        assert len(logto.sessions(user)) == 1
    assert result.returncode == 0, result.stderr
    assert "primary email is now real.new@example.com" in result.stdout
    assert "2 session(s); signed out of the 1 other(s)" in result.stdout


def test_quickstart_skips_what_is_not_configured_and_fails_on_an_error() -> None:
    with LogtoSandbox() as logto:
        user = logto.add_user(password="real-password-1")
        token = logto.issue_token(user)
        skipped = _finish(_start(_environment(LOGTO_ENDPOINT=logto.url, LOGTO_ACCESS_TOKEN=token)))
        failed = _finish(
            _start(_environment(LOGTO_ENDPOINT=logto.url, LOGTO_ACCESS_TOKEN=token, LOGTO_PASSWORD="wrong"))
        )
    assert skipped.returncode == 0, skipped.stderr
    for variable in ("LOGTO_PASSWORD", "LOGTO_EMAIL", "LOGTO_PHONE", "LOGTO_SOCIAL_CONNECTOR_ID"):
        assert f"skipped: set {variable}" in skipped.stdout
    assert failed.returncode == 1
    assert "(422) Unprocessable Entity [session.invalid_credentials]" in failed.stderr
