"""Append-only audit events: one HMAC chain per document, and one for the forum's own record.

Events from before the keyed chains (`key_id` is NULL) form one unkeyed SHA-256 chain
over all documents, closed by `AuditHead`; they stay verifiable as they were.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.user import User

GENESIS_HASH = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(254))  # e-mail, or "scheduler"
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str | None] = mapped_column(String(60))
    to_state: Mapped[str | None] = mapped_column(String(60))
    version_number: Mapped[int | None] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Place in its chain (the document's, or the forum's when document_id is NULL).
    seq: Mapped[int | None] = mapped_column()
    key_id: Mapped[str | None] = mapped_column(String(16))  # NULL: an unkeyed, older event

    actor: Mapped[User | None] = relationship()

    def canonical(self) -> str:
        """The fields the hash covers, in a stable text form."""
        fields = {"seq": self.seq, "key_id": self.key_id} if self.key_id else {"id": self.id}
        return json.dumps(
            {
                **fields,
                "document_id": self.document_id,
                "actor_id": self.actor_id,
                "actor_label": self.actor_label,
                "at": self.at.isoformat(timespec="microseconds"),
                "action": self.action,
                "from_state": self.from_state,
                "to_state": self.to_state,
                "version_number": self.version_number,
                "comment": self.comment,
                "data": self.data,
                "prev_hash": self.prev_hash,
            },
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )

    def compute_hash(self, key: bytes | None = None) -> str:
        """HMAC-SHA256 under `key` for keyed events; plain SHA-256 for the older ones."""
        if key is None:
            return hashlib.sha256(self.canonical().encode()).hexdigest()
        return hmac.new(key, self.canonical().encode(), hashlib.sha256).hexdigest()


class AuditChainHead(Base):
    """The newest event of one chain, so that cutting a chain's tail is detected too.

    `chain` is the document's id, or 0 for the forum's chain. The row is locked and
    moved in the transaction that records the event.
    """

    __tablename__ = "audit_chain_head"

    chain: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column()
    last_event_id: Mapped[int] = mapped_column()
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest unkeyed event (before the keyed chains), so cutting that tail is detected."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    last_event_id: Mapped[int] = mapped_column()
    last_hash: Mapped[str] = mapped_column(String(64))
