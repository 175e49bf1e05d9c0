"""Per-actor counts kept at write time (kb/store/counts.py).

Four tables, filled here from the stored facts: ``actor_counts`` (mentions, statements
spoken, statements about, events, articles), ``actor_days`` (statements and events per
day), ``actor_event_kinds`` (events by role and by category) and ``actor_pairs`` (the
actors one shares events or statements with). Counts are of reports: a claim carried
by three articles counts three. From here on every write keeps them right, and ``kb
reconsolidate`` recomputes them. The filling queries are written out here as they are
at this revision, so the migration does the same whatever later versions of kb do.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FILL = [
    """INSERT INTO actor_counts (actor_id, mentions, statements, about, events, articles)
    SELECT actor_id, sum(mentions), sum(statements), sum(about), sum(events), sum(articles)
    FROM (
      SELECT actor_id, count(*) AS mentions, 0 AS statements, 0 AS about, 0 AS events,
             0 AS articles
      FROM mentions GROUP BY actor_id
      UNION ALL SELECT speaker_id, 0, count(*), 0, 0, 0 FROM statements
      WHERE speaker_id IS NOT NULL GROUP BY speaker_id
      UNION ALL SELECT x.actor_id, 0, 0, count(*), 0, 0 FROM statement_about x
      JOIN statements s ON s.id = x.statement_id GROUP BY x.actor_id
      UNION ALL SELECT actor_id, 0, 0, 0, count(DISTINCT event_id), 0 FROM event_actors
      GROUP BY actor_id
      UNION ALL SELECT actor_id, 0, 0, 0, 0, count(DISTINCT article_id) FROM (
        SELECT actor_id, article_id FROM mentions
        UNION SELECT speaker_id, article_id FROM statements WHERE speaker_id IS NOT NULL
        UNION SELECT r.actor_id, e.article_id FROM event_actors r
        JOIN events e ON e.id = r.event_id
      ) AS seen GROUP BY actor_id
    ) AS parts GROUP BY actor_id""",
    """INSERT INTO actor_days (actor_id, day, statements, events)
    SELECT actor_id, day, sum(statements), sum(events) FROM (
      SELECT speaker_id AS actor_id, date_start AS day, count(*) AS statements,
             0 AS events
      FROM statements WHERE speaker_id IS NOT NULL AND date_start IS NOT NULL
      GROUP BY speaker_id, date_start
      UNION ALL SELECT r.actor_id, e.date_start, 0, count(DISTINCT r.event_id)
      FROM event_actors r JOIN events e ON e.id = r.event_id
      WHERE e.date_start IS NOT NULL GROUP BY r.actor_id, e.date_start
    ) AS parts GROUP BY actor_id, day""",
    """INSERT INTO actor_event_kinds (actor_id, facet, value, events)
    SELECT actor_id, 'role', role, count(DISTINCT event_id) FROM event_actors
    GROUP BY actor_id, role
    UNION ALL SELECT r.actor_id, 'type', e.type, count(DISTINCT r.event_id)
    FROM event_actors r JOIN events e ON e.id = r.event_id GROUP BY r.actor_id, e.type""",
    """INSERT INTO actor_pairs (actor_id, other_id, events, statements, total)
    SELECT actor_id, other_id, sum(events), sum(statements), sum(events) + sum(statements)
    FROM (
      SELECT m.actor_id AS actor_id, o.actor_id AS other_id,
             count(DISTINCT m.event_id) AS events, 0 AS statements
      FROM event_actors m JOIN event_actors o ON o.event_id = m.event_id
      WHERE o.actor_id <> m.actor_id GROUP BY m.actor_id, o.actor_id
      UNION ALL SELECT a, b, 0, count(*) FROM (
        SELECT s.speaker_id AS a, x.actor_id AS b FROM statement_about x
        JOIN statements s ON s.id = x.statement_id
        UNION ALL SELECT x.actor_id, s.speaker_id FROM statement_about x
        JOIN statements s ON s.id = x.statement_id
        UNION ALL SELECT speaker_id, addressee_id FROM statements
        UNION ALL SELECT addressee_id, speaker_id FROM statements
      ) AS links WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b GROUP BY a, b
    ) AS parts GROUP BY actor_id, other_id""",
]


def _actor(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def _fk(table: str, column: str = "actor_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["actors.id"], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_{column}_actors"))


def _counts(*names: str) -> list[sa.Column]:
    return [sa.Column(n, sa.Integer(), nullable=False) for n in names]


def upgrade() -> None:
    op.create_table(
        "actor_counts",
        _actor("actor_id"),
        *_counts("mentions", "statements", "about", "events", "articles"),
        _fk("actor_counts"),
        sa.PrimaryKeyConstraint("actor_id", name=op.f("pk_actor_counts")),
    )
    op.create_table(
        "actor_days",
        _actor("actor_id"),
        sa.Column("day", sa.Date(), nullable=False),
        *_counts("statements", "events"),
        _fk("actor_days"),
        sa.PrimaryKeyConstraint("actor_id", "day", name=op.f("pk_actor_days")),
    )
    op.create_table(
        "actor_event_kinds",
        _actor("actor_id"),
        sa.Column("facet", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        *_counts("events"),
        _fk("actor_event_kinds"),
        sa.PrimaryKeyConstraint("actor_id", "facet", "value",
                                name=op.f("pk_actor_event_kinds")),
    )
    op.create_table(
        "actor_pairs",
        _actor("actor_id"),
        sa.Column("other_id", sa.Integer(), nullable=False),
        *_counts("events", "statements", "total"),
        _fk("actor_pairs"),
        _fk("actor_pairs", "other_id"),
        sa.PrimaryKeyConstraint("actor_id", "other_id", name=op.f("pk_actor_pairs")),
    )
    for statement in _FILL:
        op.execute(statement)
    # indexes after filling: one sort instead of an update per row
    op.create_index("ix_actor_pairs_total", "actor_pairs", ["actor_id", "total", "other_id"])
    op.create_index("ix_actor_pairs_other_id", "actor_pairs", ["other_id"])


def downgrade() -> None:
    for table in ("actor_pairs", "actor_event_kinds", "actor_days", "actor_counts"):
        op.drop_table(table)
