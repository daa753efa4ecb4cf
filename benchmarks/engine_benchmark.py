"""Engine benchmark: SQL statements and median time per recorded position and per trigger.

    python benchmarks/engine_benchmark.py [--database-url URL] [--n 200]

On PostgreSQL it also runs 8 concurrent writers, each recording positions in a round of
its own document, against 8 writers all recording in one document's round. Each writer
is an OS process of its own (as a gunicorn worker is), with its own engine and session;
they start together at a barrier. It prints the throughput of each case (positions over
the wall time from the barrier to the last writer's finish), their ratio, and the time
the writers spent in the lock statements of workflow.locking (`FOR UPDATE`, advisory
locks) per position and as a share of their wall time: writers of different documents
should not wait for each other.

Runs on a temporary SQLite file, and on PostgreSQL when --database-url (or
CONCORD_BENCH_DATABASE_URL) names a database: there it creates a schema of its
own and drops it at the end. Each measured operation is one transaction, as a
request makes it: the operation, then the commit. The baseline is a bare
single-row INSERT transaction on the same engine, measured in the same run; the
ratios compare medians. Statements are counted with a `before_cursor_execute`
listener, leaving out transaction control (BEGIN, SAVEPOINT, RELEASE).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session

from bootstrap.profile import load_profile
from config.settings import DEFAULT_PROFILE
from models import Base, Participant, ParticipantStatus, PositionKind, RoundMode, User
from models.db import make_engine
from models.user import WHO_THEY_ACT_FOR
from workflow import audit, operations
from workflow.accounts import create_user

PASSWORD = "bench-password-1"
WARMUP = 5
KINDS = (
    PositionKind.CONSENT,
    PositionKind.CONSENT_WITH_STATEMENT,
    PositionKind.RESERVATION,
    PositionKind.STAND_ASIDE,
)
TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")

baseline_table = Table(
    "bench_baseline",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("note", String(100), nullable=False),
)


@dataclass
class Measure:
    name: str
    statements: float
    most_statements: int
    median_ms: float
    p95_ms: float

    def ratio(self, baseline: Measure) -> float:
        return self.median_ms / baseline.median_ms


class StatementCounter:
    def __init__(self, engine: Engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            self.count += 1


def measure(
    name: str, counter: StatementCounter, n: int, prepare: Callable, run: Callable
) -> Measure:
    """`prepare(i)` (not measured) returns what `run(i, prepared)` needs; both counted apart."""
    timings, statements = [], []
    for i in range(-WARMUP, n):
        prepared = prepare(i)
        before = counter.count
        start = time.perf_counter()
        run(i, prepared)
        elapsed = time.perf_counter() - start
        if i >= 0:
            timings.append(elapsed)
            statements.append(counter.count - before)
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
    return Measure(
        name,
        statistics.mean(statements),
        max(statements),
        statistics.median(timings) * 1000,
        p95 * 1000,
    )


# ------------------------------------------------------------------ the three measurements


# Built once, as sign-in's statements are (workflow.tokens, workflow.sessions).
_USER_WITH_WHO_THEY_ACT_FOR = (
    select(User).where(User.id == bindparam("user_id")).options(WHO_THEY_ACT_FOR)
)


def acting_user(session: Session, user_id: int) -> User:
    """The user with whom they act for, loaded as a request's authentication loads them
    (web sign-in and API token alike); not part of the measured operation."""
    return session.scalars(_USER_WITH_WHO_THEY_ACT_FOR, {"user_id": user_id}).unique().first()


def bench_baseline(engine: Engine, counter: StatementCounter, n: int) -> Measure:
    baseline_table.create(engine)

    def run(i, _prepared):
        with engine.begin() as connection:
            connection.execute(insert(baseline_table).values(note=f"row {i}"))

    return measure("bare single-row INSERT transaction", counter, n, lambda i: None, run)


def bench_positions(engine: Engine, counter: StatementCounter, n: int, people) -> Measure:
    """Delegates of every member state in turn record positions in one meeting round."""
    with Session(engine, expire_on_commit=False) as session:
        secretariat = session.get(User, people["secretariat"])
        document = new_proposal(session, secretariat)
        operations.fire_trigger(session, secretariat, document.id, "screen")
        operations.fire_trigger(session, secretariat, document.id, "forward_to_prc")
        round_id = operations.open_round(
            session, secretariat, document.id, mode=RoundMode.MEETING
        ).id
        session.commit()
    codes = sorted(people["delegates"])

    def prepare(i):
        session = Session(engine, expire_on_commit=False)
        code = codes[i % len(codes)]
        return session, acting_user(session, people["delegates"][code]), code

    def run(i, prepared):
        session, delegate, code = prepared
        kind = KINDS[i % len(KINDS)]
        operations.record_position(
            session,
            delegate,
            round_id,
            participant=code,
            kind=kind,
            text=f"statement {i}" if kind.requires_text else "",
        )
        session.commit()
        session.close()

    return measure("record a position", counter, n, prepare, run)


def bench_triggers(engine: Engine, counter: StatementCounter, n: int, people) -> Measure:
    """The Secretariat fires `screen` on fresh project proposals (guards: has_version, revised)."""
    with Session(engine, expire_on_commit=False) as session:
        secretariat = session.get(User, people["secretariat"])
        documents = [new_proposal(session, secretariat).id for _ in range(n + WARMUP)]
        session.commit()

    def prepare(i):
        session = Session(engine, expire_on_commit=False)
        return session, acting_user(session, people["secretariat"]), documents[i + WARMUP]

    def run(_i, prepared):
        session, secretariat, document_id = prepared
        operations.fire_trigger(session, secretariat, document_id, "screen")
        session.commit()
        session.close()

    return measure("fire a trigger", counter, n, prepare, run)


def open_meeting_round(session: Session, secretariat: User) -> int:
    document = new_proposal(session, secretariat)
    operations.fire_trigger(session, secretariat, document.id, "screen")
    operations.fire_trigger(session, secretariat, document.id, "forward_to_prc")
    return operations.open_round(session, secretariat, document.id, mode=RoundMode.MEETING).id


WRITERS = 8
LOCK_STATEMENTS = ("FOR UPDATE", "pg_advisory_xact_lock")  # workflow.locking's lock queries
START_TIMEOUT_SECONDS = 300  # the writers' interpreters start and connect before it


class LockTimer:
    """Seconds spent in the statements that take row or advisory locks, and in the others
    for comparison: a lock statement that takes no longer than another statement waited
    for no one (on a busy CPU both include waiting for a core)."""

    def __init__(self, engine: Engine):
        self.reset()
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        self.seconds = {True: 0.0, False: 0.0}  # lock statements, others
        self.statements = {True: 0, False: 0}

    @staticmethod
    def _is_lock(statement: str) -> bool:
        return any(marker in statement for marker in LOCK_STATEMENTS)

    def _before(self, conn, _cursor, _statement, *_args) -> None:
        conn.info["bench_statement_started"] = time.perf_counter()

    def _after(self, conn, _cursor, statement, *_args) -> None:
        started = conn.info.pop("bench_statement_started", None)
        if started is not None:
            is_lock = self._is_lock(statement)
            self.seconds[is_lock] += time.perf_counter() - started
            self.statements[is_lock] += 1


@dataclass(frozen=True)
class Writer:
    """What one writer process needs: where the tables are, the audit key, who it is and
    in which round it records."""

    url: str
    search_path: str
    audit_key: str
    user_id: int
    code: str
    round_id: int
    positions: int


def writer_process(writer: Writer, start_line, finish_line, results) -> None:
    """One writer in a process of its own, as a gunicorn worker is: its own interpreter,
    engine and session. Ready (connected, the delegate loaded), it waits at `start_line`;
    done, it reports its lock time and waits at `finish_line`."""
    try:
        audit.configure_keys(writer.audit_key)
        engine = make_engine(
            writer.url, connect_args={"options": f"-csearch_path={writer.search_path}"}
        )
        locks = LockTimer(engine)
        try:
            with Session(engine, expire_on_commit=False) as session:
                delegate = acting_user(session, writer.user_id)
                session.commit()
                start_line.wait(START_TIMEOUT_SECONDS)
                locks.reset()  # only the positions count
                for j in range(writer.positions):
                    kind = KINDS[j % 2]  # consent / consent with statement: the round stays open
                    operations.record_position(
                        session,
                        delegate,
                        writer.round_id,
                        participant=writer.code,
                        kind=kind,
                        text=f"statement {j}" if kind.requires_text else "",
                    )
                    session.commit()
        finally:
            engine.dispose()
        results.put((locks.seconds, locks.statements))
        finish_line.wait()
    except BaseException:
        start_line.abort()  # the others, and the parent, stop waiting
        finish_line.abort()
        raise


@dataclass
class WritersResult:
    positions: int
    seconds: float  # wall time, from the start line to the last writer's finish
    statement_seconds: dict[bool, float]  # summed over the writers; True: lock statements
    statements: dict[bool, int]

    @property
    def rate(self) -> float:
        return self.positions / self.seconds

    @property
    def lock_ms_per_position(self) -> float:
        return self.statement_seconds[True] / self.positions * 1000

    @property
    def lock_share(self) -> float:
        """Share of the writers' wall time spent in lock statements."""
        return self.statement_seconds[True] / (WRITERS * self.seconds)

    def ms_per_statement(self, lock: bool) -> float:
        return self.statement_seconds[lock] / max(self.statements[lock], 1) * 1000


