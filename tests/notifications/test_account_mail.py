"""Account links by e-mail, with a real SMTP server: "forgot your password?" sends a
single-use link in the reader's language; followed, it sets the password; once sent, the
link is no longer kept in the outbox; an invitation goes the same way."""

from __future__ import annotations

import re

from notify_helpers import with_settings

from models import Notification, User
from web import create_app
from workflow import accounts, mail, user_admin

NEW_PASSWORD = "granite harbour lantern fog"


def _user(runtime, email: str, language: str | None = None, admin: bool = False) -> int:
    with runtime.transaction() as session:
        user = accounts.create_user(
            session,
            email=email,
            name="Aigul",
            password="x" * 16,
            password_policy=False,
            language=language,
            admin=admin,
        )
        session.flush()
        return user.id


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    committed, frozen_clock, smtp_server
):
    mailbox, port = smtp_server
    runtime = with_settings(committed, smtp_host="127.0.0.1", smtp_port=port)
    user_id = _user(committed, "aigul@cica.test", language="ru")
    app = create_app(runtime=committed)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    asked = client.post("/password-reset", data={"email": "aigul@cica.test"})
    assert asked.status_code == 302

    report = mail.deliver(runtime, now=frozen_clock)
    assert report.sent == 1
    (message,) = mailbox.messages
    assert message["To"].endswith("<aigul@cica.test>") and message["Content-Language"] == "ru"
    assert message["Subject"] == "Concord: ссылка для смены пароля"
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"https://concord\.test/password/\S+", text).group(0)

    path = link.removeprefix("https://concord.test")
    done = client.post(path, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.status_code == 302
    with committed.sessions() as session:
        assert accounts.check_sign_in(session.get(User, user_id), NEW_PASSWORD)
        (row,) = session.query(Notification).filter_by(kind="password_reset").all()
        assert row.status == "sent" and row.payload == {}  # the link is not kept once sent
    assert client.get(path).status_code == 410  # single use


def test_an_invitation_is_emailed_and_not_listed_in_the_app(committed, frozen_clock, smtp_server):
    mailbox, port = smtp_server
    runtime = with_settings(committed, smtp_host="127.0.0.1", smtp_port=port)
    admin_id = _user(committed, "admin@cica.test", admin=True)
    with committed.transaction() as session:
        invited = user_admin.invite_user(
            session,
            session.get(User, admin_id),
            email="new@cica.test",
            name="New Delegate",
            affiliations=[("delegate", "KAZ")],
            public_url="https://concord.test",
        )
        invited_id = invited.user.id
    mail.deliver(runtime, now=frozen_clock)
    (message,) = [m for m in mailbox.messages if "new@cica.test" in m["To"]]
    assert "choose your password" in message["Subject"]
    assert "https://concord.test/password/" in message.get_body(("plain",)).get_content()
    with committed.sessions() as session:
        from workflow import notifications

        invited_user = session.get(User, invited_id)
        assert notifications.for_user(session, invited_user) == []
        assert notifications.unread_count(session, invited_user) == 0
