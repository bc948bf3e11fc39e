"""Instructions, not time: what a call and a cold start cost, counted by valgrind.

Usage::

    python benchmarks/instructions.py                          # per call and cold start (a few minutes)
    python benchmarks/instructions.py --sections per-call --shapes verify,delete
    python benchmarks/instructions.py --sections cold-start

Timing on a shared machine moves by 10-20 %; the number of instructions a process
executes does not (``valgrind --tool=callgrind`` counts them in user space, the same
from run to run within a few tenths of a percent), so it shows a change of 1 % that
no timing can. It does not see the kernel: the system calls (``sendall``, ``poll``,
``recv``) a call makes cost time that this count leaves out.

Per call: each variant of ``overhead.py`` (``urllib3``, ``urllib3 pool``, ``py_logto``)
makes ``--calls`` and then three times as many calls of a shape in a process run
under valgrind; the difference, divided by the difference in calls, is the cost of
one call (start-up and warm-up cancel out).

Cold start: each variant of ``coldstart.py`` is run once under valgrind; the table
shows its instructions above the empty interpreter, and py_logto's above the typed
floor.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from typing import Dict, List, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import coldstart
import overhead
from _harness import CannedServer, print_table, probe_env


def _counted(command: List[str]) -> int:
    """Instructions executed by ``command`` (not its children), counted by callgrind."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        text=True,
        check=False,
        # The same hash seed in every run: dict and set layouts, hence the work, repeat.
        env={**probe_env(), "PYTHONHASHSEED": "0"},
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"valgrind failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_call(url: str, shapes: List[str], calls: int) -> List[List[str]]:
    """Rows of the per-call table: instructions per call of each variant, and py_logto's ratios."""
    rows = []
    for shape in shapes:
        counts: Dict[str, float] = {}
        for variant, _ in overhead.VARIANTS:
            child = [sys.executable, os.path.abspath(__file__), "--child", variant, shape]
            subprocess.run([*child, "1", url], check=True, env=probe_env())  # bytecode caches written
            runs = [_counted([*child, str(n), url]) for n in (calls, 3 * calls)]
            counts[variant] = (runs[1] - runs[0]) / (2 * calls)
        rows += [[shape, variant, f"{count / 1000:.1f}k"] for variant, count in counts.items()]
        mine = counts["py_logto"]
        rows.append([shape, "py_logto / urllib3", f"{mine / counts['urllib3']:.3f}x"])
        rows.append([shape, "py_logto / pool", f"{mine / counts['urllib3 pool']:.3f}x"])
    return rows


def cold_start(url: str) -> List[List[str]]:
    """Rows of the cold-start table: millions of instructions above the empty interpreter,
    and py_logto's above the typed floors."""
    *start, prelude = coldstart.interpreter()
    for _, code in coldstart.VARIANTS:  # bytecode caches written, as in an installed copy
        subprocess.run([*start, prelude + code, url], check=True, env=probe_env(), stdout=subprocess.DEVNULL)
    counts = {label: _counted([*start, prelude + code, url]) for label, code in coldstart.VARIANTS}
    empty = counts[coldstart.VARIANTS[0][0]]
    rows = [[f"{coldstart.VARIANTS[0][0]} (absolute)", f"{empty / 1e6:.1f}M", "", ""]]
    for label, _ in coldstart.VARIANTS[1:]:
        above = [
            f"{(counts[label] - counts[floor]) / 1e6:+.1f}M" if floor in coldstart.FLOORS.get(label, ()) else ""
            for floor in (coldstart.TYPED_FLOOR_LABEL, coldstart.ACCOUNT_TYPED_FLOOR_LABEL)
        ]
        rows.append([label, f"{(counts[label] - empty) / 1e6:.1f}M", *above])
    return rows


def _child(variant: str, shape: str, calls: int, url: str) -> None:
    """Make ``calls`` calls (after 100 to warm up), in the process valgrind counts."""
    call, close = dict(overhead.VARIANTS)[variant](overhead.SHAPES[shape], url, 1)
    for _ in range(100 + calls):
        call()
    close()


def main(argv: List[str]) -> Optional[int]:
    if argv[:1] == ["--child"]:
        _child(argv[1], argv[2], int(argv[3]), argv[4])
        return None
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=100, help="calls of the shorter run (default 100)")
    parser.add_argument("--shapes", default=",".join(overhead.SHAPES), help="request shapes, comma-separated")
    parser.add_argument(
        "--sections", default="per-call,cold-start", help="what to count: per-call, cold-start (default both)"
    )
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing to count", file=sys.stderr)
        return 2
    sections = {s.strip() for s in args.sections.split(",")}
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    print(f"machine: {overhead.machine()}")
    with CannedServer() as server:
        if "per-call" in sections:
            print_table(
                f"Instructions per call (valgrind; the difference between {args.calls} and {3 * args.calls} calls)",
                ["shape", "variant", "instructions"],
                per_call(server.url, shapes, args.calls),
                left=2,
            )
        if "cold-start" in sections:
            print_table(
                "Cold start in instructions (valgrind; as from a regular install)",
                ["variant", "above empty", "above typed floor", "above Account typed floor"],
                cold_start(server.url),
            )
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
