"""pending_answers and answer_revisions.pending: changes after sending wait for «Gửi lại» (issue 11 §2)

After a submission is sent, `answers` keeps what was sent — what every summary, workbook and report reads.
A change made after sending is stored in `pending_answers` (one row per question, the whole answer as the
focal person now has it) and its revision is marked `pending`; sending again moves the rows onto `answers`,
clears the marks and issues the next receipt, in one transaction. Existing data needs no change: until this
revision every change went live at once, so nothing is pending.

Revision ID: 0010_pending
Revises: 0009_unit_path
Create Date: 2026-12-08

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0010_pending"
down_revision: Union[str, Sequence[str], None] = "0009_unit_path"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create pending_answers; mark revisions pending (false for every existing one)."""
    op.create_table(
        "pending_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=40), nullable=False),
        sa.Column("raw_text", sa.Text(), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("a", sa.Float(), nullable=True),
        sa.Column("b", sa.Float(), nullable=True),
        sa.Column("basis", sa.String(length=16), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("comparison", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name=op.f("fk_pending_answers_submission_id_submissions")),
        sa.ForeignKeyConstraint(["updated_by"], ["people.id"], name=op.f("fk_pending_answers_updated_by_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_answers")),
        sa.UniqueConstraint("submission_id", "question_key",
                            name=op.f("uq_pending_answers_submission_id_question_key")),
    )
    with op.batch_alter_table("answer_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    """Drop the pending changes (their revisions stay in answer_revisions) and the mark."""
    with op.batch_alter_table("answer_revisions", schema=None) as batch_op:
        batch_op.drop_column("pending")
    op.drop_table("pending_answers")
