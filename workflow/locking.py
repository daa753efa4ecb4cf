"""Locks every operation takes before it reads what it will change.

On PostgreSQL: `SELECT ... FOR UPDATE` on the document, which also serialises the
document's audit chain (see workflow.audit); writers of different documents do not wait
for each other. Changes of the forum's own record and the creation of documents take
named advisory locks. SQLite serialises writers itself and refuses a stale writer.
"""

from __future__ import annotations

import zlib

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from models import Document, Round
from workflow.errors import NotFound, StaleChange

FORUM_CHAIN = "audit_forum_chain"  # events with no document
DOCUMENT_SYMBOLS = "document_symbols"  # numbering of new documents


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def serialize(session: Session, name: str) -> None:
    """Hold a named lock until the transaction ends (PostgreSQL; a no-op on SQLite)."""
    if _is_postgres(session):
        key = zlib.crc32(f"concord:{name}".encode())
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def lock_document(
    session: Session, document_id: int, expected_lock_version: int | None = None
) -> Document:
    document = session.scalar(
        select(Document)
        .where(Document.id == document_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if document is None:
        raise NotFound(f"no document {document_id}")
    # Collections read before the lock may be stale: reload them on next use.
    session.expire(document, ["versions"])
    if expected_lock_version is not None and document.lock_version != expected_lock_version:
        raise StaleChange(
            f"{document.symbol} changed since you read it (version {expected_lock_version}, "
            f"now {document.lock_version}): reload and try again"
        )
    return document


def lock_round(session: Session, round_id: int) -> tuple[Round, Document]:
    """Lock the round's document, then re-read the round as committed."""
    document_id = session.scalar(select(Round.document_id).where(Round.id == round_id))
    if document_id is None:
        raise NotFound(f"no round {round_id}")
    document = lock_document(session, document_id)
    round_ = session.scalar(
        select(Round)
        .where(Round.id == round_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    session.expire(round_, ["positions", "electors"])
    return round_, document
