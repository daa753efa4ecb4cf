"""A database of a test's own, for data that must be committed and seen by other
connections, threads or processes (the scheduler, races, mail delivery, other profiles)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bootstrap.profile import load_profile
from bootstrap.runtime import Runtime
from config.settings import DEFAULT_PROFILE, load_settings
from models import Base
from models.db import make_engine, make_session_factory


@contextmanager
def isolated_runtime(
    engine: Engine, tmp_path: Path, *, profile: str | Path = DEFAULT_PROFILE, **settings
) -> Iterator[Runtime]:
    """A runtime on an empty database (a SQLite file, or a schema of the suite's
    PostgreSQL database) with `profile` committed; dropped afterwards. `settings` are
    passed to `load_settings`."""
    base_url = engine.url.render_as_string(hide_password=False)
    schema = None
    if base_url.startswith("postgresql"):
        schema = f"own_{uuid.uuid4().hex[:12]}"
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        url = url.render_as_string(hide_password=False)
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    else:
        url = f"sqlite:///{tmp_path / f'own-{uuid.uuid4().hex[:8]}.sqlite3'}"
    own_engine = make_engine(url)
    try:
        Base.metadata.create_all(own_engine)
        with Session(own_engine) as session:
            load_profile(session, profile)
            session.commit()
        own_settings = load_settings(
            environ={},
            env="testing",
            database_url=url,
            instance_path=str(tmp_path / "instance"),
            secret_key="test-secret-key",
            audit_key="test-audit-key",
            **settings,
        )
        yield Runtime(
            settings=own_settings, engine=own_engine, sessions=make_session_factory(own_engine)
        )
    finally:
        own_engine.dispose()
        if schema:
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
