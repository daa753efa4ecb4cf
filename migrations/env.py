"""Alembic environment: the engine comes from the caller (see migrations/__init__.py)."""

from alembic import context

import models
from models.db import make_engine
from models.search import is_index_table

config = context.config
target_metadata = models.Base.metadata


def _outside_the_index(name, type_, _parent_names) -> bool:
    """The full-text index is made by its own DDL (models/search.py), not from the models."""
    return not (type_ == "table" and is_index_table(name))


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # plain `alembic` command line: settings decide the database
        from config.settings import load_settings

        engine = make_engine(load_settings().sqlalchemy_url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=_outside_the_index,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
