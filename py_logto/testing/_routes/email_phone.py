"""``/api/my-account/primary-email`` and ``/primary-phone``: set (with a verified code record for
the new address in the body) or remove the user's primary email or phone."""

from __future__ import annotations

from py_logto.testing._context import Context, Reply, Route
from py_logto.testing._errors import LogtoError
from py_logto.testing._guard import EMAIL_PATTERN, PHONE_PATTERN, Object, String, regex

__all__ = ["ROUTES"]

# identifier -> (body key, record type, user column, scope, account-center field)
_KINDS = {
    "email": ("email", "EmailVerificationCode", "primary_email", "email", "email"),
    "phone": ("phone", "PhoneVerificationCode", "primary_phone", "phone", "phone"),
}


def _gates(ctx: Context, kind: str) -> None:
    _, _, _, scope, field = _KINDS[kind]
    ctx.require_identity_verified()
    ctx.require_editable(field)
    ctx.require_scope(scope)
    ctx.require_first_party()


def _update(ctx: Context, kind: str) -> Reply:
    key, record_type, column, _, _ = _KINDS[kind]
    _gates(ctx, kind)
    value = ctx.body[key]
    record = ctx.store.record(ctx.body["newIdentifierVerificationRecordId"], record_type)
    if not record.verified or record.data["identifier"]["value"] != value:
        raise LogtoError("verification_record.not_found")
    ctx.store.check_identifier_collision(ctx.user, **{kind: value})
    ctx.store.update_user(ctx.user, **{column: value})
    return Reply(204)


def _delete(ctx: Context, kind: str) -> Reply:
    column = _KINDS[kind][2]
    _gates(ctx, kind)
    user = ctx.user
    if user.identifier_count() - int(bool(getattr(user, column))) <= 0:
        raise LogtoError("user.last_sign_in_method_required")
    ctx.store.update_user(user, **{column: None})
    return Reply(204)


def update_primary_email(ctx: Context) -> Reply:
    return _update(ctx, "email")


def delete_primary_email(ctx: Context) -> Reply:
    return _delete(ctx, "email")


def update_primary_phone(ctx: Context) -> Reply:
    return _update(ctx, "phone")


def delete_primary_phone(ctx: Context) -> Reply:
    return _delete(ctx, "phone")


ROUTES = [
    Route(
        "POST",
        "/my-account/primary-email",
        update_primary_email,
        body=Object({"email": String(regex(EMAIL_PATTERN)), "newIdentifierVerificationRecordId": String()}),
    ),
    Route("DELETE", "/my-account/primary-email", delete_primary_email),
    Route(
        "POST",
        "/my-account/primary-phone",
        update_primary_phone,
        body=Object({"phone": String(regex(PHONE_PATTERN)), "newIdentifierVerificationRecordId": String()}),
    ),
    Route("DELETE", "/my-account/primary-phone", delete_primary_phone),
]
