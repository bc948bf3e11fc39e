"""``/api/my-account`` (GET, PATCH) and ``/api/my-account/profile``: the user's own profile.

What ``GET`` shows depends on the token's scopes (``profile``, ``email``, ``phone``, ``address``,
``custom_data``, ``identities``) and then on the account center (a field that is ``Off`` is left
out). ``PATCH /api/my-account`` replaces ``customData``; ``PATCH /profile`` merges the top-level
keys of the OIDC profile into the stored one.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from py_logto.testing._context import Context, Reply, Route
from py_logto.testing._errors import LogtoError
from py_logto.testing._guard import (
    USERNAME_PATTERN,
    JsonObject,
    Object,
    String,
    nullable,
    optional,
    regex,
    url,
)
from py_logto.testing._store import UserRow

__all__ = ["PROFILE_KEYS", "ROUTES", "account_profile", "oidc_profile"]

PROFILE_KEYS = (
    "familyName",
    "givenName",
    "middleName",
    "nickname",
    "preferredUsername",
    "profile",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "address",
)
ADDRESS_KEYS = ("formatted", "streetAddress", "locality", "region", "postalCode", "country")
_USERNAME_MAX_LENGTH = 128  # the default username policy
# GET /api/my-account: response key -> (scope that reveals it, account-center field that filters it)
_PROFILE_FIELDS = (
    ("username", "profile", "username"),
    ("primaryEmail", "email", "email"),
    ("primaryPhone", "phone", "phone"),
    ("name", "profile", "name"),
    ("avatar", "profile", "avatar"),
    ("customData", "custom_data", "customData"),
    ("identities", "identities", "social"),
    ("lastSignInAt", "profile", None),
    ("createdAt", "profile", None),
    ("updatedAt", "profile", None),
    ("profile", "profile", "profile"),
    ("applicationId", "profile", None),
    ("cimdClientId", "profile", None),
    ("isSuspended", "profile", None),
    ("hasPassword", "profile", "password"),
)


def oidc_profile(user: UserRow, *, with_address: bool) -> Dict[str, Any]:
    """The stored OIDC profile in Logto's key order (the address only with the ``address`` scope)."""
    result = {key: user.profile[key] for key in PROFILE_KEYS if key in user.profile and key != "address"}
    address = user.profile.get("address")
    if with_address and isinstance(address, dict):
        result["address"] = {key: address[key] for key in ADDRESS_KEYS if key in address}
    return result


def account_profile(ctx: Context, user: UserRow) -> Dict[str, Any]:
    """What ``GET /api/my-account`` shows of ``user`` to this token, in Logto's key order."""
    values: Dict[str, Any] = {
        "username": user.username,
        "primaryEmail": user.primary_email,
        "primaryPhone": user.primary_phone,
        "name": user.name,
        "avatar": user.avatar,
        "customData": user.custom_data,
        "identities": user.identities,
        "lastSignInAt": user.last_sign_in_at,
        "createdAt": user.created_at,
        "updatedAt": user.updated_at,
        "profile": oidc_profile(user, with_address=ctx.has_scope("address")),
        "applicationId": user.application_id,
        "cimdClientId": None,
        "isSuspended": False,
        "hasPassword": bool(user.password),
    }
    result: Dict[str, Any] = {"id": user.id}
    for key, scope, field in _PROFILE_FIELDS:
        if ctx.has_scope(scope) and (field is None or ctx.readable(field)):
            result[key] = values[key]
    result["hasSecurityVerificationMethod"] = user.has_security_verification_method
    return result


def _username_violation(username: str) -> Optional[str]:
    """The default username policy's first violation (``user.username_<violation>``)."""
    if not username:
        return "required"
    if username[0].isdigit() and username[0].isascii():
        return "starts_with_number"
    if not USERNAME_PATTERN.fullmatch(username):
        return "invalid_charset_hard"
    if len(username) > _USERNAME_MAX_LENGTH:
        return "too_long"
    return None


def get_profile(ctx: Context) -> Reply:
    return Reply(200, account_profile(ctx, ctx.user))


def update_profile(ctx: Context) -> Reply:
    body, user = ctx.body, ctx.user
    for key in ("name", "avatar", "username", "customData"):
        if key in body:
            ctx.require_editable(key)
    ctx.require_scope("profile")
    if "customData" in body:
        ctx.require_scope("custom_data")
    ctx.require_first_party()
    if "username" in body:
        ctx.require_identity_verified()
        username = body["username"]
        if username is None:
            if user.identifier_count() - int(bool(user.username)) <= 0:
                raise LogtoError("user.last_sign_in_method_required")
        else:
            violation = _username_violation(username)
            if violation is not None:
                raise LogtoError(f"user.username_{violation}", status=422)
            ctx.store.check_identifier_collision(user, username=username)
    changes: Dict[str, Any] = {key: body[key] for key in ("name", "avatar", "username") if key in body}
    if "customData" in body:
        changes["custom_data"] = body["customData"]
    if not changes:
        raise LogtoError("entity.invalid_input", status=422)
    ctx.store.update_user(user, **changes)
    return Reply(200, account_profile(ctx, user))


def update_other_profile(ctx: Context) -> Reply:
    ctx.require_editable("profile")
    ctx.require_scope("profile")
    if "address" in ctx.body:
        ctx.require_scope("address")
    ctx.require_first_party()
    user = ctx.user
    ctx.store.update_user(user, profile={**user.profile, **ctx.body})
    return Reply(200, oidc_profile(user, with_address=ctx.has_scope("address")))


_ADDRESS = Object({key: optional(String()) for key in ADDRESS_KEYS})

ROUTES = [
    Route("GET", "/my-account", get_profile),
    Route(
        "PATCH",
        "/my-account",
        update_profile,
        body=Object(
            {
                "name": nullable(String(), optional=True),
                "avatar": nullable(String(url()), optional=True),
                "username": nullable(String(regex(USERNAME_PATTERN)), optional=True),
                "customData": optional(JsonObject()),
            }
        ),
    ),
    Route(
        "PATCH",
        "/my-account/profile",
        update_other_profile,
        body=Object({key: optional(_ADDRESS if key == "address" else String()) for key in PROFILE_KEYS}),
    ),
]
