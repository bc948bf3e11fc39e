"""``POST /api/my-account/password``: set or change the password (no scope needed beyond
``openid``; a user with a password, email or phone must prove who they are first)."""

from __future__ import annotations

from py_logto.testing._context import Context, Reply, Route
from py_logto.testing._errors import LogtoError
from py_logto.testing._guard import Object, String, min_length
from py_logto.testing._password import password_issues
from py_logto.testing._store import same_secret

__all__ = ["ROUTES"]


def update_password(ctx: Context) -> Reply:
    ctx.require_first_party()
    user = ctx.user
    ctx.require_identity_verified_if_needed()
    ctx.require_editable("password")
    password = ctx.body["password"]
    issues = password_issues(
        password,
        {"name": user.name, "username": user.username, "email": user.primary_email, "phone": user.primary_phone},
    )
    if issues:
        raise LogtoError("password.rejected", status=422, data=issues)
    if user.password is not None and same_secret(password, user.password):
        raise LogtoError("user.same_password", status=422)
    ctx.store.update_user(user, password=password)
    return Reply(204)


ROUTES = [
    Route("POST", "/my-account/password", update_password, body=Object({"password": String(min_length(1))})),
]
