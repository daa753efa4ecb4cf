"""A meeting round the definition lets have a deadline: still open at it, it lapses (no
consensus), fired once by the scheduler, as a written round does."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from engine_helpers import NOW, TEXTS
from sqlalchemy import select

from models import DueAction, DueActionKind, DueActionStatus, OutcomeKind, RoundMode
from workflow import clock
from workflow import operations as ops
from workflow.errors import DefinitionError, GuardFailed, InvalidInput
from workflow.firing import Outcome, fire_due
from workflow.loader import load_definition

MANDATE = Path(__file__).parent.parent / "data" / "workflows" / "mandate_extension.toml"
DEADLINE = NOW + timedelta(days=7)


def submitted(session, cast):
    document = ops.create_document(
        session,
        cast.secretariat,
        kind="mandate_extension",
        title="Extension of the mandate",
        title_ru="Продление мандата",
        texts=TEXTS,
        fields={"state_concerned": "TJK", "mandate_end": "2025-12-31"},
    )
    ops.fire_trigger(session, cast.secretariat, document.id, "submit")
    return document


def meeting_row(session, round_) -> DueAction:
    [row] = session.scalars(select(DueAction).where(DueAction.round_id == round_.id))
    return row


def test_a_meeting_still_open_at_its_deadline_lapses_once(session, cast, with_mandates):
    document = submitted(session, cast)
    round_ = ops.open_round(
        session, cast.secretariat, document.id, mode=RoundMode.MEETING, deadline=DEADLINE
    )
    row = meeting_row(session, round_)
    assert (row.kind, row.due_at) == (DueActionKind.MEETING_LAPSE, DEADLINE)
    clock.set_now(DEADLINE)
    with pytest.raises(GuardFailed, match="its deadline passed"):
        ops.close_round(session, cast.secretariat, round_.id)
    assert fire_due(session, row.id, now=DEADLINE) is Outcome.FIRED
    assert round_.outcome is OutcomeKind.LAPSED
    assert document.state == "drafting"  # on_failure: not extended, back for revision
    assert fire_due(session, row.id, now=DEADLINE) is Outcome.NOT_PENDING


def test_closed_before_its_deadline_the_row_is_cancelled(session, cast, with_mandates):
    document = submitted(session, cast)
    round_ = ops.open_round(
        session, cast.secretariat, document.id, mode=RoundMode.MEETING, deadline=DEADLINE
    )
    ops.close_round(session, cast.secretariat, round_.id)
    assert round_.outcome is OutcomeKind.CONSENSUS and document.state == "extended"
    assert meeting_row(session, round_).status is DueActionStatus.CANCELLED


def test_without_a_deadline_a_meeting_has_no_row(session, cast, with_mandates):
    document = submitted(session, cast)
    round_ = ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)
    assert session.scalars(select(DueAction).where(DueAction.round_id == round_.id)).all() == []


def test_a_meeting_the_definition_gives_no_deadline_refuses_one(session, cast, new_document):
    paper = new_document("concept_paper")
    ops.fire_trigger(session, cast.coordinator, paper.id, "submit")
    with pytest.raises(InvalidInput, match="a meeting round has no deadline"):
        ops.open_round(
            session, cast.secretariat, paper.id, mode=RoundMode.MEETING, deadline=DEADLINE
        )


def test_a_malformed_meeting_deadline_flag_is_named(tmp_path):
    path = tmp_path / MANDATE.name
    text = MANDATE.read_text(encoding="utf-8").replace(
        "meeting_deadline = true", 'meeting_deadline = "yes"', 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    assert error.value.key == "states.soc_decision.round.meeting_deadline"
