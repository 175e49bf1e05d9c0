"""Pages of claims and consolidated events read in index order on PostgreSQL too.

A page of claims or events reads only each group's head report (``claim_id = id``,
``cluster_id = id``). PostgreSQL cannot estimate how many rows have two of their own
columns equal: it guesses one in two hundred, where most reports are heads, and so for
a page of a few thousand ids (the facets' sample) it read every match of the other
filters and sorted them, or scanned the whole table, instead of walking a date index
until the page was full (80-500 ms at a million events where the walk takes a few).
The queries now write the head condition as ``(claim_id = id) IS TRUE``, an expression
PostgreSQL keeps statistics on when asked: the statistics objects
``st_statements_head`` and ``st_events_head`` made here (SQLite's planner needs
none). ``ANALYZE`` fills them now; autovacuum keeps them current.

The PLOVER index gains the within-day order and the group (``plover, date_start,
order_key, id, cluster_id``), so a page of one category is read off the index alone,
in order, without looking up each event.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: statistics object -> (table, group column)
_HEADS = {"st_statements_head": ("statements", "claim_id"),
          "st_events_head": ("events", "cluster_id")}


def upgrade() -> None:
    op.drop_index("ix_events_plover_date", table_name="events")
    op.create_index("ix_events_plover_order", "events",
                    ["plover", "date_start", "order_key", "id", "cluster_id"])
    if op.get_bind().dialect.name == "postgresql":
        for name, (table, group) in _HEADS.items():
            op.execute(f"CREATE STATISTICS {name} ON (({group} = id)) FROM {table}")
            op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in _HEADS:
            op.execute(f"DROP STATISTICS IF EXISTS {name}")
    op.drop_index("ix_events_plover_order", table_name="events")
    op.create_index("ix_events_plover_date", "events", ["plover", "date_start", "id"])
