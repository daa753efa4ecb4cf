"""Every page issues a bounded number of SQL queries, whatever the data size.

Each page is counted on the small world, then again after the data grew; the
counts must not change and stay within the budget. The tracker and the answer
grid are then rendered for 193 states and 200 open rounds within the same
budget (the time taken is printed, never asserted).
"""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import insert, select
from web_helpers import NOW, sign_in

from models import (
    Body,
    Document,
    EntryChannel,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Position,
    PositionKind,
    Round,
    RoundElector,
    RoundMode,
    RoundStatus,
    Version,
)
from workflow import operations

BUDGET = 20  # queries per page, sign-in (user and affiliations) included


def delegate_pages(world):
    concept, silence = world.concept.id, world.silence.id
    return [
        "/",
        "/documents",
        "/documents?kind=concept_paper&body=SOC&priority_area=MIL-1&q=paper",
        f"/documents/{concept}",
        f"/documents/{concept}/diff?from=1&to=2",
        f"/rounds/{silence}/position",
    ]


def secretariat_pages(world):
    return [
        "/",
        "/secretariat/tracker",
        "/secretariat/tracker?by=body",
        "/secretariat/tracker.csv",
        "/secretariat/grid",
        f"/rounds/{world.silence.id}/on-behalf",
        f"/documents/{world.concept.id}",
    ]


def measure(client, count_queries, paths) -> dict[str, int]:
    counts = {}
    for path in paths:
        counter = count_queries()
        response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = counter.count
        counter.count = 0
    return counts


def grow(session, world, make_user, copies: int = 12) -> None:
    """More documents, rounds, versions and positions everywhere, including on the pages measured."""
    officer, kaz = world.users["secretariat"], world.users["coordinator"]
    codes = session.scalars(
        select(Participant.code).where(Participant.status == ParticipantStatus.MEMBER)
    ).all()
    for code in codes[:20]:
        if code not in ("CHN", "IND"):
            operations.record_position(
                session,
                officer,
                world.silence.id,
                participant=code,
                kind=PositionKind.CONSENT_WITH_STATEMENT,
                text="Agreed.",
                reference=f"NV {code}",
            )
    for number in range(copies):
        document = operations.create_document(
            session,
            kaz,
            kind="concept_paper",
            title=f"Paper {number}",
            title_ru="Документ",
            priority_area="MIL-1",
            texts={"en": f"Text {number}", "ru": f"Текст {number}"},
        )
        operations.add_version(
            session, kaz, document.id, texts={"en": f"Text {number} rev"}, circulate_unchanged=True
        )
        operations.fire_trigger(session, kaz, document.id, "submit")
        swg = operations.open_round(session, officer, document.id, mode=RoundMode.MEETING)
        operations.record_position(session, kaz, swg.id, participant="KAZ", kind="consent")
        if number % 2:
            operations.close_round(session, officer, swg.id)
    session.commit()


def test_page_queries_do_not_grow_with_the_data(client, world, session, make_user, count_queries):
    sign_in(client, world.users["delegate_of_the_state"].email)
    small_delegate = measure(client, count_queries, delegate_pages(world))
    client.post("/logout")
    sign_in(client, world.users["secretariat"].email)
    small_secretariat = measure(client, count_queries, secretariat_pages(world))
    client.post("/logout")

    grow(session, world, make_user)

    sign_in(client, world.users["delegate_of_the_state"].email)
    large_delegate = measure(client, count_queries, delegate_pages(world))
    client.post("/logout")
    sign_in(client, world.users["secretariat"].email)
    large_secretariat = measure(client, count_queries, secretariat_pages(world))

    print("\nqueries per page (small data, large data):")
    for small, large in ((small_delegate, large_delegate), (small_secretariat, large_secretariat)):
        for path in small:
            print(f"  {path:70} {small[path]:3} {large[path]:3}")
    assert large_delegate == small_delegate
    assert large_secretariat == small_secretariat
    assert max([*large_delegate.values(), *large_secretariat.values()]) <= BUDGET


