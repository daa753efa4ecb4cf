"""Firing triggers: permission, guards and effects through the definition's machine.

`fire` works on a document the caller has locked; `fire_trigger` is the operation
that locks, fires, audits and flushes. Round outcomes and deadlines fire as the
system (actor None).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from models import Document, OutcomeKind, Round, RoundStatus, User
from workflow import audit, due_actions, locking, times
from workflow.context import TransitionContext
from workflow.definitions import Definition, registry
from workflow.errors import (
    DefinitionError,
    GuardFailed,
    InvalidInput,
    NotPermitted,
    StaleChange,
    TriggerNotAllowed,
)
from workflow.permissions import describe, document_roles


def flush(session: Session) -> None:
    """Flush, turning a lost optimistic-lock race into a StaleChange."""
    try:
        session.flush()
    except StaleDataError:
        raise StaleChange(
            "someone else changed this document at the same time: reload and try again"
        ) from None


def touch(document: Document) -> None:
    """Mark the document changed, so its lock_version moves (optimistic concurrency)."""
    document.updated_at = times.now_utc()
    flag_modified(document, "updated_at")  # even when the clock did not move


def definition_for(document: Document) -> Definition:
    definition = registry().get(document.kind)
    if document.state not in definition.states:
        raise DefinitionError(
            definition.path,
            "states",
            f"{document.symbol} is in state {document.state!r}, which the {definition.kind} "
            f"definition (version {definition.version}) no longer has",
        )
    return definition


def _triggers_for(definition: Definition, state: str, roles: frozenset[str]) -> list[str]:
    return sorted({t.trigger for t in definition.transitions_from(state) if t.allowed & roles})


def permitted_triggers(session: Session, actor: User | None, document: Document) -> list[str]:
    """The triggers this actor may fire now (state and permission; guards not evaluated)."""
    definition = registry().get(document.kind)
    if document.state not in definition.states:
        return []
    return _triggers_for(definition, document.state, document_roles(actor, document))


def fire(
    session: Session,
    actor: User | None,
    document: Document,
    trigger: str,
    *,
    comment: str = "",
    params: dict[str, Any] | None = None,
    actor_label: str | None = None,
    now=None,
) -> Document:
    """Fire `trigger` on a locked document; audits it and voids rounds the move leaves behind."""
    definition = definition_for(document)
    roles = document_roles(actor, document)
    source = document.state
    candidates = definition.transitions_from(source, trigger)
    if not candidates:
        raise TriggerNotAllowed(trigger, source, _triggers_for(definition, source, roles))
    if not any(spec.allowed & roles for spec in candidates):
        allowed = frozenset().union(*(spec.allowed for spec in candidates))
        raise NotPermitted(
            f"only {describe(allowed)} may {trigger.replace('_', ' ')} {document.symbol}"
        )
    params = dict(params or {})
    accepted = {name for spec in candidates for name in spec.params}
    unknown = sorted(set(params) - accepted)
    if unknown:
        raise InvalidInput(f"'{trigger}' takes no parameter {unknown[0]!r}")

    ctx = TransitionContext(
        session, actor, document, definition, roles, comment=comment, params=params, now=now
    )
    if not definition.machine.events[trigger].trigger(ctx):
        refusals = [(name, reason) for name, reason in ctx.failures if name != "permission"]
        if not refusals:
            raise NotPermitted(f"you may not {trigger.replace('_', ' ')} {document.symbol}")
        raise GuardFailed(*refusals[0])

    data: dict[str, Any] = {"trigger": trigger, **ctx.audit_data}
    if document.definition_version != definition.version:
        data["definition_version"] = [document.definition_version, definition.version]
        document.definition_version = definition.version
    audit.record(
        session,
        action="transition",
        actor=actor,
        document=document,
        from_state=source,
        to_state=document.state,
        comment=comment,
        data=data,
        actor_label=actor_label,
    )
    if document.state != source:
        void_open_rounds(session, actor, document, reason=f"{trigger}: the document left {source}")
    touch(document)
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
) -> Document:
    document = locking.lock_document(session, document_id, expected_lock_version)
    fire(session, actor, document, trigger, comment=(comment or "").strip(), params=params)
    flush(session)
    return document


def void_open_rounds(
    session: Session,
    actor: User | None,
    document: Document,
    *,
    reason: str,
    keep_version_id: int | None = None,
) -> list[Round]:
    """Void every open round of the document (except those on `keep_version_id`)."""
    query = select(Round).where(Round.document_id == document.id, Round.status == RoundStatus.OPEN)
    if keep_version_id is not None:
        query = query.where(Round.version_id != keep_version_id)
    voided = list(session.scalars(query.with_for_update()))
    for round_ in voided:
        round_.status = RoundStatus.CLOSED
        round_.outcome = OutcomeKind.VOID
        round_.closed_at = times.now_utc()
        round_.closed_by_id = actor.id if actor is not None else None
        round_.outcome_note = reason
        due_actions.cancel_for_round(session, round_)
        audit.record(
            session,
            action="round_voided",
            actor=actor,
            document=document,
            from_state=document.state,
            to_state=document.state,
            comment=reason,
            data={"round_id": round_.id, "outcome": OutcomeKind.VOID.value},
        )
    return voided
