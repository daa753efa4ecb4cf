"""The role `chair`: delegates of the participants holding the forum's chair (the
profile's `forum.chair`; CICA's is Azerbaijan)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Forum
from workflow import operations
from workflow.errors import NotPermitted
from workflow.permissions import describe, roles_for
from workflow.registry import configure

SHIPPED = Path(__file__).parents[2] / "config" / "workflows"


@pytest.fixture
def chair_may_withdraw(tmp_path):
    folder = tmp_path / "workflows"
    shutil.copytree(SHIPPED, folder)
    path = folder / "concept_paper.toml"
    text = path.read_text(encoding="utf-8")
    old = 'trigger = "withdraw"'
    head, tail = text.split(old)
    tail = tail.replace('allowed = ["coordinator", "co_coordinator"]', 'allowed = ["chair"]', 1)
    path.write_text(head + old + tail, encoding="utf-8")
    configure(folder)
    yield
    configure(None)


def test_the_chair_s_delegate_fires_and_another_state_s_is_refused(
    session, make_user, new_document, chair_may_withdraw
):
    assert session.scalar(select(Forum.chair)) == ["AZE"]
    document = new_document("concept_paper")
    other = make_user(session, delegate_of=["IND"])
    with pytest.raises(NotPermitted, match="delegates of the chair"):
        operations.fire_trigger(session, other, document.id, "withdraw", comment="no")
    assert document.state == "drafting"
    chair = make_user(session, delegate_of=["AZE"])
    operations.fire_trigger(session, chair, document.id, "withdraw", comment="as chair")
    assert document.state == "withdrawn"


def test_the_chair_follows_the_profile(session, make_user):
    delegate = make_user(session, delegate_of=["IND"])
    assert "chair" not in roles_for(delegate)
    session.scalar(select(Forum)).chair = ["IND"]
    session.flush()
    assert "chair" in roles_for(delegate)
    observer = make_user(session, observer_of=["JPN"])
    session.scalar(select(Forum)).chair = ["JPN"]
    assert "chair" not in roles_for(observer)  # an observer delegate does not speak for it
    assert describe({"chair"}) == "delegates of the chair"