def concurrent_writers(
    engine: Engine, people, rounds: list[int], per_writer: int, audit_key: str
) -> WritersResult:
    """Writer i, a process of its own, records `per_writer` positions in rounds[i]."""
    with engine.connect() as connection:
        search_path = connection.exec_driver_sql("show search_path").scalar()
    url = engine.url.render_as_string(hide_password=False)
    codes = sorted(people["delegates"])[:WRITERS]
    context = multiprocessing.get_context("spawn")
    start_line, finish_line = context.Barrier(WRITERS + 1), context.Barrier(WRITERS + 1)
    results = context.Queue()
    processes = [
        context.Process(
            target=writer_process,
            args=(
                Writer(
                    url,
                    search_path,
                    audit_key,
                    people["delegates"][code],
                    code,
                    round_id,
                    per_writer,
                ),
                start_line,
                finish_line,
                results,
            ),
        )
        for code, round_id in zip(codes, rounds, strict=True)
    ]
    for process in processes:
        process.start()
    try:
        start_line.wait(START_TIMEOUT_SECONDS)
        start = time.perf_counter()
        finish_line.wait()
        elapsed = time.perf_counter() - start
    except threading.BrokenBarrierError:
        for process in processes:
            process.join()
        raise SystemExit("a writer process failed (its traceback is above)") from None
    reported = [results.get() for _ in processes]
    for process in processes:
        process.join()
    return WritersResult(
        WRITERS * per_writer,
        elapsed,
        {lock: sum(seconds[lock] for seconds, _ in reported) for lock in (True, False)},
        {lock: sum(counts[lock] for _, counts in reported) for lock in (True, False)},
    )


