"""Engines and sessions."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


POSTGRESQL_CONNECT_TIMEOUT_SECONDS = 5


def make_engine(url: str | URL, **kwargs) -> Engine:
    # A connection that died while pooled (a database restart) is replaced before use.
    kwargs.setdefault("pool_pre_ping", True)
    if make_url(url).get_backend_name() == "postgresql":
        # An unreachable server fails fast rather than after the system's TCP timeout.
        kwargs["connect_args"] = {
            "connect_timeout": POSTGRESQL_CONNECT_TIMEOUT_SECONDS,
            **kwargs.get("connect_args", {}),
        }
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_autocommit_driver)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def _sqlite_begin(connection) -> None:
    # pysqlite opens transactions lazily and breaks SAVEPOINT; emit BEGIN ourselves.
    connection.exec_driver_sql("BEGIN")


def _sqlite_autocommit_driver(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
