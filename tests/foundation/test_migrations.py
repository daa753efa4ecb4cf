"""The migrations create exactly the schema the models describe."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, text

import migrations
from models import Base, search
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
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                # The full-text index has its own DDL per database (models/search.py).
                "include_name": lambda name, type_, _parents: (
                    not (type_ == "table" and search.is_index_table(name))
                ),
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrations_downgrade_and_upgrade_again(empty_engine):
    migrations.upgrade(empty_engine)
    migrations.downgrade(empty_engine, "base")
    migrations.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM participant")).scalar() == 0


def test_the_search_migration_indexes_the_documents_already_there(empty_engine):
    migrations.upgrade(empty_engine, "0007")
    with empty_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO document (id, kind, definition_version, symbol, title, title_ru,"
                " state, restricted, attributes, created_at, updated_at, lock_version)"
                " VALUES (1, 'concept_paper', 1, 'CICA/CP/1/25', 'Hotline', 'Горячая линия',"
                " 'drafting', false, '{}', :now, :now, 1)"
            ),
            {"now": "2025-03-10 06:00:00+00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO document_version (id, document_id, number, note, created_at)"
                " VALUES (1, 1, 1, '', :now), (2, 1, 2, '', :now)"
            ),
            {"now": "2025-03-10 06:00:00+00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO version_text (version_id, language, body) VALUES"
                " (1, 'en', 'Old words.'), (2, 'en', 'Observers of the seminar.'),"
                " (2, 'ru', 'Наблюдатели семинара.')"
            )
        )
    migrations.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        if empty_engine.dialect.name == "postgresql":
            query = "SELECT document_id FROM document_search WHERE vector @@ to_tsquery(:configuration, :word)"
            hits = {
                word: connection.execute(
                    text(query), {"configuration": configuration, "word": word}
                )
                .scalars()
                .all()
                for configuration, word in (
                    ("russian", "семинаров"),
                    ("english", "observer"),
                    ("russian", "горячую"),
                    ("english", "old"),
                )
            }
        else:
            query = "SELECT rowid FROM document_search WHERE document_search MATCH :word"
            hits = {
                word: connection.execute(text(query), {"word": search.stem(word)}).scalars().all()
                for word in ("семинаров", "observer", "горячую", "old")
            }
    assert hits == {"семинаров": [1], "observer": [1], "горячую": [1], "old": []}
