"""The blueprint and the `endpoint` decorator every route is declared with.

A declaration names the request schemas (query, body), the response schema, the
statuses it may answer and whether it takes `If-Match`. The same declaration
validates the request, serialises the reply and writes the OpenAPI description,
so the description cannot drift from what the API does.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, current_app, g, json, request
from flask_babel import gettext, lazy_gettext
from pydantic import BaseModel, ValidationError

from web.api.auth import authenticate
from web.problems import API_PREFIX, ApiProblem, from_exception, problem_response

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)

ERRORS_OF_A_READ = (401, 404)
ERRORS_OF_A_CHANGE = (400, 401, 403, 404, 409, 415, 422)
PATH_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
PATH_TEXT = r"^[A-Za-z0-9_-]{1,60}$"  # codes and kinds; nothing else names a resource


@dataclass(frozen=True)
class Endpoint:
    name: str
    rule: str
    method: str
    summary: str
    tag: str
    response: type[BaseModel] | None
    status: int = 200
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    errors: tuple[int, ...] = ERRORS_OF_A_READ
    public: bool = False
    if_match: bool = False
    etag: bool = False
    location: bool = False
    description: str = ""

    @property
    def path_parameters(self) -> list[tuple[str, str]]:
        """(name, converter) in the order of the rule."""
        return [
            (name, converter or "string") for converter, name in PATH_PARAMETER.findall(self.rule)
        ]

    @property
    def openapi_path(self) -> str:
        return bp.url_prefix + PATH_PARAMETER.sub(r"{\2}", self.rule)


@dataclass
class Reply:
    """What a view returns when it needs a status or headers beyond its declaration."""

    body: BaseModel | None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


ENDPOINTS: list[Endpoint] = []


def endpoint(rule: str, method: str = "GET", **declaration: Any) -> Callable:
    """Declare a route: `view(user, **path, [query=...], [body=...])` returns a model or Reply."""

    def register(view: Callable) -> Callable:
        spec = Endpoint(name=view.__name__, rule=rule, method=method, **declaration)
        ENDPOINTS.append(spec)

        @functools.wraps(view)
        def handle(**path: Any) -> Response:
            try:
                return _serve(spec, view, path)
            except Exception as error:  # noqa: BLE001 - every error is a problem document
                problem = from_exception(error)
                if problem.status == 500:
                    current_app.logger.exception(
                        "API request failed: %s %s", request.method, request.path
                    )
                return problem_response(problem)

        bp.add_url_rule(rule, endpoint=spec.name, view_func=handle, methods=[method])
        return view

    return register


def _serve(spec: Endpoint, view: Callable, path: dict[str, Any]) -> Response:
    for name, converter in spec.path_parameters:
        # ids are checked by their converter (web.converters); codes and kinds here
        if converter == "string" and not re.fullmatch(PATH_TEXT[1:-1], path[name]):
            raise ApiProblem(
                404, gettext("no such resource: %(path)s", path=request.path), slug="not-found"
            )
    arguments = dict(path)
    if not spec.public:
        arguments = {"user": authenticate(), **arguments}
    if spec.query is not None:
        arguments["query"] = parse_query(spec.query)
    if spec.body is not None:
        arguments["body"] = parse_body(spec.body)
    result = view(**arguments)
    reply = result if isinstance(result, Reply) else Reply(result)
    if "db_session" in g:
        g.db_session.flush()  # a late database error belongs to this request, as a problem
    return _json_reply(spec, reply)


def representation(body: BaseModel) -> str:
    """The JSON the API sends for `body`."""
    return json.dumps(body.model_dump(mode="json"))


def entity_tag(body: BaseModel) -> str:
    """A strong ETag of `body`'s representation: it changes when, and only when, the JSON
    sent for it changes (whatever moved it: a position, a label, what the caller may see)."""
    return _tag(representation(body))


def _tag(text: str) -> str:
    return f'"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'


def _json_reply(spec: Endpoint, reply: Reply) -> Response:
    status = reply.status or spec.status
    if reply.body is None:
        response = Response(status=status)
    else:
        if spec.response is not None and not isinstance(reply.body, spec.response):
            raise TypeError(f"{spec.name} returned {type(reply.body).__name__}")
        text = representation(reply.body)
        response = Response(text, status=status, mimetype="application/json")
        if spec.etag:
            response.headers["ETag"] = _tag(text)
    response.headers.extend(reply.headers)
    return response


def parse_body(model: type[BaseModel]) -> BaseModel:
    if request.mimetype != "application/json":
        raise ApiProblem(
            415, gettext("send the request body as application/json"), slug="unsupported-media-type"
        )
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise ApiProblem(
            400, gettext("the request body is empty: send a JSON object"), slug="malformed-request"
        )
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        invalid = [e for e in error.errors() if e["type"] == "json_invalid"]
        if invalid:
            raise ApiProblem(
                400,
                gettext("the request body is not valid JSON: %(reason)s", reason=invalid[0]["msg"]),
                slug="malformed-request",
            ) from None
        raise ApiProblem(
            422, _summary(error), slug="invalid-request-body", errors=_errors(error)
        ) from None


def parse_query(model: type[BaseModel]) -> BaseModel:
    values: dict[str, str] = {}
    for field_name, info in model.model_fields.items():
        name = info.alias or field_name  # `from` and `to` are aliases: Python keeps `from`
        given = request.args.getlist(name)
        if len(given) > 1:
            raise ApiProblem(
                400,
                gettext("query parameter %(name)s is given more than once", name=repr(name)),
                slug="malformed-request",
            )
        if given:
            values[name] = given[0]
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise ApiProblem(
            400, _summary(error), slug="malformed-request", errors=_errors(error)
        ) from None


def _location(error: dict) -> str:
    return ".".join(str(part) for part in error["loc"]) or "(body)"


# The schema errors a client meets most, in the reader's language (pydantic's `type` and
# its `ctx` values); any other keeps pydantic's English message.
FIELD_MESSAGES = {
    "missing": lazy_gettext("Field required"),
    "extra_forbidden": lazy_gettext("Extra inputs are not permitted"),
    "string_type": lazy_gettext("Input should be a valid string"),
    "string_too_short": lazy_gettext("String should have at least %(min_length)s characters"),
    "string_too_long": lazy_gettext("String should have at most %(max_length)s characters"),
    "int_type": lazy_gettext("Input should be a valid integer"),
    "int_parsing": lazy_gettext("Input should be a valid integer"),
    "greater_than_equal": lazy_gettext("Input should be greater than or equal to %(ge)s"),
    "less_than_equal": lazy_gettext("Input should be less than or equal to %(le)s"),
    "enum": lazy_gettext("Input should be %(expected)s"),
    "literal_error": lazy_gettext("Input should be %(expected)s"),
    "date_parsing": lazy_gettext("Input should be a valid date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": lazy_gettext("Input should be a valid date (YYYY-MM-DD)"),
    "dict_type": lazy_gettext("Input should be an object"),
    "model_type": lazy_gettext("Input should be an object"),
    "list_type": lazy_gettext("Input should be a list"),
}


def _message(error: dict) -> str:
    template = FIELD_MESSAGES.get(error["type"])
    if template is None:
        return error["msg"]
    try:
        return str(template) % {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    except (KeyError, TypeError, ValueError):
        return error["msg"]


def _errors(error: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": _location(e), "message": _message(e)} for e in error.errors(include_url=False)
    ]


def _summary(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    more = error.error_count() - 1
    summary = f"{_location(first)}: {_message(first)}"
    return (
        gettext("%(summary)s (and %(more)s more)", summary=summary, more=more) if more else summary
    )


def json_body(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")
