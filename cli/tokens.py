"""tokens create, tokens list, tokens revoke: bearer tokens for the JSON API."""

from __future__ import annotations

import click

from cli.context import open_session, runtime
from models import ApiToken
from workflow.tokens import (
    create_token_for_email,
    is_expired,
    list_tokens,
    revoke_token,
    user_by_email,
)


@click.group("tokens")
def tokens_group() -> None:
    """API tokens (bearer tokens for /api/v1)."""


@tokens_group.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", default="", help="What the token is for (at most 100 characters).")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Days the token stays valid (default: the api_token_days setting, 90).",
)
def tokens_create(email: str, name: str, days: int | None) -> None:
    """Issue a token; it is printed once, on standard output, and stored only as a hash."""
    days = days or runtime().settings.api_token_days
    with open_session() as session:
        issued = create_token_for_email(session, email, name=name, valid_days=days)
        token_id, user_email = issued.token.id, issued.token.user.email
        expires = issued.token.expires_at
    # Only the secret goes to stdout, so `TOKEN=$(concord tokens create ...)` works.
    click.echo(issued.secret)
    click.echo(
        f"Token {token_id} for {user_email}, valid until {expires:%Y-%m-%d %H:%M} UTC: "
        "store it now, it is not shown again.",
        err=True,
    )


def _utc(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def describe(token: ApiToken) -> str:
    if token.revoked_at is not None:
        status = f"revoked {_utc(token.revoked_at)}"
    elif token.expires_at is None:
        status = "never expires"
    elif is_expired(token):
        status = f"expired {_utc(token.expires_at)}"
    else:
        status = f"expires {_utc(token.expires_at)}"
    used = f"last used {_utc(token.last_used_at)}" if token.last_used_at else "never used"
    return (
        f"{token.id:>5}  {token.user.email:36} {token.name or '-':24} "
        f"created {_utc(token.created_at)}, {status}, {used}"
    )


@tokens_group.command("list")
@click.option("--email", default=None, help="Only this user's tokens.")
def tokens_list(email: str | None) -> None:
    """List tokens (never their secrets)."""
    with open_session() as session:
        user = user_by_email(session, email) if email else None
        tokens = list_tokens(session, user)
        for token in tokens:
            click.echo(describe(token))
        if not tokens:
            click.echo("No API tokens.")


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke a token by its id (see `tokens list`); it stops working at once."""
    with open_session() as session:
        already = session.get(ApiToken, token_id)
        was_revoked = already is not None and already.revoked_at is not None
        token = revoke_token(session, token_id)
        if was_revoked:
            click.echo(
                f"Token {token.id} was already revoked on {token.revoked_at:%Y-%m-%d %H:%M} UTC."
            )
        else:
            click.echo(f"Revoked token {token.id} of {token.user.email}.")


def register(group: click.Group) -> None:
    group.add_command(tokens_group)
