"""`concord audit verify` and `concord workflows list|show|check`."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from cli.context import open_session, runtime
from models import Body, Document, Forum, ParticipantGroup
from workflow import audit
from workflow.diagram import mermaid
from workflow.errors import DefinitionError, NotFound
from workflow.registry import Registry, registry
from workflow.spec import Definition


def _registry() -> Registry:
    runtime()  # configures the definitions folder from the settings
    return registry()


@click.group("audit", help="The audit trail.")
def audit_group() -> None:
    pass


@audit_group.command("verify")
def audit_verify() -> None:
    """Check every chain; name the key that verified each span, or exit 1 naming the first
    altered, removed or reordered event."""
    with open_session() as session:
        report = audit.check(session)
        for span in report.spans:
            click.echo(f"verified {span}")
        if report.broken is None:
            click.echo("audit trail intact")
            return
        click.echo(f"audit trail broken: {report.broken}", err=True)
    sys.exit(1)


@click.group("workflows", help="The workflow definitions.")
def workflows_group() -> None:
    pass


@workflows_group.command("list")
def workflows_list() -> None:
    """Every loaded definition: kind, version, title, states and triggers."""
    for definition in _registry():
        click.echo(
            f"{definition.kind:24} v{definition.version:<3} {definition.title():28} "
            f"{len(definition.states):2} states  {len(definition.triggers):2} triggers"
        )


def _table(definition: Definition) -> str:
    lines = [f"{definition.title()} ({definition.kind}, version {definition.version})", "", "States:"]
    for state in definition.states.values():
        notes = []
        if state.name == definition.initial:
            notes.append("initial")
        if state.final:
            notes.append("final")
        if state.round:
            modes = "/".join(m.value for m in state.round.modes)
            notes.append(
                f"round@{state.round.body} ({modes}) consensus->{'|'.join(state.round.consensus_triggers)} "
                f"failure->{state.round.on_failure}"
            )
        lines.append(f"  {state.name:28} {'; '.join(notes)}")
    lines += ["", "Transitions:"]
    for spec in definition.transitions:
        extra = "".join(
            f"  {label}: {', '.join(items)}"
            for label, items in (("guards", spec.guards), ("effects", spec.effects))
            if items
        )
        lines.append(
            f"  {spec.trigger:22} {'|'.join(spec.sources)} -> {spec.dest}"
            f"  by: {', '.join(sorted(spec.allowed))}{extra}"
        )
    return "\n".join(lines)


@workflows_group.command("show")
@click.argument("kind")
@click.option("--format", "output", type=click.Choice(["table", "mermaid"]), default="table")
@click.option("--document", "document_id", type=int, help="Mark this document's current state.")
@click.option("--language", default="en", show_default=True, help="The diagram's labels' language.")
def workflows_show(kind: str, output: str, document_id: int | None, language: str) -> None:
    """One definition as a table, or as a Mermaid diagram."""
    definition = _registry().get(kind)
    current = None
    if document_id is not None:
        with open_session() as session:
            document = session.get(Document, document_id)
            if document is None:
                raise NotFound(f"no document {document_id}")
            if document.kind != kind:
                raise click.UsageError(f"document {document_id} is a {document.kind}, not a {kind}")
            current = document.state
    if output == "mermaid":
        if current is not None and current not in definition.states:
            raise click.UsageError(f"state {current!r} is not in the current definition")
        click.echo(mermaid(definition, current, language))
    else:
        click.echo(_table(definition))
        if current is not None:
            click.echo(f"\nDocument {document_id} is in state: {current}")


@workflows_group.command("check")
def workflows_check() -> None:
    """Documents whose kind or state the current definitions no longer have; exit 1 if any."""
    definitions = _registry()
    problems = []
    with open_session() as session:
        try:
            definitions.check_bodies(set(session.scalars(select(Body.code))))
            definitions.check_groups(set(session.scalars(select(ParticipantGroup.code))))
            forum = session.scalar(select(Forum))
            if forum is not None:
                definitions.check_languages(forum.languages)
        except DefinitionError as error:
            problems.append(str(error))
        rows = session.execute(
            select(
                Document.id,
                Document.symbol,
                Document.kind,
                Document.state,
                Document.definition_version,
            ).order_by(Document.id)
        )
        for row in rows:
            if row.kind not in definitions:
                problems.append(f"{row.symbol} (id {row.id}): kind {row.kind!r} has no definition")
                continue
            definition = definitions.get(row.kind)
            if row.state not in definition.states:
                problems.append(
                    f"{row.symbol} (id {row.id}): state {row.state!r} (definition version "
                    f"{row.definition_version}) is not in {row.kind} version {definition.version}"
                )
    for problem in problems:
        click.echo(problem)
    if problems:
        sys.exit(1)
    click.echo("every document's state is in the current definitions")


def register(group: click.Group) -> None:
    group.add_command(audit_group)
    group.add_command(workflows_group)
