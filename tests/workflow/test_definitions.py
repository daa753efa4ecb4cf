"""Definitions: the shipped ones load; every kind of mistake stops start-up with file and key."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from config.settings import DEFAULT_WORKFLOWS
from workflow.diagram import mermaid
from workflow.errors import DefinitionError, InvalidInput
from workflow.loader import check_bodies, load_definition
from workflow.registry import load_registry

MINIMAL = """
kind = "note"
version = 1
title = { en = "Note", ru = "Записка" }
symbol = "N"
initial = "draft"

[document]
create = ["secretariat"]
revise = ["secretariat"]

[states.draft]
title = { en = "Draft", ru = "Проект" }
[states.review]
title = { en = "Review", ru = "Рассмотрение" }
round = { body = "SOC", modes = ["meeting"], on_consensus = "agree", on_failure = "reject" }
[states.done]
title = { en = "Done", ru = "Готово" }
final = true

[[transitions]]
trigger = "submit"
title = { en = "Submit", ru = "Представить" }
source = "draft"
dest = "review"
allowed = ["secretariat"]
guards = ["has_version"]

[[transitions]]
trigger = "agree"
title = { en = "Agreed", ru = "Согласовано" }
source = "review"
dest = "done"
allowed = ["system"]

[[transitions]]
trigger = "reject"
title = { en = "Rejected", ru = "Отклонено" }
source = "review"
dest = "draft"
allowed = ["system"]
effects = ["mark_for_revision"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "note.toml"
    path.write_text(text)
    return path


def test_the_shipped_definitions_load(session):
    from sqlalchemy import select

    from models import Body

    registry = load_registry(DEFAULT_WORKFLOWS)
    assert sorted(registry.kinds) == [
        "admission",
        "catalogue_amendment",
        "concept_paper",
        "convention",
        "observer_application",
        "outcome_document",
        "project_proposal",
    ]
    registry.check_bodies(set(session.scalars(select(Body.code))))
    with pytest.raises(InvalidInput, match="unknown document kind"):
        registry.get("treaty")


def test_the_minimal_definition_loads(tmp_path):
    definition = load_definition(write(tmp_path, MINIMAL), bodies={"SOC"})
    assert definition.triggers == ["agree", "reject", "submit"]
    assert definition.bodies == {"SOC"}
    assert [t.trigger for t in definition.transitions_from("review")] == ["agree", "reject"]


@pytest.mark.parametrize(
    "old, new, key, reason",
    [
        ('dest = "review"', 'dest = "limbo"', "transitions[0] (submit)", "unknown state 'limbo'"),
        ('initial = "draft"', 'initial = "start"', "initial", "unknown state"),
        ('guards = ["has_version"]', 'guards = ["is_sunny"]', "guards", "unknown guard"),
        ('effects = ["mark_for_revision"]', 'effects = ["fly"]', "effects", "unknown effect"),
        ('allowed = ["secretariat"]\nguards', "guards", "allowed", "no permission rule"),
        (
            'allowed = ["secretariat"]\nguards',
            'allowed = ["chairman"]\nguards',
            "allowed",
            "unknown role",
        ),
        ('on_consensus = "agree"', 'on_consensus = "approve"', "on_consensus", "no transition"),
        (
            "[states.done]",
            "[states.orphan]\n[states.done]",
            "states.orphan",
            "no transition leaves",
        ),
        ('modes = ["meeting"]', 'modes = ["vote"]', "modes", "modes must be"),
        ("version = 1", "version = 0", "version", "positive"),
        ('symbol = "N"', 'symbol = "N"\ncolour = "blue"', "colour", "unknown key"),
    ],
)
def test_mistakes_are_named(tmp_path, old, new, key, reason):
    assert old in MINIMAL
    path = write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    assert error.value.file == str(path)
    assert key in error.value.key and reason in error.value.reason


def test_an_unreachable_state(tmp_path):
    text = (
        MINIMAL
        + '\n[states.island]\n[[transitions]]\ntrigger = "swim"\nsource = "island"\ndest = "done"\nallowed = ["secretariat"]\n'
    )
    with pytest.raises(DefinitionError, match=re.escape("states.island: unreachable")):
        load_definition(write(tmp_path, text))


def test_a_round_trigger_must_be_the_system_s(tmp_path):
    text = MINIMAL.replace('allowed = ["system"]', 'allowed = ["secretariat"]', 1)
    with pytest.raises(DefinitionError, match="must allow 'system'"):
        load_definition(write(tmp_path, text))


def test_an_unknown_body(tmp_path):
    path = write(tmp_path, MINIMAL)
    with pytest.raises(DefinitionError, match="unknown body 'SOC'"):
        load_definition(path, bodies={"COUNCIL"})
    with pytest.raises(DefinitionError, match="unknown body"):
        check_bodies(load_definition(path), {"BOARD"})


def test_a_folder_with_two_files_of_one_kind(tmp_path):
    shutil.copy(write(tmp_path, MINIMAL), tmp_path / "again.toml")
    with pytest.raises(DefinitionError, match="already defined"):
        load_registry(tmp_path)


def test_mermaid_marks_the_current_state():
    definition = load_registry(DEFAULT_WORKFLOWS).get("concept_paper")
    text = mermaid(definition, "swg_review")
    assert text.splitlines()[3] == "stateDiagram-v2"
    assert "Class swg_review s_active" in text
    assert "s_active" not in mermaid(definition).split("classDef s_active")[1]


def test_mermaid_shows_titles_in_the_language_not_internal_names():
    definition = load_registry(DEFAULT_WORKFLOWS).get("concept_paper")
    english = mermaid(definition, "swg_review")
    assert 'state "SWG review" as swg_review' in english
    assert "drafting --> swg_review: Submit to the SWG" in english
    assert 'title: "Concept paper"' in english
    russian = mermaid(definition, "swg_review", "ru")
    assert 'state "Рассмотрение в СРГ" as swg_review' in russian
    assert "drafting --> swg_review: Представить в СРГ" in russian
    assert "swg_review --> drafting: Возвращено СРГ на доработку" in russian
    labels = [
        line.split('"')[1] for line in russian.splitlines() if line.strip().startswith("state ")
    ]
    labels += [
        line.split(": ", 1)[1] for line in russian.splitlines() if "-->" in line and ":" in line
    ]
    assert labels and not any("_" in label for label in labels)  # no internal name shown


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic just-failing grey


def test_the_current_state_and_every_state_read_at_4_5_to_1_at_least():
    text = mermaid(load_registry(DEFAULT_WORKFLOWS).get("concept_paper"), "swg_review")
    styles = {}
    for line in text.splitlines():
        if line.strip().startswith("classDef "):
            _, name, style = line.split(maxsplit=2)
            styles[name] = dict(part.split(":") for part in style.split(","))
    active = styles["s_active"]
    assert contrast(active["color"], active["fill"]) >= 4.5
    assert "font-weight" in active and "stroke-width" in active  # not by colour alone
    for style in styles.values():
        assert contrast(style["color"], style["fill"]) >= 4.5


def test_titles_are_required_in_each_working_language(tmp_path):
    path = write(
        tmp_path,
        MINIMAL.replace(
            'title = { en = "Agreed", ru = "Согласовано" }', 'title = { en = "Agreed" }'
        ),
    )
    load_definition(path)  # no forum at hand: any language given is enough
    with pytest.raises(DefinitionError) as error:
        load_definition(path, languages=("en", "ru"))
    assert error.value.file == str(path)
    assert error.value.key == "transitions[1] (agree).title"
    assert "'ru'" in error.value.reason and "working language" in error.value.reason
    untitled = write(tmp_path, MINIMAL.replace('title = { en = "Draft", ru = "Проект" }\n', ""))
    with pytest.raises(DefinitionError, match=re.escape("states.draft.title: no title in 'en'")):
        load_definition(untitled, languages=("en", "ru"))


@pytest.mark.parametrize(
    "title, key, reason",
    [
        ('"Note"', "title", "table of titles by language"),
        ('{ en = "" }', "title.en", "non-empty"),
        ('{ English = "Note" }', "title.English", "not a language code"),
        ("{}", "title", "at least one language"),
    ],
)
def test_a_malformed_title(tmp_path, title, key, reason):
    path = write(
        tmp_path, MINIMAL.replace('title = { en = "Note", ru = "Записка" }', f"title = {title}")
    )
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    assert error.value.key == key and reason in error.value.reason


def test_every_shipped_definition_is_titled_in_english_and_russian():
    for definition in load_registry(DEFAULT_WORKFLOWS, languages=("en", "ru")):
        assert definition.languages == {"en", "ru"}
        for state in definition.states:
            assert definition.state_titles(state)["ru"] != definition.state_titles(state)["en"]


def test_the_test_definitions_are_titled_in_english_and_russian():
    """They need effects their tests register, so their titles are read as plain TOML."""
    for path in (Path(__file__).parents[1] / "data" / "workflows").glob("*.toml"):
        raw = tomllib.loads(path.read_text())
        tables = [raw, *raw["states"].values(), *raw["transitions"]]
        assert all(set(table["title"]) == {"en", "ru"} for table in tables), path


def test_a_third_language_is_data_only(tmp_path):
    text = MINIMAL.replace('ru = "Проект" }', 'ru = "Проект", zh = "草案" }')
    definition = load_definition(write(tmp_path, text))
    assert definition.state_title("draft", "zh") == "草案"
    assert definition.state_title("review", "zh") == "Review"  # not given: English
    assert definition.title("ru") == "Записка"


def test_loading_a_profile_checks_the_definitions_languages(session, tmp_path):
    from bootstrap.profile import load_profile
    from workflow.registry import configure

    folder = tmp_path / "defs"
    folder.mkdir()
    write(
        folder, MINIMAL.replace('title = { en = "Done", ru = "Готово" }', 'title = { en = "Done" }')
    )
    configure(folder)
    try:
        with pytest.raises(DefinitionError, match="no title in 'ru'"):
            load_profile(
                session, Path(__file__).parents[1] / "data" / "profiles" / "small_forum.toml"
            )
    finally:
        configure(None)
