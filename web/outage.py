"""A database out of reach: told apart from a bug, so the client is asked to come back later.

Nothing is retried here: a request whose connection failed after part of its
transaction ran is answered 503 and rolled back; the client decides whether to
send it again. Dead pooled connections left by a restart never reach a request:
the pool pings each connection as it hands it out (models.db).
"""

from __future__ import annotations

from flask import g
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

RETRY_AFTER_SECONDS = 5
# PostgreSQL: connection exceptions (class 08); the server shutting down, crashed or
# starting up, or the backend terminated by an administrator (57P01-57P03).
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03")
# SQLite: the file cannot be opened or read, or it stayed locked beyond the busy timeout.
UNAVAILABLE_SQLITE = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_BUSY", "SQLITE_LOCKED")


def database_unavailable(error: BaseException) -> bool:
    """True when `error` says the database cannot be reached now, rather than a bug."""
    if isinstance(error, PoolTimeout):  # every connection busy: the database is overwhelmed
        return _mark_down()
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return _mark_down()
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None)
    sqlite_name = getattr(original, "sqlite_errorname", None)
    if sqlstate:
        unavailable = sqlstate.startswith(UNAVAILABLE_SQLSTATES)
    elif sqlite_name:
        unavailable = sqlite_name.startswith(UNAVAILABLE_SQLITE)
    else:  # a driver error with no server's code: the connection itself failed
        unavailable = type(original).__name__ in ("OperationalError", "InterfaceError")
    return _mark_down() if unavailable else False


def _mark_down() -> bool:
    g.database_down = True  # the error page is chosen and rendered without the database
    return True


def database_down() -> bool:
    """True once this request has found the database out of reach."""
    return g.get("database_down", False)
