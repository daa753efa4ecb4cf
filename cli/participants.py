"""participants register, participants list."""

from __future__ import annotations

import click
from sqlalchemy import select

from cli.context import open_session
from models import Participant, ParticipantStatus
from workflow import operations
from workflow.accounts import secretariat_user


@click.group("participants")
def participants_group() -> None:
    """States and organisations of the forum."""


@participants_group.command("register")
@click.option("--code", required=True, help="A state's ISO 3166 alpha-3 code; an organisation's.")
@click.option("--kind", type=click.Choice(["state", "organisation"]), default="state")
@click.option("--name-en", "name_en", required=True)
@click.option(
    "--name-ru", "name_ru", default="", help="Required where Russian is a working language."
)
@click.option("--received-on", "received_on", default=None, help="YYYY-MM-DD (default today).")
@click.option("--as", "acting", required=True, help="E-mail of the Secretariat officer acting.")
def participants_register(code, kind, name_en, name_ru, received_on, acting) -> None:
    """Register an applicant (for observer status or membership); it is in no electorate."""
    with open_session() as session:
        participant = operations.register_participant(
            session,
            secretariat_user(session, acting),
            code=code,
            kind=kind,
            name_en=name_en,
            name_ru=name_ru,
            taken_on=received_on,
        )
        click.echo(f"Registered {participant.code} ({participant.name_en}) as an applicant.")


@participants_group.command("list")
@click.option(
    "--status", type=click.Choice([s.value for s in ParticipantStatus]), default=None
)
def participants_list(status: str | None) -> None:
    """Participants with their status and since when."""
    with open_session() as session:
        query = select(Participant).order_by(Participant.status, Participant.code)
        if status:
            query = query.where(Participant.status == ParticipantStatus(status))
        for participant in session.scalars(query):
            since = next(
                (p.since for p in reversed(participant.status_history) if p.until is None), None
            )
            click.echo(
                f"{participant.code:12} {participant.status.value:10} "
                f"{since.isoformat() if since else '-':10}  {participant.name_en}"
            )


def register(group: click.Group) -> None:
    group.add_command(participants_group)
