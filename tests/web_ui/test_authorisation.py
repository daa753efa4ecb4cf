"""Every route as every role: the status each gets. Rules come from the engine; pages only hide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from web_helpers import NOW, ROLES, sign_in

ANON, OBS, OTHER, STATE, COORD, SEC, ADMIN = ROLES
LOGIN = 302  # anonymous users are sent to the sign-in page


def everyone(status: int, **overrides: int) -> dict[str, int]:
    table = {role: status for role in ROLES}
    table[ANON] = LOGIN
    table.update({key.replace("__", "_"): value for key, value in overrides.items()})
    return table


def only(role: str, status: int = 200) -> dict[str, int]:
    return everyone(403, **{role: status})


# (path template, {role: status}); {concept} etc. are filled from the world.
PAGES = [
    ("/", everyone(200)),
    ("/documents", everyone(200)),
    ("/documents?kind=concept_paper&body=SOC&q=paper", everyone(200)),
    ("/documents/{concept}", everyone(200)),
    ("/documents/{restricted}", everyone(200, observer=404)),
    ("/documents/999999", everyone(404)),
    ("/documents/{concept}/diff?from=1&to=2", everyone(200)),
    ("/documents/{concept}/document.pdf", everyone(200)),
    ("/documents/{restricted}/document.pdf", everyone(200, observer=404)),
    ("/documents/{concept}/diff?from=1&to=9", everyone(404)),
    ("/documents/new", everyone(200, observer=403, administrator=403)),
    ("/documents/{concept}/versions/new", only(COORD)),
    ("/documents/{concept}/translations?language=ru", only(SEC)),
    ("/documents/{restricted}/translations", only(SEC, 200) | {OBS: 404}),
    # A concept paper's process declares no fields of its own: nobody has them to change.
    ("/documents/{concept}/fields", everyone(403)),
    ("/documents/{restricted}/fields", everyone(403, observer=404)),
    ("/rounds/{silence}/position", everyone(200, observer=403, secretariat=403, administrator=403)),
    ("/rounds/{silence}/on-behalf", only(SEC)),
    ("/rounds/{silence}/extend", only(SEC)),
    ("/documents/{application}/rounds/new", only(SEC)),
    ("/documents/{convention}/instruments/new", only(SEC)),
    ("/secretariat/tracker", only(SEC)),
    ("/secretariat/tracker?by=body", only(SEC)),
    ("/secretariat/tracker.csv", only(SEC)),
    ("/secretariat/grid", only(SEC)),
    ("/secretariat/applications/new", only(SEC)),
    ("/account", everyone(200)),
    ("/account/calendar", everyone(200)),
    ("/calendar/{unknown_feed}.ics", everyone(404, anonymous=404)),  # the address is the key
    ("/rounds/{silence}/deadline.ics", everyone(200)),
    ("/rounds/{meeting}/deadline.ics", everyone(404)),  # a meeting has no deadline
    ("/decisions", everyone(200)),
    ("/decisions?body=SOC&year=2025", everyone(200)),
    ("/decisions.csv", everyone(200)),
    ("/decisions/999999", everyone(404)),
    ("/catalogue", everyone(200)),
    ("/catalogue/editions/1", everyone(200)),
    ("/catalogue/editions/99", everyone(404)),
    ("/catalogue/compare?from=1&to=1", everyone(200)),
    ("/documents/{amendment}/catalogue-changes", everyone(200)),
    ("/secretariat/participants/new", only(SEC)),
    ("/users", everyone(403, secretariat=200, administrator=200)),
    (
        "/users?role=delegate&participant=KAZ&active=yes",
        everyone(403, secretariat=200, administrator=200),
    ),
    ("/users/invite", everyone(403, secretariat=200, administrator=200)),
    ("/users/{user}", everyone(403, secretariat=200, administrator=200)),
    ("/users/999999", everyone(403, secretariat=404, administrator=404)),
    ("/password-reset", everyone(200, anonymous=200)),
    ("/password/{unknown_link}", everyone(404, anonymous=404)),
    ("/notifications", everyone(200)),
    ("/outbox", everyone(403, secretariat=200, administrator=200)),
    # The unsubscribe link is its own proof (signed): no sign-in; a forged one is refused.
    ("/notifications/unsubscribe/0", {role: 400 for role in ROLES}),
    # No confirmation is awaited in this round: nobody has one to give.
    ("/rounds/{meeting}/confirm", everyone(403)),
]


def test_the_table_covers_every_page_route(app):
    """A new page without a row in PAGES fails here."""
    import re

    covered = {re.sub(r"\{\w+\}|\d+", "<>", path.split("?")[0]) for path, _ in PAGES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("views.", "auth.")) and "GET" in rule.methods:
            shape = re.sub(r"<[^>]+>", "<>", rule.rule)
            if shape not in covered and shape not in ("/login", "/static/<>"):
                missing.append(rule.rule)
    assert not missing


def _path(template: str, world) -> str:
    return template.format(
        concept=world.concept.id,
        restricted=world.restricted.id,
        application=world.application.id,
        convention=world.convention.id,
        silence=world.silence.id,
        meeting=world.meeting.id,
        amendment=world.amendment.id,
        unknown_feed="cal_unknown",
        user=world.users["observer"].id,
        unknown_link="no-such-link",
    )


def _as(client, world, role: str) -> None:
    if role != ANON:
        assert sign_in(client, world.users[role].email).status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_every_page_as_every_role(client, world, role):
    _as(client, world, role)
    answers = {}
    for template, expected in PAGES:
        response = client.get(_path(template, world))
        answers[template] = (response.status_code, expected[role])
    wrong = {k: v for k, v in answers.items() if v[0] != v[1]}
    assert not wrong, f"{role}: (got, expected) {wrong}"


def _forms(world):
    later = (NOW + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    return {
        "position for China": (
            f"/rounds/{world.silence.id}/position",
            {"participant": "CHN", "kind": "consent"},
        ),
        "withdraw the concept paper": (
            f"/documents/{world.concept.id}/fire",
            {
                "trigger": "withdraw",
                "lock_version": str(world.concept.lock_version),
                "confirmed": "yes",
            },
        ),
        "new version": (
            f"/documents/{world.concept.id}/versions/new",
            {
                "text_en": "# Paper\n\nRevised.",
                "note": "revised",
                "circulate_unchanged": "y",
                "confirmed": "yes",
            },
        ),
        "new concept paper": (
            "/documents/new",
            {
                "kind": "concept_paper",
                "title": "New",
                "title_ru": "Документ",
                "priority_area": "MIL-1",
                "text_en": "x",
            },
        ),
        "close the meeting round": (
            f"/rounds/{world.meeting.id}/close",
            {"note": "agreed", "confirmed": "yes"},
        ),
        "extend the deadline": (
            f"/rounds/{world.silence.id}/extend",
            {"new_deadline": later, "timezone": "Asia/Almaty", "reason": "consultations"},
        ),
        "open a round": (
            f"/documents/{world.application.id}/rounds/new",
            {"mode": "meeting", "timezone": "Asia/Almaty"},
        ),
        "record an instrument": (
            f"/documents/{world.convention.id}/instruments/new",
            {"participant": "KAZ", "kind": "ratification", "deposited_on": "2025-01-10"},
        ),
        "register an application": (
            "/secretariat/applications/new",
            {
                "kind": "observer_application",
                "applicant": "SCO",
                "title": "SCO application",
                "title_ru": "Документ",
            },
        ),
        "declare a translation": (
            f"/documents/{world.concept.id}/translations",
            {
                "translation-language": "ru",
                "translation-text": "# Документ\n\n1. Первое, с поправкой.",
            },
        ),
        "note verbale": (
            f"/rounds/{world.silence.id}/on-behalf",
            {"participant": "CHN", "kind": "consent", "reference": "NV 12/25"},
        ),
        "register an applicant": (
            "/secretariat/participants/new",
            {"kind": "state", "code": "OMN", "name_en": "Oman", "name_ru": "Оман"},
        ),
    }


DONE = 302  # success redirects to the document
ACTIONS = {
    # Only China's delegates speak for China; the Secretariat needs a note verbale reference.
    "position for China": everyone(403, delegate_of_the_state=DONE, secretariat=422),
    "withdraw the concept paper": everyone(403, coordinator=DONE),
    "new version": only(COORD, DONE),
    # A delegate of a state coordinating no area is refused by the engine.
    "new concept paper": everyone(403, coordinator=DONE),
    "close the meeting round": only(SEC, DONE),
    "extend the deadline": only(SEC, DONE),
    "open a round": only(SEC, DONE),
    "record an instrument": only(SEC, DONE),
    "register an application": only(SEC, DONE),
    "note verbale": only(SEC, DONE),
    "declare a translation": only(SEC, DONE),
    "register an applicant": only(SEC, DONE),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_every_action_as_every_role(client, world, role, action):
    _as(client, world, role)
    path, data = _forms(world)[action]
    response = client.post(path, data=data)
    assert response.status_code == ACTIONS[action][role], response.get_data(as_text=True)[-1500:]
    if response.status_code == LOGIN and role == ANON:
        assert "/login" in response.headers["Location"]
