"""The rules the sandbox borrows from Logto's libraries, checked against their own reference
values: RFC 6238 codes, libphonenumber's storage format, zod's URL check, the etag package,
Node's query strings and PostgreSQL's jsonb key order."""

from __future__ import annotations

import base64

import pytest

from py_logto.testing import LogtoSandbox, totp_code
from py_logto.testing._guard import url_ok
from py_logto.testing._phone import format_international, normalize, parse_phone
from py_logto.testing._store import jsonb
from py_logto.testing._totp import generate_secret, totp_matches, valid_secret
from py_logto.testing._wire import etag_of, parse_query

# RFC 6238 appendix B: the SHA-1 key is the ASCII string "12345678901234567890".
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("at", "code"),
    [(59, "287082"), (1111111109, "081804"), (1111111111, "050471"), (1234567890, "005924"), (2000000000, "279037")],
)
def test_totp_codes_follow_rfc_6238(at: float, code: str) -> None:
    assert totp_code(RFC_SECRET, at) == code
    assert totp_matches(RFC_SECRET, code, at + 30)  # one step late still counts
    assert not totp_matches(RFC_SECRET, code, at + 61)


def test_totp_secrets() -> None:
    secret = generate_secret()
    assert (len(secret), valid_secret(secret)) == (32, True)
    for secret in ("abc", "a" * 16, "A" * 15, "A" * 33, "AAAAAAA1AAAAAAAA"):
        assert not valid_secret(secret), secret
    assert not totp_matches(RFC_SECRET, "28708", 59)
    assert not totp_matches(RFC_SECRET, " 287082", 59)


def test_sandbox_totp_code_uses_the_sandbox_clock() -> None:
    sandbox = LogtoSandbox(clock=lambda: 59.0, default_connectors=False)
    assert sandbox.totp_code(RFC_SECRET) == "287082"
    sandbox.advance(1111111109 - 59)
    assert sandbox.totp_code(RFC_SECRET) == "081804"
    assert sandbox.totp_code(RFC_SECRET, offset=-1) == totp_code(RFC_SECRET, 1111111109 - 30)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("14155557906", "14155557906"),
        ("64021386582", "6421386582"),  # a trunk zero after the country code is dropped
        ("123", "123"),
        ("8613102052814", "8613102052814"),
        ("390612345678", "390612345678"),  # Italy dials its leading zero
    ],
)
def test_phone_numbers_as_logto_stores_them(given: str, stored: str) -> None:
    assert normalize(given) == stored


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("14155557906", "+1 415 555 7906"),
        ("8613102052814", "+86 131 0205 2814"),
        ("447911123456", "+44 7911 123456"),
        ("123", "+1 23"),
    ],
)
def test_phone_numbers_as_logto_shows_them(stored: str, shown: str) -> None:
    assert format_international(stored) == shown


@pytest.mark.parametrize("phone", ["12", "99912345", "1" * 19, "", "+", "12a"])
def test_phone_numbers_libphonenumber_refuses(phone: str) -> None:
    assert parse_phone(phone) is None
    assert normalize(phone) == phone


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("https://example.com/a.png", True),
        ("http:example.com", True),
        ("mailto:ada@example.com", True),
        ("a:b", True),
        ("file:///etc", True),
        ("http://[::1]:8080/", True),
        ("http://1.2.3.4", True),
        ("not a url", False),
        ("example.com", False),
        ("http://", False),
        ("https://exa mple.com", False),
        ("http://example.com:99999", False),
        ("http://1.2.3.256", False),
        ("foo://a b", False),
    ],
)
def test_urls_as_zod_judges_them(text: str, valid: bool) -> None:
    assert url_ok(text) is valid


def test_etags_are_the_etag_package_s() -> None:
    assert etag_of(b"") == '"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"'
    assert etag_of(b"[]") == '"2-l9Fw4VUO7kr8CvBlt4zaMCqXZ0w"'  # as recorded for an empty MFA list


def test_query_strings_as_node_parses_them() -> None:
    assert parse_query("a=1&a=2&b=x+y&c&d=%E2%82%AC&e=%ZZ") == {
        "a": ["1", "2"],
        "b": "x y",
        "c": "",
        "d": "\u20ac",
        "e": "%ZZ",
    }


def test_jsonb_orders_keys_by_length_then_bytes() -> None:
    value = {"redirectUri": 1, "userId": 2, "state": 3, "code": 4, "b": {"zz": 1, "a": 2}}
    assert list(jsonb(value)) == ["b", "code", "state", "userId", "redirectUri"]
    assert list(jsonb(value)["b"]) == ["a", "zz"]
