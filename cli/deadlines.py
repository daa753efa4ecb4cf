"""`concord scheduler` (the deadline scheduler process) and `concord deadlines list|retry`."""

from __future__ import annotations

import logging
import signal

import click
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cli.context import open_session, runtime
from models import DueAction, DueActionStatus
from workflow import firing, times
from workflow.scheduler import DeadlineScheduler
from workflow.times import zone
from workflow.timezones import format_in_zone

STATES = [status.value for status in DueActionStatus]


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Fire what is overdue, then exit (no waiting).")
def scheduler_command(once: bool) -> None:
    """Run the deadline scheduler: one per database (gunicorn web workers never run one)."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    scheduler = DeadlineScheduler(runtime(), blocking=True)
    if once:
        if not scheduler.leadership.acquire():
            raise click.ClickException("another scheduler leads on this database; nothing done")
        try:
            click.echo(f"sweep: {scheduler.sweep()}")
        finally:
            scheduler.leadership.release()
        return

    def stop(_signum, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    click.echo(
        f"Scheduler started (woken by each new or moved deadline, and a sweep every "
        f"{scheduler.sweep_interval} s); Ctrl+C or SIGTERM stops it.",
        err=True,
    )
    try:
        scheduler.start()  # blocks
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        scheduler.shutdown()


@click.group("deadlines")
def deadlines_group() -> None:
    """Due actions: silence expiries, written lapses, entries into force."""


@deadlines_group.command("list")
@click.option("--state", "state", default=None, help=f"Only these: {', '.join(STATES)}.")
@click.option(
    "--timezone",
    default=None,
    help="Show times in this zone (default: settings, else the forum's).",
)
@click.option("--limit", default=200, show_default=True, type=click.IntRange(min=1))
def deadlines_list(state: str | None, timezone: str | None, limit: int) -> None:
    """Due actions, latest deadline first, with attempts and the last error."""
    if state is not None and state not in STATES:
        raise click.ClickException(f"unknown state {state!r}: choose one of {', '.join(STATES)}")
    with open_session() as session:
        zone_name = timezone or runtime().settings.timezone or times.forum(session).timezone
    zone(zone_name)  # an unknown zone stops here with one line
    query = (
        select(DueAction)
        .options(joinedload(DueAction.document))
        .order_by(DueAction.due_at.desc(), DueAction.id.desc())
        .limit(limit)
    )
    if state is not None:
        query = query.where(DueAction.status == DueActionStatus(state))
    with open_session() as session:
        actions = list(session.scalars(query))
        if not actions:
            click.echo(f"no {state or ''} due actions".replace("  ", " "))
            return
        for action in actions:
            click.echo(describe(action, zone_name))


def describe(action: DueAction, zone_name: str) -> str:
    due = format_in_zone(action.due_at, zone_name, with_zone_name=False)
    line = (
        f"{action.id:>6}  {action.status.value:9}  {action.kind.value:16}  "
        f"{action.document.symbol:24}  round {action.round_id or '-':<6}  due {due}"
    )
    if action.fired_at is not None:
        line += f"  fired {format_in_zone(action.fired_at, zone_name, with_zone_name=False)}"
    if action.attempts:
        line += f"  attempts {action.attempts}"
    if action.next_attempt_at is not None and action.status is DueActionStatus.PENDING:
        next_try = format_in_zone(action.next_attempt_at, zone_name, with_zone_name=False)
        line += f"  next try {next_try}"
    if action.last_error:
        line += f"  last error: {action.last_error.splitlines()[0][:200]}"
    return line


@deadlines_group.command("retry")
@click.argument("due_action_id", type=int)
def deadlines_retry(due_action_id: int) -> None:
    """Put a failed due action back in the queue (the next sweep fires it)."""
    with open_session() as session:
        action = firing.requeue(session, due_action_id)
        click.echo(f"due action {action.id} is pending again")


def register(group: click.Group) -> None:
    group.add_command(scheduler_command)
    group.add_command(deadlines_group)
