"""What py_logto costs per call, at start-up and in memory, next to bare urllib3.

Usage::

    python benchmarks/overhead.py              # everything, about a minute and a half
    python benchmarks/overhead.py --quick      # a tiny run (checks the benchmark works)
    python benchmarks/overhead.py --sections per-call --shapes profile --n 3000 --rounds 9

Per call: a canned-response server runs in its own process on 127.0.0.1. Three
request shapes are measured:
- ``verify``: ``VerificationsApi.create_verification_by_password``, a POST with a JSON
  body, answered ``201`` with a JSON body;
- ``profile``: ``MyAccountApi.get_profile``, a GET answered ``200`` with the user's
  profile (nested models) and an ``ETag``;
- ``delete``: ``MyAccountApi.delete_session_by_id``, a DELETE with a path parameter and
  the ``logto-verification-id`` header, answered ``204`` with no body.
For each, in this process, rounds of ``--n`` calls rotate between
- ``urllib3``, the floor: the same request (same headers, same body) through
  ``PoolManager.request``, then ``json.loads`` of the reply;
- ``urllib3 pool``, a stricter floor: the same request made the way py_logto's
  transport makes it (see :func:`pool_client`);
- ``py_logto``: the operation's method, typed models in and out.
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
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import coldstart
import memory
from _harness import (
    JSON_HEADERS,
    PASSWORD,
    PROFILE_PATH,
    SESSION_ID,
    SESSION_PATH,
    TOKEN,
    USER_AGENT,
    VERIFICATION_ID,
    VERIFY_PATH,
    CannedServer,
    print_table,
)

Call = Callable[[], object]
Client = Tuple[Call, Callable[[], None]]

#: The targets: py_logto's client CPU per call over the floor's, by thread count.
TARGETS = {1: 0.90, 8: 1.05}


class Shape(NamedTuple):
    """One kind of request, sent the same way by every variant."""

    name: str  # as in --shapes
    method: str
    path: str
    #: The headers py_logto sends (after ``User-Agent``), in its order.
    headers: Dict[str, str]
    #: The floor's JSON body, encoded on each call as py_logto encodes its model's.
    body: Optional[Dict[str, str]]
    status: int
    #: Whether the answer has a JSON body (``json.loads``-ed by the floors).
    json_reply: bool
    #: Given a py_logto ``ApiClient``, the call that makes this request.
    sdk_call: Callable[[Any], Call]


def _verify(client: Any) -> Call:
    import py_logto
    from py_logto.models.create_verification_by_password_request import CreateVerificationByPasswordRequest

    api = py_logto.VerificationsApi(client)
    return lambda: api.create_verification_by_password(CreateVerificationByPasswordRequest(password=PASSWORD))


def _profile(client: Any) -> Call:
    import py_logto

    return py_logto.MyAccountApi(client).get_profile


def _delete(client: Any) -> Call:
    import py_logto

    api = py_logto.MyAccountApi(client)
    return lambda: api.delete_session_by_id(SESSION_ID, VERIFICATION_ID)


_AUTHORIZATION = {"Authorization": "Bearer " + TOKEN}
SHAPES = {
    "verify": Shape(
        "verify",
        "POST",
        VERIFY_PATH,
        {**JSON_HEADERS, **_AUTHORIZATION},
        {"password": PASSWORD},
        201,
        True,
        _verify,
    ),
    "profile": Shape(
        "profile",
        "GET",
        PROFILE_PATH,
        {"Accept": "application/json", **_AUTHORIZATION},
        None,
        200,
        True,
        _profile,
    ),
    "delete": Shape(
        "delete",
        "DELETE",
        SESSION_PATH,
        {"Accept": "application/json", "logto-verification-id": VERIFICATION_ID, **_AUTHORIZATION},
        None,
        204,
        False,
        _delete,
    ),
}


def _reader(shape: Shape) -> Callable[[Any], object]:
    """What a floor does with the response: check the status, parse the JSON body."""

    def read(response: Any) -> object:
        if response.status != shape.status:
            raise RuntimeError(f"{shape.method} {shape.path}: unexpected status {response.status}")
        if shape.json_reply:
            return json.loads(response.data)
        if response.data:
            raise RuntimeError(f"{shape.method} {shape.path}: unexpected body")
        return None

    return read


def _encoder(shape: Shape) -> Callable[[], Optional[bytes]]:
    body = shape.body
    if body is None:
        return lambda: None
    return lambda: json.dumps(body, separators=(",", ":")).encode()


def raw_client(shape: Shape, url: str, threads: int) -> Client:
    """The floor: urllib3 as a careful user would call it directly."""
    import urllib3

    manager = urllib3.PoolManager(maxsize=max(threads, 1))
    target = url + shape.path
    headers = {"User-Agent": USER_AGENT, **shape.headers}
    method, encode, read = shape.method, _encoder(shape), _reader(shape)

    def call() -> object:
        return read(manager.request(method, target, body=encode(), headers=headers))

    return call, manager.clear


def pool_client(shape: Shape, url: str, threads: int) -> Client:
    """A stricter floor: the urllib3 call py_logto's transport makes (the host's
    connection pool called directly, blocking when all connections are busy, with
    py_logto's default timeout). ``py_logto / pool`` is then what py_logto's own
    code adds: models, headers, token, deadline, error mapping."""
    import urllib3

    manager = urllib3.PoolManager(maxsize=max(threads, 10), block=True)
    pool = manager.connection_from_url(url)
    timeout = urllib3.Timeout(connect=10.0, read=60.0)
    headers = {"User-Agent": USER_AGENT, **shape.headers}
    method, path, encode, read = shape.method, shape.path, _encoder(shape), _reader(shape)

    def call() -> object:
        response = pool.urlopen(
            method, path, body=encode(), headers=headers, redirect=False, timeout=timeout, pool_timeout=10
        )
        return read(response)

    return call, manager.clear


def sdk_client(shape: Shape, url: str, threads: int) -> Client:
    """py_logto: typed models in, typed models out."""
    import py_logto

    configuration = py_logto.Configuration(host=url, access_token=TOKEN, connection_pool_maxsize=max(threads, 10))
    client = py_logto.ApiClient(configuration)
    client.user_agent = USER_AGENT  # the floors send the same bytes
    return shape.sdk_call(client), client.close


VARIANTS = (("urllib3", raw_client), ("urllib3 pool", pool_client), ("py_logto", sdk_client))


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


class Measured(NamedTuple):
    shape: str
    threads: int
    #: (CPU µs, wall µs) per call of each round, by variant.
    rounds: Dict[str, List[Tuple[float, float]]]
    #: Python calls per request, by variant (single-threaded runs only).
    calls: Dict[str, float]

    def ratios(self, floor: str, which: int = 0) -> List[float]:
        """py_logto over ``floor``, round by round (``which``: 0 CPU, 1 wall)."""
        return [mine[which] / theirs[which] for mine, theirs in zip(self.rounds["py_logto"], self.rounds[floor])]


def measure(shape: Shape, url: str, n: int, rounds: int, threads: int) -> Measured:
    """Every variant of ``shape``, ``rounds`` times ``n`` calls on ``threads`` threads."""
    clients = {name: make(shape, url, threads) for name, make in VARIANTS}
    results: Dict[str, List[Tuple[float, float]]] = {name: [] for name, _ in VARIANTS}
    for name, _ in VARIANTS:  # warm up: connections open, models built, caches filled
        timed_round(clients[name][0], max(n // 5, threads * 5), threads)
    order = [name for name, _ in VARIANTS]
    for round_no in range(rounds):
        # Rotate the order so no variant always runs first (or after the same one).
        shift = round_no % len(order)
        for name in order[shift:] + order[:shift]:
            results[name].append(timed_round(clients[name][0], n, threads))
    counted = {name: python_calls(clients[name][0]) for name, _ in VARIANTS} if threads == 1 else {}
    for _, close in clients.values():
        close()
    return Measured(shape.name, threads, results, counted)


def per_call_rows(measured: Measured) -> List[List[str]]:
    """Rows of the per-call table for one shape and thread count: the two floors,
    py_logto, and py_logto's ratio to each floor."""
    rows: List[List[str]] = []
    where = [measured.shape, str(measured.threads)]
    for name, runs in measured.rounds.items():
        cpus = [r[0] for r in runs]
        rows.append(
            [
                *where,
                name,
                f"{statistics.median(cpus):.1f}",
                f"{min(cpus):.1f}-{max(cpus):.1f}",
                f"{statistics.median(r[1] for r in runs):.1f}",
                f"{measured.calls[name]:.0f}" if measured.calls else "",
            ]
        )
    for floor, label in (("urllib3", "py_logto / urllib3"), ("urllib3 pool", "py_logto / pool")):
        cpu = measured.ratios(floor)
        counted = measured.calls
        rows.append(
            [
                *where,
                label,
                f"{statistics.median(cpu):.3f}x",
                f"{min(cpu):.2f}-{max(cpu):.2f}",
                f"{statistics.median(measured.ratios(floor, 1)):.3f}x",
                f"{counted['py_logto'] / counted[floor]:.3f}x" if counted else "",
            ]
        )
    return rows


