"""The `concord` command line. Only `concord serve` loads the web application."""

from __future__ import annotations

import sys

import click

from cli import deadlines, mail, participants, serve, setup, tokens, users, workflows
from config.settings import SettingsError
from workflow.errors import ConcordError


@click.group(help="Concord: consensus decision workflows for intergovernmental forums.")
def cli() -> None:
    pass


for module in (setup, serve, users, participants, workflows, deadlines, tokens, mail):
    module.register(cli)


def main() -> None:
    """Entry point: domain and settings errors end as one line and a non-zero exit."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (ConcordError, SettingsError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
