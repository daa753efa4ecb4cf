"""The living Catalogue: structured changes checked against the edition in force, applied
with the decision that adopts them, every edition kept and comparable."""

from __future__ import annotations

import pytest
from engine_helpers import TEXTS
from sqlalchemy import select

from models import CatalogueEdition, Measure, PriorityArea, RoundMode
from workflow import catalogue
from workflow import operations as ops
from workflow.errors import GuardFailed, InvalidInput, NotPermitted

NEW_AREA = {
    "op": "add_area",
    "code": "HUM-2",
    "dimension": "HUM",
    "name_en": "Volunteerism and youth",
    "name_ru": "Волонтерство и молодежь",
    "coordinators": ["KAZ"],
}
NEW_MEASURE = {
    "op": "add_measure",
    "area": "HUM-2",
    "text_en": "Annual rally of volunteer movement leaders.",
    "text_ru": "Ежегодный слет лидеров волонтерского движения.",
}
RENAME = {
    "op": "rename_area",
    "code": "ECO-4",
    "name_en": "Tourism and travel",
    "name_ru": "Туризм и путешествия",
}


def adopt(session, cast, changes):
    amendment = ops.create_document(
        session,
        cast.secretariat,
        kind="catalogue_amendment",
        title="Amendment",
        title_ru="Документ",
        proposer="CHN",
        texts=TEXTS,
    )
    ops.propose_changes(session, cast.secretariat, amendment.id, changes)
    ops.fire_trigger(session, cast.secretariat, amendment.id, "submit")
    for _ in range(3):
        round_ = ops.open_round(session, cast.secretariat, amendment.id, mode=RoundMode.MEETING)
        ops.close_round(session, cast.secretariat, round_.id)
    assert amendment.state == "adopted"
    return amendment


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            [{"op": "rename_area", "code": "ZZZ-9", "name_en": "x", "name_ru": "х"}],
            "no priority area ZZZ-9",
        ),
        ([{"op": "amend_measure", "code": "HUM-1.7", "text_en": "x"}], "no measure HUM-1.7"),
        (
            [
                {
                    "op": "add_area",
                    **{k: v for k, v in NEW_AREA.items() if k != "op"},
                    "dimension": "SPACE",
                }
            ],
            "no dimension",
        ),
        (
            [
                {
                    "op": "add_area",
                    **{k: v for k, v in NEW_AREA.items() if k != "op"},
                    "code": "ECO-1",
                }
            ],
            "exists already",
        ),
        (
            [
                {
                    "op": "add_area",
                    **{k: v for k, v in NEW_AREA.items() if k != "op"},
                    "coordinators": ["JPN"],
                }
            ],
            "is not a member",
        ),
        ([{"op": "merge_areas", "code": "ECO-1"}], "one of add_area"),
        ([NEW_MEASURE], "no priority area HUM-2"),  # the area is added by another change first
        ([], "non-empty list"),
    ],
)
def test_a_change_naming_what_does_not_exist_is_refused_at_proposal(
    session, cast, changes, message
):
    amendment = ops.create_document(
        session,
        cast.secretariat,
        kind="catalogue_amendment",
        title="A",
        title_ru="Документ",
        proposer="CHN",
        texts=TEXTS,
    )
    with pytest.raises(InvalidInput, match=message):
        ops.propose_changes(session, cast.secretariat, amendment.id, changes)
    assert "catalogue_changes" not in (amendment.attributes or {})


def test_changes_are_proposed_by_who_may_revise_and_only_while_drafted(session, cast):
    amendment = ops.create_document(
        session,
        cast.proposer,
        kind="catalogue_amendment",
        title="A",
        title_ru="Документ",
        proposer="CHN",
        texts=TEXTS,
    )
    with pytest.raises(NotPermitted):
        ops.propose_changes(session, cast.other, amendment.id, [RENAME])
    with pytest.raises(GuardFailed, match="no change to the Catalogue"):
        ops.fire_trigger(session, cast.proposer, amendment.id, "submit")
    ops.propose_changes(session, cast.proposer, amendment.id, [RENAME])
    ops.fire_trigger(session, cast.proposer, amendment.id, "submit")
    with pytest.raises(InvalidInput, match="only while it is drafted"):
        ops.propose_changes(session, cast.proposer, amendment.id, [RENAME])


def test_adoption_applies_the_changes_and_makes_the_next_edition(session, cast):
    before = catalogue.in_force(session)
    amendment = adopt(session, cast, [NEW_AREA, NEW_MEASURE, RENAME])
    after = catalogue.in_force(session)
    assert after.number == before.number + 1 and after.document_id == amendment.id
    new_area = session.scalar(select(PriorityArea).where(PriorityArea.code == "HUM-2"))
    assert [p.code for p in new_area.coordinators] == ["KAZ"]
    measure = session.scalar(select(Measure).where(Measure.code == "HUM-2.1"))
    assert measure.since == after.number
    assert {
        "code": "HUM-2.1",
        "area": "HUM-2",
        "text_en": NEW_MEASURE["text_en"],
        "text_ru": NEW_MEASURE["text_ru"],
    } in after.content["measures"]
    differences = catalogue.compare(before.content, after.content)
    assert {(d["what"], d["code"], d["change"]) for d in differences} == {
        ("area", "HUM-2", "added"),
        ("area", "ECO-4", "renamed"),
        ("measure", "HUM-2.1", "added"),
    }
    # The earlier edition is kept as it stood.
    assert "HUM-2" not in [a["code"] for a in before.content["areas"]]


def test_retiring_an_area_takes_it_out_of_the_catalogue_in_force(session, cast):
    adopt(session, cast, [NEW_AREA])
    adopt(session, cast, [{"op": "retire_area", "code": "HUM-2"}])
    area = session.scalar(select(PriorityArea).where(PriorityArea.code == "HUM-2"))
    assert area.retired_in == catalogue.in_force(session).number
    assert "HUM-2" not in [a["code"] for a in catalogue.snapshot(session)["areas"]]
    with pytest.raises(InvalidInput, match="left the Catalogue"):
        ops.create_document(
            session,
            cast.coordinator,
            kind="concept_paper",
            title="x",
            title_ru="Документ",
            priority_area="HUM-2",
        )


def test_changes_gone_stale_stop_the_adoption(session, cast):
    first = ops.create_document(
        session,
        cast.secretariat,
        kind="catalogue_amendment",
        title="A",
        title_ru="Документ",
        proposer="CHN",
        texts=TEXTS,
    )
    ops.propose_changes(session, cast.secretariat, first.id, [RENAME])
    ops.fire_trigger(session, cast.secretariat, first.id, "submit")
    for _ in range(2):
        round_ = ops.open_round(session, cast.secretariat, first.id, mode=RoundMode.MEETING)
        ops.close_round(session, cast.secretariat, round_.id)
    adopt(session, cast, [{"op": "retire_area", "code": "ECO-4"}])  # overtakes it
    editions = session.scalars(select(CatalogueEdition.number)).all()
    round_ = ops.open_round(session, cast.secretariat, first.id, mode=RoundMode.MEETING)
    with pytest.raises(GuardFailed, match="no longer apply"):
        ops.close_round(session, cast.secretariat, round_.id)
    assert session.scalars(select(CatalogueEdition.number)).all() == editions
