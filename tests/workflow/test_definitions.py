"""Definitions: the shipped ones load; every kind of mistake stops start-up with file and key."""

from __future__ import annotations

import re
import shutil
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
title = "Note"
symbol = "N"
initial = "draft"

[document]
create = ["secretariat"]
revise = ["secretariat"]

[states.draft]
[states.review]
round = { body = "SOC", modes = ["meeting"], on_consensus = "agree", on_failure = "reject" }
[states.done]
final = true

[[transitions]]
trigger = "submit"
source = "draft"
dest = "review"
allowed = ["secretariat"]
guards = ["has_version"]

[[transitions]]
trigger = "agree"
source = "review"
dest = "done"
allowed = ["system"]

[[transitions]]
trigger = "reject"
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
            'allowed = ["chair"]\nguards',
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
    assert "Class swg_review s_active" in text and "drafting --> swg_review: submit" in text
    assert "s_active" not in mermaid(definition).split("classDef s_active")[1]
