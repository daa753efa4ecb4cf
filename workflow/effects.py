"""Effects by name: what a transition changes beyond the document's state.

Each returns a small dict that goes into the transition's audit event, so one
event records the transition and everything it did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from models import ParticipantStatus
from workflow import catalogue, due_actions, notes, times
from workflow.guards import counting_instruments
from workflow.participants import set_status

if TYPE_CHECKING:
    from workflow.context import TransitionContext

Effect = Callable[["TransitionContext"], dict[str, Any] | None]
EFFECTS: dict[str, Effect] = {}


def effect(name: str):
    def register(function: Effect) -> Effect:
        EFFECTS[name] = function
        return function

    return register


def set_attributes(document, **values: Any) -> None:
    # `attributes` is plain JSON: assign a new dict so the change is seen.
    document.attributes = {**(document.attributes or {}), **values}


@effect("store_params")
def store_params(ctx):
    """Keep the transition's declared parameters on the document."""
    values = {name: ctx.params[name] for name in ctx.taken.params if name in ctx.params}
    values = {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
    set_attributes(ctx.document, **values)
    return {"params": values} if values else None


@effect("mark_for_revision")
def mark_for_revision(ctx):
    """Returned for revision: the next step needs a text newer than this one."""
    current = ctx.document.current_version
    number = current.number if current else 0
    set_attributes(ctx.document, revision_required_after=number)
    return {"revision_required_after": number}


@effect("amend_catalogue")
def amend_catalogue(ctx):
    """Apply the amendment's changes: the Catalogue's next edition, adopted on the day of the
    decision that adopts it."""
    document = ctx.document
    changes = catalogue.check_changes(ctx.session, (document.attributes or {})[catalogue.FIELD])
    number = catalogue.next_edition_number(ctx.session)
    catalogue.apply_changes(ctx.session, changes, number)
    version = document.current_version
    edition = catalogue.record_edition(
        ctx.session,
        number,
        adopted_on=ctx.taken_on,
        title=document.title,
        document_id=document.id,
        decision=ctx.decision,
        changes={
            "document": document.symbol,
            "version": version.label if version else None,
            "changes": changes,
        },
    )
    return {"catalogue_edition": edition.number}


@effect("grant_observer_status")
def grant_observer_status(ctx):
    return set_status(
        ctx.document.applicant,
        ParticipantStatus.OBSERVER,
        since=ctx.taken_on,
        note=notes.note(notes.OBSERVER_STATUS_GRANTED, symbol=ctx.document.symbol),
    )


@effect("admit_member")
def admit_member(ctx):
    return set_status(
        ctx.document.applicant,
        ParticipantStatus.MEMBER,
        since=ctx.taken_on,
        note=notes.note(notes.ADMITTED, symbol=ctx.document.symbol),
    )


def entry_into_force_date(session, document, days: int) -> date | None:
    """The threshold deposit date plus `days`, or None while the threshold is not reached."""
    counted = counting_instruments(session, document.id)
    threshold = document.threshold or 0
    if threshold < 1 or len(counted) < threshold:
        return None
    return counted[threshold - 1].deposited_on + timedelta(days=days)


@effect("schedule_entry_into_force")
def schedule_entry_into_force(ctx):
    return reschedule_entry_into_force(ctx.session, ctx.document, ctx.definition)


def reschedule_entry_into_force(session, document, definition) -> dict[str, Any]:
    days = definition.instruments.days_to_effect
    effective = entry_into_force_date(session, document, days)
    set_attributes(document, entry_into_force_on=effective.isoformat())
    due_at = times.start_of_day(effective, times.forum_zone(session))
    due_actions.schedule_entry_into_force(session, document, due_at)
    return {"entry_into_force_on": effective.isoformat()}


@effect("bring_into_force")
def bring_into_force(ctx):
    """Each counted instrument takes effect on the later of the entry into force and its own
    deposit plus the delay."""
    effective = date.fromisoformat(ctx.document.attributes["entry_into_force_on"])
    days = ctx.definition.instruments.days_to_effect
    for instrument in counting_instruments(ctx.session, ctx.document.id):
        instrument.effective_on = max(effective, instrument.deposited_on + timedelta(days=days))
    set_attributes(ctx.document, in_force_on=effective.isoformat())
    return {"in_force_on": effective.isoformat()}
