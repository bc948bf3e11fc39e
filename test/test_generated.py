"""The committed models and API classes are what ``scripts/generate.py`` writes from spec/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = Path("scripts") / "generate.py"


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / GENERATOR), "--check"], capture_output=True, text=True, cwd=root, check=False
    )


def _stale(result: subprocess.CompletedProcess[str]) -> List[str]:
    return sorted(line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("stale: "))


def test_the_generated_files_are_current() -> None:
    result = _check(ROOT)
    assert result.returncode == 0, (
        "generated files differ from what scripts/generate.py writes:\n"
        + result.stdout
        + result.stderr
        + "\nrun: python scripts/generate.py"
    )
    assert result.stdout == ""


@pytest.fixture(scope="module")
def copy_of_the_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the generator reads and writes, copied: the checks below change files."""
    root = tmp_path_factory.mktemp("repository")
    for name in ("scripts", "spec", "py_logto"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    assert _check(root).returncode == 0
    return root


def test_a_hand_edit_an_extra_and_a_missing_file_are_each_named(copy_of_the_repository: Path) -> None:
    root = copy_of_the_repository
    edited = root / "py_logto" / "models" / "update_password_request.py"
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original.replace("min_length=1", "min_length=8"), encoding="utf-8")
    extra = root / "py_logto" / "models" / "leftover_model.py"
    extra.write_text('"""A model whose schema was removed."""\n', encoding="utf-8")
    missing = root / "py_logto" / "api" / "my_account_api.py"
    missing.unlink()
    try:
        result = _check(root)
        assert result.returncode == 1
        assert _stale(result) == [
            "py_logto/api/my_account_api.py",
            "py_logto/models/leftover_model.py",
            "py_logto/models/update_password_request.py",
        ]
    finally:
        edited.write_text(original, encoding="utf-8")
        extra.unlink()
    # Writing repairs the copy (and the missing file comes back).
    written = subprocess.run(
        [sys.executable, str(root / GENERATOR)], capture_output=True, text=True, cwd=root, check=False
    )
    assert written.returncode == 0, written.stderr
    assert missing.is_file()
    assert _check(root).returncode == 0


def test_a_hand_edit_of_the_package_exports_is_reported(copy_of_the_repository: Path) -> None:
    package_init = copy_of_the_repository / "py_logto" / "__init__.py"
    original = package_init.read_text(encoding="utf-8")
    package_init.write_text(original.replace('    "UpdatePasswordRequest",\n', "", 1), encoding="utf-8")
    try:
        result = _check(copy_of_the_repository)
        assert result.returncode == 1
        assert _stale(result) == ["py_logto/__init__.py"]
    finally:
        package_init.write_text(original, encoding="utf-8")
