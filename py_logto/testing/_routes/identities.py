"""Social identities: ``/api/my-account/identities`` (link, replace, unlink) and the stored
third-party access tokens (``/identities/{target}/access-token``, ``/sso-identities/...``).

A verified social record links the social account it proves to whoever presents it (Logto does
not bind social records to the user who made them). With token storage on, the connector's
token response is kept as the user's token set for that target.
"""

from __future__ import annotations

import math
import re
from typing import Any, Dict, Optional, Tuple

from py_logto.testing._context import Context, Reply, Route
from py_logto.testing._errors import LogtoError
from py_logto.testing._guard import Object, String, min_length
from py_logto.testing._store import Record, Store, TokenSet, UserRow

__all__ = ["ROUTES", "token_set_from_response"]


def _parse_int(text: str) -> Optional[int]:
    """``Number.parseInt(text, 10)``, ``None`` for NaN."""
    match = re.match(r"\s*([+-]?[0-9]+)", text)
    return int(match.group(1)) if match else None


def token_set_from_response(store: Store, response: Dict[str, Any], connector_id: str) -> TokenSet:
    """``encryptTokenResponse``: keep the tokens and the metadata Logto keeps."""
    expires_in = response.get("expires_in")
    if isinstance(expires_in, str):
        expires_in = _parse_int(expires_in)
    expires_at: Optional[int] = None
    if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool) and math.isfinite(expires_in):
        expires_at = int(math.floor(store.now()) + expires_in) or None
    return TokenSet(
        access_token=response["access_token"],
        refresh_token=response.get("refresh_token") or None,
        scope=response.get("scope") or None,
        token_type=response.get("token_type") or None,
        expires_at=expires_at,
        connector_id=connector_id,
    )


def _token_response(store: Store, token_set: TokenSet) -> Dict[str, Any]:
    result: Dict[str, Any] = {"access_token": token_set.access_token}
    if token_set.scope:
        result["scope"] = token_set.scope
    if token_set.token_type:
        result["token_type"] = token_set.token_type
    if token_set.expires_at:
        expires_in = token_set.expires_at - math.floor(store.now())
        if expires_in:
            result["expires_in"] = expires_in
    return result


def _social_identity(store: Store, record_id: str) -> Tuple[Record, str, Dict[str, Any]]:
    """A verified social record, the target of its connector and the social user info."""
    record = store.record(record_id, "Social")
    if not record.verified:
        raise LogtoError("verification_record.not_found")
    connector = store.connectors.get(record.data["connector_id"])
    if connector is None:
        raise LogtoError("session.invalid_connector_id", status=422, connectorId=record.data["connector_id"])
    if connector.type != "Social":
        raise LogtoError("connector.unexpected_type")
    return record, connector.target, record.data["user_info"]


def _link(ctx: Context, *, allow_replace: bool) -> Reply:
    ctx.require_editable("social")
    ctx.require_scope("identities", status=401)
    ctx.require_first_party()
    ctx.require_identity_verified_if_needed()
    store, user = ctx.store, ctx.user
    record, target, info = _social_identity(store, ctx.body["newIdentifierVerificationRecordId"])
    store.check_identifier_collision(user, identity=(target, info["id"]))
    existing = user.identities.get(target)
    if not allow_replace and existing:
        raise LogtoError("user.identity_already_in_use")
    store.update_user(user, identities={**user.identities, target: {"userId": info["id"], "details": info}})
    token_response = record.data.get("token_response")
    if token_response:
        store.social_tokens[(user.id, target)] = token_set_from_response(
            store, token_response, record.data["connector_id"]
        )
    elif allow_replace and existing and existing.get("userId") != info["id"]:
        store.social_tokens.pop((user.id, target), None)
    return Reply(204)


def add_identity(ctx: Context) -> Reply:
    return _link(ctx, allow_replace=False)


def replace_identity(ctx: Context) -> Reply:
    return _link(ctx, allow_replace=True)


def delete_identity(ctx: Context) -> Reply:
    ctx.require_editable("social")
    ctx.require_scope("identities")
    ctx.require_first_party()
    user, target = ctx.user, ctx.params["target"]
    ctx.require_identity_verified_if_needed()
    if not user.identities.get(target):
        raise LogtoError("user.identity_not_exist", status=404)
    if user.identifier_count() - 1 <= 0:
        raise LogtoError("user.last_sign_in_method_required")
    ctx.store.update_user(user, identities={key: value for key, value in user.identities.items() if key != target})
    return Reply(204)


def _stored_access_token(ctx: Context, key: Tuple[str, str], tokens: Dict[Tuple[str, str], TokenSet]) -> Reply:
    """``getAccessToken``: a live token; an expired one without a refresh token is deleted."""
    ctx.require_scope("identities", status=403, code="auth.forbidden")
    token_set = tokens.get(key)
    if token_set is None:
        raise LogtoError("secrets.third_party_token_set.token_not_found", status=404)
    if token_set.expires_at is None or ctx.store.now() < token_set.expires_at:
        return Reply(200, _token_response(ctx.store, token_set))
    if token_set.refresh_token:
        # The mock connectors cannot refresh a token.
        raise LogtoError("connector.token_storage_not_supported", status=422)
    del tokens[key]
    raise LogtoError("secrets.third_party_token_set.access_token_expired", status=401)


def get_social_access_token(ctx: Context) -> Reply:
    return _stored_access_token(ctx, (ctx.user.id, ctx.params["target"]), ctx.store.social_tokens)


def get_sso_access_token(ctx: Context) -> Reply:
    return _stored_access_token(ctx, (ctx.user.id, ctx.params["connectorId"]), ctx.store.sso_tokens)


def update_social_access_token(ctx: Context) -> Reply:
    ctx.require_scope("identities", status=403, code="auth.forbidden")
    store, target = ctx.store, ctx.params["target"]
    record, identity_target, info = _social_identity(store, ctx.body["verificationRecordId"])
    if identity_target != target:
        raise LogtoError(
            "verification_record.social_verification.invalid_target",
            status=422,
            expected=target,
            actual=identity_target,
        )
    owner: Optional[UserRow] = store.user_by_identity(target, info["id"])
    if owner is None or owner.id != ctx.user.id:
        raise LogtoError("user.identity_not_exists_in_current_user", status=422)
    token_response = record.data.get("token_response")
    if not token_response:
        raise LogtoError("verification_record.social_verification.token_response_not_found", status=422)
    token_set = token_set_from_response(store, token_response, record.data["connector_id"])
    store.social_tokens[(owner.id, target)] = token_set
    return Reply(200, _token_response(store, token_set))


_TARGET = Object({"target": String(min_length(1))})
_NEW_IDENTIFIER = Object({"newIdentifierVerificationRecordId": String()})

ACCESS_TOKEN_ROUTES = [
    Route("GET", "/my-account/identities/:target/access-token", get_social_access_token, params=_TARGET),
    Route(
        "GET",
        "/my-account/sso-identities/:connectorId/access-token",
        get_sso_access_token,
        params=Object({"connectorId": String(min_length(1))}),
    ),
    Route(
        "PUT",
        "/my-account/identities/:target/access-token",
        update_social_access_token,
        params=_TARGET,
        body=Object({"verificationRecordId": String(min_length(1))}),
    ),
]
ROUTES = [
    Route("POST", "/my-account/identities", add_identity, body=_NEW_IDENTIFIER),
    Route("PUT", "/my-account/identities", replace_identity, body=_NEW_IDENTIFIER),
    Route("DELETE", "/my-account/identities/:target", delete_identity, params=Object({"target": String()})),
]
