"""App-wide error handlers: every error is a `Problem` (web.problems), rendered as an error
page a person understands, or as problem+json under /api/. No traceback reaches a user."""

from __future__ import annotations

import logging

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from web import db
from web.i18n import translate_error
from web.problems import (
    Problem,
    from_domain_error,
    from_exception,
    from_stale_data,
    is_api_request,
    problem_response,
)
from workflow.errors import (
    ConcordError,
    GuardFailed,
    RoundClosed,
    StaleChange,
    TriggerNotAllowed,
)

log = logging.getLogger(__name__)

STALE_MESSAGE = (
    "Someone else changed this document while you were working on it. Reload the page to see "
    "the current text and state."
)
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


def describe(problem: Problem) -> tuple[str, list[str]]:
    """What a person is told: a message and any extra lines."""
    error = problem.error
    if isinstance(error, StaleChange):
        return STALE_MESSAGE, []
    if isinstance(error, TriggerNotAllowed):
        return "This step is not possible in the document's current state.", [str(error)]
    if isinstance(error, GuardFailed):
        return f"This step cannot be taken yet: {error.reason}", []
    if isinstance(error, RoundClosed):
        return "The round is closed: positions can no longer be recorded or changed.", [str(error)]
    if isinstance(error, ConcordError):
        return translate_error(error) or DEFAULT_MESSAGES.get(problem.status, ""), []
    if isinstance(error, HTTPException) and not _custom(error):
        return DEFAULT_MESSAGES.get(problem.status, "") or error.name, []
    if problem.status >= 500:
        return DEFAULT_MESSAGES[500], []
    return problem.detail, []


def describe_error(error: ConcordError) -> str:
    """A domain error in one line, for a flash message above a form."""
    message, detail = describe(from_domain_error(error))
    return " ".join([message, *detail])


def render(problem: Problem):
    if is_api_request():
        return problem_response(problem)
    message, detail = describe(problem)
    page = render_template(
        "errors/error.html",
        status=problem.status,
        heading=HEADINGS.get(problem.status, "Error"),
        message=message,
        detail=detail,
    )
    return page, problem.status, problem.headers


def init_app(app) -> None:
    @app.errorhandler(ConcordError)
    @app.errorhandler(StaleDataError)
    @app.errorhandler(HTTPException)
    def known(error):
        return render(from_exception(error))

    @app.errorhandler(CSRFError)
    def csrf(_error):
        return render(
            Problem(
                400,
                "The form had expired or was not sent from this site. Reload the page and try "
                "again.",
            )
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session().rollback()  # the error page reads the user; a failed session cannot
        return render(from_exception(error))


def _custom(error: HTTPException) -> bool:
    """True when the view gave its own description (abort(403, "...")), not werkzeug's default."""
    return bool(error.description) and error.description != type(error).description


__all__ = ["describe_error", "from_stale_data", "init_app", "render"]
