"""A third forum, fictitious and defined only in test data (tests/data/profiles/
lake_forum.toml and tests/data/workflows_fr/), passes its process with no code of its own:
other working languages (English and French), another time zone (Toronto), a chair who
drafts, kinds of position of its own (an abstention that does not block, a veto that does
and must give its grounds) and a letter of the Chair by which a position may arrive."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from isolated_db import isolated_runtime
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Decision, OutcomeKind, Position, RoundMode, User
from web import create_app
from workflow import clock
from workflow import operations as ops
from workflow.accounts import create_user
from workflow.errors import ConcordError, InvalidInput, NotPermitted
from workflow.registry import configure

DATA = Path(__file__).parents[1] / "data"
LAKE = DATA / "profiles" / "lake_forum.toml"
PASSWORD = "lake-test-password-1"
TEXTS = {"en": "The ports shall cooperate.", "fr": "Les ports coopèrent."}


@pytest.fixture
def lake_runtime(engine, tmp_path):
    configure(DATA / "workflows_fr", ("en", "fr"))
    try:
        with isolated_runtime(engine, tmp_path, profile=LAKE) as runtime:
            with runtime.transaction() as session:
                create_user(session, email="officer@lkf.test", name="Officer",
                            password=PASSWORD, secretariat=True)
                for code in ("CHE", "FRA", "BEL"):
                    create_user(session, email=f"{code.lower()}@lkf.test",
                                name=f"Delegate of {code}", password=PASSWORD,
                                delegate_of=[code])
            yield runtime
    finally:
        configure(None)


@pytest.fixture
def lake(lake_runtime) -> Iterator[Session]:
    with lake_runtime.sessions() as session:
        yield session


def _user(session, code: str) -> User:
    return session.scalar(select(User).where(User.email == f"{code.lower()}@lkf.test"))


def _in_council(session, drafter: User):
    document = ops.create_document(
        session, drafter, kind="resolution", title="Ports", texts=TEXTS
    )
    ops.fire_trigger(session, drafter, document.id, "circulate")
    round_ = ops.open_round(session, _user(session, "officer"), document.id, mode=RoundMode.MEETING)
    return document, round_


def test_the_chair_drafts_and_an_abstention_does_not_stand_in_the_way(lake):
    clock.set_now(datetime(2026, 3, 10, 16, 0, tzinfo=UTC))
    document, round_ = _in_council(lake, _user(lake, "CHE"))
    assert document.symbol.startswith("LKF/RES/1/")
    ops.record_position(lake, _user(lake, "BEL"), round_.id, participant="BEL", kind="abstention")
    ops.record_position(lake, _user(lake, "FRA"), round_.id, participant="FRA", kind="consent")
    closed = ops.close_round(lake, _user(lake, "officer"), round_.id)
    assert closed.outcome is OutcomeKind.CONSENSUS and document.state == "adopted"
    decision = lake.scalar(select(Decision).where(Decision.document_id == document.id))
    assert decision.symbol == "CNL/2026/1"


def test_a_delegate_of_a_state_not_in_the_chair_may_not_draft(lake):
    with pytest.raises(NotPermitted):
        ops.create_document(lake, _user(lake, "FRA"), kind="resolution", title="X", texts=TEXTS)


def test_a_veto_must_give_its_grounds_and_stands_in_the_way(lake):
    document, round_ = _in_council(lake, _user(lake, "CHE"))
    with pytest.raises(InvalidInput):
        ops.record_position(lake, _user(lake, "FRA"), round_.id, participant="FRA", kind="veto")
    ops.record_position(lake, _user(lake, "FRA"), round_.id, participant="FRA", kind="veto",
                        text="The text binds the ports beyond their charter.")
    closed = ops.close_round(lake, _user(lake, "officer"), round_.id)
    assert closed.outcome is OutcomeKind.NO_CONSENSUS and document.state == "drafting"


def test_kinds_of_another_forum_are_refused_here(lake):
    _document, round_ = _in_council(lake, _user(lake, "CHE"))
    with pytest.raises(ConcordError):
        ops.record_position(lake, _user(lake, "BEL"), round_.id, participant="BEL",
                            kind="reservation", text="A CICA kind.")


def test_a_position_by_letter_of_the_chair_needs_its_reference(lake):
    _document, round_ = _in_council(lake, _user(lake, "CHE"))
    officer = _user(lake, "officer")
    with pytest.raises(InvalidInput):
        ops.record_position(lake, officer, round_.id, participant="BEL", kind="consent",
                            channel="letter_of_the_chair")
    ops.record_position(lake, officer, round_.id, participant="BEL", kind="consent",
                        channel="letter_of_the_chair", reference="L/2026/7")
    position = lake.scalar(select(Position).where(Position.round_id == round_.id))
    assert (position.channel, position.reference) == ("letter_of_the_chair", "L/2026/7")


def test_pages_show_toronto_time_french_texts_and_the_forum_s_kinds(lake_runtime):
    with lake_runtime.transaction() as session:
        document, _round = _in_council(session, _user(session, "CHE"))
        document_id, round_id = document.id, _round.id
    app = create_app(runtime=lake_runtime)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/login", data={"email": "fra@lkf.test", "password": PASSWORD})
    page = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "Times are shown in America/Toronto." in page
    assert "Les ports coopèrent." in page and "français" in page.lower()
    form = client.get(f"/rounds/{round_id}/position").get_data(as_text=True)
    assert "Abstention" in form and "Veto" in form and "Agreement" in form
    assert "Reservation" not in form  # CICA's kinds are not this forum's
