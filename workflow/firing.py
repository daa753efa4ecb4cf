"""Firing due actions exactly once.

`fire_due` runs inside the caller's transaction: it takes the engine's locks (the
audit chain, the document, the round), then locks the due-action row, re-checks
that it is still pending, due and valid, acts through the engine's operations
and marks the row fired. Whatever the outcome, nothing is half done: the caller
commits all of it or none of it. A second call, in this process or another,
finds the row no longer pending and does nothing.

`fire_one` wraps it in a transaction of its own and records a failure (error,
attempt count, next attempt with back-off) in a separate transaction after
rolling the failed one back; `sweep` fires every overdue pending row, each in its
own transaction.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from models import (
    DueAction,
    DueActionKind,
    DueActionStatus,
    OutcomeKind,
    Participant,
    RoundElector,
)
from workflow import clock, locking, operations, times
from workflow.conventions import awaited_entry_into_force
from workflow.errors import N_, InvalidInput, NotFound

log = logging.getLogger("concord.deadlines")

MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)
ERROR_TEXT_LIMIT = 2000


class Outcome(StrEnum):
    FIRED = "fired"  # acted and marked fired
    NOT_PENDING = "not_pending"  # already fired, cancelled or failed: nothing to do
    NOT_DUE = "not_due"  # its time (or its next attempt) has not come
    BUSY = "busy"  # another transaction holds the row; a later sweep retries
    STALE = "stale"  # the round closed or its deadline moved: row cancelled or realigned
    RETRY = "retry"  # the firing raised; recorded, retried after a back-off
    FAILED = "failed"  # the firing raised too often; the row is FAILED


@dataclass
class SweepReport:
    counts: Counter = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome] += 1

    def __getitem__(self, outcome: Outcome) -> int:
        return self.counts[outcome]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __str__(self) -> str:
        parts = [f"{self.counts[o]} {o.value}" for o in Outcome if self.counts[o]]
        return ", ".join(parts) or "nothing due"


def due_filter(now: datetime):
    """Pending rows whose time, and whose next attempt after a failure, has come."""
    return (
        DueAction.status == DueActionStatus.PENDING,
        DueAction.due_at <= now,
        or_(DueAction.next_attempt_at.is_(None), DueAction.next_attempt_at <= now),
    )


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _take_locks(session: Session, due_action_id: int) -> DueAction | None:
    """The engine's locks first (chain, document, round: the order operations use, so no
    deadlock with a delegate's objection), then the row itself."""
    if _is_sqlite(session):
        # A write as the first statement takes SQLite's write lock before anything is read,
        # so no other writer can commit between our re-check and our change.
        session.execute(
            update(DueAction)
            .where(DueAction.id == due_action_id)
            .values(attempts=DueAction.attempts)
            .execution_options(synchronize_session=False)
        )
    head = session.execute(
        select(DueAction.status, DueAction.document_id, DueAction.round_id).where(
            DueAction.id == due_action_id
        )
    ).first()
    if head is None or head.status is not DueActionStatus.PENDING:
        return None
    if head.round_id is not None:
        locking.lock_round(session, head.round_id)
        # Held until the transaction ends: the identity map keeps only weak references.
        session.info["concord.electorate"] = _warm_electorate(session, head.round_id)
    else:
        locking.lock_document(session, head.document_id)
    return session.scalar(
        select(DueAction)
        .where(DueAction.id == due_action_id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


def _warm_electorate(session: Session, round_id: int) -> list[Participant]:
    """Load the round's states in one query: the outcome names every one of them, and a
    many-to-one already in the session costs no query (28 fewer per firing)."""
    return list(
        session.scalars(
            select(Participant).join(RoundElector).where(RoundElector.round_id == round_id)
        )
    )


def fire_due(session: Session, due_action_id: int, *, now: datetime) -> Outcome:
    """Fire one due action in the caller's transaction (flushes, never commits)."""
    action = _take_locks(session, due_action_id)
    if action is None:
        exists = session.scalar(select(DueAction.status).where(DueAction.id == due_action_id))
        return Outcome.BUSY if exists is DueActionStatus.PENDING else Outcome.NOT_PENDING
    if action.status is not DueActionStatus.PENDING:
        return Outcome.NOT_PENDING
    if action.due_at > now or (action.next_attempt_at and action.next_attempt_at > now):
        return Outcome.NOT_DUE
    if action.kind is DueActionKind.CONFIRMATION_LAPSE:
        valid = _confirmations_still_awaited(action)
    elif action.round_id is not None:
        valid = _round_still_valid(action)
    else:
        valid = _entry_into_force_still_valid(session, action)
    if not valid:
        session.flush()
        return Outcome.STALE
    _act(session, action, now)
    action.status = DueActionStatus.FIRED
    action.fired_at = now
    action.next_attempt_at = None
    session.flush()
    log.info("fired due action %s (%s) for document %s", action.id, action.kind, action.document_id)
    return Outcome.FIRED


def _round_still_valid(action: DueAction) -> bool:
    """The round is open and its deadline is the row's. Otherwise settle the row and say no."""
    round_ = action.round
    if round_ is None or not round_.is_open:
        action.status = DueActionStatus.CANCELLED
        outcome = round_.outcome.value if round_ is not None and round_.outcome else "gone"
        action.last_error = f"not fired: the round had already closed ({outcome})"
        log.warning("due action %s cancelled: %s", action.id, action.last_error)
        return False
    if round_.deadline_at != action.due_at:
        # The round's deadline is the law; the row is only its alarm clock.
        log.warning(
            "due action %s realigned from %s to the round's deadline %s",
            action.id,
            action.due_at,
            round_.deadline_at,
        )
        action.due_at = round_.deadline_at
        action.next_attempt_at = None
        return False
    return True


def _confirmations_still_awaited(action: DueAction) -> bool:
    """The round still waits for capitals' confirmations (none withdrew, not all confirmed)."""
    round_ = action.round
    if round_ is None or round_.outcome is not OutcomeKind.AD_REFERENDUM:
        action.status = DueActionStatus.CANCELLED
        action.last_error = "not fired: no confirmation is awaited any more"
        log.warning("due action %s cancelled: %s", action.id, action.last_error)
        return False
    return True


def _entry_into_force_still_valid(session: Session, action: DueAction) -> bool:
    """The convention still awaits entry into force, on the date the row was set for."""
    document = action.document
    effective = awaited_entry_into_force(document)
    if effective is None:
        action.status = DueActionStatus.CANCELLED
        action.last_error = (
            f"not fired: {document.symbol} is {document.state}, not awaiting entry into force"
        )
        log.warning("due action %s cancelled: %s", action.id, action.last_error)
        return False
    expected = times.start_of_day(effective, times.forum_zone(session))
    if expected != action.due_at:
        log.warning(
            "due action %s realigned from %s to the entry into force %s",
            action.id,
            action.due_at,
            expected,
        )
        action.due_at = expected
        action.next_attempt_at = None
        return False
    return True


class EngineDeclined(RuntimeError):
    """The engine found nothing to do although every check said it should act."""


def _act(session: Session, action: DueAction, now: datetime) -> None:
    if action.kind in (DueActionKind.SILENCE_EXPIRY, DueActionKind.WRITTEN_LAPSE):
        acted = operations.expire_round(session, action.round_id, now=now)
    elif action.kind is DueActionKind.ENTRY_INTO_FORCE:
        acted = operations.enter_into_force(session, action.document_id, now=now)
    elif action.kind is DueActionKind.CONFIRMATION_LAPSE:
        acted = operations.lapse_confirmations(session, action.round_id, now=now)
    else:  # pragma: no cover - the enum is closed
        raise ValueError(f"unknown due action kind {action.kind!r}")
    if acted is None:
        # Never mark fired what did not happen: fail loudly and retry.
        raise EngineDeclined(f"the engine did not act on due action {action.id} ({action.kind})")


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: 30 s, 1 min, 2 min, ... capped at an hour."""
    return min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_CAP)


def record_failure(
    session: Session, due_action_id: int, error: BaseException, *, now: datetime
) -> Outcome:
    """Record a failed firing on the row, in a transaction of its own.

    Database hiccups (lost connection, deadlock, lock timeout) are retried without
    counting as an attempt: a database outage must not turn deadlines into failures.
    """
    action = session.scalar(
        select(DueAction)
        .where(DueAction.id == due_action_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if action is None or action.status is not DueActionStatus.PENDING:
        return Outcome.NOT_PENDING
    transient = isinstance(error, OperationalError)
    if not transient:
        action.attempts += 1
    action.last_error = f"{now.isoformat(timespec='seconds')} {type(error).__name__}: {error}"[
        :ERROR_TEXT_LIMIT
    ]
    if action.attempts >= MAX_ATTEMPTS:
        action.status = DueActionStatus.FAILED
        action.next_attempt_at = None
        log.error("due action %s FAILED after %s attempts: %s", action.id, action.attempts, error)
        outcome = Outcome.FAILED
    else:
        action.next_attempt_at = now + retry_delay(max(action.attempts, 1))
        log.error(
            "due action %s failed (attempt %s of %s), retrying at %s: %s",
            action.id,
            action.attempts,
            MAX_ATTEMPTS,
            action.next_attempt_at.isoformat(timespec="seconds"),
            error,
        )
        outcome = Outcome.RETRY
    session.flush()
    return outcome


def fire_one(sessions: sessionmaker[Session], due_action_id: int, *, now: datetime) -> Outcome:
    """Fire one due action in its own transaction; a failure is rolled back, then recorded."""
    session = sessions()
    try:
        outcome = fire_due(session, due_action_id, now=now)
        session.commit()
        return outcome
    except Exception as error:
        session.rollback()
        log.debug("firing due action %s raised", due_action_id, exc_info=True)
        session.close()
        session = sessions()
        try:
            outcome = record_failure(session, due_action_id, error, now=now)
            session.commit()
            return outcome
        except Exception:
            session.rollback()
            log.exception("could not record the failure of due action %s", due_action_id)
            return Outcome.RETRY
    finally:
        session.close()


def overdue_ids(session: Session, now: datetime) -> list[int]:
    return list(
        session.scalars(
            select(DueAction.id).where(*due_filter(now)).order_by(DueAction.due_at, DueAction.id)
        )
    )


def sweep(
    runtime,
    *,
    now: datetime | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> SweepReport:
    """Fire every overdue pending row, each in its own transaction.

    `now` fixes the moment for the whole sweep (tests); by default each row reads
    the clock when it fires. `runtime` needs only `.sessions`.
    """
    moment = now or clock.now()
    with runtime.sessions() as session:
        ids = overdue_ids(session, moment)
    report = SweepReport()
    for due_action_id in ids:
        if should_stop():
            break
        report.add(fire_one(runtime.sessions, due_action_id, now=now or clock.now()))
    if report.total:
        log.info("sweep: %s", report)
    return report


def requeue(session: Session, due_action_id: int) -> DueAction:
    """Put a FAILED row back to pending (after the cause is fixed); its history stays."""
    action = session.scalar(
        select(DueAction).where(DueAction.id == due_action_id).with_for_update()
    )
    if action is None:
        raise NotFound(N_("no due action %(due_action_id)s"), due_action_id=due_action_id)
    if action.status is not DueActionStatus.FAILED:
        raise InvalidInput(
            N_("due action %(due_action_id)s is %(status)s: only a failed one is retried"),
            due_action_id=due_action_id,
            status=action.status.value,
        )
    action.status = DueActionStatus.PENDING
    action.attempts = 0
    action.next_attempt_at = None
    session.flush()
    return action
