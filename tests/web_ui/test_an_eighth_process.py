"""An eighth process needs one TOML file and at most one guard or effect: no other code.

The definition lives in test data only (tests/data/workflows/chair_statement.toml);
its one effect is registered here. It runs through the engine, the pages and the API
exactly like the seven shipped processes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from web_helpers import sign_in

from config.settings import DEFAULT_WORKFLOWS
from models import OutcomeKind, PositionKind, RoundMode
from workflow import effects, operations, times
from workflow.errors import GuardFailed
from workflow.registry import configure

EIGHTH = Path(__file__).parent.parent / "data" / "workflows" / "chair_statement.toml"
TEXTS = {"en": "The Chair welcomes the progress made.", "ru": "Председатель приветствует прогресс."}


def stamp_issue(ctx):
    """The process's one effect: the day the statement was issued, kept on the document."""
    issued_on = times.today(ctx.session).isoformat()
    effects.set_attributes(ctx.document, issued_on=issued_on)
    return {"issued_on": issued_on}


@pytest.fixture
def eight_processes(app, tmp_path, monkeypatch):
    """The shipped seven and the eighth (after the app, whose start loads the settings' folder)."""
    folder = tmp_path / "workflows"
    shutil.copytree(DEFAULT_WORKFLOWS, folder, ignore=shutil.ignore_patterns("*.md"))
    shutil.copy(EIGHTH, folder)
    monkeypatch.setitem(effects.EFFECTS, "stamp_issue", stamp_issue)
    registry = configure(folder)
    yield registry
    configure(None)


def test_an_eighth_process_runs_from_a_toml_file_and_one_effect(
    eight_processes, session, make_user, client
):
    assert len(eight_processes.kinds) == 8
    officer = make_user(session, secretariat=True)
    delegates = {code: make_user(session, delegate_of=[code]) for code in ("KAZ", "CHN")}

    statement = operations.create_document(
        session,
        officer,
        kind="chair_statement",
        title="Statement on the SOC retreat",
        title_ru="Документ",
        texts=TEXTS,
    )
    assert statement.symbol.split("/")[1] == "CHS"
    operations.fire_trigger(session, officer, statement.id, "circulate")
    meeting = operations.open_round(session, officer, statement.id, mode=RoundMode.MEETING)
    operations.record_position(
        session, delegates["KAZ"], meeting.id, participant="KAZ", kind=PositionKind.CONSENT
    )
    operations.record_position(
        session,
        delegates["CHN"],
        meeting.id,
        participant="CHN",
        kind=PositionKind.CONSENT_WITH_STATEMENT,
        text="China reads the statement as the Chair's own.",
    )
    operations.close_round(session, officer, meeting.id)

    assert meeting.outcome is OutcomeKind.CONSENSUS
    assert statement.state == "issued"
    assert statement.attributes["issued_on"] == times.today(session).isoformat()
    session.commit()

    # The pages and the API know it with no code of theirs.
    sign_in(client, officer.email)
    page = client.get(f"/documents/{statement.id}").get_data(as_text=True)
    assert "Statement of the Chair" in page and "Issued" in page
    listed = client.get("/documents?kind=chair_statement").get_data(as_text=True)
    assert statement.symbol in listed


def test_its_guards_and_irreversible_step_come_from_the_file(eight_processes, session, make_user):
    officer = make_user(session, secretariat=True)
    statement = operations.create_document(
        session, officer, kind="chair_statement", title="A second statement", title_ru="Документ"
    )
    with pytest.raises(GuardFailed, match="no text yet"):
        operations.fire_trigger(session, officer, statement.id, "circulate")
    drop = eight_processes.get("chair_statement").transitions_from("drafting", "drop")[0]
    assert drop.irreversible
    with pytest.raises(GuardFailed, match="comment"):
        operations.fire_trigger(session, officer, statement.id, "drop")
    operations.fire_trigger(session, officer, statement.id, "drop", comment="Overtaken by events")
    assert statement.state == "dropped"
