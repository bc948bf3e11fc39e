"""Turning Logto's ISO 8601 timestamps into datetimes."""

from __future__ import annotations

from datetime import datetime, timezone


def parse_timestamp(value: str) -> datetime:
    """Parse ``2026-11-25T11:44:51.555Z`` into an aware ``datetime`` (UTC)."""
    from dateutil.parser import isoparse  # only loaded when a timestamp is asked for

    return isoparse(value)


def parse_epoch_millis(value: float) -> datetime:
    """Turn Logto's milliseconds since the epoch (``1795608000000``) into an aware ``datetime`` (UTC)."""
    return datetime.fromtimestamp(value / 1000, tz=timezone.utc)
