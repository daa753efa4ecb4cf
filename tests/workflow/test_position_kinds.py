"""A forum's own kinds of position and entry channels (its profile's), applied by the engine.

The forum here declares a blocking "veto" that needs its grounds, a non-blocking
"abstention" that counts as standing aside, and a plain "agree"; the Secretariat
receives positions by note verbale or by a letter of the Chair (no reference needed).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from engine_helpers import NOW
from sqlalchemy import select

from models import OutcomeKind, Participant, ParticipantStatus, RoundMode
from models.kinds import DEFAULT_ENTRY_CHANNELS, DEFAULT_POSITION_KINDS, kinds_of
from workflow import kinds, times
from workflow import operations as ops
from workflow.errors import InvalidInput
from workflow.summaries import load_summary

IN_TWO_WEEKS = NOW + timedelta(days=14)
KINDS = [
    {"code": "agree", "meaning": "consent", "requires_text": False,
     "names": {"en": "Agree", "ru": "Согласие"}},
    {"code": "abstention", "meaning": "stand_aside", "requires_text": False,
     "names": {"en": "Abstention", "ru": "Воздержание"}},
    {"code": "veto", "meaning": "objection", "requires_text": True,
     "names": {"en": "Veto", "ru": "Вето"}},
]
CHANNELS = [
    {"code": "delegate", "entered_by": "delegate", "requires_reference": False, "names": {}},
    {"code": "note_verbale", "entered_by": "secretariat", "requires_reference": True, "names": {}},
    {"code": "letter_of_the_chair", "entered_by": "secretariat", "requires_reference": False,
     "names": {"en": "letter of the Chair", "ru": "письмо Председателя"}},
]


@pytest.fixture(autouse=True)
def forum_kinds(session):
    forum = times.forum(session)
    forum.position_kinds, forum.entry_channels = KINDS, CHANNELS
    session.flush()
    kinds.forget(session)


def members(session) -> list[str]:
    return list(
        session.scalars(
            select(Participant.code)
            .where(Participant.status == ParticipantStatus.MEMBER)
            .order_by(Participant.code)
        )
    )


@pytest.fixture
def meeting(session, cast, in_state):
    document = in_state("concept_paper", "swg_review")
    return ops.open_round(session, cast.secretariat, document.id, mode=RoundMode.MEETING)


@pytest.fixture
def silence(session, cast, in_state):
    document = in_state("concept_paper", "soc_consideration")
    return ops.open_round(
        session, cast.secretariat, document.id, mode=RoundMode.SILENCE, deadline=IN_TWO_WEEKS
    )


@pytest.fixture
def written(session, cast, in_state):
    document = in_state("project_proposal", "prc_review")
    return ops.open_round(
        session, cast.secretariat, document.id, mode=RoundMode.WRITTEN, deadline=IN_TWO_WEEKS
    )


def answer(session, cast, round_, code, kind="agree", text="", **extra):
    extra.setdefault("reference", f"NV/{code}/1")
    return ops.record_position(
        session, cast.secretariat, round_.id, participant=code, kind=kind, text=text, **extra
    )


def test_a_profile_without_kinds_has_the_six_and_the_two(session):
    forum = times.forum(session)
    forum.position_kinds = forum.entry_channels = None
    assert kinds_of(forum).kinds == DEFAULT_POSITION_KINDS
    assert [k.code for k in kinds_of(forum).kinds if k.blocks] == ["objection"]
    assert [c.code for c in DEFAULT_ENTRY_CHANNELS] == ["delegate", "note_verbale"]


def test_only_the_forum_s_kinds_are_recorded(session, cast, meeting):
    with pytest.raises(InvalidInput, match="unknown kind of position 'objection'"):
        answer(session, cast, meeting, "IND", "objection", "Grounds")
    position = answer(session, cast, meeting, "IND", "abstention")
    assert position.kind == "abstention" and position.text == ""


def test_a_veto_needs_its_grounds_and_may_bring_an_amendment(session, cast, meeting):
    with pytest.raises(InvalidInput, match="veto needs its text"):
        answer(session, cast, meeting, "IND", "veto")
    with pytest.raises(InvalidInput, match="amendment goes with an objection"):
        answer(session, cast, meeting, "IND", "abstention", amendment="New para")
    position = answer(session, cast, meeting, "IND", "veto", "Grounds", amendment="New para")
    assert (position.kind, position.amendment) == ("veto", "New para")


def test_a_veto_breaks_the_silence(session, cast, silence):
    answer(session, cast, silence, "CHN", "abstention")
    assert silence.is_open
    answer(session, cast, silence, "IND", "veto", "Grounds")
    assert silence.outcome is OutcomeKind.SILENCE_BROKEN


def test_a_standing_veto_prevents_consensus_in_a_meeting(session, cast, meeting):
    answer(session, cast, meeting, "CHN", "abstention")
    answer(session, cast, meeting, "IND", "veto", "Grounds")
    record = load_summary(session, meeting.id).record()
    assert [o["participant"] for o in record["objections"]] == ["IND"]
    assert record["stood_aside"] == ["CHN"]
    ops.close_round(session, cast.secretariat, meeting.id)
    assert meeting.outcome is OutcomeKind.NO_CONSENSUS


def test_abstentions_do_not_prevent_consensus(session, cast, meeting):
    answer(session, cast, meeting, "CHN", "abstention")
    answer(session, cast, meeting, "IND", "agree")
    ops.close_round(session, cast.secretariat, meeting.id)
    assert meeting.outcome is OutcomeKind.CONSENSUS
    record = load_summary(session, meeting.id).record()
    assert (record["consents"], record["stood_aside"]) == (["IND"], ["CHN"])


def test_written_consensus_counts_every_non_blocking_answer(session, cast, written):
    codes = members(session)
    for code in codes[:-1]:
        answer(session, cast, written, code, "abstention" if code == "IND" else "agree")
    assert written.is_open
    answer(session, cast, written, codes[-1])
    assert written.outcome is OutcomeKind.CONSENSUS


def test_written_ends_at_the_first_veto(session, cast, written):
    answer(session, cast, written, "CHN")
    answer(session, cast, written, "IND", "veto", "Budget too high")
    assert written.outcome is OutcomeKind.NO_CONSENSUS


def test_the_secretariat_names_its_channel(session, cast, meeting):
    by_note = answer(session, cast, meeting, "CHN")
    assert by_note.channel == "note_verbale"  # its first channel
    with pytest.raises(InvalidInput, match="note verbale"):
        answer(session, cast, meeting, "IND", reference="")
    letter = answer(session, cast, meeting, "IND", channel="letter_of_the_chair", reference="")
    assert (letter.channel, letter.reference) == ("letter_of_the_chair", "")
    with pytest.raises(InvalidInput, match="unknown channel 'fax'"):
        answer(session, cast, meeting, "IND", channel="fax")
    with pytest.raises(InvalidInput, match="unknown channel 'delegate'"):
        answer(session, cast, meeting, "IND", channel="delegate")


def test_a_delegate_s_own_position_comes_by_the_delegate_channel(session, cast, meeting):
    with pytest.raises(InvalidInput, match="unknown channel 'note_verbale': one of delegate"):
        ops.record_position(
            session, cast.other, meeting.id, participant="IND", kind="veto", text="Grounds",
            channel="note_verbale",
        )
    position = ops.record_position(
        session, cast.other, meeting.id, participant="IND", kind="veto", text="Grounds"
    )
    assert position.channel == "delegate"


def test_the_state_is_told_in_its_language_how_its_position_arrived(session, cast, meeting):
    from models import Notification
    from workflow import mail, outbox

    answer(session, cast, meeting, "IND", "abstention", channel="letter_of_the_chair", reference="")
    notice = session.scalars(
        select(Notification).where(Notification.kind == outbox.ON_BEHALF)
    ).one()
    assert notice.user_id == cast.other.id
    english = mail.compose(notice, mail.Recipient(cast.other, "en", "UTC"), "https://c.example")
    russian = mail.compose(notice, mail.Recipient(cast.other, "ru", "UTC"), "https://c.example")
    assert any("(letter of the Chair): Abstention." in line for line in english.lines)
    assert any("(письмо Председателя): Воздержание." in line for line in russian.lines)


def test_a_channel_of_the_forum_s_may_need_its_reference(session, cast, meeting):
    forum = times.forum(session)
    forum.entry_channels = [
        *CHANNELS[:2], {**CHANNELS[2], "requires_reference": True}
    ]
    session.flush()
    kinds.forget(session)
    with pytest.raises(InvalidInput, match="by letter of the chair needs its reference"):
        answer(session, cast, meeting, "IND", channel="letter_of_the_chair", reference="")
    letter = answer(session, cast, meeting, "IND", channel="letter_of_the_chair", reference="L/7")
    assert letter.reference == "L/7"
