"""units.path unique, every path rebuilt from parent_id first

Before this revision a re-parented unit rewrote every path that matched its old one as a LIKE pattern, so a
code holding `_` could move another unit's subtree with it. The paths are recomputed here from `parent_id`
and `code` (the truth), then the index on `path` becomes unique.

Revision ID: 0009_unit_path
Revises: 0008_sec_tokens
Create Date: 2026-12-07

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009_unit_path"
down_revision: Union[str, Sequence[str], None] = "0008_sec_tokens"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

units = sa.table("units", sa.column("id", sa.Integer), sa.column("code", sa.String),
                 sa.column("parent_id", sa.Integer), sa.column("path", sa.String))


def rebuilt_paths(rows: list[tuple[int, str, int | None]]) -> dict[int, str]:
    """The path of every unit from (id, code, parent_id); a parent cycle is an error naming its units."""
    by_id = {uid: (code, parent) for uid, code, parent in rows}
    paths: dict[int, str] = {}
    for uid in by_id:
        trail: list[int] = []
        current: int | None = uid
        while current is not None and current not in paths:
            if current in trail:
                codes = " → ".join(by_id[i][0] for i in trail)
                raise RuntimeError(f"units form a parent cycle ({codes}); fix units.parent_id before upgrading")
            trail.append(current)
            current = by_id[current][1] if by_id[current][1] in by_id else None
        prefix = paths[current] if current is not None else "/"
        for i in reversed(trail):
            prefix = paths[i] = f"{prefix}{by_id[i][0]}/"
    return paths


def upgrade() -> None:
    """Recompute units.path from parent_id, then make it unique."""
    bind = op.get_bind()
    rows = [tuple(r) for r in bind.execute(sa.select(units.c.id, units.c.code, units.c.parent_id))]
    current = dict(bind.execute(sa.select(units.c.id, units.c.path)).all())
    for uid, path in rebuilt_paths(rows).items():  # type: ignore[arg-type]
        if current.get(uid) != path:
            bind.execute(units.update().where(units.c.id == uid).values(path=path))
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_path"))
        batch_op.create_index(batch_op.f("ix_units_path"), ["path"], unique=True)


def downgrade() -> None:
    """Back to a plain index on units.path."""
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_path"))
        batch_op.create_index(batch_op.f("ix_units_path"), ["path"], unique=False)
