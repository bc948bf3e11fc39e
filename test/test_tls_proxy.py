"""TLS and proxies, for real: a local HTTPS server with a certificate made here by
``trustme``, and a local forward/CONNECT proxy."""

from __future__ import annotations

import base64
import socket
import ssl
from pathlib import Path
from typing import Iterator, Tuple

import pytest
import trustme
from urllib3.exceptions import InsecureRequestWarning

import py_logto
from test._faulty_server import FaultyServer
from test._proxy import Proxy
from test._reliability import PASSWORD, api_for, assert_ours, password_request, wait_for


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("tls") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def server_context(ca: trustme.CA, *names: str, client_auth: bool = False) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    if client_auth:
        ca.configure_trust(context)
        context.verify_mode = ssl.CERT_REQUIRED
    return context


@pytest.fixture
def https(ca: trustme.CA) -> Iterator[FaultyServer]:
    with FaultyServer(server_context(ca, "localhost", "127.0.0.1")) as srv:
        yield srv


def call(api: py_logto.VerificationsApi) -> str:
    try:
        return api.create_verification_by_password(password_request()).verification_record_id
    finally:
        api.api_client.close()


def test_verify_ssl_is_on_by_default_and_a_self_signed_certificate_fails(https: FaultyServer) -> None:
    assert py_logto.Configuration().verify_ssl is True
    with pytest.raises(py_logto.ApiConnectionError, match="TLS error") as info:
        call(api_for(https.url))
    assert type(info.value) is py_logto.ApiConnectionError
    assert_ours(info.value)
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value)
    assert https.requests == []


def test_ssl_ca_cert_makes_it_pass(https: FaultyServer, ca_file: str) -> None:
    assert call(api_for(https.url, ssl_ca_cert=ca_file)) == "vrf_default"


def test_verify_ssl_false_passes_with_urllib3_s_warning(https: FaultyServer) -> None:
    with pytest.warns(InsecureRequestWarning):
        assert call(api_for(https.url, verify_ssl=False)) == "vrf_default"


def test_assert_hostname(ca: trustme.CA, ca_file: str) -> None:
    with FaultyServer(server_context(ca, "logto.internal")) as srv:
        with pytest.raises(py_logto.ApiConnectionError, match="TLS error"):
            call(api_for(srv.url, ssl_ca_cert=ca_file))
        assert call(api_for(srv.url, ssl_ca_cert=ca_file, assert_hostname="logto.internal")) == "vrf_default"
        with pytest.raises(py_logto.ApiConnectionError, match="TLS error"):
            call(api_for(srv.url, ssl_ca_cert=ca_file, assert_hostname="other.internal"))


