"""invites.for_person: link codes that attach a second channel to an existing person

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add invites.for_person."""
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("for_person", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_invites_for_person_people"), "people", ["for_person"], ["id"])


def downgrade() -> None:
    """Drop invites.for_person."""
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_invites_for_person_people"), type_="foreignkey")
        batch_op.drop_column("for_person")
