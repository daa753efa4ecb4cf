from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bootstrap.profile import load_profile
from config.settings import DEFAULT_PROFILE
from models import (
    AuditEvent,
    Base,
    Body,
    CatalogueEdition,
    Forum,
    Participant,
    ParticipantGroup,
    ParticipantKind,
    ParticipantStatus,
    PriorityArea,
)
from models.db import make_engine
from workflow import audit
from workflow.errors import DefinitionError

SMALL_FORUM = Path(__file__).parent.parent / "data" / "profiles" / "small_forum.toml"

# The Annex of the 2020-2024 report: priority area -> (coordinators, co-coordinators).
ANNEX = {
    "Military-political dimension": (["KAZ"], ["TUR"]),
    "Combating terrorism": (["IND"], ["TUR"]),
    "Combating illicit drugs": (["IRN"], ["AFG"]),
    "Development of small and medium-sized enterprises": (["RUS"], ["KAZ", "THA", "TUR"]),
    "Energy security": (["KOR"], ["IND"]),
    "Tourism": (["TJK"], ["LKA"]),
    "Agriculture": (["CHN"], []),
    "Trade and investment": ([], ["KGZ", "TUR"]),
    "Environment protection": (["MNG"], ["BGD", "CHN"]),
    "Human dimension": (["UZB"], ["CHN", "IND", "KAZ", "KGZ"]),
}


def count(session, *conditions) -> int:
    return session.scalar(select(func.count()).select_from(Participant).where(*conditions))


def test_cica_profile_has_the_members_observers_and_partners(session):
    assert count(session, Participant.status == ParticipantStatus.MEMBER) == 28
    assert (
        count(
            session,
            Participant.status == ParticipantStatus.OBSERVER,
            Participant.kind == ParticipantKind.STATE,
        )
        == 10
    )
    assert (
        count(
            session,
            Participant.status == ParticipantStatus.OBSERVER,
            Participant.kind == ParticipantKind.ORGANISATION,
        )
        == 5
    )
    assert count(session, Participant.status == ParticipantStatus.PARTNER) == 6
    kuwait = session.scalar(select(Participant).where(Participant.code == "KWT"))
    assert kuwait.is_member and kuwait.name_ru
    morocco = session.scalar(select(Participant).where(Participant.code == "MAR"))
    assert morocco.status is ParticipantStatus.APPLICANT  # its application is pending


def test_the_catalogue_s_first_edition_is_the_2021_update(session):
    first = session.scalar(select(CatalogueEdition).where(CatalogueEdition.number == 1))
    assert first.adopted_on == date(2021, 10, 12)
    assert len(first.content["dimensions"]) == 5 and len(first.content["areas"]) == 18


def test_cica_bodies(session):
    codes = set(session.scalars(select(Body.code)))
    assert codes == {"SWG", "SOC", "MC", "SUMMIT", "PRC"}


def test_eighteen_priority_areas_with_the_annex_coordinators(session):
    areas = {area.name_en: area for area in session.scalars(select(PriorityArea))}
    assert len(areas) == 18
    for name, (coordinators, co_coordinators) in ANNEX.items():
        matches = [area for key, area in areas.items() if key.lower().startswith(name.lower()[:18])]
        assert len(matches) == 1, name
        area = matches[0]
        assert sorted(p.code for p in area.coordinators) == sorted(coordinators), name
        assert sorted(p.code for p in area.co_coordinators) == sorted(co_coordinators), name


def test_loading_twice_changes_nothing(session):
    report = load_profile(session, DEFAULT_PROFILE)
    assert report.changed == 0
    assert report.participants == 50 and report.priority_areas == 18  # Morocco applies


def broken_copy(tmp_path, old: str, new: str) -> Path:
    text = DEFAULT_PROFILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


GROUP = '[[groups]]\ncode = "MED"\nname_en = "Contact group"\nname_ru = "Контактная группа"\nmembers = ["KAZ", "TUR"]\n\n'


