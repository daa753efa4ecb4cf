"""Template filters and globals: times in the viewer's zone, time-left badges, labels."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_login import current_user
from markupsafe import Markup, escape

from models import EntryChannel, OutcomeKind, PositionKind, RoundMode
from web.views import bp
from web.views.text import render_markdown
from workflow import clock
from workflow.definitions import registry

DEFAULT_ZONE = "Asia/Almaty"

POSITION_LABELS = {
    PositionKind.CONSENT: "Consent",
    PositionKind.CONSENT_WITH_STATEMENT: "Consent with statement",
    PositionKind.RESERVATION: "Reservation",
    PositionKind.STAND_ASIDE: "Stands aside",
    PositionKind.OBJECTION: "Objection",
}
TEXT_LABELS = {
    PositionKind.CONSENT_WITH_STATEMENT: "Interpretative statement",
    PositionKind.RESERVATION: "Reservation",
    PositionKind.OBJECTION: "Grounds of objection",
}
OUTCOME_LABELS = {
    OutcomeKind.CONSENSUS: "Consensus",
    OutcomeKind.NO_CONSENSUS: "No consensus",
    OutcomeKind.SILENCE_BROKEN: "Silence broken",
    OutcomeKind.LAPSED: "Lapsed",
    OutcomeKind.VOID: "Void (text revised)",
}
MODE_LABELS = {
    RoundMode.MEETING: "In session",
    RoundMode.SILENCE: "Silence procedure",
    RoundMode.WRITTEN: "Written procedure",
}


def viewer_zone() -> ZoneInfo:
    name = getattr(current_user, "timezone", None) or DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


@bp.app_template_filter("localtime")
def localtime(moment: datetime | None, with_zone: bool = True) -> str:
    if moment is None:
        return "—"
    zone = viewer_zone()
    local = moment.astimezone(zone)
    text = local.strftime("%-d %b %Y, %H:%M")
    return f"{text} ({zone.key})" if with_zone else text


@bp.app_template_filter("localdate")
def localdate(moment) -> str:
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        moment = moment.astimezone(viewer_zone()).date()
    return moment.strftime("%-d %b %Y")


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{max(mins, 1)} min"


def time_left(deadline: datetime | None) -> tuple[str, str]:
    """(css class, text) for a deadline: overdue, today (under 24 h), soon (3 days), later."""
    if deadline is None:
        return "none", "no deadline"
    left = deadline - clock.now()
    if left <= timedelta(0):
        return "overdue", f"overdue by {_span(-left)}"
    if left < timedelta(hours=24):
        return "today", f"{_span(left)} left"
    if left < timedelta(days=3):
        return "soon", f"{_span(left)} left"
    return "later", f"{_span(left)} left"


@bp.app_template_filter("timeleft")
def timeleft_badge(deadline: datetime | None) -> Markup:
    css, text = time_left(deadline)
    title = localtime(deadline) if deadline else "decided in session"
    return Markup(f'<span class="badge due-{css}" title="{escape(title)}">{escape(text)}</span>')


@bp.app_template_filter("markdown")
def markdown_filter(source: str | None) -> Markup:
    return render_markdown(source)


@bp.app_template_filter("position_label")
def position_label(kind: PositionKind | str | None) -> str:
    return POSITION_LABELS.get(PositionKind(kind), str(kind)) if kind else "No position"


@bp.app_template_filter("outcome_label")
def outcome_label(kind: OutcomeKind | str | None) -> str:
    return OUTCOME_LABELS.get(OutcomeKind(kind), str(kind)) if kind else "Open"


@bp.app_template_filter("mode_label")
def mode_label(mode: RoundMode | str) -> str:
    return MODE_LABELS.get(RoundMode(mode), str(mode))


@bp.app_template_filter("channel_label")
def channel_label(channel: EntryChannel | str) -> str:
    return "note verbale" if channel == EntryChannel.NOTE_VERBALE else "delegate"


@bp.app_template_filter("humanize")
def humanize(name: str | None) -> str:
    return (name or "").replace("_", " ").capitalize()


def kind_title(kind: str) -> str:
    reg = registry()
    return reg.get(kind).title if kind in reg else humanize(kind)


def state_title(kind: str, state: str) -> str:
    reg = registry()
    if kind in reg:
        spec = reg.get(kind).states.get(state)
        if spec is not None:
            return spec.title
    return humanize(state)


def trigger_title(kind: str, state: str, trigger: str) -> str:
    reg = registry()
    if kind in reg:
        for spec in reg.get(kind).transitions_from(state, trigger):
            if spec.title:
                return spec.title
    return humanize(trigger)


@bp.app_context_processor
def template_globals() -> dict:
    return {
        "kind_title": kind_title,
        "state_title": state_title,
        "trigger_title": trigger_title,
        "time_left": time_left,
        "POSITION_LABELS": POSITION_LABELS,
        "TEXT_LABELS": TEXT_LABELS,
        "PositionKind": PositionKind,
        "OutcomeKind": OutcomeKind,
        "RoundMode": RoundMode,
    }
