"""Pages of claims and events that cost the same on both databases: each report keeps
its group's number of sources, and PostgreSQL estimates the head reports.

``statements.sources`` and ``events.sources`` hold how many outlets carry the report's
claim or event (the same on every report of the group; 1 for a report alone), filled
here and from then on kept by :mod:`kb.store.consolidate` whenever a group changes. A
``min_sources`` filter was a count of each candidate's reports and outlets (about
10,000 of them to fill the facets' 2,000 matches of a PLOVER category at a million
events); it is now a column test.

A page of claims or events reads only each group's head report (``claim_id = id``,
``cluster_id = id``). PostgreSQL cannot estimate how many rows have two of their own
columns equal: it guesses one in two hundred, where most reports are heads, and so for
a page of a few thousand ids (the facets' sample) it read every match of the other
filters and sorted them, or scanned the whole table, instead of walking a date index
until the page was full (80-500 ms at a million events where the walk takes a few).
The queries write the head condition as ``(claim_id = id) IS TRUE`` on PostgreSQL, an
expression it keeps statistics on when asked: the statistics objects
``st_statements_head`` and ``st_events_head`` made here (SQLite's planner needs none).
``ANALYZE`` fills them now; autovacuum keeps them current.

The PLOVER index gains the within-day order, the group and the sources (``plover,
date_start, order_key, id, cluster_id, sources``), so a page of one category, of
several sources or not, is read off the index alone, in order.

The filling query is written out as it is at this revision (the outlet as
:func:`kb.store.reports.outlet` counts it: SQLite calls that function as ``kb_outlet``,
which kb registers on its connections), so the migration does the same whatever later
versions of kb do.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: table -> (group column, statistics object on the head condition)
_GROUPS = {"statements": ("claim_id", "st_statements_head"),
           "events": ("cluster_id", "st_events_head")}
_HOST = r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//(?:[^/?#]*@)?(?:\[([^]/?#]*)\]|([^][/?#:]*))"
_PG_HOST = f"lower(array_to_string(regexp_match(a.url, '{_HOST}'), ''))"
#: The outlet of the article ``a``: its publisher, else its address's host, else itself.
_OUTLET = {
    "sqlite": "kb_outlet(a.publisher, a.url, a.hash)",
    "postgresql": (
        "coalesce(nullif(btrim(a.publisher, E' \\t\\n\\r\\f\\v'), ''), "
        f"CASE WHEN {_PG_HOST} = '' THEN NULL "
        f"ELSE regexp_replace({_PG_HOST}, '^www[.]', '') END, a.hash)"
    ),
}
_FILL = """UPDATE {table} SET sources = (
  SELECT count(DISTINCT {outlet}) FROM {table} m JOIN articles a ON a.id = m.article_id
  WHERE m.{group} = {table}.{group})
WHERE {group} IN (SELECT {group} FROM {table} WHERE {group} IS NOT NULL
                  GROUP BY {group} HAVING count(*) > 1)"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, (group, _) in _GROUPS.items():
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.add_column(sa.Column("sources", sa.Integer(), nullable=False,
                                       server_default="1"))
        op.execute(_FILL.format(table=table, group=group, outlet=_OUTLET[dialect]))
    op.drop_index("ix_events_plover_date", table_name="events")
    op.create_index("ix_events_plover_order", "events",
                    ["plover", "date_start", "order_key", "id", "cluster_id", "sources"])
    if dialect == "postgresql":
        for table, (group, statistics) in _GROUPS.items():
            op.execute(f"CREATE STATISTICS {statistics} ON (({group} = id)) FROM {table}")
            op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for _, statistics in _GROUPS.values():
            op.execute(f"DROP STATISTICS IF EXISTS {statistics}")
    op.drop_index("ix_events_plover_order", table_name="events")
    op.create_index("ix_events_plover_date", "events", ["plover", "date_start", "id"])
    for table in _GROUPS:
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.drop_column("sources")
