"""The scheduler hears of new and moved deadlines at once, not at its next sweep.

The sweep interval is set to a minute, the longest allowed: a deadline that fires
before the first sweep after start could have run was fired because the scheduler
was told of it (NOTIFY on PostgreSQL, a commit in its own process on any database).
"""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from deadline_helpers import assert_each_fired_exactly_once, seed_silence_rounds
from sqlalchemy import select

from bootstrap.runtime import Runtime
from models import DueAction, DueActionStatus, User
from workflow import due_actions, operations
from workflow.scheduler import DeadlineScheduler

SWEEP = 60  # seconds: the longest sweep interval


def fired_at(runtime, round_ids) -> dict[int, datetime]:
    """Round id -> when its row fired, for those fired."""
    with runtime.sessions() as session:
        rows = session.execute(
            select(DueAction.round_id, DueAction.fired_at).where(
                DueAction.round_id.in_(round_ids), DueAction.status == DueActionStatus.FIRED
            )
        )
        return dict(rows.all())


def wait_until_fired(runtime, round_ids, within: float) -> dict[int, datetime]:
    give_up = time.monotonic() + within
    while time.monotonic() < give_up:
        fired = fired_at(runtime, round_ids)
        if len(fired) == len(round_ids):
            return fired
        time.sleep(0.05)
    raise AssertionError(f"{len(fired_at(runtime, round_ids))} of {len(round_ids)} fired")


class SchedulerProcess:
    """`concord scheduler` as a real process, its log read as it comes."""

    def __init__(self, runtime, tmp_path):
        environ = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
        environ.update(
            CONCORD_DATABASE_URL=runtime.settings.sqlalchemy_url,
            CONCORD_INSTANCE_PATH=str(tmp_path / "instance"),
            CONCORD_ENV="testing",
            CONCORD_SECRET_KEY="test-secret-key",
            CONCORD_AUDIT_KEY="test-audit-key",
            CONCORD_SWEEP_INTERVAL_SECONDS=str(SWEEP),
        )
        self.started = datetime.now(UTC)  # its first sweep comes at least SWEEP s later
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from cli import main; main()", "scheduler"],
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, pattern: str, within: float = 120) -> None:
        give_up = time.monotonic() + within
        while not any(re.search(pattern, line) for line in self.lines):
            assert self.process.poll() is None, "".join(self.lines)
            assert time.monotonic() < give_up, f"no {pattern!r} in:\n{''.join(self.lines)}"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)
        self.process.stdout.close()


@pytest.fixture
def processes(committed, tmp_path):
    started: list[SchedulerProcess] = []

    def start() -> SchedulerProcess:
        process = SchedulerProcess(committed, tmp_path)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


def report(what: str, deadlines: dict[int, datetime], fired: dict[int, datetime]) -> None:
    late = sorted((fired[r] - deadlines[r]).total_seconds() for r in fired)
    print(f"{what}: fired {late[0]:.3f}-{late[-1]:.3f} s after the deadline")


@pytest.mark.postgres_only
def test_a_deadline_set_after_the_scheduler_started_fires_before_any_sweep(committed, processes):
    scheduler = processes()
    scheduler.wait_for("scheduler leading")
    deadline = datetime.now(UTC) + timedelta(seconds=5)
    round_ids = seed_silence_rounds(committed, 2, opened_at=datetime.now(UTC), deadline=deadline)
    fired = wait_until_fired(committed, round_ids, within=SWEEP)
    assert all(
        deadline <= moment < scheduler.started + timedelta(seconds=SWEEP)
        for moment in fired.values()
    )
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, round_ids)
    report("set after start", dict.fromkeys(round_ids, deadline), fired)


@pytest.mark.postgres_only
def test_a_moved_deadline_fires_at_its_new_time_before_any_sweep(committed, processes):
    scheduler = processes()
    scheduler.wait_for("scheduler leading")
    now = datetime.now(UTC)
    [round_id] = seed_silence_rounds(
        committed, 1, opened_at=now, deadline=now + timedelta(seconds=15)
    )
    moved = now + timedelta(seconds=20)
    with committed.transaction() as session:
        secretariat = session.scalar(select(User).where(User.email.like("secretariat-%")))
        operations.extend_deadline(
            session, secretariat, round_id, new_deadline=moved, reason="More time"
        )
    fired = wait_until_fired(committed, [round_id], within=SWEEP)
    assert moved <= fired[round_id] < scheduler.started + timedelta(seconds=SWEEP)
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, [round_id])
    report("moved", {round_id: moved}, fired)


@pytest.mark.postgres_only
def test_a_standby_takes_over_from_a_killed_leader_before_any_sweep(committed, processes):
    leader = processes()
    leader.wait_for("scheduler leading")
    standby = processes()
    standby.wait_for("standing by")
    now = datetime.now(UTC)
    deadline = now + timedelta(seconds=5)
    round_ids = seed_silence_rounds(committed, 3, opened_at=now, deadline=deadline)
    leader.process.send_signal(signal.SIGKILL)
    leader.process.wait(timeout=30)
    fired = wait_until_fired(committed, round_ids, within=SWEEP)
    assert all(moment < standby.started + timedelta(seconds=SWEEP) for moment in fired.values())
    standby.wait_for("taking over")
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, round_ids)
    report("after the leader was killed", dict.fromkeys(round_ids, deadline), fired)


@pytest.mark.postgres_only
def test_notify_is_sent_by_the_commit_and_never_by_a_rollback(committed):
    arguments, keywords = committed.engine.dialect.create_connect_args(committed.engine.url)
    now = datetime.now(UTC)
    seed_silence_rounds(committed, 1, opened_at=now, deadline=now + timedelta(days=1))
    with psycopg.connect(*arguments, **keywords, autocommit=True) as listener:
        listener.execute(f"LISTEN {due_actions.CHANNEL}")
        with committed.sessions() as session, session.begin():
            secretariat = session.scalar(select(User).where(User.email.like("secretariat-%")))
            round_id = session.scalar(select(DueAction.round_id))
            operations.extend_deadline(
                session,
                secretariat,
                round_id,
                new_deadline=now + timedelta(days=2),
                reason="More time",
            )
            session.rollback()
        assert list(listener.notifies(timeout=1.0)) == []
        with committed.transaction() as session:
            secretariat = session.scalar(select(User).where(User.email.like("secretariat-%")))
            operations.extend_deadline(
                session,
                secretariat,
                round_id,
                new_deadline=now + timedelta(days=3),
                reason="More time",
            )
        heard = list(listener.notifies(timeout=1.0, stop_after=1))
        assert [n.channel for n in heard] == [due_actions.CHANNEL]


def test_a_commit_in_the_process_wakes_its_embedded_scheduler(committed):
    """`concord serve`'s way, and SQLite's: no sweep needed for a deadline set soon."""
    settings = dataclasses.replace(committed.settings, sweep_interval_seconds=SWEEP)
    runtime = Runtime(settings=settings, engine=committed.engine, sessions=committed.sessions)
    started = datetime.now(UTC)
    scheduler = DeadlineScheduler(runtime)
    scheduler.start()
    try:
        deadline = datetime.now(UTC) + timedelta(seconds=3)
        round_ids = seed_silence_rounds(runtime, 1, opened_at=started, deadline=deadline)
        fired = wait_until_fired(runtime, round_ids, within=SWEEP)
    finally:
        scheduler.shutdown()
    assert all(moment < started + timedelta(seconds=SWEEP) for moment in fired.values())
    with runtime.sessions() as session:
        assert_each_fired_exactly_once(session, round_ids)
