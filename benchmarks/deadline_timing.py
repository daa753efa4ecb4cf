"""How late deadlines fire when they are set or moved to fall before the scheduler's next
sweep, and when a standby takes over from a killed leader (PostgreSQL, real processes).

    python benchmarks/deadline_timing.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

It works in a schema of its own in that database and drops it after. It starts
`concord scheduler` with the longest sweep interval (60 s), so a deadline that fires
within the interval was fired because the scheduler heard of it. Each round's
lateness is the time its row records as fired minus its deadline.

- set: rounds opened after the scheduler started, their deadline 8 s ahead;
- moved: rounds set 10 s ahead, whose deadline is then extended by 3 s;
- take-over: a second scheduler stands by; the leader is killed (SIGKILL) before the
  rounds' deadline falls.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from deadline_benchmark import isolated_runtime, seed
from sqlalchemy import select

from bootstrap.runtime import Runtime
from models import DueAction, DueActionStatus, User
from workflow import audit, operations
from workflow.registry import configure
from workflow.scheduler import MAX_SWEEP_INTERVAL

SWEEP = MAX_SWEEP_INTERVAL


class Scheduler:
    """`concord scheduler` in a process of its own; waits until it says it leads or stands by."""

    def __init__(self, runtime: Runtime, workdir: Path, audit_key: str, expect: str):
        environ = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
        environ.update(
            CONCORD_DATABASE_URL=runtime.settings.sqlalchemy_url,
            CONCORD_INSTANCE_PATH=str(workdir / "instance"),
            CONCORD_ENV="testing",
            CONCORD_SECRET_KEY="bench",
            CONCORD_AUDIT_KEY=audit_key,
            CONCORD_SWEEP_INTERVAL_SECONDS=str(SWEEP),
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from cli import main; main()", "scheduler"],
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        give_up = time.monotonic() + 120
        while not any(expect in line for line in self.lines):
            if self.process.poll() is not None or time.monotonic() > give_up:
                raise SystemExit("the scheduler did not start:\n" + "".join(self.lines))
            time.sleep(0.05)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def stop(self, signum: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signum)
            self.process.wait(timeout=60)


def lateness(runtime: Runtime, deadlines: dict[int, datetime], within: float) -> list[float]:
    """Seconds from each round's deadline to its firing (waits for all to fire)."""
    give_up = time.monotonic() + within
    while True:
        with runtime.sessions() as session:
            fired = dict(
                session.execute(
                    select(DueAction.round_id, DueAction.fired_at).where(
                        DueAction.round_id.in_(deadlines),
                        DueAction.status == DueActionStatus.FIRED,
                    )
                ).all()
            )
        if len(fired) == len(deadlines):
            return sorted((fired[r] - deadlines[r]).total_seconds() for r in deadlines)
        if time.monotonic() > give_up:
            raise SystemExit(f"{len(fired)} of {len(deadlines)} fired within {within} s")
        time.sleep(0.02)


def open_rounds(runtime: Runtime, count: int, ahead: float) -> dict[int, datetime]:
    deadline = datetime.now(UTC) + timedelta(seconds=ahead)
    round_ids = seed(runtime, count, deadline, opened_at=datetime.now(UTC))
    return dict.fromkeys(round_ids, deadline)


def extend(runtime: Runtime, deadlines: dict[int, datetime], by: timedelta) -> dict[int, datetime]:
    """Each round's deadline moved `by` later, in one transaction."""
    with runtime.transaction() as session:
        secretariat = session.scalar(select(User).where(User.email.like("sec-%")))
        for round_id, deadline in deadlines.items():
            operations.extend_deadline(
                session, secretariat, round_id, new_deadline=deadline + by, reason="More time"
            )
    return {round_id: deadline + by for round_id, deadline in deadlines.items()}


def line(what: str, late: list[float]) -> str:
    return (
        f"| {what} | {len(late)} | {statistics.median(late) * 1000:.0f} ms | "
        f"{max(late) * 1000:.0f} ms | {max(late) / SWEEP * 100:.1f} % |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database")
    parser.add_argument("--count", type=int, default=5, help="rounds per case")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("PostgreSQL only: SQLite's scheduler lives in `concord serve`")
    configure(None)
    audit_key = secrets.token_hex(32)
    audit.configure_keys(audit_key)
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        runtime, drop = isolated_runtime(args.database_url, Path(workdir))
        leader = standby = None
        try:
            leader = Scheduler(runtime, Path(workdir), audit_key, "scheduler leading")
            deadlines = open_rounds(runtime, args.count, ahead=8)
            rows.append(
                line(
                    "set 8 s ahead, after the scheduler started",
                    lateness(runtime, deadlines, SWEEP * 2),
                )
            )

            deadlines = open_rounds(runtime, args.count, ahead=10)
            deadlines = extend(runtime, deadlines, timedelta(seconds=3))
            rows.append(
                line(
                    "set 10 s ahead, then moved 3 s later", lateness(runtime, deadlines, SWEEP * 2)
                )
            )

            standby = Scheduler(runtime, Path(workdir), audit_key, "standing by")
            deadlines = open_rounds(runtime, args.count, ahead=8)
            leader.stop(signal.SIGKILL)
            rows.append(
                line(
                    "due 8 s after the rounds opened, the leader killed at once",
                    lateness(runtime, deadlines, SWEEP * 2),
                )
            )
        finally:
            for scheduler in (leader, standby):
                if scheduler is not None:
                    scheduler.stop()
            drop()
    print(f"lateness with a {SWEEP} s sweep interval (before: up to the interval)")
    print("| case | rounds | median | max | max / sweep interval |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
