"""The migrations create exactly the schema the models describe."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, text

import migrations
from models import Base
from models.db import make_engine


@pytest.fixture
def empty_engine(engine, tmp_path):
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL schema."""
    if engine.dialect.name != "postgresql":
        fresh = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
        yield fresh
        fresh.dispose()
        return
    schema = f"migrations_{uuid.uuid4().hex[:8]}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    fresh = make_engine(engine.url)

    @event.listens_for(fresh, "connect")
    def use_schema(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f'SET search_path TO "{schema}"')
        dbapi_connection.commit()

    yield fresh
    fresh.dispose()
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def test_migrations_match_the_models(empty_engine):
    migrations.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrations_downgrade_and_upgrade_again(empty_engine):
    migrations.upgrade(empty_engine)
    migrations.downgrade(empty_engine, "base")
    migrations.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM participant")).scalar() == 0
