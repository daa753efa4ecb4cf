"""Dates, times, amounts and time-left badges in the reader's language and time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from web.views.filters import decimal_filter, localdate, localtime, money, time_left
from workflow import clock

MOMENT = datetime(2026, 11, 29, 11, 2, tzinfo=UTC)  # 16:02 at the forum's seat (Asia/Almaty)


@pytest.fixture
def reading(app):
    """Render as a reader of `language` would see it, signed out: the forum's time zone."""

    def enter(language: str):
        context = app.test_request_context(f"/?lang={language}")
        context.push()
        return context

    contexts = []
    yield lambda language: contexts.append(enter(language))
    for context in reversed(contexts):
        context.pop()


@pytest.mark.parametrize(
    ("language", "instant", "day"),
    [
        ("en", "29 Nov 2026, 16:02", "29 Nov 2026"),
        ("ru", "29 ноября 2026 г., 16:02", "29 ноября 2026 г."),
    ],
)
def test_instants_and_dates_in_the_readers_language_and_zone(reading, language, instant, day):
    reading(language)
    assert localtime(MOMENT, with_zone=False) == instant
    assert localtime(MOMENT) == f"{instant} (Asia/Almaty)"
    assert localdate(date(2026, 11, 29)) == day
    assert localdate("2026-11-29") == day
    assert localdate(MOMENT) == day
    assert localtime(None) == "—"


def test_an_instant_late_in_utc_is_the_next_day_at_the_seat(reading):
    reading("ru")
    assert localdate(datetime(2026, 11, 29, 20, 30, tzinfo=UTC)) == "30 ноября 2026 г."


@pytest.mark.parametrize(
    ("language", "amount", "dollars"),
    [
        ("en", "1,234,567.50", "$1,234,567.50"),
        ("ru", "1\xa0234\xa0567,50", "1\xa0234\xa0567,50\xa0$"),
    ],
)
def test_amounts_are_grouped_as_the_language_writes_them(reading, language, amount, dollars):
    reading(language)
    assert decimal_filter(Decimal("1234567.5")) == amount
    assert money(Decimal("1234567.5")) == dollars


@pytest.mark.parametrize(
    ("language", "later", "soon", "overdue", "none"),
    [
        ("en", "2 d 4 h left", "3 h 5 min left", "overdue by 7 min", "no deadline"),
        ("ru", "осталось 2 д 4 ч", "осталось 3 ч 5 мин", "просрочено на 7 мин", "без срока"),
    ],
)
def test_time_left_badges(reading, language, later, soon, overdue, none):
    reading(language)
    clock.set_now(MOMENT)
    assert time_left(MOMENT + timedelta(days=2, hours=4, minutes=10)) == ("soon", later)
    assert time_left(MOMENT + timedelta(hours=3, minutes=5)) == ("today", soon)
    assert time_left(MOMENT - timedelta(minutes=7)) == ("overdue", overdue)
    assert time_left(None) == ("none", none)


NOTES = [
    (
        "SOC round 2: silence broken",
        "SOC round 2: silence broken",
        "КСДЛ, раунд 2: молчание нарушено",  # the body and the state as readers name them
    ),
    ("silence broken by CHN", "silence broken by China", "молчание нарушено: Китай"),
    ("in force on 2026-11-29", "in force on 29 Nov 2026", "вступает в силу 29 ноября 2026 г."),
    ("Agreed at the SWG meeting", "Agreed at the SWG meeting", "Agreed at the SWG meeting"),
]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_engines_own_notes_are_read_in_the_readers_language(reading, language):
    """The record keeps the engine's notes in English; a page shows them translated, and a
    person's comment as it was written."""
    from web.views.filters import note_filter

    reading(language)
    for stored, english, russian in NOTES:
        assert note_filter(stored) == (english if language == "en" else russian)
