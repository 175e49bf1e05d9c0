"""Migration 0007 on a database written before keys ignored accents: actors whose new
keys collide become one, with every fact (and no duplicate event role or topic), the
aliases are re-keyed, each article's own actor names are filled in, and lookups then
ignore accents (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from sqlalchemy import text

from kb.store import Store
from kb.store.engine import make_engine

from .conftest import run

ROWS = [
    "INSERT INTO articles (id, hash, format, text, ingested_at) VALUES "
    "(1, 'h1', 'text', 'José Pérez said it. Jose Perez said it.', CURRENT_TIMESTAMP)",
    "INSERT INTO actors (id, name, kind, key) VALUES (1, 'José Pérez', 'person', "
    "'josé pérez'), (2, 'Jose Perez', 'unknown', 'jose perez'), (3, 'Russia', 'country', "
    "'russia')",
    "INSERT INTO actor_aliases (actor_id, alias, key) VALUES (1, 'Pérez', 'pérez'), "
    "(2, 'Perez', 'perez'), (1, 'PÉREZ', 'pérez.')",
    "INSERT INTO mentions (actor_id, article_id, start, \"end\", text) VALUES "
    "(1, 1, 0, 10, 'José Pérez'), (2, 1, 20, 30, 'Jose Perez'), (3, 1, 0, 1, 'R')",
    "INSERT INTO statements (id, article_id, speaker_id, content_text, content_start, "
    "content_end, direct, date_basis) VALUES (1, 1, 1, 'it', 16, 18, false, 'reported'), "
    "(2, 1, 2, 'it', 36, 38, false, 'reported')",
    "INSERT INTO statement_about (statement_id, actor_id) VALUES (1, 1), (1, 2), (2, 3)",
    "INSERT INTO events (id, article_id, type, predicate, trigger_text, trigger_start, "
    "trigger_end, negated, hypothetical) VALUES (1, 1, 'STATEMENT', 'say', 'said', 11, 15, "
    "false, false)",
    "INSERT INTO event_actors (event_id, actor_id, role) VALUES (1, 1, 'agent'), "
    "(1, 2, 'agent'), (1, 3, 'patient')",
]


def test_upgrade_merges_actors_whose_keys_now_collide(db_url):
    from alembic import command

    from kb.store.migrate import alembic_config

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), "0006")
        for row in ROWS:
            conn.execute(text(row))
    engine.dispose()
    with Store.open(db_url) as store, store.engine.connect() as conn:
        actors = conn.execute(text("SELECT id, name, kind, key FROM actors ORDER BY id")).all()
        assert [tuple(a) for a in actors] == [(1, "José Pérez", "person", "jose perez"),
                                              (3, "Russia", "country", "russia")]
        assert conn.execute(text("SELECT actor_id FROM mentions ORDER BY id")).scalars().all() \
            == [1, 1, 3]
        assert conn.execute(text("SELECT speaker_id FROM statements ORDER BY id")
                            ).scalars().all() == [1, 1]
        assert conn.execute(text("SELECT statement_id, actor_id FROM statement_about ORDER BY "
                                 "statement_id, actor_id")).all() == [(1, 1), (2, 3)]
        assert conn.execute(text("SELECT actor_id, role FROM event_actors ORDER BY actor_id")
                            ).all() == [(1, "agent"), (3, "patient")]
        assert conn.execute(text("SELECT alias, key FROM actor_aliases ORDER BY key, alias")
                            ).all() == [("Pérez", "perez")]
        assert conn.execute(text("SELECT article_id, key, actor_id FROM article_actors ORDER "
                                 "BY key")).all() == [(1, "jose perez", 1), (1, "russia", 3)]
        assert ("tail", "perez", "José") in conn.execute(text(
            "SELECT form, suffix, lead FROM actor_suffixes WHERE actor_id = 1")).all()
    rows = json.loads(run("said", "--who", "jose perez", "-f", "json", db=db_url).stdout)
    assert [r["speaker"] for r in rows] == ["José Pérez", "José Pérez"]
    assert "José Pérez (person)" in run("show", "PEREZ", db=db_url).stdout
