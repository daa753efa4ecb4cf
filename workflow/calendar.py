"""Calendar feeds: the deadlines that concern a user, for their calendar program.

Each user may hold one private feed address. Its secret is shown when it is issued
and kept only as a hash; renewing it replaces the old one, revoking it ends the feed.
The feed lists the deadlines of rounds awaiting the user's states (for the Secretariat
and observers: the rounds they may see), open or recently ended. A round's calendar
event keeps its identity for good; its revision grows when the deadline moves and
when the round ends before it, so calendar programs replace what they hold.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, joinedload

from models import CalendarFeed, Round, RoundElector, RoundStatus, User
from models.enums import OutcomeKind
from workflow import clock, visibility

SECRET_PREFIX = "cal_"
MAX_SECRET_LENGTH = 100
# Ended rounds stay in the feed this long, so a cancelled deadline reaches calendars.
ENDED_ROUNDS_KEPT = timedelta(days=60)
MAX_EVENTS = 1000
# `last_read_at` is written at most this often, so calendar programs' polling stays a read.
LAST_READ_RESOLUTION = timedelta(minutes=5)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_of(session: Session, user: User) -> CalendarFeed | None:
    return session.get(CalendarFeed, user.id)


def issue_feed(session: Session, user: User) -> str:
    """A new secret for `user`'s feed (the previous address stops working); shown once."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    feed = feed_of(session, user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        session.add(feed)
    feed.secret_hash, feed.created_at, feed.last_read_at = _hash(secret), clock.now(), None
    session.flush()
    return secret


def revoke_feed(session: Session, user: User) -> bool:
    """End `user`'s feed; False when there was none."""
    ended = session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    return bool(ended.rowcount)


def feed_owner(session: Session, secret: str | None) -> User | None:
    """The active user whose feed `secret` opens, else None. Records when it was read."""
    if not secret or len(secret) > MAX_SECRET_LENGTH or not secret.isascii():
        return None
    feed = session.scalar(
        select(CalendarFeed)
        .options(joinedload(CalendarFeed.user))
        .where(CalendarFeed.secret_hash == _hash(secret))
    )
    if feed is None or not feed.user.active:
        return None
    now = clock.now()
    if feed.last_read_at is None or now - feed.last_read_at >= LAST_READ_RESOLUTION:
        feed.last_read_at = now
    return feed.user


def rounds_for(session: Session, user: User, *, now: datetime | None = None) -> list[Round]:
    """The rounds with a deadline that concern `user`: open, or ended lately."""
    now = now or clock.now()
    query = (
        select(Round)
        .options(joinedload(Round.document), joinedload(Round.body), joinedload(Round.version))
        .where(Round.deadline_at.is_not(None))
        .where(or_(Round.status == RoundStatus.OPEN, Round.closed_at >= now - ENDED_ROUNDS_KEPT))
        .where(visibility.rounds_visible_to(user))
        .order_by(Round.deadline_at, Round.id)
        .limit(MAX_EVENTS)
    )
    if states := [state.id for state in user.represented_states]:
        electorates = select(RoundElector.round_id).where(RoundElector.participant_id.in_(states))
        query = query.where(Round.id.in_(electorates))
    return list(session.scalars(query).unique())


@dataclass(frozen=True)
class EventState:
    cancelled: bool
    sequence: int


def event_state(round_: Round) -> EventState:
    """Whether a round's deadline still stands, and the revision calendars compare.

    A round voided, or closed before its deadline (a broken silence, an early close),
    no longer has that deadline: its event is cancelled, one revision later."""
    ended_early = round_.status is RoundStatus.CLOSED and (
        round_.outcome is OutcomeKind.VOID
        or (round_.closed_at is not None and round_.closed_at < round_.deadline_at)
    )
    return EventState(cancelled=ended_early, sequence=round_.deadline_revision + ended_early)
