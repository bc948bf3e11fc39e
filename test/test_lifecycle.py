"""Lifecycle and concurrency: closing a client closes its sockets (the server sees
it), one client serves many threads with at most ``connection_pool_maxsize``
connections, file descriptors do not leak, and two clients share nothing."""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import List

import pytest

import py_logto
from py_logto.models import EmailVerificationCodeIdentifier, VerifyVerificationCodeVerificationRequest
from test._faulty_server import FaultyServer
from test._reliability import MARGIN, TIMEOUT, TOKEN, api_for, password_request, stopwatch, wait_for

THREADS, CALLS = 8, 1000


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def verify(api: py_logto.VerificationsApi, record_id: str) -> str:
    identifier = EmailVerificationCodeIdentifier(type="email", value="jane@example.com")
    request = VerifyVerificationCodeVerificationRequest(identifier=identifier, verification_id=record_id, code="123456")
    return api.verify_verification_by_verification_code(request).verification_record_id


def test_leaving_with_closes_the_pooled_connections(faulty: FaultyServer) -> None:
    config = py_logto.Configuration(host=faulty.url, access_token=TOKEN)
    with py_logto.ApiClient(config) as client:
        api = py_logto.VerificationsApi(client)
        for i in range(3):
            assert verify(api, f"r{i}") == f"r{i}"
        assert (faulty.opened, faulty.closed_by_client) == (1, 0)
    assert wait_for(lambda: faulty.closed_by_client == 1), "the server never saw the connection close"


def test_close_closes_the_connections_and_the_client_still_works(faulty: FaultyServer) -> None:
    api = api_for(faulty.url)
    assert verify(api, "a") == "a"
    api.api_client.close()
    assert wait_for(lambda: faulty.closed_by_client == 1)
    assert verify(api, "b") == "b"
    assert faulty.opened == 2
    api.api_client.close()
    assert wait_for(lambda: faulty.closed_by_client == 2)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts /proc/self/fd")
def test_one_client_many_threads(faulty: FaultyServer) -> None:
    """8 threads x 1,000 calls on one client with a pool of 4: every response is its
    own request's, the server never sees more than 4 connections, no fd leaks."""
    fds_before = open_fds()
    api = api_for(faulty.url, connection_pool_maxsize=4)
    mismatches: List[str] = []

    def worker(thread: int) -> int:
        for call in range(CALLS):
            sent = f"t{thread}-c{call}"
            got = verify(api, sent)
            if got != sent:
                mismatches.append(f"{sent} -> {got}")
        return CALLS

    with stopwatch() as watch, ThreadPoolExecutor(THREADS) as pool:
        done = sum(pool.map(worker, range(THREADS)))
    api.api_client.close()
    assert done == THREADS * CALLS
    assert mismatches == []
    assert len(faulty.requests) == THREADS * CALLS
    assert faulty.most_open <= 4, "more connections than connection_pool_maxsize at once"
    assert faulty.opened <= 4, "connections were opened and thrown away"
    assert wait_for(lambda: faulty.open_now == 0)
    fds_after = open_fds()
    print(
        f"\n{THREADS}x{CALLS} calls in {watch.elapsed:.2f} s; connections {faulty.opened}; fds {fds_before} -> {fds_after}"
    )
    assert fds_after == fds_before


def test_a_call_waits_for_a_free_connection_at_most_its_connect_timeout(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, connection_pool_maxsize=1, timeout=TIMEOUT)
    held = api.create_verification_by_password_without_preload_content(password_request())  # not read: holds it
    with stopwatch() as watch, pytest.raises(py_logto.ApiTimeoutError, match="connection_pool_maxsize") as info:
        api.create_verification_by_password(password_request())
    assert TIMEOUT - 0.05 <= watch.elapsed < TIMEOUT + MARGIN
    assert len(faulty.requests) == 1, "the waiting call must not have been sent"
    assert "all 1 pooled connections are in use" in str(info.value)
    held.read()  # returns the connection to the pool
    assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_default"
    assert faulty.opened == 1
    api.api_client.close()


def test_closing_while_other_threads_call_loses_no_call(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, connection_pool_maxsize=2)
    stop = threading.Event()
    failures: List[BaseException] = []

    def caller(thread: int) -> None:
        call = 0
        while not stop.is_set():
            try:
                verify(api, f"{thread}-{call}")
            except BaseException as err:
                failures.append(err)
            call += 1

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(50):
        api.api_client.close()
        time.sleep(0.005)
    stop.set()
    for thread in threads:
        thread.join(10)
    api.api_client.close()
    assert failures == []
    assert len(faulty.requests) > 50


def test_close_lets_a_call_waiting_for_a_connection_go_on_and_closes_the_one_in_use(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, connection_pool_maxsize=1, timeout=5)
    held = api.create_verification_by_password_without_preload_content(password_request())
    outcome: List[object] = []
    waiter = threading.Thread(target=lambda: outcome.append(verify(api, "waited")))
    waiter.start()
    assert not wait_for(lambda: bool(outcome), 0.2), "the pool let a second connection open"
    with stopwatch() as watch:
        api.api_client.close()
        waiter.join(5)
    assert outcome == ["waited"]
    assert watch.elapsed < 1.0
    held.read()  # the call that held the connection finishes: its connection is closed
    assert wait_for(lambda: faulty.closed_by_client == faulty.opened == 2)


def test_a_pool_closed_between_lookup_and_send_is_replaced(faulty: FaultyServer) -> None:
    api = api_for(faulty.url)
    rest = api.api_client.rest_client
    looked_up = rest._pool_for(faulty.url)
    api.api_client.close()  # runs on another thread just after this thread's lookup, so
    rest._pools[faulty.url] = looked_up  # the send goes to the pool close() just closed
    assert verify(api, "fresh") == "fresh"
    assert rest._pool_for(faulty.url)[0] is not looked_up[0]
    api.api_client.close()


def test_two_clients_share_no_state(faulty: FaultyServer) -> None:
    config = py_logto.Configuration(host=faulty.url, access_token=TOKEN, proxy_headers={"X-A": "1"})
    first, second = py_logto.ApiClient(config), py_logto.ApiClient(config)
    first.set_default_header("X-Tenant", "first")
    first.user_agent = "first-agent"
    api_first, api_second = py_logto.VerificationsApi(first), py_logto.VerificationsApi(second)
    verify(api_first, "1")
    verify(api_second, "2")
    assert faulty.requests[0].headers["x-tenant"] == "first"
    assert "x-tenant" not in faulty.requests[1].headers
    assert faulty.requests[1].headers["user-agent"].startswith("logto-user-api/")
    assert faulty.opened == 2, "the clients shared a connection pool"

    first.close()
    assert wait_for(lambda: faulty.closed_by_client == 1)
    verify(api_second, "3")
    assert faulty.opened == 2, "closing one client closed the other's connection"
    second.close()

    previous = py_logto.Configuration.get_default()
    py_logto.Configuration.set_default(config)
    try:
        assert py_logto.Configuration.get_default() is config, "set_default keeps the object itself"
        copy_a, copy_b = py_logto.Configuration.get_default_copy(), py_logto.Configuration.get_default_copy()
        assert copy_a is not copy_b
        assert copy_a.proxy_headers is not copy_b.proxy_headers
        assert copy_a.proxy_headers is not None
        copy_a.proxy_headers["X-A"] = "changed"
        assert config.proxy_headers == {"X-A": "1"}
    finally:
        py_logto.Configuration.set_default(previous)
