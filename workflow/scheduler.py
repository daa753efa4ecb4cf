"""The deadline scheduler: APScheduler wakes one process; the database decides.

Deadlines live in the due_action table, never in APScheduler's job store. The
scheduler holds a date job per pending row (so a deadline fires on the second) and
a sweeper that, every `sweep_interval_seconds` (at most a minute), fires every
overdue pending row and reloads the pending rows other processes (web workers)
wrote since. On start it reloads and sweeps once, so what fell due while no
scheduler ran fires once, at once. Each firing is exactly-once by itself
(workflow.firing); leadership only keeps a second scheduler from doing work for
nothing:

- PostgreSQL: a session advisory lock held on a dedicated connection elects the
  leader; another scheduler stands by and takes over when the leader's connection
  ends (crash included).
- SQLite: an exclusive `flock` on a file beside the database; a second scheduler
  refuses to start. The kernel releases the lock when the process dies.

`concord scheduler` runs the BlockingScheduler (the production shape);
`concord serve` runs the BackgroundScheduler through `start_in_process`.
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
import threading
import zlib
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Connection, select, text

from models import DueAction, DueActionStatus
from workflow import clock, firing
from workflow.errors import N_, ConcordError, Conflict

log = logging.getLogger("concord.scheduler")

LEADER_LOCK = "concord:scheduler"
MAX_SWEEP_INTERVAL = 60
SWEEPER_JOB = "sweeper"


class SchedulerAlreadyRunning(Conflict):
    """Another scheduler holds this database (SQLite allows one)."""


class SqliteLeadership:
    """An exclusive flock on `<database>.scheduler.lock`: one scheduler per SQLite file."""

    def __init__(self, lock_path: Path):
        self.lock_path = lock_path
        self._file = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> bool:
        if self._file is not None:
            return True
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_path, "a+")  # noqa: SIM115 - held for the process's life
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise SchedulerAlreadyRunning(
                f"another scheduler is already running on this database ({holder} holds "
                f"{self.lock_path}); SQLite allows one"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


class PostgresLeadership:
    """A session advisory lock on a connection of its own: the leader is whoever holds it."""

    def __init__(self, engine):
        self.engine = engine
        self.key = zlib.crc32(LEADER_LOCK.encode())
        self._connection: Connection | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None

    def acquire(self) -> bool:
        if self._connection is not None:
            if self._still_connected():
                return True
            self._drop()
        connection = self.engine.connect()
        try:
            won = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            ).scalar()
            connection.commit()
        except Exception:
            connection.close()
            raise
        if not won:
            connection.close()
            return False
        self._connection = connection
        return True

    def _still_connected(self) -> bool:
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
            return True
        except Exception:
            log.warning("lost the leadership connection; trying to win it again")
            return False

    def _drop(self) -> None:
        try:
            self._connection.invalidate()
            self._connection.close()
        except Exception:  # the connection is gone anyway
            pass
        self._connection = None

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
                self._connection.commit()
            finally:
                self._connection.close()
                self._connection = None


def leadership_for(runtime):
    url = runtime.engine.url
    if url.get_backend_name() == "postgresql":
        return PostgresLeadership(runtime.engine)
    if url.get_backend_name() == "sqlite":
        database = url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database).resolve()
            return SqliteLeadership(path.with_name(path.name + ".scheduler.lock"))
        return SqliteLeadership(runtime.settings.instance_dir / "scheduler.lock")
    raise ConcordError(
        N_("the scheduler does not support %(get_backend_name)s databases"),
        get_backend_name=url.get_backend_name(),
    )


class DeadlineScheduler:
    """One scheduler process's view: leadership, a job per pending row, the sweeper."""

    def __init__(self, runtime, *, blocking: bool = False):
        self.runtime = runtime
        self.leadership = leadership_for(runtime)
        interval = runtime.settings.sweep_interval_seconds
        self.sweep_interval = max(1, min(interval, MAX_SWEEP_INTERVAL))
        # SQLite has one writer: more threads would only wait for each other.
        workers = 1 if runtime.engine.dialect.name == "sqlite" else 4
        scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
        self.apscheduler: BaseScheduler = scheduler_class(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(workers)},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )
        self._jobs: dict[int, datetime] = {}  # due action id -> the due_at its job is set for
        self._jobs_lock = threading.Lock()
        self._stopping = threading.Event()

    # ---------------------------------------------------------------- life cycle

    @property
    def is_leader(self) -> bool:
        return self.leadership.held

    def start(self) -> None:
        """Win leadership (SQLite: or refuse), catch up, then run. Blocks if blocking."""
        if self.leadership.acquire():
            log.info("scheduler leading; catching up on what fell due while none ran")
            self.catch_up()
        else:
            log.warning("another scheduler leads on this database; standing by")
        self.apscheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self.sweep_interval, timezone=UTC),
            id=SWEEPER_JOB,
            replace_existing=True,
        )
        self.apscheduler.start()

    def shutdown(self) -> None:
        self._stopping.set()
        if self.apscheduler.running:
            self.apscheduler.shutdown(wait=True)
        self.leadership.release()

    # ---------------------------------------------------------------- work

    def catch_up(self) -> firing.SweepReport:
        report = self.sweep()
        self.reload()
        return report

    def tick(self) -> None:
        """The sweeper job: take over if the leader left, fire what is overdue, reload."""
        try:
            if not self.leadership.acquire():
                return
            self.sweep()
            self.reload()
        except SchedulerAlreadyRunning:
            return
        except Exception:
            log.exception("the sweep failed; the next one retries")

    def sweep(self, *, now: datetime | None = None) -> firing.SweepReport:
        return firing.sweep(self.runtime, now=now, should_stop=self._stopping.is_set)

    def fire(self, due_action_id: int) -> firing.Outcome:
        """A row's date job."""
        with self._jobs_lock:
            self._jobs.pop(due_action_id, None)
        if self._stopping.is_set() or not self.leadership.held:
            return firing.Outcome.BUSY
        outcome = firing.fire_one(self.runtime.sessions, due_action_id, now=clock.now())
        log.info("due action %s: %s", due_action_id, outcome.value)
        return outcome

    def reload(self, *, now: datetime | None = None) -> int:
        """A date job per pending row not yet due; jobs of rows no longer pending go.
        Returns how many jobs are set."""
        now = now or clock.now()
        with self.runtime.sessions() as session:
            pending = dict(
                session.execute(
                    select(DueAction.id, DueAction.due_at).where(
                        DueAction.status == DueActionStatus.PENDING, DueAction.due_at > now
                    )
                ).all()
            )
        with self._jobs_lock:
            for due_action_id in set(self._jobs) - set(pending):
                self._remove_job(due_action_id)
            for due_action_id, due_at in pending.items():
                if self._jobs.get(due_action_id) != due_at:
                    self.apscheduler.add_job(
                        self.fire,
                        DateTrigger(run_date=due_at, timezone=UTC),
                        args=[due_action_id],
                        id=job_id(due_action_id),
                        replace_existing=True,
                    )
                    self._jobs[due_action_id] = due_at
            return len(self._jobs)

    def _remove_job(self, due_action_id: int) -> None:
        self._jobs.pop(due_action_id, None)
        job = self.apscheduler.get_job(job_id(due_action_id))
        if job is not None:
            job.remove()

    def scheduled(self) -> dict[int, datetime]:
        """Due action id -> when its job runs (for tests and the log)."""
        with self._jobs_lock:
            return dict(self._jobs)


def job_id(due_action_id: int) -> str:
    return f"due-action-{due_action_id}"


_in_process: DeadlineScheduler | None = None


def start_in_process(runtime) -> DeadlineScheduler | None:
    """`concord serve`'s embedded scheduler. If another scheduler holds a SQLite database,
    the server still serves and says so."""
    global _in_process
    if _in_process is not None:
        return _in_process
    scheduler = DeadlineScheduler(runtime, blocking=False)
    try:
        scheduler.start()
    except SchedulerAlreadyRunning as exc:
        log.warning("%s: the web server runs without its own scheduler", exc)
        print(f"warning: {exc}; serving without an in-process scheduler", flush=True)
        return None
    atexit.register(scheduler.shutdown)
    _in_process = scheduler
    return scheduler
