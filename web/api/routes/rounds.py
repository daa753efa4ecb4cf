"""Consensus rounds: read, open, close, extend; positions, also on a state's behalf."""

from __future__ import annotations

from models import User
from web import db
from web.api import schemas, serializers
from web.api.blueprint import ERRORS_OF_A_CHANGE, Reply, bp, endpoint
from web.api.resources import (
    document_as_seen,
    document_or_404,
    next_page_url,
    precondition,
    round_as_seen,
    round_document_or_404,
    round_or_404,
)
from workflow import operations
from workflow.queries import document_page, positions_page

CHANGE_WITH_PRECONDITION = (*ERRORS_OF_A_CHANGE, 412)


def _round(user: User, round_id: int) -> schemas.Round:
    return round_as_seen(db.session(), user, round_id)


@endpoint(
    "/documents/<id:document_id>/rounds",
    summary="The document's rounds, newest first, a page at a time",
    tag="rounds",
    query=schemas.PageQuery,
    response=schemas.RoundList,
    errors=(400, 401, 404),
)
def list_rounds(user: User, document_id: int, query: schemas.PageQuery) -> schemas.RoundList:
    session = db.session()
    document = document_or_404(session, user, document_id)
    rounds = document_page(
        session,
        document,
        user,
        rounds_page=query.page,
        rounds_per_page=query.per_page,
        position_history=False,
    ).rounds
    return schemas.RoundList(
        items=[serializers.round_(r) for r in rounds.items],
        page=rounds.page,
        per_page=rounds.per_page,
        next=next_page_url(rounds),
    )


@endpoint(
    "/documents/<id:document_id>/rounds",
    "POST",
    summary="Open the round of the document's current state (Secretariat)",
    description="A meeting round has no deadline; a silence or written procedure needs one.",
    tag="rounds",
    body=schemas.RoundOpen,
    response=schemas.Round,
    status=201,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
    location=True,
)
def open_round(user: User, document_id: int, body: schemas.RoundOpen) -> Reply:
    session = db.session()
    document = document_or_404(session, user, document_id)
    with precondition(session, document.id, lambda: document_as_seen(session, user, document_id)):
        opened = operations.open_round(session, user, document.id, **body.model_dump())
    return Reply(
        _round(user, opened.id), headers={"Location": f"{bp.url_prefix}/rounds/{opened.id}"}
    )


@endpoint(
    "/rounds/<id:round_id>",
    summary="A round: electorate, the positions that count, who has not answered, the outcome",
    description=(
        "`positions` holds each state's current position only, so the answer's size does "
        "not grow as positions change; every position recorded is at "
        "`GET /rounds/{id}/positions`, a page at a time."
    ),
    tag="rounds",
    response=schemas.Round,
    etag=True,
)
def get_round(user: User, round_id: int) -> schemas.Round:
    return _round(user, round_id)


@endpoint(
    "/rounds/<id:round_id>/positions",
    summary="Every position recorded in a round, changes included, newest first, a page at a time",
    tag="rounds",
    query=schemas.PageQuery,
    response=schemas.PositionPage,
    errors=(400, 401, 404),
)
def list_positions(user: User, round_id: int, query: schemas.PageQuery) -> schemas.PositionPage:
    session = db.session()
    round_ = round_or_404(session, user, round_id)
    positions = positions_page(session, round_, query.page, query.per_page)
    return schemas.PositionPage(
        items=[serializers.position(p) for p in positions.items],
        page=positions.page,
        per_page=positions.per_page,
        next=next_page_url(positions),
    )


@endpoint(
    "/rounds/<id:round_id>/close",
    "POST",
    summary="Close a meeting round as its chair (Secretariat): consensus unless an objection stands",
    tag="rounds",
    body=schemas.RoundClose,
    response=schemas.Round,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def close_round(user: User, round_id: int, body: schemas.RoundClose) -> schemas.Round:
    session = db.session()
    document_id = round_document_or_404(session, user, round_id)
    with precondition(session, document_id, lambda: _round(user, round_id)):
        operations.close_round(session, user, round_id, **body.model_dump())
    return _round(user, round_id)


@endpoint(
    "/rounds/<id:round_id>/extend",
    "POST",
    summary="Move a silence or written deadline later, before it passes (Secretariat)",
    tag="rounds",
    body=schemas.RoundExtend,
    response=schemas.Round,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def extend_deadline(user: User, round_id: int, body: schemas.RoundExtend) -> schemas.Round:
    session = db.session()
    document_id = round_document_or_404(session, user, round_id)
    with precondition(session, document_id, lambda: _round(user, round_id)):
        operations.extend_deadline(session, user, round_id, **body.model_dump())
    return _round(user, round_id)


@endpoint(
    "/rounds/<id:round_id>/positions",
    "POST",
    summary="Record a state's position; the round as it stands after it is returned",
    description=(
        "A delegate records their own state's position. The Secretariat may record it on "
        "the state's behalf with the `reference` of its note verbale. An objection ends a "
        "silence procedure at once (silence broken); a written procedure closes when the "
        "last state consents or at the first objection. The answer is the round with the "
        "positions that count and its outcome (its size does not grow with changes); "
        "earlier positions are at `GET /rounds/{id}/positions`."
    ),
    tag="rounds",
    body=schemas.PositionCreate,
    response=schemas.Round,
    status=201,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def record_position(user: User, round_id: int, body: schemas.PositionCreate) -> schemas.Round:
    session = db.session()
    document_id = round_document_or_404(session, user, round_id)
    with precondition(session, document_id, lambda: _round(user, round_id)):
        operations.record_position(session, user, round_id, **body.model_dump())
    return _round(user, round_id)


@endpoint(
    "/rounds/<id:round_id>/confirmations",
    "POST",
    summary="A capital confirms a consent given ad referendum, or withdraws it",
    description=(
        "A delegate answers for their own state; the Secretariat on its behalf with the "
        "`reference` of its note verbale. A withdrawal counts as an objection: the decision "
        "fails. When every state has confirmed, the decision is final at once; otherwise it "
        "becomes final when the confirmation period lapses."
    ),
    tag="rounds",
    body=schemas.ConfirmationAnswer,
    response=schemas.Round,
    status=201,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def answer_confirmation(
    user: User, round_id: int, body: schemas.ConfirmationAnswer
) -> schemas.Round:
    session = db.session()
    document_id = round_document_or_404(session, user, round_id)
    with precondition(session, document_id, lambda: _round(user, round_id)):
        operations.answer_confirmation(session, user, round_id, **body.model_dump())
    return _round(user, round_id)
