from __future__ import annotations

import os
import shutil
from typing import Generator, Iterator, List

import pytest
import urllib3

import py_logto
from test._faulty_server import FaultyServer
from test._server import RecordingServer

TOKEN = "test-access-token-5f1c9b"


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as srv:
        yield srv


@pytest.fixture
def faulty() -> Iterator[FaultyServer]:
    """A raw-socket server that answers well unless a test queues a fault."""
    with FaultyServer() as srv:
        yield srv


@pytest.fixture
def configuration(server: RecordingServer) -> py_logto.Configuration:
    config = py_logto.Configuration(host=server.url)
    config.access_token = TOKEN
    return config


@pytest.fixture
def api_client(configuration: py_logto.Configuration) -> Iterator[py_logto.ApiClient]:
    with py_logto.ApiClient(configuration) as client:
        yield client


@pytest.fixture
def api(api_client: py_logto.ApiClient) -> py_logto.VerificationsApi:
    return py_logto.VerificationsApi(api_client)


# -- Prism --------------------------------------------------------------------------------------
# Tests marked `prism` run against Stoplight Prism serving the contracts: PRISM_URL serves
# spec/logto-verifications.openapi.json, PRISM_ACCOUNT_URL spec/logto-account.openapi.json
# (.ci/prism.sh starts both; scripts/test.sh does it for the whole suite). In CI a missing server
# is a failure; elsewhere the Prism tests are skipped, and the skips are reported on one line.

PRISM_VARIABLES = ("PRISM_URL", "PRISM_ACCOUNT_URL")
HOW_TO_START_PRISM = (
    '`eval "$(bash .ci/prism.sh start)"` installs @stoplight/prism-cli (pinned in .ci/prism/) into .prism/ '
    "with npm, starts it on 127.0.0.1 for both contracts and exports PRISM_URL and PRISM_ACCOUNT_URL; "
    "`bash .ci/prism.sh stop` stops it (scripts/test.sh does both)"
)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _why_prism_is_missing() -> str:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "Prism tests: Node.js and npm are not installed (Prism needs Node.js 18 or newer). " + HOW_TO_START_PRISM
    return "Prism tests: Prism is not running. " + HOW_TO_START_PRISM


def prism_server_url(variable: str, probe_method: str, probe_path: str) -> str:
    """The URL of the Prism in ``variable``, checked to answer ``probe_method probe_path``.

    Fails in CI when the variable is not set; skips otherwise.
    """
    url = os.environ.get(variable, "").rstrip("/")
    if not url:
        if in_ci():
            pytest.fail(f"CI is set but {variable} is not: .ci/run must start Prism first. {HOW_TO_START_PRISM}")
        pytest.skip(_why_prism_is_missing())
    try:
        urllib3.request(
            probe_method, url + probe_path, headers={"Authorization": "Bearer probe"}, timeout=5, retries=False
        )
    except urllib3.exceptions.HTTPError as err:
        pytest.fail(f"{variable}={url} does not answer ({err}). {HOW_TO_START_PRISM}", pytrace=False)
    return url


@pytest.fixture(scope="module")
def prism_account_url() -> str:
    """Prism serving spec/logto-account.openapi.json (PRISM_ACCOUNT_URL)."""
    return prism_server_url("PRISM_ACCOUNT_URL", "GET", "/api/my-account")


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    """Without any Prism (and outside CI), skip every Prism test for the one reason it has."""
    if in_ci() or any(os.environ.get(variable) for variable in PRISM_VARIABLES):
        return
    skip = pytest.mark.skip(reason=_why_prism_is_missing())
    for item in items:
        if item.get_closest_marker("prism"):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Report the skips of Prism tests under their folder, so one reason is one summary line
    rather than one line per test function."""
    report: pytest.TestReport = yield
    if report.skipped and item.get_closest_marker("prism") and isinstance(report.longrepr, tuple):
        # No line number: pytest's own summary folds skips the same way (typed as int there).
        report.longrepr = (str(item.path.parent), None, report.longrepr[2])  # type: ignore[assignment]
    return report