@pytest.fixture(scope="module")
def client_cert(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Tuple[str, str]:
    issued = ca.issue_cert("backend@example.com")
    folder = tmp_path_factory.mktemp("client")
    cert, key = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(b"".join(blob.bytes() for blob in issued.cert_chain_pems))
    issued.private_key_pem.write_to_path(str(key))
    return str(cert), str(key)


def test_cert_file_and_key_file_for_mutual_tls(ca: trustme.CA, ca_file: str, client_cert: Tuple[str, str]) -> None:
    cert_file, key_file = client_cert
    with FaultyServer(server_context(ca, "127.0.0.1", client_auth=True)) as srv:
        assert call(api_for(srv.url, ssl_ca_cert=ca_file, cert_file=cert_file, key_file=key_file)) == "vrf_default"
        with pytest.raises(py_logto.ApiConnectionError) as info:
            call(api_for(srv.url, ssl_ca_cert=ca_file))
        assert_ours(info.value)
        assert wait_for(lambda: srv.tls_failures == 1), "the server did not refuse the handshake"
        assert len(srv.requests) == 1


def test_a_missing_ca_file_is_a_tls_connection_error(https: FaultyServer, tmp_path: Path) -> None:
    with pytest.raises(py_logto.ApiConnectionError, match="TLS error") as info:
        call(api_for(https.url, ssl_ca_cert=str(tmp_path / "missing.pem")))
    assert_ours(info.value)


# -- proxies ----------------------------------------------------------------------


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    with Proxy() as running:
        yield running


def test_an_http_target_goes_through_the_proxy(proxy: Proxy) -> None:
    with FaultyServer() as target:
        api = api_for(target.url, proxy=proxy.url, proxy_headers={"Proxy-Authorization": "Basic c2VjcmV0"})
        assert call(api) == "vrf_default"
        assert len(target.requests) == 1
    (seen,) = proxy.seen
    assert (seen.method, seen.target) == ("POST", target.url + "/api/verifications/password")
    assert seen.headers["proxy-authorization"] == "Basic c2VjcmV0"
    assert seen.headers["authorization"].startswith("Bearer ")


def test_an_https_target_is_tunnelled_with_connect(proxy: Proxy, https: FaultyServer, ca_file: str) -> None:
    api = api_for(https.url, ssl_ca_cert=ca_file, proxy=proxy.url, proxy_headers={"Proxy-Authorization": "Basic eA=="})
    assert call(api) == "vrf_default"
    (seen,) = proxy.seen
    assert (seen.method, seen.target) == ("CONNECT", f"127.0.0.1:{https.port}")
    assert seen.headers["proxy-authorization"] == "Basic eA=="
    assert "authorization" not in seen.headers, "the access token must stay inside the tunnel"
    (request,) = https.requests
    assert "proxy-authorization" not in request.headers, "proxy credentials must not reach the server"
    assert request.headers["authorization"].startswith("Bearer ")


def test_credentials_in_the_proxy_url_become_proxy_authorization(proxy: Proxy) -> None:
    proxied = proxy.url.replace("http://", f"http://backend:{PASSWORD}%40x@")
    config = py_logto.Configuration(proxy=proxied)
    assert PASSWORD not in repr(config)
    with FaultyServer() as target:
        assert call(api_for(target.url, proxy=proxied)) == "vrf_default"
    expected = "Basic " + base64.b64encode(f"backend:{PASSWORD}@x".encode()).decode()
    assert proxy.seen[0].headers["proxy-authorization"] == expected


def test_an_unreachable_proxy_is_a_proxy_error() -> None:
    with FaultyServer(listening=False) as closed, FaultyServer() as target:
        with pytest.raises(py_logto.ApiConnectionError, match="proxy error") as info:
            call(api_for(target.url, proxy=closed.url, retries=None))
        assert target.requests == []
    assert_ours(info.value)


# -- the generated client's TLS and proxy settings ------------------------------------


@pytest.mark.parametrize("form", ["PEM text", "DER bytes"])
def test_ca_cert_data_makes_it_pass(https: FaultyServer, ca: trustme.CA, form: str) -> None:
    pem = ca.cert_pem.bytes().decode()
    data = pem if form == "PEM text" else ssl.PEM_cert_to_DER_cert(pem)
    assert call(api_for(https.url, ca_cert_data=data)) == "vrf_default"
    assert "BEGIN" not in repr(py_logto.Configuration(ca_cert_data=data))


def test_tls_server_name_is_the_name_sent_and_checked(ca: trustme.CA, ca_file: str) -> None:
    with FaultyServer(server_context(ca, "logto.internal")) as srv:
        assert call(api_for(srv.url, ssl_ca_cert=ca_file, tls_server_name="logto.internal")) == "vrf_default"
        with pytest.raises(py_logto.ApiConnectionError, match="TLS error"):
            call(api_for(srv.url, ssl_ca_cert=ca_file, tls_server_name="other.internal"))


def test_assert_hostname_false_skips_the_name_check_but_not_the_chain(ca: trustme.CA, ca_file: str) -> None:
    with FaultyServer(server_context(ca, "logto.internal")) as srv:
        assert call(api_for(srv.url, ssl_ca_cert=ca_file, assert_hostname=False)) == "vrf_default"
        with pytest.raises(py_logto.ApiConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            call(api_for(srv.url, assert_hostname=False))  # an unknown CA still fails


def test_no_proxy_sends_matching_hosts_direct(proxy: Proxy) -> None:
    with FaultyServer() as target:
        assert call(api_for(target.url, proxy=proxy.url, no_proxy="example.com, 127.0.0.1")) == "vrf_default"
        assert call(api_for(target.url, proxy=proxy.url, no_proxy="example.com")) == "vrf_default"
    assert [seen.method for seen in proxy.seen] == ["POST"], "only the second call goes through the proxy"


@pytest.fixture
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "REQUEST_METHOD"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


def test_the_environment_s_proxy_is_used_and_explicit_settings_win(
    proxy: Proxy, no_proxy_environment: pytest.MonkeyPatch
) -> None:
    no_proxy_environment.setenv("HTTP_PROXY", proxy.url)
    no_proxy_environment.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    with FaultyServer() as target:
        config = py_logto.Configuration(host=target.url)
        assert (config.proxy, config.no_proxy) == (proxy.url, None)
        assert call(api_for(target.url)) == "vrf_default"
        assert len(proxy.seen) == 1
        # The proxy taken from the environment follows the host's scheme.
        config.host = "https://logto.example"
        assert config.proxy == "http://127.0.0.1:9"
        # Explicit settings win over the environment.
        assert py_logto.Configuration(host=target.url, proxy="http://10.0.0.1:3128").proxy == "http://10.0.0.1:3128"
        assert call(api_for(target.url, no_proxy="127.0.0.1")) == "vrf_default"
        no_proxy_environment.setenv("NO_PROXY", "127.0.0.1")
        assert py_logto.Configuration(host=target.url).no_proxy == "127.0.0.1"
        assert call(api_for(target.url)) == "vrf_default"
    assert len(proxy.seen) == 1, "NO_PROXY and an explicit no_proxy send the call direct"


def test_an_environment_proxy_urllib3_cannot_use_is_ignored(no_proxy_environment: pytest.MonkeyPatch) -> None:
    no_proxy_environment.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    assert py_logto.Configuration().proxy is None
    with pytest.raises(py_logto.ApiValueError, match="SOCKS proxies are not supported"):
        py_logto.Configuration(proxy="socks5://127.0.0.1:1080")


def test_proxy_ssl_context_is_used_for_an_https_proxy(ca: trustme.CA, ca_file: str, https: FaultyServer) -> None:
    proxy_side = server_context(ca, "127.0.0.1")
    proxy_side.minimum_version = ssl.TLSVersion.TLSv1_3
    with Proxy(proxy_side) as tls_proxy:
        proxy_context = ssl.create_default_context(cafile=ca_file)
        api = api_for(https.url, ssl_ca_cert=ca_file, proxy=tls_proxy.url, proxy_ssl_context=proxy_context)
        assert call(api) == "vrf_default"  # TLS to the proxy, and TLS to Logto inside the tunnel
        # The proxy's own context decides how to reach the proxy: one capped at TLS 1.2 cannot.
        capped = ssl.create_default_context(cafile=ca_file)
        capped.maximum_version = ssl.TLSVersion.TLSv1_2
        with pytest.raises(py_logto.ApiConnectionError):
            call(api_for(https.url, ssl_ca_cert=ca_file, proxy=tls_proxy.url, proxy_ssl_context=capped))
        assert call(api_for(https.url, ssl_ca_cert=ca_file, proxy=tls_proxy.url)) == "vrf_default"
    assert [seen.method for seen in tls_proxy.seen] == ["CONNECT", "CONNECT"]


def test_socket_options_are_set_on_new_sockets() -> None:
    with FaultyServer() as target:
        keepalive = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
        assert call(api_for(target.url, socket_options=keepalive)) == "vrf_default"
        with pytest.raises(py_logto.ApiConnectionError, match="could not connect"):
            call(api_for(target.url, socket_options=[(socket.SOL_SOCKET, 9999, 1)], retries=None))
    with pytest.raises(py_logto.ApiTypeError, match="socket_options"):
        py_logto.Configuration(socket_options=[1, 2, 3])  # type: ignore[list-item]


def test_the_environment_is_read_as_urllib_reads_it(no_proxy_environment: pytest.MonkeyPatch) -> None:
    no_proxy_environment.setenv("HTTP_PROXY", "http://upper.internal:3128")
    no_proxy_environment.setenv("http_proxy", "http://lower.internal:3128")
    assert py_logto.Configuration(host="http://logto.example").proxy == "http://lower.internal:3128"
    no_proxy_environment.delenv("http_proxy")
    no_proxy_environment.setenv("REQUEST_METHOD", "GET")  # a CGI request: HTTP_PROXY may come from the client
    assert py_logto.Configuration(host="http://logto.example").proxy is None
