"""Small helpers the view modules share."""

from __future__ import annotations

from flask import flash, g
from flask_login import current_user

from web import db
from web.errors import describe_error
from web.problems import status_of
from workflow import queries, times
from workflow.errors import ConcordError


def lock_version(value: str | None) -> int | None:
    """The lock_version a form was shown with; None when absent or not a number."""
    return int(value) if value and value.isascii() and value.isdigit() else None


def forum_zone_name() -> str:
    """The forum's time zone (the profile's), read once per request."""
    if "forum_zone" not in g:
        g.forum_zone = times.forum(db.session()).timezone
    return g.forum_zone


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
