"""Reminders before a deadline, only to delegates of states that have not answered.

The forum's profile sets the offsets (`reminder_hours`, default 72 and 24 hours before).
The scheduler's delivery writes the reminders that fell due (`write_due`) and checks
each again as it sends it (`still_due`), so that the rules are exact whatever the
clock says and however late the scheduler runs:

- an offset is used only if the round, when it opened, had longer than that to run
  (none when the deadline was nearer than the offset at opening, nor one at the very
  moment of opening, which the notice of the opening already covers);
- of the offsets whose moment has passed, only the nearest to the deadline is written
  (a scheduler that was down does not send both at once);
- a reminder is written once per round, offset, deadline and person (`dedupe_key`),
  so an extended deadline gets reminders of its own at its own moments;
- a state that has answered gets none, and a reminder waiting (a digest) is not sent
  once the person's states have all answered, the deadline moved or the round ended;
  closing or voiding a round cancels its reminders at once (workflow.outbox).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Affiliation, Notification, Round, RoundStatus
from workflow import outbox, times


def due_offset(round_: Round, hours: list[int], now: datetime) -> int | None:
    """The offset (hours) whose reminder is due now for `round_`, if any."""
    if round_.deadline_at is None or not round_.is_open or now >= round_.deadline_at:
        return None
    to_run = round_.deadline_at - round_.opened_at
    due = [
        h
        for h in hours
        if timedelta(hours=h) < to_run and round_.deadline_at - timedelta(hours=h) <= now
    ]
    return min(due) if due else None


def key_prefix(round_: Round, hours: int) -> str:
    return f"reminder:{round_.id}:{hours}:{round_.deadline_at:%Y%m%dT%H%M%S}:"


def write_due(session: Session, now: datetime) -> int:
    """Write the reminders due at `now`; returns how many rows."""
    hours = sorted(set(times.forum(session).reminder_hours or []))
    if not hours or not outbox.enabled:
        return 0
    rounds = session.scalars(
        select(Round)
        .where(
            Round.status == RoundStatus.OPEN,
            Round.deadline_at > now,
            Round.deadline_at <= now + timedelta(hours=max(hours)),
        )
        .order_by(Round.deadline_at, Round.id)
    )
    batch = outbox.Batch(session, None)
    written = 0
    for round_ in rounds:
        offset = due_offset(round_, hours, now)
        if offset is None:
            continue
        prefix = key_prefix(round_, offset)
        reminded = set(
            session.scalars(
                select(Notification.user_id).where(Notification.dedupe_key.startswith(prefix))
            )
        )
        people = [
            person
            for person in outbox.delegates_of(session, outbox.not_answered_ids(session, round_.id))
            if person[0] not in reminded
        ]
        written += batch.add(
            outbox.REMINDER,
            people,
            document_id=round_.document_id,
            round_id=round_.id,
            payload={**outbox.round_payload(round_), "hours": offset},
            dedupe_prefix=prefix,
        )
    batch.write()
    return written


def still_due(session: Session, notice: Notification, now: datetime) -> bool:
    """A reminder about to be sent: is the person's state still silent on the same deadline?"""
    round_ = session.get(Round, notice.round_id) if notice.round_id is not None else None
    if round_ is None or not round_.is_open or round_.deadline_at is None:
        return False
    if (
        now >= round_.deadline_at
        or notice.payload.get("deadline") != round_.deadline_at.isoformat()
    ):
        return False
    silent = set(outbox.not_answered_ids(session, round_.id))
    theirs = set(
        session.scalars(
            select(Affiliation.participant_id).where(
                Affiliation.user_id == notice.user_id,
                Affiliation.role.in_(outbox.SPEAKING_ROLES),
            )
        )
    )
    return bool(silent & theirs)
