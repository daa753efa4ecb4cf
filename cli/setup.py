"""init, db upgrade, profile load."""

from __future__ import annotations

import click

import migrations
from bootstrap.demo_accounts import DemoAccount
from bootstrap.profile import load_profile
from bootstrap.setup import initialise
from cli.context import open_session, runtime


def print_demo_accounts(accounts: list[DemoAccount]) -> None:
    click.echo("Demo accounts (e-mail / password / role):")
    for account in accounts:
        click.echo(f"  {account.email:32} {account.password:20} {account.role}")


@click.command("init")
@click.option("--demo", is_flag=True, help="Also create the demo accounts and documents.")
@click.option(
    "--profile", type=click.Path(dir_okay=False), help="Profile file (default: settings)."
)
def init_command(demo: bool, profile: str | None) -> None:
    """Create or upgrade the schema and load the organisation profile."""
    accounts = initialise(runtime(), demo=demo, profile=profile)
    click.echo(f"Database ready: {runtime().settings.sqlalchemy_url}")
    if demo:
        print_demo_accounts(accounts)


@click.group("db")
def db_group() -> None:
    """The database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or upgrade the schema to the latest migration."""
    migrations.upgrade(runtime().engine, revision)
    click.echo(f"Schema at {revision}.")


@click.group("profile")
def profile_group() -> None:
    """The organisation profile."""


@profile_group.command("load")
@click.argument("file", type=click.Path(dir_okay=False))
def profile_load(file: str) -> None:
    """Load (or reload) a profile file; all or nothing."""
    with open_session() as session:
        report = load_profile(session, file)
    click.echo(
        f"Profile {report.forum}: {report.participants} participants, {report.bodies} bodies, "
        f"{report.priority_areas} priority areas; {report.changed} changes."
    )


def register(group: click.Group) -> None:
    for command in (init_command, db_group, profile_group):
        group.add_command(command)
