"""users create, users list."""

from __future__ import annotations

import click
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cli.context import open_session
from models import Affiliation, User
from workflow.accounts import create_user


@click.group("users")
def users_group() -> None:
    """User accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--password", required=True, help="12 to 128 characters, not a common or guessable password."
)
@click.option("--secretariat", is_flag=True, help="A secretariat officer.")
@click.option("--admin", is_flag=True, help="An administrator.")
@click.option("--delegate-of", "delegate_of", multiple=True, metavar="CODE", help="Member state.")
@click.option("--observer-of", "observer_of", multiple=True, metavar="CODE", help="Observer.")
def users_create(email, name, password, secretariat, admin, delegate_of, observer_of) -> None:
    """Create a user with affiliations."""
    with open_session() as session:
        user = create_user(
            session,
            email=email,
            name=name,
            password=password,
            delegate_of=delegate_of,
            observer_of=observer_of,
            secretariat=secretariat,
            admin=admin,
        )
        click.echo(f"Created user {user.id}: {user.email}")


def describe(affiliation: Affiliation) -> str:
    role = affiliation.role.value
    return f"{role}:{affiliation.participant.code}" if affiliation.participant else role


@users_group.command("list")
def users_list() -> None:
    """List users and their affiliations."""
    with open_session() as session:
        users = session.scalars(
            select(User)
            .options(selectinload(User.affiliations).selectinload(Affiliation.participant))
            .order_by(User.email)
        )
        for user in users:
            roles = ", ".join(describe(a) for a in user.affiliations) or "-"
            state = "" if user.active else " (inactive)"
            click.echo(f"{user.email:36} {user.name:30} {roles}{state}")


def register(group: click.Group) -> None:
    group.add_command(users_group)
