"""The scheduler on committed data: catch-up on start, the next wake-up, leadership, races."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from deadline_helpers import assert_each_fired_exactly_once, seed_silence_rounds
from isolated_db import isolated_runtime
from sqlalchemy import select, text

from bootstrap.runtime import Runtime
from models import DueAction, DueActionStatus, PositionKind, User
from models.db import make_engine, make_session_factory
from workflow import clock, firing, operations
from workflow.scheduler import (
    TAKEOVER_SECONDS,
    WAKE_JOB,
    DeadlineScheduler,
    PostgresLeadership,
    SchedulerAlreadyRunning,
)


def real_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def wait_until_fired(runtime, round_ids, within: float = 60) -> None:
    give_up = time.monotonic() + within
    while time.monotonic() < give_up:
        with runtime.sessions() as session:
            statuses = set(
                session.scalars(select(DueAction.status).where(DueAction.round_id.in_(round_ids)))
            )
        if statuses == {DueActionStatus.FIRED}:
            return
        time.sleep(0.05)


@pytest.fixture
def scheduler(committed):
    started: list[DeadlineScheduler] = []

    def start(runtime=committed) -> DeadlineScheduler:
        instance = DeadlineScheduler(runtime)
        started.append(instance)
        instance.start()
        return instance

    yield start
    for instance in started:
        instance.shutdown()


def test_what_fell_due_while_no_scheduler_ran_fires_once_on_start(committed, scheduler):
    now = real_now()
    overdue = seed_silence_rounds(
        committed, 5, opened_at=now - timedelta(hours=2), deadline=now - timedelta(hours=1)
    )
    seed_silence_rounds(committed, 2, opened_at=now, deadline=now + timedelta(days=1))
    running = scheduler()  # catches up before it returns
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, overdue)
    assert running.next_wake == now + timedelta(days=1)
    assert running.apscheduler.get_job(WAKE_JOB).next_run_time == now + timedelta(days=1)
    # A second start (a restart) finds nothing more to do.
    running.shutdown()
    restarted = scheduler()
    assert restarted.sweep().total == 0
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, overdue)


def test_the_next_wake_up_follows_rows_written_by_other_processes(committed, scheduler):
    now = real_now()
    running = scheduler()
    assert running.next_wake is None and running.apscheduler.get_job(WAKE_JOB) is None
    [first, second] = seed_silence_rounds(
        committed, 2, opened_at=now, deadline=now + timedelta(days=1)
    )  # written by "a web worker" after the scheduler started
    assert running.reload() == now + timedelta(days=1)

    later, latest = now + timedelta(days=2), now + timedelta(days=3)
    with committed.transaction() as session:
        secretariat = session.scalar(select(User).where(User.email.like("secretariat-%")))
        operations.extend_deadline(
            session, secretariat, first, new_deadline=later, reason="More time"
        )
        operations.extend_deadline(
            session, secretariat, second, new_deadline=latest, reason="More time"
        )
    assert running.reload() == later  # moved
    with committed.transaction() as session:
        delegate = session.scalar(select(User).where(User.email.like("kaz-%")))
        operations.record_position(
            session,
            delegate,
            first,
            participant="KAZ",
            kind=PositionKind.OBJECTION,
            text="Grounds",
        )
    assert running.reload() == latest  # the cancelled one no longer counts
    assert running.apscheduler.get_job(WAKE_JOB).next_run_time == latest

    # The wake-up, when its time comes, fires the row (clock moved, not waited for).
    clock.set_now(latest)
    running.wake()  # or a wake-up already running goes round once more
    wait_until_fired(committed, [second])
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, [second])
    assert running.sweep().total == 0


def test_a_failed_firing_wakes_the_scheduler_for_its_retry(committed, scheduler, monkeypatch):
    now = real_now()
    [round_id] = seed_silence_rounds(
        committed, 1, opened_at=now - timedelta(hours=2), deadline=now - timedelta(hours=1)
    )

    def raises(session, round_id, *, now=None):
        raise RuntimeError("mail gateway down")

    monkeypatch.setattr(operations, "expire_round", raises)
    running = scheduler()
    with committed.sessions() as session:
        action = session.scalar(select(DueAction).where(DueAction.round_id == round_id))
    assert action.status is DueActionStatus.PENDING and action.attempts == 1
    assert running.next_wake == action.next_attempt_at


def test_the_wake_up_fires_its_row_on_time(committed, scheduler):
    """Real time passes: APScheduler runs the date job set for the row's deadline."""
    now = datetime.now(UTC)
    [round_id] = seed_silence_rounds(
        committed, 1, opened_at=now, deadline=now + timedelta(seconds=2)
    )
    running = scheduler()
    assert running.next_wake is not None
    wait_until_fired(committed, [round_id], within=15)
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, [round_id])


