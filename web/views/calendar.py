"""Deadlines for calendar programs: each user's private feed, and one round's event.

The feed is read by calendar programs, which carry no session: its secret address
is the credential (workflow.calendar). Events are written in the feed owner's
language and zone; times are in UTC, which every calendar program converts.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from icalendar import Calendar, Event

from models import Round, User
from web import db, i18n
from web.forms import ActionForm
from web.language import short_name
from web.views import bp
from web.views.access import require_round
from web.views.common import forum_zone_name
from web.views.filters import localtime, mode_label, outcome_label
from workflow import calendar, clock, times

ICS_TYPE = "text/calendar; charset=utf-8"


def _event(round_: Round, *, forum_code: str, zone: ZoneInfo) -> Event:
    state = calendar.event_state(round_)
    document = round_.document
    symbol = f"{document.symbol}{round_.version.suffix}"
    link = url_for(
        "views.document_show",
        document_id=document.id,
        _anchor=f"round-{round_.id}",
        _external=True,
    )
    event = Event()
    event.add("uid", f"concord-{forum_code.lower()}-round-{round_.id}")
    event.add("dtstamp", clock.now())
    event.add("created", round_.opened_at)
    event.add("dtstart", round_.deadline_at)
    event.add("sequence", state.sequence)
    event.add("status", "CANCELLED" if state.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a deadline, not time taken
    event.add(
        "summary",
        _(
            "Deadline: %(symbol)s, %(body)s (%(mode)s)",
            symbol=symbol,
            body=short_name(round_.body),
            mode=mode_label(round_.mode),
        ),
    )
    lines = [
        document.title_in(i18n.lang()),
        _("Deadline %(when)s", when=localtime(round_.deadline_at, zone=zone)),
    ]
    if round_.outcome is not None:
        lines.append(_("Outcome: %(outcome)s", outcome=outcome_label(round_.outcome)))
    lines.append(link)
    event.add("description", "\n".join(lines))
    event.add("url", link)
    return event


def _calendar(rounds: list[Round], *, name: str, zone: ZoneInfo) -> Response:
    forum = times.forum(db.session())
    cal = Calendar()
    cal.add("prodid", "-//Concord//Consensus deadlines//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for round_ in rounds:
        cal.add_component(_event(round_, forum_code=forum.code, zone=zone))
    return Response(cal.to_ical(), content_type=ICS_TYPE)


def _zone_of(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or forum_zone_name())
    except (ValueError, KeyError):
        return ZoneInfo(forum_zone_name())


def _language_of(user: User) -> str:
    offered = i18n.languages()
    return user.language if user.language in offered else offered[0]


@bp.route("/calendar/<secret>.ics")
def calendar_feed(secret: str):
    """A user's private feed: no session, the address is the credential."""
    database = db.session()
    owner = calendar.feed_owner(database, secret)
    if owner is None:
        abort(404)
    rounds = calendar.rounds_for(database, owner)
    database.commit()  # when the feed was last read
    with force_locale(_language_of(owner)):
        response = _calendar(rounds, name=_("Concord deadlines"), zone=_zone_of(owner))
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/rounds/<id:round_id>/deadline.ics")
@login_required
def round_calendar(round_id: int):
    """One round's deadline as a file to open in a calendar program."""
    round_ = require_round(db.session().get(Round, round_id))
    if round_.deadline_at is None:
        abort(404)
    user = current_user._get_current_object()
    response = _calendar([round_], name=round_.document.symbol, zone=_zone_of(user))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="deadline-round-{round_.id}.ics"'
    )
    return response


@bp.route("/account/calendar", methods=["GET", "POST"])
@login_required
def calendar_settings():
    """Issue, renew or end the user's private feed address."""
    database = db.session()
    user = current_user._get_current_object()
    form = ActionForm()
    address = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if request.form.get("action") == "revoke":
            calendar.revoke_feed(database, user)
            database.commit()
            flash(_("Your calendar feed has ended: its address no longer works."), "success")
            return redirect(url_for("views.calendar_settings"))
        secret = calendar.issue_feed(database, user)
        database.commit()
        address = url_for("views.calendar_feed", secret=secret, _external=True)
    return render_template(
        "account_calendar.html",
        feed=calendar.feed_of(database, user),
        address=address,
        form=ActionForm(formdata=None),
    )
