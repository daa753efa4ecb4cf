"""Locks every operation takes before it reads what it will change.

On PostgreSQL: `SELECT ... FOR UPDATE` on the document, which also serialises the
document's audit chain (see workflow.audit); writers of different documents do not wait
for each other. The document's chain head (and a round, when the change is a round's)
are locked and read in the same statement, document first: one round trip instead of
three, and each row as committed by the writer we may have waited for (PostgreSQL
re-reads a locked row that changed while it waited). Changes of the forum's own record
and the creation of documents take named advisory locks. SQLite serialises writers
itself and refuses a stale writer.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from sqlalchemy import bindparam, event, select, text, true
from sqlalchemy.orm import Session, contains_eager

from models import AuditChainHead, Document, Forum, Round, Version
from workflow import times
from workflow.errors import N_, NotFound, StaleChange

FORUM_CHAIN = "audit_forum_chain"  # events with no document
DOCUMENT_SYMBOLS = "document_symbols"  # numbering of new documents
HELD = "concord.locked_rounds"  # session.info: round id -> Locked, until the transaction ends


@dataclass(frozen=True)
class Locked:
    """The rows a change holds locked. `chain_head` is None when it was not read with the
    lock (a document whose keyed chain has not begun): workflow.audit then reads it."""

    document: Document
    round: Round | None = None
    chain_head: AuditChainHead | None = None


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def serialize(session: Session, name: str) -> None:
    """Hold a named lock until the transaction ends (PostgreSQL; a no-op on SQLite)."""
    if _is_postgres(session):
        key = zlib.crc32(f"concord:{name}".encode())
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _check_version(document: Document, expected_lock_version: int | None) -> None:
    if expected_lock_version is not None and document.lock_version != expected_lock_version:
        raise StaleChange(
            N_(
                "%(symbol)s changed since you read it (version %(expected_lock_version)s, now %(lock_version)s): reload and try again"
            ),
            symbol=document.symbol,
            expected_lock_version=expected_lock_version,
            lock_version=document.lock_version,
        )


def _remember(session: Session, forum: Forum | None) -> None:
    """The forum row (its time zone, kinds of position, channels) comes with the lock, so
    the change reads it in the same round trip instead of one of its own."""
    if forum is not None:
        times.remember_forum(session, forum)


# The two locks every change takes, built once (each change only binds its id).
_LOCK_DOCUMENT = (
    select(Document, AuditChainHead, Forum)
    .join(AuditChainHead, AuditChainHead.chain == Document.id)
    .outerjoin(Forum, true())  # not locked: read along, every change needs it
    .where(Document.id == bindparam("document_id"))
    .with_for_update(of=[Document, AuditChainHead])
    .execution_options(populate_existing=True)
)
_LOCK_ROUND = (
    select(Document, Round, AuditChainHead, Forum)
    .join(Round, Round.document_id == Document.id)
    .join(Version, Version.id == Round.version_id)
    .join(AuditChainHead, AuditChainHead.chain == Document.id)
    .outerjoin(Forum, true())
    .where(Round.id == bindparam("round_id"))
    .options(contains_eager(Round.version))  # versions never change once circulated
    .with_for_update(of=[Document, Round, AuditChainHead])
    .execution_options(populate_existing=True)
)


def lock_document(
    session: Session, document_id: int, expected_lock_version: int | None = None
) -> Locked:
    row = session.execute(_LOCK_DOCUMENT, {"document_id": document_id}).first()
    if row is not None:
        document, head, forum = row
        _remember(session, forum)
    else:  # no such document, or its keyed chain has not begun
        document, head = (
            session.scalar(
                select(Document)
                .where(Document.id == document_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            ),
            None,
        )
    if document is None:
        raise NotFound(N_("no document %(document_id)s"), document_id=document_id)
    # Collections read before the lock may be stale: reload them on next use.
    session.expire(document, ["versions"])
    _check_version(document, expected_lock_version)
    return Locked(document, chain_head=head)


# A locked round's collections may have been read before the lock (stale): reload on use.
ROUND_COLLECTIONS = ("positions", "current_positions", "electors", "confirmations")


def lock_round(session: Session, round_id: int) -> Locked:
    """Lock the round's document, the round and the chain head; read its version too.
    A transaction that already holds them (a firing locks before it decides to act, then
    acts through an operation that locks) gets the same rows back without a query."""
    held = session.info.setdefault(HELD, {})
    if round_id in held:
        locked = held[round_id]
        session.expire(locked.round, ROUND_COLLECTIONS)
        return locked
    held[round_id] = locked = _lock_round(session, round_id)
    return locked


def _lock_round(session: Session, round_id: int) -> Locked:
    row = session.execute(_LOCK_ROUND, {"round_id": round_id}).first()
    if row is not None:
        document, round_, head, forum = row
        _remember(session, forum)
        session.expire(document, ["versions"])
    else:  # no such round, or its document's keyed chain has not begun
        document_id = session.scalar(select(Round.document_id).where(Round.id == round_id))
        if document_id is None:
            raise NotFound(N_("no round %(round_id)s"), round_id=round_id)
        document, head = lock_document(session, document_id).document, None
        round_ = session.scalar(
            select(Round)
            .where(Round.id == round_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    session.expire(round_, ROUND_COLLECTIONS)
    return Locked(document, round_, head)


def _forget_held(session: Session, *_args) -> None:
    """Row locks end with the transaction (however it ends: commit, rollback, close), and
    a rolled-back savepoint gives back those it took."""
    session.info.pop(HELD, None)


def _transaction_ended(session: Session, transaction) -> None:
    if transaction.parent is None:  # a savepoint's release keeps its locks
        _forget_held(session)


event.listen(Session, "after_transaction_end", _transaction_ended)
event.listen(Session, "after_soft_rollback", _forget_held)
