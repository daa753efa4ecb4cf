"""Firing in batches: several firers on one database, each due action fired exactly once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from deadline_helpers import (
    DEADLINE,
    NOW,
    assert_each_fired_exactly_once,
    closures_per_round,
    seed_silence_rounds,
)
from sqlalchemy import select

from models import DueAction, DueActionStatus
from workflow import clock, firing, operations
from workflow.firing import Outcome


def statuses(runtime, round_ids) -> Counter:
    with runtime.sessions() as session:
        return Counter(
            session.scalars(select(DueAction.status).where(DueAction.round_id.in_(round_ids)))
        )


def test_a_sweep_fires_in_batches_of_many_rows(committed, monkeypatch):
    round_ids = seed_silence_rounds(committed, 7, opened_at=NOW, deadline=DEADLINE)
    batches: list[list[Outcome]] = []
    real_fire_batch = firing.fire_batch

    def counted(sessions, *, now, limit=3):
        outcomes = real_fire_batch(sessions, now=now, limit=limit)
        batches.append(outcomes)
        return outcomes

    monkeypatch.setattr(firing, "fire_batch", counted)
    clock.set_now(DEADLINE)
    report = firing.sweep(committed, now=DEADLINE, firers=1)
    assert report[Outcome.FIRED] == 7 and report.total == 7
    assert [len(batch) for batch in batches] == [3, 3, 1, 0]
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, round_ids)


def test_a_firing_that_raises_in_a_batch_is_undone_alone(committed, monkeypatch):
    round_ids = seed_silence_rounds(committed, 4, opened_at=NOW, deadline=DEADLINE)
    failing = round_ids[1]
    real_expire = operations.expire_round

    def fails_for_one(session, round_id, *, now=None):
        acted = real_expire(session, round_id, now=now)
        if round_id == failing:
            raise RuntimeError("mail gateway down")  # after the engine acted
        return acted

    monkeypatch.setattr(operations, "expire_round", fails_for_one)
    clock.set_now(DEADLINE)
    outcomes = firing.fire_batch(committed.sessions, now=DEADLINE)
    assert Counter(outcomes) == {Outcome.FIRED: 3, Outcome.RETRY: 1}
    others = [r for r in round_ids if r != failing]
    with committed.sessions() as session:
        assert closures_per_round(session, round_ids) == {**dict.fromkeys(others, 1), failing: 0}
        action = session.scalar(select(DueAction).where(DueAction.round_id == failing))
    assert action.status is DueActionStatus.PENDING and action.attempts == 1
    assert "RuntimeError: mail gateway down" in action.last_error

    monkeypatch.setattr(operations, "expire_round", real_expire)
    later = action.next_attempt_at
    clock.set_now(later)
    assert firing.sweep(committed, now=later)[Outcome.FIRED] == 1
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, round_ids)


@pytest.mark.postgres_only
def test_two_firers_on_the_same_batch_fire_each_action_once(committed):
    """The first firer holds its claim uncommitted; the second passes over those rows
    without waiting and fires the rest; then the first commits. Nothing twice."""
    round_ids = seed_silence_rounds(committed, 8, opened_at=NOW, deadline=DEADLINE)
    clock.set_now(DEADLINE)
    first = committed.sessions()
    try:
        held = firing.claim_due(first, DEADLINE, limit=5)
        assert len(held) == 5
        second_outcomes: list[Outcome] = []
        second = threading.Thread(
            target=lambda: second_outcomes.extend(
                firing.fire_batch(committed.sessions, now=DEADLINE, limit=50)
            )
        )
        second.start()
        second.join(timeout=120)
        assert not second.is_alive(), "the second firer waited for the first one's rows"
        assert second_outcomes == [Outcome.FIRED] * 3
        assert statuses(committed, round_ids) == {
            DueActionStatus.FIRED: 3,
            DueActionStatus.PENDING: 5,
        }
        first_outcomes = [firing.fire_due(first, row, now=DEADLINE) for row in held]
        first.commit()
    finally:
        first.close()
    assert first_outcomes == [Outcome.FIRED] * 5
    assert firing.sweep(committed, now=DEADLINE).total == 0
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, round_ids)


@pytest.mark.postgres_only
def test_firers_racing_on_one_batch_fire_each_action_once(committed):
    """Two sweeps of two firers each start together on the same due rows."""
    round_ids = seed_silence_rounds(committed, 60, opened_at=NOW, deadline=DEADLINE)
    clock.set_now(DEADLINE)
    barrier = threading.Barrier(2)
    reports: list[firing.SweepReport] = []
    errors: list[BaseException] = []

    def race():
        try:
            barrier.wait()
            reports.append(firing.sweep(committed, now=DEADLINE, firers=2))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors
    totals = sum((report.counts for report in reports), Counter())
    assert totals[Outcome.FIRED] == len(round_ids)
    assert totals[Outcome.RETRY] == totals[Outcome.FAILED] == 0
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, round_ids)
