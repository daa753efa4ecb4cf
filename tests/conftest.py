"""Shared fixtures: one schema per test session, each test in a rolled-back transaction.

The suite runs on SQLite by default and on PostgreSQL when
CONCORD_TEST_DATABASE_URL is set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bootstrap.profile import load_profile
from config.settings import DEFAULT_PROFILE, DEFAULT_WORKFLOWS, load_settings
from models import Base, User
from models.db import make_engine
from workflow import audit, clock
from workflow.accounts import create_user
from workflow.registry import configure

TEST_PASSWORD = "test-password-1"
_emails = itertools.count(1)


def test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("CONCORD_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'concord-test.sqlite3'}"


def pytest_collection_modifyitems(config, items):
    """`postgres_only` tests (row locks, advisory locks, races) are skipped on SQLite."""
    if os.environ.get("CONCORD_TEST_DATABASE_URL", "").startswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set CONCORD_TEST_DATABASE_URL)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return test_database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The schema, created once, with the CICA profile committed."""
    engine = make_engine(database_url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        load_profile(session, DEFAULT_PROFILE)
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose every change is rolled back after the test (commits become savepoints)."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch):
    """Tests create many users: hash their passwords cheaply (verification still works)."""
    from werkzeug.security import generate_password_hash

    monkeypatch.setattr(
        "workflow.accounts.generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1"),
    )


@pytest.fixture(autouse=True)
def _release_clock() -> Iterator[None]:
    yield
    clock.set_now(None)


@pytest.fixture
def make_user(session: Session):
    """Factory: make_user(session, email=None, *, delegate_of=(), observer_of=(), secretariat=False, admin=False)."""

    def factory(
        session: Session = session,
        email: str | None = None,
        *,
        delegate_of=(),
        observer_of=(),
        secretariat: bool = False,
        admin: bool = False,
        name: str | None = None,
    ) -> User:
        email = email or f"user{next(_emails)}@test.example"
        return create_user(
            session,
            email=email,
            name=name or email.split("@")[0],
            password=TEST_PASSWORD,
            delegate_of=tuple(delegate_of),
            observer_of=tuple(observer_of),
            secretariat=secretariat,
            admin=admin,
        )

    return factory


audit.configure_keys("test-audit-key")  # what build_runtime does from the settings


@pytest.fixture(autouse=True)
def _audit_keys():
    """Every test signs and verifies with the suite's key, whatever an earlier test's
    runtime (a development instance generates its own key) configured in this process."""
    audit.configure_keys("test-audit-key")


@pytest.fixture
def settings(tmp_path: Path, database_url: str):
    """Settings for an app or CLI under test, with its own instance folder."""
    return load_settings(
        environ={},
        env="testing",
        database_url=database_url,
        instance_path=str(tmp_path / "instance"),
        secret_key="test-secret-key",
        audit_key="test-audit-key",
    )


MANDATE = Path(__file__).parent / "data" / "workflows" / "mandate_extension.toml"


@pytest.fixture
def with_mandates(tmp_path):
    """The bundled definitions and the test-only mandate extension (custom fields, a
    document deadline, a meeting deadline, statement kinds) in force."""
    folder = tmp_path / "workflows"
    shutil.copytree(DEFAULT_WORKFLOWS, folder, ignore=shutil.ignore_patterns("*.md"))
    shutil.copy(MANDATE, folder)
    yield configure(folder)
    configure(None)
