"""Firing triggers: permission, guards and effects through the definition's machine.

`fire` works inside a change (workflow.change) whose document is locked;
`fire_trigger` is the operation that opens that change. Round outcomes and
deadlines fire as the system.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from models import Document, User
from workflow import due_actions, notes
from workflow.acts import act_date
from workflow.change import Change, document_change
from workflow.closing import void_open_rounds
from workflow.context import TransitionContext
from workflow.errors import (
    N_,
    DefinitionError,
    GuardFailed,
    InvalidInput,
    NotPermitted,
    TriggerNotAllowed,
)
from workflow.machine import machine_for
from workflow.permissions import describe, document_roles
from workflow.registry import registry
from workflow.spec import Definition


def definition_for(document: Document) -> Definition:
    """The document's definition; a state the definition no longer has is refused."""
    definition = registry().get(document.kind)
    if document.state not in definition.states:
        raise DefinitionError(
            definition.path,
            "states",
            f"{document.symbol} is in state {document.state!r}, which the {definition.kind} "
            f"definition (version {definition.version}) no longer has",
        )
    return definition


def permitted_triggers(session: Session, actor: User | None, document: Document) -> list[str]:
    """The triggers this actor may fire now (state and permission; guards not evaluated)."""
    definition = registry().get(document.kind)
    if document.state not in definition.states:
        return []
    return definition.triggers_for(document.state, document_roles(actor, document))


def fire(
    change: Change,
    trigger: str,
    *,
    comment: str = "",
    params: dict[str, Any] | None = None,
    as_system: bool = False,
    now=None,
    taken_on: date | str | None = None,
) -> Document:
    """Fire `trigger` on the change's document; audits it and voids rounds the move leaves
    behind. `as_system`: a round's outcome or a deadline fires it, not the acting user.
    `taken_on`: the date of the act (default: the change's, else today)."""
    document = change.document
    actor = None if as_system else change.actor
    definition = definition_for(document)
    roles = document_roles(actor, document)
    source = document.state
    candidates = definition.transitions_from(source, trigger)
    if not candidates:
        raise TriggerNotAllowed(trigger, source, definition.triggers_for(source, roles))
    if not any(spec.allowed & roles for spec in candidates):
        allowed = frozenset().union(*(spec.allowed for spec in candidates))
        raise NotPermitted(
            N_("only %(value)s may %(trigger)s %(symbol)s"),
            value=describe(allowed),
            trigger=trigger.replace("_", " "),
            symbol=document.symbol,
        )
    params = dict(params or {})
    accepted = {name for spec in candidates for name in spec.params}
    unknown = sorted(set(params) - accepted)
    if unknown:
        raise InvalidInput(
            N_("'%(trigger)s' takes no parameter %(unknown)s"),
            trigger=trigger,
            unknown=repr(unknown[0]),
        )

    day = act_date(change.session, actor, document, taken_on or change.taken_on)
    ctx = TransitionContext(
        change.session,
        actor,
        document,
        definition,
        roles,
        comment=comment,
        params=params,
        now=now,
        taken_on=day,
        round_=change.round,
    )
    if not machine_for(definition).events[trigger].trigger(ctx):
        refusals = [(name, reason) for name, reason in ctx.failures if name != "permission"]
        if not refusals:
            raise NotPermitted(
                N_("you may not %(trigger)s %(symbol)s"),
                trigger=trigger.replace("_", " "),
                symbol=document.symbol,
            )
        raise GuardFailed(*refusals[0])

    change.act_on(day)
    data: dict[str, Any] = {"trigger": trigger, **ctx.audit_data}
    if document.definition_version != definition.version:
        data["definition_version"] = [document.definition_version, definition.version]
        document.definition_version = definition.version
    change.record(
        "transition",
        from_state=source,
        to_state=document.state,
        comment=comment,
        data=data,
        actor=actor,
    )
    if document.state != source:
        void_open_rounds(
            change, reason=notes.note(notes.DOCUMENT_LEFT, trigger=trigger, state=source)
        )
        due_actions.align_document_deadline(change.session, document, definition.document.deadline)
    return document


def fire_trigger(
    session: Session,
    actor: User | None,
    document_id: int,
    trigger: str,
    *,
    comment: str = "",
    expected_lock_version: int | None = None,
    params: dict | None = None,
    taken_on: date | str | None = None,
) -> Document:
    with document_change(
        session, actor, document_id, expected_lock_version=expected_lock_version
    ) as change:
        fire(change, trigger, comment=(comment or "").strip(), params=params, taken_on=taken_on)
    return change.document
