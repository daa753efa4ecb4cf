"""Fixtures for notifications: a database of its own (deliveries commit) and a real SMTP
server in the test process (aiosmtpd), with STARTTLS and authentication on request."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from isolated_db import isolated_runtime
from notify_helpers import SMTP_PASSWORD, SMTP_USER, free_port  # noqa: E402

from bootstrap.runtime import Runtime
from workflow import clock
from workflow.registry import configure

NOW = datetime(2025, 3, 10, 6, 0, tzinfo=UTC)  # 11:00 in Astana
TEXTS = {"en": "Draft text.", "ru": "Проект текста."}


@pytest.fixture(autouse=True)
def _definitions():
    configure(None)
    yield


@pytest.fixture
def frozen_clock():
    clock.set_now(NOW)
    yield NOW
    clock.set_now(None)


@pytest.fixture
def committed(tmp_path, engine) -> Iterator[Runtime]:
    """A runtime on a database of its own with the default profile committed; dropped after."""
    with isolated_runtime(
        engine, tmp_path, mail_from="Concord <concord@cica.test>", public_url="https://concord.test"
    ) as runtime:
        yield runtime


@dataclass
class Mailbox:
    """What the in-process SMTP server received; `refuse` makes it answer 451 to DATA."""

    envelopes: list = field(default_factory=list)
    refuse: bool = False
    logins: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 Try again later"
        self.envelopes.append(envelope)
        return "250 2.0.0 Queued as TEST"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


@pytest.fixture
def smtp_server():
    """A plain SMTP server: (mailbox, port)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def tls_smtp_server(monkeypatch):
    """An SMTP server that requires STARTTLS, then AUTH, with a certificate of a test CA the
    sender is made to trust: (mailbox, port)."""
    import trustme

    from workflow import mail

    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    monkeypatch.setattr(mail, "tls_context", lambda: client_context)
    mailbox = Mailbox()

    def authenticate(_server, _session, _envelope, _mechanism, auth_data):
        login, password = auth_data.login.decode(), auth_data.password.decode()
        mailbox.logins.append(login)
        return AuthResult(success=(login, password) == (SMTP_USER, SMTP_PASSWORD), handled=False)

    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=server_context,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
        auth_exclude_mechanism=["LOGIN"],  # PLAIN only: a refusal is one answer, not a dialogue
    )
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()
