"""Cold start: the whole-process wall time of a fresh interpreter that imports
py_logto, configures it and makes one call, next to the floor (a process that
imports urllib3 and pydantic's ``BaseModel`` and makes one raw call).

A "typed floor" is measured too: the floor plus two small pydantic models for the
body and the reply, which is what any pydantic-based client pays at start-up.

Each variant runs ``--reps`` times against one canned-response server; every
repetition runs all variants back to back, and each figure in the table is the
median over repetitions of a difference taken within one repetition (variant minus
empty interpreter; py_logto minus a floor), so that changes in machine load cancel.
Wall time is measured around the process; CPU time is the process's own
(``wait4``'s user + system time).

    python benchmarks/coldstart.py [--reps 15]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from typing import Dict, List, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import PASSWORD, PATH, TOKEN, print_table, probe_env, run_alone

DEFAULT_REPS = 15

_FLOOR_IMPORT = "import json, urllib3; from pydantic import BaseModel"
_FLOOR_CALL = f"""{_FLOOR_IMPORT}
import sys
manager = urllib3.PoolManager()
response = manager.request(
    "POST", sys.argv[1] + {PATH!r}, body=json.dumps({{"password": {PASSWORD!r}}}).encode(),
    headers={{"Content-Type": "application/json", "Authorization": "Bearer " + {TOKEN!r}}},
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
    "POST", sys.argv[1] + {PATH!r}, body=Request(password={PASSWORD!r}).model_dump_json().encode(),
    headers={{"Content-Type": "application/json", "Authorization": "Bearer " + {TOKEN!r}}},
)
assert response.status == 201
Reply.model_validate_json(response.data)
"""
_SDK_IMPORT = "import py_logto"
_SDK_CALL = f"""{_SDK_IMPORT}
import sys
configuration = py_logto.Configuration(host=sys.argv[1], access_token={TOKEN!r})
with py_logto.ApiClient(configuration) as client:
    api = py_logto.VerificationsApi(client)
    api.create_verification_by_password(py_logto.CreateVerificationByPasswordRequest(password={PASSWORD!r}))
"""

_EMPTY = "empty interpreter"
_FLOOR_IMPORT_LABEL = "floor: import urllib3, pydantic.BaseModel"
_FLOOR_CALL_LABEL = "floor: ... + one raw call"
_TYPED_FLOOR_LABEL = "typed floor: ... + two pydantic models"
_SDK_IMPORT_LABEL = "import py_logto"
_SDK_CALL_LABEL = "py_logto: import + configure + one call"

#: (label, code); the first is the baseline subtracted from the others.
VARIANTS = [
    (_EMPTY, "pass"),
    (_FLOOR_IMPORT_LABEL, _FLOOR_IMPORT),
    (_FLOOR_CALL_LABEL, _FLOOR_CALL),
    (_TYPED_FLOOR_LABEL, _TYPED_FLOOR_CALL),
    (_SDK_IMPORT_LABEL, _SDK_IMPORT),
    (_SDK_CALL_LABEL, _SDK_CALL),
]
#: What each variant is compared with, and the short name used in the table.
_FLOORS = {
    _TYPED_FLOOR_LABEL: (_FLOOR_CALL_LABEL,),
    _SDK_IMPORT_LABEL: (_FLOOR_IMPORT_LABEL,),
    _SDK_CALL_LABEL: (_FLOOR_CALL_LABEL, _TYPED_FLOOR_LABEL),
}
_SHORT = {_FLOOR_IMPORT_LABEL: "import floor", _FLOOR_CALL_LABEL: "floor", _TYPED_FLOOR_LABEL: "typed floor"}


def _once(code: str, url: str, env: Dict[str, str]) -> Tuple[float, float]:
    """Run ``code`` in a fresh interpreter: (wall ms, CPU ms of that process)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, url], stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"the cold-start probe failed with exit code {process.returncode}:\n{code}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def measure(url: str, reps: int) -> Dict[str, List[Tuple[float, float]]]:
    """(wall ms, CPU ms) of every variant in every repetition. Each repetition runs
    all variants back to back (in a rotating order), so they share the machine's
    load of that moment."""
    env = probe_env()
    if reps >= 3:  # a real run: first write the bytecode caches and warm the page cache
        for _, code in VARIANTS:
            _once(code, url, env)
    times: Dict[str, List[Tuple[float, float]]] = {label: [] for label, _ in VARIANTS}
    for rep in range(reps):
        shift = rep % len(VARIANTS)
        for label, code in VARIANTS[shift:] + VARIANTS[:shift]:
            times[label].append(_once(code, url, env))
    return times


def _median_difference(a: List[Tuple[float, float]], b: List[Tuple[float, float]]) -> Tuple[float, float]:
    """Median over repetitions of ``a - b`` (wall, CPU), each pair from the same repetition."""
    return (
        statistics.median(x[0] - y[0] for x, y in zip(a, b)),
        statistics.median(x[1] - y[1] for x, y in zip(a, b)),
    )


def run(url: str, reps: int) -> List[List[str]]:
    """Rows of the cold-start table: wall and CPU ms above an empty interpreter, and
    py_logto's difference from the matching floor."""
    times = measure(url, reps)
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
        for floor in _FLOORS.get(label, ()):
            floor_wall, floor_cpu = _median_difference(times[label], times[floor])
            versus += f"{'; ' if versus else ''}{floor_wall:+.1f} / {floor_cpu:+.1f} ({_SHORT[floor]})"
        rows.append([label, f"{wall:.1f}", f"{cpu:.1f}", versus])
    return rows


def report(url: str, reps: int) -> None:
    """Measure and print the cold-start table."""
    print_table(
        f"Cold start ({reps} processes each, interleaved; medians of paired differences)",
        ["variant", "wall ms", "CPU ms", "difference: wall / CPU ms"],
        run(url, reps),
    )


if __name__ == "__main__":
    run_alone(__doc__, "--reps", DEFAULT_REPS, "processes per variant", report)
