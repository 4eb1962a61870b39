"""answer_revisions.source_name / source_sha256: the file a revision came from (issue 13)

Revision ID: 0005_xl_source
Revises: 0004
Create Date: 2026-11-22

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005_xl_source"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add the source file's name and SHA-256 to answer revisions (NULL for typed answers)."""
    with op.batch_alter_table("answer_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_name", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("source_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Drop the source columns."""
    with op.batch_alter_table("answer_revisions", schema=None) as batch_op:
        batch_op.drop_column("source_sha256")
        batch_op.drop_column("source_name")
