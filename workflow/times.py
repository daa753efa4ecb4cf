"""Time zones and the forum's calendar: every stored time is UTC, entered in a named zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from models import Forum
from models.kinds import channels_of, kinds_of
from workflow import clock
from workflow.errors import N_, DefinitionError, InvalidInput

KINDS_CACHE = "concord.forum_kinds"  # its kinds of position and channels (workflow.kinds)


def forum(session: Session) -> Forum:
    found = loaded_forum(session)
    if found is None:
        raise DefinitionError("(database)", "forum", "no organisation profile is loaded")
    remember_forum(session, found)
    return found


def remember_forum(session: Session, found: Forum) -> None:
    """Keep the forum row read by another query (the lock of a change reads it with the
    document) as the session's own copy, with its kinds of position and channels."""
    session.info["forum"] = found
    session.info[KINDS_CACHE] = (kinds_of(found), channels_of(found))


def loaded_forum(session: Session) -> Forum | None:
    """The forum row, or None before a profile is loaded. Once read, the session's own copy
    answers (no query while it is fresh): permissions ask for it on every document."""
    found = session.info.get("forum")
    if found is None or inspect(found).detached:
        found = session.scalar(select(Forum).limit(1))
        session.info["forum"] = found
    return found


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder: OSError
        raise InvalidInput(N_("unknown time zone %(name)s"), name=repr(name)) from None


def forum_zone(session: Session) -> ZoneInfo:
    return zone(forum(session).timezone)


def now_utc() -> datetime:
    return clock.now().astimezone(UTC)


def today(session: Session) -> date:
    """Today's date at the forum's seat."""
    return clock.now().astimezone(forum_zone(session)).date()


def to_utc(moment: datetime, zone_name: str) -> datetime:
    """A naive `moment` is read in `zone_name`; an aware one keeps its instant."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(zone_name))
    return moment.astimezone(UTC)


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    """00:00 of `day` in `tz`, as a UTC instant."""
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(UTC)