def bench_parallel_documents(engine: Engine, people, per_writer: int, audit_key: str) -> None:
    with Session(engine, expire_on_commit=False) as session:
        secretariat = session.get(User, people["secretariat"])
        own = [open_meeting_round(session, secretariat) for _ in range(WRITERS)]
        shared = open_meeting_round(session, secretariat)
        session.commit()
    apart = concurrent_writers(engine, people, own, per_writer, audit_key)
    together = concurrent_writers(engine, people, [shared] * WRITERS, per_writer, audit_key)
    print(
        f"\n  {WRITERS} concurrent writers (processes), {per_writer} positions each,"
        f" {os.cpu_count()} CPU cores"
    )
    width = 48
    print(f"  {'on ' + str(WRITERS) + ' documents (positions/s)':<{width}} {apart.rate:>10.1f}")
    print(f"  {'on one document (positions/s)':<{width}} {together.rate:>10.1f}")
    print(f"  {'ratio':<{width}} {apart.rate / together.rate:>10.2f}")
    for label, result in ((f"on {WRITERS} documents", apart), ("on one document", together)):
        print(
            f"  {'lock wait per position, ' + label + ' (ms)':<{width}}"
            f" {result.lock_ms_per_position:>10.3f}"
        )
    for label, result in ((f"on {WRITERS} documents", apart), ("on one document", together)):
        print(
            f"  {'time waiting for locks, ' + label + ' (%)':<{width}}"
            f" {result.lock_share * 100:>10.1f}"
        )
    for label, result in ((f"on {WRITERS} documents", apart), ("on one document", together)):
        print(
            f"  {'a lock / another statement, ' + label + ' (ms)':<{width}}"
            f" {result.ms_per_statement(True):>10.3f} / {result.ms_per_statement(False):.3f}"
        )


