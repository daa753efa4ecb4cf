"""keyed audit chains: one HMAC chain per document, with a head row each

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 23:25:00

Earlier events keep their unkeyed global chain (key_id NULL) and its `audit_head` row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_chain_head",
        sa.Column("chain", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_chain_head")),
    )
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # Ids were chosen by the application until now; the sequence takes over.
        op.execute(
            "SELECT setval(pg_get_serial_sequence('audit_event', 'id'), "
            "COALESCE(MAX(id), 0) + 1, false) FROM audit_event"
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.drop_column("key_id")
        batch_op.drop_column("seq")
    op.drop_table("audit_chain_head")
