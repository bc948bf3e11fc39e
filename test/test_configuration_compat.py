"""The generated client's ``Configuration``, as its documentation describes it: every
keyword and attribute is accepted and does what it says; the auth knobs that cannot
mean anything for Logto's user APIs read as the generated defaults and refuse to be
set, saying why; a configuration with a string token pickles and deep-copies."""

from __future__ import annotations

import copy
import logging
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest
from urllib3 import Retry

import py_logto
from py_logto._version import __version__
from test._faulty_server import FaultyServer
from test._reliability import PASSWORD, TOKEN, api_for, password_request

#: The keyword arguments of the generated client's Configuration (OpenAPI Generator 7.26).
GENERATED_KEYWORDS = [
    "host",
    "api_key",
    "api_key_prefix",
    "username",
    "password",
    "access_token",
    "server_index",
    "server_variables",
    "server_operation_index",
    "server_operation_variables",
    "ignore_operation_servers",
    "ssl_ca_cert",
    "retries",
    "ca_cert_data",
    "cert_file",
    "key_file",
    "verify_ssl",
    "assert_hostname",
    "tls_server_name",
    "connection_pool_maxsize",
    "proxy",
    "no_proxy",
    "proxy_headers",
    "proxy_ssl_context",
    "safe_chars_for_path_param",
    "client_side_validation",
    "socket_options",
    "datetime_format",
    "date_format",
    "debug",
]

GENERATED_DEFAULTS = {
    "server_operation_index": {},
    "server_operation_variables": {},
    "server_variables": {},
    "ignore_operation_servers": False,
    "verify_ssl": True,
    "ssl_ca_cert": None,
    "ca_cert_data": None,
    "cert_file": None,
    "key_file": None,
    "assert_hostname": None,
    "tls_server_name": None,
    "proxy_headers": None,
    "proxy_ssl_context": None,
    "safe_chars_for_path_param": "",
    "client_side_validation": True,
    "socket_options": None,
    "datetime_format": "%Y-%m-%dT%H:%M:%S.%f%z",
    "date_format": "%Y-%m-%d",
    "logger_format": "%(asctime)s %(levelname)s %(message)s",
    "logger_file": None,
    "logger_stream_handler": None,
    "logger_file_handler": None,
    "debug": False,
    "api_key": {},
    "api_key_prefix": {},
    "username": None,
    "password": None,
    "refresh_api_key_hook": None,
    "temp_folder_path": None,
}


def test_every_generated_keyword_is_accepted_by_name() -> None:
    settings: Any = {name: getattr(py_logto.Configuration(), name) for name in GENERATED_KEYWORDS}
    settings.update(host="https://tenant.logto.app", access_token=TOKEN, connection_pool_maxsize=4, server_index=None)
    config = py_logto.Configuration(**settings)
    assert (config.host, config.access_token, config.connection_pool_maxsize) == ("https://tenant.logto.app", TOKEN, 4)


@pytest.mark.parametrize(("name", "default"), list(GENERATED_DEFAULTS.items()))
def test_attributes_read_as_the_generated_defaults(name: str, default: Any) -> None:
    assert getattr(py_logto.Configuration(), name) == default


def test_the_loggers_are_the_generated_ones() -> None:
    loggers = py_logto.Configuration().logger
    assert loggers == {"package_logger": logging.getLogger("py_logto"), "urllib3_logger": logging.getLogger("urllib3")}


