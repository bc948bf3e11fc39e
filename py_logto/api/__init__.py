"""API classes: one method per operation."""

from py_logto.api.verifications_api import VerificationsApi

__all__ = ["VerificationsApi"]