def target_rows(all_measured: List[Measured]) -> List[List[str]]:
    """One row per shape and thread count: the CPU ratios against the target."""
    rows = []
    for measured in all_measured:
        ratio = statistics.median(measured.ratios("urllib3"))
        target = TARGETS.get(measured.threads)
        verdict = "" if target is None else ("met" if ratio <= target else "MISSED")
        rows.append(
            [
                measured.shape,
                str(measured.threads),
                f"{ratio:.3f}x",
                f"<= {target:.2f}x" if target is not None else "-",
                verdict,
                f"{statistics.median(measured.ratios('urllib3 pool')):.3f}x",
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


def per_call(url: str, n: int, rounds: int, thread_counts: List[int], shapes: List[str]) -> None:
    """Measure and print the per-call tables."""
    all_measured = [measure(SHAPES[shape], url, n, rounds, threads) for shape in shapes for threads in thread_counts]
    print_table(
        f"Per call ({n} calls x {rounds} rounds, median; client process only)",
        ["shape", "threads", "variant", "CPU us/call", "CPU range", "wall us/call", "Python calls/call"],
        [row for measured in all_measured for row in per_call_rows(measured)],
        left=3,
    )
    print_table(
        "Per-call CPU against the targets (py_logto / urllib3; py_logto / pool for reference)",
        ["shape", "threads", "py_logto / urllib3", "target", "", "py_logto / pool"],
        target_rows(all_measured),
        left=2,
    )


def main(argv: List[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="calls per round and variant (default 1000)")
    parser.add_argument("--rounds", type=int, default=6, help="rounds per variant (default 6; the median is shown)")
    parser.add_argument("--threads", default="1,8", help="thread counts to run, comma-separated (default 1,8)")
    parser.add_argument(
        "--shapes", default=",".join(SHAPES), help=f"request shapes, comma-separated (default {','.join(SHAPES)})"
    )
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
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        parser.error(f"unknown shape(s) {', '.join(unknown)}; choose from {', '.join(SHAPES)}")

    print(f"machine: {machine()}")
    with CannedServer() as server:
        if "per-call" in sections:
            per_call(server.url, args.n, args.rounds, thread_counts, shapes)
        if "cold-start" in sections:
            coldstart.report(server.url, args.reps)
        if "memory" in sections:
            memory.report(server.url, args.calls)


if __name__ == "__main__":
    main(sys.argv[1:])
