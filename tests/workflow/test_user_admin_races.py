"""Races on PostgreSQL, each thread on its own connection with committed data: a link used
twice at once sets one password; two administrators deactivating each other at once leave
one active administrator."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from races import race, race_schema
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import AuditEvent, User
from workflow import user_admin as admin
from workflow.accounts import create_user
from workflow.errors import ConcordError

pytestmark = pytest.mark.postgres_only

ROUNDS = 4
PASSWORDS = ("amber kettle orbit lantern", "copper meadow violin harbour")


@pytest.fixture(scope="module")
def race_engine(engine: Engine) -> Iterator[Engine]:
    with race_schema(engine, pool_size=6) as races:
        yield races


def at_once(engine: Engine, *work: Callable[[Session], object]) -> list[object]:
    """Each piece of work's result, or the engine's refusal it met."""
    results = race(engine, {str(index): act for index, act in enumerate(work)})
    outcomes = []
    for result in results.values():
        if result.error is not None and not isinstance(result.error, ConcordError):
            raise result.error
        outcomes.append(result.error or result.value)
    return outcomes


def _user(session: Session, email: str, **roles) -> User:
    return create_user(
        session, email=email, name=email.split("@")[0], password="race-password-1", **roles
    )


def test_a_link_used_twice_at_once_sets_one_password(race_engine):
    for number in range(ROUNDS):
        with Session(race_engine) as session:
            officer = _user(session, f"officer{number}@race.example", secretariat=True)
            invited = admin.invite_user(
                session, officer, email=f"invited{number}@race.example", name="Invited"
            )
            secret, user_id = invited.link.secret, invited.user.id
            session.commit()
        results = at_once(
            race_engine,
            *(
                (lambda s, p=password, k=secret: admin.set_password_with_link(s, k, p))
                for password in PASSWORDS
            ),
        )
        assert sum(isinstance(r, User) for r in results) == 1, results
        assert sum(isinstance(r, admin.LinkGone) for r in results) == 1, results
        with Session(race_engine) as session:
            accepted = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "invitation_accepted")
            ).all()
            assert [e.data["user"] for e in accepted].count(user_id) == 1


def test_two_administrators_deactivating_each_other_leave_one(race_engine):
    for number in range(ROUNDS):
        with Session(race_engine) as session:
            # Only these two are active administrators.
            for old in session.scalars(select(User).where(User.active.is_(True))):
                if old.is_admin:
                    old.active = False
            first = _user(session, f"first{number}@race.example", admin=True)
            second = _user(session, f"second{number}@race.example", admin=True)
            ids = first.id, second.id
            session.commit()

        def deactivate(acting: int, target: int):
            return lambda s: admin.deactivate_user(s, s.get(User, acting), target)

        results = at_once(race_engine, deactivate(ids[0], ids[1]), deactivate(ids[1], ids[0]))
        refused = [r for r in results if isinstance(r, ConcordError)]
        assert len(refused) == 1, results
        with Session(race_engine) as session:
            active = [session.get(User, i).active for i in ids]
            assert active.count(True) == 1
