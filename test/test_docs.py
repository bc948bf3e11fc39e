"""The documentation is current, and every example in it runs."""

from __future__ import annotations

import json
import re
import runpy
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

import py_logto
from py_logto.api import my_account_api, verifications_api
from test._contract import snake_case
from test._server import Recorded, RecordingServer, Reply
from test.test_api import CASES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ACCOUNT_SPEC = json.loads((ROOT / "spec" / "logto-account.openapi.json").read_text(encoding="utf-8"))


def python_blocks(path: Path) -> List[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_rendered_pages_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "render_docs.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr + "\nrun: python scripts/render_docs.py"


APIS = {"VerificationsApi": verifications_api._OPERATIONS, "MyAccountApi": my_account_api._OPERATIONS}

#: The smallest PNG file, for the avatar example.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db20000000049454e44ae426082"
)


def _operation_examples() -> List[Tuple[str, str, str]]:
    examples = []
    for api in APIS:
        for block in python_blocks(DOCS / f"{api}.md"):
            name = re.search(rf"{api}->(\w+):", block)
            assert name, block
            examples.append((api, name.group(1), block))
    return examples


def _success_reply(api: str, name: str) -> Tuple[Reply, re.Pattern[str]]:
    """What the example's server answers, and the paths the example may call."""
    if api == "VerificationsApi":
        case = CASES[name]
        return Reply(case.status, case.reply), re.compile(re.escape(case.path))
    op = next(o for o in APIS[api].values() if snake_case(o.operation_id) == name)
    path = re.sub(r"\\{\w+\\}", "[^/?]+", re.escape(op.path)) + r"(\?.*)?"
    spec_op = next(
        o for item in ACCOUNT_SPEC["paths"].values() for o in item.values() if o["operationId"] == op.operation_id
    )
    content = spec_op["responses"][str(op.success_status)].get("content") or {}
    if "application/json" in content:
        return Reply(op.success_status, content["application/json"]["example"]), re.compile(path)
    if "text/plain" in content:
        return Reply(op.success_status, "OK", content_type="text/plain; charset=utf-8"), re.compile(path)
    return Reply(op.success_status, None, content_type=None), re.compile(path)


@pytest.mark.parametrize(
    ("api", "name", "code"), _operation_examples(), ids=[f"{api}.{name}" for api, name, _ in _operation_examples()]
)
def test_operation_examples_run(
    api: str,
    name: str,
    code: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reply, path = _success_reply(api, name)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "avatar.png").write_bytes(PNG)
    with RecordingServer() as server:
        server.queue(reply)
        script = tmp_path / "example.py"
        script.write_text(code.replace('"http://localhost"', repr(server.url)), encoding="utf-8")
        monkeypatch.setenv("ACCESS_TOKEN", "doc-example-token")
        runpy.run_path(str(script), run_name="__main__")
        requests: List[Recorded] = list(server.requests)
    out = capsys.readouterr().out
    assert f"The response of {api}->{name}:" in out, out
    assert "Exception" not in out
    assert len(requests) == 1
    assert requests[0].header("Authorization") == "Bearer doc-example-token"
    assert path.fullmatch(requests[0].path), requests[0].path


def test_every_operation_has_a_runnable_example() -> None:
    documented = sorted((api, name) for api, name, _ in _operation_examples())
    assert documented == sorted((api, snake_case(op_id)) for api, ops in APIS.items() for op_id in ops)


MODEL_PAGES = sorted(
    DOCS / f"{name}.md"
    for name in py_logto.models.__all__
    if not name.endswith("Input") and not (name.endswith("Dict") and name[:-4] in py_logto.models.__all__)
)


@pytest.mark.parametrize("page", MODEL_PAGES, ids=[p.stem for p in MODEL_PAGES])
def test_model_examples_run(page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = python_blocks(page)
    assert blocks, f"{page.name} has no example"
    for code in blocks:
        script = tmp_path / "model_example.py"
        script.write_text(code, encoding="utf-8")
        runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.strip()


def test_readme_sandbox_fixture_example_passes(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Testing your code with the sandbox", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert code, "the README's sandbox section has no example"
    (tmp_path / "test_readme_example.py").write_text(code.group(1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_readme_verify_then_change_flows_run_on_the_sandbox() -> None:
    from py_logto.testing import LogtoSandbox

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Verify, then change", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert code, "the README's 'Verify, then change' section has no example"
    flows: dict = {}  # type: ignore[type-arg]
    exec(compile(code.group(1), "README.md", "exec"), flows)

    with LogtoSandbox() as sandbox:
        user = sandbox.add_user(password="old-pass-123", email="jane@example.com")
        sandbox.sign_in(user, user_agent="a second device")
        assert sandbox.social_connector is not None
        configuration = py_logto.Configuration(host=sandbox.url, access_token=sandbox.issue_token(user))
        with py_logto.ApiClient(configuration) as client:
            verifications, account = py_logto.VerificationsApi(client), py_logto.MyAccountApi(client)
            identity = flows["prove_identity"](verifications, "old-pass-123")
            flows["change_primary_email"](
                verifications, account, identity, "jane.new@example.com", lambda: sandbox.last_message().code
            )
            assert account.get_profile().primary_email == "jane.new@example.com"
            codes = flows["bind_totp_and_backup_codes"](account, identity, sandbox.totp_code)
            assert len(codes) == 10
            assert [str(f.type) for f in account.get_mfa_verifications()] == ["Totp", "BackupCode"]
            flows["link_social_account"](
                verifications,
                account,
                identity,
                sandbox.social_connector.id,
                "https://app.example.com/callback",
                lambda uri: {"code": "from-the-provider", "state": "a-random-state"},
            )
            linked = account.get_profile().identities or {}
            assert list(linked) == ["mock-social"]
            flows["unlink_social_account"](account, identity, "mock-social")
            assert not account.get_profile().identities
            assert flows["sign_out_other_sessions"](account, identity) == 1
            flows["change_password"](account, identity, "new-pass-456")
            assert flows["prove_identity"](verifications, "new-pass-456")
