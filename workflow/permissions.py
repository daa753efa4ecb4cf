"""Who the acting user is with respect to a document: the roles definitions name.

A delegate acts only for the states they are affiliated to; "coordinator" means a
delegate of a coordinator state of the document's priority area, "proposer" a
delegate of the proposing state, "chair" a delegate of a participant holding the
forum's chair (the profile's `forum.chair`). Administrators are not secretariat.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import object_session

from models import Document, Participant, PriorityArea, User
from workflow import times
from workflow.errors import N_, NotPermitted

ROLE_DESCRIPTIONS = {
    "coordinator": "delegates of the coordinator state",
    "co_coordinator": "delegates of a co-coordinator state",
    "proposer": "delegates of the proposing state",
    "applicant": "delegates of the applicant",
    "donor": "delegates of the donor",
    "chair": "delegates of the chair",
    "secretariat": "the Secretariat",
    "system": "the system (a round outcome or a deadline)",
}
ROLES = frozenset(ROLE_DESCRIPTIONS)  # the roles a definition may name


def roles_for(
    actor: User | None,
    *,
    priority_area: PriorityArea | None = None,
    proposer: Participant | None = None,
    applicant: Participant | None = None,
    donor: Participant | None = None,
) -> frozenset[str]:
    if actor is None:
        return frozenset({"system"})
    if not actor.active:
        return frozenset()
    roles = set()
    if actor.is_secretariat:
        roles.add("secretariat")
    states = {p.id for p in actor.represented_states}
    if states:
        if priority_area is not None:
            roles.update(r.role.value for r in priority_area.roles if r.participant_id in states)
        for role, participant in (
            ("proposer", proposer),
            ("applicant", applicant),
            ("donor", donor),
        ):
            if participant is not None and participant.id in states:
                roles.add(role)
        if _holds_chair(actor):
            roles.add("chair")
    return frozenset(roles)


def _holds_chair(actor: User) -> bool:
    session = object_session(actor)
    forum = times.loaded_forum(session) if session is not None else None
    chair = forum.chair if forum is not None else ()
    return any(p.code in chair for p in actor.represented_states)


def document_roles(actor: User | None, document: Document) -> frozenset[str]:
    if actor is None:  # the system's roles need none of the document's parties loaded
        return roles_for(None)
    return roles_for(
        actor,
        priority_area=document.priority_area,
        proposer=document.proposer,
        applicant=document.applicant,
    )


def describe(roles: Iterable[str]) -> str:
    texts = [ROLE_DESCRIPTIONS[r] for r in sorted(roles) if r != "system"] or [
        ROLE_DESCRIPTIONS["system"]
    ]
    return " or ".join(texts)


def require(roles: frozenset[str], allowed: Iterable[str], what: str) -> None:
    allowed = frozenset(allowed)
    if not roles & allowed:
        raise NotPermitted(N_("only %(value)s may %(what)s"), value=describe(allowed), what=what)


def require_secretariat(actor: User | None, what: str) -> None:
    if actor is None or not actor.active or not actor.is_secretariat:
        raise NotPermitted(N_("only the Secretariat may %(what)s"), what=what)