def test_the_profile_s_groups_are_loaded(session, tmp_path):
    path = broken_copy(tmp_path, "[[participants]]", GROUP + "[[participants]]")
    load_profile(session, path)
    group = session.scalar(select(ParticipantGroup).where(ParticipantGroup.code == "MED"))
    assert [m.participant.code for m in group.members] == ["KAZ", "TUR"]
    assert load_profile(session, path).changed == 0


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ('coordinators = ["KAZ"]', 'coordinators = ["XXX"]', "priority_areas[0].coordinators", "unknown participant 'XXX'"),
        ('coordinators = ["KAZ"]', 'coordinators = ["JPN"]', "priority_areas[0].coordinators", "'JPN' is not a state of status member"),
        ('dimension = "MIL"', 'dimension = "SPACE"', "priority_areas[0].dimension", "unknown dimension 'SPACE'"),
        ('status = "member"', 'status = "overlord"', "participants[0].status", "unknown status"),
        ('seats = "members"', 'seats = ["ATL"]', "bodies[0].seats", "unknown participant 'ATL'"),
        ('code = "SOC"', 'code = "SWG"', "bodies[1].code", "duplicate code 'SWG'"),
        ('languages = ["en", "ru"]', 'languages = ["en", "ru"]\ninterface_languages = ["Chinese"]', "forum.interface_languages", "language codes"),
        # A participant's name in each working language, as for the bodies and the titles.
        ('name_ru = "Азербайджан"\n', "", "participants[1].name_ru", "is required"),
        ('name_ru = "Азербайджан"', 'name_ru = " "', "participants[1].name_ru", "non-empty string"),
        ("reminder_hours = [72, 24]", 'reminder_hours = ["soon"]', "forum.reminder_hours", "list of whole hours"),
        ("reminder_hours = [72, 24]", "reminder_hours = [0]", "forum.reminder_hours", "list of whole hours"),
        ('symbol_prefix = "CICA"', 'symbol_prefix = "CICA"\ndefinitions = "no-such-folder"', "forum.definitions", "folder of definitions"),
        # The forum's words, chair, currency and accounts.
        ('currency = "USD"', 'currency = "dollars"', "forum.currency", "ISO 4217"),
        ('chair = ["AZE"]', 'chair = ["JPN"]', "forum.chair", "'JPN' is not a state of status member"),
        ('chair = ["AZE"]', 'chair = ["ATL"]', "forum.chair", "unknown participant 'ATL'"),
        ('member = { en = "member state", ru = "государство-член" }', 'member = { en = "member state" }', "vocabulary.member.ru", "is required"),
        ('member = { en = "member state", ru = "государство-член" }', 'member = { en = "member state", ru = "г", zh = "成员国" }', "vocabulary.member.zh", "not an interface language"),
        ('member = { en = "member state", ru = "государство-член" }', 'overlord = { en = "x", ru = "y" }', "vocabulary.overlord", "unknown word"),
        ('member = { en = "member state", ru = "государство-член" }', 'member = "member state"', "vocabulary.member", "must be a table"),
        ('observer_delegates = ["observer"]', 'observer_delegates = ["friend"]', "accounts.observer_delegates", "unknown status 'friend'"),
        ('observer_delegates = ["observer"]', 'observer_delegates = ["member"]', "accounts.observer_delegates", "also in delegates"),
        ('delegates = ["member"]', 'delegates = ["partner"]', "accounts.delegates", "must include 'member'"),
        ('delegates = ["member"]', 'delegates = ["member"]\nwho = ["member"]', "accounts.who", "unknown key"),
        ('"{body}.DEC/{number}/{yy}"', '"{body}.DEC/{n}"', "forum.decision_symbol", "unknown placeholder {n}"),
        ('"{body}.DEC/{number}/{yy}"', '"{body}.DEC/{yy}"', "forum.decision_symbol", "must contain {number} once"),
        ('"{body}.DEC/{number}/{yy}"', '"{body}.DEC/{number"', "forum.decision_symbol", "unbalanced braces"),
        ("[[participants]]", GROUP.replace('"KAZ"', '"ATL"') + "[[participants]]", "groups[0].members", "unknown participant 'ATL'"),
        ("[[participants]]", GROUP.replace('["KAZ", "TUR"]', "[]") + "[[participants]]", "groups[0].members", "non-empty list"),
    ],
)
def test_a_broken_profile_fails_naming_file_key_reason_and_changes_nothing(
    session, tmp_path, old, new, key, reason
):
    before = {p.code: (p.name_en, p.status) for p in session.scalars(select(Participant))}
    # A valid change earlier in the file proves the load is all-or-nothing.
    path = broken_copy(tmp_path, 'name_en = "Afghanistan"', 'name_en = "Renamed"')
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DefinitionError) as excinfo:
        load_profile(session, path)
    assert str(path) in str(excinfo.value)
    assert excinfo.value.key == key
    assert reason in excinfo.value.reason
    session.expire_all()
    after = {p.code: (p.name_en, p.status) for p in session.scalars(select(Participant))}
    assert after == before


def test_a_write_failure_rolls_back_the_whole_profile(session, tmp_path):
    other_forum = broken_copy(tmp_path, 'code = "CICA"', 'code = "OTHER"')
    other_forum.write_text(
        other_forum.read_text(encoding="utf-8").replace('name_en = "Afghanistan"', 'name_en = "X"'),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match="this database holds forum 'CICA'"):
        load_profile(session, other_forum)
    session.expire_all()
    assert session.scalar(select(Participant.name_en).where(Participant.code == "AFG")) == "Afghanistan"


