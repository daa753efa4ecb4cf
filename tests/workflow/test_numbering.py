"""Symbols and decision numbers follow the patterns the definition and the profile give:
numbered afresh each year when the pattern shows the year, running on when it does not."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from engine_helpers import NOW, TEXTS
from sqlalchemy import select

from config.settings import DEFAULT_WORKFLOWS
from models import Body, Decision, RoundMode
from workflow import numbering
from workflow import operations as ops
from workflow.errors import DefinitionError
from workflow.loader import load_definition
from workflow.registry import configure

TODAY = NOW.date()
MEASURE = {
    "op": "add_measure",
    "area": "HUM-1",
    "text_en": "Cooperation in the field of volunteerism.",
    "text_ru": "Сотрудничество в области волонтерства.",
}
AMENDMENT = DEFAULT_WORKFLOWS / "catalogue_amendment.toml"


def amendment(session, cast, day: date):
    return ops.create_document(
        session,
        cast.secretariat,
        kind="catalogue_amendment",
        title="A",
        title_ru="Документ",
        proposer="CHN",
        texts=TEXTS,
        taken_on=day,
    )


def approved_by_the_soc(session, cast, day: date) -> str:
    """A catalogue amendment submitted a month before `day`, agreed in the SWG and approved
    by the SOC on it: the SOC decision's symbol."""
    document = amendment(session, cast, day - timedelta(days=30))
    ops.propose_changes(session, cast.secretariat, document.id, [MEASURE])
    ops.fire_trigger(session, cast.secretariat, document.id, "submit", taken_on=day)
    for _ in ("SWG", "SOC"):
        round_ = ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)
        ops.close_round(session, cast.secretariat, round_.id, taken_on=day)
    return session.scalar(select(Decision.symbol).where(Decision.document_id == document.id))


@pytest.fixture
def pattern_of_amendments(tmp_path):
    """The shipped definitions, the catalogue amendment numbered with `pattern`."""

    def use(pattern: str):
        folder = tmp_path / "workflows"
        shutil.copytree(DEFAULT_WORKFLOWS, folder, ignore=shutil.ignore_patterns("*.md"))
        text = AMENDMENT.read_text(encoding="utf-8")
        (folder / AMENDMENT.name).write_text(
            text.replace('symbol = "CA"', f'symbol = "CA"\nsymbol_pattern = "{pattern}"', 1),
            encoding="utf-8",
        )
        configure(folder)

    yield use
    configure(None)


def test_a_body_numbering_without_the_year_runs_on_across_years(session, cast):
    soc = session.scalar(select(Body).where(Body.code == "SOC"))
    soc.decision_symbol = "PC.DEC/{number}"
    symbols = [approved_by_the_soc(session, cast, day) for day in (date(2024, 12, 3), TODAY)]
    assert symbols == ["PC.DEC/1", "PC.DEC/2"]
    numbers = session.execute(select(Decision.year, Decision.number).order_by(Decision.id))
    assert [tuple(row) for row in numbers] == [(2024, 1), (2025, 2)]


def test_a_yearly_body_numbering_with_the_four_digit_year(session, cast):
    soc = session.scalar(select(Body).where(Body.code == "SOC"))
    soc.decision_symbol = "{body}.DEC/{yyyy}/{number}"
    days = (date(2024, 12, 3), date(2024, 12, 20), TODAY)
    assert [approved_by_the_soc(session, cast, day) for day in days] == [
        "SOC.DEC/2024/1",
        "SOC.DEC/2024/2",
        "SOC.DEC/2025/1",
    ]


def test_the_default_document_symbol_is_unchanged(session, cast):
    assert amendment(session, cast, date(2024, 5, 1)).symbol == "CICA/CA/1/24"
    assert amendment(session, cast, date(2024, 6, 1)).symbol == "CICA/CA/2/24"
    assert amendment(session, cast, TODAY).symbol == "CICA/CA/1/25"


def test_a_document_pattern_without_the_year_runs_on(session, cast, pattern_of_amendments):
    pattern_of_amendments("{prefix}.{kind}.DEL/{n}")
    days = (date(2024, 5, 1), date(2024, 6, 1), TODAY)
    assert [amendment(session, cast, day).symbol for day in days] == [
        "CICA.CA.DEL/1",
        "CICA.CA.DEL/2",
        "CICA.CA.DEL/3",
    ]


def test_a_document_pattern_with_the_year_first(session, cast, pattern_of_amendments):
    pattern_of_amendments("{kind}/{yyyy}/{n}")
    days = (date(2024, 5, 1), date(2024, 6, 1), TODAY)
    assert [amendment(session, cast, day).symbol for day in days] == [
        "CA/2024/1",
        "CA/2024/2",
        "CA/2025/1",
    ]


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("{prefix}/{kind}/{yy}", "must contain {n} once"),
        ("{prefix}/{kind}/{n}/{n}", "must contain {n} once"),
        ("{prefix}/{kind}/{number}/{yy}", "unknown placeholder {number}"),
        ("{prefix}/{kind}/{n}/{yy", "unbalanced braces"),
        ("", "non-empty string"),
    ],
)
def test_a_bad_document_pattern_is_named(tmp_path, pattern, reason):
    text = AMENDMENT.read_text(encoding="utf-8")
    path = tmp_path / AMENDMENT.name
    path.write_text(
        text.replace('symbol = "CA"', f'symbol = "CA"\nsymbol_pattern = "{pattern}"', 1),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    assert (error.value.file, error.value.key) == (str(path), "symbol_pattern")
    assert reason in error.value.reason


def test_wildcards_in_a_prefix_are_literal():
    pattern = "{prefix}/{kind}/{n}"
    assert numbering.like_filter(pattern, {"prefix": "A_B%", "kind": "X"}) == r"A\_B\%/X/%"
    symbols = ["A_B%/X/4", "AxB%/X/9", "A_B%/X/2"]
    assert numbering.highest(pattern, "n", {"prefix": "A_B%", "kind": "X"}, symbols) == 4
