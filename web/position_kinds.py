"""The forum's kinds of position and channels as the interface names them.

A kind or channel the profile names is called by its name in the reader's language (else in
the forum's first language); a built-in one the profile leaves unnamed keeps the catalogue's
words (web.labels), in English and Russian as before.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_babel import gettext, lazy_gettext

from models.kinds import Channels, KindOfPosition, PositionKinds
from web import db, i18n
from web.labels import (
    CHANNEL_LABELS,
    POSITION_CHOICES,
    POSITION_LABELS,
    REFERENCE_REQUIRED,
    TEXT_FIELD_LABELS,
    TEXT_REQUIRED,
)
from web.language import current_language
from workflow import kinds, times

GENERIC_TEXT_REQUIRED = lazy_gettext("The text of this position is required.")
GENERIC_TEXT_FIELD = lazy_gettext("Text of the position (required)")
GENERIC_COMMENT_FIELD = lazy_gettext("Comment (optional)")
GENERIC_REFERENCE_REQUIRED = lazy_gettext("The reference is required.")
# The badge of a kind the profile adds looks like the built-in kind of the same meaning.
MEANING_STYLES = {
    "consent": "consent",
    "statement": "consent_with_statement",
    "reservation": "reservation",
    "stand_aside": "stand_aside",
    "objection": "objection",
    "ad_referendum": "consent_ad_referendum",
}


def _session():
    """The request's session, with the forum's kinds read: the read of the forum row that
    gives the interface its languages (web.i18n) gives them too, once per request."""
    session = db.session()
    if times.KINDS_CACHE not in session.info:
        i18n.languages()
    return session


def forum_kinds() -> PositionKinds:
    """The forum's kinds of position (workflow.kinds)."""
    return kinds.position_kinds(_session())


def forum_channels() -> Channels:
    return kinds.channels(_session())


def _named(names: dict[str, str]) -> str | None:
    if not names:
        return None
    return names.get(current_language()) or next(iter(names.values()))


def position_name(code: str | None) -> str:
    """A kind of position as the reader calls it: Consent, Вето (looked up once per kind
    and language in a request: a page names the kinds of hundreds of positions)."""
    if not code:
        return gettext("No position")
    if not has_request_context():
        return _position_name(code)
    names = g.setdefault("position_names", {})
    key = (code, current_language())
    if key not in names:
        names[key] = _position_name(code)
    return names[key]


def _position_name(code: str) -> str:
    kind = forum_kinds().get(code)
    named = _named(kind.names) if kind is not None else None
    return named or str(POSITION_LABELS.get(code, code))


def position_choices() -> list[tuple[str, str]]:
    """What a delegate chooses from on the position form, in the profile's order."""
    return [
        (kind.code, _named(kind.names) or str(POSITION_CHOICES.get(kind.code, kind.code)))
        for kind in forum_kinds().kinds
    ]


def _built_in(kind: KindOfPosition | None) -> bool:
    return kind is not None and not kind.names


def text_field_label(code: str | None) -> str:
    kind = forum_kinds().get(code)
    if kind is None:
        return ""
    if _built_in(kind) and code in TEXT_FIELD_LABELS:
        return str(TEXT_FIELD_LABELS[code])
    return str(GENERIC_TEXT_FIELD if kind.requires_text else GENERIC_COMMENT_FIELD)


def text_required_message(code: str | None) -> str | None:
    """The form's message when the kind chosen needs a text; None when it does not."""
    kind = forum_kinds().get(code)
    if kind is None or not kind.requires_text:
        return None
    if _built_in(kind) and code in TEXT_REQUIRED:
        return str(TEXT_REQUIRED[code])
    return str(GENERIC_TEXT_REQUIRED)


def blocks(code: str | None) -> bool:
    kind = forum_kinds().get(code)
    return kind is not None and kind.blocks


def channel_name(code: str | None) -> str:
    channel = forum_channels().get(code)
    named = _named(channel.names) if channel is not None else None
    return named or str(CHANNEL_LABELS.get(code, code or ""))


def position_classes(code: str | None) -> str:
    """The badge's classes: its own, and that of the built-in kind of its meaning."""
    if not code:
        return "pos-none"
    kind = forum_kinds().get(code)
    style = MEANING_STYLES.get(kind.meaning, code) if kind is not None else code
    return f"pos-{code}" if style == code else f"pos-{code} pos-{style}"


def text_hint() -> str:
    """The hint under the text field: which kinds need a text."""
    kinds = forum_kinds().kinds
    if all(not kind.names and kind.code in POSITION_LABELS for kind in kinds):
        return gettext("Required for a statement, a reservation and an objection.")
    needing = [position_name(kind.code) for kind in kinds if kind.requires_text]
    if not needing:
        return gettext("Optional with every position.")
    return gettext("Required with: %(kinds)s.", kinds=", ".join(needing))


def secretariat_channel_choices() -> list[tuple[str, str]]:
    """How the Secretariat may have received a position, the forum's first channel first."""
    return [(c.code, channel_name(c.code)) for c in forum_channels().entered_by("secretariat")]


def reference_required_message(code: str | None) -> str | None:
    channel = forum_channels().get(code)
    if channel is None or not channel.requires_reference:
        return None
    return str(REFERENCE_REQUIRED.get(code, GENERIC_REFERENCE_REQUIRED))


def received_by(position) -> str:
    """How the Secretariat received a position it entered (note verbale 12/3); "" for a
    delegate's own."""
    channel = forum_channels().get(position.channel)
    if channel is None or channel.entered_by == "delegate":
        return ""
    if position.channel == "note_verbale" and not channel.names:
        return gettext("note verbale %(reference)s", reference=position.reference)
    return " ".join(part for part in (channel_name(position.channel), position.reference) if part)
