"""The floors of the package: ``rest.py`` is the only module that imports urllib3, and the
sandbox (``py_logto.testing``) imports nothing but the standard library and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Iterator, Tuple

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "py_logto"


def _imports(path: Path) -> Iterator[Tuple[str, int]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno


def test_only_rest_imports_urllib3() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for module, line in _imports(path)
        if module.split(".")[0] == "urllib3" and path.name != "rest.py"
    ]
    assert found == []


@pytest.mark.skipif(sys.version_info < (3, 10), reason="sys.stdlib_module_names is new in Python 3.10")
def test_the_sandbox_uses_the_standard_library_only() -> None:
    allowed = set(sys.stdlib_module_names) | {"py_logto"}
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {module}"
        for path in sorted((PACKAGE / "testing").rglob("*.py"))
        for module, line in _imports(path)
        if module.split(".")[0] not in allowed
        or (module.startswith("py_logto.") and not module.startswith("py_logto.testing"))
    ]
    assert found == []
