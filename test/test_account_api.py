"""Every Account API operation over real HTTP (a recording server on 127.0.0.1)."""

from __future__ import annotations

import json

import pytest

import py_logto
from test._server import RecordingServer, Reply


def test_the_social_token_keeps_its_snake_case_wire_names(
    server: RecordingServer, api_client: py_logto.ApiClient
) -> None:
    api = py_logto.MyAccountApi(api_client)
    body = {"access_token": "gho_16C7e42F", "scope": "read:user", "token_type": "bearer", "expires_in": 3600}
    server.queue(Reply(200, body))
    token = api.get_social_identity_access_token("github")
    assert (token.access_token, token.token_type, token.expires_in) == ("gho_16C7e42F", "bearer", 3600)
    assert token.to_dict() == body
    assert json.loads(token.to_json()) == body
    assert "gho_16C7e42F" not in repr(token)
    assert "gho_16C7e42F" not in token.to_str()


def test_a_profile_update_of_only_a_field_not_sent_as_null_is_refused(
    server: RecordingServer, api_client: py_logto.ApiClient
) -> None:
    # customData is not nullable: None means "not sent", which would leave nothing to send
    # (Logto answers 422 entity.invalid_input).
    api = py_logto.MyAccountApi(api_client)
    with pytest.raises(py_logto.ApiValueError, match="set at least 1 field"):
        py_logto.UpdateProfileRequest(custom_data=None)
    with pytest.raises(py_logto.ApiValueError, match="set at least 1 field"):
        api.update_profile({"customData": None})
    assert server.requests == []
    assert py_logto.UpdateProfileRequest(custom_data=None, name=None).to_dict() == {"name": None}
