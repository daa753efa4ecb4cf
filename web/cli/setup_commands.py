"""init, db upgrade, profile load, serve."""

from __future__ import annotations

import click
from sqlalchemy import inspect, select

import migrations
from config.demo import DEMO_ACCOUNTS, create_demo_accounts
from config.profile import load_profile
from models import Forum
from web.cli.context import open_session, runtime
from web.demo_documents import create_demo_documents


def initialise(*, demo: bool, profile: str | None = None) -> list:
    """Schema, profile and (optionally) demo accounts; returns the demo accounts created."""
    rt = runtime()
    migrations.upgrade(rt.engine)
    with open_session() as session:
        load_profile(session, profile or rt.settings.profile)
        if not demo:
            return []
        created = create_demo_accounts(session)
        create_demo_documents(session)
        return created


def is_initialised() -> bool:
    rt = runtime()
    if "forum" not in inspect(rt.engine).get_table_names():
        return False
    with open_session() as session:
        return session.scalar(select(Forum.id)) is not None


def print_demo_accounts() -> None:
    click.echo("Demo accounts (e-mail / password / role):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.email:32} {account.password:20} {account.role}")


@click.command("init")
@click.option("--demo", is_flag=True, help="Also create the demo accounts and documents.")
@click.option(
    "--profile", type=click.Path(dir_okay=False), help="Profile file (default: settings)."
)
def init_command(demo: bool, profile: str | None) -> None:
    """Create or upgrade the schema and load the organisation profile."""
    initialise(demo=demo, profile=profile)
    click.echo(f"Database ready: {runtime().settings.sqlalchemy_url}")
    if demo:
        print_demo_accounts()


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


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Do not run the deadline scheduler in-process.")
def serve_command(host: str, port: int, no_scheduler: bool) -> None:
    """Development server; a fresh instance initialises itself with the demo data."""
    from web import create_app

    if not is_initialised():
        initialise(demo=True)
        click.echo("Fresh instance: schema, profile and demo accounts created.")
        print_demo_accounts()
    app = create_app(runtime=runtime(), run_scheduler=not no_scheduler)
    app.run(host=host, port=port, use_reloader=False)


def register(group: click.Group) -> None:
    for command in (init_command, db_group, profile_group, serve_command):
        group.add_command(command)
