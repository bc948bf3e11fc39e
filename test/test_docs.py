"""The documentation is current, and every example in it runs."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

import py_logto
from test._server import Recorded, RecordingServer, Reply
from test.test_api import CASES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def python_blocks(path: Path) -> List[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_rendered_pages_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "render_docs.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr + "\nrun: python scripts/render_docs.py"


def _operation_examples() -> List[Tuple[str, str]]:
    examples = []
    for block in python_blocks(DOCS / "VerificationsApi.md"):
        name = re.search(r"VerificationsApi->(\w+):", block)
        assert name, block
        examples.append((name.group(1), block))
    return examples


def _routes() -> Dict[str, Reply]:
    return {case.path: Reply(case.status, case.reply) for case in CASES.values()}


@pytest.mark.parametrize(("name", "code"), _operation_examples(), ids=[name for name, _ in _operation_examples()])
def test_operation_examples_run(
    name: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with RecordingServer() as server:
        for path, reply in _routes().items():
            server.route(path, lambda _req, reply=reply: reply)
        script = tmp_path / "example.py"
        script.write_text(code.replace('"http://localhost"', repr(server.url)), encoding="utf-8")
        monkeypatch.setenv("ACCESS_TOKEN", "doc-example-token")
        runpy.run_path(str(script), run_name="__main__")
        requests: List[Recorded] = list(server.requests)
    out = capsys.readouterr().out
    assert f"The response of VerificationsApi->{name}:" in out, out
    assert "Exception" not in out
    assert len(requests) == 1
    assert requests[0].header("Authorization") == "Bearer doc-example-token"
    assert CASES[name].path == requests[0].path


def test_every_operation_has_a_runnable_example() -> None:
    assert sorted(name for name, _ in _operation_examples()) == sorted(CASES)


MODEL_PAGES = sorted(
    DOCS / f"{name}.md" for name in py_logto.models.__all__ if name != "VerificationCodeIdentifierInput"
)


@pytest.mark.parametrize("page", MODEL_PAGES, ids=[p.stem for p in MODEL_PAGES])
def test_model_examples_run(page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = python_blocks(page)
    if page.stem == "WebAuthnTransport":
        assert blocks == []
        return
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
