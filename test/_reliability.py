"""Shared pieces of the reliability tests: the secrets to hunt for, a client factory,
and the check that an exception is one of ours."""

from __future__ import annotations

import contextlib
import time
from typing import Any, Callable, Iterator, List

import py_logto
from py_logto.models import CreateVerificationByPasswordRequest

TOKEN = "tok-SECRET-7f3a91d2"
PASSWORD = "pw-SECRET-c0ffee42"
CODE = "code-SECRET-5813"

#: The timeout the fault tests configure, and how much longer a call may take on a busy machine.
TIMEOUT = 0.5
MARGIN = 1.5

RECORD_PATH = "/api/verifications/password"


def api_for(url: str, **settings: Any) -> py_logto.VerificationsApi:
    """A ``VerificationsApi`` on a new client for ``url`` (close it with ``api.api_client.close()``)."""
    settings.setdefault("access_token", TOKEN)
    return py_logto.VerificationsApi(py_logto.ApiClient(py_logto.Configuration(host=url, **settings)))


def password_request() -> CreateVerificationByPasswordRequest:
    return CreateVerificationByPasswordRequest(password=PASSWORD)


class Stopwatch:
    elapsed = 0.0


@contextlib.contextmanager
def stopwatch() -> Iterator[Stopwatch]:
    watch = Stopwatch()
    started = time.perf_counter()
    try:
        yield watch
    finally:
        watch.elapsed = time.perf_counter() - started


def wait_for(condition: Callable[[], bool], seconds: float = 3.0) -> bool:
    """Whether ``condition()`` became true within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def foreign_classes(exc: BaseException) -> List[str]:
    """The urllib3 or pydantic classes among ``exc``'s own classes (there must be none)."""
    return [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in type(exc).__mro__
        if cls.__module__.split(".")[0] in ("urllib3", "pydantic", "pydantic_core", "http")
    ]


def assert_ours(exc: BaseException) -> None:
    """``exc`` is a py_logto exception and not also a urllib3/pydantic/http.client one."""
    assert isinstance(exc, py_logto.OpenApiException), f"{type(exc).__module__}.{type(exc).__name__} escaped"
    assert foreign_classes(exc) == []
