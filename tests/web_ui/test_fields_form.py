"""The page that changes a document's declared fields: for those who may revise the
document, the same operation and checks as `PATCH /api/v1/documents/{id}/fields`."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from web_helpers import sign_in

from models import AuditEvent, DueAction, DueActionKind, DueActionStatus
from workflow import operations

FIELDS = {
    "state_concerned": "TJK",
    "mandate_end": "2025-06-30",
    "unified_budget": "1250000",
}


@pytest.fixture
def mandate(with_mandates, session, make_user):
    officer = make_user(session, secretariat=True)
    document = operations.create_document(
        session,
        officer,
        kind="mandate_extension",
        title="Extension of the mandate",
        title_ru="Продление мандата",
        texts={"en": "The mandate is extended.", "ru": "Мандат продлевается."},
        fields=FIELDS,
    )
    session.commit()
    return officer, document


def _name(field: str) -> str:
    return f"field__mandate_extension__{field}"


def _form(document, **changes) -> dict[str, str]:
    values = {**document.custom_fields, **changes}
    return {"lock_version": str(document.lock_version)} | {
        _name(field): str(value) for field, value in values.items()
    }


def _deadline(session, document) -> DueAction | None:
    return session.scalar(
        select(DueAction).where(
            DueAction.document_id == document.id,
            DueAction.kind == DueActionKind.DOCUMENT_DEADLINE,
            DueAction.status == DueActionStatus.PENDING,
        )
    )


def test_the_secretariat_changes_a_field_and_the_record_shows_it(mandate, session, client):
    officer, document = mandate
    sign_in(client, officer.email)
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert f'href="/documents/{document.id}/fields"' in page and "Edit fields" in page

    form = client.get(f"/documents/{document.id}/fields")
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert 'name="field__mandate_extension__mandate_end"' in text
    assert 'type="date"' in text and 'value="2025-06-30"' in text  # the current values
    assert '<option value="TJK" selected>' in text
    assert 'value="1250000.00"' in text
    assert "End of the mandate (required)" in text
    assert "“End of the mandate” sets the deadline" in text

    due_before = _deadline(session, document).due_at
    response = client.post(
        f"/documents/{document.id}/fields",
        data=_form(document, mandate_end="2025-12-31", remarks="Extended for six months."),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/documents/{document.id}")
    assert document.custom_fields["mandate_end"] == "2025-12-31"
    assert document.custom_fields["remarks"] == "Extended for six months."
    assert _deadline(session, document).due_at > due_before  # the deadline follows the date

    shown = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "The fields of MAND" in shown and "are changed." in shown
    assert "Extended for six months." in shown
    assert re.search(r"Fields changed</strong>\s*· End of the mandate, Remarks", shown)
    event = session.scalar(
        select(AuditEvent).where(
            AuditEvent.document_id == document.id, AuditEvent.action == "fields_changed"
        )
    )
    assert event.data["changed"] == {
        "mandate_end": ["2025-06-30", "2025-12-31"],
        "remarks": [None, "Extended for six months."],
    }


def test_a_form_with_nothing_changed_writes_nothing(mandate, session, client):
    officer, document = mandate
    sign_in(client, officer.email)
    version = document.lock_version
    response = client.post(f"/documents/{document.id}/fields", data=_form(document))
    assert response.status_code == 302
    assert document.lock_version == version
    assert "Nothing was changed." in client.get(f"/documents/{document.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("mandate_end", "end of June", "End of the mandate: 'end of June' is not a date"),
        ("state_concerned", "XXX", "Host state: unknown code 'XXX'"),
        ("state_concerned", "", "Host state is required"),
        ("unified_budget", "a lot", "Budget: not an amount: 'a lot'"),
    ],
)
def test_a_bad_value_is_a_form_error_and_nothing_changes(
    mandate, session, client, field, value, reason
):
    officer, document = mandate
    sign_in(client, officer.email)
    before, version = dict(document.custom_fields), document.lock_version
    response = client.post(
        f"/documents/{document.id}/fields",
        data=_form(document, **{"remarks": "A valid change beside a bad one.", field: value}),
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f'<p class="error" id="{_name(field)}-error">{reason}' in text.replace("&#39;", "'")
    assert 'aria-invalid="true"' in text
    if field in ("mandate_end", "unified_budget"):
        assert f'value="{value}"' in text  # what was typed stays in the form
    assert "A valid change beside a bad one." in text
    session.expire_all()
    assert document.custom_fields == before and document.lock_version == version
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "fields_changed")) is None


def test_a_form_shown_before_another_change_is_refused(mandate, session, client):
    officer, document = mandate
    sign_in(client, officer.email)
    stale = _form(document, mandate_end="2025-12-31")
    operations.set_fields(session, officer, document.id, {"remarks": "Meanwhile."})
    session.commit()
    response = client.post(f"/documents/{document.id}/fields", data=stale)
    assert response.status_code == 409
    assert "Someone else changed this document" in response.get_data(as_text=True)
    assert document.custom_fields["mandate_end"] == "2025-06-30"


def test_those_who_may_not_revise_get_no_link_and_no_page(mandate, session, make_user, client):
    _officer, document = mandate
    delegate = make_user(session, delegate_of=["CHN"])
    session.commit()
    sign_in(client, delegate.email)
    page = client.get(f"/documents/{document.id}")
    assert page.status_code == 200
    assert "Edit fields" not in page.get_data(as_text=True)
    assert client.get(f"/documents/{document.id}/fields").status_code == 403
    response = client.post(
        f"/documents/{document.id}/fields", data=_form(document, mandate_end="2025-12-31")
    )
    assert response.status_code == 403
    assert document.custom_fields["mandate_end"] == "2025-06-30"


def test_a_document_without_declared_fields_has_no_fields_page(world, client):
    officer = world.users["secretariat"]
    sign_in(client, officer.email)
    page = client.get(f"/documents/{world.concept.id}").get_data(as_text=True)
    assert "Edit fields" not in page
    assert client.get(f"/documents/{world.concept.id}/fields").status_code == 403


def test_the_russian_fields_page_speaks_russian(mandate, session, client):
    officer, document = mandate
    sign_in(client, officer.email)
    russian = {"Accept-Language": "ru"}
    page = client.get(f"/documents/{document.id}", headers=russian).get_data(as_text=True)
    assert "Изменить поля" in page
    form = client.get(f"/documents/{document.id}/fields", headers=russian)
    text = form.get_data(as_text=True)
    assert "Окончание мандата (обязательно)" in text and "Принимающее государство" in text
    assert "Edit fields" not in text and "Save the fields" not in text
    bad = client.post(
        f"/documents/{document.id}/fields",
        data=_form(document, mandate_end="конец июня"),
        headers=russian,
    ).get_data(as_text=True)
    assert "Окончание мандата:" in bad and "is not a date" not in bad
