"""Fork safety: after ``os.fork()`` (gunicorn --preload, Celery prefork,
multiprocessing) the child never uses a connection its parent opened, and the
parent's pool is unaffected. These tests fork for real."""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Dict, List

import pytest

import py_logto
from py_logto.models import EmailVerificationCodeIdentifier, VerifyVerificationCodeVerificationRequest
from test._faulty_server import FaultyServer
from test._reliability import api_for, wait_for

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is not available on this platform"),
    # Python 3.12+ warns about forking a process with threads (the test server's); the
    # child here only makes calls and leaves with os._exit.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]


def verify(api: py_logto.VerificationsApi, record_id: str) -> str:
    identifier = EmailVerificationCodeIdentifier(value="jane@example.com")
    request = VerifyVerificationCodeVerificationRequest(identifier=identifier, verification_id=record_id, code="123456")
    return api.verify_verification_by_verification_code(request).verification_record_id


def in_child(work: Any) -> Dict[str, Any]:
    """Run ``work()`` in a forked child; return what it returned (a JSON-able dict)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            result = {"ok": True, "value": work()}
        except BaseException as err:
            result, code = {"ok": False, "error": f"{type(err).__name__}: {err}"}, 1
        with os.fdopen(write_end, "w") as out:
            out.write(json.dumps(result))
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        result = json.loads(answer.read() or '{"ok": false, "error": "no answer"}')
    _, status = os.waitpid(pid, 0)
    assert result["ok"], result.get("error")
    assert os.WEXITSTATUS(status) == 0
    return result


def test_the_child_opens_its_own_connection_and_the_parent_keeps_its_own(faulty: FaultyServer) -> None:
    api = api_for(faulty.url)
    assert verify(api, "parent-1") == "parent-1"
    assert faulty.opened == 1

    child = in_child(lambda: [verify(api, f"child-{n}") for n in range(3)])
    assert child["value"] == ["child-0", "child-1", "child-2"]
    assert faulty.opened == 2, "the child used its parent's connection"

    assert verify(api, "parent-2") == "parent-2"
    assert faulty.opened == 2, "the parent's pooled connection was lost"
    paths_by_id = [json.loads(request.body)["verificationId"] for request in faulty.requests]
    assert paths_by_id == ["parent-1", "child-0", "child-1", "child-2", "parent-2"]
    api.api_client.close()


def test_the_child_leaving_does_not_close_the_parent_s_connection(faulty: FaultyServer) -> None:
    api = api_for(faulty.url)
    assert verify(api, "before") == "before"
    in_child(lambda: None)  # forks, exits at once without calling
    assert not wait_for(lambda: faulty.closed_by_client > 0, 0.3), "the child closed the shared connection"
    assert verify(api, "after") == "after"
    assert faulty.opened == 1
    api.api_client.close()


def test_a_fork_while_other_threads_call_leaves_the_child_a_working_client(faulty: FaultyServer) -> None:
    api = api_for(faulty.url, connection_pool_maxsize=2)
    stop = threading.Event()
    errors: List[str] = []

    def caller(n: int) -> None:
        call = 0
        while not stop.is_set():
            try:
                sent = f"t{n}-{call}"
                if verify(api, sent) != sent:
                    errors.append(f"crossed: {sent}")
            except Exception as err:
                errors.append(repr(err))
            call += 1

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    try:
        for n in range(5):
            child = in_child(lambda n=n: verify(api, f"child-{n}"))
            assert child["value"] == f"child-{n}"
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
    assert errors == []
    api.api_client.close()
