"""Memory: the resident set size of a process holding one client after its first
calls, and after ``--calls`` calls that rotate through the three request shapes
(a Verifications POST, an Account GET, an Account DELETE); the difference should
be noise.

    python benchmarks/memory.py [--calls 10000]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import List

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import (
    PASSWORD,
    PROFILE_PATH,
    SESSION_ID,
    SESSION_PATH,
    TOKEN,
    VERIFICATION_ID,
    VERIFY_PATH,
    print_table,
    probe_env,
    run_alone,
)

DEFAULT_CALLS = 10_000

# Prints the peak and the current RSS (KiB) after one call of each shape and after
# all of them, as JSON. /proc/self/status is read first: ru_maxrss also counts the
# memory of the process that started this one (Linux keeps it across exec).
_PROBE = """
import json, resource, sys
def sample():
    try:
        with open("/proc/self/status") as status:
            fields = dict(line.split(":", 1) for line in status if line.startswith(("VmHWM", "VmRSS")))
        return {"peak": int(fields["VmHWM"].split()[0]), "rss": int(fields["VmRSS"].split()[0])}
    except (OSError, KeyError):
        return {"peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "rss": None}
url, calls = sys.argv[1], int(sys.argv[2])
%s
for call in calls_by_shape:
    call()
first = sample()
for i in range(calls - len(calls_by_shape)):
    calls_by_shape[i %% len(calls_by_shape)]()
print(json.dumps({"first": first, "last": sample()}))
"""

_SDK = f"""
import py_logto
configuration = py_logto.Configuration(host=url, access_token={TOKEN!r})
client = py_logto.ApiClient(configuration)
verifications, account = py_logto.VerificationsApi(client), py_logto.MyAccountApi(client)
calls_by_shape = [
    lambda: verifications.create_verification_by_password(
        py_logto.CreateVerificationByPasswordRequest(password={PASSWORD!r})
    ),
    account.get_profile,
    lambda: account.delete_session_by_id({SESSION_ID!r}, {VERIFICATION_ID!r}),
]
"""

_RAW = f"""
import urllib3
from pydantic import BaseModel  # as the cold-start floor: urllib3 and pydantic loaded
manager = urllib3.PoolManager()
headers = {{"Accept": "application/json", "Authorization": "Bearer " + {TOKEN!r}}}
def verify():
    body = json.dumps({{"password": {PASSWORD!r}}}).encode()
    response = manager.request("POST", url + {VERIFY_PATH!r}, body=body, headers={{**headers, "Content-Type": "application/json"}})
    json.loads(response.data)
def profile():
    json.loads(manager.request("GET", url + {PROFILE_PATH!r}, headers=headers).data)
def delete():
    manager.request("DELETE", url + {SESSION_PATH!r}, headers={{**headers, "logto-verification-id": {VERIFICATION_ID!r}}})
calls_by_shape = [verify, profile, delete]
"""

VARIANTS = [("urllib3 (floor)", _RAW), ("py_logto", _SDK)]


def _mib(kib: object) -> str:
    return f"{kib / 1024:.1f}" if isinstance(kib, int) else "n/a"


def run(url: str, calls: int) -> List[List[str]]:
    """Rows of the memory table: peak and current RSS per variant."""
    rows = []
    for label, setup in VARIANTS:
        out = subprocess.run(
            [sys.executable, "-c", _PROBE % setup, url, str(calls)],
            check=True,
            capture_output=True,
            text=True,
            env=probe_env(),
        ).stdout
        result = json.loads(out)
        first, last = result["first"], result["last"]
        for kind, name in (("peak", "peak RSS"), ("rss", "current RSS")):
            growth = last[kind] - first[kind] if isinstance(first[kind], int) and isinstance(last[kind], int) else None
            rows.append(
                [label, name, _mib(first[kind]), _mib(last[kind]), _mib(growth) if growth is not None else "n/a"]
            )
    return rows


def report(url: str, calls: int) -> None:
    """Measure and print the memory table."""
    print_table(
        "Memory (resident set size of one process per variant; calls rotate: POST, GET, DELETE)",
        ["variant", "measure", "after 3 calls MiB", f"after {calls} calls MiB", "growth MiB"],
        run(url, calls),
        left=2,
    )


if __name__ == "__main__":
    run_alone(__doc__, "--calls", DEFAULT_CALLS, "calls per process", report)
