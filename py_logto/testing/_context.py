"""One request as a route sees it, and the checks every route shares, each written once.

The application has already authenticated the token, checked that the account center is on and
run the route's guards when a handler gets its :class:`Context`. The handler then calls the gates
below in the order its Logto route applies them (the order differs from route to route, and it
decides which error a request with several faults gets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from py_logto.testing._errors import LogtoError, permission_denied
from py_logto.testing._guard import Schema
from py_logto.testing._store import AccessToken, Store, UserRow
from py_logto.testing._wire import Request, UploadedFile

__all__ = ["Context", "Reply", "Route"]

_IDENTITY_RECORD_TYPES = ("Password", "EmailVerificationCode", "PhoneVerificationCode")


@dataclass
class Reply:
    """A route's answer: JSON ``body``, or ``text`` (``text/plain``), or neither (204)."""

    status: int = 200
    body: Any = None
    text: Optional[str] = None


@dataclass(frozen=True)
class Route:
    """One Logto route: its method, its koa-router path (``:name`` parameters, relative to
    ``/api``), the zod guards koaGuard runs on each part of the request, and its handler."""

    method: str
    path: str
    handler: Callable[[Context], Reply]
    body: Optional[Schema] = None
    query: Optional[Schema] = None
    params: Optional[Schema] = None
    files: Optional[Schema] = None


@dataclass
class Context:
    store: Store
    request: Request
    user: UserRow
    token: AccessToken
    hostname: str
    body: Any = None
    query: Any = None
    params: Dict[str, str] = field(default_factory=dict)
    files: Dict[str, List[UploadedFile]] = field(default_factory=dict)

    @property
    def origin(self) -> Optional[str]:
        return self.request.header("Origin")

    # -- scopes and clients -------------------------------------------------------------------

    def has_scope(self, scope: str) -> bool:
        return scope in self.token.scopes

    def require_scope(self, scope: str, *, status: int = 400, code: str = "auth.unauthorized") -> None:
        """The token must carry ``scope``; which status a missing scope gets depends on the route."""
        if scope not in self.token.scopes:
            raise LogtoError(code, status=status)

    def require_first_party(self) -> None:
        """``assertFirstPartyClient``: third-party applications may not change accounts."""
        application = self.store.applications.get(self.token.client_id)
        if application is not None and application.third_party:
            raise LogtoError("auth.third_party_application_forbidden", status=403)

    # -- the logto-verification-id header -----------------------------------------------------

    @property
    def identity_verified(self) -> bool:
        """Whether the ``logto-verification-id`` header names a record that proves who the user
        is: the user's own, unexpired, verified password record, or a verified code record sent
        with the ``UserPermissionValidation`` template."""
        record_id = self.request.header("logto-verification-id")
        record = self.store.active_record(record_id) if record_id is not None else None
        if record is None or record.user_id != self.user.id or not record.verified:
            return False
        if record.type not in _IDENTITY_RECORD_TYPES:
            return False
        return record.type == "Password" or record.data.get("template_type") == "UserPermissionValidation"

    def require_identity_verified(self) -> None:
        if not self.identity_verified:
            raise permission_denied()

    def require_identity_verified_if_needed(self) -> None:
        """Only a user with a password, email or phone has to prove who they are."""
        if self.user.has_security_verification_method:
            self.require_identity_verified()

    # -- account-center fields ----------------------------------------------------------------

    def field(self, name: str) -> Optional[str]:
        """The control of an account-center field; ``passkey`` falls back to ``mfa``."""
        fields = self.store.account_center.fields
        if name == "passkey":
            return fields.get("passkey", fields.get("mfa"))
        return fields.get(name)

    def require_editable(self, name: str) -> None:
        if self.field(name) != "Edit":
            raise LogtoError("account_center.field_not_editable")

    def require_readable(self, name: str) -> None:
        if self.field(name) not in ("ReadOnly", "Edit"):
            raise LogtoError("account_center.field_not_enabled")

    def readable(self, name: str) -> bool:
        return self.field(name) in ("ReadOnly", "Edit")
