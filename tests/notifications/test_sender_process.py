"""The sender as a real process: `concord mail deliver` killed with SIGKILL while the server
holds a message, then run again: nothing lost, at most that one message twice, with the
same Message-ID. Also `concord mail test` and `concord notifications list`."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from notify_helpers import PASSWORD, free_port, seed_round
from notify_helpers import rows as outbox_rows

from workflow import clock
from workflow.accounts import create_user

HELD_AT = 5  # the server holds the fifth message without answering


class HoldingMailbox:
    def __init__(self):
        self.envelopes = []
        self.hold = True
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)  # the server has it; the sender will not hear so
        if self.hold and len(self.envelopes) == HELD_AT:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "250 2.0.0 Queued"

    def message_ids(self) -> list[str]:
        return [
            message_from_bytes(e.content, policy=policy.default)["Message-ID"]
            for e in self.envelopes
        ]


@pytest.fixture
def concord(committed, tmp_path):
    def run(*args: str, port: int = 0, start: bool = False):
        environ = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
        environ.update(
            CONCORD_DATABASE_URL=committed.settings.sqlalchemy_url,
            CONCORD_INSTANCE_PATH=str(tmp_path / "instance"),
            CONCORD_ENV="testing",
            CONCORD_SECRET_KEY="test-secret-key",
            CONCORD_AUDIT_KEY="test-audit-key",
            CONCORD_MAIL_FROM="concord@cica.test",
        )
        if port:
            environ.update(CONCORD_SMTP_HOST="127.0.0.1", CONCORD_SMTP_PORT=str(port))
        command = [sys.executable, "-c", "from cli import main; main()", *args]
        if start:
            return subprocess.Popen(
                command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
        return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=120)

    return run


def many_delegates(committed, now, count: int = 12) -> None:
    tag = uuid.uuid4().hex[:6]
    with clock.frozen_at(now), committed.transaction() as session:
        for number in range(count):
            create_user(
                session,
                email=f"d{number}-{tag}@cica.test",
                name=f"Delegate {number}",
                password=PASSWORD,
                delegate_of=("CHN",),
                password_policy=False,
            )


def test_a_sender_killed_mid_batch_loses_nothing_and_resends_only_the_one_in_flight(
    committed, concord
):
    now = datetime.now(UTC).replace(microsecond=0)
    many_delegates(committed, now)
    seed_round(committed, now)
    expected = len(outbox_rows(committed))
    assert expected > HELD_AT + 2

    mailbox = HoldingMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        sender = concord("mail", "deliver", port=controller.port, start=True)
        try:
            assert mailbox.holding.wait(timeout=120), sender.stdout.read() if sender.poll() else ""
            sender.send_signal(signal.SIGKILL)
            sender.wait(timeout=30)
        finally:
            if sender.poll() is None:
                sender.kill()
            sender.stdout.close()
        mailbox.release.set()
        time.sleep(0.1)
        assert len(outbox_rows(committed, status="sent")) == HELD_AT - 1  # committed before
        mailbox.hold = False

        again = concord("mail", "deliver", port=controller.port)
        assert again.returncode == 0, again.stderr
    finally:
        controller.stop()

    rows = outbox_rows(committed)
    assert {n.status for n in rows} == {"sent"}
    received = Counter(mailbox.message_ids())
    assert set(received) == {n.message_id for n in rows}  # nothing lost
    twice = [mid for mid, count in received.items() if count > 1]
    assert len(twice) == 1 and received[twice[0]] == 2  # the one in flight, same Message-ID
    assert sum(received.values()) == expected + 1


def test_mail_test_reports_the_servers_answer(concord, smtp_server):
    mailbox, port = smtp_server
    result = concord("mail", "test", "--to", "someone@cica.test", port=port)
    assert result.returncode == 0, result.stderr
    assert "250 2.0.0 Queued as TEST" in result.stdout
    assert mailbox.envelopes[0].rcpt_tos == ["someone@cica.test"]


def test_mail_test_fails_in_one_line(concord):
    unreachable = concord("mail", "test", "--to", "someone@cica.test", port=free_port())
    assert unreachable.returncode != 0
    assert len(unreachable.stderr.strip().splitlines()) == 1
    assert "not sent" in unreachable.stderr
    no_server = concord("mail", "test", "--to", "someone@cica.test")
    assert no_server.returncode != 0 and "smtp_host" in no_server.stderr
    assert len(no_server.stderr.strip().splitlines()) == 1


def test_notifications_list_shows_the_outbox(committed, concord):
    seed_round(committed, datetime.now(UTC))
    listed = concord("notifications", "list")
    assert listed.returncode == 0, listed.stderr
    assert "round_opened" in listed.stdout and "pending" in listed.stdout
    refused = concord("notifications", "list", "--status", "lost")
    assert refused.returncode != 0 and len(refused.stderr.strip().splitlines()) == 1