def add_states_and_rounds(session, states: int = 193, rounds: int = 200) -> None:
    """Bulk rows for the tracker: `states` member states, `rounds` open rounds, half answered."""
    existing = session.scalars(
        select(Participant).where(Participant.status == ParticipantStatus.MEMBER)
    ).all()
    extra = states - len(existing)
    session.execute(
        insert(Participant),
        [
            {
                "code": f"X{number:04d}",
                "kind": ParticipantKind.STATE,
                "status": ParticipantStatus.MEMBER,
                "name_en": f"State {number:04d}",
                "name_ru": f"Государство {number:04d}",
            }
            for number in range(extra)
        ],
    )
    member_ids = session.scalars(
        select(Participant.id).where(Participant.status == ParticipantStatus.MEMBER)
    ).all()
    assert len(member_ids) == states
    soc = session.scalar(select(Body).where(Body.code == "SOC"))
    documents = [
        Document(
            kind="concept_paper",
            definition_version=1,
            symbol=f"BULK/CP/{number}",
            title=f"Bulk paper {number}",
            state="soc_consideration",
            attributes={},
            created_at=NOW,
            updated_at=NOW,
            versions=[Version(number=1, created_at=NOW)],
        )
        for number in range(rounds)
    ]
    session.add_all(documents)
    session.flush()
    round_rows = [
        Round(
            document_id=document.id,
            version_id=document.versions[0].id,
            body_id=soc.id,
            document_state="soc_consideration",
            mode=RoundMode.SILENCE,
            status=RoundStatus.OPEN,
            opened_at=NOW - timedelta(days=3),
            # the first ten are overdue
            deadline_at=NOW + timedelta(hours=number - 10, minutes=30),
            deadline_timezone="Asia/Almaty",
        )
        for number, document in enumerate(documents)
    ]
    session.add_all(round_rows)
    session.flush()
    session.execute(
        insert(RoundElector),
        [{"round_id": r.id, "participant_id": p} for r in round_rows for p in member_ids],
    )
    session.execute(
        insert(Position),
        [
            {
                "round_id": r.id,
                "participant_id": p,
                "kind": PositionKind.OBJECTION if index == 0 else PositionKind.CONSENT,
                "text": "No." if index == 0 else "",
                "amendment": "",
                "reference": "",
                "channel": EntryChannel.DELEGATE,
                "recorded_at": NOW,
                "is_current": True,
            }
            for r in round_rows
            for index, p in enumerate(member_ids[: states // 2])
        ],
    )
    session.commit()


def test_tracker_for_193_states_and_200_open_rounds_stays_in_budget(
    client, world, session, count_queries
):
    sign_in(client, world.users["secretariat"].email)
    pages = ["/secretariat/tracker", "/secretariat/grid", "/secretariat/tracker.csv"]
    baseline = {}
    for path in pages:
        started = time.perf_counter()
        client.get(path)
        baseline[path] = time.perf_counter() - started

    add_states_and_rounds(session)

    print("\n193 states x 200 open rounds: queries, time, ratio to the small world")
    for path in pages:
        counter = count_queries()
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200
        assert counter.count <= BUDGET, (path, counter.count)
        print(
            f"  {path:28} {counter.count:3} queries {elapsed * 1000:8.1f} ms"
            f"  x{elapsed / baseline[path]:6.1f}"
        )
    tracker = client.get("/secretariat/tracker").get_data(as_text=True)
    assert tracker.count('<tr class="overdue"') == 10
    # The grid shows 20 rounds a page; its pages together show every open round.
    pages = []
    while not pages or 'rel="next"' in pages[-1]:
        pages.append(client.get(f"/secretariat/grid?page={len(pages) + 1}").get_data(as_text=True))
    assert len(pages) == 11  # 202 open rounds
    assert pages[0].count('<th class="col">') == 20
    grid = "".join(pages)
    assert grid.count('<td class="cell objected">') == 200
    # the bulk rounds, and the world's two open rounds (28 states, none answered yet)
    assert grid.count('<td class="cell pending">') == 200 * (193 - 96) + 2 * 28
    csv_rows = client.get("/secretariat/tracker.csv").get_data(as_text=True).splitlines()
    assert len(csv_rows) == 1 + 202
