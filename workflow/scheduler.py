"""The deadline scheduler: APScheduler wakes one process; the database decides.

Deadlines live in the due_action table, never in APScheduler's job store. The
scheduler keeps one date job, set for the earliest moment a pending row falls due
(or may be retried after a failure), and a sweeper that, every
`sweep_interval_seconds` (at most a minute), fires whatever is overdue. Each wake-up
fires everything due (workflow.firing.sweep: in batches, by several firers on
PostgreSQL), then sets the date job again. It hears of rows written or moved by
other processes at once:

- PostgreSQL: the transaction that adds or moves a pending row sends `NOTIFY
  concord_due_actions` (workflow.due_actions), delivered when it commits; the
  scheduler `LISTEN`s on a connection of its own and wakes.
- Any database: a commit in this process that adds or moves one wakes the
  scheduler of this process (`concord serve`'s, the way SQLite hears of them).

On start it sweeps once, so what fell due while no scheduler ran fires once, at
once. Each firing is exactly-once by itself (workflow.firing); leadership only
keeps a second scheduler from doing work for nothing:

- PostgreSQL: a session advisory lock held on a dedicated connection elects the
  leader (one lock per schema: advisory locks are shared by a whole database, and
  two installations in two schemas of one database must not stand by for each
  other); another scheduler stands by, tries to win the lock every
  `TAKEOVER_SECONDS`, and takes over when the leader's connection ends (crash
  included): the database releases the lock at once.
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

import psycopg
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Connection, func, select, text

from models import DueAction, DueActionStatus
from workflow import clock, due_actions, firing, mail
from workflow.errors import N_, ConcordError, Conflict

log = logging.getLogger("concord.scheduler")

LEADER_LOCK = "concord:scheduler"
MAX_SWEEP_INTERVAL = 60
TAKEOVER_SECONDS = 1  # how often a standby tries to win the leadership
SWEEPER_JOB = "sweeper"
WAKE_JOB = "wake"  # the date job at the earliest due moment
STANDBY_JOB = "standby"
MAIL_JOB = "mail"  # notifications: reminders due, then e-mail (workflow.mail)
LISTEN_RETRY_SECONDS = 1  # after the listening connection is lost
SHUTDOWN_WAIT_SECONDS = 60  # for a running sweep to stop between batches


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
    """A session advisory lock on a connection of its own: the leader is whoever holds it.

    The scheduler's jobs (the sweeper, the standby's take-over) and its shutdown reach it
    from different threads; one connection takes one statement at a time, so they take
    turns."""

    def __init__(self, engine):
        self.engine = engine
        self._connection: Connection | None = None
        self._key: int | None = None  # the lock's key, read once with the connection
        self._turn = threading.RLock()

    @staticmethod
    def key_for(connection: Connection) -> int:
        """The lock's key for the schema the connection works in."""
        schema = connection.execute(text("SELECT current_schema()")).scalar()
        return zlib.crc32(f"{LEADER_LOCK}:{schema}".encode())

    @property
    def held(self) -> bool:
        return self._connection is not None

    def acquire(self) -> bool:
        with self._turn:
            if self._connection is not None:
                if self._still_connected():
                    return True
                self._drop()
            connection = self.engine.connect()
            try:
                key = self.key_for(connection)
                won = connection.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": key}
                ).scalar()
                connection.commit()
            except Exception:
                connection.close()
                raise
            if not won:
                connection.close()
                return False
            self._connection, self._key = connection, key
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
        with self._turn:
            if self._connection is None:
                return
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": self._key}
                )
                self._connection.commit()
                self._connection.close()
                self._connection = None
            except Exception:
                # The server ended the dead connection's session, and its lock with it.
                log.warning("the leadership connection was gone when it was released")
                self._drop()


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


class DueActionListener(threading.Thread):
    """PostgreSQL: LISTEN on a connection of its own; each notification calls `heard`.
    After (re)connecting it calls `heard` once too: what was sent meanwhile went unheard."""

    def __init__(self, engine, heard):
        super().__init__(name="due-action-listener", daemon=True)
        self.connect_args = engine.dialect.create_connect_args(engine.url)
        self.heard = heard
        self._halt = threading.Event()

    def run(self) -> None:
        arguments, keywords = self.connect_args
        while not self._halt.is_set():
            try:
                with psycopg.connect(*arguments, **keywords, autocommit=True) as connection:
                    connection.execute(f"LISTEN {due_actions.CHANNEL}")
                    self.heard()
                    while not self._halt.is_set():
                        for _notification in connection.notifies(timeout=1.0):
                            self.heard()
            except psycopg.Error as error:
                log.warning("listening for due actions failed (%s); again in a moment", error)
                self._halt.wait(LISTEN_RETRY_SECONDS)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


