"""The Account API errors a user meets first say what to do about them, in ``str(e)``."""

from __future__ import annotations

import pytest

import py_logto
from test._server import RecordingServer, Reply


@pytest.mark.parametrize(
    ("status", "code", "hint"),
    [
        (401, "verification_record.permission_denied", "fresh verification record"),
        (400, "account_center.not_enabled", "account center is off"),
        (400, "account_center.field_not_editable", "not set to Edit"),
    ],
)
def test_account_errors_say_what_to_do(status: int, code: str, hint: str) -> None:
    with RecordingServer() as server:
        server.queue(
            Reply(status, {"code": code, "message": "Logto's message."}, headers=[("Logto-Core-Request-Id", "r1")])
        )
        configuration = py_logto.Configuration(host=server.url, access_token="token")
        with py_logto.ApiClient(configuration) as client, pytest.raises(py_logto.ApiException) as caught:
            py_logto.MyAccountApi(client).delete_primary_email("expired-record")
    text = str(caught.value)
    assert hint in text
    assert "\n" not in text
    assert text.startswith(f"({status}) ")
    assert text.endswith("(request id: r1)")
    assert caught.value.message == "Logto's message."  # the message itself is Logto's, unchanged


def test_other_errors_carry_no_hint() -> None:
    with RecordingServer() as server:
        server.queue(Reply(422, {"code": "user.email_already_in_use", "message": "In use."}))
        configuration = py_logto.Configuration(host=server.url, access_token="token")
        with (
            py_logto.ApiClient(configuration) as client,
            pytest.raises(py_logto.UnprocessableEntityException) as caught,
        ):
            py_logto.MyAccountApi(client).delete_primary_email("record")
    reason = caught.value.reason  # "Unprocessable Content" from Python 3.13's http.server on
    assert str(caught.value) == f"(422) {reason} [user.email_already_in_use] In use."
