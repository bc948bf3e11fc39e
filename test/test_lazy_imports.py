"""``import py_logto`` loads nothing until a name is used, and every public name still resolves."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

import py_logto
import py_logto.models
from test._server import RecordingServer, Reply

PROFILE = {
    "id": "u1",
    "username": "jane",
    "primaryEmail": "jane@example.com",
    "identities": {"github": {"userId": "5830127", "details": {"email": "jane@example.com"}}},
    "profile": {"givenName": "Jane", "address": {"locality": "Leeds"}},
    "createdAt": 1732531491555,
    "hasSecurityVerificationMethod": True,
}
#: The py_logto modules any call loads: the package, the engine and the transport.
ENGINE = {
    "py_logto",
    "py_logto._headers",
    "py_logto._operation",
    "py_logto._version",
    "py_logto.api",
    "py_logto.api_client",
    "py_logto.api_response",
    "py_logto.configuration",
    "py_logto.exceptions",
    "py_logto.models",
    "py_logto.models._base",
    "py_logto.rest",
}


def fresh_modules(code: str, *argv: str) -> List[str]:
    """The py_logto / pydantic / urllib3 modules a fresh interpreter has loaded after ``code``."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True).stdout
    return [m for m in json.loads(out) if m.split(".")[0] in ("py_logto", "pydantic", "urllib3")]


def test_import_py_logto_loads_only_the_package() -> None:
    assert fresh_modules("import py_logto") == ["py_logto", "py_logto._version"]


def test_import_py_logto_imports_neither_typing_nor_re() -> None:
    """They are most of what an import costs (~9 ms); a client loads them when first used.
    The interpreter starts without .pth files (an editable install's imports ``re``)."""
    home = str(Path(py_logto.__file__).resolve().parent.parent)
    probe = (
        f"import site, sys; sys.path[1:1] = [{home!r}, *site.getsitepackages()]\n"
        "import py_logto\n"
        "print(sorted({'typing', 're', 'importlib'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


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


def first_call(server: RecordingServer, code: str) -> List[str]:
    """The modules loaded by a fresh interpreter that runs ``code`` with ``api``, a
    ``MyAccountApi`` on ``server``, as its first use of py_logto."""
    return fresh_modules(
        "import sys, py_logto\n"
        "client = py_logto.ApiClient(py_logto.Configuration(host=sys.argv[1], access_token='t'))\n"
        "api = py_logto.MyAccountApi(client)\n" + code,
        server.url,
    )


def test_a_first_account_call_loads_its_own_models_and_nothing_else(server: RecordingServer) -> None:
    server.queue(Reply(200, PROFILE))
    loaded = first_call(server, "assert api.get_profile().profile.address.locality == 'Leeds'")
    # What only some models need: a model serializer (UpdateProfileRequest's explicit nulls).
    assert "pydantic.functional_serializers" not in loaded
    # Not loaded: the sandbox, multipart encoding, the error body's model (parsed only
    # from an error), the Verifications API, and every other model.
    assert {m for m in loaded if m.startswith("py_logto")} == ENGINE | {
        "py_logto.api.my_account_api",
        "py_logto.models._timestamps",
        "py_logto.models.get_profile200_response",
        "py_logto.models.user_identity",
        "py_logto.models.user_profile",
        "py_logto.models.user_profile_address",
        "py_logto.models.user_sso_identity",
    }


def test_an_error_loads_the_error_body_model(server: RecordingServer) -> None:
    server.queue(Reply(401, {"code": "auth.unauthorized", "message": "Unauthorized."}))
    loaded = first_call(
        server, "try:\n    api.get_profile()\nexcept py_logto.UnauthorizedException as err:\n    assert err.data"
    )
    assert "py_logto.models.request_error_body" in loaded
    assert "py_logto.testing" not in loaded


def test_only_an_upload_loads_multipart_encoding(server: RecordingServer) -> None:
    server.queue(Reply(204), Reply(200, {"url": "https://example.com/avatar.png"}))
    assert "py_logto._multipart" not in first_call(server, "api.delete_session_by_id('s1', 'v1')")
    assert server.last.path == "/api/my-account/sessions/s1"
    assert "py_logto._multipart" in first_call(server, "api.upload_account_avatar(('a.png', b'PNG', 'image/png'))")
    assert server.last.path == "/api/my-account/user-assets/avatar"


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
