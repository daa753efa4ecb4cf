"""The audit trail: one event per change, chained by hash; tampering is found."""

from __future__ import annotations

import pytest
from engine_helpers import TEXTS
from sqlalchemy import delete, select, update

from models import AuditEvent, PositionKind, RoundMode
from workflow import audit
from workflow import operations as ops
from workflow.errors import StaleChange


def events(session, document):
    return session.scalars(
        select(AuditEvent).where(AuditEvent.document_id == document.id).order_by(AuditEvent.id)
    ).all()


@pytest.fixture
def history(session, cast, new_document):
    """A concept paper taken through a few changes."""
    paper = new_document("concept_paper")
    ops.fire_trigger(session, cast.coordinator, paper.id, "submit", comment="For the SWG")
    round_ = ops.open_round(session, cast.secretariat, paper.id, mode=RoundMode.MEETING)
    ops.record_position(session, cast.other, round_.id, participant="IND", kind="consent")
    ops.close_round(session, cast.secretariat, round_.id)
    session.expire_all()  # verify what the database holds
    return paper


def test_one_event_per_change(session, cast, history):
    rows = events(session, history)
    assert [e.action for e in rows] == [
        "document_created",
        "transition",
        "round_opened",
        "position_recorded",
        "round_closed",
        "transition",
    ]
    submit, closed_by_rule = rows[1], rows[5]
    assert (submit.from_state, submit.to_state, submit.comment) == (
        "drafting",
        "swg_review",
        "For the SWG",
    )
    assert submit.actor_label == cast.coordinator.email and submit.version_number == 1
    assert closed_by_rule.actor_id is None and closed_by_rule.actor_label == "system"
    assert closed_by_rule.data["trigger"] == "swg_agree"


def test_the_chain_verifies(session, history):
    assert audit.verify(session) is None


def test_an_edited_event_is_caught(session, history):
    target = events(session, history)[3]
    session.execute(
        update(AuditEvent).where(AuditEvent.id == target.id).values(comment="nothing happened")
    )
    session.expire_all()
    found = audit.find_break(session)
    assert found.event.id == target.id and "altered" in found.reason


def test_a_deleted_event_is_caught(session, history):
    rows = events(session, history)
    session.execute(delete(AuditEvent).where(AuditEvent.id == rows[2].id))
    session.expire_all()
    found = audit.find_break(session)
    assert found.event.id == rows[3].id and f"after event {rows[1].id}" in found.reason


def test_removing_the_newest_events_is_caught(session, history):
    """The chain cannot see its own tail cut; the head row can."""
    rows = events(session, history)
    session.execute(delete(AuditEvent).where(AuditEvent.id >= rows[4].id))
    session.expire_all()
    found = audit.find_break(session)
    assert found.event.id == rows[3].id and "were removed" in found.reason


def test_a_rehashed_edit_is_still_caught(session, history):
    """Recomputing the edited event's own hash breaks the link to the next one."""
    target = events(session, history)[2]
    target.comment = "forged"
    target.hash = target.compute_hash()
    session.flush()
    session.expire_all()
    assert audit.verify(session).id == target.id + 1


def test_a_stale_lock_version_is_refused(session, cast, new_document):
    paper = new_document("concept_paper")
    seen = paper.lock_version
    ops.add_version(session, cast.coordinator, paper.id, texts=TEXTS, expected_lock_version=seen)
    assert paper.lock_version > seen
    with pytest.raises(StaleChange, match="reload"):
        ops.fire_trigger(session, cast.coordinator, paper.id, "submit", expected_lock_version=seen)
    assert paper.state == "drafting"


def test_positions_record_who_entered_them(session, cast, new_document):
    paper = new_document("concept_paper")
    ops.fire_trigger(session, cast.coordinator, paper.id, "submit")
    round_ = ops.open_round(session, cast.secretariat, paper.id, mode=RoundMode.MEETING)
    ops.record_position(
        session,
        cast.secretariat,
        round_.id,
        participant="IND",
        kind=PositionKind.RESERVATION,
        text="Para 2",
        reference="NV-7",
    )
    event = events(session, paper)[-1]
    assert event.actor_id == cast.secretariat.id
    assert event.data["channel"] == "note_verbale" and event.data["reference"] == "NV-7"
