"""Configuration: every field is read by the client (and a test proves it), values
are checked when set, timeouts are finite by default and overridable per call."""

from __future__ import annotations

import copy
import importlib
import inspect
import math
from typing import Any

import pytest
from urllib3 import Retry, Timeout

import py_logto
from py_logto.configuration import DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_RETRIES, DEFAULT_TIMEOUT
from test._faulty_server import HANG, KEEP, Fault, FaultyServer, echo
from test._reliability import MARGIN, PASSWORD, TOKEN, api_for, password_request, stopwatch
from test._server import Recorded

#: Each Configuration field, and the test that shows the client reading it.
FIELD_TESTS = {
    "host": "test_configuration::test_host_is_read_for_every_request",
    "access_token": "test_redaction::test_a_token_set_after_the_client_was_made_is_used",
    "timeout": "test_configuration::test_the_configured_timeout_bounds_a_call",
    "deadline": "test_deadline::test_a_server_trickling_bytes_is_cut_off_at_the_deadline",
    "retries": "test_retries::test_connection_attempts_are_counted",
    "verify_ssl": "test_tls_proxy::test_verify_ssl_false_passes_with_urllib3_s_warning",
    "ssl_ca_cert": "test_tls_proxy::test_ssl_ca_cert_makes_it_pass",
    "ca_cert_data": "test_tls_proxy::test_ca_cert_data_makes_it_pass",
    "cert_file": "test_tls_proxy::test_cert_file_and_key_file_for_mutual_tls",
    "key_file": "test_tls_proxy::test_cert_file_and_key_file_for_mutual_tls",
    "assert_hostname": "test_tls_proxy::test_assert_hostname",
    "tls_server_name": "test_tls_proxy::test_tls_server_name_is_the_name_sent_and_checked",
    "proxy": "test_tls_proxy::test_an_http_target_goes_through_the_proxy",
    "no_proxy": "test_tls_proxy::test_no_proxy_sends_matching_hosts_direct",
    "proxy_headers": "test_tls_proxy::test_an_https_target_is_tunnelled_with_connect",
    "proxy_ssl_context": "test_tls_proxy::test_proxy_ssl_context_is_used_for_an_https_proxy",
    "connection_pool_maxsize": "test_lifecycle::test_one_client_many_threads",
    "socket_options": "test_tls_proxy::test_socket_options_are_set_on_new_sockets",
    "max_response_size": "test_faults::test_a_body_over_max_response_size_is_cut_and_its_connection_closed",
    "server_index": "test_configuration_compat::test_host_set_explicitly_wins_over_server_index",
    "server_variables": "test_configuration_compat::test_server_selection_is_checked_when_set",
    "debug": "test_redaction::test_debug_logs_to_stderr_when_logging_is_not_configured",
    "api_key": "test_configuration_compat::test_auth_knobs_refuse_to_be_set_saying_why",
    "api_key_prefix": "test_configuration_compat::test_auth_knobs_refuse_to_be_set_saying_why",
    "username": "test_configuration_compat::test_auth_knobs_refuse_to_be_set_saying_why",
    "password": "test_configuration_compat::test_auth_knobs_refuse_to_be_set_saying_why",
}

#: Fields the request engine reads when it encodes a request (path parameters, dates,
#: validation, operation servers): accepted, checked and kept here; their tests live
#: with the engine's.
ENGINE_FIELDS = {
    "server_operation_index",
    "server_operation_variables",
    "ignore_operation_servers",
    "safe_chars_for_path_param",
    "client_side_validation",
    "datetime_format",
    "date_format",
}


def test_every_field_is_read_and_a_test_proves_it() -> None:
    assert set(inspect.signature(py_logto.Configuration).parameters) == set(FIELD_TESTS) | ENGINE_FIELDS
    for field, where in FIELD_TESTS.items():
        module, name = where.split("::")
        test = getattr(importlib.import_module(f"test.{module}"), name)
        assert field in inspect.getsource(test), f"{where} does not set {field}"


def test_host_is_read_for_every_request(faulty: FaultyServer) -> None:
    with FaultyServer() as other:
        api = api_for(faulty.url)
        api.create_verification_by_password(password_request())
        api.api_client.configuration.host = other.url + "/"
        api.create_verification_by_password(password_request())
        api.api_client.close()
        assert (len(faulty.requests), len(other.requests)) == (1, 1)


# -- timeouts -----------------------------------------------------------------------


