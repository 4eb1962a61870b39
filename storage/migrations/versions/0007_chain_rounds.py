"""the reporting chain: collecting units' rounds, forwardings, correction requests, periods.forward_deadlines

Revision ID: 0007_chain
Revises: 0006_web
Create Date: 2026-11-21

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007_chain"
down_revision: Union[str, Sequence[str], None] = "0006_web"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add the chain tables and periods.forward_deadlines."""
    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forward_deadlines", sa.JSON(), nullable=True))
    op.create_table(
        "collector_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("forwarded_at", sa.DateTime(), nullable=True),
        sa.Column("forwarded_by", sa.Integer(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("reference", sa.String(length=40), nullable=True),
        sa.Column("forward_count", sa.Integer(), nullable=False),
        sa.Column("last_forwarded_at", sa.DateTime(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.Column("changed_units", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["forwarded_by"], ["people.id"], name=op.f("fk_collector_rounds_forwarded_by_people")),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], name=op.f("fk_collector_rounds_period_id_periods")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_collector_rounds_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collector_rounds")),
        sa.UniqueConstraint("unit_id", "period_id", name=op.f("uq_collector_rounds_unit_id_period_id")),
    )
    op.create_index(op.f("ix_collector_rounds_period_id"), "collector_rounds", ["period_id"], unique=False)
    op.create_table(
        "forwardings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("forwarded_at", sa.DateTime(), nullable=False),
        sa.Column("forwarded_by", sa.Integer(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("included", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["forwarded_by"], ["people.id"], name=op.f("fk_forwardings_forwarded_by_people")),
        sa.ForeignKeyConstraint(["round_id"], ["collector_rounds.id"], name=op.f("fk_forwardings_round_id_collector_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forwardings")),
        sa.UniqueConstraint("reference", name=op.f("uq_forwardings_reference")),
    )
    op.create_index(op.f("ix_forwardings_round_id"), "forwardings", ["round_id"], unique=False)
    op.create_table(
        "correction_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("collector_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answer_reference", sa.String(length=40), nullable=True),
        sa.Column("answer_version", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["answered_by"], ["people.id"], name=op.f("fk_correction_requests_answered_by_people")),
        sa.ForeignKeyConstraint(["collector_id"], ["units.id"], name=op.f("fk_correction_requests_collector_id_units")),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], name=op.f("fk_correction_requests_period_id_periods")),
        sa.ForeignKeyConstraint(["requested_by"], ["people.id"], name=op.f("fk_correction_requests_requested_by_people")),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name=op.f("fk_correction_requests_submission_id_submissions")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_correction_requests_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_requests")),
    )
    op.create_index(op.f("ix_correction_requests_period_id"), "correction_requests",
                    ["period_id", "unit_id", "status"], unique=False)


def downgrade() -> None:
    """Drop the chain tables and periods.forward_deadlines."""
    op.drop_index(op.f("ix_correction_requests_period_id"), table_name="correction_requests")
    op.drop_table("correction_requests")
    op.drop_index(op.f("ix_forwardings_round_id"), table_name="forwardings")
    op.drop_table("forwardings")
    op.drop_index(op.f("ix_collector_rounds_period_id"), table_name="collector_rounds")
    op.drop_table("collector_rounds")
    with op.batch_alter_table("periods", schema=None) as batch_op:
        batch_op.drop_column("forward_deadlines")
