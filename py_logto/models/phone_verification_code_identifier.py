"""A phone number to send a verification code to."""

from __future__ import annotations

from typing import Literal

from pydantic import AfterValidator, Field
from typing_extensions import Annotated

from py_logto.models._base import RequestModel

__all__ = ["PhoneVerificationCodeIdentifier"]


def _ascii_digits(value: str) -> str:
    # The pattern's \d is ASCII-only in Logto (JavaScript); Python's also matches other scripts' digits.
    if not value.isascii():
        raise ValueError("must contain the digits 0-9 only (country code included, no '+' or spaces)")
    return value


class PhoneVerificationCodeIdentifier(RequestModel):
    """A phone number identifier: digits only, country code included (``15551234567``).

    Attributes:
        type: always ``"phone"`` (the default).
        value: the phone number; ``+``, spaces and dashes are rejected, as Logto does.
    """

    type: Literal["phone"] = Field(default="phone")
    value: Annotated[str, AfterValidator(_ascii_digits)] = Field(
        pattern=r"^\d+$",
        description="The phone number.",
        examples=["15551234567"],
    )
