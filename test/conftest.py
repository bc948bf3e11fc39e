from __future__ import annotations

from typing import Iterator

import pytest

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
