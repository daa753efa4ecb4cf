"""Errors as application/problem+json (RFC 9457): type, title, status, detail, and extensions.

Every error the API returns goes through `problem_response`: domain errors
(workflow.errors), request errors (`ApiProblem`), HTTP errors from routing and the
unexpected (a 500 that says nothing about the inside).
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from flask import Response, current_app, json, request
from werkzeug.exceptions import HTTPException

from workflow.errors import ConcordError, GuardFailed, TriggerNotAllowed

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:concord:problem:"


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
        self.status, self.detail, self.slug = status, detail, slug
        self.headers = headers or {}
        self.extensions = extensions


def _slug(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def problem_response(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    body = {
        "type": TYPE_PREFIX + slug if slug else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extensions,
    }
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    response.headers.extend(headers or {})
    return response


def from_api_problem(problem: ApiProblem) -> Response:
    return problem_response(
        problem.status,
        problem.detail,
        slug=problem.slug,
        headers=problem.headers,
        **problem.extensions,
    )


def from_domain_error(error: ConcordError) -> Response:
    extensions: dict[str, Any] = {}
    if isinstance(error, TriggerNotAllowed):
        extensions = {"trigger": error.trigger, "state": error.state}
        extensions["allowed_triggers"] = list(error.allowed)
    elif isinstance(error, GuardFailed):
        extensions = {"guard": error.guard}
    status = error.http_status if error.http_status in HANDLED_STATUSES else 422
    return problem_response(status, str(error), slug=_slug(type(error).__name__), **extensions)


def from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    detail = {
        404: f"no such resource: {request.path}",
        405: f"{request.method} is not allowed on {request.path}",
    }.get(status, error.description or HTTPStatus(status).phrase)
    return problem_response(status, detail, headers=headers)


def internal_error(error: BaseException) -> Response:
    current_app.logger.exception("API request failed: %s %s", request.method, request.path)
    return problem_response(500, "the server failed to handle this request; it has been logged")


def is_api_request() -> bool:
    from web.api.blueprint import bp

    return request.path == bp.url_prefix or request.path.startswith(bp.url_prefix + "/")


HANDLED_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 412, 415, 422})
