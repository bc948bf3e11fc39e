"""What py_logto costs per call, at start-up and in memory, next to bare urllib3.

Usage::

    python benchmarks/overhead.py              # everything, well under 2 minutes
    python benchmarks/overhead.py --quick      # a tiny run (checks the benchmark works)
    python benchmarks/overhead.py --sections per-call --n 5000 --rounds 9 --threads 1,8

Per call: a canned-response server runs in its own process on 127.0.0.1; in this
process, rounds of ``--n`` calls rotate between
- ``urllib3``, the floor: one ``PoolManager.request`` with a JSON body, then
  ``json.loads`` of the reply;
- ``urllib3 pool``, a stricter reference: the same request made the way py_logto's
  transport makes it (see :func:`pool_client`);
- ``py_logto``: a ``CreateVerificationByPasswordRequest`` in, a
  ``CreateVerificationByPassword201Response`` out, through ``VerificationsApi``.
Client CPU is ``time.process_time`` of this process (all its threads) per call;
wall is elapsed time per call; each is the median over ``--rounds`` rounds. A
ratio is the median of the per-round ratios (the variants of one round run back
to back, under the same machine load).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import threading
import time
from typing import Callable, Dict, List, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import coldstart
import memory
from _harness import PASSWORD, PATH, TOKEN, CannedServer, print_table

Call = Callable[[], object]

# The headers py_logto sends, so both sides put the same bytes on the wire.
_RAW_HEADERS = {
    "User-Agent": "py-logto/1.0.0 (Python 3; urllib3 2)",
    "Accept": "application/json",
    "Content-Type": "application/json",
    "Authorization": "Bearer " + TOKEN,
}


def raw_client(url: str, threads: int) -> Tuple[Call, Callable[[], None]]:
    """The floor: urllib3 as a careful user would call it directly."""
    import urllib3

    manager = urllib3.PoolManager(maxsize=max(threads, 1))
    target = url + PATH

    def call() -> object:
        response = manager.request(
            "POST", target, body=json.dumps({"password": PASSWORD}).encode(), headers=_RAW_HEADERS
        )
        if response.status != 201:
            raise RuntimeError(f"unexpected status {response.status}")
        return json.loads(response.data)

    return call, manager.clear


def pool_client(url: str, threads: int) -> Tuple[Call, Callable[[], None]]:
    """A stricter reference: the urllib3 call py_logto's transport makes (the host's
    connection pool called directly, blocking when all connections are busy, with
    py_logto's default timeout). ``py_logto / pool`` is then what py_logto's own
    code adds: models, headers, token, error mapping."""
    import urllib3

    manager = urllib3.PoolManager(maxsize=max(threads, 10), block=True)
    pool = manager.connection_from_url(url)
    timeout = urllib3.Timeout(connect=10.0, read=60.0)

    def call() -> object:
        response = pool.urlopen(
            "POST",
            PATH,
            body=json.dumps({"password": PASSWORD}).encode(),
            headers=_RAW_HEADERS,
            redirect=False,
            timeout=timeout,
            pool_timeout=10,
        )
        if response.status != 201:
            raise RuntimeError(f"unexpected status {response.status}")
        return json.loads(response.data)

    return call, manager.clear


def sdk_client(url: str, threads: int) -> Tuple[Call, Callable[[], None]]:
    """py_logto: a typed request model in, a typed response model out."""
    import py_logto
    from py_logto.models.create_verification_by_password_request import CreateVerificationByPasswordRequest

    configuration = py_logto.Configuration(host=url, access_token=TOKEN, connection_pool_maxsize=max(threads, 10))
    client = py_logto.ApiClient(configuration)
    api = py_logto.VerificationsApi(client)

    def call() -> object:
        return api.create_verification_by_password(CreateVerificationByPasswordRequest(password=PASSWORD))

    return call, client.close


def timed_round(call: Call, n: int, threads: int) -> Tuple[float, float]:
    """Make ``n`` calls (split over ``threads`` threads); return (CPU µs, wall µs) per call."""
    if threads <= 1:
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            call()
        return (time.process_time() - cpu) / n * 1e6, (time.perf_counter() - wall) / n * 1e6

    per_thread = max(n // threads, 1)
    start = threading.Barrier(threads + 1)
    failures: List[BaseException] = []

    def work() -> None:
        start.wait()
        try:
            for _ in range(per_thread):
                call()
        except BaseException as err:  # reported by the main thread
            failures.append(err)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    start.wait()
    cpu, wall = time.process_time(), time.perf_counter()
    for worker in workers:
        worker.join()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if failures:
        raise failures[0]
    total = per_thread * threads
    return cpu / total * 1e6, wall / total * 1e6


def python_calls(call: Call, n: int = 200) -> float:
    """Python function calls per request, counted by cProfile: unlike time, this does
    not move with the machine's load, so it shows small changes in the work done."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(n):
        call()
    profile.disable()
    total: int = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]  # not in typeshed
    return total / n


