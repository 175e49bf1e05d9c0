"""Index date intervals so a date window reads only the rows it returns.

An interval-overlap filter (``date_end >= since AND date_start <= until``) cannot use a
B-tree on ``date_start`` well: the bound on ``date_end`` leaves every earlier row to
scan. Rows whose interval is at most 31 days (``date_long`` false: nearly all of them)
are found by ``date_start BETWEEN since - 31 days AND until``; the few long intervals
(seasons, years, decades) are looked up by ``date_long`` separately.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("statements", "events")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    span = (
        "julianday(date_end) - julianday(date_start) > 31"
        if sqlite
        else "date_end - date_start > 31"
    )
    for table in _TABLES:
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.add_column(
                sa.Column("date_long", sa.Boolean(), nullable=False, server_default=sa.false())
            )
        op.execute(f"UPDATE {table} SET date_long = ({span}) WHERE date_end IS NOT NULL")
        op.drop_index(f"ix_{table}_date", table_name=table)
        op.create_index(f"ix_{table}_date", table, ["date_long", "date_start", "date_end"])


def downgrade() -> None:
    for table in _TABLES:
        op.drop_index(f"ix_{table}_date", table_name=table)
        op.create_index(f"ix_{table}_date", table, ["date_start", "date_end"])
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.drop_column("date_long")
