"""The coordinator's desk: the documents a delegate's states coordinate or proposed that
wait for their step (a draft to submit, a text sent back for revision), each with what
happened to it last. Steps that end a document (Withdraw) do not count as waiting."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import AuditEvent, Document, PriorityArea, PriorityAreaRole, User
from workflow.permissions import document_roles
from workflow.registry import registry

# Documents looked at, most recently changed first; the desk shows those that wait.
CANDIDATES = 200


@dataclass(frozen=True)
class DeskItem:
    document: Document
    steps: list[str]  # the triggers the user may take now
    last_event: AuditEvent | None


def _waiting_steps(user: User, document: Document) -> list[str]:
    definition = registry().get(document.kind)
    state = definition.states.get(document.state)
    if state is None or state.final:
        return []
    roles = document_roles(user, document)
    return [
        trigger
        for trigger in definition.triggers_for(document.state, roles)
        if not all(t.irreversible for t in definition.transitions_from(document.state, trigger))
    ]


def _last_events(session: Session, document_ids: list[int]) -> dict[int, AuditEvent]:
    if not document_ids:
        return {}
    latest = (
        select(func.max(AuditEvent.id))
        .where(AuditEvent.document_id.in_(document_ids))
        .group_by(AuditEvent.document_id)
    )
    events = session.scalars(select(AuditEvent).where(AuditEvent.id.in_(latest)))
    return {event.document_id: event for event in events}


def documents_awaiting(session: Session, user: User, *, limit: int = 20) -> list[DeskItem]:
    """The documents of the user's states that wait for the user's step, latest first."""
    states = [state.id for state in user.represented_states]
    if not states:
        return []
    coordinated = select(PriorityAreaRole.priority_area_id).where(
        PriorityAreaRole.participant_id.in_(states)
    )
    candidates = session.scalars(
        select(Document)
        .options(
            joinedload(Document.priority_area).selectinload(PriorityArea.roles),
            joinedload(Document.proposer),
            joinedload(Document.applicant),
            selectinload(Document.versions),
        )
        .where(
            or_(
                Document.priority_area_id.in_(coordinated),
                Document.proposer_id.in_(states),
                Document.applicant_id.in_(states),
            )
        )
        .order_by(Document.updated_at.desc(), Document.id.desc())
        .limit(CANDIDATES)
    ).unique()
    waiting = [(d, steps) for d in candidates if (steps := _waiting_steps(user, d))][:limit]
    events = _last_events(session, [d.id for d, _ in waiting])
    return [DeskItem(d, steps, events.get(d.id)) for d, steps in waiting]
