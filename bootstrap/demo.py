"""Demo data for any profile: the profile's own demo data file when it ships one
(`<profile>.demo.toml` beside it), else a generic demo built from the profile's
participants and the workflow definitions. Played through the engine's operations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bootstrap.demo_accounts import DemoAccount, create_demo_accounts, demo_users
from bootstrap.demo_file import demo_file, load_demo_file
from bootstrap.demo_generic import generic_accounts, generic_documents
from bootstrap.demo_script import ScriptedDocument, play_document
from models import Document
from workflow.errors import ConcordError, DefinitionError


@dataclass(frozen=True)
class Demo:
    source: str  # the demo data file's name; empty for the generic demo
    accounts: tuple[DemoAccount, ...]
    # Each document's ways to be created: a file gives one (it must play); the generic demo
    # gives several and keeps the first the engine accepts.
    documents: tuple[tuple[ScriptedDocument, ...], ...]


def demo_for(session: Session, profile: str | Path) -> Demo:
    """The demo of the profile (loaded into `session`'s database)."""
    path = demo_file(profile)
    if path.exists():
        accounts, documents = load_demo_file(path)
        return Demo(path.name, accounts, tuple((d,) for d in documents))
    accounts = generic_accounts(session)
    return Demo("", accounts, generic_documents(session, accounts))


def _play_strictly(session: Session, demo: Demo, users, index: int, scripted) -> Document:
    where = [f"documents[{index}]"]

    def at_step(step: int) -> None:
        where[:] = [f"documents[{index}].steps[{step}]"]

    try:
        return play_document(session, users, scripted, on_step=at_step)
    except ConcordError as error:
        raise DefinitionError(demo.source, where[0], str(error)) from None


def _play_first_accepted(session: Session, users, candidates) -> Document | None:
    for scripted in candidates:
        try:
            with session.begin_nested():
                return play_document(session, users, scripted)
        except ConcordError:
            continue
    return None


def create_demo(session: Session, demo: Demo) -> list[Document]:
    """Create the demo accounts that are missing and, on a forum with no document yet, the
    demo documents; returns the documents created."""
    create_demo_accounts(session, demo.accounts)
    if session.scalar(select(func.count(Document.id))):
        return []
    users = demo_users(session, demo.accounts)
    created = []
    for index, candidates in enumerate(demo.documents):
        if demo.source:
            created.append(_play_strictly(session, demo, users, index, candidates[0]))
        elif (document := _play_first_accepted(session, users, candidates)) is not None:
            created.append(document)
    return created
