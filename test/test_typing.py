"""The package ships its types, and user code type-checks under ``mypy --strict``."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

import py_logto
from test import typing_usage

ROOT = Path(__file__).resolve().parent.parent


def test_py_typed_is_shipped() -> None:
    assert (Path(py_logto.__file__).parent / "py.typed").is_file()


def test_usage_module_runs() -> None:
    assert typing_usage.SAME_CLASS


@pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None, reason="mypy is not installed (pip install -r test-requirements.txt)"
)
def test_user_code_passes_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(ROOT / "test" / "typing_usage.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


_MUST_FAIL = re.compile(r"\s*# type: ignore\[[^\]]+\]\s*# must fail: .*$")


@pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None, reason="mypy is not installed (pip install -r test-requirements.txt)"
)
def test_the_mistakes_in_user_code_are_type_errors(tmp_path: Path) -> None:
    """Without their ``type: ignore``, the lines marked ``must fail`` in typing_usage.py (a
    misspelt dict key, a wrong enum literal, a missing required header, ...) are exactly
    the lines mypy reports. (With the ignores, ``--strict`` reports an ignore that is no
    longer needed, so the mistakes stay mistakes.)"""
    lines = (ROOT / "test" / "typing_usage.py").read_text(encoding="utf-8").splitlines()
    marked = {number for number, line in enumerate(lines, 1) if _MUST_FAIL.search(line)}
    assert len(marked) >= 7
    stripped = tmp_path / "typing_mistakes.py"
    stripped.write_text("\n".join(_MUST_FAIL.sub("", line) for line in lines) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--show-error-codes", str(stripped)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    reported = {int(n) for n in re.findall(rf"^{re.escape(str(stripped))}:(\d+): error:", result.stdout, re.M)}
    assert reported == marked, result.stdout
