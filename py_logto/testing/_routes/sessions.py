"""``/api/my-account/sessions`` and ``/grants``: the user's sign-ins, listed and revoked.

Deleting a session leaves its access tokens working unless ``revokeGrantsTarget`` asks for the
grants of its (first-party, or all) applications to be revoked too; deleting a grant revokes its
tokens at once and removes it from the session that holds it. As on Logto 1.42, an unknown or
foreign session is 400 with ``data: {"status": 404}``.
"""

from __future__ import annotations

from typing import Any, Dict, List

from py_logto.testing._context import Context, Reply, Route
from py_logto.testing._errors import LogtoError
from py_logto.testing._guard import Enum, Object, String, min_length, optional
from py_logto.testing._store import Grant, Session, Store, oidc_id

__all__ = ["ROUTES", "grant_view", "session_view"]


def session_view(session: Session, current_uid: str) -> Dict[str, Any]:
    """A session as ``GET /api/my-account/sessions`` shows it."""
    return {
        "payload": {
            "exp": session.exp,
            "iat": session.iat,
            "jti": session.jti,
            "uid": session.uid,
            "kind": "Session",
            "loginTs": session.login_ts,
            "accountId": session.account_id,
            "authorizations": {client: dict(details) for client, details in session.authorizations.items()},
        },
        "lastSubmission": session.last_submission,
        "clientId": session.client_id,
        "accountId": session.account_id,
        "expiresAt": session.expires_at,
        "isCurrent": session.uid == current_uid,
    }


def grant_view(store: Store, grant: Grant) -> Dict[str, Any]:
    """A grant as ``GET /api/my-account/grants`` shows it."""
    application = store.applications[grant.client_id]
    return {
        "id": grant.id,
        "payload": {
            "exp": grant.exp,
            "iat": grant.iat,
            "jti": grant.id,
            "kind": "Grant",
            "clientId": grant.client_id,
            "accountId": grant.account_id,
            "openid": {"scope": grant.scope},
        },
        "expiresAt": grant.expires_at,
        "application": {"id": application.id, "name": application.name},
    }


def _session_gates(ctx: Context, *, edit: bool) -> None:
    ctx.require_identity_verified()
    if edit:
        ctx.require_editable("session")
    else:
        ctx.require_readable("session")
    ctx.require_scope("urn:logto:scope:sessions", status=401)
    if edit:
        ctx.require_first_party()


def get_sessions(ctx: Context) -> Reply:
    _session_gates(ctx, edit=False)
    sessions = ctx.store.active_sessions(ctx.user.id)
    return Reply(200, {"sessions": [session_view(s, ctx.token.session_uid) for s in sessions]})


def delete_session(ctx: Context) -> Reply:
    _session_gates(ctx, edit=True)
    store = ctx.store
    session = store.sessions.get(ctx.params["sessionId"])
    if session is None or session.destroyed or session.expires_at <= store.now_ms():
        raise LogtoError("oidc.session_not_found", data={"status": 404})
    if session.account_id != ctx.user.id:
        raise LogtoError("oidc.invalid_session_account_id", data={"status": 404})
    target = (ctx.query or {}).get("revokeGrantsTarget")
    if target:
        for client_id, details in session.authorizations.items():
            application = store.applications.get(client_id)
            if target == "firstParty" and (application is None or application.third_party):
                continue
            grant = store.grants.get(details.get("grantId", ""))
            if grant is not None:
                store.revoke_grant(grant)
    session.destroyed = True
    return Reply(204)


def get_grants(ctx: Context) -> Reply:
    _session_gates(ctx, edit=False)
    store = ctx.store
    app_type = (ctx.query or {}).get("appType")
    grants: List[Grant] = []
    for grant in store.active_grants(ctx.user.id):
        application = store.applications.get(grant.client_id)
        if application is None:
            continue
        if app_type is not None and application.third_party != (app_type == "thirdParty"):
            continue
        grants.append(grant)
    return Reply(200, {"grants": [grant_view(store, grant) for grant in grants]})


def delete_grant(ctx: Context) -> Reply:
    _session_gates(ctx, edit=True)
    store = ctx.store
    grant = store.grants.get(ctx.params["grantId"])
    if grant is None or grant.revoked or grant.account_id != ctx.user.id:
        raise LogtoError("oidc.invalid_grant", status=404)
    if grant.expires_at > store.now_ms():
        store.revoke_grant(grant)
    for session in store.active_sessions(ctx.user.id):
        kept = {c: d for c, d in session.authorizations.items() if d.get("grantId") != grant.id}
        if len(kept) != len(session.authorizations):
            session.authorizations = kept
            session.jti = oidc_id()  # oidc-provider resets the session identifier
    return Reply(204)


ROUTES = [
    Route("GET", "/my-account/sessions", get_sessions),
    Route(
        "DELETE",
        "/my-account/sessions/:sessionId",
        delete_session,
        query=Object({"revokeGrantsTarget": optional(Enum("all", "firstParty"))}),
        params=Object({"sessionId": String(min_length(1))}),
    ),
]
GRANT_ROUTES = [
    Route(
        "GET", "/my-account/grants", get_grants, query=Object({"appType": optional(Enum("firstParty", "thirdParty"))})
    ),
    Route("DELETE", "/my-account/grants/:grantId", delete_grant, params=Object({"grantId": String(min_length(1))})),
]
