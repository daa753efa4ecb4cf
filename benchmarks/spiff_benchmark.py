"""Concord against SpiffWorkflow: positions recorded per second, in-process on SQLite.

    pip install -e ".[bench]"        # SpiffWorkflow, for the peer only
    python benchmarks/spiff_benchmark.py --peer PATH/spiff_peer.py

The peer (`--peer`) is a script that records positions with SpiffWorkflow the way an
application built on it would (load the workflow from a SQLite file, complete one state's
task, save it, commit) and prints `... = N positions/s`; it runs in a process of its own
with this interpreter, at 28 states and at 193.

Concord does the same work on a temporary SQLite file (WAL, as its embedded default):
written rounds of the PRC on project proposals, in which every state of the electorate
records its consent, one transaction per position (the acting delegate read as a
request's authentication reads them, the operation, the commit); the last consent
closes the round with consensus and fires the proposal's trigger. At 28 states the
forum is the CICA profile; at 193 it is the CICA profile plus 165 fictitious member
states (codes `F001`…), each with a delegate.

It prints both rates at each size, Concord's ratio to the peer, and Concord's rate at
193 states against its rate at 28.

It also measures, in the same run, a floor: the rate of a bare single-row INSERT and
commit, one transaction after another, on a temporary SQLite file, once through
Concord's engine (`models.db.make_engine`: WAL, foreign keys, busy timeout, default
synchronous) and once with the raw `sqlite3` module as the peer uses it (WAL, default
synchronous, `BEGIN IMMEDIATE` … `COMMIT`). One durable commit per position allows at
most that many positions per second; next to it, each size shows the rate its goal
needs (28 states: above the peer's; 193 states: ten times the peer's).
"""

from __future__ import annotations

import argparse
import re
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine_benchmark import (  # noqa: E402
    acting_user,
    baseline_table,
    new_proposal,
    prepare_database,
    sqlite_engine,
)

from models import (  # noqa: E402
    Affiliation,
    AffiliationRole,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    PositionKind,
    Round,
    RoundMode,
    RoundStatus,
    User,
)
from workflow import audit, operations, times  # noqa: E402

CICA_STATES = 28
LARGE_FORUM = 193
FLOOR_TRANSACTIONS = 1000
FLOOR_WARMUP = 20
GOALS = {CICA_STATES: (1.0, ">"), LARGE_FORUM: (10.0, "≥")}  # Concord / Spiff


def add_fictitious_states(session: Session, count: int) -> dict[str, int]:
    """`count` more member states, each with a delegate; their codes -> the delegates' ids.
    The delegates get no usable password: they never sign in, they only act here."""
    delegates = {}
    for number in range(1, count + 1):
        code = f"F{number:03d}"
        state = Participant(
            code=code,
            kind=ParticipantKind.STATE,
            status=ParticipantStatus.MEMBER,
            name_en=f"Fictitious state {number}",
            name_ru=f"Вымышленное государство {number}",
        )
        delegate = User(
            email=f"delegate.{code.lower()}@bench.example",
            name=f"Delegate of {code}",
            password_hash="!",
            timezone="UTC",
            affiliations=[Affiliation(role=AffiliationRole.DELEGATE, participant=state)],
        )
        session.add_all([state, delegate])
        session.flush()
        delegates[code] = delegate.id
    return delegates


def open_written_round(session: Session, secretariat: User) -> int:
    document = new_proposal(session, secretariat)
    operations.fire_trigger(session, secretariat, document.id, "screen")
    operations.fire_trigger(session, secretariat, document.id, "forward_to_prc")
    deadline = times.now_utc() + timedelta(days=30)
    return operations.open_round(
        session, secretariat, document.id, mode=RoundMode.WRITTEN, deadline=deadline
    ).id


def concord_rate(states: int, documents: int, *, warm_up: bool = True) -> float:
    """Positions per second when every state consents in `documents` written rounds.

    With `warm_up`, one more round is answered first, outside the clock: a new engine
    compiles each statement once, as a running server did long before (the peer does its
    own warm-up work before its clock starts: parsing, serialising every workflow)."""
    with sqlite_engine() as engine:
        people = prepare_database(engine)
        delegates = dict(people["delegates"])
        with Session(engine, expire_on_commit=False) as session:
            if states > len(delegates):
                delegates |= add_fictitious_states(session, states - len(delegates))
            secretariat = session.get(User, people["secretariat"])
            warm_up_rounds = [open_written_round(session, secretariat)] if warm_up else []
            rounds = [open_written_round(session, secretariat) for _ in range(documents)]
            session.commit()
        codes = sorted(delegates)
        if len(codes) != states:
            raise SystemExit(f"the forum has {len(codes)} member states, not {states}")
        for round_id in warm_up_rounds:
            answer_round(engine, round_id, codes, delegates)
        start = time.perf_counter()
        for round_id in rounds:
            answer_round(engine, round_id, codes, delegates)
        elapsed = time.perf_counter() - start
        with Session(engine) as session:
            still_open = [
                r
                for r in warm_up_rounds + rounds
                if session.get(Round, r).status is RoundStatus.OPEN
            ]
        if still_open:
            raise SystemExit(f"rounds {still_open} did not close with the last consent")
        return len(rounds) * len(codes) / elapsed


