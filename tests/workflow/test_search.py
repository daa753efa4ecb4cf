"""Search: both languages' titles and current texts, stemmed and ranked, within what the
reader may see; symbols by any part, `%` and `_` taken literally."""

from __future__ import annotations

import pytest

from models import Document
from workflow import operations, queries


@pytest.fixture
def paper(session, cast):
    def make(title: str, text_en: str, text_ru: str, *, title_ru: str = "Документ", **extra):
        return operations.create_document(
            session,
            cast.coordinator,
            kind="concept_paper",
            title=title,
            title_ru=title_ru,
            priority_area="MIL-1",
            texts={"en": text_en, "ru": text_ru},
            **extra,
        )

    return make


def found(session, user, q: str, **filters) -> list[str]:
    listing = queries.list_documents(session, user, queries.DocumentFilters(q=q, **filters))
    return [d.title for d in listing.documents]


@pytest.fixture
def library(paper):
    return {
        "workshop": paper(
            "Military exercises",
            "States invite observers to the exercises.",
            "Государства приглашают на учения наблюдателей и проводят семинар.",
        ),
        "hotline": paper(
            "Hotline between capitals",
            "A hotline for an observer of each party.",
            "Горячая линия между столицами.",
            title_ru="Горячая линия",
        ),
        "seminar": paper(
            "Seminar on confidence",
            "A seminar of experts.",
            "Эксперты.",
            title_ru="Семинар о доверии",
        ),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("семинара", {"workshop", "seminar"}),  # «семинар» in a Russian text and a title
        ("СЕМИНАРЫ", {"workshop", "seminar"}),
        ("observers", {"workshop", "hotline"}),  # "observer" in an English text
        ("observer", {"workshop", "hotline"}),
        ("горячей линии", {"hotline"}),  # both words, each stemmed
        ("hotline observers", {"hotline"}),  # every word must match
        ("hotline семинар", set()),
        ("столицам", {"hotline"}),
        ("capital", {"hotline"}),  # an English title
        ("доверия", {"seminar"}),  # a Russian title
        ("elephants", set()),
    ],
)
def test_words_are_found_in_either_language_stemmed(session, cast, library, q, expected):
    titles = {document.title: name for name, document in library.items()}
    assert {titles[t] for t in found(session, cast.other, q)} == expected


def test_a_word_in_a_title_ranks_above_one_in_a_text(session, cast, paper):
    """The newer document (first when not searching) mentions the word in its text only."""
    paper("Observer missions", "Rules.", "Правила.", title_ru="Миссии наблюдателей")
    paper("Rules", "Rules for an observer mission.", "Правила миссии наблюдателя.")
    assert found(session, cast.other, "") == ["Rules", "Observer missions"]
    assert found(session, cast.other, "observers") == ["Observer missions", "Rules"]
    assert found(session, cast.other, "наблюдатель") == ["Observer missions", "Rules"]


def test_symbols_are_found_by_any_part(session, cast, library):
    symbol = library["hotline"].symbol  # CICA/CP/2/25
    assert found(session, cast.other, symbol) == ["Hotline between capitals"]
    assert found(session, cast.other, symbol.lower().removeprefix("cica/")) == [
        "Hotline between capitals"
    ]


@pytest.mark.parametrize("q", ["%", "_", "%%", "CICA%CP", "CP_2", "\\"])
def test_percent_and_underscore_are_matched_literally(session, cast, library, q):
    """Taken as LIKE's wildcards, each of these would match every symbol (or one of them)."""
    assert found(session, cast.other, q) == []


def test_an_underscore_is_a_character_of_the_symbol_it_is_in(session, cast, paper):
    document = paper("Plain", "Text.", "Текст.")
    document.symbol = "CICA/CP_X/1/25"
    session.flush()
    assert found(session, cast.other, "cp_x") == ["Plain"]
    assert found(session, cast.other, "CPAX") == []


def test_only_the_current_text_is_searched(session, cast, library):
    hotline = library["hotline"]
    operations.add_version(
        session,
        cast.coordinator,
        hotline.id,
        texts={"en": "A direct link for crisis communication.", "ru": "Прямая связь."},
    )
    assert found(session, cast.other, "observers") == ["Military exercises"]
    assert found(session, cast.other, "crisis") == ["Hotline between capitals"]
    assert found(session, cast.other, "связи") == ["Hotline between capitals"]


def test_a_changed_title_is_found_at_once(session, cast, library):
    seminar = library["seminar"]
    seminar.title = "Round table on trust"
    seminar.title_ru = "Круглый стол"
    session.flush()
    assert found(session, cast.other, "tables") == ["Round table on trust"]
    assert found(session, cast.other, "круглого стола") == ["Round table on trust"]
    assert found(session, cast.other, "доверии") == []


def test_search_keeps_to_what_the_reader_may_see(session, cast, paper):
    paper("Closed consultations", "Restricted observers text.", "Текст.", restricted=True)
    paper("Open consultations", "Public observers text.", "Текст.")
    assert found(session, cast.observer, "observers") == ["Open consultations"]
    assert sorted(found(session, cast.other, "observers")) == [
        "Closed consultations",
        "Open consultations",
    ]


def test_search_goes_with_the_other_filters_and_pages(session, cast, library):
    first = queries.list_documents(
        session, cast.other, queries.DocumentFilters(q="observer", per_page=1)
    )
    second = queries.list_documents(
        session, cast.other, queries.DocumentFilters(q="observer", per_page=1, page=2)
    )
    assert first.total == 2 and first.pages == 2
    assert {first.documents[0].title, second.documents[0].title} == {
        "Military exercises",
        "Hotline between capitals",
    }
    assert found(session, cast.other, "observer", state="swg_review") == []


def test_a_document_without_a_text_is_found_by_its_titles(session, cast):
    operations.create_document(
        session,
        cast.coordinator,
        kind="concept_paper",
        title="Untexted draft",
        title_ru="Проект без текста",
        priority_area="MIL-1",
    )
    assert found(session, cast.other, "drafts") == ["Untexted draft"]
    assert found(session, cast.other, "текста") == ["Untexted draft"]


def test_a_query_of_punctuation_finds_nothing(session, cast, library):
    assert found(session, cast.other, "-- ... !") == []
    assert session.query(Document).count() >= 3
