"""The package ships its types, and user code type-checks under ``mypy --strict``."""

from __future__ import annotations

import importlib.util
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
