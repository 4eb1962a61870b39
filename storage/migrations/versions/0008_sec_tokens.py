"""access can be taken back: the audit log, invites.revoked_at (channel tokens are encrypted by the app)

Revision ID: 0008_sec_tokens
Revises: 0007_chain
Create Date: 2026-12-07

Stored channel tokens are encrypted with TOKEN_KEY when the bot next starts with the key (a migration
cannot: the key is not the database's to know); plaintext rows are read once and rewritten encrypted.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0008_sec_tokens"
down_revision: Union[str, Sequence[str], None] = "0007_chain"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add audit_log and invites.revoked_at."""
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Drop invites.revoked_at and audit_log."""
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
