"""Due actions: the deadline rows the scheduler fires, written with the change that makes them.

Every function here runs inside the caller's operation (same transaction); the
scheduler (workflow.firing) only reads pending rows and calls expire_round or
enter_into_force.

A transaction that adds a pending row or moves one (its time, or its next attempt
after a failure) tells the scheduler: on PostgreSQL it sends `NOTIFY
concord_due_actions`, which the database delivers when the transaction commits and
drops if it rolls back; in every case, once the session commits, the callbacks
registered with `on_commit` run in this process (`concord serve`'s embedded
scheduler). Cancelling a row tells no one: the scheduler finds it cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import event, inspect, select, text, update
from sqlalchemy.orm import Session

from models import Document, DueAction, DueActionKind, DueActionStatus, Round, RoundMode
from workflow import times
from workflow.spec import DeadlineRule

CHANNEL = "concord_due_actions"
_CHANGED = "concord.due_actions_changed"  # session.info key: announce after the commit
_commit_callbacks: list[Callable[[], None]] = []


def on_commit(callback: Callable[[], None]) -> None:
    """Call `callback` (quickly; no database work) after each commit that added or moved
    a pending row in this process."""
    _commit_callbacks.append(callback)


def forget(callback: Callable[[], None]) -> None:
    if callback in _commit_callbacks:
        _commit_callbacks.remove(callback)


def announce(session: Session) -> None:
    """Tell the scheduler, once this transaction commits, that the due rows changed."""
    session.info[_CHANGED] = True
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Identical notifications of one transaction reach listeners once.
        connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


def _added_or_moved(instance: object) -> bool:
    if not isinstance(instance, DueAction):
        return False
    attributes = inspect(instance).attrs
    if attributes.due_at.history.has_changes() or attributes.next_attempt_at.history.added:
        return True
    return instance.status is DueActionStatus.PENDING and attributes.status.history.has_changes()


@event.listens_for(Session, "after_flush")
def _announce_flushed(session: Session, _context) -> None:
    if any(isinstance(o, DueAction) for o in session.new) or any(
        _added_or_moved(o) for o in session.dirty
    ):
        announce(session)


@event.listens_for(Session, "after_commit")
def _call_back_after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        for callback in list(_commit_callbacks):
            callback()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)


ROUND_KINDS = {
    RoundMode.SILENCE: DueActionKind.SILENCE_EXPIRY,
    RoundMode.WRITTEN: DueActionKind.WRITTEN_LAPSE,
    RoundMode.MEETING: DueActionKind.MEETING_LAPSE,  # only when given a deadline
}


def schedule_round_deadline(session: Session, round_: Round) -> DueAction | None:
    """A pending row at the round's deadline (silence expiry, written or meeting lapse)."""
    kind = ROUND_KINDS.get(round_.mode)
    if kind is None or round_.deadline_at is None:
        return None
    action = DueAction(
        kind=kind,
        status=DueActionStatus.PENDING,
        document_id=round_.document_id,
        round=round_,
        due_at=round_.deadline_at,
    )
    session.add(action)
    return action


def cancel_for_round(session: Session, round_: Round) -> int:
    """Cancel the round's pending deadline (objection, close, void)."""
    result = session.execute(
        update(DueAction)
        .where(DueAction.round_id == round_.id, DueAction.status == DueActionStatus.PENDING)
        .values(status=DueActionStatus.CANCELLED)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


def move_for_round(session: Session, round_: Round, due_at: datetime) -> int:
    result = session.execute(
        update(DueAction)
        .where(DueAction.round_id == round_.id, DueAction.status == DueActionStatus.PENDING)
        .values(due_at=due_at, next_attempt_at=None)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount:
        announce(session)
    return result.rowcount


def schedule_entry_into_force(session: Session, document: Document, due_at: datetime) -> DueAction:
    """One pending entry-into-force row per document: moved if it exists, else added."""
    return _place_document_row(session, document, DueActionKind.ENTRY_INTO_FORCE, due_at)


def _pending_document_row(
    session: Session, document: Document, kind: DueActionKind
) -> DueAction | None:
    return session.scalar(
        select(DueAction).where(
            DueAction.document_id == document.id,
            DueAction.kind == kind,
            DueAction.status == DueActionStatus.PENDING,
        )
    )


def _place_document_row(
    session: Session, document: Document, kind: DueActionKind, due_at: datetime
) -> DueAction:
    """The document's one pending row of `kind`, at `due_at`: moved if it exists, else added."""
    pending = _pending_document_row(session, document, kind)
    if pending is not None:
        if pending.due_at != due_at:
            pending.due_at = due_at
            pending.next_attempt_at = None
        return pending
    action = DueAction(
        kind=kind, status=DueActionStatus.PENDING, document_id=document.id, due_at=due_at
    )
    session.add(action)
    return action


def pending_for_round(session: Session, round_id: int) -> list[DueAction]:
    return list(
        session.scalars(
            select(DueAction).where(
                DueAction.round_id == round_id, DueAction.status == DueActionStatus.PENDING
            )
        )
    )


def document_deadline_due(
    session: Session, document: Document, rule: DeadlineRule | None
) -> datetime | None:
    """When the definition's `[document.deadline]` falls due for `document`: the start (in the
    forum's time zone) of the day after the date its field names, while the document is in
    one of the rule's states; None otherwise."""
    if rule is None or document.state not in rule.states:
        return None
    value = (document.custom_fields or {}).get(rule.field)
    if value is None:
        return None
    last_day = date.fromisoformat(value)
    return times.start_of_day(last_day + timedelta(days=1), times.forum_zone(session))


def align_document_deadline(
    session: Session, document: Document, rule: DeadlineRule | None
) -> DueAction | None:
    """Keep one pending deadline row per document, at the time `rule` (its definition's
    `[document.deadline]`) gives now: added, moved (the field changed) or cancelled (the
    document left the rule's states)."""
    if rule is None:
        # A kind without a document deadline has no row to keep (one left from an earlier
        # definition that had it is cancelled when it falls due: workflow.firing).
        return None
    due_at = document_deadline_due(session, document, rule)
    if due_at is None:
        pending = _pending_document_row(session, document, DueActionKind.DOCUMENT_DEADLINE)
        if pending is not None:
            pending.status = DueActionStatus.CANCELLED
        return None
    return _place_document_row(session, document, DueActionKind.DOCUMENT_DEADLINE, due_at)
