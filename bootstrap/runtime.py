"""The runtime: settings, database engine, sessions and workflow definitions, built once.

The web app, the CLI and the scheduler each build one; nothing else opens
connections.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bootstrap.profile import definitions_folder, working_languages
from config.settings import Settings, load_settings
from models.db import make_engine, make_session_factory
from workflow import audit, registry


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def build_runtime(settings: Settings | None = None) -> Runtime:
    settings = settings or load_settings()
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    definitions = settings.workflows_path or definitions_folder(settings.profile)
    registry.configure(definitions, working_languages(settings.profile))
    audit.configure_keys(settings.audit_key, settings.audit_keys_retired.split(","))
    return Runtime(settings=settings, engine=engine, sessions=make_session_factory(engine))
