"""Kinds of statement a definition lists (an interpretative statement under a rule): a
position's text may name one; it travels with the position to the decision."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_helpers import TEXTS
from sqlalchemy import select

from models import Decision, PositionKind, RoundMode
from workflow import operations as ops
from workflow.errors import DefinitionError, InvalidInput
from workflow.loader import load_definition

MANDATE = Path(__file__).parent.parent / "data" / "workflows" / "mandate_extension.toml"


@pytest.fixture
def meeting(session, cast, with_mandates):
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
    return ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)


def test_an_interpretative_statement_is_attached_to_the_decision(session, cast, meeting):
    position = ops.record_position(
        session,
        cast.proposer,
        meeting.id,
        participant="CHN",
        kind=PositionKind.CONSENT_WITH_STATEMENT,
        text="China joins the consensus on the understanding that ...",
        statement_kind="interpretative",
    )
    assert position.statement_kind == "interpretative"
    ops.close_round(session, cast.secretariat, meeting.id)
    decision = session.scalar(select(Decision).where(Decision.round_id == meeting.id))
    [statement] = decision.attached["statements"]
    assert statement["participant"] == "CHN"
    assert statement["statement_kind"] == "interpretative"


@pytest.mark.parametrize(
    ("kind", "text", "statement_kind", "message"),
    [
        (PositionKind.CONSENT, "", "interpretative", "goes with the statement's text"),
        (
            PositionKind.CONSENT_WITH_STATEMENT,
            "Our reading.",
            "explanatory",
            "unknown kind of statement 'explanatory' \\(known: interpretative\\)",
        ),
    ],
)
def test_a_statement_kind_needs_a_text_and_a_known_code(
    session, cast, meeting, kind, text, statement_kind, message
):
    with pytest.raises(InvalidInput, match=message):
        ops.record_position(
            session,
            cast.proposer,
            meeting.id,
            participant="CHN",
            kind=kind,
            text=text,
            statement_kind=statement_kind,
        )


def test_a_process_without_statement_kinds_refuses_one(session, cast, new_document):
    paper = new_document("concept_paper")
    ops.fire_trigger(session, cast.coordinator, paper.id, "submit")
    round_ = ops.open_round(session, cast.secretariat, paper.id, mode=RoundMode.MEETING)
    with pytest.raises(InvalidInput, match="known: —"):
        ops.record_position(
            session,
            cast.proposer,
            round_.id,
            participant="CHN",
            kind=PositionKind.CONSENT_WITH_STATEMENT,
            text="Our reading.",
            statement_kind="interpretative",
        )


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ('attach = "decision"', 'attach = "minutes"', "statement_kinds[0].attach", "must be"),
        ('code = "interpretative"', 'code = "Interpretative"', "statement_kinds[0].code", "lower"),
        ('rule = "Rules', 'colour = "blue"\nrule = "Rules', "statement_kinds[0].colour", "unknown"),
    ],
)
def test_a_bad_statement_kind_is_named(tmp_path, old, new, key, reason):
    text = MANDATE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / MANDATE.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    assert error.value.key == key and reason in error.value.reason
