"""The forum's reference data: participants with their status, bodies, priority areas."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Body, BodySeat, Participant, PriorityArea, PriorityAreaRole, User
from web import db
from web.api import schemas, serializers
from web.api.blueprint import endpoint
from web.problems import ApiProblem


@endpoint(
    "/participants",
    summary="Participants (states and organisations) with their status and its history",
    tag="forum",
    query=schemas.ParticipantQuery,
    response=schemas.ParticipantList,
    errors=(400, 401),
)
def list_participants(user: User, query: schemas.ParticipantQuery) -> schemas.ParticipantList:
    statement = select(Participant).options(selectinload(Participant.status_history))
    if query.status is not None:
        statement = statement.where(Participant.status == query.status)
    if query.kind is not None:
        statement = statement.where(Participant.kind == query.kind)
    rows = db.session().scalars(statement.order_by(Participant.code))
    return schemas.ParticipantList(items=[serializers.participant(p) for p in rows])


@endpoint(
    "/participants/<code>",
    summary="One participant",
    tag="forum",
    response=schemas.Participant,
)
def get_participant(user: User, code: str) -> schemas.Participant:
    row = db.session().scalar(
        select(Participant)
        .where(Participant.code == code.upper())
        .options(selectinload(Participant.status_history))
    )
    if row is None:
        raise ApiProblem(404, f"no participant {code!r}", slug="not-found")
    return serializers.participant(row)


@endpoint(
    "/bodies",
    summary="The bodies where decisions are taken, and who sits in each",
    tag="forum",
    response=schemas.BodyList,
    errors=(401,),
)
def list_bodies(user: User) -> schemas.BodyList:
    rows = db.session().scalars(
        select(Body)
        .options(selectinload(Body.seats).joinedload(BodySeat.participant))
        .order_by(Body.id)
    )
    return schemas.BodyList(items=[serializers.body(b) for b in rows])


@endpoint(
    "/priority-areas",
    summary="The Catalogue's priority areas with their coordinator states",
    tag="forum",
    response=schemas.PriorityAreaList,
    errors=(401,),
)
def list_priority_areas(user: User) -> schemas.PriorityAreaList:
    rows = db.session().scalars(
        select(PriorityArea)
        .options(
            selectinload(PriorityArea.dimension),
            selectinload(PriorityArea.roles).joinedload(PriorityAreaRole.participant),
        )
        .order_by(PriorityArea.code)
    )
    return schemas.PriorityAreaList(items=[serializers.priority_area(a) for a in rows])