def answer_round(engine, round_id: int, codes: list[str], delegates: dict[str, int]) -> None:
    """Every state consents, one transaction each; the last consent closes the round."""
    for code in codes:
        with Session(engine, expire_on_commit=False) as session:
            operations.record_position(
                session,
                acting_user(session, delegates[code]),
                round_id,
                participant=code,
                kind=PositionKind.CONSENT,
            )
            session.commit()


def engine_floor(transactions: int) -> float:
    """Bare single-row INSERT transactions per second through Concord's engine."""
    with sqlite_engine() as engine:
        baseline_table.create(engine)
        for i in range(-FLOOR_WARMUP, transactions):
            if i == 0:
                start = time.perf_counter()
            with engine.begin() as connection:
                connection.execute(insert(baseline_table).values(note=f"row {i}"))
        return transactions / (time.perf_counter() - start)


def raw_sqlite_floor(transactions: int, folder: str) -> float:
    """The same with the sqlite3 module as the peer opens its file."""
    path = Path(folder) / "floor.sqlite3"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("create table bench_baseline (id integer primary key, note text)")
        for i in range(-FLOOR_WARMUP, transactions):
            if i == 0:
                start = time.perf_counter()
            connection.execute("begin immediate")
            connection.execute("insert into bench_baseline (note) values (?)", (f"row {i}",))
            connection.execute("commit")
        return transactions / (time.perf_counter() - start)
    finally:
        connection.close()


def peer_rate(peer: Path, states: int, documents: int, folder: str) -> float:
    done = subprocess.run(
        [
            *(sys.executable, str(peer)),
            *("--states", str(states), "--documents", str(documents)),
            *("--db", str(Path(folder) / f"spiff{states}.sqlite3")),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"=\s*([\d.]+)\s+positions/s", done.stdout)
    if found is None:
        raise SystemExit(f"the peer printed no rate:\n{done.stdout}{done.stderr}")
    return float(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", required=True, type=Path, help="the SpiffWorkflow peer script")
    parser.add_argument("--documents", type=int, default=5, help="rounds answered at 28 states")
    parser.add_argument(
        "--large-documents", type=int, default=1, help=f"rounds answered at {LARGE_FORUM} states"
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of each; medians are shown")
    args = parser.parse_args(argv)
    if not args.peer.is_file():
        parser.error(f"--peer: no file {args.peer}")
    if min(args.documents, args.large_documents, args.repeats) < 1:
        parser.error("--documents, --large-documents and --repeats must be at least 1")

    audit.configure_keys(secrets.token_hex(32))
    sizes = ((CICA_STATES, args.documents), (LARGE_FORUM, args.large_documents))
    rates: dict[tuple[str, int | str], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.repeats):
            for states, documents in sizes:
                rates.setdefault(("concord", states), []).append(concord_rate(states, documents))
                rates.setdefault(("spiff", states), []).append(
                    peer_rate(args.peer, states, documents, folder)
                )
            rates.setdefault(("floor", "engine"), []).append(engine_floor(FLOOR_TRANSACTIONS))
            rates.setdefault(("floor", "sqlite3"), []).append(
                raw_sqlite_floor(FLOOR_TRANSACTIONS, folder)
            )
    median = {key: statistics.median(values) for key, values in rates.items()}
    print(f"\npositions per second, in-process on SQLite, median of {args.repeats} runs")
    print(f"  {'states':>6} {'Concord':>10} {'SpiffWorkflow':>14} {'Concord / Spiff':>16}")
    for states, _ in sizes:
        ours, theirs = median[("concord", states)], median[("spiff", states)]
        print(f"  {states:>6} {ours:>10.0f} {theirs:>14.0f} {ours / theirs:>16.2f}")
    ratio = median[("concord", LARGE_FORUM)] / median[("concord", CICA_STATES)]
    print(f"\n  Concord at {LARGE_FORUM} states / at {CICA_STATES}: {ratio:.2f}")
    engine_floor_rate = median[("floor", "engine")]
    sqlite3_floor_rate = median[("floor", "sqlite3")]
    print(
        f"\n  floor: a bare single-row INSERT + commit per transaction, SQLite (WAL),"
        f" {FLOOR_TRANSACTIONS} in a row, median of {args.repeats} runs"
    )
    print(
        f"    Concord's engine (models.db.make_engine): at most {engine_floor_rate:.0f} transactions/s"
    )
    print(
        f"    raw sqlite3, as the peer opens its file:  at most {sqlite3_floor_rate:.0f} transactions/s"
    )
    print(
        f"  {'states':>6} {'goal':>14} {'goal needs positions/s':>23}"
        f" {'floor, engine':>14} {'floor, sqlite3':>15}"
    )
    for states, _ in sizes:
        factor, sign = GOALS[states]
        needed = factor * median[("spiff", states)]
        goal = f"{sign} {factor:g} × Spiff"
        print(
            f"  {states:>6} {goal:>14} {sign + ' ' + format(needed, '.0f'):>23}"
            f" {engine_floor_rate:>14.0f} {sqlite3_floor_rate:>15.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
