"""Decisions: the register of decisions taken, and the positions still awaited."""

from __future__ import annotations

from flask_babel import gettext

from models import User
from web import db
from web.api import schemas, serializers
from web.api.blueprint import endpoint
from web.api.resources import next_page_url
from web.problems import ApiProblem
from workflow import queries, register
from workflow.errors import NotPermitted
from workflow.visibility import can_see_decision


@endpoint(
    "/decisions/pending",
    summary="Positions still awaited: a delegate's states', or every state's for the Secretariat",
    description="A page at a time, soonest deadline first, meetings last; narrowed by body, "
    "state or deadline.",
    tag="rounds",
    query=schemas.PendingQuery,
    response=schemas.PendingDecisionList,
    errors=(400, 401, 403),
)
def pending_decisions(user: User, query: schemas.PendingQuery) -> schemas.PendingDecisionList:
    if not user.is_secretariat and not user.represented_states:
        raise NotPermitted(
            "pending decisions are for delegates of members and the Secretariat"
        )
    awaited = queries.awaiting_answers(
        db.session(),
        user,
        queries.OpenWorkFilters(**query.model_dump(exclude_none=True)),
        every_state=user.is_secretariat,
    )
    return schemas.PendingDecisionList(
        page=awaited.page,
        per_page=awaited.per_page,
        next=next_page_url(awaited),
        items=[
            schemas.PendingDecision(
                participant=item.state.code,
                round_id=item.round.id,
                document_id=item.round.document_id,
                symbol=item.round.document.symbol,
                title=item.round.document.title,
                body=item.round.body.code,
                mode=item.round.mode,
                version=item.round.version.number,
                deadline_at=item.round.deadline_at,
            )
            for item in awaited.items
        ],
    )


@endpoint(
    "/decisions",
    summary="The decision register: decisions by body and year, the latest first",
    tag="decisions",
    query=schemas.DecisionQuery,
    response=schemas.DecisionPage,
    errors=(400, 401),
)
def list_decisions(user: User, query: schemas.DecisionQuery) -> schemas.DecisionPage:
    listing = register.list_decisions(
        db.session(), user, register.DecisionFilters(**query.model_dump(exclude_none=True))
    )
    return schemas.DecisionPage(
        items=[serializers.decision_summary(d) for d in listing.decisions],
        page=listing.page,
        per_page=listing.per_page,
        total=listing.total,
    )


@endpoint(
    "/decisions/<id:decision_id>",
    summary="One decision: its symbol, date, the version adopted and what was attached",
    tag="decisions",
    response=schemas.Decision,
)
def get_decision(user: User, decision_id: int) -> schemas.Decision:
    found = register.load_decision(db.session(), decision_id)
    if found is None or not can_see_decision(user, found):
        raise ApiProblem(404, gettext("no decision %(id)s", id=decision_id), slug="not-found")
    return serializers.decision(found)
