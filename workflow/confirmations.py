"""Ad referendum: consent subject to confirmation by the capital.

A round that reaches consensus while some states consented ad referendum closes as
adopted ad referendum: the document stays where it is, a decision (if the step is
one) is recorded provisionally, and each such state has the forum's confirmation
period to confirm or to withdraw its consent. A withdrawal counts as an objection:
the decision fails and the round's failure trigger fires. When every state has
confirmed, or the period lapses with no withdrawal (the scheduler fires that exactly
once, like any deadline), the decision is final and the consensus trigger fires.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Confirmation,
    ConfirmationStatus,
    DecisionStatus,
    DueAction,
    DueActionKind,
    DueActionStatus,
    OutcomeKind,
    Participant,
    Position,
    Round,
    User,
)
from workflow import audit, decisions, due_actions, kinds, notes, times
from workflow.change import Change, round_change
from workflow.engine import definition_for, fire
from workflow.errors import N_, InvalidInput, NotFound, NotPermitted, RoundClosed, named


def consensus_trigger(round_: Round) -> str:
    """What this round's consensus fires: the question put to the body when it opened."""
    spec = definition_for(round_.document).round_spec(round_.document_state)
    return round_.on_consensus or spec.on_consensus


def begin(change: Change, round_: Round, positions: list[Position], decided_on: date) -> None:
    """The round closed ad referendum on `decided_on`: open the confirmation period."""
    session = change.session
    forum = times.forum(session)
    due_on = decided_on + timedelta(days=forum.confirmation_days)
    due_at = times.start_of_day(due_on + timedelta(days=1), times.zone(forum.timezone))
    for position in positions:
        session.add(
            Confirmation(
                round_id=round_.id,
                participant_id=position.participant_id,
                position_id=position.id,
                status=ConfirmationStatus.PENDING,
                due_at=due_at,
            )
        )
    session.flush()
    session.expire(round_, ["confirmations"])  # the round's view of them, read anew
    session.add(
        DueAction(
            kind=DueActionKind.CONFIRMATION_LAPSE,
            status=DueActionStatus.PENDING,
            document_id=round_.document_id,
            round_id=round_.id,
            due_at=due_at,
        )
    )
    trigger = consensus_trigger(round_)
    definition = definition_for(change.document)
    spec = next(iter(definition.transitions_from(round_.document_state, trigger)), None)
    decision = None
    if spec is not None and spec.decision:
        decision = decisions.record(
            session,
            round_,
            trigger=trigger,
            title=spec.titles() or definition.state_title(spec.dest),
            taken_on=decided_on,
            entered_by=change.actor,
            status=DecisionStatus.AD_REFERENDUM,
            confirmation_due_on=due_on,
        )
    change.record(
        "confirmations_awaited",
        data={
            "round_id": round_.id,
            "states": [p.participant.code for p in positions],
            "due_on": due_on.isoformat(),
            "decision": decision.symbol if decision is not None else None,
        },
    )


def pending(session: Session, round_id: int) -> list[Confirmation]:
    return list(
        session.scalars(
            select(Confirmation).where(
                Confirmation.round_id == round_id,
                Confirmation.status == ConfirmationStatus.PENDING,
            )
        )
    )


