"""The sign-in throttle: every attempt is counted before any password is checked.

Each attempt adds one to a counter per e-mail address and per client address, in one
INSERT ... ON CONFLICT DO UPDATE ... RETURNING statement, committed at once. Parallel
attempts queue on that row, each learns its own number, and only those within the limit
go on to the password check: a burst cannot get more checks than the limit allows.
A counter starts again when its window has passed; a successful sign-in clears the
address's counter and gives back the attempt it took from the client's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import LoginAttempt
from workflow import clock

# One client address may try more often than one account: colleagues share an office.
ADDRESS_FACTOR = 4


@dataclass(frozen=True)
class Refusal:
    """Too many attempts: try again at `until`."""

    until: datetime

    @property
    def seconds(self) -> int:
        return max(1, math.ceil((self.until - clock.now()).total_seconds()))

    @property
    def minutes(self) -> int:
        return math.ceil(self.seconds / 60)


class LoginThrottle:
    def __init__(self, session: Session, attempts: int, window_seconds: int):
        self.session = session
        self.attempts = attempts
        self.window = timedelta(seconds=window_seconds)

    def attempt(self, email: str, address: str) -> Refusal | None:
        """Count one attempt and commit it; a Refusal when it is beyond a limit."""
        now = clock.now()
        refusals = []
        for key, limit in self._limits(email, address):
            count, window_start = self._count(key, now)
            if count > limit:
                refusals.append(Refusal(window_start + self.window))
        # Committed now, so that neither a refusal nor a 401 rolls the count back.
        self.session.commit()
        return max(refusals, key=lambda refusal: refusal.until) if refusals else None

    def succeeded(self, email: str, address: str) -> None:
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.key == f"email:{email}"))
        self.session.execute(
            update(LoginAttempt)
            .where(LoginAttempt.key == f"ip:{address}", LoginAttempt.count > 0)
            .values(count=LoginAttempt.count - 1)
        )

    def _count(self, key: str, now: datetime) -> tuple[int, datetime]:
        table = LoginAttempt.__table__
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(table).values(key=key, count=1, window_start=now)
        expired = table.c.window_start <= now - self.window
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "count": case((expired, statement.excluded.count), else_=table.c.count + 1),
                "window_start": case(
                    (expired, statement.excluded.window_start), else_=table.c.window_start
                ),
            },
        ).returning(table.c.count, table.c.window_start)
        count, window_start = self.session.execute(statement).one()
        return count, window_start

    def _limits(self, email: str, address: str):
        yield f"email:{email}", self.attempts
        yield f"ip:{address}", self.attempts * ADDRESS_FACTOR
