"""A deadline on a document with a default outcome: a mandate not extended by its last day
ends, fired once by the scheduler; the row moves with the date and goes when the
document leaves the states the rule names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from engine_helpers import TEXTS
from sqlalchemy import select

from models import AuditEvent, DueAction, DueActionKind, DueActionStatus, OutcomeKind, RoundMode
from workflow import clock
from workflow import operations as ops
from workflow.errors import DefinitionError
from workflow.firing import Outcome, fire_due
from workflow.loader import load_definition

MANDATE = Path(__file__).parent.parent / "data" / "workflows" / "mandate_extension.toml"
# 30 June 2025 is the mandate's last day: it ends at midnight in Astana (UTC+5).
ENDS_AT = datetime(2025, 6, 30, 19, 0, tzinfo=UTC)


def mandate(session, cast, mandate_end="2025-06-30"):
    return ops.create_document(
        session,
        cast.secretariat,
        kind="mandate_extension",
        title="Extension of the mandate",
        title_ru="Продление мандата",
        texts=TEXTS,
        fields={"state_concerned": "TJK", "mandate_end": mandate_end},
    )


def rows(session, document) -> list[DueAction]:
    return list(
        session.scalars(
            select(DueAction)
            .where(
                DueAction.document_id == document.id,
                DueAction.kind == DueActionKind.DOCUMENT_DEADLINE,
            )
            .order_by(DueAction.id)
        )
    )


def test_a_mandate_not_extended_in_time_ends_once(session, cast, with_mandates):
    document = mandate(session, cast)
    ops.fire_trigger(session, cast.secretariat, document.id, "submit")
    round_ = ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)
    [action] = rows(session, document)
    assert (action.status, action.due_at) == (DueActionStatus.PENDING, ENDS_AT)

    early = ENDS_AT - timedelta(seconds=1)
    clock.set_now(early)
    assert fire_due(session, action.id, now=early) is Outcome.NOT_DUE
    clock.set_now(ENDS_AT)
    assert fire_due(session, action.id, now=ENDS_AT) is Outcome.FIRED
    assert document.state == "ended"
    assert round_.outcome is OutcomeKind.VOID  # the open round goes with the mandate
    assert action.status is DueActionStatus.FIRED
    assert fire_due(session, action.id, now=ENDS_AT) is Outcome.NOT_PENDING
    [step] = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.document_id == document.id, AuditEvent.action == "transition")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    assert step.to_state == "ended" and step.actor_id is None
    assert step.comment == "mandate_end passed: 2025-06-30"
    assert document.acted_on.isoformat() == "2025-07-01"


def test_the_row_moves_with_the_date_and_goes_when_the_mandate_is_extended(
    session, cast, with_mandates
):
    document = mandate(session, cast)
    ops.set_fields(session, cast.secretariat, document.id, {"mandate_end": "2025-12-31"})
    [action] = rows(session, document)
    assert action.due_at == datetime(2025, 12, 31, 19, 0, tzinfo=UTC)

    ops.fire_trigger(session, cast.secretariat, document.id, "submit")
    round_ = ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)
    ops.close_round(session, cast.secretariat, round_.id)  # extended by consensus
    assert document.state == "extended"
    assert [a.status for a in rows(session, document)] == [DueActionStatus.CANCELLED]


def test_a_row_left_behind_is_not_fired(session, cast, with_mandates):
    """A row that outlived its rule (the document moved without the engine's step) is
    settled, not fired."""
    document = mandate(session, cast)
    [action] = rows(session, document)
    document.state = "extended"
    clock.set_now(ENDS_AT)
    assert fire_due(session, action.id, now=ENDS_AT) is Outcome.STALE
    assert action.status is DueActionStatus.CANCELLED and document.state == "extended"


def test_no_row_for_a_process_without_a_deadline(session, cast, new_document):
    paper = new_document("concept_paper")
    assert rows(session, paper) == []


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        (
            'field = "mandate_end"',
            'field = "remarks"',
            "deadline.field",
            "not a declared field of type date",
        ),
        (
            'on_expiry = "mandate_ends"',
            'on_expiry = "submit"',
            "deadline.on_expiry",
            "must allow 'system'",
        ),
        (
            'on_expiry = "mandate_ends"',
            'on_expiry = "vanish"',
            "deadline.on_expiry",
            "no transition",
        ),
        (
            'states = ["drafting", "soc_decision"]',
            'states = ["ended"]',
            "deadline.states",
            "not a non-final state",
        ),
        ('states = ["drafting", "soc_decision"]', "states = []", "deadline.states", "at least one"),
    ],
)
def test_a_bad_deadline_is_named(tmp_path, old, new, key, reason):
    text = MANDATE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / MANDATE.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    assert key in error.value.key and reason in error.value.reason
