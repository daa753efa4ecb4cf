"""Documents: list, create, read; versions; transitions; instruments and pledges."""

from __future__ import annotations

from flask_babel import gettext

from models import User, Version
from web import db
from web.api import schemas, serializers
from web.api.blueprint import ERRORS_OF_A_CHANGE, Reply, bp, endpoint
from web.api.resources import document_as_seen, document_or_404, next_page_url, precondition
from web.problems import ApiProblem
from workflow import operations, queries
from workflow.queries import document_page

CHANGE_WITH_PRECONDITION = (*ERRORS_OF_A_CHANGE, 412)


def _location(path: str) -> dict[str, str]:
    return {"Location": bp.url_prefix + path}


def _document(user: User, document_id: int) -> schemas.Document:
    return document_as_seen(db.session(), user, document_id)


@endpoint(
    "/documents",
    summary="Documents the caller may see, newest change first, with filters and pages",
    tag="documents",
    query=schemas.DocumentQuery,
    response=schemas.DocumentPage,
    errors=(400, 401),
)
def list_documents(user: User, query: schemas.DocumentQuery) -> schemas.DocumentPage:
    listing = queries.list_documents(
        db.session(), user, queries.DocumentFilters(**query.model_dump(exclude_none=True))
    )
    return schemas.DocumentPage(
        items=[serializers.document_summary(d) for d in listing.documents],
        page=listing.page,
        per_page=listing.per_page,
        total=listing.total,
    )


@endpoint(
    "/documents",
    "POST",
    summary="Create a document in its workflow's first state (with its first text if given)",
    tag="documents",
    body=schemas.DocumentCreate,
    response=schemas.Document,
    status=201,
    errors=ERRORS_OF_A_CHANGE,
    etag=True,
    location=True,
)
def create_document(user: User, body: schemas.DocumentCreate) -> Reply:
    session = db.session()
    created = operations.create_document(session, user, **body.model_dump())
    document = document_or_404(session, user, created.id)
    return Reply(
        serializers.document(session, document, user),
        headers=_location(f"/documents/{document.id}"),
    )


@endpoint(
    "/documents/<id:document_id>",
    summary="A document with its versions, rounds, outcome, history and what the caller may fire",
    tag="documents",
    response=schemas.Document,
    etag=True,
)
def get_document(user: User, document_id: int) -> schemas.Document:
    return _document(user, document_id)


@endpoint(
    "/documents/<id:document_id>/history",
    summary="The document's history as the caller may see it, newest first, a page at a time",
    tag="documents",
    query=schemas.PageQuery,
    response=schemas.HistoryPage,
    errors=(400, 401, 404),
)
def document_history(user: User, document_id: int, query: schemas.PageQuery) -> schemas.HistoryPage:
    session = db.session()
    document = document_or_404(session, user, document_id)
    events = queries.document_history(session, document, user, query.page, query.per_page)
    return schemas.HistoryPage(
        items=[serializers.history_event(e, document.kind) for e in events.items],
        page=events.page,
        per_page=events.per_page,
        next=next_page_url(events),
    )


@endpoint(
    "/documents/<id:document_id>/versions",
    summary="The document's texts, the original first, then Rev.1, Rev.2, …",
    tag="documents",
    response=schemas.VersionList,
)
def list_versions(user: User, document_id: int) -> schemas.VersionList:
    document = document_or_404(db.session(), user, document_id)
    return schemas.VersionList(items=[serializers.version(v) for v in document.versions])


@endpoint(
    "/documents/<id:document_id>/versions/<id:number>",
    summary="One text of the document",
    tag="documents",
    response=schemas.Version,
)
def get_version(user: User, document_id: int, number: int) -> schemas.Version:
    document = document_or_404(db.session(), user, document_id)
    found = next((v for v in document.versions if v.number == number), None)
    if found is None:
        raise ApiProblem(
            404,
            gettext("%(symbol)s has no version %(number)s", symbol=document.symbol, number=number),
            slug="not-found",
        )
    return serializers.version(found)


@endpoint(
    "/documents/<id:document_id>/versions",
    "POST",
    summary="Add a text (the next revision); open rounds on the earlier text become void",
    tag="documents",
    body=schemas.VersionCreate,
    response=schemas.Version,
    status=201,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
    location=True,
)
def add_version(user: User, document_id: int, body: schemas.VersionCreate) -> Reply:
    session = db.session()
    document = document_or_404(session, user, document_id)
    with precondition(session, document.id, lambda: _document(user, document_id)):
        added: Version = operations.add_version(
            session,
            user,
            document.id,
            texts=body.texts,
            note=body.note,
            circulate_unchanged=body.circulate_unchanged,
        )
    return Reply(
        serializers.version(added),
        headers=_location(f"/documents/{document_id}/versions/{added.number}"),
    )


