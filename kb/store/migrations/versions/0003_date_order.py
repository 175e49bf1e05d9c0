"""Index facts in date order, so the newest (or oldest) page is read straight off an index.

``kb said`` and ``kb events`` list the newest facts a page at a time. Ordering by
``(date_start, id)`` needs an index in that order: without it, the first page of all
200,000 statements sorts every one of them. Both directions use the same index (read
backwards for newest first).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("statements", "events")


def upgrade() -> None:
    for table in _TABLES:
        op.create_index(f"ix_{table}_date_order", table, ["date_start", "id"])


def downgrade() -> None:
    for table in _TABLES:
        op.drop_index(f"ix_{table}_date_order", table_name=table)
