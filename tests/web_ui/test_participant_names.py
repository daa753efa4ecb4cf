"""States' names in the reader's language wherever the interface shows them: document pages,
the answer grid, the forms' choices and the engine's refusals."""

from __future__ import annotations

import html

from web_helpers import sign_in


def _get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.get_data(as_text=True))


def test_the_document_page_names_the_states_in_the_reader_s_language(client, world):
    assert sign_in(client, world.users["coordinator"].email).status_code == 302
    russian = _get(client, f"/documents/{world.concept.id}?lang=ru")
    assert "Координатор: Казахстан" in russian and "Coordinator: Kazakhstan" not in russian
    english = _get(client, f"/documents/{world.concept.id}?lang=en")
    assert "Coordinator: Kazakhstan" in english and "Казахстан" not in english


def test_the_grid_in_russian(client, world):
    assert sign_in(client, world.users["secretariat"].email).status_code == 302
    grid = _get(client, "/secretariat/grid?lang=ru")
    assert "Китай" in grid and "Объединённые Арабские Эмираты" in grid
    assert ">China<" not in grid


def test_the_position_form_in_russian(client, world):
    assert sign_in(client, world.users["delegate_of_the_state"].email).status_code == 302
    form = _get(client, f"/rounds/{world.silence.id}/position?lang=ru")
    assert "Китай" in form and ">China<" not in form


def test_an_engine_refusal_names_the_state_in_russian(client, world):
    assert sign_in(client, world.users["delegate_of_another_state"].email).status_code == 302
    client.get("/?lang=ru")
    refused = client.post(
        f"/rounds/{world.silence.id}/position", data={"participant": "CHN", "kind": "consent"}
    )
    assert refused.status_code == 403
    page = html.unescape(refused.get_data(as_text=True))
    assert "позицию государства Китай могут регистрировать только его делегаты" in page
