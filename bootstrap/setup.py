"""A database made ready: the schema (Alembic migrations), the profile, and the demo data."""

from __future__ import annotations

from sqlalchemy import inspect, select

import migrations
from bootstrap.demo_accounts import DemoAccount, create_demo_accounts
from bootstrap.demo_documents import create_demo_documents
from bootstrap.profile import load_profile
from bootstrap.runtime import Runtime
from models import Forum


def initialise(runtime: Runtime, *, demo: bool, profile: str | None = None) -> list[DemoAccount]:
    """Schema, profile and (optionally) demo accounts and documents; returns the demo
    accounts created."""
    migrations.upgrade(runtime.engine)
    with runtime.transaction() as session:
        load_profile(session, profile or runtime.settings.profile)
        if not demo:
            return []
        created = create_demo_accounts(session)
        create_demo_documents(session)
        return created


def is_initialised(runtime: Runtime) -> bool:
    if "forum" not in inspect(runtime.engine).get_table_names():
        return False
    with runtime.transaction() as session:
        return session.scalar(select(Forum.id)) is not None
