"""The notifications page, the unread count, marking read, preferences, the outbox page."""

from __future__ import annotations

from sqlalchemy import select
from web_helpers import sign_in

from models import Notification, NotificationPreference


def notices(session, user):
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_a_delegate_sees_the_rounds_opened_and_marks_them_read(client, session, world):
    delegate = world.users["delegate_of_another_state"]
    rows = notices(session, delegate)
    assert rows, "opening the world's rounds told the delegate"
    sign_in(client, delegate.email)
    page = client.get("/notifications")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="unread-count"' in text and f">{len(rows)}<" in text
    assert world.concept.symbol in text
    one = rows[0]
    assert client.post(f"/notifications/{one.id}/read").status_code == 302
    session.refresh(one)
    assert one.read_at is not None
    client.post("/notifications/read-all")
    assert all(n.read_at is not None for n in notices(session, delegate))
    assert 'id="unread-count"' not in client.get("/notifications").get_data(as_text=True)


def test_no_one_marks_another_persons_notification(client, session, world):
    theirs = notices(session, world.users["delegate_of_another_state"])[0]
    sign_in(client, world.users["coordinator"].email)
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    session.refresh(theirs)
    assert theirs.read_at is None


def test_the_notifications_page_in_russian(client, world):
    sign_in(client, world.users["delegate_of_another_state"].email)
    text = client.get("/notifications?lang=ru").get_data(as_text=True)
    assert "Уведомления" in text


def test_preferences_on_the_account_page(client, session, world):
    delegate = world.users["delegate_of_another_state"]
    sign_in(client, delegate.email)
    assert 'id="notifications"' in client.get("/account").get_data(as_text=True)
    saved = client.post(
        "/account/notifications",
        data={"kind-round_opened": "digest", "kind-round_closed": "off", "kind-reminder": "digest"},
    )
    assert saved.status_code == 302
    chosen = dict(
        session.execute(
            select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.user_id == delegate.id
            )
        ).all()
    )
    assert chosen["round_opened"] == "digest" and chosen["round_closed"] == "off"
    assert "silence_broken" not in chosen  # nothing chosen: immediately
    from workflow import notifications

    assert notifications.preferences(session, delegate.id)["silence_broken"] == "immediately"


def test_a_reminder_cannot_be_turned_off(client, session, world):
    sign_in(client, world.users["delegate_of_another_state"].email)
    refused = client.post("/account/notifications", data={"kind-reminder": "off"})
    assert refused.status_code == 422
    assert "cannot be turned off" in refused.get_data(as_text=True)


def test_the_outbox_is_for_the_secretariat_and_administrators(client, world):
    sign_in(client, world.users["delegate_of_another_state"].email)
    assert client.get("/outbox").status_code == 403
    client.post("/logout")
    sign_in(client, world.users["secretariat"].email)
    page = client.get("/outbox")
    assert page.status_code == 200
    assert world.users["delegate_of_another_state"].email in page.get_data(as_text=True)
    assert client.get("/outbox?status=failed").status_code == 200
    assert client.get("/outbox?status=nonsense").status_code == 400
