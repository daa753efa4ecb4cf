"""Races on PostgreSQL: a schema of a test module's own with committed data, and jobs run
each in its own thread, session and transaction, released together from a barrier."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bootstrap.profile import load_profile
from config.settings import DEFAULT_PROFILE
from models import Base
from models.db import make_engine

JOIN_TIMEOUT = 60


@contextmanager
def race_schema(engine: Engine, *, pool_size: int) -> Iterator[Engine]:
    """An engine on a new schema of the suite's PostgreSQL database with the default profile
    committed; the schema is dropped afterwards. Skips the test on SQLite."""
    if engine.dialect.name != "postgresql":
        pytest.skip("races need PostgreSQL (CONCORD_TEST_DATABASE_URL)")
    schema = f"concord_race_{uuid.uuid4().hex[:10]}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = engine.url.render_as_string(hide_password=False)
    races = make_engine(url, connect_args={"options": f"-csearch_path={schema}"}, pool_size=pool_size)
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


@dataclass
class Result:
    name: str
    value: object = None
    error: BaseException | None = None
    meta: dict = field(default_factory=dict)


def race(engine: Engine, jobs: dict[str, Callable[[Session], object]]) -> dict[str, Result]:
    """Run each job in its own thread and session, lined up on a barrier; commit, or roll back
    and keep the error for the test to judge."""
    barrier = threading.Barrier(len(jobs))
    results = {name: Result(name) for name in jobs}

    def run(name: str, job) -> None:
        with Session(engine, expire_on_commit=False) as session:
            try:
                session.execute(text("SELECT 1"))  # connect before the start line
                barrier.wait(timeout=JOIN_TIMEOUT)
                results[name].value = job(session)
                session.commit()
            except BaseException as error:  # recorded, judged by the test
                session.rollback()
                results[name].error = error

    threads = [threading.Thread(target=run, args=item, name=item[0]) for item in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
        assert not thread.is_alive(), f"{thread.name} is stuck (deadlock?)"
    return results
