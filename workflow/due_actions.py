"""Due actions: the deadline rows the scheduler fires, written with the change that makes them.

Every function here runs inside the caller's operation (same transaction); the
scheduler (workflow.firing) only reads pending rows and calls expire_round or
enter_into_force.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Document, DueAction, DueActionKind, DueActionStatus, Round, RoundMode

ROUND_KINDS = {
    RoundMode.SILENCE: DueActionKind.SILENCE_EXPIRY,
    RoundMode.WRITTEN: DueActionKind.WRITTEN_LAPSE,
}


def schedule_round_deadline(session: Session, round_: Round) -> DueAction | None:
    """A pending row at the round's deadline (silence expiry or written lapse)."""
    kind = ROUND_KINDS.get(round_.mode)
    if kind is None:
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
    return result.rowcount


def schedule_entry_into_force(session: Session, document: Document, due_at: datetime) -> DueAction:
    """One pending entry-into-force row per document: moved if it exists, else added."""
    pending = session.scalar(
        select(DueAction).where(
            DueAction.document_id == document.id,
            DueAction.kind == DueActionKind.ENTRY_INTO_FORCE,
            DueAction.status == DueActionStatus.PENDING,
        )
    )
    if pending is not None:
        pending.due_at = due_at
        pending.next_attempt_at = None
        return pending
    action = DueAction(
        kind=DueActionKind.ENTRY_INTO_FORCE,
        status=DueActionStatus.PENDING,
        document_id=document.id,
        due_at=due_at,
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
