"""Actor keys that ignore accents; each article's own actor names; curation rules.

- Keys fold accents ("José" and "Jose" are one key): every actor, alias and title key
  is computed again, and actors whose new keys collide become one (the oldest row),
  with every fact of the others moved to it.
- ``article_actors``: each article's own names for its actors and the global actor
  each resolved to (filled from the stored facts: one row per actor an article refers
  to), so late merging can move one article's facts of one name.
- ``actor_rules``: curation rules (merge, split, rename, alias), applied to every later
  ingest.
- ``actor_suffixes``: the word suffixes and initials of every actor name and alias, so
  a short form ("Blinken", "Security Council", "UN") finds its candidates by index.

The key and suffix functions are copied here as it was at this revision, so the migration gives the
same keys whatever later versions of kb do.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WS = re.compile(r"\s+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def _key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = _WS.sub(" ", unicodedata.normalize("NFKC", bare).casefold()).strip()
    stripped = _EDGE.sub("", folded)
    return (stripped or folded)[:400]


def upgrade() -> None:
    op.create_table(
        "article_actors",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False, server_default=""),
        sa.Column("alias_keys", sa.Text(), nullable=False, server_default=""),
        sa.Column("titles", sa.Text(), nullable=False, server_default=""),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name=op.f("fk_article_actors_article_id_articles")),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"],
                                name=op.f("fk_article_actors_actor_id_actors")),
        sa.PrimaryKeyConstraint("article_id", "key", name=op.f("pk_article_actors")),
    )
    op.create_index("ix_article_actors_actor", "article_actors", ["actor_id", "article_id"])
    op.create_index("ix_article_actors_key", "article_actors", ["key"])
    op.create_table(
        "actor_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("actor_key", sa.String(length=400), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_rules")),
    )
    op.create_table(
        "actor_suffixes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=8), nullable=False),
        sa.Column("suffix", sa.String(length=400), nullable=False),
        sa.Column("lead", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], ondelete="CASCADE",
                                name=op.f("fk_actor_suffixes_actor_id_actors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_suffixes")),
        sa.UniqueConstraint("actor_id", "form", "suffix", "lead",
                            name=op.f("uq_actor_suffixes_actor_id_form_suffix_lead")),
    )
    op.create_index("ix_actor_suffixes_suffix", "actor_suffixes", ["suffix", "form"])
    conn = op.get_bind()
    _rekey_actors(conn)
    for table, column in (("actor_aliases", "alias"), ("actor_titles", "title")):
        _rekey_names(conn, table, column)
    _fill_article_actors(conn)
    _fill_suffixes(conn)


def _rekey_actors(conn: sa.Connection) -> None:
    groups: dict[str, list[tuple[int, str]]] = {}
    for actor_id, name, key in conn.execute(sa.text("SELECT id, name, key FROM actors")):
        groups.setdefault(_key(name), []).append((actor_id, key))
    for new_key, rows in sorted(groups.items()):
        rows.sort()
        keep = rows[0][0]
        for gone, _ in rows[1:]:
            _merge(conn, gone, keep)
        if rows[0][1] != new_key:
            conn.execute(sa.text("UPDATE actors SET key = :k WHERE id = :i"),
                         {"k": new_key, "i": keep})


def _merge(conn: sa.Connection, gone: int, keep: int) -> None:
    """Every fact and name of actor ``gone`` to ``keep``; then ``gone`` is deleted."""
    p = {"g": gone, "k": keep}
    for table, column in (("mentions", "actor_id"), ("statements", "speaker_id"),
                          ("statements", "addressee_id")):
        conn.execute(sa.text(f"UPDATE {table} SET {column} = :k WHERE {column} = :g"), p)
    conn.execute(sa.text(
        "INSERT INTO statement_about (statement_id, actor_id) SELECT statement_id, :k "
        "FROM statement_about s WHERE actor_id = :g AND NOT EXISTS (SELECT 1 FROM "
        "statement_about o WHERE o.statement_id = s.statement_id AND o.actor_id = :k)"), p)
    conn.execute(sa.text(
        "INSERT INTO event_actors (event_id, actor_id, role) SELECT event_id, :k, role "
        "FROM event_actors e WHERE actor_id = :g AND NOT EXISTS (SELECT 1 FROM "
        "event_actors o WHERE o.event_id = e.event_id AND o.role = e.role AND "
        "o.actor_id = :k)"), p)
    for table in ("statement_about", "event_actors"):
        conn.execute(sa.text(f"DELETE FROM {table} WHERE actor_id = :g"), p)
    for table, column in (("actor_aliases", "alias"), ("actor_titles", "title")):
        conn.execute(sa.text(
            f"INSERT INTO {table} (actor_id, {column}, key) SELECT :k, {column}, key "
            f"FROM {table} t WHERE actor_id = :g AND NOT EXISTS (SELECT 1 FROM {table} o "
            "WHERE o.actor_id = :k AND o.key = t.key)"), p)
        conn.execute(sa.text(f"DELETE FROM {table} WHERE actor_id = :g"), p)
    conn.execute(sa.text("DELETE FROM actors WHERE id = :g"), p)


def _rekey_names(conn: sa.Connection, table: str, column: str) -> None:
    seen: set[tuple[int, str]] = set()
    rows = conn.execute(sa.text(f"SELECT id, actor_id, {column}, key FROM {table} "
                                "ORDER BY actor_id, id")).all()
    for row_id, actor_id, value, key in rows:
        new = _key(value)
        if (actor_id, new) in seen:
            conn.execute(sa.text(f"DELETE FROM {table} WHERE id = :i"), {"i": row_id})
            continue
        seen.add((actor_id, new))
        if new != key:
            # a temporary key first: the new one may still be held by a later row
            conn.execute(sa.text(f"UPDATE {table} SET key = :k WHERE id = :i"),
                         {"k": f"~rekey~{row_id}", "i": row_id})
    for row_id, _actor_id, value, key in rows:
        if _key(value) != key:
            conn.execute(sa.text(f"UPDATE {table} SET key = :k WHERE id = :i AND key = :t"),
                         {"k": _key(value), "i": row_id, "t": f"~rekey~{row_id}"})


def _fill_article_actors(conn: sa.Connection) -> None:
    conn.execute(sa.text(
        "INSERT INTO article_actors (article_id, key, name, kind, aliases, alias_keys, "
        "titles, actor_id) "
        "SELECT DISTINCT r.article_id, a.key, a.name, a.kind, '', '', '', a.id FROM ("
        " SELECT article_id, actor_id FROM mentions"
        " UNION SELECT article_id, speaker_id FROM statements WHERE speaker_id IS NOT NULL"
        " UNION SELECT article_id, addressee_id FROM statements"
        "  WHERE addressee_id IS NOT NULL"
        " UNION SELECT s.article_id, t.actor_id FROM statement_about t"
        "  JOIN statements s ON s.id = t.statement_id"
        " UNION SELECT e.article_id, x.actor_id FROM event_actors x"
        "  JOIN events e ON e.id = x.event_id"
        ") r JOIN actors a ON a.id = r.actor_id"))


_MINOR = {"of", "the", "and", "for", "on", "in", "de", "&"}


def _suffixes(name: str) -> list[tuple[str, str, str]]:
    words = name.split()
    out = [("tail", _key(" ".join(words[i:])), " ".join(words[:i])[:400])
           for i in range(1, len(words))]
    letters = "".join(_key(w)[:1] for w in words if _key(w) not in _MINOR)
    if len(words) >= 2 and len(letters) >= 2:
        out.append(("initials", letters[:400], ""))
    return [row for row in out if row[1]]


def _fill_suffixes(conn: sa.Connection) -> None:
    names = [*conn.execute(sa.text("SELECT id, name FROM actors")),
             *conn.execute(sa.text("SELECT actor_id, alias FROM actor_aliases"))]
    rows = sorted({(actor_id, *row) for actor_id, name in names for row in _suffixes(name)})
    if rows:
        conn.execute(sa.text("INSERT INTO actor_suffixes (actor_id, form, suffix, lead) "
                             "VALUES (:a, :f, :s, :l)"),
                     [{"a": a, "f": f, "s": x, "l": lead} for a, f, x, lead in rows])


def downgrade() -> None:
    op.drop_index("ix_actor_suffixes_suffix", table_name="actor_suffixes")
    op.drop_table("actor_suffixes")
    op.drop_table("actor_rules")
    op.drop_index("ix_article_actors_key", table_name="article_actors")
    op.drop_index("ix_article_actors_actor", table_name="article_actors")
    op.drop_table("article_actors")