# -- the knobs that cannot mean anything here -------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "why"),
    [
        ("api_key", {"OAuth2": "k"}, "access token"),
        ("api_key_prefix", {"OAuth2": "Bearer"}, "access token"),
        ("username", "admin", "access token"),
        ("password", PASSWORD, "access token"),
        ("refresh_api_key_hook", lambda config: None, "callable returning the current one"),
        ("temp_folder_path", "/tmp", "downloads"),
    ],
)
def test_auth_knobs_refuse_to_be_set_saying_why(name: str, value: Any, why: str) -> None:
    config = py_logto.Configuration()
    with pytest.raises(py_logto.ApiValueError, match=why) as info:
        setattr(config, name, value)
    assert PASSWORD not in str(info.value)
    assert f"Configuration.{name}" in str(info.value)
    if name in ("api_key", "api_key_prefix", "username", "password"):
        with pytest.raises(py_logto.ApiValueError, match=why):
            py_logto.Configuration(**{name: value})
    setattr(config, name, None)  # the generated default is accepted


def test_api_key_dict_entries_are_refused_too() -> None:
    config = py_logto.Configuration(api_key=None, api_key_prefix={}, username=None, password=None)
    with pytest.raises(py_logto.ApiValueError, match=r"Configuration\.api_key cannot be set"):
        config.api_key["OAuth2"] = "secret"
    with pytest.raises(py_logto.ApiValueError):
        config.api_key_prefix.update(OAuth2="Bearer")
    assert config.get_api_key_with_prefix("OAuth2") is None
    assert config.get_basic_auth_token() is None


# -- servers ----------------------------------------------------------------------------------


def test_host_settings_are_the_contract_s_server() -> None:
    config = py_logto.Configuration()
    assert config.get_host_settings() == [{"url": "http://localhost", "description": "Logto endpoint address."}]
    assert (config.server_index, config.host) == (0, "http://localhost")
    assert config.get_host_from_settings(0) == "http://localhost"
    with pytest.raises(ValueError, match="Invalid index 1 when selecting the host settings"):
        config.get_host_from_settings(1)
    templated = [
        {
            "url": "https://{tenant}.logto.app",
            "description": "",
            "variables": {"tenant": {"description": "", "default_value": "demo", "enum_values": ["demo", "prod"]}},
        }
    ]
    assert config.get_host_from_settings(0, servers=templated) == "https://demo.logto.app"
    assert config.get_host_from_settings(0, {"tenant": "prod"}, templated) == "https://prod.logto.app"
    with pytest.raises(py_logto.ApiValueError, match="invalid value staging"):
        config.get_host_from_settings(0, {"tenant": "staging"}, templated)


def test_host_set_explicitly_wins_over_server_index(faulty: FaultyServer) -> None:
    config = py_logto.Configuration(host=faulty.url)
    assert (config.server_index, config.host) == (None, faulty.url)
    config = py_logto.Configuration()
    config.host = faulty.url
    assert config.server_index is None
    assert config.get_host_from_settings(None) == faulty.url
    api = py_logto.VerificationsApi(py_logto.ApiClient(py_logto.Configuration(host=faulty.url, access_token=TOKEN)))
    assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_default"
    api.api_client.close()
    config.server_index = 0  # back to the contract's server
    assert config.host == "http://localhost"
    # Both given: the index decides, as in the generated client.
    assert py_logto.Configuration(host=faulty.url, server_index=0).host == "http://localhost"


@pytest.mark.parametrize(
    ("settings", "error"),
    [
        ({"server_index": 1}, py_logto.ApiValueError),
        ({"server_index": "0"}, py_logto.ApiTypeError),
        ({"server_operation_index": {"CreateVerificationByPassword": 3}}, py_logto.ApiValueError),
        ({"server_operation_index": [0]}, py_logto.ApiTypeError),
        ({"server_variables": {"tenant": 1}}, py_logto.ApiTypeError),
        ({"server_operation_variables": {"CreateVerificationByPassword": {"a": 1}}}, py_logto.ApiTypeError),
    ],
)
def test_server_selection_is_checked_when_set(settings: Any, error: type) -> None:
    with pytest.raises(error):
        py_logto.Configuration(**settings)


