"""Convention instruments, entry into force, and pledges to Fund projects."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Document,
    Instrument,
    InstrumentKind,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Pledge,
    User,
)
from workflow import audit, locking, times
from workflow.definitions import ActivityRules, Definition
from workflow.effects import entry_into_force_date, reschedule_entry_into_force
from workflow.engine import definition_for, fire, flush, touch
from workflow.errors import GuardFailed, InvalidInput, NotPermitted
from workflow.guards import pledged_total
from workflow.permissions import document_roles, require, roles_for


def _rules(definition: Definition, section: str) -> ActivityRules:
    rules = getattr(definition, section)
    if rules is None:
        raise InvalidInput(f"a {definition.title.lower()} takes no {section}")
    return rules


def _participant(session: Session, code: str) -> Participant:
    found = session.scalar(
        select(Participant).where(Participant.code == (code or "").strip().upper())
    )
    if found is None:
        raise InvalidInput(f"unknown participant {code!r}")
    return found


def _in_state(document: Document, rules: ActivityRules, what: str) -> None:
    if document.state not in rules.states:
        raise GuardFailed(
            what, f"{document.symbol} is {document.state}: no {what} can be recorded now"
        )


def record_instrument(
    session: Session,
    actor: User | None,
    document_id: int,
    *,
    participant: str,
    kind: InstrumentKind,
    deposited_on: date,
) -> Instrument:
    """Record a signature or an instrument; reaching the threshold schedules entry into force."""
    try:
        kind = InstrumentKind(kind)
    except ValueError:
        raise InvalidInput(f"unknown kind of instrument {kind!r}") from None
    if isinstance(deposited_on, datetime) or not isinstance(deposited_on, date):
        raise InvalidInput("the date of deposit must be a date")
    document = locking.lock_document(session, document_id)
    definition = definition_for(document)
    rules = _rules(definition, "instruments")
    if actor is None:
        raise NotPermitted("instruments are recorded by a user")
    require(document_roles(actor, document), rules.allowed, "record instruments")
    _in_state(document, rules, "instruments")
    state = _participant(session, participant)
    if state.kind is not ParticipantKind.STATE or state.status is not ParticipantStatus.MEMBER:
        raise InvalidInput(f"{state.name_en} is not a member state")
    if deposited_on > times.today(session):
        raise InvalidInput("the date of deposit cannot be in the future")
    earlier = list(
        session.scalars(
            select(Instrument).where(
                Instrument.document_id == document.id, Instrument.participant_id == state.id
            )
        )
    )
    for other in earlier:
        if other.kind is kind or (
            kind.counts_towards_entry_into_force and other.kind.counts_towards_entry_into_force
        ):
            raise InvalidInput(
                f"{state.name_en} already deposited its {other.kind.value} on {other.deposited_on}"
            )

    in_force_on = (document.attributes or {}).get("in_force_on")
    instrument = Instrument(
        document=document,
        participant=state,
        kind=kind,
        deposited_on=deposited_on,
        recorded_by=actor,
        recorded_at=times.now_utc(),
    )
    if in_force_on and kind.counts_towards_entry_into_force:
        instrument.effective_on = max(
            date.fromisoformat(in_force_on),
            deposited_on + timedelta(days=rules.days_to_effect),
        )
    session.add(instrument)
    flush(session)
    audit.record(
        session,
        action="instrument_recorded",
        actor=actor,
        document=document,
        from_state=document.state,
        to_state=document.state,
        data={
            "instrument_id": instrument.id,
            "participant": state.code,
            "kind": kind.value,
            "deposited_on": deposited_on.isoformat(),
            "effective_on": instrument.effective_on.isoformat()
            if instrument.effective_on
            else None,
        },
    )
    if kind.counts_towards_entry_into_force:
        _after_counting_instrument(session, document, definition, rules)
    flush(session)
    return instrument


def _after_counting_instrument(
    session: Session, document: Document, definition: Definition, rules: ActivityRules
) -> None:
    if rules.on_threshold and definition.transitions_from(document.state, rules.on_threshold):
        if entry_into_force_date(session, document, rules.days_to_effect) is not None:
            fire(session, None, document, rules.on_threshold, comment="threshold reached")
        return
    scheduled = (document.attributes or {}).get("entry_into_force_on")
    if scheduled and definition.transitions_from(document.state, rules.on_effective_date):
        # A late-recorded instrument with an earlier date can bring the date forward.
        new = entry_into_force_date(session, document, rules.days_to_effect)
        if new is not None and new.isoformat() != scheduled:
            data = reschedule_entry_into_force(session, document, definition)
            audit.record(
                session,
                action="entry_into_force_rescheduled",
                actor=None,
                document=document,
                from_state=document.state,
                to_state=document.state,
                data={"from": scheduled, **data},
            )
            touch(document)


def enter_into_force(
    session: Session, document_id: int, *, now: datetime | None = None
) -> Document | None:
    """For the scheduler: bring a convention into force once its date has come. Idempotent."""
    now = now or times.now_utc()
    document = locking.lock_document(session, document_id)
    definition = definition_for(document)
    rules = definition.instruments
    if rules is None or not rules.on_effective_date:
        return None
    if not definition.transitions_from(document.state, rules.on_effective_date):
        return None
    effective = (document.attributes or {}).get("entry_into_force_on")
    if not effective:
        return None
    if now < times.start_of_day(date.fromisoformat(effective), times.forum_zone(session)):
        return None
    fire(
        session,
        None,
        document,
        rules.on_effective_date,
        comment=f"in force on {effective}",
        actor_label=audit.SCHEDULER,
        now=now,
    )
    flush(session)
    return document


def record_pledge(
    session: Session,
    actor: User | None,
    document_id: int,
    *,
    amount: Decimal,
    donor: str | None = None,
    donor_name: str = "",
) -> Pledge:
    """A pledge against a project's budget, from a participant or a named external donor."""
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise InvalidInput(f"not an amount: {amount!r}") from None
    if amount <= 0:
        raise InvalidInput("a pledge must be a positive amount")
    donor_name = (donor_name or "").strip()
    if bool(donor) == bool(donor_name):
        raise InvalidInput("name either a participant (donor) or an external donor (donor_name)")
    if actor is None:
        raise NotPermitted("pledges are recorded by a user")
    document = locking.lock_document(session, document_id)
    definition = definition_for(document)
    rules = _rules(definition, "pledges")
    giver = _participant(session, donor) if donor else None
    roles = document_roles(actor, document) | roles_for(actor, donor=giver)
    require(roles, rules.allowed, "record a pledge")
    _in_state(document, rules, "pledges")
    pledge = Pledge(
        document=document,
        donor=giver,
        donor_name=donor_name,
        amount=amount,
        recorded_by_id=actor.id,
        recorded_at=times.now_utc(),
    )
    session.add(pledge)
    flush(session)
    audit.record(
        session,
        action="pledge_recorded",
        actor=actor,
        document=document,
        from_state=document.state,
        to_state=document.state,
        data={
            "pledge_id": pledge.id,
            "amount": str(amount),
            "donor": giver.code if giver else donor_name,
            "pledged_total": str(pledged_total(session, document.id)),
            "budget": str(document.budget) if document.budget is not None else None,
        },
    )
    flush(session)
    return pledge
