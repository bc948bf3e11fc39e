"""The generated client's transport, as its template describes it: ``rest.RESTClientObject``
with ``request(method, url, headers, body, post_params, _request_timeout)`` and
``pool_manager``, ``rest.RESTResponse`` (an ``io.IOBase``), ``rest.RESTResponseType``,
``rest.is_socks_proxy_url`` and ``rest.should_bypass_proxies``. ``request`` goes through
the same transport as every operation: same pool, deadline, interim-response handling."""

from __future__ import annotations

import inspect
import io
import json
import math
from typing import Any, Iterator

import pytest
import urllib3

import py_logto
from py_logto import rest
from test._faulty_server import HANG, KEEP, Fault, FaultyServer
from test._reliability import MARGIN, TOKEN, assert_ours, stopwatch
from test._server import RecordingServer, Reply


@pytest.fixture
def client(server: RecordingServer) -> Iterator[py_logto.ApiClient]:
    with py_logto.ApiClient(py_logto.Configuration(host=server.url, access_token=TOKEN)) as api_client:
        yield api_client


def test_the_names_the_generated_client_has() -> None:
    assert rest.RESTResponseType is urllib3.HTTPResponse
    assert issubclass(rest.RESTResponse, io.IOBase)
    parameters = inspect.signature(rest.RESTClientObject.request).parameters
    assert list(parameters) == ["self", "method", "url", "headers", "body", "post_params", "_request_timeout"]
    assert all(parameters[name].default is None for name in ("headers", "body", "post_params", "_request_timeout"))


def test_pool_manager(client: py_logto.ApiClient) -> None:
    assert type(client.rest_client.pool_manager) is urllib3.PoolManager
    proxied = py_logto.ApiClient(py_logto.Configuration(host="https://tenant.logto.app", proxy="http://127.0.0.1:9"))
    assert isinstance(proxied.rest_client.pool_manager, urllib3.ProxyManager)
    bypassed = py_logto.Configuration(
        host="https://tenant.logto.app", proxy="http://127.0.0.1:9", no_proxy=".logto.app"
    )
    assert type(py_logto.ApiClient(bypassed).rest_client.pool_manager) is urllib3.PoolManager


def test_a_json_body_and_the_response_as_generated(server: RecordingServer, client: py_logto.ApiClient) -> None:
    server.queue(Reply(201, {"verificationRecordId": "vrf_1"}, headers=[("Logto-Core-Request-Id", "req-1")]))
    response = client.rest_client.request(
        "post",
        server.url + "/api/verifications/password?x=1",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
        body={"password": "p", "n": [1, 2]},
    )
    assert isinstance(response, rest.RESTResponse)
    assert isinstance(response, io.IOBase)
    assert (response.status, response.reason) == (201, "Created")
    assert response.data == b'{"verificationRecordId": "vrf_1"}'
    assert response.read() == response.data
    assert response.getheader("logto-core-request-id") == "req-1"
    assert response.getheader("X-Missing", "none") == "none"
    assert response.getheaders()["Content-Type"] == "application/json; charset=utf-8"
    sent = server.last
    assert (sent.method, sent.path) == ("POST", "/api/verifications/password?x=1")
    assert json.loads(sent.body) == {"password": "p", "n": [1, 2]}
    assert sent.header("Authorization") == f"Bearer {TOKEN}"


def test_an_error_status_is_returned_not_raised(server: RecordingServer, client: py_logto.ApiClient) -> None:
    server.queue(Reply(503, {"code": "internal_server_error"}))
    response = client.rest_client.request("GET", server.url + "/api/status")
    assert response.status == 503
    assert json.loads(response.read()) == {"code": "internal_server_error"}
    assert server.last.body == b""


@pytest.mark.parametrize(
    ("content_type", "body", "post_params", "expected"),
    [
        ("application/x-www-form-urlencoded", None, {"a": "1", "b": "x y"}, b"a=1&b=x+y"),
        ("text/plain", "caf\u00e9", None, "caf\u00e9".encode()),
        ("application/octet-stream", b"\x00\x01", None, b"\x00\x01"),
        ("text/plain", True, None, b"true"),
    ],
)
def test_other_bodies_as_generated(
    server: RecordingServer, client: py_logto.ApiClient, content_type: str, body: Any, post_params: Any, expected: bytes
) -> None:
    server.queue(Reply(200, {}))
    client.rest_client.request(
        "PUT", server.url + "/x", headers={"Content-Type": content_type}, body=body, post_params=post_params
    )
    assert server.last.body == expected
    assert server.last.header("Content-Type") == content_type


