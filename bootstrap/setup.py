"""A database made ready: the schema (Alembic migrations), the profile, and the demo data."""

from __future__ import annotations

from sqlalchemy import inspect, select

import migrations
from bootstrap.demo import create_demo, demo_for
from bootstrap.demo_accounts import DemoAccount
from bootstrap.profile import load_profile
from bootstrap.runtime import Runtime
from models import Forum


def initialise(runtime: Runtime, *, demo: bool, profile: str | None = None) -> list[DemoAccount]:
    """Schema, profile and (optionally) the profile's demo accounts and documents; returns
    the demo accounts (none without `demo`)."""
    migrations.upgrade(runtime.engine)
    profile = profile or runtime.settings.profile
    with runtime.transaction() as session:
        load_profile(session, profile)
        if not demo:
            return []
        chosen = demo_for(session, profile)
        create_demo(session, chosen)
        return list(chosen.accounts)


def is_initialised(runtime: Runtime) -> bool:
    if "forum" not in inspect(runtime.engine).get_table_names():
        return False
    with runtime.transaction() as session:
        return session.scalar(select(Forum.id)) is not None
