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
from workflow import audit, notes, times
from workflow.change import Change, document_change, flush
from workflow.effects import entry_into_force_date, reschedule_entry_into_force
from workflow.engine import definition_for, fire
from workflow.errors import N_, GuardFailed, InvalidInput, NotPermitted, named
from workflow.guards import counting_instruments, pledged_total
from workflow.permissions import document_roles, require, roles_for
from workflow.spec import ActivityRules, Definition


def _rules(definition: Definition, section: str) -> ActivityRules:
    rules = getattr(definition, section)
    if rules is None:
        raise InvalidInput(
            N_("a %(title)s takes no %(section)s"),
            title=definition.title().lower(),
            section=section,
        )
    return rules


def _participant(session: Session, code: str) -> Participant:
    found = session.scalar(
        select(Participant).where(Participant.code == (code or "").strip().upper())
    )
    if found is None:
        raise InvalidInput(N_("unknown participant %(code)s"), code=repr(code))
    return found


def _in_state(document: Document, rules: ActivityRules, what: str) -> None:
    if document.state not in rules.states:
        raise GuardFailed(
            what,
            N_("%(symbol)s is %(state)s: no %(what)s can be recorded now"),
            symbol=document.symbol,
            state=document.state,
            what=what,
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
        raise InvalidInput(N_("unknown kind of instrument %(kind)s"), kind=repr(kind)) from None
    if isinstance(deposited_on, datetime) or not isinstance(deposited_on, date):
        raise InvalidInput(N_("the date of deposit must be a date"))
    if actor is None:
        raise NotPermitted(N_("instruments are recorded by a user"))
    with document_change(session, actor, document_id) as change:
        document = change.document
        definition = definition_for(document)
        rules = _rules(definition, "instruments")
        require(document_roles(actor, document), rules.allowed, "record instruments")
        _in_state(document, rules, "instruments")
        state = _participant(session, participant)
        if state.kind is not ParticipantKind.STATE or state.status is not ParticipantStatus.MEMBER:
            raise InvalidInput(N_("%(state)s is not a member"), state=named(state))
        if deposited_on > times.today(session):
            raise InvalidInput(N_("the date of deposit cannot be in the future"))
        _refuse_a_second_deposit(session, document, state, kind)

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
        effective_on = instrument.effective_on
        change.record(
            "instrument_recorded",
            data={
                "instrument_id": instrument.id,
                "participant": state.code,
                "kind": kind.value,
                "deposited_on": deposited_on.isoformat(),
                "effective_on": effective_on.isoformat() if effective_on else None,
            },
        )
        if kind.counts_towards_entry_into_force:
            _after_counting_instrument(change, definition, rules)
    return instrument


def _refuse_a_second_deposit(
    session: Session, document: Document, state: Participant, kind: InstrumentKind
) -> None:
    """One signature and one counting instrument per state."""
    earlier = session.scalars(
        select(Instrument).where(
            Instrument.document_id == document.id, Instrument.participant_id == state.id
        )
    )
    for other in earlier:
        if other.kind is kind or (
            kind.counts_towards_entry_into_force and other.kind.counts_towards_entry_into_force
        ):
            raise InvalidInput(
                N_("%(state)s already deposited its %(kind)s on %(deposited_on)s"),
                state=named(state),
                kind=other.kind.value,
                deposited_on=other.deposited_on,
            )


def _after_counting_instrument(
    change: Change, definition: Definition, rules: ActivityRules
) -> None:
    session, document = change.session, change.document
    if rules.on_threshold and definition.transitions_from(document.state, rules.on_threshold):
        if entry_into_force_date(session, document, rules.days_to_effect) is not None:
            # The act is the deposit that reached the threshold, on its own date.
            reached_on = counting_instruments(session, document.id)[document.threshold - 1]
            fire(
                change,
                rules.on_threshold,
                comment=notes.note(notes.THRESHOLD_REACHED),
                as_system=True,
                taken_on=reached_on.deposited_on,
            )
        return
    scheduled = (document.attributes or {}).get("entry_into_force_on")
    if scheduled and definition.transitions_from(document.state, rules.on_effective_date):
        # A late-recorded instrument with an earlier date can bring the date forward.
        new = entry_into_force_date(session, document, rules.days_to_effect)
        if new is not None and new.isoformat() != scheduled:
            data = reschedule_entry_into_force(session, document, definition)
            change.record(
                "entry_into_force_rescheduled", data={"from": scheduled, **data}, actor=None
            )


def awaited_entry_into_force(document: Document) -> date | None:
    """The date a convention is set to enter into force, while it awaits that date."""
    definition = definition_for(document)
    rules = definition.instruments
    effective = (document.attributes or {}).get("entry_into_force_on")
    awaiting = (
        rules is not None
        and rules.on_effective_date
        and definition.transitions_from(document.state, rules.on_effective_date)
    )
    return date.fromisoformat(effective) if awaiting and effective else None


def enter_into_force(
    session: Session, document_id: int, *, now: datetime | None = None
) -> Document | None:
    """For the scheduler: bring a convention into force once its date has come. Idempotent."""
    now = now or times.now_utc()
    with document_change(session, None, document_id, actor_label=audit.SCHEDULER) as change:
        document = change.document
        effective = awaited_entry_into_force(document)
        if effective is None or now < times.start_of_day(effective, times.forum_zone(session)):
            change.skip()
            return None
        trigger = definition_for(document).instruments.on_effective_date
        fire(
            change,
            trigger,
            comment=notes.note(notes.IN_FORCE_ON, date=effective.isoformat()),
            now=now,
            taken_on=effective,
        )
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
        raise InvalidInput(N_("not an amount: %(amount)s"), amount=repr(amount)) from None
    if amount <= 0:
        raise InvalidInput(N_("a pledge must be a positive amount"))
    donor_name = (donor_name or "").strip()
    if bool(donor) == bool(donor_name):
        raise InvalidInput(
            N_("name either a participant (donor) or an external donor (donor_name)")
        )
    if actor is None:
        raise NotPermitted(N_("pledges are recorded by a user"))
    with document_change(session, actor, document_id) as change:
        document = change.document
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
        change.record(
            "pledge_recorded",
            data={
                "pledge_id": pledge.id,
                "amount": str(amount),
                "donor": giver.code if giver else donor_name,
                "pledged_total": str(pledged_total(session, document.id)),
                "budget": str(document.budget) if document.budget is not None else None,
            },
        )
    return pledge
