"""``import py_logto`` loads nothing until a name is used, and every public name still resolves."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from typing import List

import pytest

import py_logto
import py_logto.models


def fresh_modules(code: str) -> List[str]:
    """The py_logto / pydantic / urllib3 modules a fresh interpreter has loaded after ``code``."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return [m for m in json.loads(out) if m.split(".")[0] in ("py_logto", "pydantic", "urllib3")]


def test_import_py_logto_loads_only_the_package() -> None:
    assert fresh_modules("import py_logto") == ["py_logto", "py_logto._version"]


def test_one_operation_loads_its_own_models_only() -> None:
    loaded = fresh_modules(
        "import py_logto\n"
        "from py_logto.api.verifications_api import _CREATE_VERIFICATION_BY_PASSWORD as op\n"
        "op.request_type, op.response_type"
    )
    models = {m.rsplit(".", 1)[1] for m in loaded if m.startswith("py_logto.models.")}
    assert models == {
        "_base",
        "_timestamps",
        "create_verification_by_password_request",
        "create_verification_by_password201_response",
    }
    assert "py_logto.testing" not in loaded


@pytest.mark.parametrize("package", [py_logto, py_logto.models], ids=["py_logto", "py_logto.models"])
def test_every_public_name_resolves(package: object) -> None:
    names = package.__all__  # type: ignore[attr-defined]
    for name in names:
        value = getattr(package, name)
        if isinstance(value, type):  # the class the module that defines it holds
            assert getattr(importlib.import_module(value.__module__), name) is value, name
        else:  # __version__, and the VerificationCodeIdentifierInput type alias
            assert value is not None, name
    assert set(names) <= set(dir(package))


def test_unknown_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="no attribute 'NoSuchModel'"):
        _ = py_logto.NoSuchModel  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="no attribute 'NoSuchModel'"):
        _ = py_logto.models.NoSuchModel  # type: ignore[attr-defined]


def test_submodules_are_attributes_of_the_package() -> None:
    loaded = fresh_modules("import py_logto\npy_logto.models.__all__, py_logto.rest.RESTClientObject")
    assert "py_logto.models" in loaded
    assert "py_logto.rest" in loaded


def test_star_import_gives_every_public_name() -> None:
    namespace: dict[str, object] = {}
    exec("from py_logto import *", namespace)
    assert set(py_logto.__all__) <= set(namespace)


def test_threads_that_first_use_a_model_together_all_validate_with_it() -> None:
    """Models are built once, as their module is imported; with pydantic < 2.13,
    building them on first use let concurrent threads validate with a parent's validator."""
    code = """
import threading
import py_logto
errors = []
start = threading.Barrier(8)
def first_use():
    start.wait()
    try:
        py_logto.CreateVerificationByPasswordRequest(password="p")
        py_logto.CreateVerificationByPassword201Response.from_json(
            '{"verificationRecordId": "r", "expiresAt": "2026-11-25T11:44:51.555Z"}'
        )
        py_logto.VerificationCodeIdentifier.from_dict({"type": "email", "value": "jane@example.com"})
    except Exception as err:
        errors.append(repr(err))
threads = [threading.Thread(target=first_use) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(errors)
"""
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.strip() == "[]"
