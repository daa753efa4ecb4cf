"""Firing one due action, in the test's rolled-back transaction: exactly once, or not at all."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from deadline_helpers import DEADLINE, NOW, closures_per_round, transitions_per_document
from sqlalchemy import event, select

from models import (
    AuditEvent,
    DueAction,
    DueActionKind,
    DueActionStatus,
    InstrumentKind,
    OutcomeKind,
    PositionKind,
    RoundMode,
)
from workflow import clock, locking, operations
from workflow.firing import Outcome, fire_due

POSITIONS = re.compile(r"\b(FROM|JOIN) position\b")


def the_due_action(session, round_) -> DueAction:
    [action] = session.scalars(select(DueAction).where(DueAction.round_id == round_.id))
    return action


def audit_count(session, document) -> int:
    return len(
        list(session.scalars(select(AuditEvent).where(AuditEvent.document_id == document.id)))
    )


@pytest.fixture
def silence(session, cast, soc_paper):
    return operations.open_round(
        session, cast.secretariat, soc_paper.id, mode=RoundMode.SILENCE, deadline=DEADLINE
    )


def test_silence_without_objection_ends_in_consensus_at_its_deadline_once(
    session, silence, soc_paper
):
    action = the_due_action(session, silence)
    assert (action.kind, action.status, action.due_at) == (
        DueActionKind.SILENCE_EXPIRY,
        DueActionStatus.PENDING,
        DEADLINE,
    )
    one_second_early = DEADLINE - timedelta(seconds=1)
    clock.set_now(one_second_early)
    assert fire_due(session, action.id, now=one_second_early) is Outcome.NOT_DUE
    assert silence.is_open and action.status is DueActionStatus.PENDING

    clock.set_now(DEADLINE)
    assert fire_due(session, action.id, now=DEADLINE) is Outcome.FIRED
    assert silence.outcome is OutcomeKind.CONSENSUS
    assert soc_paper.state == "approved"  # the workflow's consensus trigger fired
    assert (action.status, action.fired_at) == (DueActionStatus.FIRED, DEADLINE)
    transitions = session.scalars(
        select(AuditEvent).where(
            AuditEvent.document_id == soc_paper.id, AuditEvent.action == "transition"
        )
    ).all()
    assert [(e.from_state, e.to_state, e.actor_id) for e in transitions] == [
        ("soc_consideration", "approved", None)
    ]


def test_a_deadline_fired_twice_acts_once(session, silence, soc_paper):
    action = the_due_action(session, silence)
    clock.set_now(DEADLINE)
    assert fire_due(session, action.id, now=DEADLINE) is Outcome.FIRED
    events = audit_count(session, soc_paper)
    later = DEADLINE + timedelta(minutes=5)
    clock.set_now(later)
    assert fire_due(session, action.id, now=later) is Outcome.NOT_PENDING
    assert fire_due(session, action.id, now=later) is Outcome.NOT_PENDING
    assert audit_count(session, soc_paper) == events
    assert closures_per_round(session, [silence.id])[silence.id] == 1
    assert transitions_per_document(session, [soc_paper.id])[soc_paper.id] == 1
    assert action.fired_at == DEADLINE  # the first firing's stamp stays


def test_an_objection_before_the_deadline_cancels_the_due_action(session, cast, silence, soc_paper):
    clock.set_now(DEADLINE - timedelta(hours=1))
    operations.record_position(
        session,
        cast.objector,
        silence.id,
        participant="IND",
        kind=PositionKind.OBJECTION,
        text="The paper duplicates an existing measure.",
    )
    action = the_due_action(session, silence)
    assert action.status is DueActionStatus.CANCELLED
    assert silence.outcome is OutcomeKind.SILENCE_BROKEN
    assert soc_paper.state == "drafting"
    events = audit_count(session, soc_paper)

    clock.set_now(DEADLINE)
    assert fire_due(session, action.id, now=DEADLINE) is Outcome.NOT_PENDING
    assert silence.outcome is OutcomeKind.SILENCE_BROKEN and soc_paper.state == "drafting"
    assert audit_count(session, soc_paper) == events


def test_an_extension_moves_the_due_action(session, cast, silence, soc_paper):
    clock.set_now(DEADLINE - timedelta(days=1))
    extended = DEADLINE + timedelta(days=3)
    operations.extend_deadline(
        session, cast.secretariat, silence.id, new_deadline=extended, reason="Translation late"
    )
    action = the_due_action(session, silence)
    assert (action.status, action.due_at) == (DueActionStatus.PENDING, extended)

    clock.set_now(DEADLINE)  # the old deadline: nothing happens
    assert fire_due(session, action.id, now=DEADLINE) is Outcome.NOT_DUE
    assert silence.is_open and soc_paper.state == "soc_consideration"

    clock.set_now(extended)
    assert fire_due(session, action.id, now=extended) is Outcome.FIRED
    assert silence.outcome is OutcomeKind.CONSENSUS and soc_paper.state == "approved"


def test_a_row_left_pending_on_a_closed_round_is_cancelled_without_acting(
    session, cast, silence, soc_paper
):
    clock.set_now(DEADLINE - timedelta(hours=1))
    operations.record_position(
        session, cast.objector, silence.id, participant="IND", kind="objection", text="Grounds"
    )
    action = the_due_action(session, silence)
    action.status = DueActionStatus.PENDING  # as if the cancellation had been lost
    session.flush()
    events = audit_count(session, soc_paper)

    clock.set_now(DEADLINE)
    assert fire_due(session, action.id, now=DEADLINE) is Outcome.STALE
    assert action.status is DueActionStatus.CANCELLED
    assert "already closed (silence_broken)" in action.last_error
    assert audit_count(session, soc_paper) == events and soc_paper.state == "drafting"


def test_a_row_out_of_step_with_its_round_follows_the_rounds_deadline(session, silence, soc_paper):
    action = the_due_action(session, silence)
    early = DEADLINE - timedelta(days=2)
    action.due_at = early  # as if an extension had not moved it
    session.flush()

    clock.set_now(early)
    assert fire_due(session, action.id, now=early) is Outcome.STALE
    assert silence.is_open and soc_paper.state == "soc_consideration"  # the round's law holds
    assert (action.status, action.due_at) == (DueActionStatus.PENDING, DEADLINE)

    clock.set_now(DEADLINE)
    assert fire_due(session, action.id, now=DEADLINE) is Outcome.FIRED
    assert silence.outcome is OutcomeKind.CONSENSUS


def test_a_convention_enters_into_force_on_its_date_once(session, cast, frozen_clock):
    convention = operations.create_document(
        session,
        cast.secretariat,
        kind="convention",
        title="Convention",
        title_ru="Документ",
        threshold=2,
        texts={"en": "Text.", "ru": "Текст."},
    )
    for code, day in (("KAZ", date(2025, 3, 1)), ("TUR", date(2025, 3, 5))):
        operations.record_instrument(
            session,
            cast.secretariat,
            convention.id,
            participant=code,
            kind=InstrumentKind.RATIFICATION,
            deposited_on=day,
        )
    assert convention.state == "entry_into_force_scheduled"
    [action] = session.scalars(select(DueAction).where(DueAction.document_id == convention.id))
    # 30 days after the threshold deposit, at midnight at the forum's seat (UTC+5).
    assert action.due_at == datetime(2025, 4, 3, 19, 0, tzinfo=UTC)

    clock.set_now(action.due_at)
    assert fire_due(session, action.id, now=action.due_at) is Outcome.FIRED
    assert convention.state == "in_force"
    assert fire_due(session, action.id, now=action.due_at) is Outcome.NOT_PENDING
    assert transitions_per_document(session, [convention.id])[convention.id] == 2


def test_an_unknown_row_is_not_pending(session, frozen_clock):
    assert fire_due(session, 987654321, now=NOW) is Outcome.NOT_PENDING


def test_a_silence_deadline_reads_its_round_once_and_writes_the_document_twice(
    session, silence, soc_paper
):
    """The close is decided on the summary it records (no query of its own for an objection
    or a consent ad referendum), the system's roles read none of the document's parties,
    and a change whose flushes moved the document's row already does not move it again."""
    action = the_due_action(session, silence)
    session.info.pop(locking.HELD, None)  # as in the firer's new transaction
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            seen.append(" ".join(statement.split()))

    clock.set_now(DEADLINE)
    before = soc_paper.lock_version
    event.listen(session.connection(), "before_cursor_execute", count)
    try:
        assert fire_due(session, action.id, now=DEADLINE) is Outcome.FIRED
    finally:
        event.remove(session.connection(), "before_cursor_execute", count)
    assert soc_paper.state == "approved"
    reads_positions = [s for s in seen if s.startswith("SELECT") and POSITIONS.search(s)]
    assert len(reads_positions) == 1, seen
    assert not [s for s in seen if "FROM priority_area " in s], seen
    document_writes = [s for s in seen if s.startswith("UPDATE document ")]
    assert len(document_writes) == 2, document_writes  # the round's act, then the state
    assert soc_paper.lock_version == before + 2
    assert len(seen) <= 29, seen  # 27, and on PostgreSQL the decision's lock and the wake-up