class DeadlineScheduler:
    """One scheduler process's view: leadership, the next wake-up, the sweeper."""

    def __init__(self, runtime, *, blocking: bool = False):
        self.runtime = runtime
        self.leadership = leadership_for(runtime)
        interval = runtime.settings.sweep_interval_seconds
        self.sweep_interval = max(1, min(interval, MAX_SWEEP_INTERVAL))
        scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
        self.apscheduler: BaseScheduler = scheduler_class(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(4)},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )
        self.next_wake: datetime | None = None  # when the date job runs
        self._wake_lock = threading.Lock()
        self._wanted = threading.Event()  # a wake-up was asked for
        self._sweeping = threading.Lock()  # one wake-up at a time; others coalesce into it
        self._stopping = threading.Event()
        self._listener: DueActionListener | None = None
        self._mailing = threading.Lock()  # one delivery pass at a time

    # ---------------------------------------------------------------- life cycle

    @property
    def is_leader(self) -> bool:
        return self.leadership.held

    def start(self) -> None:
        """Win leadership (SQLite: or refuse), catch up, then run. Blocks if blocking."""
        leading = self.leadership.acquire()
        if self.runtime.engine.dialect.name == "postgresql":
            self._listener = DueActionListener(self.runtime.engine, self.request_wake)
            self._listener.start()
        due_actions.on_commit(self.request_wake)
        if leading:
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
        self.apscheduler.add_job(
            self.deliver_mail,
            IntervalTrigger(seconds=self.sweep_interval, timezone=UTC),
            id=MAIL_JOB,
            replace_existing=True,
        )
        self.apscheduler.add_job(
            self.take_over,
            IntervalTrigger(seconds=TAKEOVER_SECONDS, timezone=UTC),
            id=STANDBY_JOB,
            replace_existing=True,
        )
        self.apscheduler.start()

    def shutdown(self) -> None:
        self._stopping.set()
        due_actions.forget(self.request_wake)
        if self._listener is not None:
            self._listener.stop()
        if self.apscheduler.running:
            # Not wait=True: a running wake-up that sets its next date job would wait for
            # the scheduler's locks while the shutdown holds them waiting for it.
            self.apscheduler.shutdown(wait=False)
        if self._sweeping.acquire(timeout=SHUTDOWN_WAIT_SECONDS):  # the running sweep ends
            self._sweeping.release()
        self.leadership.release()

    # ---------------------------------------------------------------- work

    def catch_up(self) -> firing.SweepReport:
        report = self.sweep()
        self.reload()
        return report

    def tick(self) -> None:
        """The sweeper job: take over if the leader left, then wake."""
        try:
            if not self.leadership.acquire():
                return
        except SchedulerAlreadyRunning:
            return
        except Exception:
            log.exception("could not check the leadership; the next sweep retries")
            return
        self.wake()

    def take_over(self) -> None:
        """The standby's job: win the leadership as soon as the leader's lock is gone."""
        if self.leadership.held or self._stopping.is_set():
            return
        try:
            won = self.leadership.acquire()
        except Exception:
            log.debug("no leadership yet", exc_info=True)
            return
        if won:
            log.info("the leader is gone: taking over")
            self.wake()

    def request_wake(self) -> None:
        """A row was added or moved: wake in one of the scheduler's threads, soon.
        Never waits (called from the listener and from commits in this process)."""
        if self._stopping.is_set():
            return
        self._wanted.set()
        if not self._sweeping.locked():
            self.apscheduler.add_job(self.wake)

    def wake(self) -> None:
        """Fire what is due, then set the next wake-up. A wake-up asked for while one runs
        makes that one go round once more, so none is lost."""
        self._wanted.set()
        while self._wanted.is_set() and not self._stopping.is_set():
            if not self._sweeping.acquire(blocking=False):
                return
            try:
                while self._wanted.is_set() and not self._stopping.is_set():
                    self._wanted.clear()
                    if not self.leadership.held:
                        return
                    try:
                        self.sweep()
                        self.reload()
                    except Exception:
                        log.exception("the sweep failed; the next one retries")
                    self.deliver_mail()  # what the fired deadlines had to tell, at once
            finally:
                self._sweeping.release()

    def deliver_mail(self) -> mail.DeliveryReport | None:
        """The leader writes the reminders that fell due and sends what the outbox holds."""
        if not self.leadership.held or self._stopping.is_set():
            return None
        if not self._mailing.acquire(blocking=False):
            return None
        try:
            return mail.deliver(self.runtime, should_stop=self._stopping.is_set)
        except Exception:
            log.exception("delivering notifications failed; the next pass retries")
            return None
        finally:
            self._mailing.release()

    def sweep(self, *, now: datetime | None = None) -> firing.SweepReport:
        return firing.sweep(self.runtime, now=now, should_stop=self._stopping.is_set)

    def reload(self, *, now: datetime | None = None) -> datetime | None:
        """Set the date job for the earliest moment a pending row falls due, or may be
        retried, after `now`. Returns that moment (None: nothing pending)."""
        now = now or clock.now()
        pending = DueAction.status == DueActionStatus.PENDING
        with self.runtime.sessions() as session:
            next_due = session.scalar(
                select(func.min(DueAction.due_at)).where(pending, DueAction.due_at > now)
            )
            next_retry = session.scalar(
                select(func.min(DueAction.next_attempt_at)).where(
                    pending, DueAction.next_attempt_at > now
                )
            )
        moment = min((m for m in (next_due, next_retry) if m is not None), default=None)
        with self._wake_lock:
            if moment is None:
                if self.apscheduler.get_job(WAKE_JOB) is not None:
                    self.apscheduler.remove_job(WAKE_JOB)
            else:
                self.apscheduler.add_job(
                    self.wake,
                    DateTrigger(run_date=moment, timezone=UTC),
                    id=WAKE_JOB,
                    replace_existing=True,
                )
            self.next_wake = moment
        return moment


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