def answer(
    session: Session,
    actor: User | None,
    round_id: int,
    *,
    participant: str,
    confirm: bool,
    text: str = "",
    reference: str = "",
) -> Confirmation:
    """A state confirms its consent given ad referendum, or withdraws it (with its reasons)."""
    if actor is None or not actor.active:
        raise NotPermitted(N_("a confirmation is given by a delegate, or by the Secretariat"))
    text, reference = (text or "").strip(), (reference or "").strip()
    if not confirm and not text:
        raise InvalidInput(N_("text: withdrawing a consent needs its reasons"))
    with round_change(session, actor, round_id) as change:
        round_ = change.round
        if round_.outcome is not OutcomeKind.AD_REFERENDUM:
            raise RoundClosed(N_("no confirmation is awaited in this round"))
        state = session.scalar(
            select(Participant).where(Participant.code == (participant or "").strip().upper())
        )
        found = next(
            (c for c in pending(session, round_.id) if state and c.participant_id == state.id), None
        )
        if found is None:
            raise NotFound(
                N_("no confirmation of %(participant)s is awaited in this round"),
                participant=repr(participant),
            )
        if actor.speaks_for(state):
            channel = kinds.entry_channel(session, "delegate")
        elif actor.is_secretariat:
            channel = kinds.entry_channel(session, "secretariat")
            if channel.requires_reference and not reference:
                raise InvalidInput(
                    N_(
                        "reference: recording %(state)s's answer on its behalf needs the reference of its note verbale"
                    ),
                    state=named(state),
                )
        else:
            raise NotPermitted(
                N_("only delegates of %(state)s may answer for it"), state=named(state)
            )
        now = times.now_utc()
        if now >= found.due_at:
            raise RoundClosed(N_("the confirmation period has ended: the consent stands"))
        found.status = ConfirmationStatus.CONFIRMED if confirm else ConfirmationStatus.WITHDRAWN
        found.answered_at, found.answered_by_id = now, actor.id
        found.text, found.reference = text, reference
        change.record(
            "consent_confirmed" if confirm else "consent_withdrawn",
            comment=text,
            data={
                "round_id": round_.id,
                "participant": state.code,
                "channel": channel.code,
                "reference": reference,
            },
        )
        if not confirm:
            _settle(
                change,
                round_,
                final=False,
                note=notes.note(notes.CONSENT_WITHDRAWN, state=state.code),
            )
        elif not pending(session, round_.id):
            _settle(change, round_, final=True, note=notes.note(notes.EVERY_STATE_CONFIRMED))
    return found


def lapse(session: Session, round_id: int, *, now: datetime | None = None) -> Round | None:
    """For the scheduler: the confirmation period ended with no withdrawal. Idempotent."""
    now = now or times.now_utc()
    try:
        with round_change(session, None, round_id, actor_label=audit.SCHEDULER) as change:
            round_ = change.round
            waiting = pending(session, round_id)
            if round_.outcome is not OutcomeKind.AD_REFERENDUM or not waiting:
                change.skip()
                return None
            due_at = waiting[0].due_at
            if now < due_at:
                change.skip()
                return None
            for confirmation in waiting:
                confirmation.status = ConfirmationStatus.LAPSED
            last_day = (due_at - timedelta(seconds=1)).astimezone(times.forum_zone(session)).date()
            _settle(
                change,
                round_,
                final=True,
                note=notes.note(notes.CONFIRMATION_LAPSED),
                taken_on=last_day,
            )
    except NotFound:
        return None
    return round_


def _settle(
    change: Change, round_: Round, *, final: bool, note: str, taken_on: date | None = None
) -> None:
    """The decision is final (the consensus trigger fires) or failed (the failure trigger)."""
    session = change.session
    taken_on = taken_on or times.today(session)
    round_.outcome = OutcomeKind.CONSENSUS if final else OutcomeKind.NO_CONSENSUS
    round_.outcome_note = note
    due_actions.cancel_for_round(session, round_)
    decision = decisions.for_round(session, round_.id)
    if decision is not None and not final:
        decision.status, decision.settled_on = DecisionStatus.FAILED, taken_on
    change.record(
        "ad_referendum_settled",
        comment=note,
        data={
            "round_id": round_.id,
            "outcome": round_.outcome.value,
            "decision": decision.symbol if decision is not None else None,
        },
    )
    spec = definition_for(change.document).round_spec(round_.document_state)
    if spec is None or change.document.state != round_.document_state:
        return
    trigger = consensus_trigger(round_) if final else spec.on_failure
    fire(change, trigger, comment=note, as_system=True, taken_on=taken_on)


def awaiting(session: Session, document_id: int) -> Round | None:
    """The document's round still waiting for confirmations, if any."""
    return session.scalar(
        select(Round).where(
            Round.document_id == document_id, Round.outcome == OutcomeKind.AD_REFERENDUM
        )
    )
