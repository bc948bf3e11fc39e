"""A soak: many threads share one client while the server misbehaves on purpose.

Run it with ``python -m test._soak`` (16 threads x 200 calls; ``--threads`` and
``--calls`` change that). Each call verifies its own record id, which the server echoes,
so a response that reached the wrong call shows as *crossed*; the server counts every
record id it receives, so a request sent twice shows as a *duplicate*. The server's
answers rotate through a mix of faults:

* interim responses (``103``, ``102``) before the answer;
* a body trickled in small pieces;
* the answer, then the connection closed (keep-alive ends);
* the connection reset without an answer (the call fails: it is never re-sent);
* the answer, well-formed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import py_logto
from py_logto.models import EmailVerificationCodeIdentifier, VerifyVerificationCodeVerificationRequest
from test._faulty_server import CLOSE, KEEP, RESET, Fault, FaultyServer, echo
from test._server import Recorded

INTERIM = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"


def choose(request: Recorded) -> Optional[Fault]:
    """The fault for a request, picked from its record id (``t<thread>-c<call>``)."""
    record_id = json.loads(request.body)["verificationId"]
    kind = int(record_id.rsplit("-c", 1)[1]) % 10
    if kind in (0, 1):
        return Fault(INTERIM, KEEP, echo=True)
    if kind == 2:
        reply = echo(request)
        return Fault(reply[:40], KEEP, later=[(0.01, reply[40:80]), (0.01, reply[80:])])
    if kind == 3:
        return Fault(echo(request), CLOSE)
    if kind == 4:
        return Fault(b"", RESET)
    return None  # a good answer


@dataclass
class Report:
    threads: int
    calls_per_thread: int
    calls: int = 0
    answered_correctly: int = 0
    crossed: int = 0
    failed: Counter = field(default_factory=Counter)  # type: ignore[type-arg]
    duplicates_sent: int = 0
    connections_opened: int = 0
    fds_before: int = 0
    fds_after: int = 0
    seconds: float = 0.0

    def lines(self) -> List[str]:
        failures = ", ".join(f"{name} {count}" for name, count in sorted(self.failed.items())) or "none"
        return [
            f"threads x calls           {self.threads} x {self.calls_per_thread}",
            f"calls made                {self.calls}",
            f"answered correctly        {self.answered_correctly}",
            f"failed (as the server meant: connection reset) {sum(self.failed.values())}: {failures}",
            f"responses crossed         {self.crossed}  (must be 0)",
            f"duplicates sent           {self.duplicates_sent}  (must be 0)",
            f"connections opened        {self.connections_opened}",
            f"open fds before / after   {self.fds_before} / {self.fds_after}",
            f"time                      {self.seconds:.1f} s",
        ]


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else -1


def soak(threads: int = 16, calls: int = 200, pool_size: int = 8) -> Report:
    report = Report(threads, calls)
    lock = threading.Lock()
    with FaultyServer(choose=choose) as server:
        report.fds_before = open_fds()
        config = py_logto.Configuration(
            host=server.url, access_token="soak-token", timeout=(2, 2), connection_pool_maxsize=pool_size
        )
        api = py_logto.VerificationsApi(py_logto.ApiClient(config))
        identifier = EmailVerificationCodeIdentifier(value="jane@example.com")

        def worker(thread: int) -> None:
            for call in range(calls):
                sent = f"t{thread}-c{call}"
                request = VerifyVerificationCodeVerificationRequest(
                    identifier=identifier, verification_id=sent, code="123456"
                )
                outcome: Optional[str] = None
                try:
                    got = api.verify_verification_by_verification_code(request).verification_record_id
                except py_logto.OpenApiException as err:
                    outcome = type(err).__name__
                else:
                    outcome = "ok" if got == sent else "crossed"
                with lock:
                    report.calls += 1
                    if outcome == "ok":
                        report.answered_correctly += 1
                    elif outcome == "crossed":
                        report.crossed += 1
                    else:
                        report.failed[outcome] += 1

        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(worker, range(threads)))
        report.seconds = time.perf_counter() - started
        api.api_client.close()
        sent_ids: Dict[str, int] = Counter(json.loads(r.body)["verificationId"] for r in server.requests)
        report.duplicates_sent = sum(count - 1 for count in sent_ids.values() if count > 1)
        report.connections_opened = server.opened
        deadline = time.monotonic() + 5
        while server.open_now and time.monotonic() < deadline:
            time.sleep(0.01)
        report.fds_after = open_fds()
    return report


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--calls", type=int, default=200, help="calls per thread")
    args = parser.parse_args(argv)
    report = soak(args.threads, args.calls)
    print("\n".join(report.lines()))
    return 0 if report.crossed == report.duplicates_sent == 0 and report.fds_before == report.fds_after else 1


if __name__ == "__main__":
    sys.exit(main())
