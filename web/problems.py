"""One error vocabulary for the whole web layer: every error becomes a `Problem`.

A domain error (workflow.errors), a request the API refuses (`ApiProblem`), an HTTP
error from routing, a database out of reach or the unexpected each become one
`Problem`: a status, a slug, the detail and any extensions. The API renders it as
application/problem+json (RFC 9457); the pages render the same problem as an error
page (web.errors). Titles and details are in the request's language (for the API,
its Accept-Language; English by default); slugs and extensions never change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from flask import Response, json, request
from flask_babel import gettext, lazy_gettext
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from web.language import current_language
from web.outage import RETRY_AFTER_SECONDS, database_unavailable
from workflow.errors import (
    ConcordError,
    Conflict,
    DefinitionError,
    GuardFailed,
    InvalidInput,
    Label,
    NotFound,
    NotPermitted,
    RoundClosed,
    StaleChange,
    TextsOutOfStep,
    TriggerNotAllowed,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:concord:problem:"
API_PREFIX = "/api/v1"

# The HTTP status of each domain error (the most specific class wins).
STATUS_OF_ERROR: dict[type[ConcordError], int] = {
    NotFound: 404,
    NotPermitted: 403,
    TriggerNotAllowed: 409,
    GuardFailed: 409,
    StaleChange: 409,
    RoundClosed: 409,
    Conflict: 409,
    InvalidInput: 422,
    DefinitionError: 422,
}
STALE_DETAIL = lazy_gettext("the document changed while this request ran: read it again and retry")
# The title of each status the API answers, in the reader's language.
TITLES = {
    400: lazy_gettext("Bad Request"),
    401: lazy_gettext("Unauthorized"),
    403: lazy_gettext("Forbidden"),
    404: lazy_gettext("Not Found"),
    405: lazy_gettext("Method Not Allowed"),
    409: lazy_gettext("Conflict"),
    412: lazy_gettext("Precondition Failed"),
    413: lazy_gettext("Content Too Large"),
    415: lazy_gettext("Unsupported Media Type"),
    422: lazy_gettext("Unprocessable Content"),
    429: lazy_gettext("Too Many Requests"),
    500: lazy_gettext("Internal Server Error"),
    503: lazy_gettext("Service Unavailable"),
}


@dataclass
class Problem:
    status: int
    detail: str
    slug: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    error: BaseException | None = None  # what it was made from, for the error page's wording

    @property
    def title(self) -> str:
        return str(TITLES.get(self.status) or HTTPStatus(self.status).phrase)


class ApiProblem(Exception):
    """An error the API layer itself raises (bad JSON, a failed precondition, no token)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ):
        super().__init__(detail)
        self.problem = Problem(status, detail, slug, headers or {}, extensions)


def status_of(error: ConcordError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_OF_ERROR:
            return STATUS_OF_ERROR[cls]
    return 422


def _slug(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def from_domain_error(error: ConcordError) -> Problem:
    extensions: dict[str, Any] = {}
    if isinstance(error, TriggerNotAllowed):
        extensions = {
            "trigger": error.trigger,
            "state": error.state,
            "allowed_triggers": list(error.allowed),
        }
    elif isinstance(error, GuardFailed):
        extensions = {"guard": error.guard}
    elif isinstance(error, TextsOutOfStep):
        extensions = {"unchanged_languages": list(error.languages)}
    return Problem(
        status_of(error),
        translate_error(error),
        _slug(type(error).__name__),
        extensions=extensions,
        error=error,
    )


def from_stale_data() -> Problem:
    """SQLAlchemy's StaleDataError: a concurrent change won the optimistic lock."""
    return Problem(409, str(STALE_DETAIL), "stale-change", error=StaleChange(str(STALE_DETAIL)))


def from_http_exception(error: HTTPException) -> Problem:
    status = error.code or 500
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    if status == 404:
        detail = gettext("no such resource: %(path)s", path=request.path)
    elif status == 405:
        detail = gettext(
            "%(method)s is not allowed on %(path)s", method=request.method, path=request.path
        )
    elif status == 413:
        detail = gettext(
            "the request is larger than the limit of %(limit)s bytes",
            limit=request.max_content_length,
        )
    else:
        detail = error.description or HTTPStatus(status).phrase
    return Problem(status, detail, headers=headers, error=error)


def internal() -> Problem:
    return Problem(500, gettext("the server failed to handle this request; it has been logged"))


def unavailable(error: BaseException) -> Problem:
    """The database cannot be reached: nothing was done, the client may try again soon."""
    return Problem(
        503,
        gettext(
            "the database cannot be reached at the moment; nothing was changed, try again shortly"
        ),
        "database-unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        error=error,
    )


def translate_error(error: ConcordError) -> str:
    """An engine message in the reader's language, its values filled in after translating."""
    if not error.message:
        return str(error)
    if not error.params:
        return gettext(error.message)
    language = current_language()
    params = {
        name: value.reading(language) if isinstance(value, Label) else value
        for name, value in error.params.items()
    }
    return gettext(error.message, **params)


def from_exception(error: BaseException) -> Problem:
    """Any exception as a problem: what the handlers and the API's endpoint wrapper use."""
    if isinstance(error, ApiProblem):
        return error.problem
    if isinstance(error, ConcordError):
        return from_domain_error(error)
    if isinstance(error, StaleDataError):
        return from_stale_data()
    if isinstance(error, InternalServerError) and error.original_exception is not None:
        return from_exception(error.original_exception)  # what failed after the view answered
    if isinstance(error, HTTPException):
        return from_http_exception(error)
    if database_unavailable(error):
        return unavailable(error)
    return internal()


def problem_response(problem: Problem) -> Response:
    body = {
        "type": TYPE_PREFIX + problem.slug if problem.slug else "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        **problem.extensions,
    }
    response = Response(json.dumps(body), status=problem.status, mimetype=PROBLEM_MEDIA_TYPE)
    response.headers.extend(problem.headers)
    return response


def is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")
