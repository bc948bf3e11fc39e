"""Cold start: the whole-process wall time of a fresh interpreter that imports
py_logto, configures it and makes one call (a Verifications call, or an Account
call), next to the floor (a process that imports urllib3 and pydantic's
``BaseModel`` and makes one raw call).

A "typed floor" is measured too: the floor plus two small pydantic models for the
body and the reply, which is what any pydantic-based client pays at start-up.

Each variant runs ``--reps`` times against one canned-response server; every
repetition runs all variants back to back, and each figure in the table is the
median over repetitions of a difference taken within one repetition (variant minus
empty interpreter; py_logto minus a floor), so that changes in machine load cancel.
Wall time is measured around the process; CPU time is the process's own
(``wait4``'s user + system time).

The interpreters start as they would from a regular installation: ``-S``, then
``site`` imported and the site-packages directories (and the directory py_logto is
imported from) put on ``sys.path``, so no ``.pth`` file runs. An editable install's
``.pth`` imports ``pathlib``, ``re``, ``enum``, ``urllib.parse``... into every
interpreter, the empty one included, which would hide what they cost whoever
imports them first; ``--with-pth`` starts them as they are instead.

    python benchmarks/coldstart.py [--reps 15] [--with-pth]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import site
import statistics
import subprocess
import sys
import time
from typing import Dict, List, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import (
    JSON_HEADERS,
    PASSWORD,
    PROFILE_PATH,
    TOKEN,
    USER_AGENT,
    VERIFY_PATH,
    CannedServer,
    print_table,
    probe_env,
)

DEFAULT_REPS = 15

_HEADERS = {"User-Agent": USER_AGENT, **JSON_HEADERS, "Authorization": "Bearer " + TOKEN}
_FLOOR_IMPORT = "import json, urllib3; from pydantic import BaseModel"
_FLOOR_CALL = f"""{_FLOOR_IMPORT}
import sys
manager = urllib3.PoolManager()
response = manager.request(
    "POST", sys.argv[1] + {VERIFY_PATH!r}, body=json.dumps({{"password": {PASSWORD!r}}}).encode(), headers={_HEADERS!r}
)
assert response.status == 201
json.loads(response.data)
"""
# What any client with pydantic models pays on top: defining a model imports the
# rest of pydantic (pydantic.fields, pydantic.types, annotated_types), and each
# model's validator and serializer are built on first use.
_TYPED_FLOOR_CALL = f"""{_FLOOR_IMPORT}
import sys
class Request(BaseModel):
    password: str
class Reply(BaseModel):
    verificationRecordId: str
    expiresAt: str
manager = urllib3.PoolManager()
response = manager.request(
    "POST", sys.argv[1] + {VERIFY_PATH!r}, body=Request(password={PASSWORD!r}).model_dump_json().encode(),
    headers={_HEADERS!r},
)
assert response.status == 201
Reply.model_validate_json(response.data)
"""
# The Account call's typed floor: the same GET parsed by plain pydantic models of the
# same shape (the five models of the profile: 47 fields), as any pydantic-based
# client would define them.
_ACCOUNT_TYPED_FLOOR_CALL = f"""{_FLOOR_IMPORT}
import sys
from typing import Any, Dict, List, Optional, Union
class Address(BaseModel):
    formatted: Optional[str] = None
    streetAddress: Optional[str] = None
    locality: Optional[str] = None
    region: Optional[str] = None
    postalCode: Optional[str] = None
    country: Optional[str] = None
class Profile(BaseModel):
    familyName: Optional[str] = None
    givenName: Optional[str] = None
    middleName: Optional[str] = None
    nickname: Optional[str] = None
    preferredUsername: Optional[str] = None
    profile: Optional[str] = None
    website: Optional[str] = None
    gender: Optional[str] = None
    birthdate: Optional[str] = None
    zoneinfo: Optional[str] = None
    locale: Optional[str] = None
    address: Optional[Address] = None
class Identity(BaseModel):
    userId: str
    details: Optional[Dict[str, Any]] = None
