"""One database session per request; the request boundary commits once."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session


def init_app(app: Flask, session_factory) -> None:
    app.extensions["concord.sessions"] = session_factory

    @app.after_request
    def commit(response):
        session: Session | None = g.pop("db_session", None)
        if session is None:
            return response
        try:
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()
        return response

    @app.teardown_request
    def discard(_exc) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()


def session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["concord.sessions"]()
    return g.db_session
