"""Translations that keep the version: the Secretariat adds or corrects one language's
text of the current version, declaring it a translation of that version (not a change of
substance). The version, its rounds and the positions given in them stay; the text records
when it arrived and who declared it. A change of substance is a new version (add_version)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import User, VersionText
from workflow import times
from workflow.change import document_change, flush
from workflow.documents import version_symbol
from workflow.errors import N_, GuardFailed, InvalidInput, NotPermitted
from workflow.permissions import require_secretariat


def _checked_body(language: str, body: object) -> str:
    if not isinstance(body, str) or not body.strip():
        raise InvalidInput(N_("the %(language)s text is empty"), language=language)
    if "\x00" in body:  # PostgreSQL refuses NUL characters in text
        raise InvalidInput(N_("the %(language)s text contains a NUL character"), language=language)
    return body


def declare_translation(
    session: Session,
    actor: User | None,
    document_id: int,
    *,
    language: str,
    text: str,
    note: str = "",
    expected_lock_version: int | None = None,
) -> VersionText:
    """The `language` text of the current version, added or corrected as a translation of
    it: the version keeps its number and its open rounds. Only the Secretariat declares it;
    the version must hold a text in another language, the one it translates."""
    if actor is None:
        raise NotPermitted(N_("translations are declared by a user"))
    with document_change(
        session, actor, document_id, expected_lock_version=expected_lock_version
    ) as change:
        document = change.document
        require_secretariat(actor, f"declare a translation of {document.symbol}")
        version = document.current_version
        if version is None:
            raise GuardFailed(
                "no_text", N_("%(symbol)s has no text yet to translate"), symbol=document.symbol
            )
        languages = times.forum(session).languages
        language = (language or "").strip().lower() if isinstance(language, str) else ""
        if language not in languages:
            raise InvalidInput(
                N_("%(language)s is not a working language (%(values)s)"),
                language=repr(language),
                values=", ".join(languages),
            )
        body = _checked_body(language, text)
        existing = version.text_row(language)
        if existing is not None and existing.body == body:
            raise InvalidInput(
                N_("the %(language)s text of %(symbol)s is already this text"),
                language=language,
                symbol=version_symbol(document, version),
            )
        if not any(t.language != language for t in version.texts):
            raise GuardFailed(
                "no_source",
                N_(
                    "%(symbol)s has no text in another language for the %(language)s text to translate: a new text is a new version"
                ),
                symbol=version_symbol(document, version),
                language=language,
            )
        now = times.now_utc()
        if existing is None:
            existing = VersionText(language=language, body=body)
            version.texts.append(existing)
            corrected = False
        else:
            existing.body = body
            corrected = True
        existing.arrived_at = now
        existing.declared_by = actor
        flush(session)
        change.record(
            "translation_declared",
            version_number=version.number,
            comment=(note or "").strip(),
            data={"version": version.label, "language": language, "corrected": corrected},
        )
    return existing
