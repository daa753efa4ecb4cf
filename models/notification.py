"""The notification outbox: what a person is told, in the app and by e-mail.

Operations write rows in the transaction of the change that causes them (a rolled-back
change writes none); the scheduler process delivers them. One row per recipient: its
Message-ID is stable (`message_id`), so a message resent after a crash is the same message.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.user import User

# Delivery states of a row's e-mail (the in-app notice is the row itself).
PENDING, SENT, FAILED, CANCELLED, SKIPPED = "pending", "sent", "failed", "cancelled", "skipped"
STATUSES = (PENDING, SENT, FAILED, CANCELLED, SKIPPED)

# How a person wants each kind by e-mail.
IMMEDIATELY, DIGEST, OFF = "immediately", "digest", "off"
DELIVERIES = (IMMEDIATELY, DIGEST, OFF)


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_delivery", "status", "next_attempt_at"),
        Index("ix_notification_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("consensus_round.id"), index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(8), default="en")  # resolved when written
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Set when first claimed for sending, then never changed: a resend is the same message.
    message_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    # A reminder is written once per round, offset, deadline and person.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class NotificationPreference(Base):
    """A person's choice for one kind; no row: immediately."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    delivery: Mapped[str] = mapped_column(String(12), default=IMMEDIATELY)
