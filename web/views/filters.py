"""Template filters and globals: times in the viewer's zone, time-left badges, labels."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, dates, numbers
from flask import g
from flask_babel import get_locale, gettext, pgettext
from markupsafe import Markup, escape
from sqlalchemy import select

from models import OutcomeKind, Participant, RoundMode
from models.document import revision_label
from web import db, position_kinds
from web.labels import (
    ACTION_LABELS,
    ACTOR_LABELS,
    CATALOGUE_CHANGE_LABELS,
    COMPARISON_LABELS,
    CONFIRMATION_LABELS,
    DECISION_STATUS_LABELS,
    FIELD_LABELS,
    INSTRUMENT_LABELS,
    MODE_LABELS,
    OUTCOME_LABELS,
    POSITION_LABELS,
    ROLE_LABELS,
    TEXT_LABELS,
)
from web.language import current_language, local_name, short_name
from web.views import bp
from web.views.common import (
    chair_holders,
    current_forum,
    forum_zone_name,
    status_word,
    version_texts,
    viewer_zone_name,
    word,
)
from web.views.text import render_markdown
from workflow import clock, notes, queries
from workflow.registry import registry


def viewer_zone() -> ZoneInfo:
    try:
        return ZoneInfo(viewer_zone_name())
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(forum_zone_name())


# The date patterns people expect in each language: «29 ноября 2026 г.», "29 Nov 2026".
# A language not listed takes its CLDR medium date (a third language needs no code here).
DATE_PATTERNS = {"en": "d MMM y", "ru": "d MMMM y 'г'."}
TIME_PATTERN = "HH:mm"


def _locale() -> Locale:
    return get_locale() or Locale.parse("en")


def date_pattern(locale: Locale) -> str:
    return DATE_PATTERNS.get(locale.language) or locale.date_formats["medium"].pattern


@bp.app_template_filter("localtime")
def localtime(
    moment: datetime | None, with_zone: bool = True, zone: ZoneInfo | None = None
) -> str:
    """An instant in the viewer's zone (or `zone`) and language:
    "29 Nov 2026, 16:02 (Europe/Moscow)"."""
    if moment is None:
        return "—"
    zone, locale = zone or viewer_zone(), _locale()
    if type(moment) is datetime:
        # As format_datetime with "<date pattern>, HH:mm" writes it (a naive instant is in
        # UTC), the date's words formatted once per day and language, not once per row.
        local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)
        text = f"{_date_text(local.date(), locale)}, {local.hour:02d}:{local.minute:02d}"
    else:
        pattern = f"{date_pattern(locale)}, {TIME_PATTERN}"
        text = dates.format_datetime(moment, pattern, tzinfo=zone, locale=locale)
    return f"{text} ({zone.key})" if with_zone else text


@lru_cache(maxsize=4096)
def _date_text(day: date, locale: Locale) -> str:
    return dates.format_date(day, date_pattern(locale), locale=locale)


@bp.app_template_filter("localdate")
def localdate(moment) -> str:
    """A date (or an instant, in the viewer's zone; or an ISO date as the record keeps it)."""
    if moment is None or moment == "":
        return "—"
    if isinstance(moment, str):
        moment = date.fromisoformat(moment)
    elif isinstance(moment, datetime):
        moment = moment.astimezone(viewer_zone()).date()
    locale = _locale()
    return dates.format_date(moment, date_pattern(locale), locale=locale)


@bp.app_template_filter("decimal")
def decimal_filter(value) -> str:
    """An amount with two decimals, grouped as the reader's language writes numbers."""
    return numbers.format_decimal(value, "#,##0.00", locale=_locale())


@bp.app_template_filter("money")
def money(value) -> str:
    """An amount in the forum's currency, as the reader's language writes it."""
    return numbers.format_currency(value, current_forum().currency, locale=_locale())


def today_iso() -> str:
    """Today at the forum's seat, for date inputs' `max`."""
    return clock.now().astimezone(ZoneInfo(forum_zone_name())).date().isoformat()


def _span(delta: timedelta) -> str:
    """A span as a badge says it: "2 d 4 h", "3 h 5 min", "7 min" (in the reader's language)."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return gettext("%(days)s d %(hours)s h", days=days, hours=hours)
    if hours:
        return gettext("%(hours)s h %(minutes)s min", hours=hours, minutes=mins)
    return gettext("%(minutes)s min", minutes=max(mins, 1))


def time_left(deadline: datetime | None) -> tuple[str, str]:
    """(css class, text) for a deadline: overdue, today (under 24 h), soon (3 days), later."""
    if deadline is None:
        return "none", gettext("no deadline")
    left = deadline - clock.now()
    if left <= timedelta(0):
        return "overdue", gettext("overdue by %(span)s", span=_span(-left))
    text = gettext("%(span)s left", span=_span(left))
    if left < timedelta(hours=24):
        return "today", text
    if left < timedelta(days=3):
        return "soon", text
    return "later", text


@bp.app_template_filter("timeleft")
def timeleft_badge(deadline: datetime | None) -> Markup:
    css, text = time_left(deadline)
    title = localtime(deadline) if deadline else gettext("decided in session")
    return Markup(f'<span class="badge due-{css}" title="{escape(title)}">{escape(text)}</span>')


@bp.app_template_filter("markdown")
def markdown_filter(source: str | None) -> Markup:
    return render_markdown(source)


@bp.app_template_filter("position_label")
def position_label(kind: str | None) -> str:
    return position_kinds.position_name(kind)


@bp.app_template_filter("outcome_label")
def outcome_label(kind: OutcomeKind | str | None) -> str:
    return OUTCOME_LABELS.get(OutcomeKind(kind), str(kind)) if kind else gettext("Open")


@bp.app_template_filter("mode_label")
def mode_label(mode: RoundMode | str) -> str:
    return MODE_LABELS.get(RoundMode(mode), str(mode))


@bp.app_template_filter("channel_label")
def channel_label(channel: str) -> str:
    return position_kinds.channel_name(channel)


@bp.app_template_filter("body_short")
def body_short(body) -> str:
    """A body (or a body's code) as people name it in the reader's language: SOC, КСДЛ."""
    if isinstance(body, str):
        found = next((b for b in _bodies() if b.code == body), None)
        return short_name(found) if found is not None else body
    return short_name(body)


def _participants() -> dict:
    """Participants by code, read once per request (notes name them by code)."""
    if "participants" not in g:
        g.participants = {p.code: p for p in db.session().scalars(select(Participant))}
    return g.participants


def _bodies():
    if "bodies" not in g:
        g.bodies = queries.bodies(db.session())
    return g.bodies


@bp.app_template_filter("local_name")
def local_name_filter(thing) -> str:
    """A participant's, body's or area's name in the reader's language, else in English."""
    return local_name(thing)


def _label(labels: dict, value, fallback=None) -> str:
    try:
        return str(labels[type(next(iter(labels)))(value)])
    except (KeyError, ValueError, StopIteration):
        return fallback if fallback is not None else humanize(str(value))


def action_label(event, kind: str | None = None) -> str:
    """What an entry of the record of actions did: a step's title, or the action's name."""
    trigger = (event.data or {}).get("trigger") if event.action == "transition" else None
    if trigger and kind and event.from_state:
        return trigger_title(kind, event.from_state, trigger)
    return _label(ACTION_LABELS, event.action)


@bp.app_template_filter("note")
def note_filter(text: str | None) -> str:
    """A note the engine wrote (an outcome, a step it took), in the reader's language; a
    person's comment as it was written."""
    known = notes.read(text)
    if known is None:
        return text or ""
    message, values = known
    if "outcome" in values:
        outcome = values["outcome"].replace(" ", "_")
        values["outcome"] = _label(OUTCOME_LABELS, outcome, values["outcome"]).lower()
    if "date" in values:
        values["date"] = localdate(values["date"])
    if "body" in values:
        values["body"] = body_short(values["body"])
    if "state" in values and (state := _participants().get(values["state"])) is not None:
        values["state"] = local_name(state)  # a participant (else a workflow state, as it is)
    if "version" in values and values["version"] == "original":
        values["version"] = gettext("original")
    return gettext(message, **values)


@bp.app_template_filter("field_label")
def field_label(name: str) -> str:
    """A definition's field or step parameter as a form names it."""
    return _label(FIELD_LABELS, name)


@bp.app_template_filter("revision")
def revision(number: int | None) -> str:
    """A version number as people name it: the original, Rev.1, Rev.2, …"""
    if not number:
        return ""
    return gettext("original") if number == 1 else revision_label(number)


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


def text_in(language: str) -> str:
    """A language's text as a sentence names it: "Russian text", «текст на русском языке»."""
    if language == "en":
        return gettext("English text")
    if language == "ru":
        return gettext("Russian text")
    name = Locale.parse(language).get_display_name(current_language()) or language
    return gettext("text in %(language)s", language=name)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def unchanged_since(language: str, number: int) -> str:
    """'Russian text unchanged since Rev.1' (or 'since the original')."""
    since = pgettext("unchanged since", "the original") if number == 1 else revision_label(number)
    return _sentence(
        gettext("%(text)s unchanged since %(version)s", text=text_in(language), version=since)
    )


def out_of_step_warning(languages) -> str:
    texts = ", ".join(text_in(language) for language in languages)
    return _sentence(
        gettext(
            "%(texts)s would be circulated unchanged while the text in another language has "
            "changed: the languages would be out of step until a later version brings them "
            "together.",
            texts=texts,
        )
    )


def circulate_unchanged_label(languages) -> str:
    texts = ", ".join(text_in(language) for language in languages)
    return gettext("Circulate with the %(texts)s unchanged", texts=texts)


@bp.app_context_processor
def template_globals() -> dict:
    return {
        "kind_title": kind_title,
        "document_titles": document_titles,
        "version_texts": version_texts,
        "out_of_step_warning": out_of_step_warning,
        "circulate_unchanged_label": circulate_unchanged_label,
        "unchanged_since": unchanged_since,
        "state_title": state_title,
        "trigger_title": trigger_title,
        "time_left": time_left,
        "action_label": action_label,
        "actor_name": lambda label: str(ACTOR_LABELS.get(label, label or "")),
        "catalogue_change_label": lambda op: _label(CATALOGUE_CHANGE_LABELS, op),
        "comparison_label": lambda change: _label(COMPARISON_LABELS, change),
        "confirmation_label": lambda status: _label(CONFIRMATION_LABELS, status),
        "decision_status_label": lambda status: _label(DECISION_STATUS_LABELS, status),
        "instrument_label": lambda kind: _label(INSTRUMENT_LABELS, kind),
        "participant_status_label": status_word,
        "word": word,
        "current_forum": current_forum,
        "chair_holders": chair_holders,
        "currency": lambda: current_forum().currency,
        "text_field_label": position_kinds.text_field_label,
        "blocks": position_kinds.blocks,
        "position_classes": position_kinds.position_classes,
        "position_text_hint": position_kinds.text_hint,
        "received_by": position_kinds.received_by,
        "role_label": lambda role: _label(ROLE_LABELS, role),
        "forum_zone_name": forum_zone_name,
        "today_iso": today_iso,
        "viewer_zone_name": viewer_zone_name,
        "POSITION_LABELS": POSITION_LABELS,
        "TEXT_LABELS": TEXT_LABELS,
        "OutcomeKind": OutcomeKind,
        "RoundMode": RoundMode,
    }