def test_multipart_form_data(server: RecordingServer, client: py_logto.ApiClient) -> None:
    server.queue(Reply(200, {}))
    client.rest_client.request(
        "POST",
        server.url + "/upload",
        headers={"Content-Type": "multipart/form-data"},
        post_params=[("name", "jane"), ("meta", {"a": 1})],
    )
    sent = server.last
    content_type = sent.header("Content-Type") or ""
    assert content_type.startswith("multipart/form-data; boundary=")
    assert b'name="name"\r\n\r\njane\r\n' in sent.body
    assert b'name="meta"\r\n\r\n{"a": 1}\r\n' in sent.body


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r, url: r.request("TRACE", url), "method must be one of"),
        (lambda r, url: r.request("POST", url, body={"a": 1}, post_params={"b": 2}), "cannot be used with post_params"),
        (lambda r, url: r.request("POST", url, body={"n": math.nan}), "cannot be sent as JSON"),
        (lambda r, url: r.request("POST", url, body={"o": object()}), "cannot be sent as JSON"),
        (lambda r, url: r.request("POST", url, headers={"Content-Type": "image/png"}, body=[1]), "cannot send a list"),
        (lambda r, url: r.request("GET", url, body={"a": 1}), "a GET request has no body"),
        (lambda r, url: r.request("GET", "ftp://example.com/x"), "must be an http:// or https:// URL"),
        (lambda r, url: r.request("GET", "http://[::1/x"), "not a valid URL"),
        (lambda r, url: r.request("GET", url, _request_timeout=1e10), "at most 86400 seconds"),
    ],
)
def test_a_request_that_cannot_be_made_is_refused_before_sending(
    server: RecordingServer, client: py_logto.ApiClient, call: Any, message: str
) -> None:
    with pytest.raises((py_logto.ApiValueError, py_logto.ApiTypeError), match=message) as info:
        call(client.rest_client, server.url + "/x")
    assert_ours(info.value)
    assert server.requests == []


def test_timeouts_and_failures_are_ours(faulty: FaultyServer) -> None:
    api_client = py_logto.ApiClient(py_logto.Configuration(host=faulty.url))
    faulty.queue(Fault(b"", HANG))
    with stopwatch() as watch, pytest.raises(py_logto.ApiTimeoutError):
        api_client.rest_client.request("GET", faulty.url + "/x", _request_timeout=(1, 0.3))
    assert watch.elapsed < 0.3 + MARGIN
    faulty.queue(Fault(b"HTTP/1.1 103 Early Hints\r\n\r\n", KEEP, echo=True))
    assert api_client.rest_client.request("GET", faulty.url + "/x", _request_timeout=2).status == 200
    api_client.close()


def test_is_socks_proxy_url() -> None:
    assert rest.is_socks_proxy_url("socks5://127.0.0.1:1080")
    assert rest.is_socks_proxy_url("SOCKS4A://proxy:1080")
    assert not rest.is_socks_proxy_url("http://proxy:3128")
    assert not rest.is_socks_proxy_url("proxy:3128")
    assert not rest.is_socks_proxy_url(None)


@pytest.mark.parametrize(
    ("url", "no_proxy", "bypass"),
    [
        ("https://tenant.logto.app", None, False),
        ("https://tenant.logto.app", "", False),
        ("https://tenant.logto.app", "*", True),
        ("https://tenant.logto.app", "logto.app", True),
        ("https://tenant.logto.app", ".logto.app", True),
        ("https://tenant.logto.app", "other.app, LOGTO.APP", True),
        ("https://logto.app.evil.com", "logto.app", False),
        ("https://tenant.logto.app:8443", "tenant.logto.app:8443", True),
        ("https://tenant.logto.app", "tenant.logto.app:8443", False),
        ("http://10.1.2.3:3001", "10.0.0.0/8", True),
        ("http://192.168.1.1", "10.0.0.0/8", False),
        ("http://127.0.0.1:3001", "127.0.0.1", True),
        ("http://[::1]:3001", "::1", True),
        ("http:///path-only", "example.com", True),
    ],
)
def test_should_bypass_proxies(url: str, no_proxy: Any, bypass: bool) -> None:
    assert rest.should_bypass_proxies(url, no_proxy=no_proxy) is bypass
