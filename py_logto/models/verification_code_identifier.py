"""The identifier a verification code is sent to: an email address or a phone number."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Union

from pydantic import BaseModel, BeforeValidator, Field, RootModel
from typing_extensions import Annotated

from py_logto.models._base import ParsingMixin
from py_logto.models.email_verification_code_identifier import EmailVerificationCodeIdentifier
from py_logto.models.phone_verification_code_identifier import PhoneVerificationCodeIdentifier

__all__ = ["VerificationCodeIdentifier", "VerificationCodeIdentifierInput"]

_Member = Annotated[
    Union[EmailVerificationCodeIdentifier, PhoneVerificationCodeIdentifier],
    Field(discriminator="type"),
]


class VerificationCodeIdentifier(ParsingMixin, RootModel[_Member]):
    """Either an :class:`EmailVerificationCodeIdentifier` or a
    :class:`PhoneVerificationCodeIdentifier`, told apart by ``type``.

    Build it from a member model, or from a dict::

        VerificationCodeIdentifier(EmailVerificationCodeIdentifier(value="jane@example.com"))
        VerificationCodeIdentifier.from_dict({"type": "phone", "value": "15551234567"})

    Request fields that take an identifier accept the member models, this class
    or a plain dict alike.
    """

    # Not deferred: built as this module is imported (see LogtoModel.__pydantic_init_subclass__).
    model_config = {"hide_input_in_errors": True}

    @property
    def actual_instance(self) -> Union[EmailVerificationCodeIdentifier, PhoneVerificationCodeIdentifier]:
        """The member model (the name generated clients use)."""
        return self.root

    @property
    def type(self) -> str:
        """``"email"`` or ``"phone"``."""
        return self.root.type

    @property
    def value(self) -> str:
        """The email address or phone number."""
        return self.root.value

    def to_dict(self) -> Dict[str, Any]:
        """The wire form, e.g. ``{"type": "email", "value": "jane@example.com"}``."""
        return self.root.to_dict()

    def to_json(self) -> str:
        """The wire form as JSON text."""
        return self.root.to_json()

    def to_str(self) -> str:
        """A readable rendering."""
        return self.root.to_str()


def _unwrap(value: Any) -> Any:
    """Accept the union wrapper (and any other identifier-shaped model) by handing
    pydantic the member or its wire dict."""
    if isinstance(value, VerificationCodeIdentifier):
        return value.root
    if isinstance(value, BaseModel) and not isinstance(
        value, (EmailVerificationCodeIdentifier, PhoneVerificationCodeIdentifier)
    ):
        return value.model_dump(by_alias=True, exclude_none=True)
    return value


if TYPE_CHECKING:
    # What a request's ``identifier`` accepts: a member model or the wrapper (a
    # plain dict is accepted at run time too). Every choice has ``type`` and ``value``.
    VerificationCodeIdentifierInput = Union[
        EmailVerificationCodeIdentifier,
        PhoneVerificationCodeIdentifier,
        VerificationCodeIdentifier,
    ]
else:
    VerificationCodeIdentifierInput = Annotated[_Member, BeforeValidator(_unwrap)]
