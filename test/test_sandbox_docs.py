"""Every Python example in docs/Sandbox.md runs."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
from typing import Any, Dict, List

import py_logto
from py_logto.testing import LogtoSandbox, make_webauthn_credential

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "Sandbox.md"


def _blocks() -> List[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)


def test_the_page_has_its_three_examples() -> None:
    assert len(_blocks()) == 3


def test_introduction_example_runs() -> None:
    exec(compile(_blocks()[0], str(PAGE), "exec"), {})


def test_pytest_fixture_example_passes(tmp_path: pathlib.Path) -> None:
    (tmp_path / "test_example.py").write_text(_blocks()[1], encoding="utf-8")
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
    assert "2 passed" in result.stdout


def test_passkey_example_runs() -> None:
    with LogtoSandbox() as sandbox:
        configuration = py_logto.Configuration(host=sandbox.url)
        configuration.access_token = sandbox.issue_token(sandbox.add_user(email="jane@example.com"))
        with py_logto.ApiClient(configuration) as api_client:
            namespace: Dict[str, Any] = {
                "api": py_logto.VerificationsApi(api_client),
                "py_logto": py_logto,
                "make_webauthn_credential": make_webauthn_credential,
            }
            exec(compile(_blocks()[2], str(PAGE), "exec"), namespace)
