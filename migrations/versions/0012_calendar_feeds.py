"""private calendar feeds and the deadline's revision count

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('calendar_feed',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_read_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_calendar_feed_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_calendar_feed_secret_hash'))
    )
    with op.batch_alter_table('consensus_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_revision', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('consensus_round', schema=None) as batch_op:
        batch_op.drop_column('deadline_revision')
    op.drop_table('calendar_feed')
