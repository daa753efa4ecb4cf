"""Template filters and globals: times in the viewer's zone, time-left badges, labels."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup, escape

from models import EntryChannel, OutcomeKind, PositionKind, RoundMode
from models.document import revision_label
from web.labels import CHANNEL_LABELS, MODE_LABELS, OUTCOME_LABELS, POSITION_LABELS, TEXT_LABELS
from web.language import current_language
from web.views import bp
from web.views.common import forum_zone_name, viewer_zone_name
from web.views.text import render_markdown
from workflow import clock
from workflow.registry import registry


def viewer_zone() -> ZoneInfo:
    try:
        return ZoneInfo(viewer_zone_name())
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(forum_zone_name())


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
    """A date (or an instant, in the viewer's zone; or an ISO date as the record keeps it)."""
    if moment is None or moment == "":
        return "—"
    if isinstance(moment, str):
        moment = date.fromisoformat(moment)
    elif isinstance(moment, datetime):
        moment = moment.astimezone(viewer_zone()).date()
    return moment.strftime("%-d %b %Y")


def today_iso() -> str:
    """Today at the forum's seat, for date inputs' `max`."""
    return clock.now().astimezone(ZoneInfo(forum_zone_name())).date().isoformat()


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
    return CHANNEL_LABELS.get(EntryChannel(channel), str(channel))


@bp.app_template_filter("revision")
def revision(number: int | None) -> str:
    """A version number as people name it: the original, Rev.1, Rev.2, …"""
    return revision_label(number) if number else ""


@bp.app_template_filter("humanize")
def humanize(name: str | None) -> str:
    return (name or "").replace("_", " ").capitalize()


# Labels from the definitions, in the reader's language unless another is asked for.
def kind_title(kind: str, language: str | None = None) -> str:
    reg = registry()
    return reg.get(kind).title(language or current_language()) if kind in reg else humanize(kind)


def state_title(kind: str, state: str, language: str | None = None) -> str:
    reg = registry()
    if kind not in reg:
        return humanize(state)
    return reg.get(kind).state_title(state, language or current_language())


def trigger_title(kind: str, state: str, trigger: str, language: str | None = None) -> str:
    reg = registry()
    if kind not in reg:
        return humanize(trigger)
    return reg.get(kind).trigger_title(state, trigger, language or current_language())


def document_titles(document) -> tuple[str, list[tuple[str, str]]]:
    """A document's title in the reader's language, and its other titles (language, text)."""
    language = current_language()
    given = {"en": document.title, "ru": document.title_ru}
    shown = document.title_in(language)
    return shown, [(lang, text) for lang, text in given.items() if text and text != shown]


@bp.app_context_processor
def template_globals() -> dict:
    return {
        "kind_title": kind_title,
        "document_titles": document_titles,
        "state_title": state_title,
        "trigger_title": trigger_title,
        "time_left": time_left,
        "forum_zone_name": forum_zone_name,
        "today_iso": today_iso,
        "viewer_zone_name": viewer_zone_name,
        "POSITION_LABELS": POSITION_LABELS,
        "TEXT_LABELS": TEXT_LABELS,
        "PositionKind": PositionKind,
        "OutcomeKind": OutcomeKind,
        "RoundMode": RoundMode,
    }
