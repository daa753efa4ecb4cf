"""The OpenAPI 3.1 description, written from the endpoint declarations and their schemas.

Nothing here is hand-kept: paths, parameters, bodies, responses and statuses come
from `blueprint.ENDPOINTS`, the JSON Schemas from the same pydantic models that
validate requests and serialise replies. Document kinds come from the loaded
workflow definitions.
"""

from __future__ import annotations

import copy
from functools import cache
from http import HTTPStatus
from typing import Any

from flask import request
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from web import position_kinds
from web.api import schemas
from web.api.blueprint import ENDPOINTS, PATH_TEXT, Endpoint, Reply, endpoint
from web.converters import MAX_ID
from web.problems import PROBLEM_MEDIA_TYPE
from workflow.registry import registry

REF = "#/components/schemas/{model}"
ETAG_HEADER = {
    "description": (
        "a strong tag of this reply's representation: it changes when, and only when, "
        "the representation does; send a document's, a round's or a user's in If-Match"
    ),
    "schema": {"type": "string", "pattern": r'^"[0-9a-f]{32}"$'},
}
LOCATION_HEADER = {"description": "where the new resource is", "schema": {"type": "string"}}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": (
        "the ETag of what you read before the change: the round (`GET /rounds/{id}`) on a "
        "round's paths, the user (`GET /users/{id}`) on a user's, otherwise the document "
        "(`GET /documents/{id}`); the change is refused with 412 if it changed since"
    ),
    "schema": {"type": "string"},
}
ERROR_MEANINGS = {
    400: "malformed JSON or query parameters",
    401: "no token, or an invalid or revoked one",
    403: "the caller may not do this",
    404: "no such resource, or not one the caller may see",
    409: "refused by the workflow: a trigger not possible now (allowed_triggers), a failed guard, a closed round",
    412: "If-Match names an earlier representation of the document or round",
    413: "the body is larger than the server's limit (max_request_bytes, 2 MB by default)",
    415: "the body is not application/json",
    422: "the body breaks its schema or names something unknown",
    503: "the database cannot be reached at the moment: nothing was done; retry after Retry-After",
}


def _models() -> list[tuple[type[BaseModel], str]]:
    requests, responses = [], [schemas.Problem]
    for spec in ENDPOINTS:
        requests += [m for m in (spec.body, spec.query) if m is not None]
        if spec.response is not None:
            responses.append(spec.response)
    ordered = dict.fromkeys(
        [(m, "validation") for m in requests] + [(m, "serialization") for m in responses]
    )
    return list(ordered)


@cache
def _static_schemas() -> tuple[dict, dict]:
    """(key -> $ref, components) for every model, computed once per process."""
    keys, top = models_json_schema(_models(), ref_template=REF)
    return keys, top.get("$defs", {})


def _without_null(schema: dict) -> dict:
    """Query parameters are never null: keep the non-null branch of an optional."""
    branches = schema.get("anyOf")
    if branches and any(b.get("type") == "null" for b in branches):
        rest = [b for b in branches if b.get("type") != "null"]
        merged = {k: v for k, v in schema.items() if k != "anyOf"}
        merged.update(rest[0] if len(rest) == 1 else {"anyOf": rest})
        return merged
    return schema