class SsoIdentity(BaseModel):
    tenantId: str
    id: str
    userId: str
    issuer: str
    identityId: str
    detail: Dict[str, Any]
    createdAt: Union[int, float]
    updatedAt: Union[int, float]
    ssoConnectorId: str
class Reply(BaseModel):
    id: Optional[str] = None
    username: Optional[str] = None
    primaryEmail: Optional[str] = None
    primaryPhone: Optional[str] = None
    name: Optional[str] = None
    avatar: Optional[str] = None
    customData: Optional[Dict[str, Any]] = None
    identities: Optional[Dict[str, Identity]] = None
    lastSignInAt: Optional[Union[int, float]] = None
    createdAt: Optional[Union[int, float]] = None
    updatedAt: Optional[Union[int, float]] = None
    profile: Optional[Profile] = None
    applicationId: Optional[str] = None
    cimdClientId: Optional[str] = None
    isSuspended: Optional[bool] = None
    hasPassword: Optional[bool] = None
    hasSecurityVerificationMethod: Optional[bool] = None
    ssoIdentities: Optional[List[SsoIdentity]] = None
manager = urllib3.PoolManager()
response = manager.request(
    "GET", sys.argv[1] + {PROFILE_PATH!r}, headers={{"Accept": "application/json", "Authorization": "Bearer " + {TOKEN!r}}}
)
assert response.status == 200
Reply.model_validate_json(response.data)
"""
_SDK_IMPORT = "import py_logto"
_SDK_CLIENT = f"""{_SDK_IMPORT}
import sys
configuration = py_logto.Configuration(host=sys.argv[1], access_token={TOKEN!r})
with py_logto.ApiClient(configuration) as client:
"""
_SDK_CALL = (
    _SDK_CLIENT
    + f"""    api = py_logto.VerificationsApi(client)
    api.create_verification_by_password(py_logto.CreateVerificationByPasswordRequest(password={PASSWORD!r}))
"""
)
_SDK_ACCOUNT_CALL = (
    _SDK_CLIENT
    + """    py_logto.MyAccountApi(client).get_profile()