def test_a_second_scheduler_on_sqlite_refuses_to_start(committed, scheduler):
    if committed.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL schedulers stand by instead")
    first = scheduler()
    second = DeadlineScheduler(committed)
    with pytest.raises(SchedulerAlreadyRunning, match="another scheduler is already running"):
        second.start()
    assert not second.apscheduler.running
    first.shutdown()  # the lock goes with the first one
    third = scheduler()
    assert third.is_leader


@pytest.mark.postgres_only
def test_a_second_scheduler_on_postgresql_stands_by_and_takes_over(committed, scheduler):
    """While another process holds the leadership (here, only its lock: it fires nothing),
    a standby fires nothing, however it is woken; once the lock goes, it takes over."""
    now = real_now()
    leader = PostgresLeadership(committed.engine)
    assert leader.acquire()
    standby = scheduler()
    assert not standby.is_leader
    overdue = seed_silence_rounds(
        committed, 3, opened_at=now - timedelta(hours=2), deadline=now - timedelta(hours=1)
    )  # the standby hears of them (NOTIFY and this process's commit)
    standby.tick()  # not the leader: does nothing
    standby.wake()
    time.sleep(2 * TAKEOVER_SECONDS)  # its take-over job runs, and loses
    with committed.sessions() as session:
        pending = session.scalars(
            select(DueAction.status).where(DueAction.round_id.in_(overdue))
        ).all()
    assert set(pending) == {DueActionStatus.PENDING}
    assert not standby.is_leader
    leader.release()
    wait_until_fired(committed, overdue)  # its take-over job wins the lock and fires
    assert standby.is_leader
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, overdue)


@pytest.mark.postgres_only
def test_a_leader_in_another_schema_does_not_hold_this_one(committed, engine, tmp_path):
    """Advisory locks belong to the whole database: each schema (each installation, each
    test's own database) elects its own leader."""
    with isolated_runtime(engine, tmp_path) as neighbour:
        theirs = PostgresLeadership(neighbour.engine)
        assert theirs.acquire()
        ours = PostgresLeadership(committed.engine)
        try:
            assert ours.acquire()
            rival = PostgresLeadership(committed.engine)
            assert not rival.acquire()  # within one schema the lock still elects one
        finally:
            ours.release()
            theirs.release()


@pytest.mark.postgres_only
def test_a_leader_whose_connection_died_lets_go_without_error(committed):
    """The server ended the leader's session (a restart, a killed backend) and its lock
    with it: releasing raises nothing, and the leadership can be won again."""
    leader = PostgresLeadership(committed.engine)
    assert leader.acquire()
    with committed.engine.connect() as admin:
        held_by = text(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = 0"
            " AND objid::bigint = :key AND objsubid = 1"
        )
        key = PostgresLeadership.key_for(admin)
        [pid] = admin.execute(held_by, {"key": key}).scalars().all()
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.commit()
        deadline = time.monotonic() + 10
        while admin.execute(held_by, {"key": key}).first() and time.monotonic() < deadline:
            admin.commit()
            time.sleep(0.05)
    leader.release()
    assert not leader.held
    rival = PostgresLeadership(committed.engine)
    try:
        assert rival.acquire()
    finally:
        rival.release()


def separate_runtime(committed) -> Runtime:
    engine = make_engine(committed.settings.sqlalchemy_url)
    return Runtime(
        settings=committed.settings, engine=engine, sessions=make_session_factory(engine)
    )


@pytest.mark.postgres_only
def test_schedulers_racing_on_postgresql_act_once(committed):
    """Four sweepers on four engines, no leadership: row locks and the re-check decide."""
    now = real_now()
    round_ids = seed_silence_rounds(
        committed, 120, opened_at=now - timedelta(hours=2), deadline=now - timedelta(hours=1)
    )
    runtimes = [separate_runtime(committed) for _ in range(4)]
    barrier = threading.Barrier(len(runtimes))
    reports: list[firing.SweepReport] = []
    errors: list[BaseException] = []

    def race(runtime):
        try:
            barrier.wait()
            reports.append(firing.sweep(runtime))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=race, args=(r,)) for r in runtimes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    for runtime in runtimes:
        runtime.dispose()
    assert not errors
    print("race outcomes:", dict(sum((r.counts for r in reports), Counter())))
    totals = sum((report.counts for report in reports), Counter())
    assert totals[firing.Outcome.FIRED] == len(round_ids)
    assert totals[firing.Outcome.RETRY] == totals[firing.Outcome.FAILED] == 0
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, round_ids)
