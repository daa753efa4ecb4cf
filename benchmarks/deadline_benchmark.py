"""How long N deadlines falling due at the same moment take to fire, each exactly once.

    python benchmarks/deadline_benchmark.py                      # SQLite, a temporary file
    python benchmarks/deadline_benchmark.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

On PostgreSQL the run uses a schema of its own in that database and drops it after.
It seeds N concept papers with a silence round each, all ending at one moment,
through the engine's operations; then one sweep fires them (in batches, by
`--firers` firers at once on PostgreSQL) and the benchmark checks that each fired
exactly once. Two baselines are measured in the same run: a bare single-row UPDATE
transaction on the same database, and `--serial-count` other deadlines, due at
another moment, fired the way the scheduler fired them before batches (one row per
transaction, one firer). It prints the time, the rate and both ratios.
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bootstrap.profile import load_profile
from bootstrap.runtime import Runtime
from config.settings import DEFAULT_PROFILE, load_settings
from models import AuditEvent, Base, DueAction, DueActionStatus, RoundMode, User
from models.db import make_engine, make_session_factory
from workflow import audit, clock, firing, operations
from workflow.accounts import create_user
from workflow.registry import configure

OPENED = datetime(2025, 3, 10, 6, 0, tzinfo=UTC)
DEADLINE = OPENED + timedelta(days=14)
SERIAL_DEADLINE = DEADLINE - timedelta(days=1)  # the baseline's rows fall due first
TEXTS = {"en": "Draft text.", "ru": "Проект текста."}


def isolated_runtime(database_url: str | None, workdir: Path) -> tuple[Runtime, callable]:
    """A runtime on an empty database of its own, and a function that removes it."""
    schema = None
    if database_url and database_url.startswith("postgresql"):
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = make_engine(database_url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = (
            make_url(database_url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        load_profile(session, DEFAULT_PROFILE)
        session.commit()
    settings = load_settings(
        environ={}, env="testing", database_url=url, instance_path=str(workdir), secret_key="bench"
    )
    runtime = Runtime(settings=settings, engine=engine, sessions=make_session_factory(engine))

    def drop() -> None:
        runtime.dispose()
        if schema:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    return runtime, drop


def seed(
    runtime: Runtime, count: int, deadline: datetime, *, opened_at: datetime = OPENED
) -> list[int]:
    """`count` concept papers, each with a silence round ending at `deadline`, committed
    200 to a transaction. Returns the rounds' ids."""
    tag = uuid.uuid4().hex[:8]
    round_ids: list[int] = []
    batch = 200
    with clock.frozen_at(opened_at):
        with runtime.transaction() as session:
            secretariat = create_user(
                session,
                email=f"sec-{tag}@bench.example",
                name="Secretariat",
                password="bench-pass-1",
                secretariat=True,
            )
            coordinator = create_user(
                session,
                email=f"kaz-{tag}@bench.example",
                name="KAZ",
                password="bench-pass-1",
                delegate_of=("KAZ",),
            )
            session.flush()
            ids = secretariat.id, coordinator.id
        for start in range(0, count, batch):
            with runtime.transaction() as session:
                secretariat, coordinator = session.get(User, ids[0]), session.get(User, ids[1])
                for number in range(start, min(start + batch, count)):
                    document = operations.create_document(
                        session,
                        coordinator,
                        kind="concept_paper",
                        title=f"Paper {tag}-{number}",
                        title_ru="Документ",
                        priority_area="MIL-1",
                        proposer="KAZ",
                        texts=TEXTS,
                    )
                    document.state = "soc_consideration"
                    session.flush()
                    round_ = operations.open_round(
                        session,
                        secretariat,
                        document.id,
                        mode=RoundMode.SILENCE,
                        deadline=deadline,
                    )
                    round_ids.append(round_.id)
    return round_ids


def baseline_seconds(runtime: Runtime, transactions: int) -> float:
    """Seconds per bare single-row UPDATE transaction on this database."""
    with runtime.sessions() as session:
        row_id = session.scalar(select(DueAction.id).limit(1))
    started = time.perf_counter()
    for _ in range(transactions):
        with runtime.transaction() as session:
            session.execute(
                update(DueAction)
                .where(DueAction.id == row_id)
                .values(attempts=DueAction.attempts)
                .execution_options(synchronize_session=False)
            )
    return (time.perf_counter() - started) / transactions


