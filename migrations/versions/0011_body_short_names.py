"""bodies' short names in each working language; the forum's further interface languages

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("body") as batch:
        batch.add_column(sa.Column("short_en", sa.String(length=40), server_default="", nullable=False))
        batch.add_column(sa.Column("short_ru", sa.String(length=40), server_default="", nullable=False))
    with op.batch_alter_table("forum") as batch:
        batch.add_column(sa.Column("interface_languages", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("forum") as batch:
        batch.drop_column("interface_languages")
    with op.batch_alter_table("body") as batch:
        batch.drop_column("short_ru")
        batch.drop_column("short_en")
