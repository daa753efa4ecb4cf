"""Deadlines entered in a named zone, stored in UTC, shown in each reader's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from deadline_helpers import NOW

from models import RoundMode
from workflow import operations
from workflow.errors import InvalidInput
from workflow.timezones import format_in_zone, in_zone, to_utc


def test_a_deadline_entered_in_almaty_is_stored_in_utc_and_shown_in_each_zone(
    session, cast, soc_paper
):
    round_ = operations.open_round(
        session,
        cast.secretariat,
        soc_paper.id,
        mode=RoundMode.SILENCE,
        deadline=datetime(2025, 3, 24, 18, 0),  # the secretariat's wall clock, default zone
    )
    assert round_.deadline_at == datetime(2025, 3, 24, 13, 0, tzinfo=UTC)
    assert format_in_zone(round_.deadline_at, "Asia/Almaty") == "2025-03-24 18:00 +05 (Asia/Almaty)"
    assert (
        format_in_zone(round_.deadline_at, "Europe/Vienna")
        == "2025-03-24 14:00 CET (Europe/Vienna)"
    )
    assert (
        format_in_zone(round_.deadline_at, "Asia/Tokyo", with_zone_name=False)
        == "2025-03-24 22:00 JST"
    )
    assert in_zone(round_.deadline_at, "Asia/Tokyo").hour == 22


def test_the_helpers_refuse_what_would_be_ambiguous():
    assert to_utc(datetime(2025, 7, 1, 12, 0), "Europe/Vienna") == datetime(
        2025, 7, 1, 10, 0, tzinfo=UTC
    )
    assert to_utc(NOW, "Asia/Tokyo") == NOW  # an aware moment keeps its instant
    with pytest.raises(ValueError, match="naive"):
        in_zone(datetime(2025, 3, 24, 13, 0), "Asia/Almaty")
    with pytest.raises(InvalidInput, match="unknown time zone"):
        format_in_zone(NOW, "Mars/Olympus")
    assert format_in_zone(None, "Asia/Almaty") == ""
