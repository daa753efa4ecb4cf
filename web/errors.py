"""Error pages a person understands; no traceback ever reaches a user.

Domain errors (workflow.errors) carry their HTTP status; a concurrent change
(StaleChange, or SQLAlchemy's StaleDataError from the version column) becomes a
409 asking the user to reload. Under /api/ the same errors are answered in JSON.
"""

from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from web import db
from workflow.errors import (
    ConcordError,
    GuardFailed,
    RoundClosed,
    StaleChange,
    TriggerNotAllowed,
)

log = logging.getLogger(__name__)

STALE_MESSAGE = "Someone else changed this document while you were working on it. Reload the page to see the current text and state."

HEADINGS = {
    400: "The request could not be understood",
    401: "Please sign in",
    403: "You may not do this",
    404: "Not found",
    405: "Not possible here",
    409: "This could not be done now",
    422: "Please check what you entered",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}
DEFAULT_MESSAGES = {
    400: "The request was not complete.",
    403: "Your account does not allow this action.",
    404: "There is no such page, or it is not shared with you.",
    405: "This address does not accept that kind of request.",
    500: "The error has been logged. Nothing was changed. Please try again, or tell the Secretariat.",
}


def _answer(status: int, message: str, *, detail: list[str] | None = None):
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "status": status}), status
    return (
        render_template(
            "errors/error.html",
            status=status,
            heading=HEADINGS.get(status, "Error"),
            message=message,
            detail=detail or [],
        ),
        status,
    )


def describe(error: ConcordError) -> tuple[str, list[str]]:
    """The message and any extra lines for a domain error."""
    if isinstance(error, StaleChange):
        return STALE_MESSAGE, []
    if isinstance(error, TriggerNotAllowed):
        return (
            "This step is not possible in the document's current state.",
            [str(error)],
        )
    if isinstance(error, GuardFailed):
        return f"This step cannot be taken yet: {error.reason}", []
    if isinstance(error, RoundClosed):
        return "The round is closed: positions can no longer be recorded or changed.", [str(error)]
    return str(error) or DEFAULT_MESSAGES.get(error.http_status, ""), []


def init_app(app) -> None:
    @app.errorhandler(ConcordError)
    def domain_error(error: ConcordError):
        status = getattr(error, "http_status", None) or 422
        message, detail = describe(error)
        return _answer(status, message, detail=detail)

    @app.errorhandler(StaleDataError)
    def stale(_error):
        return _answer(409, STALE_MESSAGE)

    @app.errorhandler(CSRFError)
    def csrf(_error):
        return _answer(
            400,
            "The form had expired or was not sent from this site. Reload the page and try again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        message = error.description if _custom(error) else DEFAULT_MESSAGES.get(status, "")
        return _answer(status, message or error.name)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session().rollback()  # the error page reads the user; a failed session cannot
        return _answer(500, DEFAULT_MESSAGES[500])


def _custom(error: HTTPException) -> bool:
    """True when the view gave its own description (abort(403, "...")), not werkzeug's default."""
    return bool(error.description) and error.description != type(error).description
