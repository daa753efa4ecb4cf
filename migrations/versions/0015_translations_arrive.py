"""translations that keep the version: when each language's text arrived, who declared it

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 07:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("version_text") as batch:
        batch.add_column(
            sa.Column("arrived_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("declared_by_id", sa.Integer(), nullable=True))
    # The texts already recorded came with their versions.
    op.execute(
        "UPDATE version_text SET arrived_at = (SELECT v.created_at FROM document_version v"
        " WHERE v.id = version_text.version_id)"
    )
    with op.batch_alter_table("version_text") as batch:
        batch.alter_column(
            "arrived_at", existing_type=models.base.UTCDateTime(timezone=True), nullable=False
        )
        batch.create_index(
            batch.f("ix_version_text_declared_by_id"), ["declared_by_id"], unique=False
        )
        batch.create_foreign_key(
            batch.f("fk_version_text_declared_by_id_user_account"),
            "user_account",
            ["declared_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("version_text") as batch:
        batch.drop_constraint(
            batch.f("fk_version_text_declared_by_id_user_account"), type_="foreignkey"
        )
        batch.drop_index(batch.f("ix_version_text_declared_by_id"))
        batch.drop_column("declared_by_id")
        batch.drop_column("arrived_at")
