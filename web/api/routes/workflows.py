"""Workflow definitions: states, triggers (who may fire them, guards, parameters), diagrams."""

from __future__ import annotations

from flask_babel import gettext

from models import User
from web.api import schemas, serializers
from web.api.blueprint import endpoint
from web.problems import ApiProblem
from workflow.registry import registry


@endpoint(
    "/workflows",
    summary="The processes documents move through",
    tag="workflows",
    response=schemas.WorkflowList,
    errors=(401,),
)
def list_workflows(user: User) -> schemas.WorkflowList:
    return schemas.WorkflowList(items=[serializers.workflow_summary(d) for d in registry()])


@endpoint(
    "/workflows/<kind>",
    summary="One process: states, transitions and its Mermaid diagram",
    tag="workflows",
    response=schemas.Workflow,
)
def get_workflow(user: User, kind: str) -> schemas.Workflow:
    if kind not in registry():
        raise ApiProblem(
            404,
            gettext(
                "no workflow %(kind)s (known: %(known)s)",
                kind=repr(kind),
                known=", ".join(registry().kinds),
            ),
            slug="not-found",
        )
    return serializers.workflow(registry().get(kind))
