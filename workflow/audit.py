"""The audit trail: append-only events, each hashing the one before it.

`record` is called by operations inside their transaction (the caller holds the
chain lock, see workflow.locking). `verify` walks the chain and returns the first
event that was altered, or the first one after a removed event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, AuditHead, Document, User
from models.audit import GENESIS_HASH
from workflow import locking, times

SYSTEM = "system"
SCHEDULER = "scheduler"
PROFILE = "profile"  # loading the organisation profile


def _plain(data: dict[str, Any] | None) -> dict[str, Any]:
    """JSON as the database will give it back, so the hash verifies after a round trip."""
    return json.loads(json.dumps(data or {}, default=str, ensure_ascii=False))


def record(
    session: Session,
    *,
    action: str,
    actor: User | None,
    document: Document | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    version_number: int | None = None,
    comment: str = "",
    data: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    locking.serialize(session, locking.AUDIT_CHAIN)  # re-entrant; a no-op on SQLite
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    if document is not None and version_number is None and document.versions:
        version_number = document.current_version.number
    event = AuditEvent(
        # The id is part of the hash, so it is chosen here, under the chain lock.
        id=(last.id + 1) if last else 1,
        document_id=document.id if document is not None else None,
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else (actor_label or SYSTEM),
        at=times.now_utc(),
        action=action,
        from_state=from_state,
        to_state=to_state,
        version_number=version_number,
        comment=comment or "",
        data=_plain(data),
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    session.add(event)
    session.flush()
    _move_head(session, event)
    return event


def _move_head(session: Session, event: AuditEvent) -> None:
    head = session.get(AuditHead, 1)
    if head is None:
        session.add(AuditHead(id=1, last_event_id=event.id, last_hash=event.hash))
    else:
        head.last_event_id, head.last_hash = event.id, event.hash
    session.flush()


@dataclass(frozen=True)
class ChainBreak:
    event: AuditEvent
    reason: str

    def __str__(self) -> str:
        return f"audit event {self.event.id} ({self.event.action}, {self.event.at}): {self.reason}"


def find_break(session: Session, batch: int = 1000) -> ChainBreak | None:
    """The first event whose content or link does not verify, with the reason."""
    previous_hash, previous_id, last = GENESIS_HASH, 0, None
    query = select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=batch)
    for event in session.scalars(query):
        if event.prev_hash != previous_hash:
            gap = f"after event {previous_id}" if previous_id else "at the start"
            return ChainBreak(
                event, f"does not follow the chain: an event {gap} was removed or altered"
            )
        if event.compute_hash() != event.hash:
            return ChainBreak(event, "its content was altered after it was recorded")
        previous_hash, previous_id, last = event.hash, event.id, event
    head = session.get(AuditHead, 1)
    if head is not None and (previous_id, previous_hash) != (head.last_event_id, head.last_hash):
        if previous_id == 0:
            return ChainBreak(_placeholder(head), "every event up to this one was removed")
        return ChainBreak(
            last,
            f"the chain ends here but the newest event recorded was {head.last_event_id}: "
            "events after this one were removed",
        )
    return None


def _placeholder(head: AuditHead) -> AuditEvent:
    return AuditEvent(
        id=head.last_event_id, action="(removed)", at=times.now_utc(), hash=head.last_hash
    )


def verify(session: Session) -> AuditEvent | None:
    """The first altered event, or the first after a removed one; None when the chain holds."""
    found = find_break(session)
    return found.event if found else None
