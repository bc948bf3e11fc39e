"""Request body of ``create_verification_by_social``."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from py_logto.models._base import RequestModel

__all__ = ["CreateVerificationBySocialRequest"]


class CreateVerificationBySocialRequest(RequestModel):
    """Start a social sign-in to verify the user.

    Attributes:
        state: a random string you generate, checked on the way back (CSRF protection).
        redirect_uri: where the identity provider sends the user back to.
        connector_id: the Logto social connector's id.
        scope: scopes to request instead of the connector's configured ones.
    """

    state: str = Field(description="A random string generated on the client side to prevent CSRF attacks.")
    redirect_uri: str = Field(description="The URI to navigate back to after the user is authenticated.")
    scope: Optional[str] = Field(default=None, description="Custom scopes; overrides the connector's.")
    connector_id: str = Field(description="The Logto connector ID.")