"""
)

_EMPTY = "empty interpreter"
_FLOOR_IMPORT_LABEL = "floor: import urllib3, pydantic.BaseModel"
_FLOOR_CALL_LABEL = "floor: ... + one raw call"
TYPED_FLOOR_LABEL = "typed floor: ... + two pydantic models"
_SDK_IMPORT_LABEL = "import py_logto"
_SDK_CALL_LABEL = "py_logto: import + configure + one call"
_SDK_ACCOUNT_LABEL = "py_logto: ... an Account call instead"
ACCOUNT_TYPED_FLOOR_LABEL = "Account typed floor: GET + its five models"

#: (label, code); the first is the baseline subtracted from the others.
VARIANTS = [
    (_EMPTY, "pass"),
    (_FLOOR_IMPORT_LABEL, _FLOOR_IMPORT),
    (_FLOOR_CALL_LABEL, _FLOOR_CALL),
    (TYPED_FLOOR_LABEL, _TYPED_FLOOR_CALL),
    (ACCOUNT_TYPED_FLOOR_LABEL, _ACCOUNT_TYPED_FLOOR_CALL),
    (_SDK_IMPORT_LABEL, _SDK_IMPORT),
    (_SDK_CALL_LABEL, _SDK_CALL),
    (_SDK_ACCOUNT_LABEL, _SDK_ACCOUNT_CALL),
]
#: What each variant is compared with, and the short name used in the table.
FLOORS = {
    TYPED_FLOOR_LABEL: (_FLOOR_CALL_LABEL,),
    ACCOUNT_TYPED_FLOOR_LABEL: (_FLOOR_CALL_LABEL,),
    _SDK_CALL_LABEL: (_FLOOR_CALL_LABEL, TYPED_FLOOR_LABEL),
    _SDK_ACCOUNT_LABEL: (TYPED_FLOOR_LABEL, ACCOUNT_TYPED_FLOOR_LABEL),
}
_SHORT = {
    _FLOOR_CALL_LABEL: "floor",
    TYPED_FLOOR_LABEL: "typed floor",
    ACCOUNT_TYPED_FLOOR_LABEL: "Account typed floor",
}


def interpreter(with_pth: bool = False) -> List[str]:
    """The command that starts a probe, before its code: as from a regular install
    (no ``.pth`` file run), or, ``with_pth``, as this interpreter starts."""
    if with_pth:
        return [sys.executable, "-c"]
    spec = importlib.util.find_spec("py_logto")
    if spec is None or spec.origin is None:
        raise RuntimeError("py_logto is not installed")
    home = os.path.dirname(os.path.dirname(spec.origin))
    paths = [home, *(p for p in site.getsitepackages() if p != home)]
    return [sys.executable, "-S", "-c", f"import site, sys; sys.path[1:1] = {paths!r}\n"]


def _once(command: List[str], code: str, url: str, env: Dict[str, str]) -> Tuple[float, float]:
    """Run ``code`` in a fresh interpreter: (wall ms, CPU ms of that process)."""
    *start, prelude = command
    started = time.perf_counter()
    process = subprocess.Popen([*start, prelude + code, url], stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"the cold-start probe failed with exit code {process.returncode}:\n{code}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def measure(url: str, reps: int, with_pth: bool = False) -> Dict[str, List[Tuple[float, float]]]:
    """(wall ms, CPU ms) of every variant in every repetition. Each repetition runs
    all variants back to back (in a rotating order), so they share the machine's
    load of that moment."""
    env = probe_env()
    command = interpreter(with_pth)
    if reps >= 3:  # a real run: first write the bytecode caches and warm the page cache
        for _, code in VARIANTS:
            _once(command, code, url, env)
    times: Dict[str, List[Tuple[float, float]]] = {label: [] for label, _ in VARIANTS}
    for rep in range(reps):
        shift = rep % len(VARIANTS)
        for label, code in VARIANTS[shift:] + VARIANTS[:shift]:
            times[label].append(_once(command, code, url, env))
    return times


def _median_difference(a: List[Tuple[float, float]], b: List[Tuple[float, float]]) -> Tuple[float, float]:
    """Median over repetitions of ``a - b`` (wall, CPU), each pair from the same repetition."""
    return (
        statistics.median(x[0] - y[0] for x, y in zip(a, b)),
        statistics.median(x[1] - y[1] for x, y in zip(a, b)),
    )


def run(url: str, reps: int, with_pth: bool = False) -> List[List[str]]:
    """Rows of the cold-start table: wall and CPU ms above an empty interpreter, and
    py_logto's difference from the matching floor."""
    times = measure(url, reps, with_pth)
    empty = times[_EMPTY]
    rows = [
        [
            _EMPTY + " (absolute)",
            f"{statistics.median(t[0] for t in empty):.1f}",
            f"{statistics.median(t[1] for t in empty):.1f}",
            "",
        ]
    ]
    for label, _ in VARIANTS[1:]:
        wall, cpu = _median_difference(times[label], empty)
        versus = ""
        for floor in FLOORS.get(label, ()):
            floor_wall, floor_cpu = _median_difference(times[label], times[floor])
            versus += f"{'; ' if versus else ''}{floor_wall:+.1f} / {floor_cpu:+.1f} ({_SHORT[floor]})"
        rows.append([label, f"{wall:.1f}", f"{cpu:.1f}", versus])
    return rows


def report(url: str, reps: int, with_pth: bool = False) -> None:
    """Measure and print the cold-start table."""
    started = "as they start here, .pth files run" if with_pth else "as from a regular install"
    print_table(
        f"Cold start ({reps} processes each, interleaved, {started}; medians of paired differences)",
        ["variant", "wall ms", "CPU ms", "difference: wall / CPU ms"],
        run(url, reps, with_pth),
    )


def main(argv: List[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reps", type=int, default=DEFAULT_REPS, help=f"processes per variant (default {DEFAULT_REPS})"
    )
    parser.add_argument("--with-pth", action="store_true", help="start the interpreters as they are (.pth files run)")
    args = parser.parse_args(argv)
    with CannedServer() as server:
        report(server.url, args.reps, args.with_pth)


if __name__ == "__main__":
    main(sys.argv[1:])
