"""Finding what a request names, as the caller may see it, and the If-Match precondition."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from flask import request
from flask_babel import gettext
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Document, Round, User
from web.api import schemas, serializers
from web.api.blueprint import entity_tag
from web.problems import ApiProblem
from workflow import locking
from workflow.queries import Page, load_document, load_round
from workflow.visibility import can_see_document, can_see_round, rounds_visible_to


def document_or_404(session: Session, user: User, document_id: int) -> Document:
    """The document, or 404 for a missing one and for one the caller may not see."""
    document = load_document(session, document_id)
    if document is None or not can_see_document(user, document):
        raise ApiProblem(404, gettext("no document %(id)s", id=document_id), slug="not-found")
    return document


def round_or_404(session: Session, user: User, round_id: int) -> Round:
    round_ = load_round(session, round_id, position_history=False)
    if round_ is None or not can_see_round(user, round_):
        raise _no_round(round_id)
    return round_


def round_document_or_404(session: Session, user: User, round_id: int) -> int:
    """The id of the document of a round the caller may see, or 404, in one query: a change
    to the round reads what it needs under its own lock, and the reply reads the round once,
    after it."""
    document_id = session.scalar(
        select(Round.document_id).where(Round.id == round_id, rounds_visible_to(user))
    )
    if document_id is None:
        raise _no_round(round_id)
    return document_id


def _no_round(round_id: int) -> ApiProblem:
    return ApiProblem(404, gettext("no round %(id)s", id=round_id), slug="not-found")


def document_as_seen(session: Session, user: User, document_id: int) -> schemas.Document:
    """The document's representation for `user` (what GET answers and If-Match is checked on)."""
    return serializers.document(session, document_or_404(session, user, document_id), user)


def round_as_seen(session: Session, user: User, round_id: int) -> schemas.Round:
    """The round's representation for `user` (what GET answers and If-Match is checked on)."""
    return serializers.round_(round_or_404(session, user, round_id))


def _entity_tags(header: str) -> list[str]:
    tags = []
    for tag in (part.strip() for part in header.split(",")):
        if tag and not tag.startswith(("W/", '"')) and tag != "*":
            tag = f'"{tag}"'  # be lenient with an unquoted tag
        tags.append(tag)
    return tags


@contextmanager
def precondition(
    session: Session, document_id: int, current: Callable[[], BaseModel]
) -> Iterator[None]:
    """Check If-Match against the ETag of `current()`, the representation the change is
    made on (the document's or the round's, as the caller sees it): 412 when it changed.

    The document is locked first, so nothing changes it or its rounds between the check
    and the change. Without If-Match (or with `*`) the change goes ahead on whatever is
    current. Weak tags never match (RFC 9110: If-Match compares strongly).
    """
    if _if_match_given():
        locking.lock_document(session, document_id)
        _require_match(session, current)
    yield


def _if_match_given() -> bool:
    header = request.headers.get("If-Match")
    return header is not None and "*" not in _entity_tags(header)


def _require_match(session: Session, current: Callable[[], BaseModel]) -> None:
    """412 unless If-Match names the ETag of `current()`, read after the caller's lock."""
    header = request.headers["If-Match"]
    session.expire_all()  # what was read before the lock may be stale
    now = entity_tag(current())
    if now not in _entity_tags(header):
        raise ApiProblem(
            412,
            gettext(
                "it changed since you read it (If-Match: %(sent)s, now %(now)s): "
                "read it again and retry",
                sent=header[:80],
                now=now,
            ),
            slug="precondition-failed",
            headers={"ETag": now},
            current_etag=now,
        )


@contextmanager
def user_precondition(session: Session, current: Callable[[], BaseModel]) -> Iterator[None]:
    """If-Match on a user: the changes of users are serialised (the forum's lock, as the
    change frame takes it), so nothing changes the user between the check and the change."""
    if _if_match_given():
        locking.serialize(session, locking.FORUM_CHAIN)
        _require_match(session, current)
    yield


def next_page_url(page: Page) -> str | None:
    """The URL of the page after `page` (the request's other arguments kept), if there is one."""
    if not page.has_next:
        return None
    args = request.args.to_dict()
    args["page"] = str(page.page + 1)
    return f"{request.base_url}?{urlencode(args)}"
