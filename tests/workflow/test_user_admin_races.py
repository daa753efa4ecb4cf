"""Races on PostgreSQL, each thread on its own connection with committed data: a link used
twice at once sets one password; two administrators deactivating each other at once leave
one active administrator."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from bootstrap.profile import load_profile
from config.settings import DEFAULT_PROFILE
from models import AuditEvent, Base, User
from models.db import make_engine
from workflow import user_admin as admin
from workflow.accounts import create_user
from workflow.errors import ConcordError

pytestmark = pytest.mark.postgres_only

ROUNDS = 4
PASSWORDS = ("amber kettle orbit lantern", "copper meadow violin harbour")


@pytest.fixture(scope="module")
def race_engine(engine: Engine) -> Iterator[Engine]:
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (CONCORD_TEST_DATABASE_URL)")
    schema = f"concord_users_race_{uuid.uuid4().hex[:10]}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = engine.url.render_as_string(hide_password=False)
    races = make_engine(url, connect_args={"options": f"-csearch_path={schema}"}, pool_size=6)
    try:
        Base.metadata.create_all(races)
        with Session(races) as session:
            load_profile(session, DEFAULT_PROFILE)
            session.commit()
        yield races
    finally:
        races.dispose()
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def at_once(engine: Engine, *work: Callable[[Session], object]) -> list[object]:
    """Run each piece of work in its own thread and transaction, released together."""
    barrier = threading.Barrier(len(work))
    results: list[object] = [None] * len(work)

    def run(index: int, act: Callable[[Session], object]) -> None:
        with Session(engine) as session:
            barrier.wait()
            try:
                results[index] = act(session)
                session.commit()
            except ConcordError as error:
                session.rollback()
                results[index] = error

    threads = [threading.Thread(target=run, args=(i, act)) for i, act in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


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
