"""Fixtures for notifications: a database of its own (deliveries commit) and a real SMTP
server in the test process (aiosmtpd), with STARTTLS and authentication on request."""

from __future__ import annotations

import ssl
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from notify_helpers import SMTP_PASSWORD, SMTP_USER, free_port  # noqa: E402
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bootstrap.profile import load_profile
from bootstrap.runtime import Runtime
from config.settings import DEFAULT_PROFILE, load_settings
from models import Base
from models.db import make_engine, make_session_factory
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


def _isolated_url(base_url: str, tmp_path: Path) -> tuple[str, str | None]:
    if not base_url.startswith("postgresql"):
        return f"sqlite:///{tmp_path / 'notifications.sqlite3'}", None
    schema = f"notify_{uuid.uuid4().hex[:12]}"
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


@pytest.fixture
def committed(tmp_path, engine) -> Iterator[Runtime]:
    """A runtime on a database of its own with the CICA profile committed; dropped after."""
    url, schema = _isolated_url(engine.url.render_as_string(hide_password=False), tmp_path)
    if schema:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    own_engine = make_engine(url)
    Base.metadata.create_all(own_engine)
    with Session(own_engine) as session:
        load_profile(session, DEFAULT_PROFILE)
        session.commit()
    settings = load_settings(
        environ={},
        env="testing",
        database_url=url,
        instance_path=str(tmp_path / "instance"),
        secret_key="test-secret-key",
        audit_key="test-audit-key",
        mail_from="Concord <concord@cica.test>",
        public_url="https://concord.test",
    )
    runtime = Runtime(
        settings=settings, engine=own_engine, sessions=make_session_factory(own_engine)
    )
    try:
        yield runtime
    finally:
        own_engine.dispose()
        if schema:
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


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
