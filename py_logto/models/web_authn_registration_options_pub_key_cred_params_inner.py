"""One acceptable public-key algorithm."""

from __future__ import annotations

from typing import Literal, Union

from pydantic import Field

from py_logto.models._base import ResponseModel

__all__ = ["WebAuthnRegistrationOptionsPubKeyCredParamsInner"]


class WebAuthnRegistrationOptionsPubKeyCredParamsInner(ResponseModel):
    """Attributes:
    type: ``"public-key"`` (other values from a newer server are kept as strings).
    alg: the COSE algorithm identifier (``-7`` ES256, ``-257`` RS256).
    """

    type: Union[Literal["public-key"], str]
    alg: Union[int, float] = Field(description="COSE algorithm identifier.")
