"""Pending decisions: open rounds still waiting for a state's position."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from models import Participant, Position, Round, RoundElector, RoundStatus, User
from web import db
from web.api import schemas
from web.api.blueprint import endpoint
from workflow.errors import NotPermitted


def _awaited(user: User) -> list[tuple[Round, Participant]]:
    """(round, state) for every open round where the state has no position yet.

    A delegate sees their own states'; the Secretariat sees every state's.
    """
    answered = exists().where(
        Position.round_id == Round.id,
        Position.participant_id == RoundElector.participant_id,
        Position.is_current.is_(True),
    )
    query = (
        select(Round, Participant)
        .join(RoundElector, RoundElector.round_id == Round.id)
        .join(Participant, Participant.id == RoundElector.participant_id)
        .where(Round.status == RoundStatus.OPEN, ~answered)
        .options(joinedload(Round.document), joinedload(Round.body), joinedload(Round.version))
        .order_by(Round.deadline_at.is_(None), Round.deadline_at, Round.id, Participant.code)
    )
    if not user.is_secretariat:
        query = query.where(
            RoundElector.participant_id.in_([p.id for p in user.represented_states])
        )
    return [(round_, state) for round_, state in db.session().execute(query)]


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
    return schemas.PendingDecisionList(
        items=[
            schemas.PendingDecision(
                participant=state.code,
                round_id=round_.id,
                document_id=round_.document_id,
                symbol=round_.document.symbol,
                title=round_.document.title,
                body=round_.body.code,
                mode=round_.mode,
                version=round_.version.number,
                deadline_at=round_.deadline_at,
            )
            for round_, state in _awaited(user)
        ]
    )
