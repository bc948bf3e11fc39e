"""An email address to send a verification code to."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from py_logto.models._base import RequestModel

__all__ = ["EmailVerificationCodeIdentifier"]


class EmailVerificationCodeIdentifier(RequestModel):
    """An email address identifier.

    Attributes:
        type: always ``"email"`` (the default).
        value: the email address (at most 256 characters, ``local@domain.tld``).
    """

    type: Literal["email"] = Field(default="email")
    value: str = Field(
        max_length=256,
        pattern=r"^\S+@\S+\.\S+$",
        description="The email address.",
        examples=["jane.doe@example.com"],
    )
