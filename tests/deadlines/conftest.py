"""Fixtures for the deadline tests.

Most tests use the shared rolled-back `session`. Tests of the scheduler, the sweep
and races need committed data seen by other connections and processes: they get
`committed`, a database of their own (a SQLite file, or a PostgreSQL schema in the
test database), dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from deadline_helpers import NOW, TEXTS
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bootstrap.profile import load_profile
from bootstrap.runtime import Runtime
from config.settings import DEFAULT_PROFILE, load_settings
from models import Base
from models.db import make_engine, make_session_factory
from workflow import clock, operations
from workflow.registry import configure


@pytest.fixture(autouse=True)
def _definitions():
    configure(None)
    yield


@pytest.fixture
def frozen_clock():
    clock.set_now(NOW)
    yield NOW
    clock.set_now(None)


@dataclass
class Cast:
    secretariat: object
    coordinator: object  # delegate of KAZ, the coordinator of MIL-1
    objector: object  # delegate of IND


@pytest.fixture
def cast(session, make_user) -> Cast:
    return Cast(
        secretariat=make_user(session, secretariat=True),
        coordinator=make_user(session, delegate_of=["KAZ"]),
        objector=make_user(session, delegate_of=["IND"]),
    )


@pytest.fixture
def soc_paper(session, cast, frozen_clock):
    """A concept paper before the SOC, which may decide under a silence procedure."""
    document = operations.create_document(
        session,
        cast.coordinator,
        kind="concept_paper",
        title="Concept paper on deadlines",
        title_ru="Документ",
        priority_area="MIL-1",
        proposer="KAZ",
        texts=TEXTS,
    )
    document.state = "soc_consideration"
    session.flush()
    return document


def _isolated_url(base_url: str, tmp_path: Path) -> tuple[str, str | None]:
    """A URL to an empty database of our own: (url, PostgreSQL schema or None)."""
    if not base_url.startswith("postgresql"):
        return f"sqlite:///{tmp_path / 'deadlines.sqlite3'}", None
    schema = f"deadlines_{uuid.uuid4().hex[:12]}"
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


@pytest.fixture
def committed(tmp_path, engine) -> Iterator[Runtime]:
    """A runtime on a database of its own with the CICA profile committed; dropped after."""
    url, schema = _isolated_url(engine.url.render_as_string(hide_password=False), tmp_path)
    if schema:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    own_engine = make_engine(url)
    Base.metadata.create_all(own_engine)
    with Session(own_engine) as session:
        load_profile(session, DEFAULT_PROFILE)
        session.commit()
    settings = load_settings(
        environ={},
        env="testing",
        database_url=url,
        instance_path=str(tmp_path / "instance"),
        secret_key="test-secret-key",
        audit_key="test-audit-key",
        sweep_interval_seconds=1,
    )
    runtime = Runtime(
        settings=settings, engine=own_engine, sessions=make_session_factory(own_engine)
    )
    try:
        yield runtime
    finally:
        own_engine.dispose()
        if schema:
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
