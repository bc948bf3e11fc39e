"""Every Python example in docs/Sandbox.md runs."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
from typing import List

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "Sandbox.md"


def _blocks() -> List[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)


def test_the_page_has_its_four_examples() -> None:
    assert len(_blocks()) == 4


def test_standalone_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    for index in (0, 3):
        exec(compile(_blocks()[index], str(PAGE), "exec"), {})
    out = capsys.readouterr().out
    assert out.startswith("http://127.0.0.1:")
    assert "passkey verified, record" in out


@pytest.mark.parametrize(("index", "tests"), [(1, 2), (2, 3)], ids=["verifications", "account"])
def test_pytest_examples_pass(tmp_path: pathlib.Path, index: int, tests: int) -> None:
    (tmp_path / "test_example.py").write_text(_blocks()[index], encoding="utf-8")
    env = {
        **os.environ,
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{tests} passed" in result.stdout
