"""The language the interface speaks to the reader of this request."""

from __future__ import annotations

DEFAULT_LANGUAGE = "en"


def local_name(thing) -> str:
    """A participant's, body's or area's name in the reader's language, else in English."""
    return getattr(thing, f"name_{current_language()}", None) or thing.name_en


def short_name(body) -> str:
    """A body as people name it in the reader's language: SOC, КСДЛ; else its name."""
    language = current_language()
    return (
        getattr(body, f"short_{language}", None)
        or getattr(body, f"name_{language}", None)
        or body.short_en
        or body.code
    )


def current_language() -> str:
    """The request's locale as Flask-Babel chose it (its language part); English without it."""
    try:
        from flask_babel import get_locale  # the interface's translation, when installed
    except ImportError:
        return DEFAULT_LANGUAGE
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE
