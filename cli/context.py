"""Runtime and sessions for CLI commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy.orm import Session

from bootstrap.runtime import Runtime, build_runtime


@cache
def runtime() -> Runtime:
    return build_runtime()


@contextmanager
def open_session() -> Iterator[Session]:
    """A session that commits when the command succeeds and writes nothing otherwise."""
    with runtime().transaction() as session:
        yield session
