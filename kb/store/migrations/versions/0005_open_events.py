"""Open-domain events: TimeML class, polarity, tense, aspect, modality, PLOVER category,
the reporting statement and the order within the article; the extractor version.

Existing rows keep their data: the new event columns are null (not known for facts an
older extractor wrote), except ``polarity``, which is the old ``negated`` flag written
the new way (NEG where negated, else POS). ``articles.extractor`` stays null for
articles stored before versions were recorded: ``kb reprocess`` re-extracts them.

The events date-order index gains ``order_key`` (events of one day in the order the
text gives them), and a (plover, date_start, id) index serves the PLOVER filter.

SQLite cannot add a constraint to an existing table, and batch mode would copy the
events table: dropping the old copy with foreign keys on deletes every event_actors row
(ON DELETE CASCADE). So on SQLite the foreign key is declared inline in ``ADD COLUMN``
(same name, same action); elsewhere it is added as a named constraint.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FK = "fk_events_reported_by_statement_id_statements"
#: (name, type) of the nullable event columns added as they are.
_EVENT_COLUMNS = (
    ("tml_class", sa.String(length=32)),
    ("tense", sa.String(length=32)),
    ("aspect", sa.String(length=32)),
    ("modality", sa.Text()),
    ("plover", sa.String(length=64)),
    ("order_key", sa.Integer()),
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("articles", recreate="never") as batch:
        batch.add_column(sa.Column("extractor", sa.String(length=32), nullable=True))
    op.create_index("ix_articles_extractor", "articles", ["extractor", "id"])

    with op.batch_alter_table("events", recreate="never") as batch:
        for name, type_ in _EVENT_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.add_column(
            sa.Column("polarity", sa.String(length=8), nullable=False, server_default="POS")
        )
    if sqlite:
        op.execute(
            "ALTER TABLE events ADD COLUMN reported_by_statement_id INTEGER "
            f"CONSTRAINT {_FK} REFERENCES statements (id) ON DELETE SET NULL"
        )
    else:
        op.add_column(
            "events", sa.Column("reported_by_statement_id", sa.Integer(), nullable=True)
        )
        op.create_foreign_key(
            _FK, "events", "statements", ["reported_by_statement_id"], ["id"],
            ondelete="SET NULL",
        )
    op.execute(
        sa.text("UPDATE events SET polarity = 'NEG' WHERE negated = :yes").bindparams(
            sa.bindparam("yes", True, type_=sa.Boolean())
        )
    )
    op.create_index("ix_events_plover_date", "events", ["plover", "date_start", "id"])
    op.drop_index("ix_events_date_order", table_name="events")
    op.create_index("ix_events_date_order", "events", ["date_start", "order_key", "id"])


def downgrade() -> None:
    op.drop_index("ix_events_date_order", table_name="events")
    op.create_index("ix_events_date_order", "events", ["date_start", "id"])
    op.drop_index("ix_events_plover_date", table_name="events")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(_FK, "events", type_="foreignkey")
    with op.batch_alter_table("events", recreate="never") as batch:
        batch.drop_column("reported_by_statement_id")
        batch.drop_column("polarity")
        for name, _ in reversed(_EVENT_COLUMNS):
            batch.drop_column(name)
    op.drop_index("ix_articles_extractor", table_name="articles")
    with op.batch_alter_table("articles", recreate="never") as batch:
        batch.drop_column("extractor")
