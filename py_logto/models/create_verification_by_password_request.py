"""Request body of ``create_verification_by_password``."""

from __future__ import annotations

from typing import ClassVar, FrozenSet

from pydantic import Field

from py_logto.models._base import RequestModel

__all__ = ["CreateVerificationByPasswordRequest"]


class CreateVerificationByPasswordRequest(RequestModel):
    """The signed-in user's password, to verify.

    Attributes:
        password: the password of the user (at least one character). Never shown in ``repr``.
    """

    password: str = Field(min_length=1, description="The password of the user.")

    _secret_fields: ClassVar[FrozenSet[str]] = frozenset({"password"})
