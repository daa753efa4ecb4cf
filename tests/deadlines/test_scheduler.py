"""The scheduler on committed data: catch-up on start, a job per row, leadership, races."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from deadline_helpers import assert_each_fired_exactly_once, seed_silence_rounds
from sqlalchemy import select

from bootstrap.runtime import Runtime
from models import DueAction, DueActionStatus, PositionKind, User
from models.db import make_engine, make_session_factory
from workflow import clock, firing, operations
from workflow.scheduler import DeadlineScheduler, SchedulerAlreadyRunning, job_id


def real_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def due_action_ids(runtime, round_ids) -> dict[int, int]:
    """round id -> its due action id."""
    with runtime.sessions() as session:
        return dict(
            session.execute(
                select(DueAction.round_id, DueAction.id).where(DueAction.round_id.in_(round_ids))
            ).all()
        )


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
    future = seed_silence_rounds(committed, 2, opened_at=now, deadline=now + timedelta(days=1))
    running = scheduler()  # catches up before it returns
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, overdue)
    ids = due_action_ids(committed, future)
    assert running.scheduled() == {ids[r]: now + timedelta(days=1) for r in future}
    job = running.apscheduler.get_job(job_id(ids[future[0]]))
    assert job.next_run_time == now + timedelta(days=1)
    # A second start (a restart) finds nothing more to do.
    running.shutdown()
    restarted = scheduler()
    assert restarted.sweep().total == 0
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, overdue)


def test_the_sweeper_reload_follows_rows_written_by_other_processes(committed, scheduler):
    now = real_now()
    running = scheduler()
    assert running.scheduled() == {}
    [first, second] = seed_silence_rounds(
        committed, 2, opened_at=now, deadline=now + timedelta(days=1)
    )  # written by "a web worker" after the scheduler started
    ids = due_action_ids(committed, [first, second])
    running.reload()
    assert set(running.scheduled()) == {ids[first], ids[second]}

    later = now + timedelta(days=2)
    with committed.transaction() as session:
        secretariat = session.scalar(select(User).where(User.email.like("secretariat-%")))
        delegate = session.scalar(select(User).where(User.email.like("kaz-%")))
        operations.extend_deadline(
            session, secretariat, first, new_deadline=later, reason="More time"
        )
        operations.record_position(
            session,
            delegate,
            second,
            participant="KAZ",
            kind=PositionKind.OBJECTION,
            text="Grounds",
        )
    running.reload()
    assert running.scheduled() == {ids[first]: later}  # moved; the cancelled one's job gone
    assert running.apscheduler.get_job(job_id(ids[second])) is None
    assert running.apscheduler.get_job(job_id(ids[first])).next_run_time == later

    # The job, when its time comes, fires the row (clock moved, not waited for).
    clock.set_now(later)
    assert running.fire(ids[first]) is firing.Outcome.FIRED
    assert running.fire(ids[first]) is firing.Outcome.NOT_PENDING


def test_a_date_job_fires_its_row_on_time(committed, scheduler):
    """The one test that lets real time pass: APScheduler wakes the row's job."""
    now = datetime.now(UTC)
    [round_id] = seed_silence_rounds(
        committed, 1, opened_at=now, deadline=now + timedelta(seconds=2)
    )
    running = scheduler()
    assert len(running.scheduled()) == 1
    give_up = time.monotonic() + 15
    while time.monotonic() < give_up:
        with committed.sessions() as session:
            status = session.scalar(select(DueAction.status).where(DueAction.round_id == round_id))
        if status is DueActionStatus.FIRED:
            break
        time.sleep(0.1)
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
    now = real_now()
    leader = scheduler()
    standby = scheduler()
    assert leader.is_leader and not standby.is_leader
    overdue = seed_silence_rounds(
        committed, 3, opened_at=now - timedelta(hours=2), deadline=now - timedelta(hours=1)
    )
    standby.tick()  # not the leader: does nothing
    with committed.sessions() as session:
        pending = session.scalars(
            select(DueAction.status).where(DueAction.round_id.in_(overdue))
        ).all()
    assert set(pending) == {DueActionStatus.PENDING}
    leader.shutdown()
    standby.tick()  # the leader is gone: it takes over and fires
    assert standby.is_leader
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, overdue)


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
