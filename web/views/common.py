"""Small helpers the view modules share."""

from __future__ import annotations

from flask import flash
from flask_login import current_user

from web import db
from workflow.errors import ConcordError


def lock_version(value: str | None) -> int | None:
    """The lock_version a form was shown with; None when absent or not a number."""
    return int(value) if value and value.isascii() and value.isdigit() else None


def viewer_zone_name() -> str:
    return getattr(current_user, "timezone", None) or "Asia/Almaty"


def refused(error: ConcordError) -> int:
    """Undo the failed operation's partial work, tell the user why; the status to answer with."""
    db.session().rollback()
    from web.errors import describe

    message, detail = describe(error)
    flash(" ".join([message, *detail]), "error")
    return getattr(error, "http_status", 422)
