"""Helpers shared by the deadline tests and the SIGKILL helper (imported as a top-level module)."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from models import AuditEvent, Document, DueAction, DueActionStatus, Round, RoundMode, User
from workflow import audit, clock, operations
from workflow.accounts import create_user

NOW = datetime(2025, 3, 10, 6, 0, tzinfo=UTC)  # 11:00 in Astana
DEADLINE = NOW + timedelta(days=14)
TEXTS = {"en": "Draft text.", "ru": "Проект текста."}


def seed_silence_rounds(
    runtime, count: int, *, opened_at: datetime, deadline: datetime, batch: int = 100
) -> list[int]:
    """`count` concept papers before the SOC, each with a committed silence round ending at
    `deadline`. Returns the round ids."""
    tag = uuid.uuid4().hex[:8]
    round_ids: list[int] = []
    with clock.frozen_at(opened_at):
        with runtime.transaction() as session:
            secretariat = create_user(
                session,
                email=f"secretariat-{tag}@test.example",
                name="Secretariat",
                password="test-password-1",
                secretariat=True,
            )
            coordinator = create_user(
                session,
                email=f"kaz-{tag}@test.example",
                name="KAZ delegate",
                password="test-password-1",
                delegate_of=("KAZ",),
            )
            session.flush()
            secretariat_id, coordinator_id = secretariat.id, coordinator.id
        for start in range(0, count, batch):
            with runtime.transaction() as session:
                secretariat = session.get(User, secretariat_id)
                coordinator = session.get(User, coordinator_id)
                for number in range(start, min(start + batch, count)):
                    document = operations.create_document(
                        session,
                        coordinator,
                        kind="concept_paper",
                        title=f"Concept paper {tag}-{number}",
                        title_ru="Документ",
                        priority_area="MIL-1",
                        proposer="KAZ",
                        texts=TEXTS,
                    )
                    document.state = "soc_consideration"
                    session.flush()
                    round_ = operations.open_round(
                        session, secretariat, document.id, mode=RoundMode.SILENCE, deadline=deadline
                    )
                    round_ids.append(round_.id)
    return round_ids


def closures_per_round(session, round_ids) -> Counter:
    """Round id -> how many `round_closed` audit events name it."""
    counts = Counter({round_id: 0 for round_id in round_ids})
    for event in session.scalars(select(AuditEvent).where(AuditEvent.action == "round_closed")):
        round_id = event.data.get("round_id")
        if round_id in counts:
            counts[round_id] += 1
    return counts


def transitions_per_document(session, document_ids) -> Counter:
    counts = Counter({document_id: 0 for document_id in document_ids})
    rows = session.execute(
        select(AuditEvent.document_id, func.count())
        .where(AuditEvent.action == "transition", AuditEvent.document_id.in_(document_ids))
        .group_by(AuditEvent.document_id)
    )
    counts.update(dict(rows.all()))
    return counts


def assert_each_fired_exactly_once(session, round_ids) -> None:
    """Every round closed once in consensus, every paper approved once, every row fired,
    and the audit chain intact."""
    closures = closures_per_round(session, round_ids)
    assert set(closures.values()) == {1}, {k: v for k, v in closures.items() if v != 1}
    rounds = list(session.scalars(select(Round).where(Round.id.in_(round_ids))))
    assert {r.outcome.value for r in rounds} == {"consensus"}
    document_ids = [r.document_id for r in rounds]
    # One transition per paper: soc_approve (the state was set directly when seeding).
    assert set(transitions_per_document(session, document_ids).values()) == {1}
    states = session.scalars(select(Document.state).where(Document.id.in_(document_ids)))
    assert set(states) == {"approved"}
    statuses = session.scalars(select(DueAction.status).where(DueAction.round_id.in_(round_ids)))
    assert Counter(statuses) == Counter({DueActionStatus.FIRED: len(round_ids)})
    assert audit.find_break(session) is None