def test_a_second_forum_loads_without_code_changes(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'bsf.sqlite3'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        report = load_profile(session, SMALL_FORUM)
        session.commit()
        assert report.forum == "BSF"
        assert count(session, Participant.status == ParticipantStatus.MEMBER) == 5
        board = session.scalar(select(Body).where(Body.code == "BOARD"))
        assert sorted(seat.participant.code for seat in board.seats) == ["FIN", "NOR"]
    engine.dispose()


def _events(session, action: str) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def test_loading_a_profile_leaves_an_audit_trail(session, tmp_path):
    """A status change goes through the engine's own set_status and is audited; a renamed
    participant or reseated body is listed in one more event; a second load writes nothing."""
    before = len(_events(session, "participant_status_changed"))
    changed = broken_copy(tmp_path, 'name_en = "Afghanistan"', 'name_en = "Renamed"')
    text = changed.read_text(encoding="utf-8")
    japan = text.index('code = "JPN"')
    status_at = text.index('status = "observer"', japan)
    changed.write_text(
        text[:status_at] + 'status = "member"' + text[status_at + len('status = "observer"') :],
        encoding="utf-8",
    )

    load_profile(session, changed)

    status_events = _events(session, "participant_status_changed")[before:]
    assert [e.data["participant"] for e in status_events] == ["JPN"]
    assert (status_events[0].data["status_from"], status_events[0].data["status_to"]) == (
        "observer",
        "member",
    )
    assert status_events[0].actor_label == "profile"
    japan_row = session.scalar(select(Participant).where(Participant.code == "JPN"))
    assert [p.status for p in japan_row.status_history][-2:] == [
        ParticipantStatus.OBSERVER,
        ParticipantStatus.MEMBER,
    ]
    assert "participant AFG" in _events(session, "profile_loaded")[-1].data["changes"]
    assert audit.find_break(session) is None

    total = session.scalar(select(func.count(AuditEvent.id)))
    assert load_profile(session, changed).changed == 0
    assert session.scalar(select(func.count(AuditEvent.id))) == total


def test_a_new_user_s_time_zone_is_the_forum_s_unless_given(session, make_user):
    from workflow.accounts import create_user

    forum_zone = session.scalar(select(Forum.timezone))
    assert make_user(session).timezone == forum_zone == "Asia/Almaty"  # the CICA profile's
    user = create_user(
        session, email="tz@test.example", name="Tz", password="a-long-password-9",
        timezone="Europe/Vienna",
    )
    assert user.timezone == "Europe/Vienna"


def test_a_profile_brings_its_own_definitions_unless_a_setting_names_others(tmp_path):
    from bootstrap.runtime import build_runtime
    from config.settings import DEFAULT_WORKFLOWS, load_settings
    from workflow.registry import configure, registry

    folder = tmp_path / "processes"
    folder.mkdir()
    source = DEFAULT_WORKFLOWS / "concept_paper.toml"
    (folder / "concept_paper.toml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    profile = tmp_path / "forum.toml"
    profile.write_text(
        DEFAULT_PROFILE.read_text(encoding="utf-8").replace(
            'symbol_prefix = "CICA"', 'symbol_prefix = "CICA"\ndefinitions = "processes"', 1
        ),
        encoding="utf-8",
    )
    base = {"environ": {}, "env": "testing", "instance_path": str(tmp_path / "instance")}
    try:
        build_runtime(load_settings(profile=str(profile), **base)).dispose()
        assert [d.kind for d in registry()] == ["concept_paper"]
        build_runtime(
            load_settings(profile=str(profile), workflows_path=str(DEFAULT_WORKFLOWS), **base)
        ).dispose()
        assert len(list(registry())) > 1
    finally:
        configure(None)
def test_the_profile_gives_the_forum_s_words_chair_currency_and_accounts(session):
    forum = session.scalar(select(Forum))
    assert forum.currency == "USD" and forum.chair == ["AZE"]
    assert forum.word("member", "en") == "member state"
    assert forum.word("member", "ru") == "государство-член"
    assert forum.word("chair", "ru") == "Председательство"
    assert forum.statuses_for("delegates") == {"member"}
    assert forum.statuses_for("observer_delegates") == {"observer"}


def test_a_forum_that_says_nothing_has_neutral_words_usd_and_no_chair(tmp_path):
    from workflow.vocabulary import word

    engine = make_engine(f"sqlite:///{tmp_path / 'bare.db'}")
    Base.metadata.create_all(engine)
    text = SMALL_FORUM.read_text(encoding="utf-8")
    bare = text.split("[vocabulary]")[0].replace('currency = "EUR"\nchair = ["FIN"]\n', "")
    bare += "\n[[participants]]" + text.split("[[participants]]", 1)[1]
    path = tmp_path / "bare.toml"
    path.write_text(bare, encoding="utf-8")
    with Session(engine) as session:
        load_profile(session, path)
        forum = session.scalar(select(Forum))
        assert forum.currency == "USD" and forum.chair == [] and forum.vocabulary == {}
        assert forum.statuses_for("delegates") == {"member"}
        assert word(forum, "member", "ru") == "member"  # the catalogue's, untranslated here
        assert word(forum, "members", "en", {"members": "Mitglieder"}.get) == "Mitglieder"


def test_small_forum_has_its_own_words_and_lets_partners_observe(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'small.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        load_profile(session, SMALL_FORUM)
        forum = session.scalar(select(Forum))
        assert forum.currency == "EUR" and forum.chair == ["FIN"]
        assert forum.word("member", "en") == "coastal state"
        assert forum.word("observer", "en") is None  # neutral
        assert forum.statuses_for("observer_delegates") == {"observer", "partner"}