def fire_serially(runtime: Runtime, now: datetime) -> firing.SweepReport:
    """The baseline: every due row in its own transaction, one after the other."""
    report = firing.SweepReport()
    with runtime.sessions() as session:
        ids = firing.overdue_ids(session, now)
    for due_action_id in ids:
        report.add(firing.fire_one(runtime.sessions, due_action_id, now=now))
    return report


def check_exactly_once(runtime: Runtime, count: int) -> str:
    with runtime.sessions() as session:
        statuses = Counter(session.scalars(select(DueAction.status)))
        closures = Counter(
            event.data["round_id"]
            for event in session.scalars(
                select(AuditEvent).where(AuditEvent.action == "round_closed")
            )
        )
        transitions = session.scalar(select(func.count()).where(AuditEvent.action == "transition"))
        broken = audit.find_break(session)
    assert statuses == {DueActionStatus.FIRED: count}, statuses
    assert len(closures) == count and set(closures.values()) == {1}, "a round closed twice"
    assert transitions == count, f"{transitions} transitions for {count} rounds"
    assert broken is None, str(broken)
    return f"{count} rows fired, {count} rounds closed once each, audit chain intact"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--serial-count",
        type=int,
        default=1_000,
        help="deadlines fired one per transaction by one firer, the baseline (0: skip)",
    )
    parser.add_argument("--firers", type=int, default=firing.FIRERS)
    parser.add_argument("--baseline-transactions", type=int, default=1_000)
    args = parser.parse_args()
    configure(None)
    audit.configure_keys(secrets.token_hex(32))
    with tempfile.TemporaryDirectory() as workdir:
        runtime, drop = isolated_runtime(args.database_url, Path(workdir))
        try:
            dialect = runtime.engine.dialect.name
            started = time.perf_counter()
            if args.serial_count:
                seed(runtime, args.serial_count, SERIAL_DEADLINE)
            seed(runtime, args.count, DEADLINE)
            seeded = time.perf_counter() - started
            print(
                f"{dialect}: seeded {args.serial_count} + {args.count} silence rounds "
                f"in {seeded:.1f} s"
            )
            per_baseline = baseline_seconds(runtime, args.baseline_transactions)
            serial_rate = None
            if args.serial_count:
                clock.set_now(SERIAL_DEADLINE)
                started = time.perf_counter()
                report = fire_serially(runtime, SERIAL_DEADLINE)
                serial = time.perf_counter() - started
                serial_rate = args.serial_count / serial
                print(
                    f"{dialect}: baseline, one row per transaction, one firer: "
                    f"{args.serial_count} fired in {serial:.1f} s ({serial_rate:.0f}/s); {report}"
                )
            clock.set_now(DEADLINE)
            started = time.perf_counter()
            report = firing.sweep(runtime, now=DEADLINE, firers=args.firers)
            elapsed = time.perf_counter() - started
            again = firing.sweep(runtime, now=DEADLINE + timedelta(minutes=1))
            print(f"{dialect}: sweep: {report}; a second sweep: {again}")
            print(f"{dialect}: {check_exactly_once(runtime, args.serial_count + args.count)}")
            per_firing = elapsed / args.count
            rate = args.count / elapsed
            firers = 1 if dialect == "sqlite" else args.firers
            print(
                f"{dialect}: {args.count} deadlines fired in {elapsed:.1f} s "
                f"({per_firing * 1000:.2f} ms each, {rate:.0f}/s) in batches of "
                f"{firing.BATCH_SIZE} by {firers} firer(s); bare single-row update transaction "
                f"{per_baseline * 1000:.3f} ms (ratio {per_firing / per_baseline:.1f}x)"
                + (f"; {rate / serial_rate:.1f}x the one-by-one rate" if serial_rate else "")
            )
        finally:
            clock.set_now(None)
            drop()


if __name__ == "__main__":
    main()