def per_call(url: str, n: int, rounds: int, thread_counts: List[int]) -> List[List[str]]:
    """Rows of the per-call table: for each thread count, the two urllib3 floors,
    py_logto, and py_logto's ratio to each floor."""
    rows: List[List[str]] = []
    variants = (("urllib3", raw_client), ("urllib3 pool", pool_client), ("py_logto", sdk_client))
    for threads in thread_counts:
        clients = {name: make(url, threads) for name, make in variants}
        results: Dict[str, List[Tuple[float, float]]] = {name: [] for name, _ in variants}
        for name, _ in variants:  # warm up: connections open, models built, caches filled
            timed_round(clients[name][0], max(n // 5, threads * 5), threads)
        for round_no in range(rounds):
            # Rotate the order so no variant always runs first (or after the same one).
            order = [name for name, _ in variants]
            order = order[round_no % len(order) :] + order[: round_no % len(order)]
            for name in order:
                results[name].append(timed_round(clients[name][0], n, threads))
        counted = {name: python_calls(clients[name][0]) for name, _ in variants} if threads == 1 else {}
        for _, close in clients.values():
            close()
        medians = {
            name: (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
            for name, runs in results.items()
        }
        for name, runs in results.items():
            cpus = [r[0] for r in runs]
            rows.append(
                [
                    str(threads),
                    name,
                    f"{medians[name][0]:.1f}",
                    f"{min(cpus):.1f}-{max(cpus):.1f}",
                    f"{medians[name][1]:.1f}",
                    f"{counted[name]:.0f}" if name in counted else "",
                ]
            )
        # Ratios are taken round by round (the variants of a round ran back to back,
        # under the same machine load), then the median of those is shown.
        sdk = results["py_logto"]
        for floor, label in (("urllib3", "py_logto / urllib3"), ("urllib3 pool", "py_logto / pool")):
            cpu_ratios = [mine[0] / theirs[0] for mine, theirs in zip(sdk, results[floor])]
            wall_ratios = [mine[1] / theirs[1] for mine, theirs in zip(sdk, results[floor])]
            rows.append(
                [
                    str(threads),
                    label,
                    f"{statistics.median(cpu_ratios):.3f}x",
                    f"{min(cpu_ratios):.2f}-{max(cpu_ratios):.2f}",
                    f"{statistics.median(wall_ratios):.3f}x",
                    f"{counted['py_logto'] / counted[floor]:.3f}x" if counted else "",
                ]
            )
    return rows


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        model = platform.processor() or model
    import pydantic
    import urllib3

    return (
        f"{os.cpu_count()} CPU(s), {model}; Python {platform.python_version()}; "
        f"urllib3 {getattr(urllib3, '__version__', '?')}; pydantic {pydantic.VERSION}"
    )


def main(argv: List[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1500, help="calls per round and variant (default 1500)")
    parser.add_argument("--rounds", type=int, default=6, help="rounds per variant (default 6; the median is shown)")
    parser.add_argument("--threads", default="1,8", help="thread counts to run, comma-separated (default 1,8)")
    parser.add_argument(
        "--reps",
        type=int,
        default=coldstart.DEFAULT_REPS,
        help=f"cold-start processes per variant (default {coldstart.DEFAULT_REPS})",
    )
    parser.add_argument(
        "--calls",
        type=int,
        default=memory.DEFAULT_CALLS,
        help=f"calls made by the memory benchmark (default {memory.DEFAULT_CALLS})",
    )
    parser.add_argument(
        "--sections",
        default="per-call,cold-start,memory",
        help="what to run, comma-separated: per-call, cold-start, memory (default all)",
    )
    parser.add_argument("--quick", action="store_true", help="a tiny run: checks that everything works")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.rounds, args.reps, args.calls = 40, 1, 1, 200
    sections = {s.strip() for s in args.sections.split(",") if s.strip()}
    thread_counts = [int(t) for t in args.threads.split(",") if t.strip()]

    print(f"machine: {machine()}")
    with CannedServer() as server:
        if "per-call" in sections:
            rows = per_call(server.url, args.n, args.rounds, thread_counts)
            print_table(
                f"Per call ({args.n} calls x {args.rounds} rounds, median; client process only)",
                ["threads", "variant", "CPU us/call", "CPU range", "wall us/call", "Python calls/call"],
                rows,
                left=2,
            )
        if "cold-start" in sections:
            coldstart.report(server.url, args.reps)
        if "memory" in sections:
            memory.report(server.url, args.calls)


if __name__ == "__main__":
    main(sys.argv[1:])
