"""The workflow and audit commands, run against the test session."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from cli import workflows as workflow_commands
from models import AuditEvent


@pytest.fixture
def run(session, monkeypatch):
    @contextmanager
    def test_session():
        yield session

    monkeypatch.setattr(workflow_commands, "open_session", test_session)
    monkeypatch.setattr(workflow_commands, "runtime", lambda: None)
    group = workflow_commands.click.Group()
    workflow_commands.register(group)

    def invoke(*args):
        return CliRunner().invoke(group, list(args))

    return invoke


def test_workflows_list(run):
    result = run("workflows", "list")
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == 7 and "concept_paper" in result.output


def test_workflows_show_table_and_mermaid(run, new_document):
    table = run("workflows", "show", "concept_paper")
    assert table.exit_code == 0 and "round@SWG (meeting)" in table.output
    paper = new_document("concept_paper")
    diagram = run(
        "workflows", "show", "concept_paper", "--format", "mermaid", "--document", str(paper.id)
    )
    assert diagram.exit_code == 0 and "Class drafting s_active" in diagram.output


def test_workflows_check(run, session, new_document):
    paper = new_document("concept_paper")
    assert run("workflows", "check").exit_code == 0
    paper.state = "shelved"  # as if a later definition dropped the state
    session.flush()
    result = run("workflows", "check")
    assert result.exit_code == 1 and "'shelved'" in result.output and paper.symbol in result.output


def test_audit_verify(run, session, new_document):
    new_document("concept_paper")
    assert run("audit", "verify").exit_code == 0
    session.execute(update(AuditEvent).values(comment="forged"))
    session.expire_all()
    result = run("audit", "verify")
    assert result.exit_code == 1 and "altered" in result.output
