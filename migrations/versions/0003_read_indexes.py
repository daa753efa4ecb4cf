"""indexes of the read path: documents by their latest change, open rounds by deadline

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_document_updated_at', 'document', ['updated_at'], unique=False)
    op.create_index(
        'ix_consensus_round_open_order',
        'consensus_round',
        ['deadline_at', 'opened_at', 'id'],
        unique=False,
        postgresql_where=sa.text("status = 'open'"),
        sqlite_where=sa.text("status = 'open'"),
    )


def downgrade() -> None:
    op.drop_index(
        'ix_consensus_round_open_order',
        table_name='consensus_round',
        postgresql_where=sa.text("status = 'open'"),
        sqlite_where=sa.text("status = 'open'"),
    )
    op.drop_index('ix_document_updated_at', table_name='document')
