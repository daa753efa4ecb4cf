"""`concord notifications list`, `concord mail test` and `concord mail deliver`."""

from __future__ import annotations

import smtplib

import click
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cli.context import open_session, runtime
from models import Notification
from models.notification import STATUSES
from workflow import mail


@click.group("notifications")
def notifications_group() -> None:
    """The notification outbox (what people are told, by e-mail and in the app)."""


@notifications_group.command("list")
@click.option("--status", default=None, help=f"Only these: {', '.join(STATUSES)}.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1))
def notifications_list(status: str | None, limit: int) -> None:
    """The outbox, newest first: recipient, kind, document, status, attempts, last error."""
    if status is not None and status not in STATUSES:
        raise click.ClickException(
            f"unknown status {status!r}: choose one of {', '.join(STATUSES)}"
        )
    query = (
        select(Notification)
        .options(joinedload(Notification.user))
        .order_by(Notification.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(Notification.status == status)
    with open_session() as session:
        rows = list(session.scalars(query))
        if not rows:
            click.echo("The outbox is empty.")
            return
        for row in rows:
            error = f"  {row.last_error}" if row.last_error else ""
            click.echo(
                f"{row.id:>6}  {row.created_at:%Y-%m-%d %H:%M}Z  {row.status:<9} "
                f"{row.kind:<17} {row.payload.get('symbol', ''):<16} {row.user.email} "
                f"[{row.language}] attempts {row.attempts}{error}"
            )


@click.group("mail")
def mail_group() -> None:
    """E-mail: check the settings, deliver the outbox once."""


@mail_group.command("test")
@click.option("--to", "to", required=True, help="The address the test message goes to.")
def mail_test(to: str) -> None:
    """Send one message with the smtp_* settings and print the server's answer."""
    if "@" not in to:
        raise click.ClickException(f"{to!r} is not an e-mail address")
    try:
        answer = mail.send_test(runtime().settings, to)
    except (smtplib.SMTPException, OSError) as error:
        raise click.ClickException(f"the message was not sent: {error}") from None
    click.echo(f"sent to {to}; the server answered: {answer}")


@mail_group.command("deliver")
def mail_deliver() -> None:
    """One delivery pass (the scheduler makes one every sweep): reminders due, then e-mail."""
    click.echo(str(mail.deliver(runtime())))


def register(cli: click.Group) -> None:
    cli.add_command(notifications_group)
    cli.add_command(mail_group)