@endpoint(
    "/documents/<id:document_id>/translations",
    "POST",
    summary="Add or correct one language's text of the current version as a translation of it",
    description=(
        "The Secretariat only (403 otherwise). The version keeps its number, its open rounds "
        "and their positions; the text records when it arrived and who declared it. A change "
        "of substance is a new version (`POST /documents/{id}/versions`). The answer is the "
        "current version."
    ),
    tag="documents",
    body=schemas.TranslationDeclare,
    response=schemas.Version,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def declare_translation(
    user: User, document_id: int, body: schemas.TranslationDeclare
) -> schemas.Version:
    session = db.session()
    document = document_or_404(session, user, document_id)
    with precondition(session, document.id, lambda: _document(user, document_id)):
        text = operations.declare_translation(
            session, user, document.id, language=body.language, text=body.text, note=body.note
        )
    return serializers.version(text.version)


@endpoint(
    "/documents/<id:document_id>/fields",
    "PATCH",
    summary="Change the values of the fields the document's definition declares",
    tag="documents",
    body=schemas.FieldsChange,
    response=schemas.Document,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def change_fields(user: User, document_id: int, body: schemas.FieldsChange) -> schemas.Document:
    session = db.session()
    document = document_or_404(session, user, document_id)
    with precondition(session, document.id, lambda: _document(user, document_id)):
        operations.set_fields(session, user, document.id, body.fields)
    return _document(user, document_id)


@endpoint(
    "/documents/<id:document_id>/transitions",
    "POST",
    summary="Fire a trigger (with its parameters; optionally open the next state's round)",
    description=(
        "A refused trigger answers 409 with `allowed_triggers`, a failed guard 409 with "
        "`guard`, a missing permission 403. With `round`, the round of the state the "
        "trigger leads to opens in the same change (Secretariat only)."
    ),
    tag="documents",
    body=schemas.TransitionCreate,
    response=schemas.Document,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def fire_transition(
    user: User, document_id: int, body: schemas.TransitionCreate
) -> schemas.Document:
    session = db.session()
    document = document_or_404(session, user, document_id)
    with precondition(session, document.id, lambda: _document(user, document_id)):
        operations.fire_trigger(
            session,
            user,
            document.id,
            body.trigger,
            comment=body.comment,
            params=body.params,
            taken_on=body.taken_on,
        )
        if body.round is not None:
            operations.open_round(session, user, document.id, **body.round.model_dump())
    return _document(user, document_id)


@endpoint(
    "/documents/<id:document_id>/instruments",
    summary="Signatures and instruments recorded against a convention",
    tag="conventions",
    response=schemas.InstrumentList,
)
def list_instruments(user: User, document_id: int) -> schemas.InstrumentList:
    session = db.session()
    document = document_or_404(session, user, document_id)
    page = document_page(session, document, user)
    return schemas.InstrumentList(items=[serializers.instrument(i) for i in page.instruments])


@endpoint(
    "/documents/<id:document_id>/instruments",
    "POST",
    summary="Record a signature or an instrument of ratification, acceptance, approval, accession",
    tag="conventions",
    body=schemas.InstrumentCreate,
    response=schemas.Instrument,
    status=201,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def record_instrument(
    user: User, document_id: int, body: schemas.InstrumentCreate
) -> schemas.Instrument:
    session = db.session()
    document = document_or_404(session, user, document_id)
    with precondition(session, document.id, lambda: _document(user, document_id)):
        recorded = operations.record_instrument(session, user, document.id, **body.model_dump())
    return serializers.instrument(recorded)


@endpoint(
    "/documents/<id:document_id>/pledges",
    summary="Pledges recorded against a project proposal",
    tag="projects",
    response=schemas.PledgeList,
)
def list_pledges(user: User, document_id: int) -> schemas.PledgeList:
    session = db.session()
    document = document_or_404(session, user, document_id)
    page = document_page(session, document, user)
    return schemas.PledgeList(items=[serializers.pledge(p) for p in page.pledges])


@endpoint(
    "/documents/<id:document_id>/pledges",
    "POST",
    summary="Record a pledge towards a project's budget",
    tag="projects",
    body=schemas.PledgeCreate,
    response=schemas.Pledge,
    status=201,
    errors=CHANGE_WITH_PRECONDITION,
    if_match=True,
    etag=True,
)
def record_pledge(user: User, document_id: int, body: schemas.PledgeCreate) -> schemas.Pledge:
    session = db.session()
    document = document_or_404(session, user, document_id)
    with precondition(session, document.id, lambda: _document(user, document_id)):
        recorded = operations.record_pledge(session, user, document.id, **body.model_dump())
    return serializers.pledge(recorded)
