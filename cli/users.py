"""users create, invite, reinvite, rename, roles, deactivate, reactivate, list, reset-link."""

from __future__ import annotations

import click

from cli.context import open_session, runtime
from models import Affiliation, AffiliationRole
from workflow import user_admin
from workflow.accounts import create_user
from workflow.errors import N_, NotFound


def public_url() -> str:
    return runtime().settings.link_base


def acting(option):
    return click.option(
        "--as",
        "acting_email",
        required=True,
        metavar="EMAIL",
        help="E-mail of the administrator or Secretariat officer acting.",
    )(option)


def affiliation_options(command):
    """--delegate-of/--head-of/--alternate-of/--observer-of CODE (repeatable), --secretariat, --admin."""
    for flag, help_text in (
        ("--admin", "An administrator."),
        ("--secretariat", "A Secretariat officer."),
    ):
        command = click.option(flag, is_flag=True, help=help_text)(command)
    for flag, dest, help_text in (
        ("--observer-of", "observer_of", "Observer delegate of this participant (the profile's "
         "[accounts] observer_delegates)."),
        ("--alternate-of", "alternate_of", "Alternate of this participant (the profile's "
         "[accounts] delegates)."),
        ("--head-of", "head_of", "Head of delegation of this participant (the profile's "
         "[accounts] delegates)."),
        ("--delegate-of", "delegate_of", "Delegate of this participant (the profile's "
         "[accounts] delegates)."),
    ):
        command = click.option(flag, dest, multiple=True, metavar="CODE", help=help_text)(command)
    return command


def affiliation_pairs(
    delegate_of=(), head_of=(), alternate_of=(), observer_of=(), secretariat=False, admin=False
) -> list[tuple[str, str | None]]:
    pairs: list[tuple[str, str | None]] = []
    for role, codes in (
        (AffiliationRole.DELEGATE, delegate_of),
        (AffiliationRole.HEAD_OF_DELEGATION, head_of),
        (AffiliationRole.ALTERNATE, alternate_of),
        (AffiliationRole.OBSERVER_DELEGATE, observer_of),
    ):
        pairs.extend((role.value, code) for code in codes)
    if secretariat:
        pairs.append((AffiliationRole.SECRETARIAT.value, None))
    if admin:
        pairs.append((AffiliationRole.ADMINISTRATOR.value, None))
    return pairs


def actor(session, email: str):
    """The acting administrator or Secretariat officer named by --as."""
    return user_admin.acting_administrator(session, email)


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
@click.option("--delegate-of", "delegate_of", multiple=True, metavar="CODE", help="A participant the user speaks for.")
@click.option("--observer-of", "observer_of", multiple=True, metavar="CODE", help="Observer.")
def users_create(email, name, password, secretariat, admin, delegate_of, observer_of) -> None:
    """Create a user with a password (the first administrator); others are invited."""
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


def _print_link(url: str, expires_at, emailed: bool = False) -> None:
    # Queued in the outbox, but sent only where a mail server is set.
    if emailed and runtime().settings.smtp_host:
        click.echo(f"The link is sent by e-mail; valid until {expires_at:%Y-%m-%d %H:%M} UTC.")
        return
    # No e-mail: the link alone on standard output, so `LINK=$(concord users invite ...)` works.
    click.echo(url)
    click.echo(f"Single-use link, valid until {expires_at:%Y-%m-%d %H:%M} UTC.", err=True)


@users_group.command("invite")
@click.option("--email", required=True)
@click.option("--name", required=True)
@affiliation_options
@acting
def users_invite(email, name, acting_email, **roles) -> None:
    """Create a user and print their invitation link (single use, valid 7 days)."""
    with open_session() as session:
        invited = user_admin.invite_user(
            session,
            actor(session, acting_email),
            email=email,
            name=name,
            affiliations=affiliation_pairs(**roles),
            public_url=public_url(),
        )
        url, expires = invited.link.url(public_url()), invited.link.row.expires_at
        click.echo(f"Invited user {invited.user.id}: {invited.user.email}", err=True)
    _print_link(url, expires, invited.link.emailed)


