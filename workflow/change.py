"""One frame for every change: lock, check, act, audit, touch, flush.

An operation opens a frame on what it changes (a document, a round, or the forum
itself). The frame takes the locks before anything is read, hands the operation
the locked rows, and on a normal exit refuses to end without an audit event,
moves the document's lock_version and flushes. The caller's boundary commits.

    with document_change(session, actor, document_id) as change:
        ...check, act...
        change.record("version_added", data={...})
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from models import AuditChainHead, AuditEvent, Document, Round, User
from workflow import audit, locking, outbox, times
from workflow.errors import N_, StaleChange

_DEFAULT = object()


def flush(session: Session) -> None:
    """Flush, turning a lost optimistic-lock race into a StaleChange."""
    try:
        session.flush()
    except StaleDataError:
        raise StaleChange(
            N_("someone else changed this document at the same time: reload and try again")
        ) from None


def touch(document: Document) -> None:
    """Mark the document changed, so its lock_version moves (optimistic concurrency)."""
    document.updated_at = times.now_utc()
    flag_modified(document, "updated_at")  # even when the clock did not move


class Change:
    """The locked rows of one change and the audit events it writes."""

    def __init__(
        self,
        session: Session,
        actor: User | None,
        document: Document | None = None,
        *,
        round_: Round | None = None,
        actor_label: str | None = None,
        touches_document: bool = True,
        chain_head: AuditChainHead | None = None,
    ):
        self.session = session
        self.actor = actor
        self.document = document
        self.round = round_
        self.actor_label = actor_label
        # Recording a position leaves the document as it was, unless the round closes.
        self.touches_document = touches_document
        self.events: list[AuditEvent] = []
        # The document's audit chain head, when it was locked and read with the document.
        self.chain_head = chain_head
        # A flush of the document during the change moves its lock_version already.
        self.lock_version_at_start = document.lock_version if document is not None else None
        self.skipped = False
        self.taken_on: date | None = None  # the date of the act this change records, if any

    def act_on(self, day: date) -> None:
        """This change records an act of `day`: its events say so, the document remembers it."""
        self.taken_on = day
        document = self.document
        if document is not None and (document.acted_on is None or day > document.acted_on):
            document.acted_on = day

    def record(
        self,
        action: str,
        *,
        comment: str = "",
        data: dict[str, Any] | None = None,
        from_state: str | None | object = _DEFAULT,
        to_state: str | None | object = _DEFAULT,
        version_number: int | None = None,
        actor: User | None | object = _DEFAULT,
        actor_label: str | None = None,
    ) -> AuditEvent:
        """Write one audit event of this change (states default to the document's now)."""
        state = self.document.state if self.document is not None else None
        if self.taken_on is not None:
            data = {**(data or {}), "taken_on": self.taken_on.isoformat()}
        event = audit.record(
            self.session,
            action=action,
            actor=self.actor if actor is _DEFAULT else actor,
            document=self.document,
            from_state=state if from_state is _DEFAULT else from_state,
            to_state=state if to_state is _DEFAULT else to_state,
            version_number=version_number,
            comment=comment,
            data=data,
            actor_label=actor_label or self.actor_label,
            head=self.chain_head,
        )
        self.events.append(event)
        return event

    def skip(self) -> None:
        """Nothing to do after all (a deadline that moved, a round already closed)."""
        self.skipped = True

    def _document_moved(self) -> bool:
        """Was the document's row updated during this change (its lock_version moved)?"""
        return self.document.lock_version != self.lock_version_at_start

    def finish(self) -> None:
        if self.skipped:
            if self.events:
                raise RuntimeError("a skipped change must not write audit events")
            return
        if not self.events:
            raise RuntimeError("every change writes an audit event: this one wrote none")
        if self.document is not None and self.touches_document and not self._document_moved():
            touch(self.document)
        outbox.write_for_change(self)  # in this transaction: a rolled-back change tells no one
        flush(self.session)


@contextmanager
def document_change(
    session: Session,
    actor: User | None,
    document_id: int,
    *,
    expected_lock_version: int | None = None,
    actor_label: str | None = None,
) -> Iterator[Change]:
    """Lock the document (refusing a stale `expected_lock_version`) for one change."""
    locked = locking.lock_document(session, document_id, expected_lock_version)
    change = Change(
        session, actor, locked.document, actor_label=actor_label, chain_head=locked.chain_head
    )
    yield change
    change.finish()


@contextmanager
def round_change(
    session: Session,
    actor: User | None,
    round_id: int,
    *,
    actor_label: str | None = None,
    touches_document: bool = True,
) -> Iterator[Change]:
    """Lock the round's document, then the round, for one change."""
    locked = locking.lock_round(session, round_id)
    change = Change(
        session,
        actor,
        locked.document,
        round_=locked.round,
        actor_label=actor_label,
        touches_document=touches_document,
        chain_head=locked.chain_head,
    )
    yield change
    change.finish()


@contextmanager
def new_document_change(session: Session, actor: User | None) -> Iterator[Change]:
    """A change that creates a document: the operation sets `change.document` once added."""
    locking.serialize(session, locking.DOCUMENT_SYMBOLS)
    change = Change(session, actor, touches_document=False)
    yield change
    change.finish()


@contextmanager
def forum_change(
    session: Session, actor: User | None, *, actor_label: str | None = None
) -> Iterator[Change]:
    """A change of the forum's own record (participants, the profile), with no document."""
    locking.serialize(session, locking.FORUM_CHAIN)
    change = Change(session, actor, actor_label=actor_label)
    yield change
    change.finish()