def test_the_default_timeout_is_finite() -> None:
    timeout = py_logto.Configuration().timeout
    assert timeout is DEFAULT_TIMEOUT
    assert (timeout.connect_timeout, timeout.total) == (10.0, None)
    assert repr(timeout) == "Timeout(connect=10.0, read=60.0, total=None)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.5, Timeout(total=2.5)),
        (3, Timeout(total=3.0)),
        ((1, 5.5), Timeout(connect=1.0, read=5.5)),
        ((None, 5), Timeout(connect=None, read=5.0)),
        (Timeout(connect=2, read=7), Timeout(connect=2, read=7)),
        (None, None),
    ],
)
def test_timeout_values(value: Any, expected: Any) -> None:
    assert repr(py_logto.Configuration(timeout=value).timeout) == repr(expected)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("10", py_logto.ApiTypeError),
        (True, py_logto.ApiTypeError),
        ((1, 2, 3), py_logto.ApiTypeError),
        (0, py_logto.ApiValueError),
        (-1, py_logto.ApiValueError),
        (math.inf, py_logto.ApiValueError),
        (math.nan, py_logto.ApiValueError),
        ((1, -1), py_logto.ApiValueError),
    ],
)
def test_invalid_timeouts_are_refused(value: Any, error: type) -> None:
    with pytest.raises(error, match=r"Configuration\.timeout"):
        py_logto.Configuration(timeout=value)
    with pytest.raises(error, match="_request_timeout"):
        api_for("http://127.0.0.1:9").create_verification_by_password(password_request(), _request_timeout=value)


def test_the_configured_timeout_bounds_a_call(faulty: FaultyServer) -> None:
    faulty.queue(Fault(b"", HANG))
    api = api_for(faulty.url, timeout=0.3)
    with stopwatch() as watch, pytest.raises(py_logto.ApiTimeoutError):
        api.create_verification_by_password(password_request())
    api.api_client.close()
    assert 0.3 <= watch.elapsed < 0.3 + MARGIN


@pytest.mark.parametrize("per_call", [0.3, (0.3, 0.3), Timeout(read=0.3)])
def test_request_timeout_overrides_the_configuration(faulty: FaultyServer, per_call: Any) -> None:
    faulty.queue(Fault(b"", HANG))
    api = api_for(faulty.url)  # the default: 60 s to read
    with stopwatch() as watch, pytest.raises(py_logto.ApiTimeoutError):
        api.create_verification_by_password(password_request(), _request_timeout=per_call)
    api.api_client.close()
    assert 0.3 <= watch.elapsed < 0.3 + MARGIN


def test_none_means_no_timeout(faulty: FaultyServer) -> None:
    slow = Fault(echo(Recorded("POST", "/", {}, b"")), KEEP, delay=0.6)
    faulty.queue(slow, slow, slow)
    api = api_for(faulty.url, timeout=0.2)
    with pytest.raises(py_logto.ApiTimeoutError):  # _request_timeout=None: the configured timeout
        api.create_verification_by_password(password_request(), _request_timeout=None)
    with stopwatch() as watch:  # (None, None): no timeout for this call
        api.create_verification_by_password(password_request(), _request_timeout=(None, None))
    assert watch.elapsed >= 0.6
    api.api_client.configuration.timeout = None
    api.create_verification_by_password(password_request())
    api.api_client.close()


# -- retries -----------------------------------------------------------------------


def _counts(retry: Retry) -> tuple:  # type: ignore[type-arg]
    return (retry.total, retry.connect, retry.read, retry.status, retry.other, retry.redirect)


def test_retry_values_read_back_as_set_and_become_a_policy() -> None:
    assert _counts(DEFAULT_RETRIES) == (2, 2, 0, 0, 0, 0)
    assert py_logto.Configuration().retries is DEFAULT_RETRIES
    assert _counts(py_logto.Configuration()._retry_policy) == (2, 2, 0, 0, 0, 0)
    assert py_logto.Configuration(retries=None).retries is None
    assert _counts(py_logto.Configuration(retries=None)._retry_policy) == (0, 0, 0, 0, 0, 0)
    assert py_logto.Configuration(retries=4).retries == 4
    assert _counts(py_logto.Configuration(retries=4)._retry_policy) == (4, 4, 0, 0, 0, 0)
    mine = Retry(total=3, status_forcelist=[503], allowed_methods=None, backoff_factor=0.5)
    config = py_logto.Configuration(retries=mine)
    assert config.retries is mine
    kept = config._retry_policy
    assert (kept.total, kept.status_forcelist, kept.allowed_methods, kept.backoff_factor) == (3, [503], None, 0.5)
    assert isinstance(kept, Retry)
    assert repr(kept).startswith("Retry(total=3")
    assert (kept.raise_on_status, kept.raise_on_redirect) == (False, False)
    assert mine.raise_on_status is True, "the caller's Retry must not be changed"


