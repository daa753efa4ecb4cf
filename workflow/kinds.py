"""The forum's kinds of position and entry channels, as the engine applies them.

They change only when a profile is loaded, so a session reads them once: whenever it reads
the forum row (`times.forum`), and then from `session.info` until it reads it again,
commits or rolls back.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from models.kinds import Channel, Channels, PositionKinds
from workflow import times
from workflow.errors import N_, InvalidInput

CACHE = times.KINDS_CACHE


def _read(session: Session) -> tuple[PositionKinds, Channels]:
    if CACHE not in session.info:
        times.forum(session)  # fills the cache
    return session.info[CACHE]


def position_kinds(session: Session) -> PositionKinds:
    return _read(session)[0]


def channels(session: Session) -> Channels:
    return _read(session)[1]


def blocking(session: Session) -> list[str]:
    """The codes of the kinds that stand in the way of consensus (objections)."""
    return position_kinds(session).blocking


def entry_channel(session: Session, entered_by: str, code: str | None = None) -> Channel:
    """The channel a position (or a capital's answer) arrives by: the forum's first one for
    a delegate; for the Secretariat, the one it names among its own, else its first."""
    found = channels(session).entered_by(entered_by)
    if not code:
        return found[0]
    chosen = next((c for c in found if c.code == code), None)
    if chosen is None:
        raise InvalidInput(
            N_("unknown channel %(channel)s: one of %(channels)s"),
            channel=repr(code),
            channels=", ".join(c.code for c in found),
        )
    return chosen


def forget(session: Session, *_args) -> None:
    """The forum's kinds changed (a profile was loaded), or what was read may be stale (a
    commit, a rollback): read them again when next needed."""
    session.info.pop(CACHE, None)


event.listen(Session, "after_soft_rollback", forget)
event.listen(Session, "after_commit", forget)  # like the forum row, read anew after a commit
