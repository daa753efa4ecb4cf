"""Firing due actions exactly once.

`fire_due` runs inside the caller's transaction: it takes the engine's locks (the
audit chain, the document, the round), then locks the due-action row, re-checks
that it is still pending, due and valid, acts through the engine's operations
and marks the row fired. Whatever the outcome, nothing is half done: the caller
commits all of it or none of it. A second call, in this process or another,
finds the row no longer pending and does nothing.

`fire_one` wraps it in a transaction of its own and records a failure (error,
attempt count, next attempt with back-off) in a separate transaction after
rolling the failed one back.

`sweep` fires every overdue pending row in batches: a batch claims up to
`BATCH_SIZE` due rows and fires them in one transaction, each in a savepoint, so a
firing that raises is undone alone and its failure recorded in the same commit. On
PostgreSQL several firers claim batches at once: the claim locks the rows'
documents (the engine's first lock, so the lock order stays that of the
operations) with `FOR UPDATE SKIP LOCKED`, so each firer passes over what another
firer, or a delegate's transaction, holds. What every batch passed over is fired
at the end one row at a time, waiting for its locks. SQLite has one writer: one
firer, and the batch takes the write lock before it reads.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from models import (
    Document,
    DueAction,
    DueActionKind,
    DueActionStatus,
    OutcomeKind,
)
from workflow import clock, due_actions, locking, operations, times
from workflow.conventions import awaited_entry_into_force
from workflow.errors import N_, InvalidInput, NotFound
from workflow.registry import registry

log = logging.getLogger("concord.deadlines")

MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)
ERROR_TEXT_LIMIT = 2000
BATCH_SIZE = 25  # due rows fired in one transaction (their documents stay locked until it commits)
FIRERS = 4  # firers claiming batches at once (PostgreSQL; SQLite has one)


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

    def update(self, outcomes) -> None:
        self.counts.update(outcomes)

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
    else:
        locking.lock_document(session, head.document_id)
    return session.scalar(
        select(DueAction)
        .where(DueAction.id == due_action_id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
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
    elif action.kind is DueActionKind.DOCUMENT_DEADLINE:
        valid = _document_deadline_still_valid(session, action)
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


def _document_deadline_still_valid(session: Session, action: DueAction) -> bool:
    """The document is still in one of the rule's states, its date field as the row was set."""
    document = action.document
    rule = registry().get(document.kind).document.deadline
    expected = due_actions.document_deadline_due(session, document, rule)
    if expected is None:
        action.status = DueActionStatus.CANCELLED
        action.last_error = f"not fired: {document.symbol} is {document.state}, no deadline runs"
        log.warning("due action %s cancelled: %s", action.id, action.last_error)
        return False
    if expected != action.due_at:
        log.warning(
            "due action %s realigned from %s to the document's deadline %s",
            action.id,
            action.due_at,
            expected,
        )
        action.due_at = expected
        action.next_attempt_at = None
        return False
    return True


ROUND_DEADLINES = (
    DueActionKind.SILENCE_EXPIRY,
    DueActionKind.WRITTEN_LAPSE,
    DueActionKind.MEETING_LAPSE,
)


class EngineDeclined(RuntimeError):
    """The engine found nothing to do although every check said it should act."""


def _act(session: Session, action: DueAction, now: datetime) -> None:
    if action.kind in ROUND_DEADLINES:
        acted = operations.expire_round(session, action.round_id, now=now)
    elif action.kind is DueActionKind.ENTRY_INTO_FORCE:
        acted = operations.enter_into_force(session, action.document_id, now=now)
    elif action.kind is DueActionKind.CONFIRMATION_LAPSE:
        acted = operations.lapse_confirmations(session, action.round_id, now=now)
    elif action.kind is DueActionKind.DOCUMENT_DEADLINE:
        acted = operations.pass_document_deadline(session, action.document_id, now=now)
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


def _take_sqlite_write_lock(session: Session) -> None:
    """A write as the transaction's first statement: no other writer commits between what
    the batch reads and what it changes (no SELECT ... FOR UPDATE on SQLite)."""
    session.execute(
        update(DueAction)
        .where(DueAction.id == -1)
        .values(attempts=DueAction.attempts)
        .execution_options(synchronize_session=False)
    )


