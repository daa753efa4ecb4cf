"""The catalogues: every message translated, none fuzzy, the compiled files current."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "web" / "translations"
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def test_there_is_a_russian_catalogue():
    assert TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po" in CATALOGUES


def key(message) -> tuple:
    """A message's identity: its context and its id (both forms of a plural)."""
    ident = message.id if isinstance(message.id, str) else tuple(message.id)
    return (message.context, ident)


def translated(message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    return all(strings)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_message_is_translated_and_none_is_fuzzy(po):
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    template = read_po((TRANSLATIONS / "messages.pot").open("rb"))
    present = {key(m) for m in catalogue if m.id}
    missing = [m.id for m in template if m.id and key(m) not in present]
    untranslated = [m.id for m in catalogue if m.id and not translated(m)]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not missing, f"not in the catalogue (run pybabel update): {missing}"
    assert not untranslated, f"no translation: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def strings(message):
    return message.string if isinstance(message.string, str) else tuple(message.string)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_the_compiled_catalogue_matches_the_source(po):
    with po.open("rb") as handle:
        source = {key(m): strings(m) for m in read_po(handle) if m.id}
    compiled_catalogue = read_mo(io.BytesIO(po.with_suffix(".mo").read_bytes()))
    compiled = {key(m): strings(m) for m in compiled_catalogue if m.id}
    assert compiled == source, "run: pybabel compile -d web/translations"
