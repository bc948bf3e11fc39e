"""MFA: ``/api/my-account/mfa-settings``, ``/logto-configs`` and ``/mfa-verifications/*``.

A user binds at most one TOTP factor (checked against a real RFC 6238 code when one is sent),
backup codes only next to another factor and only while no unused set is bound, and any number
of WebAuthn factors from verified WebAuthn registration records (which are neither consumed nor
bound to the user who made them). Factors are stored as Logto stores them in ``mfa_verifications``.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from py_logto.testing._context import Context, Reply, Route
from py_logto.testing._errors import LogtoError
from py_logto.testing._guard import Array, Boolean, DiscriminatedUnion, Literal, Object, String, optional
from py_logto.testing._store import UserRow, iso_timestamp, random_id
from py_logto.testing._totp import generate_secret, totp_matches, valid_secret

__all__ = ["ROUTES", "mfa_listing"]

_BACKUP_CODE = re.compile(r"[0-9a-fA-F]{10}")
_BACKUP_CODE_COUNT = 10


def _factors(user: UserRow, factor_type: str) -> List[Dict[str, Any]]:
    return [factor for factor in user.mfa_verifications if factor["type"] == factor_type]


def _new_factor(ctx: Context, factor_type: str, **data: Any) -> Dict[str, Any]:
    return {"id": random_id(), "createdAt": iso_timestamp(ctx.store.now()), "type": factor_type, **data}


def _logto_config_with(user: UserRow, **sections: Dict[str, Any]) -> Dict[str, Any]:
    """``buildUpdatedUserLogtoConfig``: merge the given fields into the ``mfa`` and
    ``passkey_sign_in`` sections (both are always written)."""
    config = dict(user.logto_config)
    for key, updates in (("mfa", sections.get("mfa", {})), ("passkey_sign_in", sections.get("passkey_sign_in", {}))):
        current = config.get(key)
        config[key] = {**(current if isinstance(current, dict) else {}), **updates}
    return config


def _logto_config_response(user: UserRow) -> Dict[str, Any]:
    mfa = user.logto_config.get("mfa") or {}
    passkey = user.logto_config.get("passkey_sign_in") or {}
    mfa_view: Dict[str, Any] = {}
    if "enabled" in mfa:
        mfa_view["enabled"] = mfa["enabled"]
    mfa_view["skipped"] = mfa.get("skipped", False)
    mfa_view["skipMfaOnSignIn"] = mfa.get("skipMfaOnSignIn", False)
    return {"mfa": mfa_view, "passkeySignIn": {"skipped": passkey.get("skipped", False)}}


def mfa_listing(user: UserRow) -> List[Dict[str, Any]]:
    """``GET /api/my-account/mfa-verifications``: the factors without their secrets."""
    listing = []
    for factor in user.mfa_verifications:
        shown: Dict[str, Any] = {"id": factor["id"], "createdAt": factor["createdAt"]}
        if factor["type"] == "WebAuthn" and "lastUsedAt" in factor:
            shown["lastUsedAt"] = factor["lastUsedAt"]
        shown["type"] = factor["type"]
        if factor["type"] == "WebAuthn":
            shown["agent"] = factor.get("agent", "")
            if factor.get("name") is not None:
                shown["name"] = factor["name"]
        if factor["type"] == "BackupCode":
            shown["remainCodes"] = sum(1 for code in factor["codes"] if not code.get("usedAt"))
        listing.append(shown)
    return listing


def _require_factor_enabled(ctx: Context, factor_type: str) -> None:
    enabled = factor_type in ctx.store.mfa_factors or (factor_type == "WebAuthn" and ctx.store.passkey_sign_in)
    if not enabled:
        raise LogtoError("session.mfa.mfa_factor_not_enabled")


def _check_totp(ctx: Context, secret: str, code: Optional[str]) -> None:
    if not valid_secret(secret):
        raise LogtoError("user.totp_secret_invalid")
    if code is not None and not totp_matches(secret, code, ctx.store.now()):
        raise LogtoError("session.mfa.invalid_totp_code")


# -- mfa-settings and logto-configs -----------------------------------------------------------


def get_mfa_settings(ctx: Context) -> Reply:
    ctx.require_scope("identities", status=401)
    ctx.require_readable("mfa")
    mfa = ctx.user.logto_config.get("mfa") or {}
    return Reply(200, {"skipMfaOnSignIn": mfa.get("skipMfaOnSignIn", False)})


def update_mfa_settings(ctx: Context) -> Reply:
    ctx.require_identity_verified()
    ctx.require_scope("identities", status=401)
    ctx.require_first_party()
    ctx.require_editable("mfa")
    user = ctx.user
    skip = ctx.body["skipMfaOnSignIn"]
    mfa = user.logto_config.get("mfa")
    config = {**user.logto_config, "mfa": {**(mfa if isinstance(mfa, dict) else {}), "skipMfaOnSignIn": skip}}
    ctx.store.update_user(user, logto_config=config)
    return Reply(200, {"skipMfaOnSignIn": skip})


def get_logto_config(ctx: Context) -> Reply:
    ctx.require_scope("identities", status=401)
    ctx.require_readable("passkey")
    return Reply(200, _logto_config_response(ctx.user))


def update_logto_config(ctx: Context) -> Reply:
    ctx.require_identity_verified()
    ctx.require_scope("identities", status=401)
    ctx.require_first_party()
    ctx.require_editable("passkey")
    user = ctx.user
    config = _logto_config_with(
        user, mfa=ctx.body.get("mfa") or {}, passkey_sign_in=ctx.body.get("passkeySignIn") or {}
    )
    ctx.store.update_user(user, logto_config=config)
    return Reply(200, _logto_config_response(user))


# -- mfa-verifications ------------------------------------------------------------------------


def get_mfa_verifications(ctx: Context) -> Reply:
    ctx.require_readable("mfa")
    ctx.require_scope("identities", status=401)
    return Reply(200, mfa_listing(ctx.user))


def add_mfa_verification(ctx: Context) -> Reply:
    ctx.require_identity_verified()
    body, user, store = ctx.body, ctx.user, ctx.store
    factor_type = body["type"]
    ctx.require_editable("passkey" if factor_type == "WebAuthn" else "mfa")
    ctx.require_scope("identities", status=401)
    ctx.require_first_party()
    _require_factor_enabled(ctx, factor_type)
    enable_mfa = True
    if factor_type == "Totp":
        if _factors(user, "Totp"):
            raise LogtoError("user.totp_already_in_use", status=422)
        _check_totp(ctx, body["secret"], body.get("code") or None)
        factor = _new_factor(ctx, "Totp", key=body["secret"])
    elif factor_type == "BackupCode":
        if any(not all(code.get("usedAt") for code in f["codes"]) for f in _factors(user, "BackupCode")):
            raise LogtoError("user.backup_code_already_in_use", status=422)
        if not any(f["type"] != "BackupCode" for f in user.mfa_verifications):
            raise LogtoError("session.mfa.backup_code_can_not_be_alone", status=422)
        codes = body["codes"]
        if len(codes) != _BACKUP_CODE_COUNT or not all(_BACKUP_CODE.fullmatch(code) for code in codes):
            raise LogtoError("user.wrong_backup_code_format", status=422)
        factor = _new_factor(ctx, "BackupCode", codes=[{"code": code} for code in codes])
    else:
        record = store.record(body["newIdentifierVerificationRecordId"], "WebAuthn")
        if not record.verified:
            raise LogtoError("verification_record.not_found")
        factor = {**record.data["registration"], **_new_factor(ctx, "WebAuthn")}
        if body.get("name") is not None:
            factor["name"] = body["name"]
        enable_mfa = "WebAuthn" in store.mfa_factors
    changes: Dict[str, Any] = {"mfa_verifications": [*user.mfa_verifications, factor]}
    if enable_mfa:
        changes["logto_config"] = _logto_config_with(user, mfa={"enabled": True})
    store.update_user(user, **changes)
    return Reply(204)


def replace_totp(ctx: Context) -> Reply:
    ctx.require_identity_verified()
    ctx.require_editable("mfa")
    ctx.require_scope("identities", status=401)
    ctx.require_first_party()
    if "Totp" not in ctx.store.mfa_factors:
        raise LogtoError("session.mfa.mfa_factor_not_enabled")
    user = ctx.user
    secret, code = ctx.body["secret"], ctx.body["code"]
    _check_totp(ctx, secret, code)
    factor = _new_factor(ctx, "Totp", key=secret)
    existing = next(iter(_factors(user, "Totp")), None)
    if existing is None:
        factors = [*user.mfa_verifications, factor]
    else:
        factors = [factor if f is existing else f for f in user.mfa_verifications]
    ctx.store.update_user(user, mfa_verifications=factors, logto_config=_logto_config_with(user, mfa={"enabled": True}))
    return Reply(204)


def generate_totp_secret(ctx: Context) -> Reply:
    return Reply(200, {"secret": generate_secret()})


def generate_backup_codes(ctx: Context) -> Reply:
    return Reply(200, {"codes": [random_id(10, "0123456789abcdef") for _ in range(_BACKUP_CODE_COUNT)]})


def get_backup_codes(ctx: Context) -> Reply:
    ctx.require_identity_verified()
    ctx.require_scope("identities", status=401)
    factor = next(iter(_factors(ctx.user, "BackupCode")), None)
    if factor is None:
        raise LogtoError("verification_record.not_found", status=404)
    return Reply(200, {"codes": [dict(code) for code in factor["codes"]]})


def rename_mfa_verification(ctx: Context) -> Reply:
    ctx.require_identity_verified()
    ctx.require_editable("passkey")
    ctx.require_scope("identities", status=401)
    ctx.require_first_party()
    user, factor_id = ctx.user, ctx.params["verificationId"]
    if not any(f["id"] == factor_id for f in _factors(user, "WebAuthn")):
        raise LogtoError("verification_record.not_found")
    name = ctx.body["name"]
    factors = [{**f, "name": name} if f["id"] == factor_id else f for f in user.mfa_verifications]
    ctx.store.update_user(user, mfa_verifications=factors)
    return Reply(200, text="OK")


def delete_mfa_verification(ctx: Context) -> Reply:
    ctx.require_identity_verified()
    ctx.require_scope("identities", status=401)
    ctx.require_first_party()
    user, factor_id = ctx.user, ctx.params["verificationId"]
    factor = next((f for f in user.mfa_verifications if f["id"] == factor_id), None)
    if factor is None:
        raise LogtoError("verification_record.not_found")
    ctx.require_editable("passkey" if factor["type"] == "WebAuthn" else "mfa")
    ctx.store.update_user(user, mfa_verifications=[f for f in user.mfa_verifications if f["id"] != factor_id])
    return Reply(204)


_MFA_DATA = Object(
    {
        "enabled": optional(Boolean),
        "skipped": optional(Boolean),
        "additionalBindingSuggestionSkipped": optional(Boolean),
        "skipMfaOnSignIn": optional(Boolean),
    }
)
_VERIFICATION_ID = Object({"verificationId": String()})

SETTINGS_ROUTES = [
    Route("GET", "/my-account/mfa-settings", get_mfa_settings),
    Route("PATCH", "/my-account/mfa-settings", update_mfa_settings, body=Object({"skipMfaOnSignIn": Boolean})),
]
LOGTO_CONFIG_ROUTES = [
    Route("GET", "/my-account/logto-configs", get_logto_config),
    Route(
        "PATCH",
        "/my-account/logto-configs",
        update_logto_config,
        body=Object({"mfa": optional(_MFA_DATA), "passkeySignIn": optional(Object({"skipped": optional(Boolean)}))}),
    ),
]
ROUTES = [
    Route("GET", "/my-account/mfa-verifications", get_mfa_verifications),
    Route(
        "POST",
        "/my-account/mfa-verifications",
        add_mfa_verification,
        body=DiscriminatedUnion(
            "type",
            {
                "WebAuthn": Object(
                    {
                        "type": Literal("WebAuthn"),
                        "newIdentifierVerificationRecordId": String(),
                        "name": optional(String()),
                    }
                ),
                "Totp": Object({"type": Literal("Totp"), "secret": String(), "code": optional(String())}),
                "BackupCode": Object({"type": Literal("BackupCode"), "codes": Array(String())}),
            },
        ),
    ),
    Route(
        "PUT", "/my-account/mfa-verifications/totp", replace_totp, body=Object({"secret": String(), "code": String()})
    ),
    Route("POST", "/my-account/mfa-verifications/totp-secret/generate", generate_totp_secret),
    Route("POST", "/my-account/mfa-verifications/backup-codes/generate", generate_backup_codes),
    Route("GET", "/my-account/mfa-verifications/backup-codes", get_backup_codes),
    Route(
        "PATCH",
        "/my-account/mfa-verifications/:verificationId/name",
        rename_mfa_verification,
        params=_VERIFICATION_ID,
        body=Object({"name": String()}),
    ),
    Route(
        "DELETE",
        "/my-account/mfa-verifications/:verificationId",
        delete_mfa_verification,
        params=_VERIFICATION_ID,
    ),
]
