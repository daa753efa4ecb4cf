"""Demo data per profile: CICA's from its demo data file (what the README lists), any other
profile's generic demo from its own participants, on a fresh database; a demo data file's
errors name the file, the key and the reason."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

import migrations
from bootstrap.demo import create_demo, demo_for
from bootstrap.demo_file import demo_file, load_demo_file
from bootstrap.profile import load_profile
from config.settings import DEFAULT_PROFILE
from models import Instrument, Participant, Round, RoundStatus, User
from models.db import make_engine
from workflow.errors import DefinitionError
from workflow.registry import configure, registry

SMALL_FORUM = Path(__file__).parents[1] / "data" / "profiles" / "small_forum.toml"
# The README's demo accounts: e-mail, password, role.
README_ACCOUNTS = [
    ("secretariat@concord.example", "demo-secretariat-1", "secretariat officer"),
    ("admin@concord.example", "demo-admin-1", "administrator"),
    ("kaz@concord.example", "demo-kaz-1", "delegate of KAZ"),
    ("tur@concord.example", "demo-tur-1", "delegate of TUR"),
    ("chn@concord.example", "demo-chn-1", "delegate of CHN"),
    ("ind@concord.example", "demo-ind-1", "delegate of IND"),
    ("jpn@concord.example", "demo-jpn-1", "observer delegate of JPN"),
]


@pytest.fixture
def fresh(engine, tmp_path):
    """A session on a database with nothing in it (a new SQLite file or PostgreSQL schema)."""
    configure(None)
    if engine.dialect.name != "postgresql":
        database = make_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
        schema = None
    else:
        schema = f"demo_{uuid.uuid4().hex[:8]}"
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        database = make_engine(engine.url)

        @event.listens_for(database, "connect")
        def use_schema(dbapi_connection, _record):
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f'SET search_path TO "{schema}"')
            dbapi_connection.commit()

    migrations.upgrade(database)
    with Session(database) as session:
        yield session
    database.dispose()
    if schema:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def test_the_cica_demo_is_its_demo_data_file(fresh):
    load_profile(fresh, DEFAULT_PROFILE)
    demo = demo_for(fresh, DEFAULT_PROFILE)
    assert demo.source == "cica.demo.toml"
    assert [(a.email, a.password, a.role) for a in demo.accounts] == README_ACCOUNTS
    created = create_demo(fresh, demo)
    fresh.commit()
    assert [(d.kind, d.state) for d in created] == [
        ("concept_paper", "soc_consideration"),
        ("observer_application", "soc_consideration"),
        ("catalogue_amendment", "swg_review"),
        ("convention", "open_for_signature"),
        ("catalogue_amendment", "adopted"),
    ]
    concept = created[0]
    assert concept.symbol.startswith("CICA/CP/1/") and len(concept.versions) == 2
    silence = fresh.scalars(
        select(Round).where(Round.document_id == concept.id, Round.status == RoundStatus.OPEN)
    ).one()
    answers = sorted((p.participant.code, p.kind) for p in silence.positions)
    assert answers == [("IND", "reservation"), ("TUR", "consent")]
    deposited = fresh.scalars(select(Instrument).where(Instrument.document_id == created[3].id))
    assert [(i.participant.code, i.kind.value) for i in deposited] == [
        ("KAZ", "signature"),
        ("KAZ", "ratification"),
        ("TUR", "signature"),
        ("RUS", "ratification"),
        ("KGZ", "accession"),
    ]
    assert create_demo(fresh, demo) == []  # once only


def test_another_profile_gets_a_generic_demo_of_its_own(fresh):
    load_profile(fresh, SMALL_FORUM)
    demo = demo_for(fresh, SMALL_FORUM)
    assert demo.source == ""
    roles = [a.role for a in demo.accounts]
    assert roles == [
        "secretariat officer",
        "administrator",
        "delegate of FIN",  # the chair first
        "delegate of NOR",  # then the coordinator of a priority area
        "delegate of ISL",
        "delegate of DNK",
        "observer delegate of EST",
    ]
    created = create_demo(fresh, demo)
    fresh.commit()
    codes = set(fresh.scalars(select(Participant.code)))
    assert "KAZ" not in codes
    emails = set(fresh.scalars(select(User.email)))
    assert {a.email for a in demo.accounts} <= emails
    # One document of each process the profile can hold (the outcome document names a
    # body this forum does not have), each by someone allowed to create it.
    kinds = [d.kind for d in created]
    assert "outcome_document" not in kinds
    assert set(kinds) == {d.kind for d in registry()} - {"outcome_document"}
    assert all(d.symbol.startswith("BSF/") for d in created)
    concept = next(d for d in created if d.kind == "concept_paper")
    assert (
        concept.priority_area.code == "MAR-1" and concept.created_by.email == "nor@concord.example"
    )
    assert {t.language for t in concept.current_version.texts} == {"en", "ru"}


def test_a_forum_working_in_english_and_french_gets_its_demo(fresh):
    lake = SMALL_FORUM.parent / "lake_forum.toml"
    configure(SMALL_FORUM.parents[1] / "workflows_fr", ("en", "fr"))
    try:
        load_profile(fresh, lake)
        created = create_demo(fresh, demo_for(fresh, lake))
        fresh.commit()
    finally:
        configure(None)
    (resolution,) = created
    assert resolution.title_ru == ""  # no Russian title where Russian is not worked in
    assert {t.language for t in resolution.current_version.texts} == {"en", "fr"}


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "forum.demo.toml"
    path.write_text(body, encoding="utf-8")
    return path


ACCOUNT = """
[[accounts]]
key = "sec"
email = "sec@example.org"
name = "Secretariat"
password = "demo-sec-1"
secretariat = true
"""


@pytest.mark.parametrize(
    ("body", "key", "reason"),
    [
        ("[[people]]\nkey = 1\n", "people", "unknown section"),
        (ACCOUNT + "colour = 'blue'\n", "accounts[0].colour", "unknown key"),
        ("[[accounts]]\nkey = 'x'\n", "accounts[0].email", "is required"),
        (ACCOUNT + ACCOUNT, "accounts[1].key", "duplicate key 'sec'"),
        (
            ACCOUNT + "[[documents]]\nby = 'kaz'\nkind = 'x'\ntitle = 'T'\n",
            "documents[0].by",
            "no account has the key 'kaz'",
        ),
        (
            ACCOUNT + "[[documents]]\nby = 'sec'\nkind = 'x'\ntitle = 'T'\n"
            "[[documents.steps]]\ndo = 'dance'\nby = 'sec'\n",
            "documents[0].steps[0].do",
            "must be one of",
        ),
        (
            ACCOUNT + "[[documents]]\nby = 'sec'\nkind = 'x'\ntitle = 'T'\n"
            "[[documents.steps]]\ndo = 'fire'\nby = 'sec'\n",
            "documents[0].steps[0].trigger",
            "is required",
        ),
        (
            ACCOUNT + "[[documents]]\nby = 'sec'\nkind = 'x'\ntitle = 'T'\n"
            "[[documents.steps]]\ndo = 'open_round'\nby = 'sec'\nmode = 'silence'\n"
            "deadline_in = { weeks = 2 }\n",
            "documents[0].steps[0].deadline_in",
            "whole days, hours, minutes",
        ),
        ("accounts = [", "-", "not valid TOML"),
    ],
)
def test_a_bad_demo_file_names_the_file_the_key_and_the_reason(tmp_path, body, key, reason):
    with pytest.raises(DefinitionError) as refused:
        load_demo_file(_write(tmp_path, body))
    assert refused.value.file == "forum.demo.toml"
    assert refused.value.key == key
    assert reason in refused.value.reason


def test_a_step_the_engine_refuses_names_the_step(fresh, tmp_path):
    load_profile(fresh, DEFAULT_PROFILE)
    profile = tmp_path / "forum.toml"
    _write(
        tmp_path,
        ACCOUNT + "[[documents]]\nby = 'sec'\nkind = 'convention'\ntitle = 'C'\ntitle_ru = 'К'\n"
        "threshold = 2\ntexts = { en = 'Text.' }\n"
        "[[documents.steps]]\ndo = 'fire'\nby = 'sec'\ntrigger = 'no_such_step'\n",
    )
    assert demo_file(profile).name == "forum.demo.toml"
    with pytest.raises(DefinitionError) as refused:
        create_demo(fresh, demo_for(fresh, profile))
    assert refused.value.key == "documents[0].steps[0]"
    assert "no_such_step" in refused.value.reason
