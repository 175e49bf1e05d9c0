"""Put ``id`` at the end of the date and speaker indexes, so ids come from the index alone.

The record queries first read the ids of the matching facts in date order
(:mod:`kb.store.filters`). SQLite keeps the row id in every index already; PostgreSQL
does not, and visited a table page per matching row (1,145 random page reads for one
busy speaker) to learn ids an index-only scan can return.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: index -> (table, its columns before ``id`` was added)
_INDEXES = {
    "ix_statements_speaker_date": ("statements", ["speaker_id", "date_start"]),
    "ix_statements_date": ("statements", ["date_long", "date_start", "date_end"]),
    "ix_events_date": ("events", ["date_long", "date_start", "date_end"]),
}


def upgrade() -> None:
    for name, (table, columns) in _INDEXES.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [*columns, "id"])


def downgrade() -> None:
    for name, (table, columns) in _INDEXES.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
