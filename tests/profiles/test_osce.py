"""The OSCE profile shipped beside CICA runs its own processes with no code of its own:
its participants, words and numbering; a Permanent Council decision through committee and
silence; a mandate that ends when not extended in time; the Unified Budget's provisional
allotments; a decision without the consent of the State concerned."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from isolated_db import isolated_runtime
from sqlalchemy import select
from sqlalchemy.orm import Session

from bootstrap.demo import create_demo, demo_for
from bootstrap.runtime import Runtime
from config.settings import PACKAGE_DIR
from models import (
    Body,
    Decision,
    Document,
    DueAction,
    DueActionKind,
    DueActionStatus,
    Forum,
    OutcomeKind,
    Participant,
    ParticipantStatus,
    Position,
    PositionKind,
    RoundMode,
    User,
)
from web import create_app
from workflow import clock
from workflow import operations as ops
from workflow.accounts import create_user
from workflow.errors import ConcordError
from workflow.firing import Outcome, fire_due
from workflow.registry import configure, registry

OSCE = PACKAGE_DIR / "profiles" / "osce.toml"
OSCE_DEFINITIONS = PACKAGE_DIR / "profiles" / "osce"
TEXTS = {"en": "Draft decision.", "ru": "Проект решения."}
PASSWORD = "osce-test-password-1"


@pytest.fixture
def osce_runtime(engine, tmp_path) -> Iterator[Runtime]:
    """A database of its own holding the OSCE profile, its definitions in use."""
    configure(OSCE_DEFINITIONS, ("en", "ru"))
    try:
        with isolated_runtime(engine, tmp_path, profile=OSCE) as runtime:
            yield runtime
    finally:
        configure(None)


@pytest.fixture
def osce(osce_runtime) -> Iterator[Session]:
    with osce_runtime.sessions() as session:
        yield session


def _delegate(session: Session, code: str) -> User:
    return create_user(
        session, email=f"{code.lower()}@osce.test", name=f"Delegate of {code}",
        password=PASSWORD, delegate_of=[code],
    )


@pytest.fixture
def people(osce):
    secretariat = create_user(
        osce, email="secretariat@osce.test", name="Secretariat", password=PASSWORD,
        secretariat=True,
    )
    return {"secretariat": secretariat} | {
        code: _delegate(osce, code) for code in ("CHE", "AUT", "KAZ", "MDA", "FRA")
    }


def test_the_osce_profile_holds_its_states_partners_bodies_and_words(osce):
    forum = osce.scalar(select(Forum))
    assert (forum.code, forum.timezone, forum.currency, forum.chair) == (
        "OSCE", "Europe/Vienna", "EUR", ["CHE"]
    )
    count = lambda status: len(  # noqa: E731
        list(osce.scalars(select(Participant).where(Participant.status == status)))
    )
    assert count(ParticipantStatus.MEMBER) == 57
    assert count(ParticipantStatus.PARTNER) == 11
    assert forum.word("members", "en") == "participating States"
    assert forum.word("members", "ru") == "государства-участники"
    assert forum.word("partners", "en") == "Partners for Co-operation"
    assert not forum.has_catalogue
    bodies = {b.code: b for b in osce.scalars(select(Body))}
    assert {"PC", "FSC", "MC", "SC", "EEC", "HDC", "ACMF"} == set(bodies)
    assert bodies["PC"].decision_symbol == "PC.DEC/{number}"
    assert {d.kind for d in registry()} == {
        "pc_decision", "mc_decision", "mandate_extension", "unified_budget",
        "consensus_minus_one",
    }
    for definition in registry():  # titled in both working languages
        assert definition.languages >= {"en", "ru"}


def _through_meeting(session, people, document, *, consents=("AUT",), **position):
    round_ = ops.open_round(session, people["secretariat"], document.id, mode=RoundMode.MEETING)
    for code in consents:
        ops.record_position(
            session, people[code], round_.id, participant=code, kind=PositionKind.CONSENT
        )
    if position:
        ops.record_position(session, people[position["participant"]], round_.id, **position)
    return ops.close_round(session, people["secretariat"], round_.id)


def _pc_decision(session, people, title: str):
    document = ops.create_document(
        session, people["CHE"], kind="pc_decision", title=title, title_ru=title, texts=TEXTS,
    )
    ops.fire_trigger(session, people["CHE"], document.id, "to_hdc")
    _through_meeting(session, people, document)
    assert document.state == "pc_consideration"
    closed = _through_meeting(
        session, people, document, participant="KAZ",
        kind=PositionKind.CONSENT_WITH_STATEMENT, statement_kind="interpretative",
        text="Kazakhstan joins the consensus with an interpretative statement.",
    )
    assert closed.outcome is OutcomeKind.CONSENSUS and document.state == "adopted"
    return document


def test_permanent_council_decisions_run_on_and_ministerial_ones_by_year(osce, people):
    first = _pc_decision(osce, people, "Dates of the conference")
    second = _pc_decision(osce, people, "Agenda of the conference")
    symbols = {
        d.document_id: d.symbol for d in osce.scalars(select(Decision).order_by(Decision.id))
    }
    assert symbols[first.id] == "PC.DEC/1" and symbols[second.id] == "PC.DEC/2"
    assert first.symbol.startswith("PC.DD/1/")  # the draft's own series

    ministerial = ops.create_document(
        osce, people["CHE"], kind="mc_decision", title="Partners", title_ru="Партнёры",
        texts=TEXTS,
    )
    ops.fire_trigger(osce, people["CHE"], ministerial.id, "submit")
    _through_meeting(osce, people, ministerial)
    assert ministerial.state == "mc_consideration"
    _through_meeting(osce, people, ministerial)
    decision = osce.scalar(select(Decision).where(Decision.document_id == ministerial.id))
    assert decision.symbol == f"MC.DEC/1/{decision.taken_on.year % 100:02d}"


def test_a_delegate_of_a_state_not_holding_the_chair_cannot_draft_a_council_decision(
    osce, people
):
    with pytest.raises(ConcordError):
        ops.create_document(
            osce, people["AUT"], kind="pc_decision", title="X", title_ru="X", texts=TEXTS,
        )


def _pending(session, document) -> DueAction:
    return session.scalar(
        select(DueAction).where(
            DueAction.document_id == document.id,
            DueAction.kind == DueActionKind.DOCUMENT_DEADLINE,
            DueAction.status == DueActionStatus.PENDING,
        )
    )


def test_a_mandate_not_extended_in_time_ends_at_midnight_in_vienna(osce, people):
    clock.set_now(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    document = ops.create_document(
        osce, people["CHE"], kind="mandate_extension", title="Mission", title_ru="Миссия",
        texts=TEXTS, fields={"host_state": "MDA", "mandate_end": "2026-12-31"},
    )
    ops.fire_trigger(osce, people["CHE"], document.id, "submit")
    round_ = ops.open_round(osce, people["secretariat"], document.id, mode=RoundMode.MEETING)
    action = _pending(osce, document)
    ends = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)  # midnight in Vienna (UTC+1)
    assert action.due_at == ends
    assert fire_due(osce, action.id, now=ends - timedelta(seconds=1)) is Outcome.NOT_DUE
    clock.set_now(ends)
    assert fire_due(osce, action.id, now=ends) is Outcome.FIRED
    assert document.state == "mandate_ended" and round_.outcome is OutcomeKind.VOID
    assert fire_due(osce, action.id, now=ends) is Outcome.NOT_PENDING


def test_a_mandate_extended_in_time_keeps_no_deadline(osce, people):
    document = ops.create_document(
        osce, people["CHE"], kind="mandate_extension", title="Mission", title_ru="Миссия",
        texts=TEXTS, fields={"host_state": "MDA", "mandate_end": "2099-12-31"},
    )
    ops.fire_trigger(osce, people["CHE"], document.id, "submit")
    _through_meeting(osce, people, document, consents=("MDA", "AUT"))
    assert document.state == "extended"
    assert _pending(osce, document) is None
    decision = osce.scalar(select(Decision).where(Decision.document_id == document.id))
    assert decision.symbol == "PC.DEC/1"


def test_the_unified_budget_runs_on_provisional_allotments_until_approved(osce, people):
    secretariat = people["secretariat"]
    clock.set_now(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    budget = ops.create_document(
        osce, secretariat, kind="unified_budget", title="Unified Budget 2027",
        title_ru="Сводный бюджет на 2027 год", texts=TEXTS, budget="138200000",
        fields={"budget_year": 2027, "last_day": "2026-12-31"},
    )
    ops.fire_trigger(osce, secretariat, budget.id, "submit")
    _through_meeting(osce, people, budget)
    assert budget.state == "pc_approval"
    ops.open_round(osce, secretariat, budget.id, mode=RoundMode.MEETING)
    action = _pending(osce, budget)
    clock.set_now(action.due_at)
    assert fire_due(osce, action.id, now=action.due_at) is Outcome.FIRED
    assert budget.state == "provisional"
    ops.fire_trigger(osce, secretariat, budget.id, "resubmit")
    _through_meeting(osce, people, budget)
    assert budget.state == "approved"
    assert _pending(osce, budget) is None  # the late approval is not cut short again


def test_consensus_minus_one_leaves_the_state_concerned_out(osce, people):
    document = ops.create_document(
        osce, people["CHE"], kind="consensus_minus_one", title="Measures",
        title_ru="Меры", texts=TEXTS, fields={"state_concerned": "FRA"},
    )
    ops.fire_trigger(osce, people["CHE"], document.id, "submit")
    round_ = ops.open_round(osce, people["secretariat"], document.id, mode=RoundMode.MEETING)
    electors = {e.participant.code for e in round_.electors}
    assert len(electors) == 56 and "FRA" not in electors
    with pytest.raises(ConcordError):  # the State concerned can neither consent nor block
        ops.record_position(
            osce, people["FRA"], round_.id, participant="FRA", kind=PositionKind.OBJECTION,
            text="France objects.",
        )
    ops.record_position(osce, people["AUT"], round_.id, participant="AUT", kind=PositionKind.CONSENT)
    ops.close_round(osce, people["secretariat"], round_.id)
    assert document.state == "adopted"


def test_the_osce_demo_is_the_osce_s_own(osce):
    demo = demo_for(osce, OSCE)
    assert Path(demo.source).name == "osce.demo.toml"
    created = create_demo(osce, demo)
    osce.commit()
    assert {d.kind for d in created} == {
        "pc_decision", "mandate_extension", "mc_decision", "unified_budget"
    }
    emails = set(osce.scalars(select(User.email)))
    assert {"che@concord.example", "jpn@concord.example"} <= emails
    mandate = next(d for d in created if d.kind == "mandate_extension")
    assert date.fromisoformat(mandate.custom_fields["mandate_end"]) > date.today()
    assert _pending(osce, mandate) is not None


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_osce_pages_speak_the_osce_s_words_zone_and_languages(osce_runtime):
    with osce_runtime.sessions() as session:
        create_demo(session, demo_for(session, OSCE))
        session.commit()
    app = create_app(runtime=osce_runtime)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    login = _text(client.get("/login"))
    assert "participating States" in login and "decision-making bodies" in login
    assert "member state" not in login and "Conference" not in login
    client.post("/login", data={"email": "che@concord.example", "password": "demo-che-1"})
    home = _text(client.get("/"))
    assert "Times are shown in Europe/Vienna." in home
    assert "Chairpersonship: Switzerland." in home
    assert "/catalogue" not in home  # the OSCE keeps no Catalogue
    assert "PC.DD/1/" in home
    with osce_runtime.sessions() as session:
        mandate = session.scalar(select(Document).where(Document.kind == "mandate_extension"))
    page = _text(client.get(f"/documents/{mandate.id}"))
    assert "Host State" in page and "Moldova" in page
    assert "Unless decided in time" in page and "The mandate ends without extension" in page
    russian = _text(client.get(f"/documents/{mandate.id}", headers={"Accept-Language": "ru"}))
    assert "Принимающее государство" in russian and "Молдова" in russian
    assert "Мандат прекращается без продления" in russian
    assert "Председательство: Швейцария." in russian
    budget = _text(client.get("/documents/new"))
    assert "Budget (EUR)" in budget


def _signed_in(runtime, email: str):
    app = create_app(runtime=runtime)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    return client


def _pc_round(session, people):
    """A Permanent Council decision before the Council, its round open."""
    document = ops.create_document(
        session, people["CHE"], kind="pc_decision", title="Agenda", title_ru="Повестка",
        texts=TEXTS,
    )
    ops.fire_trigger(session, people["CHE"], document.id, "to_hdc")
    _through_meeting(session, people, document)
    round_ = ops.open_round(session, people["secretariat"], document.id, mode=RoundMode.MEETING)
    session.commit()
    return document, round_


def _current(session, round_, code: str) -> Position | None:
    session.expire_all()
    return session.scalar(
        select(Position).join(Participant).where(
            Position.round_id == round_.id, Position.is_current, Participant.code == code
        )
    )


def test_the_council_s_position_form_takes_an_interpretative_statement(
    osce_runtime, osce, people
):
    document, round_ = _pc_round(osce, people)
    client = _signed_in(osce_runtime, people["KAZ"].email)
    url = f"/rounds/{round_.id}/position"
    form = _text(client.get(url))
    assert 'name="statement_kind"' in form and "— none —" in form
    assert (
        "Interpretative statement, attached to the decision (Rules of Procedure, IV.1(A)6)"
        in form
    )
    assert "Interpretative statement, in the journal" in form
    russian = _text(client.get(url, headers={"Accept-Language": "ru"}))
    assert "Вид заявления" in russian and "— нет —" in russian
    assert "Интерпретирующее заявление, прилагаемое к решению" in russian

    said = "Kazakhstan reads paragraph 2 as applying to field operations only."
    done = client.post(
        url,
        data={
            "participant": "KAZ",
            "kind": PositionKind.CONSENT_WITH_STATEMENT.value,
            "text": said,
            "statement_kind": "interpretative",
        },
    )
    assert done.status_code == 302, _text(done)
    position = _current(osce, round_, "KAZ")
    assert position.statement_kind == "interpretative" and position.text == said
    page = _text(client.get(f"/documents/{document.id}"))
    assert "(Interpretative statement, attached to the decision)" in page  # the flash
    assert "Interpretative statement, attached to the decision, Rules of Procedure" in page
    again = _text(client.get(url))  # the form shows the kind recorded
    assert '<option selected value="interpretative">' in again


def test_a_kind_of_statement_without_a_text_is_refused_by_its_field(osce_runtime, osce, people):
    _document, round_ = _pc_round(osce, people)
    client = _signed_in(osce_runtime, people["KAZ"].email)
    url = f"/rounds/{round_.id}/position"
    alone = {"participant": "KAZ", "kind": "consent", "statement_kind": "interpretative"}
    refused = client.post(url, data=alone)
    assert refused.status_code == 422
    page = _text(refused)
    assert 'id="field-statement_kind"' in page and "has-error" in page
    assert "a kind of statement goes with the statement&#39;s text" in page
    assert _current(osce, round_, "KAZ") is None
    russian = client.post(url, data=alone, headers={"Accept-Language": "ru"})
    assert "вид заявления указывается вместе с текстом заявления" in _text(russian).lower()
    unknown = client.post(url, data={**alone, "text": "Yes.", "statement_kind": "footnote"})
    assert unknown.status_code == 422 and "unknown kind of statement" in _text(unknown)
    assert _current(osce, round_, "KAZ") is None


def test_the_secretariat_records_an_interpretative_statement_on_a_state_s_behalf(
    osce_runtime, osce, people
):
    _document, round_ = _pc_round(osce, people)
    client = _signed_in(osce_runtime, people["secretariat"].email)
    url = f"/rounds/{round_.id}/on-behalf"
    assert 'name="statement_kind"' in _text(client.get(url))
    done = client.post(
        url,
        data={
            "participant": "MDA",
            "kind": PositionKind.CONSENT_WITH_STATEMENT.value,
            "text": "Moldova joins with a statement for the journal.",
            "statement_kind": "interpretative_journal",
            "reference": "No. 12/345",
        },
    )
    assert done.status_code == 302, _text(done)
    assert _current(osce, round_, "MDA").statement_kind == "interpretative_journal"


def test_moving_the_mandate_s_end_on_its_page_moves_its_deadline(osce_runtime):
    clock.set_now(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    with osce_runtime.sessions() as session:
        chair, austria = _delegate(session, "CHE"), _delegate(session, "AUT")
        document = ops.create_document(
            session, chair, kind="mandate_extension", title="Mission", title_ru="Миссия",
            texts=TEXTS, fields={"host_state": "MDA", "mandate_end": "2026-12-31"},
        )
        session.commit()
        document_id, lock_version = document.id, document.lock_version
        assert _pending(session, document).due_at == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
        emails = chair.email, austria.email
    app = create_app(runtime=osce_runtime)
    app.config["WTF_CSRF_ENABLED"] = False
    url = f"/documents/{document_id}/fields"
    form = {
        "lock_version": str(lock_version),
        "field__mandate_extension__host_state": "MDA",
        "field__mandate_extension__mandate_end": "2027-06-30",
    }

    others = app.test_client()  # a delegate of a State not holding the chair
    others.post("/login", data={"email": emails[1], "password": PASSWORD})
    assert "Edit fields" not in _text(others.get(f"/documents/{document_id}"))
    assert others.get(url).status_code == 403
    assert others.post(url, data=form).status_code == 403

    client = app.test_client()
    client.post("/login", data={"email": emails[0], "password": PASSWORD})
    assert url in _text(client.get(f"/documents/{document_id}"))
    page = _text(client.get(url))
    assert "Mandate ends on (required)" in page and 'value="2026-12-31"' in page
    assert "“Mandate ends on” sets the deadline" in page
    russian = _text(client.get(url, headers={"Accept-Language": "ru"}))
    assert "Мандат истекает (обязательно)" in russian and "Сохранить поля" in russian
    refused = client.post(url, data={**form, "field__mandate_extension__host_state": "ZZZ"})
    assert refused.status_code == 422 and "Host State: unknown code" in _text(refused)
    response = client.post(url, data=form)
    assert response.status_code == 302, _text(response)
    with osce_runtime.sessions() as session:
        document = session.get(Document, document_id)
        assert document.custom_fields["mandate_end"] == "2027-06-30"
        # midnight in Vienna at the end of the new last day (UTC+2 in summer)
        assert _pending(session, document).due_at == datetime(2027, 6, 30, 22, 0, tzinfo=UTC)
    shown = _text(client.get(f"/documents/{document_id}"))
    assert "The mandate ends without extension" in shown and "Fields changed" in shown
