"""The sweep on committed data: each row in its own transaction; failures recorded and retried."""

from __future__ import annotations

from datetime import timedelta

import pytest
from deadline_helpers import (
    DEADLINE,
    NOW,
    assert_each_fired_exactly_once,
    closures_per_round,
    seed_silence_rounds,
)
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from models import DueAction, DueActionStatus, Round
from workflow import clock, firing, operations
from workflow.firing import MAX_ATTEMPTS, Outcome


def rows(runtime, round_ids) -> list[DueAction]:
    with runtime.sessions() as session:
        return list(
            session.scalars(
                select(DueAction).where(DueAction.round_id.in_(round_ids)).order_by(DueAction.id)
            )
        )


def test_a_sweep_fires_every_overdue_row_once(committed):
    round_ids = seed_silence_rounds(committed, 12, opened_at=NOW, deadline=DEADLINE)
    later = seed_silence_rounds(committed, 3, opened_at=NOW, deadline=DEADLINE + timedelta(hours=1))
    clock.set_now(DEADLINE)
    report = firing.sweep(committed, now=DEADLINE)
    assert report[Outcome.FIRED] == 12 and report.total == 12
    assert firing.sweep(committed, now=DEADLINE).total == 0  # nothing left to do
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, round_ids)
    assert {r.status for r in rows(committed, later)} == {DueActionStatus.PENDING}


def test_a_firing_that_fails_is_recorded_retried_with_back_off_and_then_marked_failed(
    committed, monkeypatch
):
    [round_id] = seed_silence_rounds(committed, 1, opened_at=NOW, deadline=DEADLINE)
    real_expire = operations.expire_round

    def acts_then_raises(session, round_id, *, now=None):
        real_expire(session, round_id, now=now)  # the engine acted ...
        raise RuntimeError("mail gateway down")  # ... then something failed

    monkeypatch.setattr(operations, "expire_round", acts_then_raises)
    moment = DEADLINE
    clock.set_now(moment)
    assert firing.sweep(committed, now=moment)[Outcome.RETRY] == 1
    [action] = rows(committed, [round_id])
    assert action.status is DueActionStatus.PENDING and action.attempts == 1
    assert "RuntimeError: mail gateway down" in action.last_error
    assert action.next_attempt_at == moment + timedelta(seconds=30)
    with committed.sessions() as session:  # the failed transaction left nothing behind
        assert session.get(Round, round_id).is_open
        assert closures_per_round(session, [round_id])[round_id] == 0

    # During the back-off the sweep leaves it alone; then it retries, backing off further.
    assert firing.sweep(committed, now=moment + timedelta(seconds=29)).total == 0
    delays = []
    for attempt in range(2, MAX_ATTEMPTS + 1):
        moment = action.next_attempt_at
        clock.set_now(moment)
        report = firing.sweep(committed, now=moment)
        [action] = rows(committed, [round_id])
        assert action.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert report[Outcome.RETRY] == 1
            delays.append(action.next_attempt_at - moment)
    assert delays == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=240)]
    assert report[Outcome.FAILED] == 1
    assert action.status is DueActionStatus.FAILED and action.next_attempt_at is None
    assert firing.sweep(committed, now=moment + timedelta(days=1)).total == 0

    # Once the cause is fixed, the secretariat puts it back and it fires once.
    monkeypatch.setattr(operations, "expire_round", real_expire)
    with committed.transaction() as session:
        firing.requeue(session, action.id)
    assert firing.sweep(committed, now=moment)[Outcome.FIRED] == 1
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, [round_id])


def test_a_database_hiccup_is_retried_without_counting_as_an_attempt(committed, monkeypatch):
    [round_id] = seed_silence_rounds(committed, 1, opened_at=NOW, deadline=DEADLINE)

    def deadlock(session, round_id, *, now=None):
        raise OperationalError("UPDATE ...", {}, Exception("deadlock detected"))

    monkeypatch.setattr(operations, "expire_round", deadlock)
    clock.set_now(DEADLINE)
    for minute in range(MAX_ATTEMPTS + 2):
        firing.sweep(committed, now=DEADLINE + timedelta(minutes=minute))
    [action] = rows(committed, [round_id])
    assert action.status is DueActionStatus.PENDING and action.attempts == 0
    assert "deadlock detected" in action.last_error


def test_requeue_refuses_a_row_that_has_not_failed(committed):
    [round_id] = seed_silence_rounds(committed, 1, opened_at=NOW, deadline=DEADLINE)
    [action] = rows(committed, [round_id])
    from workflow.errors import InvalidInput, NotFound

    with committed.transaction() as session, pytest.raises(InvalidInput, match="is pending"):
        firing.requeue(session, action.id)
    with committed.transaction() as session, pytest.raises(NotFound):
        firing.requeue(session, 10**9)