def new_proposal(session: Session, secretariat: User):
    return operations.create_document(
        session,
        secretariat,
        kind="project_proposal",
        title="Benchmark proposal",
        title_ru="Документ",
        proposer="KAZ",
        budget=10000,
        texts={"en": "Rev.1"},
    )


# ------------------------------------------------------------------ databases


def prepare_database(engine: Engine) -> dict:
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        load_profile(session, DEFAULT_PROFILE)
        members = session.scalars(
            select(Participant.code).where(Participant.status == ParticipantStatus.MEMBER)
        ).all()
        delegates = {
            code: create_user(
                session,
                email=f"delegate.{code.lower()}@bench.example",
                name=f"Delegate of {code}",
                password=PASSWORD,
                delegate_of=[code],
            )
            for code in members
        }
        secretariat = create_user(
            session,
            email="secretariat@bench.example",
            name="Secretariat",
            password=PASSWORD,
            secretariat=True,
        )
        session.commit()
        return {
            "secretariat": secretariat.id,
            "delegates": {code: user.id for code, user in delegates.items()},
        }


@contextmanager
def sqlite_engine():
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def postgres_engine(url: str):
    """An engine whose tables live in a fresh schema, dropped afterwards."""
    admin = make_engine(url)
    schema = f"concord_bench_{uuid.uuid4().hex[:10]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run_backend(label: str, engine: Engine, n: int, audit_key: str) -> list[Measure]:
    people = prepare_database(engine)
    counter = StatementCounter(engine)
    baseline = bench_baseline(engine, counter, n)
    results = [
        baseline,
        bench_positions(engine, counter, n, people),
        bench_triggers(engine, counter, n, people),
    ]
    print(f"\n{label} ({engine.dialect.name} {version_of(engine)}), n={n}")
    print(
        f"  {'operation':<36} {'statements':>10} {'at most':>8} {'median ms':>10}"
        f" {'p95 ms':>8} {'x baseline':>11}"
    )
    for m in results:
        print(
            f"  {m.name:<36} {m.statements:>10.1f} {m.most_statements:>8} {m.median_ms:>10.3f}"
            f" {m.p95_ms:>8.3f} {m.ratio(baseline):>11.1f}"
        )
    if engine.dialect.name == "postgresql":
        bench_parallel_documents(engine, people, max(n // 4, 10), audit_key)
    return results


def version_of(engine: Engine) -> str:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return connection.exec_driver_sql("select sqlite_version()").scalar()
        return connection.exec_driver_sql("show server_version").scalar().split()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("CONCORD_BENCH_DATABASE_URL", ""),
        help="a PostgreSQL database to run on as well (a schema is created there and dropped)",
    )
    parser.add_argument("--n", type=int, default=200, help="measured operations of each kind")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    if args.database_url and not args.database_url.startswith("postgresql"):
        parser.error("--database-url must be a PostgreSQL URL (SQLite always runs)")

    audit_key = secrets.token_hex(32)
    audit.configure_keys(audit_key)
    with sqlite_engine() as engine:
        run_backend("SQLite", engine, args.n, audit_key)
    if args.database_url:
        with postgres_engine(args.database_url) as engine:
            run_backend("PostgreSQL", engine, args.n, audit_key)
    else:
        print("\n(PostgreSQL skipped: pass --database-url postgresql+psycopg://...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