def _parameters(spec: Endpoint, components: dict) -> list[dict]:
    parameters = []
    for name, converter in spec.path_parameters:
        schema = (
            {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            if converter == "id"
            else {"type": "string", "pattern": PATH_TEXT}
        )
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    if spec.query is not None:
        model = components[spec.query.__name__]
        for name, schema in model["properties"].items():
            schema = _without_null(dict(schema))
            schema.pop("title", None)
            description = schema.pop("description", None)
            required = name in model.get("required", [])
            parameter = {"name": name, "in": "query", "required": required, "schema": schema}
            if description:
                parameter["description"] = description
            parameters.append(parameter)
    if spec.if_match:
        parameters.append(IF_MATCH)
    return parameters


def _ref(model: type[BaseModel], keys: dict, mode: str) -> dict:
    return keys[(model, mode)]


def _responses(spec: Endpoint, keys: dict) -> dict:
    success: dict[str, Any] = {"description": HTTPStatus(spec.status).phrase}
    if spec.response is not None:
        success["content"] = {
            "application/json": {"schema": _ref(spec.response, keys, "serialization")}
        }
    headers = {}
    if spec.etag:
        headers["ETag"] = ETAG_HEADER
    if spec.location:
        headers["Location"] = LOCATION_HEADER
    if headers:
        success["headers"] = headers
    responses = {str(spec.status): success}
    problem = {PROBLEM_MEDIA_TYPE: {"schema": _ref(schemas.Problem, keys, "serialization")}}
    errors = set(spec.errors) | {503} | ({413} if spec.body is not None else set())
    for status in sorted(errors):
        response: dict[str, Any] = {"description": ERROR_MEANINGS[status], "content": problem}
        if status == 503:
            response["headers"] = {
                "Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}
            }
        if status == 401:
            response["headers"] = {
                "WWW-Authenticate": {
                    "description": "the Bearer challenge",
                    "schema": {"type": "string"},
                }
            }
        responses[str(status)] = response
    return responses


def _operation(spec: Endpoint, keys: dict, components: dict) -> dict:
    operation: dict[str, Any] = {
        "operationId": spec.name,
        "summary": spec.summary,
        "tags": [spec.tag],
        "responses": _responses(spec, keys),
    }
    if spec.description:
        operation["description"] = spec.description
    parameters = _parameters(spec, components)
    if parameters:
        operation["parameters"] = parameters
    if spec.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(spec.body, keys, "validation")}},
        }
    if spec.public:
        operation["security"] = []
    return operation


def _with_current_kinds(components: dict) -> dict:
    """Document kinds are data (the workflow definitions): name the loaded ones."""
    components = copy.deepcopy(components)
    kinds = registry().kinds
    create = components.get("DocumentCreate", {}).get("properties", {})
    if "kind" in create:
        create["kind"] = {**create["kind"], "enum": kinds}
    _name_position_kinds(components)
    return components


def _name_position_kinds(components: dict) -> None:
    """Kinds of position and channels are the forum's (its profile): name the loaded ones."""
    kinds, channels = position_kinds.forum_kinds().codes, position_kinds.forum_channels()
    codes = channels.codes
    for model in ("PositionCreate", "Position"):
        properties = components.get(model, {}).get("properties", {})
        if "kind" in properties:
            properties["kind"] = {**properties["kind"], "enum": kinds}
    properties = components.get("PositionCreate", {}).get("properties", {})
    if "channel" in properties:
        properties["channel"] = {
            "anyOf": [{"type": "string", "enum": codes}, {"type": "null"}],
            "default": None,
            "description": properties["channel"].get("description", ""),
        }


def description(server_url: str = "") -> dict:
    keys, components = _static_schemas()
    paths: dict[str, dict] = {}
    for spec in ENDPOINTS:
        paths.setdefault(spec.openapi_path, {})[spec.method.lower()] = _operation(
            spec, keys, components
        )
    query_models = {spec.query.__name__ for spec in ENDPOINTS if spec.query is not None}
    components = {k: v for k, v in _with_current_kinds(components).items() if k not in query_models}
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Concord API",
            "version": "1.0.0",
            "description": (
                "Consensus decision workflows. Authenticate with `Authorization: Bearer <token>` "
                "(`concord tokens create --email E`). Errors are application/problem+json "
                "(RFC 9457). Changes to a document may carry `If-Match` with its ETag."
            ),
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearerAuth": []}],
    }
    if server_url:
        document["servers"] = [{"url": server_url}]
    return document


class OpenApiDocument(BaseModel):
    """The description itself (a free-form object)."""

    model_config = {"extra": "allow"}


@endpoint(
    "/openapi.json",
    summary="This description (OpenAPI 3.1)",
    tag="meta",
    response=OpenApiDocument,
    errors=(),
    public=True,
)
def openapi_json() -> Reply:
    return Reply(OpenApiDocument(**description(request.host_url.rstrip("/"))))
