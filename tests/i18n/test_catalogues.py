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


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_message_is_translated_and_none_is_fuzzy(po):
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    template = read_po((TRANSLATIONS / "messages.pot").open("rb"))
    missing = [m.id for m in template if m.id and m.id not in catalogue]
    untranslated = [m.id for m in catalogue if m.id and not m.string]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not missing, f"not in the catalogue (run pybabel update): {missing}"
    assert not untranslated, f"no translation: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_the_compiled_catalogue_matches_the_source(po):
    with po.open("rb") as handle:
        source = {m.id: m.string for m in read_po(handle) if m.id}
    compiled = {m.id: m.string for m in read_mo(io.BytesIO(po.with_suffix(".mo").read_bytes())) if m.id}
    assert compiled == source, "run: pybabel compile -d web/translations"
