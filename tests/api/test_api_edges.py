"""The API's edges: ids, body size, headers, and problems in the caller's language."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/documents/9999999999999999999",
        "/documents/2147483648/history",
        "/rounds/9999999999999999999",
        "/documents/٤",
        "/decisions/４",
    ],
)
def test_ids_out_of_range_or_not_ascii_are_404_problems(roles, path):
    response = roles.secretariat.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_a_position_for_round_four_in_arabic_indic_digits_is_not_round_four(roles, swg_round):
    digits = "".join(chr(0x0660 + int(d)) for d in str(swg_round["id"]))
    body = {"participant": "KAZ", "kind": "consent"}
    response = roles.state_delegate.post(f"/rounds/{digits}/positions", body)
    assert response.status_code == 404
    assert roles.state_delegate.get(f"/rounds/{swg_round['id']}").get_json()["positions"] == []


def test_a_body_over_the_limit_is_a_413_problem(roles, concept_paper):
    response = roles.coordinator.post(
        f"/documents/{concept_paper['id']}/versions",
        data=b'{"texts": {"en": "' + b"x" * (2 * 1024 * 1024) + b'"}}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["title"] == "Content Too Large"
    assert "2097152" in problem["detail"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_json_answers_say_nosniff(roles):
    assert roles.secretariat.get("/me").headers["X-Content-Type-Options"] == "nosniff"
    assert roles.anonymous.get("/me").headers["X-Content-Type-Options"] == "nosniff"


RUSSIAN = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}


def test_problems_are_in_english_by_default(roles):
    problem = roles.secretariat.get("/documents/12345").get_json()
    assert problem["title"] == "Not Found"
    assert problem["detail"] == "no document 12345"
    assert problem["type"] == "urn:concord:problem:not-found"


@pytest.mark.parametrize(
    ("call", "status", "title", "detail"),
    [
        (
            lambda r: r.secretariat.get("/documents/12345", RUSSIAN),
            404,
            "Не найдено",
            "документ 12345 не найден",
        ),
        (
            lambda r: r.anonymous.get("/me", RUSSIAN),
            401,
            "Требуется аутентификация",
            "требуется токен API",
        ),
        (
            lambda r: r.secretariat.send("DELETE", "/me", headers=RUSSIAN),
            405,
            "Метод не разрешён",
            "метод DELETE не разрешён",
        ),
        (
            lambda r: r.coordinator.post(
                "/documents", data="{", content_type="application/json", headers=RUSSIAN
            ),
            400,
            "Неверный запрос",
            "не является корректным JSON",
        ),
        (
            lambda r: r.coordinator.post("/documents", {"kind": "concept_paper"}, headers=RUSSIAN),
            422,
            "Данные не могут быть обработаны",
            "Обязательное поле",
        ),
        (
            lambda r: r.coordinator.post(
                "/documents", data="x", content_type="text/plain", headers=RUSSIAN
            ),
            415,
            "Неподдерживаемый тип данных",
            "в формате application/json",
        ),
    ],
)
def test_problems_follow_accept_language(roles, call, status, title, detail):
    response = call(roles)
    assert response.status_code == status
    problem = response.get_json()
    assert problem["title"] == title
    assert detail in problem["detail"]


def test_a_schema_error_lists_each_field_in_russian(roles):
    response = roles.coordinator.post("/documents", {"kind": "concept_paper"}, headers=RUSSIAN)
    errors = response.get_json()["errors"]
    assert {"field": "title", "message": "Обязательное поле"} in errors


def test_an_engine_refusal_is_translated_with_its_values(roles, concept_paper):
    path = f"/documents/{concept_paper['id']}/transitions"
    english = roles.coordinator.post(path, {"trigger": "approve"}).get_json()
    russian = roles.coordinator.post(path, {"trigger": "approve"}, headers=RUSSIAN).get_json()
    assert english["status"] == russian["status"] == 409
    assert english["detail"].startswith("'approve' is not possible in state 'drafting'")
    assert russian["detail"].startswith("Действие «approve» невозможно в состоянии «drafting»")
    assert russian["title"] == "Конфликт" and english["title"] == "Conflict"
    assert russian["allowed_triggers"] == english["allowed_triggers"]  # data stay as they are


def test_an_unknown_language_falls_back_to_english(roles):
    problem = roles.secretariat.get("/documents/12345", {"Accept-Language": "fr"}).get_json()
    assert problem["title"] == "Not Found" and problem["detail"] == "no document 12345"
