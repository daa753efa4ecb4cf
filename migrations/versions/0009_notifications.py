"""the notification outbox, people's notification preferences, reminder offsets of the forum

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notification_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('delivery', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_preference_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preference')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preference_user_id_kind'))
    )
    op.create_index(op.f('ix_notification_preference_user_id'), 'notification_preference', ['user_id'], unique=False)
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=True),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('read_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_notification_document_id_document')),
    sa.ForeignKeyConstraint(['round_id'], ['consensus_round.id'], name=op.f('fk_notification_round_id_consensus_round')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_notification_dedupe_key')),
    sa.UniqueConstraint('message_id', name=op.f('uq_notification_message_id'))
    )
    op.create_index('ix_notification_delivery', 'notification', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_notification_document_id'), 'notification', ['document_id'], unique=False)
    op.create_index(op.f('ix_notification_round_id'), 'notification', ['round_id'], unique=False)
    op.create_index('ix_notification_unread', 'notification', ['user_id', 'read_at'], unique=False)
    op.create_index(op.f('ix_notification_user_id'), 'notification', ['user_id'], unique=False)
    with op.batch_alter_table('forum', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_hours', sa.JSON(), nullable=False, server_default='[72, 24]'))


def downgrade() -> None:
    with op.batch_alter_table('forum', schema=None) as batch_op:
        batch_op.drop_column('reminder_hours')
    op.drop_index(op.f('ix_notification_user_id'), table_name='notification')
    op.drop_index('ix_notification_unread', table_name='notification')
    op.drop_index(op.f('ix_notification_round_id'), table_name='notification')
    op.drop_index(op.f('ix_notification_document_id'), table_name='notification')
    op.drop_index('ix_notification_delivery', table_name='notification')
    op.drop_table('notification')
    op.drop_index(op.f('ix_notification_preference_user_id'), table_name='notification_preference')
    op.drop_table('notification_preference')