def test_operation_server_settings_are_kept() -> None:
    config = py_logto.Configuration(
        server_operation_index={"CreateVerificationByPassword": 0},
        server_operation_variables={"CreateVerificationByPassword": {}},
        ignore_operation_servers=True,
    )
    assert config.server_operation_index == {"CreateVerificationByPassword": 0}
    assert config.server_operation_variables == {"CreateVerificationByPassword": {}}
    assert config.ignore_operation_servers is True


@pytest.mark.parametrize("host", ["http://[::1", "http://exa mple.com", "https://logto.app/?x=1", "http://\x00bad"])
def test_a_malformed_host_is_refused_when_set(host: str) -> None:
    with pytest.raises(py_logto.ApiValueError, match=r"Configuration\.host"):
        py_logto.Configuration(host=host)
    config = py_logto.Configuration()
    with pytest.raises(py_logto.ApiValueError):
        config.host = host
    assert config.host == "http://localhost"


def test_an_ipv6_host_is_accepted() -> None:
    assert py_logto.Configuration(host="http://[::1]:8080/").host == "http://[::1]:8080"


@pytest.mark.parametrize("chars", ["/", "?", "#", "%", " ", "a/b"])
def test_safe_chars_that_would_change_the_route_are_refused(chars: str) -> None:
    with pytest.raises(py_logto.ApiValueError, match="must never change the route"):
        py_logto.Configuration(safe_chars_for_path_param=chars)
    assert py_logto.Configuration(safe_chars_for_path_param="@:").safe_chars_for_path_param == "@:"


# -- auth, reports ----------------------------------------------------------------------------


def test_auth_settings_as_generated() -> None:
    assert py_logto.Configuration().auth_settings() == {}
    expected = {"type": "oauth2", "in": "header", "key": "Authorization", "value": f"Bearer {TOKEN}"}
    assert py_logto.Configuration(access_token=TOKEN).auth_settings()["OAuth2"] == expected
    rotating = py_logto.Configuration(access_token=lambda: "fresh")
    assert rotating.auth_settings()["bearerAuth"]["value"] == "Bearer fresh"


def test_to_debug_report() -> None:
    report = py_logto.Configuration(access_token=TOKEN).to_debug_report()
    assert report == (
        f"Python SDK Debug Report:\nOS: {sys.platform}\nPython Version: {sys.version}\n"
        f"Version of the API: 1.42.0\nSDK Package Version: {__version__}"
    )
    assert TOKEN not in report


# -- the default configuration -----------------------------------------------------------------


def test_get_default_is_shared_and_set_default_keeps_the_object() -> None:
    previous = py_logto.Configuration.get_default()
    try:
        py_logto.Configuration.set_default(None)
        first = py_logto.Configuration.get_default()
        assert first is py_logto.Configuration.get_default()
        mine = py_logto.Configuration(host="https://tenant.logto.app")
        py_logto.Configuration.set_default(mine)
        assert py_logto.Configuration.get_default() is mine
        mine.access_token = TOKEN  # later changes are seen by clients made without a configuration
        assert py_logto.ApiClient().configuration.access_token == TOKEN
        copied = py_logto.Configuration.get_default_copy()
        assert copied is not mine
        assert (copied.host, copied.access_token) == (mine.host, TOKEN)
    finally:
        py_logto.Configuration.set_default(previous)


# -- retries read back as set ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, 0, 3, Retry(total=1, status_forcelist=[503], allowed_methods=None)])
def test_retries_read_back_as_set(value: Any) -> None:
    config = py_logto.Configuration(retries=value)
    assert config.retries is value or config.retries == value
    config.retries = value
    assert config.retries is value or config.retries == value


# -- logging ---------------------------------------------------------------------------------


