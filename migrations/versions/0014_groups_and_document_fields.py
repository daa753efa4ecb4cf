"""groups of participants a round's electorate may name; fields a definition declares;
deadlines on documents; kinds of statement

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


KINDS = ("silence_expiry", "written_lapse", "entry_into_force", "confirmation_lapse")
NEW_KINDS = ("meeting_lapse", "document_deadline")


def _kinds(values) -> sa.Enum:
    return sa.Enum(*values, name="due_action_kind", native_enum=False, create_constraint=True, length=40)


def _change_kinds(before, after) -> None:
    """The CHECK constraint of due_action.kind (a closed vocabulary, not a native enum)."""
    if op.get_bind().dialect.name != "sqlite":
        constraint = op.f("ck_due_action_due_action_kind")
        op.drop_constraint(constraint, "due_action", type_="check")
        allowed = ", ".join(f"'{value}'" for value in after)
        op.create_check_constraint(constraint, "due_action", f"kind IN ({allowed})")
        return
    with op.batch_alter_table("due_action", recreate="always") as batch_op:  # SQLite: a new table
        batch_op.alter_column(
            "kind", type_=_kinds(after), existing_type=_kinds(before), existing_nullable=False
        )


def upgrade() -> None:
    _change_kinds(KINDS, KINDS + NEW_KINDS)
    op.create_table('participant_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_group')),
    sa.UniqueConstraint('code', name=op.f('uq_participant_group_code'))
    )
    op.create_table('group_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['participant_group.id'], name=op.f('fk_group_member_group_id_participant_group')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_group_member_participant_id_participant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_member'))
    )
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_member_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_member_participant_id'), ['participant_id'], unique=False)
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('custom_fields', sa.JSON(), server_default='{}', nullable=False))
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.add_column(sa.Column('statement_kind', sa.String(length=60), server_default='', nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM due_action WHERE kind IN ('meeting_lapse', 'document_deadline')")
    _change_kinds(KINDS + NEW_KINDS, KINDS)
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.drop_column('statement_kind')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('custom_fields')
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_member_participant_id'))
        batch_op.drop_index(batch_op.f('ix_group_member_group_id'))
    op.drop_table('group_member')
    op.drop_table('participant_group')
