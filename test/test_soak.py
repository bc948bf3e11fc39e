"""A short soak through the misbehaving server mix (``python -m test._soak`` runs the
full 16 threads x 200 calls): no response reaches the wrong call, no request is sent
twice, every call ends as the server meant, no descriptor leaks."""

from __future__ import annotations

import sys

import pytest

from test._soak import soak


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts /proc/self/fd")
def test_a_short_soak_crosses_nothing_and_duplicates_nothing() -> None:
    report = soak(threads=8, calls=40, pool_size=4)
    print("\n" + "\n".join(report.lines()))
    assert report.calls == 8 * 40
    assert report.crossed == 0
    assert report.duplicates_sent == 0
    # One call in ten has its connection reset by the server: only those fail.
    assert dict(report.failed) == {"ApiConnectionError": 8 * 40 // 10}
    assert report.answered_correctly == 8 * 40 - 8 * 40 // 10
    assert report.fds_after == report.fds_before
