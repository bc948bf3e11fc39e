"""An email address to send a verification code to."""

from __future__ import annotations

from typing import Literal

from pydantic import AfterValidator, Field
from typing_extensions import Annotated

from py_logto.models._base import RequestModel

__all__ = ["EmailVerificationCodeIdentifier"]


def _no_js_whitespace(value: str) -> str:
    # Logto tests the pattern in JavaScript, where \s also matches U+FEFF; the pattern engine here does not.
    if "\ufeff" in value:
        raise ValueError("must not contain whitespace (U+FEFF counts as whitespace to Logto)")
    return value


class EmailVerificationCodeIdentifier(RequestModel):
    """An email address identifier.

    Attributes:
        type: always ``"email"`` (the default).
        value: the email address (at most 256 characters, ``local@domain.tld``).
    """

    type: Literal["email"] = Field(default="email")
    value: Annotated[str, AfterValidator(_no_js_whitespace)] = Field(
        max_length=256,
        pattern=r"^\S+@\S+\.\S+$",
        description="The email address.",
        examples=["jane.doe@example.com"],
    )
