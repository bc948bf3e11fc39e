"""Request body of ``verify_verification_by_social``."""

from __future__ import annotations

from typing import ClassVar, FrozenSet

from pydantic import Field

from py_logto.models._base import JsonObject, RequestModel

__all__ = ["VerifyVerificationBySocialRequest"]


class VerifyVerificationBySocialRequest(RequestModel):
    """Finish a social verification with what the identity provider sent back.

    Attributes:
        connector_data: the query parameters of the callback as a dict (typically
            ``code``, ``state`` and ``redirectUri``). Never shown in ``repr``: it holds
            the provider's authorization code. Values must be JSON (no NaN,
            infinities, other objects or cycles).
        verification_record_id: the id returned by ``create_verification_by_social``.
    """

    connector_data: JsonObject = Field(
        description="A json object constructed from the url query params returned by the social platform.",
    )
    verification_record_id: str = Field(description="The ID of the SocialVerification record.")

    _secret_fields: ClassVar[FrozenSet[str]] = frozenset({"connector_data"})
