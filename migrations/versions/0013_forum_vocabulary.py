"""the forum's words, chair, currency, who may hold accounts and whether it keeps a
Catalogue, from the profile

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('forum', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vocabulary', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('chair', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(
            sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False)
        )
        batch_op.add_column(sa.Column(
            'accounts', sa.JSON(),
            server_default='{"delegates": ["member"], "observer_delegates": ["observer"]}',
            nullable=False,
        ))
        batch_op.add_column(
            sa.Column('has_catalogue', sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('forum', schema=None) as batch_op:
        batch_op.drop_column('has_catalogue')
        batch_op.drop_column('accounts')
        batch_op.drop_column('currency')
        batch_op.drop_column('chair')
        batch_op.drop_column('vocabulary')
