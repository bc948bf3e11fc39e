"""Free-form JSON in a request (``connector_data``): values that cannot be sent as
JSON — NaN, infinities, other objects, circular structures, non-string keys, absurd
nesting — are an ``ApiValueError`` naming the field before anything is sent, also
when the dict was changed in place after it was validated."""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any, Callable, Dict, Iterator

import pytest

import py_logto
from py_logto.models import VerifyVerificationBySocialRequest
from test._faulty_server import FaultyServer
from test._reliability import api_for


def _circular() -> Dict[str, Any]:
    data: Dict[str, Any] = {"code": "c"}
    data["self"] = data
    return data


def _deep(levels: int) -> Dict[str, Any]:
    value: Any = "leaf"
    for _ in range(levels):
        value = [value]
    return {"deep": value}


BAD: Dict[str, Callable[[], Dict[str, Any]]] = {
    "NaN": lambda: {"code": "c", "score": float("nan")},
    "infinity": lambda: {"code": "c", "nested": {"list": [1, float("inf")]}},
    "-infinity": lambda: {"code": "c", "x": -float("inf")},
    "object": lambda: {"code": "c", "obj": object()},
    "set": lambda: {"code": "c", "tags": {"a", "b"}},
    "bytes": lambda: {"code": b"c"},
    "datetime": lambda: {"at": datetime.datetime(2026, 1, 1)},
    "decimal": lambda: {"amount": decimal.Decimal("1.5")},
    "int key": lambda: {"nested": {1: "one"}},
    "circular": _circular,
    "too deep": lambda: _deep(300),
}

#: what the message says about each
WHAT = {
    "NaN": "NaN",
    "infinity": "Infinity",
    "-infinity": "-Infinity",
    "object": "object",
    "set": "set",
    "bytes": "bytes",
    "datetime": "datetime",
    "decimal": "Decimal",
    "int key": "key of type int",
    "circular": "circular reference",
    "too deep": "levels of nesting",
}


@pytest.fixture
def api(faulty: FaultyServer) -> Iterator[py_logto.VerificationsApi]:
    api = api_for(faulty.url)
    yield api
    api.api_client.close()


def _check(error: BaseException, case: str) -> None:
    assert type(error) is py_logto.ApiValueError, f"{type(error).__module__}.{type(error).__name__}: {error}"
    assert "connector_data" in str(error)
    assert WHAT[case] in str(error)
    assert "cannot be sent as JSON" in str(error)


@pytest.mark.parametrize("case", sorted(BAD))
def test_not_json_is_refused_when_the_model_is_built(case: str) -> None:
    with pytest.raises(py_logto.OpenApiException) as info:
        VerifyVerificationBySocialRequest(verification_record_id="v", connector_data=BAD[case]())
    _check(info.value, case)
    assert info.value.fields == ("connector_data",)  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", sorted(BAD))
def test_not_json_is_refused_before_sending(faulty: FaultyServer, api: py_logto.VerificationsApi, case: str) -> None:
    with pytest.raises(py_logto.OpenApiException) as info:
        api.verify_verification_by_social({"verificationRecordId": "v", "connectorData": BAD[case]()})
    _check(info.value, case)
    assert (faulty.opened, faulty.requests) == (0, [])


@pytest.mark.parametrize("case", sorted(BAD))
def test_not_json_put_in_after_validation_is_refused_before_sending(
    faulty: FaultyServer, api: py_logto.VerificationsApi, case: str
) -> None:
    request = VerifyVerificationBySocialRequest(verification_record_id="v", connector_data={"code": "c"})
    with pytest.raises(py_logto.ApiValueError):
        request.connector_data = BAD[case]()  # assignment is validated too
    request.connector_data.update(BAD[case]())  # in place: only the send can notice
    if case == "circular":
        request.connector_data["self"] = request.connector_data
    with pytest.raises(py_logto.OpenApiException) as info:
        api.verify_verification_by_social(request)
    _check(info.value, case)
    assert (faulty.opened, faulty.requests) == (0, [])


def test_the_message_never_shows_the_values() -> None:
    with pytest.raises(py_logto.ApiValueError) as info:
        VerifyVerificationBySocialRequest(
            verification_record_id="v", connector_data={"code": "idp-SECRET-code", "x": [float("nan")]}
        )
    assert "idp-SECRET-code" not in str(info.value)
    assert "['x'][0]" in str(info.value)


def test_json_values_of_every_kind_are_sent_exactly(faulty: FaultyServer, api: py_logto.VerificationsApi) -> None:
    data = {
        "code": "c",
        "n": None,
        "t": True,
        "i": 2**60,
        "f": -1.5e-7,
        "list": [1, "two", [3.0], {"k": False}],
        "tuple": (1, 2),
        "unicode": "caf\u00e9 \u2603",
        "deep": _deep(150)["deep"],
    }
    api.verify_verification_by_social(
        VerifyVerificationBySocialRequest(verification_record_id="v", connector_data=data)
    )
    sent = json.loads(faulty.requests[0].body)["connectorData"]
    assert sent == json.loads(json.dumps(data))


def test_to_dict_and_to_json_refuse_a_value_changed_in_place_with_our_error() -> None:
    request = VerifyVerificationBySocialRequest(verification_record_id="v", connector_data={"a": 1})
    request.connector_data["a"] = float("nan")
    for render in (request.to_dict, request.to_json):
        with pytest.raises(py_logto.ApiValueError, match=r"connector_data .*NaN"):
            render()
