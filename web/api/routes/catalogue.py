"""The Catalogue of CBMs: the edition in force, any edition, two editions compared, and the
changes a catalogue amendment proposes."""

from __future__ import annotations

from flask_babel import gettext

from models import User
from web import db
from web.api import schemas, serializers
from web.api.blueprint import ERRORS_OF_A_CHANGE, endpoint
from web.api.resources import document_as_seen, document_or_404, precondition
from web.problems import ApiProblem
from workflow import catalogue, operations, register


def _edition_or_404(session, number: int):
    found = catalogue.edition(session, number)
    if found is None:
        raise ApiProblem(
            404, gettext("no edition %(number)s of the Catalogue", number=number), slug="not-found"
        )
    return found


@endpoint(
    "/catalogue",
    summary="The Catalogue in force: its edition, dimensions, priority areas and measures",
    tag="catalogue",
    response=schemas.Catalogue,
    errors=(401, 404),
)
def get_catalogue(user: User) -> schemas.Catalogue:
    session = db.session()
    current = catalogue.in_force(session)
    if current is None:
        raise ApiProblem(404, gettext("the forum has no Catalogue"), slug="not-found")
    symbols = register.decision_symbols(session)
    return schemas.Catalogue(
        **serializers.edition(current, symbols).model_dump(),
        editions=[serializers.edition_summary(e, symbols) for e in catalogue.editions(session)],
    )


@endpoint(
    "/catalogue/editions/<id:number>",
    summary="One edition of the Catalogue, as it stood",
    tag="catalogue",
    response=schemas.CatalogueEdition,
)
def get_edition(user: User, number: int) -> schemas.CatalogueEdition:
    session = db.session()
    return serializers.edition(_edition_or_404(session, number), register.decision_symbols(session))


@endpoint(
    "/catalogue/compare",
    summary="What changed between two editions (?from=&to=)",
    tag="catalogue",
    query=schemas.EditionsCompared,
    response=schemas.EditionComparison,
    errors=(400, 401, 404),
)
def compare_editions(user: User, query: schemas.EditionsCompared) -> schemas.EditionComparison:
    session = db.session()
    old, new = _edition_or_404(session, query.old), _edition_or_404(session, query.new)
    return schemas.EditionComparison(
        old=old.number,
        new=new.number,
        differences=[
            schemas.EditionDifference(**row) for row in catalogue.compare(old.content, new.content)
        ],
    )


@endpoint(
    "/documents/<id:document_id>/catalogue-changes",
    "PUT",
    summary="Set the changes a catalogue amendment proposes, while it is drafted",
    description=(
        "Each change is checked against the edition in force: one naming an area or a measure "
        "that does not exist (or no longer does) is refused with 422 naming it."
    ),
    tag="catalogue",
    body=schemas.CatalogueChanges,
    response=schemas.CatalogueChangeList,
    errors=(*ERRORS_OF_A_CHANGE, 412),
    if_match=True,
    etag=True,
)
def propose_changes(
    user: User, document_id: int, body: schemas.CatalogueChanges
) -> schemas.CatalogueChangeList:
    session = db.session()
    document = document_or_404(session, user, document_id)
    with precondition(session, document.id, lambda: document_as_seen(session, user, document_id)):
        checked = operations.propose_changes(session, user, document.id, body.changes)
    return schemas.CatalogueChangeList(changes=checked)
