"""`concord serve`: the development server, with the scheduler in the process."""

from __future__ import annotations

import click

from bootstrap.setup import initialise, is_initialised
from cli.context import runtime
from cli.setup import print_demo_accounts


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Do not run the deadline scheduler in-process.")
def serve_command(host: str, port: int, no_scheduler: bool) -> None:
    """Development server; a fresh instance initialises itself with the demo data."""
    from web import create_app  # the one command that loads Flask, and only when it runs

    if not is_initialised(runtime()):
        accounts = initialise(runtime(), demo=True)
        click.echo("Fresh instance: schema, profile and demo accounts created.")
        print_demo_accounts(accounts)
    app = create_app(runtime=runtime(), run_scheduler=not no_scheduler)
    app.run(host=host, port=port, use_reloader=False)


def register(group: click.Group) -> None:
    group.add_command(serve_command)
