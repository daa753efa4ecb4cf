"""Who may see what: documents, rounds and history events, as a Python check and as SQL.

Member-state delegates, the Secretariat and administrators see everything.
Everyone else (observer delegates, accounts without an affiliation) sees what is
shared with observers: documents not marked restricted, and the rounds (with
their positions, outcomes and history events) of bodies that observers attend.
Who may *act* is the engine's business (workflow.permissions).

Each rule is written twice, side by side: the predicate for a row in hand, the
filter for a query. Pages, the API, CSV exports and history all use these.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select, true

from models import AuditEvent, Body, Decision, Document, Round, User


def sees_everything(user: User) -> bool:
    return bool(user.represented_states) or user.is_secretariat or user.is_admin


# ---------------------------------------------------------------- documents


def can_see_document(user: User, document: Document) -> bool:
    return sees_everything(user) or not document.restricted


def documents_visible_to(user: User) -> ColumnElement[bool]:
    """A filter on Document."""
    return true() if sees_everything(user) else Document.restricted.is_(False)


# ---------------------------------------------------------------- rounds


def can_see_round(user: User, round_: Round) -> bool:
    if sees_everything(user):
        return True
    return not round_.document.restricted and round_.body.observers_attend


def _attended_bodies():
    return select(Body.id).where(Body.observers_attend.is_(True))


def rounds_visible_to(user: User) -> ColumnElement[bool]:
    """A filter on Round (no join needed)."""
    if sees_everything(user):
        return true()
    shared_documents = select(Document.id).where(Document.restricted.is_(False))
    return and_(Round.document_id.in_(shared_documents), Round.body_id.in_(_attended_bodies()))


# ---------------------------------------------------------------- history


def can_see_event(user: User, event: AuditEvent, round_: Round | None) -> bool:
    """`round_`: the round the event is about (its opening, a position, its close), if any;
    an event of a round the user may not see stays hidden."""
    return round_ is None or can_see_round(user, round_)


def events_visible_to(user: User) -> ColumnElement[bool]:
    """A filter on AuditEvent, for the history of a document the user may see."""
    if sees_everything(user):
        return true()
    round_id = AuditEvent.data["round_id"].as_integer()
    hidden = select(Round.id).where(Round.body_id.not_in(_attended_bodies()))
    return or_(round_id.is_(None), round_id.not_in(hidden))


# ---------------------------------------------------------------- decisions


def can_see_decision(user: User, decision: Decision) -> bool:
    """A decision is seen by whoever may see its document and the round that took it."""
    if not can_see_document(user, decision.document):
        return False
    return decision.round is None or can_see_round(user, decision.round)


def decisions_visible_to(user: User) -> ColumnElement[bool]:
    """A filter on Decision."""
    if sees_everything(user):
        return true()
    shared_documents = select(Document.id).where(Document.restricted.is_(False))
    return and_(
        Decision.document_id.in_(shared_documents),
        or_(Decision.round_id.is_(None), Decision.body_id.in_(_attended_bodies())),
    )
