"""Commands are added here."""

import click


def register(group: click.Group) -> None:
    pass
