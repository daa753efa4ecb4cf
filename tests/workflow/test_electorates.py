"""Who decides in a round: the body (default), all but the state a document field names
(consensus minus one), or a group of participants the profile lists."""

from __future__ import annotations

import shutil

import pytest
from engine_helpers import TEXTS
from sqlalchemy import select

from config.settings import DEFAULT_WORKFLOWS
from models import Body, GroupMember, Participant, ParticipantGroup, PositionKind, RoundMode
from workflow import operations as ops
from workflow.errors import DefinitionError, GuardFailed, NotPermitted
from workflow.loader import check_groups, load_definition
from workflow.registry import configure
from workflow.rounds import electorate

AMENDMENT = DEFAULT_WORKFLOWS / "catalogue_amendment.toml"
SWG_ROUND = 'round = { body = "SWG", modes = ["meeting"], '
MEASURE = {
    "op": "add_measure",
    "area": "HUM-1",
    "text_en": "Cooperation in the field of volunteerism.",
    "text_ru": "Сотрудничество в области волонтерства.",
}


def with_swg_electorate(text: str, electorate: str) -> str:
    assert SWG_ROUND in text
    return text.replace(SWG_ROUND, f'{SWG_ROUND}electorate = "{electorate}", ', 1)


@pytest.fixture
def swg_electorate(tmp_path):
    """The shipped definitions, the SWG's round on a catalogue amendment decided by `rule`."""

    def use(rule: str):
        folder = tmp_path / "workflows"
        shutil.copytree(DEFAULT_WORKFLOWS, folder, ignore=shutil.ignore_patterns("*.md"))
        text = AMENDMENT.read_text(encoding="utf-8")
        (folder / AMENDMENT.name).write_text(with_swg_electorate(text, rule), encoding="utf-8")
        return configure(folder)

    yield use
    configure(None)


def swg_round(session, cast, proposer="CHN"):
    document = ops.create_document(
        session,
        cast.secretariat,
        kind="catalogue_amendment",
        title="A",
        title_ru="Документ",
        proposer=proposer,
        texts=TEXTS,
    )
    ops.propose_changes(session, cast.secretariat, document.id, [MEASURE])
    ops.fire_trigger(session, cast.secretariat, document.id, "submit")
    return ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)


def codes(round_) -> list[str]:
    return sorted(e.participant.code for e in round_.electors)


def members(session) -> list[str]:
    """The member states seated in the SWG (every member state)."""
    swg = session.scalar(select(Body).where(Body.code == "SWG"))
    return [p.code for p in electorate(session, swg)]


def test_by_default_every_seated_member_decides(session, cast):
    configure(None)
    round_ = swg_round(session, cast)
    assert codes(round_) == members(session)
    assert "CHN" in codes(round_)


def test_consensus_minus_one_leaves_out_the_state_concerned(session, cast, swg_electorate):
    swg_electorate("all_except:proposer")
    round_ = swg_round(session, cast, proposer="CHN")
    assert codes(round_) == [code for code in members(session) if code != "CHN"]
    with pytest.raises(NotPermitted, match="not in the electorate"):
        ops.record_position(
            session,
            cast.secretariat,
            round_.id,
            participant="CHN",
            kind=PositionKind.OBJECTION,
            text="We object.",
            reference="NV/1",
        )
    # Everyone else's silence is consensus: the state concerned cannot block it.
    ops.close_round(session, cast.secretariat, round_.id)
    assert round_.document.state != "swg_review"


def test_a_group_decides_among_the_seated_members(session, cast, swg_electorate):
    participants = {
        p.code: p
        for p in session.scalars(
            select(Participant).where(Participant.code.in_(["KAZ", "TUR", "JPN"]))
        )
    }
    group = ParticipantGroup(code="MED", name_en="Contact group", name_ru="Контактная группа")
    group.members = [GroupMember(participant=participants[c]) for c in ("KAZ", "TUR", "JPN")]
    session.add(group)
    session.flush()
    swg_electorate("group:MED")
    round_ = swg_round(session, cast)
    assert codes(round_) == ["KAZ", "TUR"]  # Japan, an observer, never decides


def test_a_group_missing_from_the_profile_stops_the_round(session, cast, swg_electorate):
    registry = swg_electorate("group:NONE")
    with pytest.raises(DefinitionError, match="unknown group 'NONE'"):
        registry.check_groups(set())
    with pytest.raises(DefinitionError, match="unknown group 'NONE'"):
        swg_round(session, cast)


def test_consensus_minus_one_needs_the_state_named(session, cast, swg_electorate, tmp_path):
    swg_electorate("all_except:proposer")
    document = ops.create_document(
        session,
        cast.secretariat,
        kind="catalogue_amendment",
        title="A",
        title_ru="Документ",
        proposer="CHN",
        texts=TEXTS,
    )
    document.proposer_id = None  # as a document registered before the rule was written
    ops.propose_changes(session, cast.secretariat, document.id, [MEASURE])
    ops.fire_trigger(session, cast.secretariat, document.id, "submit")
    with pytest.raises(GuardFailed, match="names no state concerned"):
        ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("everyone", 'must be "body", "all_except:<document field>" or "group:<group code>"'),
        ("group:", 'must be "body"'),
        ("all_except:budget", "'budget' is not a document field naming a participant"),
        ("all_except:applicant", "'applicant' is not a document field naming a participant"),
    ],
)
def test_a_bad_electorate_is_named(tmp_path, rule, reason):
    path = tmp_path / AMENDMENT.name
    path.write_text(with_swg_electorate(AMENDMENT.read_text(encoding="utf-8"), rule), "utf-8")
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    assert error.value.file == str(path)
    assert error.value.key == "states.swg_review.round.electorate"
    assert reason in error.value.reason


def test_groups_are_checked_against_the_profile(tmp_path):
    path = tmp_path / AMENDMENT.name
    path.write_text(
        with_swg_electorate(AMENDMENT.read_text(encoding="utf-8"), "group:MED"), "utf-8"
    )
    definition = load_definition(path)
    check_groups(definition, {"MED"})
    with pytest.raises(DefinitionError) as error:
        check_groups(definition, {"G7"})
    assert error.value.key == "states.swg_review.round.electorate"
