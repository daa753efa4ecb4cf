"""Constants and helpers shared by the engine's tests (imported as a top-level module)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from workflow import clock

NOW = datetime(2025, 3, 10, 6, 0, tzinfo=UTC)  # 11:00 in Astana
TEXTS = {"en": "Draft text.", "ru": "Проект текста."}


ROLES = (
    "secretariat",
    "admin",
    "coordinator",
    "co_coordinator",
    "proposer",
    "other",
    "applicant",
    "observer",
    "system",
)


def advance_clock(delta: timedelta) -> datetime:
    moment = clock.now() + delta
    clock.set_now(moment)
    return moment
