"""Finding what a request names, as the caller may see it, and the If-Match precondition."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from flask import request
from flask_babel import gettext
from sqlalchemy.orm import Session

from models import Document, Round, User
from web.problems import ApiProblem, translate_error
from workflow import locking
from workflow.errors import StaleChange
from workflow.queries import Page, load_document, load_round
from workflow.visibility import can_see_document, can_see_round


def document_or_404(session: Session, user: User, document_id: int) -> Document:
    """The document, or 404 for a missing one and for one the caller may not see."""
    document = load_document(session, document_id)
    if document is None or not can_see_document(user, document):
        raise ApiProblem(404, gettext("no document %(id)s", id=document_id), slug="not-found")
    return document


def round_or_404(session: Session, user: User, round_id: int) -> Round:
    round_ = load_round(session, round_id)
    if round_ is None or not can_see_round(user, round_):
        raise ApiProblem(404, gettext("no round %(id)s", id=round_id), slug="not-found")
    return round_


def etag(document: Document) -> str:
    return f'"{document.lock_version}"'


def etag_header(document: Document) -> dict[str, str]:
    return {"ETag": etag(document)}


def _entity_tags(header: str) -> list[str]:
    tags = []
    for tag in (part.strip() for part in header.split(",")):
        if tag and not tag.startswith(("W/", '"')) and tag != "*":
            tag = f'"{tag}"'  # be lenient with a bare number
        tags.append(tag)
    return tags


def expected_lock_version(document: Document) -> int | None:
    """The version If-Match names when it names the current one; 412 when it names another.

    None without If-Match (or with `*`): the change goes ahead on whatever is current.
    Weak tags never match (RFC 9110: If-Match compares strongly).
    """
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = _entity_tags(header)
    if "*" in tags:
        return None
    if etag(document) in tags:
        return document.lock_version
    raise ApiProblem(
        412,
        gettext(
            "%(symbol)s is at version %(version)s, not the one you sent (If-Match: %(sent)s): "
            "read it again and retry",
            symbol=document.symbol,
            version=document.lock_version,
            sent=header[:80],
        ),
        slug="precondition-failed",
        headers=etag_header(document),
        current_etag=etag(document),
    )


@contextmanager
def precondition(session: Session, document: Document) -> Iterator[int | None]:
    """Check If-Match, hold the document locked at that version, turn a lost race into 412.

    Yields the expected version for operations that take `expected_lock_version`.
    """
    expected = expected_lock_version(document)
    try:
        if expected is not None:
            # The engine's own lock, taken now: the version cannot move before the operation.
            locking.lock_document(session, document.id, expected)
        yield expected
    except StaleChange as error:
        if expected is None:
            raise
        raise ApiProblem(412, translate_error(error), slug="precondition-failed") from None


def next_page_url(page: Page) -> str | None:
    """The URL of the page after `page` (the request's other arguments kept), if there is one."""
    if not page.has_next:
        return None
    args = request.args.to_dict()
    args["page"] = str(page.page + 1)
    return f"{request.base_url}?{urlencode(args)}"
