"""`[[position_kinds]]` and `[[entry_channels]]` in a profile: loaded onto the forum, checked
at load with the file, the key and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bootstrap.profile import load_profile, read_profile
from models import Base, Forum
from models.db import make_engine
from models.kinds import channels_of, kinds_of
from workflow.errors import DefinitionError

SMALL_FORUM = Path(__file__).parent.parent / "data" / "profiles" / "small_forum.toml"
KINDS = """
[[position_kinds]]
code = "consent"

[[position_kinds]]
code = "abstention"
name = { en = "Abstention", ru = "Воздержание" }
counts_as = "stand_aside"

[[position_kinds]]
code = "veto"
name = { en = "Veto", ru = "Вето" }
blocks = true
requires_text = true

[[entry_channels]]
code = "delegate"

[[entry_channels]]
code = "letter_of_the_chair"
name = { en = "letter of the Chair", ru = "письмо Председателя" }
entered_by = "secretariat"
"""
CHANNEL_DELEGATE = '[[entry_channels]]\ncode = "delegate"\nentered_by = "delegate"\n'


def profile(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "forum.toml"
    path.write_text(SMALL_FORUM.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def test_the_forum_keeps_its_kinds_and_channels(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'kinds.sqlite3'}")
    Base.metadata.create_all(engine)
    path = profile(tmp_path, KINDS.replace('code = "delegate"\n', 'code = "delegate"\nentered_by = "delegate"\n'))
    with Session(engine) as session:
        load_profile(session, path)
        session.commit()
        forum = session.scalar(select(Forum))
        found = kinds_of(forum)
        assert found.codes == ["consent", "abstention", "veto"]
        assert found.blocking == ["veto"]
        assert found.get("veto").requires_text and not found.get("abstention").requires_text
        assert found.get("abstention").meaning == "stand_aside"
        assert found.get("consent").names == {}  # the catalogue names it
        assert found.get("veto").names == {"en": "Veto", "ru": "Вето"}
        channels = channels_of(forum)
        assert [c.code for c in channels.entered_by("secretariat")] == ["letter_of_the_chair"]
        assert not channels.get("letter_of_the_chair").requires_reference
        load_profile(session, path)  # twice: nothing changes
        assert not session.dirty
    engine.dispose()


def test_a_profile_without_them_keeps_the_defaults(tmp_path):
    loaded = read_profile(SMALL_FORUM)["kinds_and_channels"]
    assert loaded == {"position_kinds": None, "entry_channels": None}


@pytest.mark.parametrize(
    "extra, key, reason",
    [
        ('[[position_kinds]]\ncode = "veto"\nblocks = true\n', "position_kinds[0].name",
         "is required"),
        ('[[position_kinds]]\ncode = "veto"\nname = { en = "Veto" }\nblocks = true\n'
         '[[position_kinds]]\ncode = "consent"\n', "position_kinds[0].name.ru", "is required"),
        ('[[position_kinds]]\ncode = "consent"\ncolour = "red"\n', "position_kinds[0].colour",
         "unknown key"),
        ('[[position_kinds]]\ncode = "consent"\ncounts_as = "maybe"\n',
         "position_kinds[0].counts_as", "must be one of"),
        ('[[position_kinds]]\ncode = "consent"\ncounts_as = "objection"\n',
         "position_kinds[0].counts_as", "a kind that blocks counts as an objection"),
        ('[[position_kinds]]\ncode = "objection"\nblocks = true\ncounts_as = "consent"\n',
         "position_kinds[0].counts_as", "a kind that blocks counts as an objection"),
        ('[[position_kinds]]\ncode = "objection"\nblocks = true\n', "position_kinds",
         "at least one kind that does not block"),
        ('[[position_kinds]]\ncode = "consent"\nrequires_text = "yes"\n',
         "position_kinds[0].requires_text", "true or false"),
        ('[[position_kinds]]\ncode = "consent"\n[[position_kinds]]\ncode = "consent"\n',
         "position_kinds[1].code", "duplicate code"),
        ('[[position_kinds]]\ncode = "Veto!"\n', "position_kinds[0].code", "lower-case"),
        ("position_kinds = []\n", "position_kinds", "non-empty list"),
        (CHANNEL_DELEGATE, "entry_channels", "needs a channel entered by the secretariat"),
        ('[[entry_channels]]\ncode = "note_verbale"\nentered_by = "secretariat"\n',
         "entry_channels", "needs a channel entered by the delegate"),
        (CHANNEL_DELEGATE + '[[entry_channels]]\ncode = "fax"\nentered_by = "chair"\n',
         "entry_channels[1].entered_by", "must be one of delegate, secretariat"),
        (CHANNEL_DELEGATE + '[[entry_channels]]\ncode = "fax"\nentered_by = "secretariat"\n',
         "entry_channels[1].name", "is required"),
    ],
)
def test_mistakes_are_named(tmp_path, extra, key, reason):
    # A top-level key must come before the first table: put it at the top of the file.
    path = tmp_path / "forum.toml"
    if extra.startswith("position_kinds = "):
        path.write_text(extra + SMALL_FORUM.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        path = profile(tmp_path, "\n" + extra)
    with pytest.raises(DefinitionError) as raised:
        read_profile(path)
    assert (raised.value.file, raised.value.key) == (str(path), key)
    assert reason in raised.value.reason
