"""The forum's reference data: participants with their status, bodies, priority areas."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Body, BodySeat, Participant, PriorityArea, PriorityAreaRole, User
from web import db
from web.api import schemas, serializers
from web.api.blueprint import ERRORS_OF_A_CHANGE, Reply, bp, endpoint
from web.problems import ApiProblem
from workflow import operations


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
        raise ApiProblem(404, gettext("no participant %(code)s", code=repr(code)), slug="not-found")
    return serializers.participant(row)


@endpoint(
    "/participants",
    "POST",
    summary="Register a state or an organisation applying to the forum (Secretariat)",
    description=(
        "It enters as an applicant, in no electorate. A state's code is its ISO 3166 alpha-3 "
        "code; an organisation's a short code. A code already registered answers 409."
    ),
    tag="forum",
    body=schemas.ParticipantRegister,
    response=schemas.Participant,
    status=201,
    errors=ERRORS_OF_A_CHANGE,
    location=True,
)
def register_participant(user: User, body: schemas.ParticipantRegister) -> Reply:
    session = db.session()
    registered = operations.register_participant(session, user, **body.model_dump())
    session.refresh(registered, ["status_history"])
    return Reply(
        serializers.participant(registered),
        headers={"Location": f"{bp.url_prefix}/participants/{registered.code}"},
    )


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
    summary="The priority areas of the Catalogue in force, with their coordinator states",
    tag="forum",
    response=schemas.PriorityAreaList,
    errors=(401,),
)
def list_priority_areas(user: User) -> schemas.PriorityAreaList:
    rows = db.session().scalars(
        select(PriorityArea)
        .where(PriorityArea.retired_in.is_(None))  # the Catalogue in force
        .options(
            selectinload(PriorityArea.dimension),
            selectinload(PriorityArea.roles).joinedload(PriorityAreaRole.participant),
        )
        .order_by(PriorityArea.code)
    )
    return schemas.PriorityAreaList(items=[serializers.priority_area(a) for a in rows])
