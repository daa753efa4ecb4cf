"""One error vocabulary for the whole web layer: every error becomes a `Problem`.

A domain error (workflow.errors), a request the API refuses (`ApiProblem`), an HTTP
error from routing or the unexpected each become one `Problem`: a status, a slug,
the detail and any extensions. The API renders it as application/problem+json
(RFC 9457); the pages render the same problem as an error page (web.errors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from flask import Response, json, request
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from workflow.errors import (
    ConcordError,
    Conflict,
    DefinitionError,
    GuardFailed,
    InvalidInput,
    NotFound,
    NotPermitted,
    RoundClosed,
    StaleChange,
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
STALE_DETAIL = "the document changed while this request ran: read it again and retry"


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
        return HTTPStatus(self.status).phrase


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
    return Problem(
        status_of(error),
        str(error),
        _slug(type(error).__name__),
        extensions=extensions,
        error=error,
    )


def from_stale_data() -> Problem:
    """SQLAlchemy's StaleDataError: a concurrent change won the optimistic lock."""
    return Problem(409, STALE_DETAIL, "stale-change", error=StaleChange(STALE_DETAIL))


def from_http_exception(error: HTTPException) -> Problem:
    status = error.code or 500
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    detail = {
        404: f"no such resource: {request.path}",
        405: f"{request.method} is not allowed on {request.path}",
    }.get(status, error.description or HTTPStatus(status).phrase)
    return Problem(status, detail, headers=headers, error=error)


def internal() -> Problem:
    return Problem(500, "the server failed to handle this request; it has been logged")


def from_exception(error: BaseException) -> Problem:
    """Any exception as a problem: what the handlers and the API's endpoint wrapper use."""
    if isinstance(error, ApiProblem):
        return error.problem
    if isinstance(error, ConcordError):
        return from_domain_error(error)
    if isinstance(error, StaleDataError):
        return from_stale_data()
    if isinstance(error, HTTPException):
        return from_http_exception(error)
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
