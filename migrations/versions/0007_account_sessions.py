"""sessions kept on the server, token expiry, the user's own language and time zone

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 01:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_session_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_user_session_secret_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('timezone', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('language', existing_type=sa.String(length=8), nullable=True)
    # Nobody could choose a language before: the stored 'en' was only the column's default,
    # and it hid the browser's Accept-Language. No choice now means none.
    op.execute("UPDATE user_account SET language = NULL")


def downgrade() -> None:
    op.execute("UPDATE user_account SET language = 'en' WHERE language IS NULL")
    op.execute(
        "UPDATE user_account SET timezone = (SELECT timezone FROM forum LIMIT 1) WHERE timezone IS NULL"
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=8), nullable=False)
        batch_op.alter_column('timezone', existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
    op.drop_table('user_session')
