"""What the outbox costs: opening a round for 193 states with 3 delegates each, with
notifications on (579 rows written in the opening's own transaction, one INSERT) and
off, in the same run.

    python benchmarks/notification_benchmark.py                      # SQLite, a temporary file
    python benchmarks/notification_benchmark.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

On PostgreSQL the run uses a schema of its own in that database and drops it after.
The CICA profile's 28 member states are joined by 165 more (193, the size of the United
Nations), each with 3 active delegates. Each measured opening is one transaction (the
operation and its commit) on a fresh concept paper before the SOC, where every member
sits. Openings with notifications on and off alternate, `--rounds` of each; the figures
are the median and the mean, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deadline_benchmark import TEXTS, isolated_runtime  # noqa: E402

from models import (  # noqa: E402
    Affiliation,
    AffiliationRole,
    Notification,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    RoundMode,
    User,
)
from workflow import audit, clock, operations, outbox  # noqa: E402
from workflow.accounts import create_user  # noqa: E402
from workflow.registry import configure  # noqa: E402

STATES = 193
DELEGATES = 3
NOW = datetime(2025, 3, 10, 6, 0, tzinfo=UTC)


def seed_states(runtime) -> tuple[int, int]:
    """193 member states with 3 delegates each; returns the ids of the Secretariat officer
    and of a delegate of Kazakhstan (the coordinator of the papers)."""
    with runtime.transaction() as session:
        have = session.scalar(
            select(func.count()).where(
                Participant.status == ParticipantStatus.MEMBER,
                Participant.kind == ParticipantKind.STATE,
            )
        )
        session.execute(
            insert(Participant),
            [
                {
                    "code": f"S{number:03d}",
                    "kind": ParticipantKind.STATE,
                    "status": ParticipantStatus.MEMBER,
                    "name_en": f"State {number}",
                    "name_ru": f"Государство {number}",
                }
                for number in range(STATES - have)
            ],
        )
        states = session.scalars(
            select(Participant.id).where(
                Participant.status == ParticipantStatus.MEMBER,
                Participant.kind == ParticipantKind.STATE,
            )
        ).all()
        assert len(states) == STATES, len(states)
        users = [
            {
                "email": f"d{state}-{seat}@bench.example",
                "name": f"Delegate {state}-{seat}",
                "password_hash": "-",
                "active": True,
                "language": "ru" if seat == 0 else "en",
                "created_at": NOW,
            }
            for state in states
            for seat in range(DELEGATES)
        ]
        session.execute(insert(User), users)
        ids = {
            email: user_id
            for email, user_id in session.execute(
                select(User.email, User.id).where(User.email.like("d%@bench.example"))
            )
        }
        session.execute(
            insert(Affiliation),
            [
                {
                    "user_id": ids[f"d{state}-{seat}@bench.example"],
                    "role": AffiliationRole.DELEGATE,
                    "participant_id": state,
                }
                for state in states
                for seat in range(DELEGATES)
            ],
        )
        secretariat = create_user(
            session,
            email="sec@bench.example",
            name="Secretariat",
            password="bench-pass-1",
            secretariat=True,
            password_policy=False,
        )
        kaz = session.scalar(select(Participant.id).where(Participant.code == "KAZ"))
        return secretariat.id, ids[f"d{kaz}-0@bench.example"]  # a delegate of the coordinator


def papers(runtime, coordinator_id: int, count: int) -> list[int]:
    with runtime.transaction() as session:
        coordinator = session.get(User, coordinator_id)
        ids = []
        for number in range(count):
            document = operations.create_document(
                session,
                coordinator,
                kind="concept_paper",
                title=f"Paper {number}",
                title_ru="Документ",
                priority_area="MIL-1",
                proposer="KAZ",
                texts=TEXTS,
            )
            document.state = "soc_consideration"
            ids.append(document.id)
        return ids


def open_one(runtime, secretariat_id: int, document_id: int, *, notify: bool) -> float:
    outbox.enabled = notify
    try:
        started = time.perf_counter()
        with runtime.transaction() as session:
            operations.open_round(
                session,
                session.get(User, secretariat_id),
                document_id,
                mode=RoundMode.SILENCE,
                deadline=NOW + timedelta(days=14),
                timezone="UTC",
            )
        return time.perf_counter() - started
    finally:
        outbox.enabled = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rounds", type=int, default=10, help="openings of each kind")
    args = parser.parse_args()
    configure(None)
    audit.configure_keys(secrets.token_hex(32))
    with tempfile.TemporaryDirectory() as workdir:
        runtime, drop = isolated_runtime(args.database_url, Path(workdir))
        try:
            with clock.frozen_at(NOW):
                secretariat_id, coordinator_id = seed_states(runtime)
                documents = papers(runtime, coordinator_id, 2 * args.rounds + 2)
                open_one(runtime, secretariat_id, documents.pop(), notify=True)  # warm up
                open_one(runtime, secretariat_id, documents.pop(), notify=False)
                with runtime.sessions() as session:
                    before = session.scalar(select(func.count()).select_from(Notification))
                on, off = [], []
                for _ in range(args.rounds):
                    on.append(open_one(runtime, secretariat_id, documents.pop(), notify=True))
                    off.append(open_one(runtime, secretariat_id, documents.pop(), notify=False))
                with runtime.sessions() as session:
                    written = session.scalar(select(func.count()).select_from(Notification))
        finally:
            drop()
    per_round = (written - before) / args.rounds
    database = runtime.engine.dialect.name
    print(
        f"database: {database}; {STATES} states x {DELEGATES} delegates; {args.rounds} openings each"
    )
    print(f"notifications written per opening: {per_round:.0f} (one INSERT, same transaction)")
    for label, figures in (("notifications on ", on), ("notifications off", off)):
        print(
            f"{label}: median {statistics.median(figures) * 1000:7.1f} ms, "
            f"mean {statistics.mean(figures) * 1000:7.1f} ms"
        )
    ratio = statistics.median(on) / statistics.median(off)
    extra = (statistics.median(on) - statistics.median(off)) * 1000
    print(f"cost of notifying: {extra:+.1f} ms per opening, x{ratio:.2f} the opening without")


if __name__ == "__main__":
    main()
