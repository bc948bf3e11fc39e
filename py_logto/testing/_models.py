"""The sandbox's public value objects: read-only snapshots the tests get back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Tuple

__all__ = [
    "AccountCenterSettings",
    "SandboxApplication",
    "SandboxConnector",
    "SandboxSignIn",
    "SandboxUser",
    "SentMessage",
    "StoredAsset",
]


@dataclass(frozen=True)
class SandboxUser:
    """A snapshot of a user (``sandbox.user(user_id)`` gives the current one).

    ``id`` is Logto's user ID; ``phone`` is stored as Logto stores it (country code and national
    number, digits only). Secrets (the password, TOTP keys, backup codes) are left out of ``repr``.
    """

    id: str
    password: Optional[str] = field(default=None, repr=False)
    email: Optional[str] = None
    phone: Optional[str] = None
    username: Optional[str] = None
    name: Optional[str] = None
    avatar: Optional[str] = None
    profile: Mapping[str, Any] = field(default_factory=dict)
    custom_data: Mapping[str, Any] = field(default_factory=dict)
    identities: Mapping[str, Any] = field(default_factory=dict)
    #: The MFA factors as Logto stores them (``type``: ``Totp``, ``BackupCode`` or ``WebAuthn``).
    mfa_verifications: Tuple[Mapping[str, Any], ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class SentMessage:
    """A verification code the sandbox "sent" instead of mailing or texting it."""

    channel: str  #: ``"email"`` or ``"sms"``
    recipient: str
    code: str = field(repr=False)
    template_type: str  #: Logto's TemplateType, e.g. ``"UserPermissionValidation"``
    verification_record_id: str
    sent_at: float  #: sandbox clock, epoch seconds


@dataclass(frozen=True)
class SandboxConnector:
    """A connector as Logto's mock connectors behave: ``type`` is Social, Email or Sms.

    A social connector's ``target`` names the identities it links (``identities[target]``);
    with ``token_storage`` it keeps the ``tokenResponse`` its callback data carries.
    """

    id: str
    type: str
    authorization_endpoint: str = "http://mock-social/"
    default_scope: str = "email profile"
    target: str = "mock-social"
    token_storage: bool = True


@dataclass(frozen=True)
class SandboxApplication:
    """An application users sign in to; third-party ones may read but not change accounts."""

    id: str
    name: str
    third_party: bool = False


@dataclass(frozen=True)
class SandboxSignIn:
    """What a sign-in left behind: the access token, its OIDC session and its grant."""

    token: str = field(repr=False)
    user_id: str
    application_id: str
    session_id: str
    grant_id: str
    scopes: Tuple[str, ...]


@dataclass(frozen=True)
class AccountCenterSettings:
    """The account center: ``enabled`` and each field's ``Off`` / ``ReadOnly`` / ``Edit``
    (a field missing from ``fields`` is ``Off``; a missing ``passkey`` follows ``mfa``)."""

    enabled: bool
    fields: Mapping[str, str]


@dataclass(frozen=True)
class StoredAsset:
    """An uploaded avatar, served back at ``url``."""

    url: str
    content_type: str
    content: bytes = field(repr=False)
    user_id: str = ""
