"""Small helpers the view modules share."""

from __future__ import annotations

from flask import flash, g
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from models import Forum, Participant, ParticipantStatus
from web import db, i18n
from web.errors import describe_error
from web.language import current_language
from web.problems import status_of
from workflow import queries, times
from workflow.errors import ConcordError
from workflow.registry import registry
from workflow.spec import StatementKind
from workflow.vocabulary import word as forum_word


def lock_version(value: str | None) -> int | None:
    """The lock_version a form was shown with; None when absent or not a number."""
    return int(value) if value and value.isascii() and value.isdigit() else None


def statement_kinds(document_kind: str) -> dict[str, StatementKind]:
    """The kinds of statement a process declares (its definition's [[statement_kinds]]), by code."""
    declared = registry().get(document_kind).statement_kinds if document_kind in registry() else ()
    return {kind.code: kind for kind in declared}


def forum_zone_name() -> str:
    """The forum's time zone (the profile's), read once per request."""
    if "forum_zone" not in g:
        g.forum_zone = times.forum(db.session()).timezone
    return g.forum_zone


def current_forum() -> Forum:
    """The forum the profile describes, read once per request."""
    if "forum" not in g:
        g.forum = times.forum(db.session())
    return g.forum


def working_languages() -> list[str]:
    """The forum's working languages (the languages of documents' texts and titles), English
    first."""
    languages = list(current_forum().languages or ["en"])
    return sorted(languages, key=lambda code: code != "en")


def language_choices() -> list[tuple[str, str]]:
    """(code, name in itself) of each working language: English, Русский, Français."""
    return [(code, i18n.language_name(code)) for code in working_languages()]


def version_texts(version) -> list:
    """A version's texts (VersionText rows), the working languages' in their order first,
    then any other language it holds."""
    order = {code: index for index, code in enumerate(working_languages())}
    return sorted(version.texts, key=lambda t: (order.get(t.language, len(order)), t.language))


def word(key: str) -> str:
    """The forum's word for `key` (workflow.vocabulary) in the reader's language."""
    return forum_word(current_forum(), key, current_language(), gettext)


def chair_holders() -> list[Participant]:
    """The participants holding the forum's chair (the profile's `forum.chair`)."""
    codes = current_forum().chair or []
    if not codes:
        return []
    rows = db.session().scalars(select(Participant).where(Participant.code.in_(codes)))
    return sorted(rows, key=lambda p: codes.index(p.code))


def status_word(status: ParticipantStatus | str) -> str:
    """What the forum calls a participant of this status: "member", "partner"... in its own words"""
    return word(ParticipantStatus(status).value)


def viewer_zone_name() -> str:
    """The viewer's own time zone, else the forum's."""
    return getattr(current_user, "timezone", None) or forum_zone_name()


def refused(error: ConcordError) -> int:
    """Undo the failed operation's partial work, tell the user why; the status to answer with."""
    db.session().rollback()
    flash(describe_error(error), "error")
    return status_of(error)


def page_number(value: str | None) -> int:
    """A `page` argument; 1 when absent or not a number (a page past the last is empty)."""
    return int(value) if value and value.isascii() and value.isdigit() and int(value) > 0 else 1


def open_work_filters(args, **fixed) -> queries.OpenWorkFilters:
    """The filters of a list of open rounds from the query string (unknown values ignored)."""
    due = args.get("due", "")
    return queries.OpenWorkFilters(
        body=args.get("body", "")[:20],
        state=args.get("state", "")[:12],
        due=due if due in queries.DUE_CHOICES else "",
        page=page_number(args.get("page")),
        **fixed,
    )
