"""Browser sessions kept on the server: begun at sign-in, checked on every request, ended
for real by signing out, by "sign out everywhere", by a password change (the others) and
by deactivating the account (all of them).

The browser's signed cookie carries a random secret; the database keeps its SHA-256 hash,
so a copy of the table opens no session.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, joinedload

from models import User, UserSession
from models.user import WHO_THEY_ACT_FOR
from workflow import clock

# A session unused this long is over, whatever its cookie says.
IDLE_LIMIT = timedelta(hours=12)
# `last_seen_at` is written at most this often per session, so page views stay reads.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
MAX_USER_AGENT = 300
MAX_ADDRESS = 64


@dataclass(frozen=True)
class BegunSession:
    """A new session: `secret` goes into the browser's cookie and nowhere else."""

    row: UserSession
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def begin_session(session: Session, user: User, *, address: str, user_agent: str) -> BegunSession:
    secret = secrets.token_urlsafe(32)
    now = clock.now()
    row = UserSession(
        user=user,
        secret_hash=_hash(secret),
        created_at=now,
        last_seen_at=now,
        address=(address or "")[:MAX_ADDRESS],
        user_agent=(user_agent or "")[:MAX_USER_AGENT],
    )
    session.add(row)
    session.flush()
    return BegunSession(row=row, secret=secret)


def _live(row: UserSession | None) -> bool:
    return (
        row is not None
        and row.ended_at is None
        and clock.now() - row.last_seen_at < IDLE_LIMIT
        and row.user.active
    )


# Every signed-in page runs it: built once.
_SESSION_WITH_USER = (
    select(UserSession)
    .options(joinedload(UserSession.user).options(WHO_THEY_ACT_FOR))
    .where(UserSession.secret_hash == bindparam("secret_hash"))
)


def current_session(session: Session, secret: str | None) -> UserSession | None:
    """The live session this secret opens, else None. Records when it was last seen.
    Its user comes with their affiliations, as every page needs them."""
    if not isinstance(secret, str) or not secret or len(secret) > 100:
        return None
    row = session.scalars(_SESSION_WITH_USER, {"secret_hash": _hash(secret)}).unique().first()
    if not _live(row):
        return None
    now = clock.now()
    if now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
    return row


def active_sessions(session: Session, user: User) -> list[UserSession]:
    """The user's live sessions, the most recently used first."""
    rows = session.scalars(
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.last_seen_at > clock.now() - IDLE_LIMIT,
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(rows)


def end_session(session: Session, secret: str | None) -> None:
    """Sign out: this session's cookie opens nothing any more, wherever it was copied to."""
    if secret:
        session.execute(
            update(UserSession)
            .where(UserSession.secret_hash == _hash(secret), UserSession.ended_at.is_(None))
            .values(ended_at=clock.now())
        )


def end_sessions(session: Session, user: User, *, keep: UserSession | None = None) -> int:
    """End every session of `user` (but `keep`); how many were ended. Used by "sign out
    everywhere", a password change (keeping the one that changed it) and deactivation."""
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    result = session.execute(query.values(ended_at=clock.now()))
    return result.rowcount or 0
