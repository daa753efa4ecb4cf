"""Pending decisions: open rounds still waiting for a state's position."""

from __future__ import annotations

from models import User
from web import db
from web.api import schemas
from web.api.blueprint import endpoint
from workflow import queries
from workflow.errors import NotPermitted


@endpoint(
    "/decisions/pending",
    summary="Positions still awaited: a delegate's states', or every state's for the Secretariat",
    tag="rounds",
    response=schemas.PendingDecisionList,
    errors=(401, 403),
)
def pending_decisions(user: User) -> schemas.PendingDecisionList:
    if not user.is_secretariat and not user.represented_states:
        raise NotPermitted(
            "pending decisions are for delegates of member states and the Secretariat"
        )
    awaited = queries.awaiting_answers(db.session(), user, every_state=user.is_secretariat)
    return schemas.PendingDecisionList(
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
            for item in awaited
        ]
    )
