"""web view: one-time sign-in links, browser sessions, failed sign-ins per address; provisional values index

Revision ID: 0006_web
Revises: 0005_xl_source
Create Date: 2026-12-07

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006_web"
down_revision: Union[str, Sequence[str], None] = "0005_xl_source"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add web_sign_ins, web_sessions and web_sign_in_failures."""
    op.create_table(
        "web_sign_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_web_sign_ins_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sign_ins")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sign_ins_token_hash")),
    )
    op.create_index(op.f("ix_web_sign_ins_person_id"), "web_sign_ins", ["person_id"], unique=False)
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_reason", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_web_sessions_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sessions_token_hash")),
    )
    op.create_index(op.f("ix_web_sessions_person_id"), "web_sessions", ["person_id"], unique=False)
    op.create_table(
        "web_sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sign_in_failures")),
    )
    op.create_index(op.f("ix_web_sign_in_failures_address"), "web_sign_in_failures", ["address", "at"],
                    unique=False)
    # the overview (and /thieu) read a period's provisional values: a small partial index instead of every answer
    op.create_index("ix_answers_provisional", "answers", ["submission_id", "question_key"], unique=False,
                    sqlite_where=sa.text("provisional IS 1 AND value IS NOT NULL"),
                    postgresql_where=sa.text("provisional IS true AND value IS NOT NULL"))


def downgrade() -> None:
    """Drop the web view's tables and the provisional values index."""
    op.drop_index("ix_answers_provisional", table_name="answers")
    op.drop_index(op.f("ix_web_sign_in_failures_address"), table_name="web_sign_in_failures")
    op.drop_table("web_sign_in_failures")
    op.drop_index(op.f("ix_web_sessions_person_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index(op.f("ix_web_sign_ins_person_id"), table_name="web_sign_ins")
    op.drop_table("web_sign_ins")
