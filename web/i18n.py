"""The interface's language and time zone (Flask-Babel).

The language is, in order: the header's switch (`?lang=`, kept in a cookie), the
user's saved preference, the browser's Accept-Language, the profile's first
language. The languages offered are the profile's working `languages` and its
`interface_languages` that have a catalogue under web/translations (English, the
source language, needs none): a third language is a catalogue and a line in the
profile, not code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale
from flask import current_app, g, request
from flask_babel import Babel, get_locale
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from web import db
from web.outage import database_down, database_unavailable
from web.problems import is_api_request
from workflow import times

TRANSLATIONS = Path(__file__).parent / "translations"
SOURCE_LANGUAGE = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

babel = Babel()


@cache
def catalogued() -> frozenset[str]:
    """Languages with a compiled catalogue, plus the source language."""
    found = {path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.mo")}
    return frozenset(found | {SOURCE_LANGUAGE})


def languages() -> list[str]:
    """The interface's languages: the profile's working languages that have a catalogue."""
    if database_down():  # the error page still speaks the reader's language
        return sorted(catalogued(), key=lambda code: code != SOURCE_LANGUAGE)
    if "languages" not in g:
        try:
            forum = times.forum(db.session())
        except SQLAlchemyError as error:
            if database_unavailable(error):
                raise  # the request meets the outage here: a 503, as anywhere else
            # a failed request's error page (its transaction aborted): never a second error
            return sorted(catalogued(), key=lambda code: code != SOURCE_LANGUAGE)
        g.languages = [code for code in forum.reader_languages if code in catalogued()] or [
            SOURCE_LANGUAGE
        ]
    return g.languages


def language_name(code: str) -> str:
    """A language's name in itself: English, Русский."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def _switched() -> str | None:
    """The language the header's switch asked for on this request, if it is one we offer."""
    asked = request.args.get(COOKIE, "")
    return asked if asked and asked in languages() else None


def select_locale() -> str:
    offered = languages()
    if is_api_request():  # a program's request: its Accept-Language, else English
        return request.accept_languages.best_match(offered) or SOURCE_LANGUAGE
    for candidate in (
        _switched(),
        request.cookies.get(COOKIE),
        None if database_down() else getattr(current_user, "language", None),
    ):
        if candidate in offered:
            return candidate
    return request.accept_languages.best_match(offered) or offered[0]


def select_timezone() -> str:
    return getattr(current_user, "timezone", None) or times.forum(db.session()).timezone


def remember_switch(response):
    """Keep the header's choice in a cookie, for this visit and the next, signed in or not."""
    if request.endpoint != "static" and (chosen := _switched()):
        response.set_cookie(
            COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response


def remember(response, language: str | None):
    """After the user saves a preference: the cookie follows it (or is dropped)."""
    if language:
        response.set_cookie(
            COOKIE, language, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    else:
        response.delete_cookie(COOKIE)
    return response


def lang() -> str:
    return str(get_locale() or SOURCE_LANGUAGE)


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.after_request(remember_switch)

    @app.context_processor
    def language_globals() -> dict:
        return {"lang": lang, "ui_languages": languages, "language_name": language_name}
