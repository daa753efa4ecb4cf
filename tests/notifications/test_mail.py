"""A real SMTP conversation: what arrives, to whom, in which language, with which headers;
the unsubscribe link followed through the web; retries, failures and digests."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from notify_helpers import SMTP_PASSWORD, SMTP_USER, seed_round, with_settings
from notify_helpers import rows as outbox_rows

from models import NotificationPreference
from web import create_app
from workflow import mail, notifications


def delegates_told(seeded):
    return {seeded.russian_id, seeded.english_id}


def test_without_a_mail_server_messages_stay_in_the_outbox(committed, frozen_clock):
    seeded = seed_round(committed, frozen_clock)
    report = mail.deliver(committed, now=frozen_clock)
    assert report.sent == 0
    waiting = outbox_rows(committed, kind="round_opened")
    assert {n.user_id for n in waiting} >= delegates_told(seeded)
    assert {n.status for n in waiting} == {"pending"}


def test_each_delegate_gets_the_round_in_their_language(committed, frozen_clock, smtp_server):
    mailbox, port = smtp_server
    runtime = with_settings(committed, smtp_host="127.0.0.1", smtp_port=port)
    seeded = seed_round(committed, frozen_clock)
    report = mail.deliver(runtime, now=frozen_clock)
    assert report.sent == len(outbox_rows(committed, kind="round_opened")) >= 2

    with committed.sessions() as session:
        from models import User

        russian = session.get(User, seeded.russian_id)
        english = session.get(User, seeded.english_id)
    by_recipient = {
        e.rcpt_tos[0]: m for e, m in zip(mailbox.envelopes, mailbox.messages, strict=True)
    }
    assert russian.email in by_recipient and english.email in by_recipient
    assert all(e.mail_from == "concord@cica.test" for e in mailbox.envelopes)

    ru = by_recipient[russian.email]
    assert ru["Content-Language"] == "ru"
    assert "открыт раунд (Комитет старших должностных лиц)" in ru["Subject"]
    text_part = ru.get_body(("plain",)).get_content()
    html_part = ru.get_body(("html",)).get_content()
    assert "Уважаемый(ая) Айгуль!" in text_part and "Концептуальная записка о почте" in text_part
    assert "MSK" in text_part or "Москв" in text_part  # the deadline in the delegate's own zone
    assert '<a href="https://concord.test/documents/' in html_part

    en = by_recipient[english.email]
    assert en["Content-Language"] == "en"
    assert "a round opened in the Senior Officials Committee" in en["Subject"]
    assert "Dear Priya," in en.get_body(("plain",)).get_content()

    sent = {n.user_id: n for n in outbox_rows(committed, kind="round_opened")}
    assert sent[seeded.russian_id].status == "sent"
    assert ru["Message-ID"] == sent[seeded.russian_id].message_id
    assert (
        ru["Message-ID"]
        == f"<concord.n{sent[seeded.russian_id].id}.u{seeded.russian_id}@cica.test>"
    )
    assert en["Message-ID"] != ru["Message-ID"]
    assert ru["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ru["List-Unsubscribe"].startswith("<https://concord.test/notifications/unsubscribe/")

    # A second pass sends nothing again.
    assert mail.deliver(runtime, now=frozen_clock).sent == 0
    assert len(mailbox.envelopes) == report.sent


def test_the_unsubscribe_link_works_when_followed(committed, frozen_clock, smtp_server):
    mailbox, port = smtp_server
    runtime = with_settings(committed, smtp_host="127.0.0.1", smtp_port=port)
    seeded = seed_round(committed, frozen_clock)
    mail.deliver(runtime, now=frozen_clock)
    message = next(m for m in mailbox.messages if m["Content-Language"] == "en")
    link = message["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://concord.test")

    app = create_app(runtime=committed)
    client = app.test_client()
    assert client.get(path).status_code == 200  # a page asking to confirm
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with committed.sessions() as session:
        chosen = session.query(NotificationPreference).filter_by(user_id=seeded.english_id).all()
        assert {(p.kind, p.delivery) for p in chosen} == {("round_opened", "off")}
    assert client.post(path.replace("unsubscribe/", "unsubscribe/x")).status_code == 400


def test_starttls_and_authentication(committed, frozen_clock, tls_smtp_server):
    mailbox, port = tls_smtp_server
    runtime = with_settings(
        committed,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="starttls",
        smtp_username=SMTP_USER,
        smtp_password=SMTP_PASSWORD,
    )
    seed_round(committed, frozen_clock)
    report = mail.deliver(runtime, now=frozen_clock)
    assert report.sent >= 2 and len(mailbox.envelopes) == report.sent
    assert mailbox.logins == [SMTP_USER]  # one connection for the pass


def test_a_wrong_password_is_retried_with_back_off_then_failed(
    committed, frozen_clock, tls_smtp_server
):
    _mailbox, port = tls_smtp_server
    runtime = with_settings(
        committed,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="starttls",
        smtp_username=SMTP_USER,
        smtp_password="wrong",
        mail_max_attempts=2,
    )
    seed_round(committed, frozen_clock)
    report = mail.deliver(runtime, now=frozen_clock)
    assert report.retried == 1 and report.sent == 0  # the server is out of reach: stop the pass
    first = [n for n in outbox_rows(committed) if n.attempts][0]
    assert first.status == "pending" and "535" in first.last_error
    assert first.next_attempt_at == frozen_clock + timedelta(minutes=1)
    mail.deliver(runtime, now=frozen_clock)  # the next row's turn; the first's is not yet
    assert [n.attempts for n in outbox_rows(committed)] == [1, 1]
    later = frozen_clock + timedelta(minutes=1)
    mail.deliver(runtime, now=later)
    mail.deliver(runtime, now=later)
    failed = outbox_rows(committed, status="failed")
    assert len(failed) == 2 and {n.attempts for n in failed} == {2}


def test_a_refused_message_is_retried_and_the_others_still_go(committed, frozen_clock, smtp_server):
    mailbox, port = smtp_server
    runtime = with_settings(committed, smtp_host="127.0.0.1", smtp_port=port)
    seed_round(committed, frozen_clock)
    mailbox.refuse = True
    report = mail.deliver(runtime, now=frozen_clock)
    count = len(outbox_rows(committed))
    assert report.retried == count and report.sent == 0
    mailbox.refuse = False
    later = frozen_clock + timedelta(minutes=1)
    assert mail.deliver(runtime, now=later).sent == count
    assert all(n.status == "sent" and n.attempts == 2 for n in outbox_rows(committed))


def test_a_digest_waits_for_eight_in_the_morning_in_the_persons_zone(
    committed, frozen_clock, smtp_server
):
    mailbox, port = smtp_server
    runtime = with_settings(committed, smtp_host="127.0.0.1", smtp_port=port)
    seeded = seed_round(committed, frozen_clock)  # 06:00 UTC: 09:00 in Moscow
    with committed.transaction() as session:
        from models import User

        russian = session.get(User, seeded.russian_id)
        notifications.set_notification_preferences(session, russian, {"round_opened": "digest"})
    report = mail.deliver(runtime, now=frozen_clock)
    assert report.deferred == 1
    assert seeded.russian_id not in {
        e for e in [n.user_id for n in outbox_rows(committed, status="sent")]
    }
    eight_in_moscow = frozen_clock.replace(hour=5) + timedelta(days=1)  # 08:00 MSK next day
    assert mail.deliver(runtime, now=eight_in_moscow - timedelta(minutes=1)).sent == 0
    assert mail.deliver(runtime, now=eight_in_moscow).sent == 1
    digest = mailbox.messages[-1]
    assert digest["Subject"] == "Concord: ежедневная сводка"
    assert digest["Message-ID"].startswith("<concord.digest.")


def test_a_kind_turned_off_is_not_sent(committed, frozen_clock, smtp_server):
    mailbox, port = smtp_server
    runtime = with_settings(committed, smtp_host="127.0.0.1", smtp_port=port)
    seeded = seed_round(committed, frozen_clock)
    with committed.transaction() as session:
        from models import User

        english = session.get(User, seeded.english_id)
        notifications.set_notification_preferences(session, english, {"round_opened": "off"})
    mail.deliver(runtime, now=frozen_clock)
    skipped = outbox_rows(committed, status="skipped")
    assert [n.user_id for n in skipped] == [seeded.english_id]
    assert all("Priya" not in m.get_body(("plain",)).get_content() for m in mailbox.messages)


def test_reminders_and_positions_on_behalf_cannot_be_turned_off(committed, frozen_clock):
    from workflow.errors import InvalidInput

    seeded = seed_round(committed, frozen_clock)
    with committed.transaction() as session:
        from models import User

        user = session.get(User, seeded.english_id)
        for kind in ("reminder", "on_behalf"):
            with pytest.raises(InvalidInput):
                notifications.set_notification_preferences(session, user, {kind: "off"})
        assert notifications.effective("reminder", "off") == "digest"


def test_the_scheduler_delivers_and_only_while_it_leads(committed, frozen_clock, smtp_server):
    from workflow.scheduler import DeadlineScheduler

    mailbox, port = smtp_server
    runtime = with_settings(committed, smtp_host="127.0.0.1", smtp_port=port)
    seed_round(committed, frozen_clock)
    scheduler = DeadlineScheduler(runtime)
    assert scheduler.deliver_mail() is None and mailbox.envelopes == []  # not the leader
    assert scheduler.leadership.acquire()
    try:
        report = scheduler.deliver_mail()
    finally:
        scheduler.leadership.release()
    assert report.sent == len(mailbox.envelopes) >= 2


def test_a_commit_that_notifies_wakes_the_embedded_scheduler_to_send_at_once(
    committed, smtp_server
):
    """`concord serve`'s way: the e-mail goes when the change commits, not at the next
    sweep. A password reset writes no deadline, so only the outbox's own call wakes it."""
    import time

    from bootstrap.runtime import Runtime
    from workflow import accounts, user_admin
    from workflow.scheduler import DeadlineScheduler

    mailbox, port = smtp_server
    sweep = 60  # seconds: the longest sweep interval, so no sweep runs during the test
    settings = dataclasses.replace(
        committed.settings, smtp_host="127.0.0.1", smtp_port=port, sweep_interval_seconds=sweep
    )
    runtime = Runtime(settings=settings, engine=committed.engine, sessions=committed.sessions)
    with runtime.transaction() as session:
        accounts.create_user(
            session, email="wake@cica.test", name="Wake", password="x" * 16, password_policy=False
        )
    scheduler = DeadlineScheduler(runtime)
    scheduler.start()
    try:
        time.sleep(1)  # past the start's own catch-up
        asked = time.monotonic()
        with runtime.transaction() as session:
            user_admin.request_password_reset(session, "wake@cica.test", public_url="https://x")
        while not mailbox.messages and time.monotonic() - asked < sweep / 2:
            time.sleep(0.05)
        waited = time.monotonic() - asked
    finally:
        scheduler.shutdown()
    assert [m["To"] for m in mailbox.messages] == ["Wake <wake@cica.test>"]
    assert waited < sweep / 2