@pytest.mark.parametrize(("value", "error"), [(-1, py_logto.ApiValueError), ("3", py_logto.ApiTypeError)])
def test_invalid_retries_are_refused(value: Any, error: type) -> None:
    with pytest.raises(error, match=r"Configuration\.retries"):
        py_logto.Configuration(retries=value)


# -- checked when set --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        ({"host": ""}, py_logto.ApiTypeError, "host must be a non-empty URL"),
        ({"host": "ftp://logto.example"}, py_logto.ApiValueError, "must be an http:// or https:// URL"),
        ({"host": "https://"}, py_logto.ApiValueError, "must be an http:// or https:// URL"),
        ({"host": "https://logto.example:99999"}, py_logto.ApiValueError, "invalid port"),
        (
            {"host": f"https://admin:{PASSWORD}@logto.example"},
            py_logto.ApiValueError,
            "must not contain user:password@",
        ),
        ({"proxy": "socks5://127.0.0.1:1080"}, py_logto.ApiValueError, "Configuration.proxy must be an http"),
        ({"proxy": 3128}, py_logto.ApiTypeError, "Configuration.proxy must be a URL string"),
        ({"proxy_headers": [("a", "b")]}, py_logto.ApiTypeError, "proxy_headers must be a mapping"),
        ({"connection_pool_maxsize": 0}, py_logto.ApiValueError, "connection_pool_maxsize must be at least 1"),
        ({"connection_pool_maxsize": 2.5}, py_logto.ApiTypeError, "connection_pool_maxsize must be an int"),
        ({"max_response_size": 0}, py_logto.ApiValueError, "max_response_size must be at least 1"),
        ({"access_token": b"bytes"}, py_logto.ApiTypeError, "access_token must be a str or a zero-argument"),
    ],
)
def test_invalid_values_are_refused_when_set(settings: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message) as info:
        py_logto.Configuration(**settings)
    assert PASSWORD not in str(info.value)
    config = py_logto.Configuration()
    ((name, value),) = settings.items()
    with pytest.raises(error):
        setattr(config, name, value)


def test_defaults() -> None:
    config = py_logto.Configuration()
    assert (config.host, config.access_token, config.verify_ssl, config.proxy, config.proxy_headers) == (
        "http://localhost",
        None,
        True,
        None,
        None,
    )
    assert (config.connection_pool_maxsize, config.max_response_size, config.debug) == (
        10,
        DEFAULT_MAX_RESPONSE_SIZE,
        False,
    )
    assert DEFAULT_MAX_RESPONSE_SIZE == 1024 * 1024


def test_repr_shows_settings_but_no_secret() -> None:
    config = py_logto.Configuration(
        host="https://tenant.logto.app/",
        access_token=TOKEN,
        proxy=f"http://user:{PASSWORD}@proxy.internal:3128",
        proxy_headers={"Proxy-Authorization": f"Basic {PASSWORD}"},
        max_response_size=None,
    )
    shown = repr(config)
    assert TOKEN not in shown
    assert PASSWORD not in shown
    assert "host='https://tenant.logto.app'" in shown
    assert "access_token='***'" in shown
    assert "proxy='http://***@proxy.internal:3128'" in shown
    assert "proxy_headers=<1 header(s)>" in shown
    assert "max_response_size=None" in shown
    config.access_token = lambda: TOKEN
    assert "access_token=<callable>" in repr(config)


def test_copies_share_no_mutable_state() -> None:
    original = py_logto.Configuration(access_token=TOKEN, proxy_headers={"X-A": "1"})
    for clone in (copy.copy(original), copy.deepcopy(original)):
        assert clone.proxy_headers == {"X-A": "1"}
        assert clone.proxy_headers is not original.proxy_headers
        clone.host = "https://other.example"
        clone.access_token = "other"
        assert (original.host, original.access_token) == ("http://localhost", TOKEN)
    headers = {"X-A": "1"}
    config = py_logto.Configuration(proxy_headers=headers)
    headers["X-A"] = "changed later"
    assert config.proxy_headers == {"X-A": "1"}
