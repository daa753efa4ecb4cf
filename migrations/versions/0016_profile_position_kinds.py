"""kinds of position and entry channels from the profile: codes, not closed enums

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 08:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "consent", "consent_with_statement", "reservation", "stand_aside", "objection",
    "consent_ad_referendum",
)
CHANNELS = ("delegate", "note_verbale")
# The checks the engine now makes from the forum's kinds and channels.
CHECKS = {
    "ck_position_position_kind": None,
    "ck_position_entry_channel": None,
    "ck_position_text_when_required": (
        "kind NOT IN ('consent_with_statement', 'reservation', 'objection') OR length(text) > 0"
    ),
    "ck_position_reference_for_note_verbale": "channel = 'delegate' OR length(reference) > 0",
}


def _enum(name: str, values) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


def upgrade() -> None:
    with op.batch_alter_table("forum") as batch:
        batch.add_column(sa.Column("position_kinds", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("entry_channels", sa.JSON(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":
        for name in CHECKS:
            op.drop_constraint(op.f(name), "position", type_="check")
        return
    with op.batch_alter_table("position", recreate="always") as batch:  # SQLite: a new table
        batch.alter_column(
            "kind", type_=sa.String(40), existing_type=_enum("position_kind", KINDS),
            existing_nullable=False,
        )
        batch.alter_column(
            "channel", type_=sa.String(40), existing_type=_enum("entry_channel", CHANNELS),
            existing_nullable=False,
        )
        batch.drop_constraint(op.f("ck_position_text_when_required"), type_="check")
        batch.drop_constraint(op.f("ck_position_reference_for_note_verbale"), type_="check")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        allowed = {"ck_position_position_kind": ("kind", KINDS), "ck_position_entry_channel": (
            "channel", CHANNELS)}
        for name, condition in CHECKS.items():
            if condition is None:
                column, values = allowed[name]
                condition = f"{column} IN ({', '.join(repr(v) for v in values)})"
            op.create_check_constraint(op.f(name), "position", condition)
    else:
        with op.batch_alter_table("position", recreate="always") as batch:
            batch.alter_column(
                "kind", type_=_enum("position_kind", KINDS), existing_type=sa.String(40),
                existing_nullable=False,
            )
            batch.alter_column(
                "channel", type_=_enum("entry_channel", CHANNELS), existing_type=sa.String(40),
                existing_nullable=False,
            )
            for name in ("ck_position_text_when_required", "ck_position_reference_for_note_verbale"):
                batch.create_check_constraint(op.f(name), sa.text(CHECKS[name]))
    with op.batch_alter_table("forum") as batch:
        batch.drop_column("entry_channels")
        batch.drop_column("position_kinds")
