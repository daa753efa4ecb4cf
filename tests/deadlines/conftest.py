"""Fixtures for the deadline tests.

Most tests use the shared rolled-back `session`. Tests of the scheduler, the sweep
and races need committed data seen by other connections and processes: they get
`committed`, a database of their own (a SQLite file, or a PostgreSQL schema in the
test database), dropped afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from deadline_helpers import NOW, TEXTS
from isolated_db import isolated_runtime

from bootstrap.runtime import Runtime
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


@pytest.fixture
def committed(tmp_path, engine) -> Iterator[Runtime]:
    """A runtime on a database of its own with the CICA profile committed; dropped after."""
    with isolated_runtime(engine, tmp_path, sweep_interval_seconds=1) as runtime:
        yield runtime
