"""`concord scheduler` as a real process: killed with SIGKILL mid-sweep, restarted, nothing
lost and nothing done twice. Also the CLI around it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from deadline_helpers import assert_each_fired_exactly_once, closures_per_round, seed_silence_rounds
from sqlalchemy import func, select

from models import DueAction, DueActionStatus, Round, RoundStatus

ROUNDS = 150


@pytest.fixture
def concord(committed, tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
    environ.update(
        CONCORD_DATABASE_URL=committed.settings.sqlalchemy_url,
        CONCORD_INSTANCE_PATH=str(tmp_path / "instance"),
        CONCORD_ENV="testing",
        CONCORD_SECRET_KEY="test-secret-key",
        CONCORD_AUDIT_KEY="test-audit-key",
        CONCORD_SWEEP_INTERVAL_SECONDS="1",
    )
    command = [sys.executable, "-c", "from cli import main; main()"]

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*command, *args], env=environ, capture_output=True, text=True, timeout=300
        )

    def start(*args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [*command, *args],
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    run.start = start
    return run


def fired_count(runtime, round_ids) -> int:
    with runtime.sessions() as session:
        return session.scalar(
            select(func.count()).where(
                DueAction.round_id.in_(round_ids), DueAction.status == DueActionStatus.FIRED
            )
        )


def test_sigkill_in_the_middle_of_a_sweep_loses_and_duplicates_nothing(committed, concord):
    now = datetime.now(UTC)
    round_ids = seed_silence_rounds(
        committed, ROUNDS, opened_at=now - timedelta(hours=2), deadline=now - timedelta(hours=1)
    )
    scheduler = concord.start("scheduler")
    try:
        give_up = time.monotonic() + 120
        while fired_count(committed, round_ids) < 10:
            assert scheduler.poll() is None, scheduler.stdout.read()
            assert time.monotonic() < give_up, "the scheduler fired nothing within 120 s"
            time.sleep(0.02)
        # While it runs, a second scheduler is refused (SQLite) or finds a leader (PostgreSQL).
        second = concord("scheduler", "--once")
        assert second.returncode == 1
        assert len(second.stderr.strip().splitlines()) == 1, second.stderr
        assert "another scheduler" in second.stderr
        scheduler.send_signal(signal.SIGKILL)
        scheduler.wait(timeout=30)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
        scheduler.stdout.close()
    at_kill = fired_count(committed, round_ids)
    assert 10 <= at_kill < ROUNDS, f"{at_kill} of {ROUNDS} fired: the kill missed the sweep"

    # What the killed process committed is whole; what it had not committed left no trace.
    with committed.sessions() as session:
        closed = set(
            session.scalars(
                select(Round.id).where(Round.id.in_(round_ids), Round.status == RoundStatus.CLOSED)
            )
        )
        fired = set(
            session.scalars(
                select(DueAction.round_id).where(
                    DueAction.round_id.in_(round_ids), DueAction.status == DueActionStatus.FIRED
                )
            )
        )
        assert closed == fired
        assert set(closures_per_round(session, round_ids).values()) <= {0, 1}

    restarted = concord("scheduler", "--once")
    assert restarted.returncode == 0, restarted.stderr
    assert f"{ROUNDS - at_kill} fired" in restarted.stdout
    with committed.sessions() as session:
        assert_each_fired_exactly_once(session, round_ids)
    again = concord("scheduler", "--once")
    assert "nothing due" in again.stdout

    listing = concord("deadlines", "list", "--state", "fired", "--limit", "1000")
    assert listing.returncode == 0, listing.stderr
    assert len(listing.stdout.strip().splitlines()) == ROUNDS
    assert all(
        " fired " in line and "silence_expiry" in line for line in listing.stdout.splitlines()
    )


def test_deadlines_list_shows_failures_and_refuses_bad_input(committed, concord):
    now = datetime.now(UTC)
    [round_id] = seed_silence_rounds(committed, 1, opened_at=now, deadline=now + timedelta(days=1))
    with committed.transaction() as session:
        action = session.scalar(select(DueAction).where(DueAction.round_id == round_id))
        action.status, action.attempts = DueActionStatus.FAILED, 5
        action.last_error = "2025-03-24T13:00:00+00:00 RuntimeError: mail gateway down"
        action_id = action.id

    failed = concord("deadlines", "list", "--state", "failed", "--timezone", "Europe/Vienna")
    assert failed.returncode == 0, failed.stderr
    [line] = failed.stdout.strip().splitlines()
    assert f"{action_id}" in line and "failed" in line and "attempts 5" in line
    assert "RuntimeError: mail gateway down" in line
    assert (
        concord("deadlines", "list", "--state", "pending").stdout.strip()
        == "no pending due actions"
    )

    for bad in (
        ("deadlines", "list", "--state", "overdue"),
        ("deadlines", "list", "--timezone", "Mars/Olympus"),
        ("deadlines", "retry", "999999"),
    ):
        result = concord(*bad)
        assert result.returncode != 0
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr

    retried = concord("deadlines", "retry", str(action_id))
    assert retried.returncode == 0, retried.stderr
    assert concord("deadlines", "retry", str(action_id)).returncode == 1  # now pending, not failed
    assert str(action_id) in concord("deadlines", "list", "--state", "pending").stdout
