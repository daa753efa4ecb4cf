"""Closing a round: the one function behind a chair's close, a deadline's expiry and a void.

A closed round keeps its outcome, who closed it and why; its pending deadline is
cancelled; one audit event records the outcome with every statement, reservation
and objection attached. Firing the definition's trigger on the outcome is the
caller's next step (workflow.rounds); a void fires nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from models import OutcomeKind, Round, RoundStatus
from workflow import due_actions, times
from workflow.change import Change
from workflow.summaries import load_summary


def close(change: Change, round_: Round, outcome: OutcomeKind, *, note: str = "") -> None:
    """Close `round_` with `outcome` inside `change`, and record it."""
    round_.status = RoundStatus.CLOSED
    round_.outcome = outcome
    round_.closed_at = times.now_utc()
    round_.closed_by_id = change.actor.id if change.actor is not None else None
    round_.outcome_note = note
    due_actions.cancel_for_round(change.session, round_)
    change.touches_document = True  # the document's record changed with its round
    voided = outcome is OutcomeKind.VOID
    data: dict = {"round_id": round_.id, "outcome": outcome.value}
    if not voided:
        summary = load_summary(change.session, round_.id)
        data.update(body=round_.body.code, mode=round_.mode.value, **summary.record())
    change.record(
        "round_voided" if voided else "round_closed",
        version_number=None if voided else round_.version.number,
        comment=note,
        data=data,
    )


def void_open_rounds(change: Change, *, reason: str, keep_version_id: int | None = None) -> None:
    """Void every open round of the change's document (except those on `keep_version_id`):
    a round binds to one state and one text."""
    query = select(Round).where(
        Round.document_id == change.document.id, Round.status == RoundStatus.OPEN
    )
    if keep_version_id is not None:
        query = query.where(Round.version_id != keep_version_id)
    for round_ in change.session.scalars(query.with_for_update()):
        close(change, round_, OutcomeKind.VOID, note=reason)
