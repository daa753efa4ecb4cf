"""Closing a round: the one function behind a chair's close, a deadline's expiry and a void.

A closed round keeps its outcome, who closed it and why; its pending deadline is
cancelled; one audit event records the outcome with every statement, reservation
and objection attached. Firing the definition's trigger on the outcome is the
caller's next step (workflow.rounds); a void fires nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from models import Decision, DecisionStatus, OutcomeKind, Round, RoundStatus
from workflow import due_actions, times
from workflow.change import Change
from workflow.summaries import closing_summary


def close(
    change: Change,
    round_: Round,
    outcome: OutcomeKind,
    *,
    note: str = "",
    decided_on: date | None = None,
) -> None:
    """Close `round_` with `outcome` inside `change`, and record it. `decided_on`: the date
    of the body's act (a void is no act of the body and has none)."""
    if decided_on is not None:
        round_.decided_on = decided_on
        change.act_on(decided_on)
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
        summary = closing_summary(change.session, round_.id)
        data.update(body=round_.body.code, mode=round_.mode.value, **summary.record())
    change.record(
        "round_voided" if voided else "round_closed",
        version_number=None if voided else round_.version.number,
        comment=note,
        data=data,
    )


def void_open_rounds(change: Change, *, reason: str, keep_version_id: int | None = None) -> None:
    """Void every open round of the change's document (except those on `keep_version_id`):
    a round binds to one state and one text. A round still awaiting capitals' confirmations
    is void too, and its provisional decision fails."""
    query = select(Round).where(
        Round.document_id == change.document.id,
        or_(Round.status == RoundStatus.OPEN, Round.outcome == OutcomeKind.AD_REFERENDUM),
    )
    if keep_version_id is not None:
        query = query.where(Round.version_id != keep_version_id)
    for round_ in change.session.scalars(query.with_for_update()):
        if round_.is_open:
            close(change, round_, OutcomeKind.VOID, note=reason)
        else:
            _abandon_ad_referendum(change, round_, reason)


def _abandon_ad_referendum(change: Change, round_: Round, reason: str) -> None:
    round_.outcome, round_.outcome_note = OutcomeKind.VOID, reason
    due_actions.cancel_for_round(change.session, round_)
    decision = change.session.scalar(select(Decision).where(Decision.round_id == round_.id))
    if decision is not None:
        decision.status = DecisionStatus.FAILED
        decision.settled_on = times.today(change.session)
    change.record(
        "round_voided",
        comment=reason,
        data={"round_id": round_.id, "outcome": OutcomeKind.VOID.value, "was": "ad_referendum"},
    )
