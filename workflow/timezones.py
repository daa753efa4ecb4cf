"""Showing stored UTC instants in a person's zone (entry into UTC is `workflow.times.to_utc`)."""

from __future__ import annotations

from datetime import datetime

from workflow.times import to_utc, zone

__all__ = ["format_in_zone", "in_zone", "to_utc"]


def in_zone(moment: datetime, zone_name: str) -> datetime:
    """The same instant on the wall clock of `zone_name`; naive input is refused."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: stored times carry a time zone")
    return moment.astimezone(zone(zone_name))


def format_in_zone(moment: datetime | None, zone_name: str, *, with_zone_name: bool = True) -> str:
    """`2025-03-01 18:00 +05 (Asia/Tashkent)`: the offset always, the zone name on request."""
    if moment is None:
        return ""
    local = in_zone(moment, zone_name)
    text = local.strftime("%Y-%m-%d %H:%M %Z")
    return f"{text} ({zone_name})" if with_zone_name else text
