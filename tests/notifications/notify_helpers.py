"""Seeding committed data for the notification tests (imported as a top-level module)."""

from __future__ import annotations

import dataclasses
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from models import Notification, RoundMode
from workflow import clock, operations
from workflow.accounts import create_user

PASSWORD = "correct horse battery staple"
SMTP_USER, SMTP_PASSWORD = "concord", "a long smtp password"


def with_settings(runtime, **changes):
    """The runtime with some settings changed (the SMTP server's port, say)."""
    return dataclasses.replace(runtime, settings=dataclasses.replace(runtime.settings, **changes))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Seeded:
    secretariat_id: int
    russian_id: int  # delegate of KAZ, in Russian, in Moscow's zone
    english_id: int  # delegate of IND, in English
    document_id: int
    round_id: int


def seed_round(runtime, now: datetime, *, deadline: timedelta = timedelta(days=10)) -> Seeded:
    """A concept paper before the SOC and a silence round on it, opened at `now`."""
    tag = uuid.uuid4().hex[:6]
    with clock.frozen_at(now), runtime.transaction() as session:
        secretariat = create_user(
            session,
            email=f"sec-{tag}@cica.test",
            name="Secretariat",
            password=PASSWORD,
            secretariat=True,
            password_policy=False,
        )
        russian = create_user(
            session,
            email=f"kaz-{tag}@cica.test",
            name="Айгуль",
            password=PASSWORD,
            delegate_of=("KAZ",),
            language="ru",
            timezone="Europe/Moscow",
            password_policy=False,
        )
        english = create_user(
            session,
            email=f"ind-{tag}@cica.test",
            name="Priya",
            password=PASSWORD,
            delegate_of=("IND",),
            language="en",
            password_policy=False,
        )
        document = operations.create_document(
            session,
            russian,
            kind="concept_paper",
            title="Concept paper on mail",
            title_ru="Концептуальная записка о почте",
            priority_area="MIL-1",
            proposer="KAZ",
            texts={"en": "Draft text.", "ru": "Проект текста."},
        )
        document.state = "soc_consideration"
        session.flush()
        round_ = operations.open_round(
            session,
            secretariat,
            document.id,
            mode=RoundMode.SILENCE,
            deadline=now + deadline,
            timezone="UTC",
        )
        return Seeded(secretariat.id, russian.id, english.id, document.id, round_.id)


def rows(runtime, **where) -> list[Notification]:
    with runtime.sessions() as session:
        query = select(Notification).order_by(Notification.id)
        for key, value in where.items():
            query = query.where(getattr(Notification, key) == value)
        return list(session.scalars(query))
