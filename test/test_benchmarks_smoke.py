"""The benchmark scripts still run and print their tables (tiny sizes; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_overhead_quick_prints_every_table() -> None:
    out = run("overhead.py", "--quick")
    for line in (
        "Per call (",
        "Cold start (",
        "Memory (",
        "py_logto / urllib3",
        "py_logto / pool",
        "py_logto: import + configure + one call",
        "typed floor",
        "Python calls/call",
    ):
        assert line in out
    per_call = [row.split()[0] for row in out.splitlines() if "py_logto / urllib3" in row]
    assert per_call == ["1", "8"]


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        ("coldstart.py", ["--reps", "1"], ["Cold start (", "import py_logto", "empty interpreter"]),
        ("memory.py", ["--calls", "20"], ["Memory (", "after 20 calls MiB", "py_logto", "urllib3 (floor)"]),
        ("overhead.py", ["--sections", "per-call", "--n", "16", "--rounds", "1", "--threads", "2"], ["Per call ("]),
    ],
)
def test_each_benchmark_runs_alone(script: str, args: List[str], expected: List[str]) -> None:
    out = run(script, *args)
    for text in expected:
        assert text in out