@users_group.command("reinvite")
@click.argument("email")
@acting
def users_reinvite(email, acting_email) -> None:
    """A new invitation link for the user; the earlier ones open nothing."""
    with open_session() as session:
        by = actor(session, acting_email)
        user = user_admin.user_by_email(session, by, email)
        link = user_admin.reinvite_user(session, by, user.id, public_url=public_url())
        url, expires = link.url(public_url()), link.row.expires_at
    _print_link(url, expires, link.emailed)


@users_group.command("rename")
@click.argument("email")
@click.argument("name")
@acting
def users_rename(email, name, acting_email) -> None:
    """Change a user's name."""
    with open_session() as session:
        by = actor(session, acting_email)
        user = user_admin.rename_user(
            session, by, user_admin.user_by_email(session, by, email).id, name
        )
        click.echo(f"{user.email}: {user.name}")


@users_group.command("roles")
@click.argument("email")
@affiliation_options
@acting
def users_roles(email, acting_email, **roles) -> None:
    """Replace a user's delegations and roles by those given (none given: none kept)."""
    with open_session() as session:
        by = actor(session, acting_email)
        user = user_admin.set_affiliations(
            session,
            by,
            user_admin.user_by_email(session, by, email).id,
            affiliation_pairs(**roles),
        )
        click.echo(f"{user.email}: {', '.join(user_admin.describe(user)) or '-'}")


@users_group.command("deactivate")
@click.argument("email")
@acting
def users_deactivate(email, acting_email) -> None:
    """Deactivate a user: their sessions end and their API tokens are revoked at once."""
    with open_session() as session:
        by = actor(session, acting_email)
        user = user_admin.user_by_email(session, by, email)
        ended = user_admin.deactivate_user(session, by, user.id)
        click.echo(
            f"Deactivated {user.email}: {ended['sessions']} session(s) ended, "
            f"{ended['tokens']} token(s) revoked."
        )


@users_group.command("reactivate")
@click.argument("email")
@acting
def users_reactivate(email, acting_email) -> None:
    """Reactivate a user (they sign in anew; old sessions and tokens stay ended)."""
    with open_session() as session:
        by = actor(session, acting_email)
        user = user_admin.reactivate_user(
            session, by, user_admin.user_by_email(session, by, email).id
        )
        click.echo(f"Reactivated {user.email}.")


@users_group.command("reset-link")
@click.argument("email")
def users_reset_link(email) -> None:
    """Print a password reset link for an active user (single use, valid 30 minutes)."""
    with open_session() as session:
        url = user_admin.request_password_reset(session, email, public_url=public_url())
        if url is None:
            raise NotFound(N_("no active user with e-mail %(email)s"), email=repr(email))
    click.echo(url)


def describe(affiliation: Affiliation) -> str:
    role = affiliation.role.value
    return f"{role}:{affiliation.participant.code}" if affiliation.participant else role


@users_group.command("list")
@click.option("--participant", default=None, metavar="CODE", help="Its delegates and observers.")
@click.option("--role", type=click.Choice(user_admin.ROLE_CHOICES), default=None)
@click.option("--active/--inactive", "active", default=None, help="Only active (inactive) users.")
def users_list(participant, role, active) -> None:
    """List users and their affiliations."""
    with open_session() as session:
        page = 1
        while True:
            found = user_admin.find_users(
                session,
                user_admin.UserFilters(
                    participant=participant, role=role, active=active, page=page, per_page=200
                ),
            )
            for user in found.items:
                roles = ", ".join(describe(a) for a in user.affiliations) or "-"
                state = "" if user.active else " (inactive)"
                click.echo(f"{user.email:36} {user.name:30} {roles}{state}")
            if not found.has_next:
                break
            page += 1


def register(group: click.Group) -> None:
    group.add_command(users_group)
