"""The audit trail: append-only events in one HMAC chain per document, plus the forum's.

Each event's hash is an HMAC-SHA256, under a key that is not in the database, of its
content, its place in its chain (`seq`) and the previous event's hash. Each chain's newest
event is named by its row in `audit_chain_head`, locked and moved in the transaction
that records the event: writers of one document wait for each other (they already hold
the document's row lock), writers of different documents do not. The forum's chain
(events with no document) is serialised by its own lock.

Events recorded before the keyed chains (`key_id` NULL) form one unkeyed SHA-256 chain
closed by `audit_head`; `find_break` checks it as before.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from models import AuditChainHead, AuditEvent, AuditHead, Document, User
from models.audit import GENESIS_HASH
from workflow import locking, times

SYSTEM = "system"
SCHEDULER = "scheduler"
PROFILE = "profile"  # loading the organisation profile
FORUM_CHAIN = 0  # the chain of events with no document
UNKEYED = "unkeyed"  # how spans of the older, unkeyed events are reported


def key_id(key: str) -> str:
    """A short name for a key, stored with each event; it does not reveal the key."""
    return hmac.new(key.encode(), b"concord audit key id", hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class Keys:
    current: str
    retired: tuple[str, ...] = ()

    @cached_property
    def current_id(self) -> str:
        return key_id(self.current)

    def by_id(self) -> dict[str, bytes]:
        return {key_id(k): k.encode() for k in (*self.retired, self.current)}


_keys: Keys | None = None


def configure_keys(current: str, retired: Iterable[str] = ()) -> None:
    """Sign new events with `current`; verify older ones with `retired` as well."""
    global _keys
    if not current:
        raise ValueError("an audit key is required")
    _keys = Keys(current, tuple(k for k in retired if k))


def keys() -> Keys:
    if _keys is None:
        raise RuntimeError("audit keys are not configured (see configure_keys)")
    return _keys


def _plain(data: dict[str, Any] | None) -> dict[str, Any]:
    """JSON as the database will give it back, so the hash verifies after a round trip."""
    return json.loads(json.dumps(data or {}, default=str, ensure_ascii=False))


# An event and its chain's head are written as plain SQL, not through the session's unit
# of work: every change writes one or more, and nothing reads them back as objects in the
# transaction that writes them (events are append-only; the head is locked by the writer).
_events = AuditEvent.__table__
_heads = AuditChainHead.__table__
_EVENT_FIELDS = tuple(c.key for c in _events.columns if c.key != "id")
_INSERT_EVENT = insert(_events).returning(_events.c.id)
_INSERT_HEAD = insert(_heads)
_MOVE_HEAD = (
    update(_heads)
    .where(_heads.c.chain == bindparam("chain_"))
    .values(
        last_seq=bindparam("seq_"),
        last_event_id=bindparam("event_id_"),
        last_hash=bindparam("hash_"),
    )
)


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
    head: AuditChainHead | None = None,
) -> AuditEvent:
    """Append an event to its chain; callers hold the document's lock (or the forum's).

    `head`: the chain's head row when the caller locked and read it with the document
    (workflow.locking); otherwise it is read here. Returns the event as written, an object
    outside the session (its id set)."""
    signing = keys()
    chain = document.id if document is not None else FORUM_CHAIN
    if document is None:
        locking.serialize(session, locking.FORUM_CHAIN)  # re-entrant; a no-op on SQLite
    if head is None or head.chain != chain:
        head = session.scalar(
            select(AuditChainHead).where(AuditChainHead.chain == chain).with_for_update()
        )
    if document is not None and version_number is None and document.versions:
        version_number = document.current_version.number
    event = AuditEvent(
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
        seq=head.last_seq + 1 if head else 1,
        key_id=signing.current_id,
        prev_hash=head.last_hash if head else GENESIS_HASH,
    )
    event.hash = event.compute_hash(signing.current.encode())
    event.id = session.execute(
        _INSERT_EVENT, {name: getattr(event, name) for name in _EVENT_FIELDS}
    ).scalar_one()
    if head is None:
        session.execute(
            _INSERT_HEAD,
            {
                "chain": chain,
                "last_seq": event.seq,
                "last_event_id": event.id,
                "last_hash": event.hash,
            },
        )
    else:
        session.execute(
            _MOVE_HEAD,
            {"chain_": chain, "seq_": event.seq, "event_id_": event.id, "hash_": event.hash},
        )
        # The loaded head follows the row, as read: the next event of this change chains on.
        set_committed_value(head, "last_seq", event.seq)
        set_committed_value(head, "last_event_id", event.id)
        set_committed_value(head, "last_hash", event.hash)
    return event


@dataclass(frozen=True)
class ChainBreak:
    event: AuditEvent
    reason: str

    def __str__(self) -> str:
        return f"audit event {self.event.id} ({self.event.action}, {self.event.at}): {self.reason}"


@dataclass
class Span:
    """Consecutive events (by id) verified with one key."""

    key: str  # a key id, or UNKEYED
    first_id: int
    last_id: int
    count: int = 1

    def __str__(self) -> str:
        name = "no key (before keyed chains)" if self.key == UNKEYED else f"key {self.key}"
        return f"events {self.first_id}-{self.last_id} ({self.count}): {name}"


@dataclass
class Report:
    broken: ChainBreak | None = None
    spans: list[Span] = field(default_factory=list)

    def note(self, event: AuditEvent) -> None:
        key = event.key_id or UNKEYED
        if self.spans and self.spans[-1].key == key:
            self.spans[-1].last_id = event.id
            self.spans[-1].count += 1
        else:
            self.spans.append(Span(key, event.id, event.id))


@dataclass
class _Link:
    seq: int
    hash: str
    event: AuditEvent


def _check_keyed(event: AuditEvent, previous: _Link | None, known: dict[str, bytes]) -> str:
    """Why `event` does not follow `previous` in its chain, or '' when it does."""
    key = known.get(event.key_id)
    if key is None:
        return f"signed with key {event.key_id}, which is not among the configured audit keys"
    if previous is None and (event.seq != 1 or event.prev_hash != GENESIS_HASH):
        return "its chain's earlier events were removed"
    if previous is not None and event.seq <= previous.seq:
        return f"out of order: it comes after event {previous.event.id} of its chain"
    if previous is not None and (event.seq != previous.seq + 1 or event.prev_hash != previous.hash):
        return (
            f"does not follow the chain: an event after event {previous.event.id} "
            "was removed or altered"
        )
    if not hmac.compare_digest(event.compute_hash(key), event.hash):
        return (
            "its content was altered after it was recorded "
            f"(the hash does not verify with key {event.key_id}: altered, or recomputed "
            "without the key)"
        )
    return ""


def _check_unkeyed(event: AuditEvent, previous: _Link | None) -> str:
    previous_hash = previous.hash if previous else GENESIS_HASH
    if event.prev_hash != previous_hash:
        gap = f"after event {previous.event.id}" if previous else "at the start"
        return f"does not follow the chain: an event {gap} was removed or altered"
    if event.compute_hash() != event.hash:
        return "its content was altered after it was recorded"
    return ""


def check(session: Session, batch: int = 1000) -> Report:
    """Walk every chain; the first event that does not verify, and the keys that did."""
    known = keys().by_id()
    report = Report()
    chains: dict[int, _Link] = {}
    unkeyed: _Link | None = None
    query = select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=batch)
    for event in session.scalars(query):
        if event.key_id is None:
            reason = _check_unkeyed(event, unkeyed)
            unkeyed = _Link(0, event.hash, event)
        else:
            chain = event.document_id if event.document_id is not None else FORUM_CHAIN
            reason = _check_keyed(event, chains.get(chain), known)
            chains[chain] = _Link(event.seq, event.hash, event)
        if reason:
            report.broken = ChainBreak(event, reason)
            return report
        report.note(event)
    report.broken = _check_heads(session, chains, unkeyed)
    return report


def _check_heads(
    session: Session, chains: dict[int, _Link], unkeyed: _Link | None
) -> ChainBreak | None:
    """Each head row names its chain's last event: a cut-off tail is found here."""
    for head in session.scalars(select(AuditChainHead).order_by(AuditChainHead.chain)):
        last = chains.pop(head.chain, None)
        if last is None:
            return ChainBreak(
                _placeholder(head.last_event_id, head.last_hash),
                "every event of its chain up to this one was removed",
            )
        if (last.seq, last.hash) != (head.last_seq, head.last_hash):
            return ChainBreak(
                last.event,
                f"the chain ends here but the newest event recorded was {head.last_event_id}: "
                "events after this one were removed",
            )
    if chains:
        orphan = min(chains.values(), key=lambda link: link.event.id)
        return ChainBreak(orphan.event, "its chain's head record was removed")
    head = session.get(AuditHead, 1)
    if head is not None:
        if unkeyed is None:
            return ChainBreak(
                _placeholder(head.last_event_id, head.last_hash),
                "every event up to this one was removed",
            )
        if (unkeyed.event.id, unkeyed.hash) != (head.last_event_id, head.last_hash):
            return ChainBreak(
                unkeyed.event,
                f"the chain ends here but the newest event recorded was {head.last_event_id}: "
                "events after this one were removed",
            )
    return None


def _placeholder(event_id: int, hash_: str) -> AuditEvent:
    return AuditEvent(id=event_id, action="(removed)", at=times.now_utc(), hash=hash_)


def find_break(session: Session, batch: int = 1000) -> ChainBreak | None:
    """The first event whose content or link does not verify, with the reason."""
    return check(session, batch).broken


def verify(session: Session) -> AuditEvent | None:
    """The first altered event, or the first after a removed one; None when the chain holds."""
    found = find_break(session)
    return found.event if found else None
