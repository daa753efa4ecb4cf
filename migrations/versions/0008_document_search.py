"""full-text search of documents' titles and texts in every working language

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 01:40:00
"""

from collections.abc import Sequence

from alembic import op

from models import search

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    search.create(connection)
    search.refresh(connection)  # every document already there


def downgrade() -> None:
    search.drop(op.get_bind())
