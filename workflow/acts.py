"""Dates of acts: what a body or a state did on a given day, often recorded later.

An act (a body's decision at a meeting, a grant, an admission, a document received)
carries the date it took place, in the forum's calendar, beside when and by whom it
was entered. Only the Secretariat enters a date other than today; a date is never in
the future, nor before the document's previous act.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from models import Document, User
from workflow import times
from workflow.errors import N_, InvalidInput, NotPermitted

FIELD = "taken_on"


def parse_day(value: date | str | None, field: str = FIELD) -> date | None:
    """A calendar date from a date or an ISO text (YYYY-MM-DD); None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        raise InvalidInput(N_("%(field)s: give a date (YYYY-MM-DD), not a time"), field=field)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            N_("%(field)s: %(value)s is not a date (YYYY-MM-DD)"), field=field, value=repr(value)
        ) from None


def act_date(
    session: Session,
    actor: User | None,
    document: Document | None,
    taken_on: date | str | None,
    *,
    field: str = FIELD,
) -> date:
    """The date of an act: `taken_on` checked, or today at the forum's seat.

    `actor` None is the system acting on facts already on the record (a deadline, a
    deposit reaching the threshold): it takes their date as it is.
    """
    today = times.today(session)
    day = parse_day(taken_on, field)
    if day is None:
        return today
    if actor is None:
        return day
    if not actor.is_secretariat and day != today:
        raise NotPermitted(
            N_("%(field)s: only the Secretariat records an act of another day"), field=field
        )
    if day > today:
        raise InvalidInput(
            N_("%(field)s: %(day)s is in the future"), field=field, day=day.isoformat()
        )
    previous = document.acted_on if document is not None else None
    if previous is not None and day < previous:
        raise InvalidInput(
            N_("%(field)s: %(day)s is before the document's previous act (%(previous)s)"),
            field=field,
            day=day.isoformat(),
            previous=previous.isoformat(),
        )
    return day
