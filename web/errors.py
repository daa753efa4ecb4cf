"""App-wide error handlers: every error is a `Problem` (web.problems), rendered as an error
page a person understands, or as problem+json under /api/. No traceback reaches a user."""

from __future__ import annotations

import logging

from flask import current_app, render_template, request
from flask_babel import gettext, lazy_gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from web import db
from web.i18n import lang
from web.outage import RETRY_AFTER_SECONDS, database_unavailable
from web.problems import (
    Problem,
    from_domain_error,
    from_exception,
    from_stale_data,
    is_api_request,
    problem_response,
    translate_error,
    unavailable,
)
from workflow.errors import (
    ConcordError,
    GuardFailed,
    RoundClosed,
    StaleChange,
    TriggerNotAllowed,
)

log = logging.getLogger(__name__)

STALE_MESSAGE = lazy_gettext(
    "Someone else changed this document while you were working on it. Reload the page to see "
    "the current text and state."
)
HEADINGS = {
    400: lazy_gettext("The request could not be understood"),
    401: lazy_gettext("Please sign in"),
    403: lazy_gettext("You may not do this"),
    404: lazy_gettext("Not found"),
    405: lazy_gettext("Not possible here"),
    409: lazy_gettext("This could not be done now"),
    413: lazy_gettext("Too much at once"),
    422: lazy_gettext("Please check what you entered"),
    429: lazy_gettext("Too many attempts"),
    500: lazy_gettext("Something went wrong on our side"),
    503: lazy_gettext("Briefly unavailable"),
}
DEFAULT_MESSAGES = {
    400: lazy_gettext("The request was not complete."),
    403: lazy_gettext("Your account does not allow this action."),
    404: lazy_gettext("There is no such page, or it is not shared with you."),
    405: lazy_gettext("This address does not accept that kind of request."),
    413: lazy_gettext(
        "What you sent is larger than this site accepts. Nothing was saved. Shorten the text "
        "or send it in parts."
    ),
    500: lazy_gettext(
        "The error has been logged. Nothing was changed. Please try again, or tell the Secretariat."
    ),
    503: lazy_gettext(
        "The database cannot be reached at the moment. Nothing was changed. Please try again "
        "in a few seconds."
    ),
}


def describe(problem: Problem) -> tuple[str, list[str]]:
    """What a person is told: a message and any extra lines."""
    error = problem.error
    if isinstance(error, StaleChange):
        return STALE_MESSAGE, []
    if isinstance(error, TriggerNotAllowed):
        return gettext("This step is not possible in the document's current state."), [
            translate_error(error)
        ]
    if isinstance(error, GuardFailed):
        return gettext(
            "This step cannot be taken yet: %(reason)s", reason=translate_error(error)
        ), []
    if isinstance(error, RoundClosed):
        return gettext("The round is closed: positions can no longer be recorded or changed."), [
            translate_error(error)
        ]
    if isinstance(error, ConcordError):
        return translate_error(error) or DEFAULT_MESSAGES.get(problem.status, ""), []
    if isinstance(error, HTTPException) and not _custom(error):
        return DEFAULT_MESSAGES.get(problem.status, "") or error.name, []
    if problem.status >= 500:
        return DEFAULT_MESSAGES.get(problem.status, DEFAULT_MESSAGES[500]), []
    return problem.detail, []


def describe_error(error: ConcordError) -> str:
    """A domain error in one line, for a flash message above a form."""
    message, detail = describe(from_domain_error(error))
    return " ".join(str(part) for part in [message, *detail])


def render(problem: Problem):
    if is_api_request():
        return problem_response(problem)
    message, detail = describe(problem)
    if problem.status == 503:
        # Straight from the template, without the context processors: they would load the
        # signed-in user from the database that is out of reach.
        page = current_app.jinja_env.get_template("errors/unavailable.html").render(
            lang=lang,
            status=503,
            heading=HEADINGS[503],
            message=message,
            retry_after=RETRY_AFTER_SECONDS,
        )
        return page, 503, problem.headers
    try:
        page = render_template(
            "errors/error.html",
            status=problem.status,
            heading=HEADINGS.get(problem.status) or gettext("Error"),
            message=message,
            detail=detail,
        )
    except SQLAlchemyError as error:  # the page reads the user: the database went away
        if not database_unavailable(error):
            raise
        return render(unavailable(error))
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
                # Lazy: read when the page is drawn, where an outage becomes the 503 page.
                lazy_gettext(
                    "The form had expired or was not sent from this site. Reload the page and "
                    "try again."
                ),
            )
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session().rollback()  # the error page reads the user; a failed session cannot
        problem = from_exception(error)
        if problem.status == 503:
            log.warning("database unavailable on %s %s: %s", request.method, request.path, error)
        else:
            log.exception("unhandled error on %s %s", request.method, request.path)
        return render(problem)


def _custom(error: HTTPException) -> bool:
    """True when the view gave its own description (abort(403, "...")), not werkzeug's default."""
    return bool(error.description) and error.description != type(error).description


__all__ = ["describe_error", "from_stale_data", "init_app", "render"]
