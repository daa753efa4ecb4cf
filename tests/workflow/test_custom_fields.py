"""Fields a definition declares for its documents: checked at load, entered on creation and
afterwards, kept on the document, and able to name the state concerned of a round."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_helpers import TEXTS
from sqlalchemy import select

from models import AuditEvent, PositionKind, RoundMode
from workflow import operations as ops
from workflow.errors import DefinitionError, GuardFailed, InvalidInput, NotPermitted
from workflow.loader import load_definition

MANDATE = Path(__file__).parent.parent / "data" / "workflows" / "mandate_extension.toml"
FIELDS = {"state_concerned": "tjk", "mandate_end": "2025-06-30", "unified_budget": "1250000.5"}


def mandate(session, actor, fields=FIELDS):
    return ops.create_document(
        session,
        actor,
        kind="mandate_extension",
        title="Extension of the mandate of the Programme Office",
        title_ru="Продление мандата Программного офиса",
        texts=TEXTS,
        fields=fields,
    )


def test_declared_fields_are_kept_checked_and_normalised(session, cast, with_mandates):
    document = mandate(session, cast.secretariat)
    assert document.custom_fields == {
        "state_concerned": "TJK",
        "mandate_end": "2025-06-30",
        "unified_budget": "1250000.50",
    }
    assert document.symbol == "MAND.DEC/1"  # no priority area asked for, none needed
    assert document.priority_area is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({**FIELDS, "mandate_end": "30 June"}, "mandate_end: '30 June' is not a date"),
        ({**FIELDS, "state_concerned": "ATL"}, "state_concerned: unknown code 'ATL'"),
        ({**FIELDS, "unified_budget": "a lot"}, "unified_budget: not an amount"),
        ({**FIELDS, "unified_budget": "-5"}, "unified_budget: not an amount"),
        ({**FIELDS, "remarks": "x" * 2001}, "remarks: a text of at most 2000"),
        ({**FIELDS, "colour": "blue"}, "has no field 'colour'"),
        ({"mandate_end": "2025-06-30"}, "state_concerned is required"),
        (None, "state_concerned is required"),
    ],
)
def test_a_bad_field_is_refused_and_nothing_written(session, cast, with_mandates, fields, message):
    with pytest.raises(InvalidInput, match=message):
        mandate(session, cast.secretariat, fields)
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "document_created")) is None


def test_fields_change_afterwards_and_the_change_is_recorded(session, cast, with_mandates):
    document = mandate(session, cast.secretariat)
    ops.set_fields(
        session,
        cast.secretariat,
        document.id,
        {"mandate_end": "2025-12-31", "unified_budget": None},
    )
    assert document.custom_fields == {"state_concerned": "TJK", "mandate_end": "2025-12-31"}
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "fields_changed"))
    assert event.data["changed"] == {
        "mandate_end": ["2025-06-30", "2025-12-31"],
        "unified_budget": ["1250000.50", None],
    }
    with pytest.raises(InvalidInput, match="mandate_end is required"):
        ops.set_fields(session, cast.secretariat, document.id, {"mandate_end": ""})
    with pytest.raises(NotPermitted):
        ops.set_fields(session, cast.proposer, document.id, {"remarks": "Mine"})
    assert document.custom_fields["mandate_end"] == "2025-12-31"


def test_a_final_document_s_fields_no_longer_change(session, cast, with_mandates):
    document = mandate(session, cast.secretariat)
    ops.fire_trigger(session, cast.secretariat, document.id, "withdraw")
    with pytest.raises(GuardFailed, match="its fields can no longer change"):
        ops.set_fields(session, cast.secretariat, document.id, {"remarks": "Late"})


def test_the_state_a_field_names_is_left_out_of_the_electorate(session, cast, with_mandates):
    document = mandate(session, cast.secretariat, {**FIELDS, "state_concerned": "KAZ"})
    ops.fire_trigger(session, cast.secretariat, document.id, "submit")
    round_ = ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)
    electors = {e.participant.code for e in round_.electors}
    assert "KAZ" not in electors and "CHN" in electors
    with pytest.raises(NotPermitted, match="not in the electorate"):
        ops.record_position(
            session,
            cast.secretariat,
            round_.id,
            participant="KAZ",
            kind=PositionKind.OBJECTION,
            text="We object.",
            reference="NV/1",
        )


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ('type = "date"', 'type = "calendar"', "custom_fields.mandate_end.type", "must be one of"),
        (
            "required = true\n\n[document.custom_fields.mandate_end]",
            'required = "yes"\n\n[document.custom_fields.mandate_end]',
            "custom_fields.state_concerned.required",
            "true or false",
        ),
        (
            "[document.custom_fields.remarks]",
            "[document.custom_fields.budget]",
            "custom_fields.budget",
            "built-in field",
        ),
        (
            "[document.custom_fields.remarks]",
            "[document.custom_fields.Remarks]",
            "custom_fields.Remarks",
            "lower_snake_case",
        ),
        ('type = "text"', 'type = "text"\nhint = "?"', "custom_fields.remarks.hint", "unknown key"),
        (
            'title = { en = "Remarks", ru = "Примечания" }\n',
            "",
            "custom_fields.remarks.title",
            "at least one language",
        ),
        (
            'electorate = "all_except:state_concerned"',
            'electorate = "all_except:remarks"',
            "round.electorate",
            "'remarks' is not a document field naming a participant",
        ),
    ],
)
def test_a_bad_field_declaration_is_named(tmp_path, old, new, key, reason):
    text = MANDATE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / MANDATE.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    assert error.value.file == str(path)
    assert key in error.value.key and reason in error.value.reason


def test_a_field_title_is_needed_in_each_working_language(tmp_path):
    text = MANDATE.read_text(encoding="utf-8")
    path = tmp_path / MANDATE.name
    path.write_text(text.replace(', ru = "Примечания"', "", 1), encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_definition(path, languages=("en", "ru"))
    assert error.value.key == "document.custom_fields.remarks.title"