def test_logger_file_receives_the_package_s_records(faulty: FaultyServer, tmp_path: Path) -> None:
    log_file = tmp_path / "py_logto.log"
    api = api_for(faulty.url, debug=True)
    config = api.api_client.configuration
    config.logger_format = "%(levelname)s|%(message)s"
    config.logger_file = str(log_file)
    try:
        assert config.logger_file_handler is not None
        api.create_verification_by_password(password_request())
        config.logger_file_handler.flush()
    finally:
        config.logger_file = None
        config.debug = False
        api.api_client.close()
    lines = log_file.read_text().splitlines()
    assert any(line.startswith("DEBUG|POST /api/verifications/password -> 200 in ") for line in lines), lines
    assert all(TOKEN not in line and PASSWORD not in line for line in lines)
    handlers = logging.getLogger("py_logto").handlers + logging.getLogger("urllib3").handlers
    assert not any(isinstance(handler, logging.FileHandler) for handler in handlers), "the file handler stayed"


# -- copies and pickles ----------------------------------------------------------------------------


def configured() -> py_logto.Configuration:
    return py_logto.Configuration(
        host="https://tenant.logto.app",
        access_token=TOKEN,
        timeout=(2, 7),
        deadline=30,
        retries=Retry(total=2, status_forcelist=[503], allowed_methods=None),
        proxy="http://proxy.internal:3128",
        no_proxy="localhost",
        proxy_headers={"Proxy-Authorization": "Basic eA=="},
        connection_pool_maxsize=3,
        socket_options=[(6, 1, 1)],
        max_response_size=2048,
        server_variables={},
        safe_chars_for_path_param="@",
        client_side_validation=False,
        date_format="%d/%m/%Y",
        verify_ssl=False,
    )


SETTINGS = [
    "host",
    "access_token",
    "deadline",
    "proxy",
    "no_proxy",
    "proxy_headers",
    "connection_pool_maxsize",
    "socket_options",
    "max_response_size",
    "server_index",
    "safe_chars_for_path_param",
    "client_side_validation",
    "date_format",
    "verify_ssl",
    "debug",
]


@pytest.mark.parametrize("how", ["pickle", "deepcopy", "copy"])
def test_a_configuration_with_a_string_token_pickles_and_copies(how: str) -> None:
    original = configured()
    if how == "pickle":
        clone = pickle.loads(pickle.dumps(original))
    else:
        clone = copy.deepcopy(original) if how == "deepcopy" else copy.copy(original)
    for name in SETTINGS:
        assert getattr(clone, name) == getattr(original, name), name
    assert repr(clone.timeout) == repr(original.timeout)
    assert clone.retries.total == 2
    assert clone.retries.status_forcelist == [503]
    assert clone._retry_policy.raise_on_status is False
    assert clone.proxy_headers is not original.proxy_headers
    clone.proxy_headers["X-B"] = "2"  # type: ignore[index]
    assert "X-B" not in (original.proxy_headers or {})
    assert TOKEN.encode() in pickle.dumps(original), "the token is part of what is pickled"


def test_an_unpickled_configuration_works(faulty: FaultyServer) -> None:
    config = pickle.loads(pickle.dumps(py_logto.Configuration(host=faulty.url, access_token=TOKEN, debug=True)))
    assert config.debug is True
    api = py_logto.VerificationsApi(py_logto.ApiClient(config))
    assert api.create_verification_by_password(password_request()).verification_record_id == "vrf_default"
    assert faulty.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    api.api_client.close()
    config.debug = False


def test_a_default_configuration_pickles_without_reading_the_environment_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("http_proxy", raising=False)
    data = pickle.dumps(py_logto.Configuration())
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.internal:3128")
    assert pickle.loads(data).proxy is None


def test_a_copy_changing_its_log_file_leaves_the_original_s_alone(tmp_path: Path) -> None:
    original = py_logto.Configuration(debug=True)
    original.logger_file = str(tmp_path / "original.log")
    clone = copy.deepcopy(original)
    try:
        assert clone.logger_file == original.logger_file
        clone.logger_file = None
        assert original.logger_file_handler is not None
        assert original.logger_file_handler in logging.getLogger("py_logto").handlers
    finally:
        original.logger_file = None
        original.debug = clone.debug = False
