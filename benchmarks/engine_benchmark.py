"""Engine benchmark: SQL statements and median time per recorded position and per trigger.

    python benchmarks/engine_benchmark.py [--database-url URL] [--n 200]

On PostgreSQL it also runs 8 concurrent writers, each recording positions in a round of
its own document, against 8 writers all recording in one document's round, and prints
the throughput of each and their ratio (writers of different documents should not wait
for each other).

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

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, event, insert, select, text
from sqlalchemy.orm import Session, selectinload

from bootstrap.profile import load_profile
from config.settings import DEFAULT_PROFILE
from models import Affiliation, Base, Participant, ParticipantStatus, PositionKind, RoundMode, User
from models.db import make_engine
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


def acting_user(session: Session, user_id: int) -> User:
    """The user with whom they act for, loaded as a request's authentication loads them
    (web sign-in and API token alike); not part of the measured operation."""
    return session.scalar(
        select(User)
        .where(User.id == user_id)
        .options(selectinload(User.affiliations).selectinload(Affiliation.participant))
    )


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


def concurrent_writers(engine: Engine, people, rounds: list[int], per_writer: int) -> float:
    """Positions per second when writer i records `per_writer` positions in rounds[i]."""
    codes = sorted(people["delegates"])[:WRITERS]
    start_line = threading.Barrier(WRITERS + 1)

    def writer(i: int) -> None:
        code = codes[i]
        with Session(engine, expire_on_commit=False) as session:
            delegate = acting_user(session, people["delegates"][code])
            session.commit()
            start_line.wait()
            for j in range(per_writer):
                kind = KINDS[j % 2]  # consent / consent with statement: the round stays open
                operations.record_position(
                    session,
                    delegate,
                    rounds[i],
                    participant=code,
                    kind=kind,
                    text=f"statement {j}" if kind.requires_text else "",
                )
                session.commit()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    start_line.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return WRITERS * per_writer / (time.perf_counter() - start)


def bench_parallel_documents(engine: Engine, people, per_writer: int) -> None:
    with Session(engine, expire_on_commit=False) as session:
        secretariat = session.get(User, people["secretariat"])
        own = [open_meeting_round(session, secretariat) for _ in range(WRITERS)]
        shared = open_meeting_round(session, secretariat)
        session.commit()
    apart = concurrent_writers(engine, people, own, per_writer)
    together = concurrent_writers(engine, people, [shared] * WRITERS, per_writer)
    print(f"\n  {WRITERS} concurrent writers, {per_writer} positions each")
    print(f"  {'on ' + str(WRITERS) + ' documents (positions/s)':<36} {apart:>10.1f}")
    print(f"  {'on one document (positions/s)':<36} {together:>10.1f}")
    print(f"  {'ratio':<36} {apart / together:>10.2f}")


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


def run_backend(label: str, engine: Engine, n: int) -> list[Measure]:
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
        bench_parallel_documents(engine, people, max(n // 4, 10))
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

    audit.configure_keys(secrets.token_hex(32))
    with sqlite_engine() as engine:
        run_backend("SQLite", engine, args.n)
    if args.database_url:
        with postgres_engine(args.database_url) as engine:
            run_backend("PostgreSQL", engine, args.n)
    else:
        print("\n(PostgreSQL skipped: pass --database-url postgresql+psycopg://...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
