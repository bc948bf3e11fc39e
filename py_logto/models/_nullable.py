"""The base of request models with fields the contract lets be ``null``.

Kept apart from :mod:`py_logto.models._base` because its serializer needs
``pydantic.functional_serializers``, which costs about 2 ms to import: only programs
that use such a model (``UpdateProfileRequest``) load it. Import it from ``_base``, as
the generated models do.
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, FrozenSet

from pydantic import SerializationInfo, SerializerFunctionWrapHandler, model_serializer

from py_logto.models._base import RequestModel

__all__ = ["NullableRequestModel"]


class NullableRequestModel(RequestModel):
    """A request model with fields the contract lets be ``null`` (``_nullable_fields``).

    Serialization leaves out fields that are unset or ``None``, as for every request model,
    except a nullable field the caller set to ``None``: that one is sent as ``null`` (how a
    user clears their name or avatar).
    """

    _nullable_fields: ClassVar[FrozenSet[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _with_explicit_nulls(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Dict[str, Any]:
        data: Dict[str, Any] = handler(self)
        for name in self._nullable_fields:
            if name in self.__pydantic_fields_set__ and getattr(self, name) is None:
                data[(type(self).model_fields[name].alias or name) if info.by_alias else name] = None
        return data
