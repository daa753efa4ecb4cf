"""Fixtures for the HTML interface: an app bound to the test's rolled-back session, users per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import event
from web_helpers import NOW, VOLUNTEERISM

from models import Document, PositionKind, Round, RoundMode
from web import create_app
from workflow import clock, operations


class _RequestSession:
    """The test session as each request sees it: committing ends a savepoint, closing does nothing."""

    def __init__(self, session):
        self._session = session

    def close(self) -> None:
        pass

    def __getattr__(self, name):
        return getattr(self._session, name)


@pytest.fixture
def app(settings, session):
    app = create_app(settings, session_factory=lambda: _RequestSession(session))
    app.config["WTF_CSRF_ENABLED"] = False
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class World:
    users: dict[str, object]
    concept: Document  # in SOC consideration, with an open silence round
    silence: Round
    amendment: Document  # in SWG review, with an open meeting round
    meeting: Round
    restricted: Document
    convention: Document
    application: Document  # in secretariat_check... awaiting a round once forwarded


def build_world(session, make_user) -> World:
    clock.set_now(NOW)
    users = {
        "observer": make_user(session, observer_of=["JPN"]),
        "delegate_of_another_state": make_user(session, delegate_of=["IND"]),
        "delegate_of_the_state": make_user(session, delegate_of=["CHN"]),
        "coordinator": make_user(session, delegate_of=["KAZ"]),
        "secretariat": make_user(session, secretariat=True),
        "administrator": make_user(session, admin=True),
    }
    kaz, officer = users["coordinator"], users["secretariat"]
    texts = {"en": "# Paper\n\n1. First.", "ru": "# Документ\n\n1. Первое."}
    concept = operations.create_document(
        session,
        kaz,
        kind="concept_paper",
        title="Paper A",
        title_ru="Документ",
        priority_area="MIL-1",
        texts=texts,
    )
    operations.add_version(  # the Russian text left as it was: out of step
        session,
        kaz,
        concept.id,
        texts={"en": "# Paper\n\n1. First, amended."},
        circulate_unchanged=True,
    )
    operations.fire_trigger(session, kaz, concept.id, "submit")
    swg = operations.open_round(session, officer, concept.id, mode=RoundMode.MEETING)
    operations.record_position(session, kaz, swg.id, participant="KAZ", kind=PositionKind.CONSENT)
    operations.close_round(session, officer, swg.id)
    silence = operations.open_round(
        session,
        officer,
        concept.id,
        mode=RoundMode.SILENCE,
        deadline=NOW + timedelta(days=5),
        timezone="Asia/Almaty",
    )
    tur = make_user(session, delegate_of=["TUR"])
    amendment = operations.create_document(
        session,
        tur,
        kind="catalogue_amendment",
        title="Measure B",
        title_ru="Документ",
        proposer="TUR",
        texts=texts,
    )
    operations.propose_changes(session, tur, amendment.id, [VOLUNTEERISM])
    operations.fire_trigger(session, tur, amendment.id, "submit")
    meeting = operations.open_round(session, officer, amendment.id, mode=RoundMode.MEETING)
    restricted = operations.create_document(
        session,
        kaz,
        kind="concept_paper",
        title="Restricted paper",
        title_ru="Документ",
        priority_area="MIL-1",
        restricted=True,
        texts=texts,
    )
    convention = operations.create_document(
        session,
        officer,
        kind="convention",
        title="Convention C",
        title_ru="Документ",
        threshold=3,
        texts=texts,
    )
    application = operations.create_document(
        session,
        officer,
        kind="observer_application",
        title="Application D",
        title_ru="Документ",
        applicant="ECO",
        texts=texts,
    )
    operations.fire_trigger(session, officer, application.id, "begin_check")
    operations.fire_trigger(session, officer, application.id, "forward_to_soc")
    # Requests that fail roll back to here, not through the world (the test still rolls back all).
    session.commit()
    return World(users, concept, silence, amendment, meeting, restricted, convention, application)


@pytest.fixture
def world(session, make_user) -> World:
    return build_world(session, make_user)


class QueryCounter:
    def __init__(self):
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, _conn, _cursor, statement, *_args):
        self.count += 1
        self.statements.append(statement)


@pytest.fixture
def count_queries(session):
    """count_queries() -> a counter of the SQL statements the test's connection runs."""
    connection = session.connection()
    counters = []

    def start() -> QueryCounter:
        counter = QueryCounter()
        event.listen(connection, "before_cursor_execute", counter)
        counters.append(counter)
        return counter

    yield start
    for counter in counters:
        event.remove(connection, "before_cursor_execute", counter)


@pytest.fixture
def with_mandates(app, with_mandates):
    """After the app, whose creation puts the configured definitions in force."""
    return with_mandates
