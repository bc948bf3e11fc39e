"""The routes of Logto's user API, one module per family, listed in the order Logto registers
them (which is the order of the methods in a ``405``'s ``Allow`` header)."""

from __future__ import annotations

from typing import List

from py_logto.testing._context import Route
from py_logto.testing._routes import avatar, email_phone, identities, mfa, password, profile, sessions, verifications

__all__ = ["ROUTES"]

ROUTES: List[Route] = [
    *profile.ROUTES,
    *password.ROUTES,
    *mfa.SETTINGS_ROUTES,
    *mfa.LOGTO_CONFIG_ROUTES,
    *identities.ACCESS_TOKEN_ROUTES,
    *email_phone.ROUTES,
    *identities.ROUTES,
    *mfa.ROUTES,
    *sessions.ROUTES,
    *sessions.GRANT_ROUTES,
    *avatar.ROUTES,
    *verifications.ROUTES,
]
