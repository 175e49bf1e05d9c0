"""Passages: the text a statement cites when its quotation runs over several sentences.

A statement's source is the sentence that holds its cue and its content; a quotation
that runs over several sentences is cited whole, as a passage row in ``sentences``
(``passage`` true) spanning them. Passages are not counted as the article's sentences.
Existing rows are sentences (``passage`` false); ``kb reprocess --all`` gives older
statements their passages.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sentences", recreate="never") as batch:
        batch.add_column(
            sa.Column("passage", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    op.execute("DELETE FROM sentences WHERE passage")
    with op.batch_alter_table("sentences", recreate="never") as batch:
        batch.drop_column("passage")