def claim_due(session: Session, now: datetime, limit: int = BATCH_SIZE) -> list[int]:
    """Up to `limit` due rows for this transaction, soonest first.

    PostgreSQL: their documents are locked here, and rows whose document another
    transaction holds are passed over (another firer's batch, a delegate's change).
    """
    query = (
        select(DueAction.id)
        .where(*due_filter(now))
        .order_by(DueAction.due_at, DueAction.id)
        .limit(limit)
    )
    if _is_sqlite(session):
        _take_sqlite_write_lock(session)
    else:
        query = query.join(Document, Document.id == DueAction.document_id).with_for_update(
            of=Document, skip_locked=True
        )
    return list(session.scalars(query))


def _fire_in_savepoint(session: Session, due_action_id: int, now: datetime) -> Outcome:
    """One firing of a batch: a firing that raises is undone alone and its failure recorded.
    A database error (lost connection, deadlock) spoils the whole transaction: re-raised."""
    savepoint = session.begin_nested()
    try:
        outcome = fire_due(session, due_action_id, now=now)
        savepoint.commit()
        return outcome
    except OperationalError:
        raise
    except Exception as error:
        savepoint.rollback()
        log.debug("firing due action %s raised", due_action_id, exc_info=True)
        return record_failure(session, due_action_id, error, now=now)


def fire_batch(
    sessions: sessionmaker[Session], *, now: datetime, limit: int = BATCH_SIZE
) -> list[Outcome]:
    """Claim up to `limit` due rows and fire them in one transaction (empty: none claimable).

    If the transaction itself fails, it is rolled back and its rows fired one at a time,
    each recording its own outcome or failure.
    """
    ids: list[int] = []
    session = sessions()
    try:
        ids = claim_due(session, now, limit)
        outcomes = [_fire_in_savepoint(session, due_action_id, now) for due_action_id in ids]
        session.commit()
        return outcomes
    except Exception:
        session.rollback()
        log.warning("a batch of %s due actions failed; firing them one by one", len(ids))
        log.debug("the batch raised", exc_info=True)
    finally:
        session.close()
    return [fire_one(sessions, due_action_id, now=now) for due_action_id in ids]


PROGRESS = {Outcome.FIRED, Outcome.NOT_PENDING, Outcome.STALE, Outcome.RETRY, Outcome.FAILED}


def _fire_batches(
    sessions: sessionmaker[Session],
    now: datetime | None,
    should_stop: Callable[[], bool],
    report: SweepReport,
    report_lock: threading.Lock,
) -> None:
    """One firer: batch after batch until nothing is claimable (or a batch moved nothing)."""
    while not should_stop():
        outcomes = fire_batch(sessions, now=now or clock.now())
        with report_lock:
            report.update(outcomes)
        if not PROGRESS.intersection(outcomes):
            return


def sweep(
    runtime,
    *,
    now: datetime | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    firers: int = FIRERS,
) -> SweepReport:
    """Fire every overdue pending row, in batches, by `firers` firers at once (SQLite: one).

    `now` fixes the moment for the whole sweep (tests); by default each batch reads
    the clock when it starts. `runtime` needs only `.sessions` and `.engine`.
    """
    moment = now or clock.now()
    report = SweepReport()
    report_lock = threading.Lock()
    with runtime.sessions() as session:
        if session.scalar(select(DueAction.id).where(*due_filter(moment)).limit(1)) is None:
            # Nothing due (the common case: a wake-up follows every commit that writes a
            # deadline): no write lock on SQLite, no firers started.
            return report
    if runtime.engine.dialect.name == "sqlite":
        firers = 1
    arguments = (runtime.sessions, now, should_stop, report, report_lock)
    if firers <= 1:
        _fire_batches(*arguments)
    else:
        threads = [
            threading.Thread(target=_fire_batches, args=arguments, name=f"firer-{number}")
            for number in range(firers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    # Rows every batch passed over (a delegate's transaction held the document): one at a
    # time, waiting for the locks. Rows another sweep fired meanwhile are no longer pending.
    with runtime.sessions() as session:
        passed_over = overdue_ids(session, moment)
    for due_action_id in passed_over:
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
