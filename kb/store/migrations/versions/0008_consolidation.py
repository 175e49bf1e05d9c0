"""Consolidation: the reports of one statement are one claim, of one event one event.

``statements.claim_id`` and ``events.cluster_id`` hold the id of the group's head (the
report that represents it; see :mod:`kb.store.consolidate`); a report alone is its own
head. The date and speaker indexes end with the group column, so listing only the heads
(one row per claim or event) still reads ids off an index alone. Existing reports start
alone: ``kb reconsolidate`` groups them (``kb db upgrade`` says so). Events of a broad
category are matched by their verb: an index on ``(predicate, date_start)`` finds them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: index -> (table, its columns without the group column)
_INDEXES = {
    "ix_statements_speaker_date": ("statements", ["speaker_id", "date_start", "id"]),
    "ix_statements_date": ("statements", ["date_long", "date_start", "date_end", "id"]),
    "ix_statements_date_order": ("statements", ["date_start", "id"]),
    "ix_events_date": ("events", ["date_long", "date_start", "date_end", "id"]),
    "ix_events_date_order": ("events", ["date_start", "order_key", "id"]),
}
_GROUP = {"statements": "claim_id", "events": "cluster_id"}


def upgrade() -> None:
    for table, column in _GROUP.items():
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.add_column(sa.Column(column, sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET {column} = id")
        op.create_index(f"ix_{table}_{column}", table, [column, "id"])
    for name, (table, columns) in _INDEXES.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [*columns, _GROUP[table]])
    # candidates of an event of a broad category are found by its verb and date
    op.create_index("ix_events_predicate_date", "events", ["predicate", "date_start", "id"])
    # the acts of speech of a claim, found from its reports
    op.create_index("ix_events_statement_id", "events", ["statement_id"])
    # an event that names no actor is recognised by the actors its sentence names
    op.create_index("ix_mentions_sentence_id", "mentions", ["sentence_id", "actor_id"])


def downgrade() -> None:
    op.drop_index("ix_events_statement_id", table_name="events")
    op.drop_index("ix_mentions_sentence_id", table_name="mentions")
    op.drop_index("ix_events_predicate_date", table_name="events")
    for name, (table, columns) in _INDEXES.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
    for table, column in _GROUP.items():
        op.drop_index(f"ix_{table}_{column}", table_name=table)
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.drop_column(column)
