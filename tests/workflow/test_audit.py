"""The audit trail: one event per change, chained by hash; tampering is found."""

from __future__ import annotations

import pytest
from engine_helpers import TEXTS
from sqlalchemy import delete, select, update

from models import AuditChainHead, AuditEvent, PositionKind, RoundMode
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
    """Even with the key, recomputing the edited event's hash breaks the link to the next."""
    rows = events(session, history)
    target = rows[2]
    target.comment = "forged"
    target.hash = target.compute_hash(b"test-audit-key")
    session.flush()
    session.expire_all()
    assert audit.verify(session).id == rows[3].id


def test_a_chain_recomputed_without_the_key_is_caught(session, history):
    """Someone with the database but not the key rewrites an event and every later one."""
    rows = events(session, history)
    previous = rows[1].hash
    for event in rows[2:]:
        if event is rows[2]:
            event.comment = "forged"
        event.prev_hash = previous
        event.hash = previous = event.compute_hash(b"a guessed key")
    session.flush()
    session.expire_all()
    found = audit.find_break(session)
    assert found.event.id == rows[2].id and "without the key" in found.reason


def test_reordered_events_are_caught(session, history):
    rows = events(session, history)
    first, second = rows[2], rows[3]
    first.seq, second.seq = second.seq, first.seq
    session.flush()
    session.expire_all()
    found = audit.find_break(session)
    assert found.event.id == rows[2].id  # its place in the chain no longer follows


def test_a_removed_head_is_caught(session, history):
    session.execute(delete(AuditChainHead).where(AuditChainHead.chain == history.id))
    session.expire_all()
    found = audit.find_break(session)
    assert found.event.document_id == history.id and "head record was removed" in found.reason


def test_each_document_has_its_own_chain(session, history):
    rows = events(session, history)
    assert [e.seq for e in rows] == list(range(1, len(rows) + 1))
    head = session.get(AuditChainHead, history.id)
    assert (head.last_event_id, head.last_hash) == (rows[-1].id, rows[-1].hash)


def test_a_rotated_key_keeps_old_events_verifiable(session, cast, history):
    old_id = audit.key_id("test-audit-key")
    try:
        audit.configure_keys("the-new-key", ["test-audit-key"])
        audit.record(session, action="note", actor=cast.secretariat, document=history)
        session.expire_all()
        report = audit.check(session)
        assert report.broken is None
        assert [span.key for span in report.spans][-2:] == [old_id, audit.key_id("the-new-key")]
        audit.configure_keys("the-new-key")  # the old key forgotten: its events cannot verify
        found = audit.find_break(session)
        assert found is not None and "not among the configured audit keys" in found.reason
    finally:
        audit.configure_keys("test-audit-key")


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
