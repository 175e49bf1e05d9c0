"""Curation rules through the command line: `kb actors merge|split|rename|alias add`
change the stored facts at once, are listed by `kb actors rules`, and are applied again
to every later ingest, to a re-ingested article and to `kb reprocess` (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from kb.jsonschema_util import validate
from kb.store import Store
from kb.store.engine import make_engine

from .conftest import run

A = ("date 2022-02-20 Tony Blinken said on Sunday that Russia would invade Ukraine. "
     "Blinken told reporters that the talks had failed.")
B = "date 2022-02-21 Antony Blinken said on Monday that the sanctions were ready."
C = "date 2022-02-22 Jordan said on Tuesday that the border would stay open."
D = "date 2022-02-22 Michael Jordan said on Tuesday that the team was ready."


@pytest.fixture
def db(db_url, tmp_path):
    for name, text in (("a.txt", A), ("b.txt", B)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    run("ingest", str(tmp_path), db=db_url)
    return db_url


def actors(db: str) -> dict[str, dict]:
    return {a["name"]: a for a in json.loads(run("actors", "-f", "json", db=db).stdout)}


def speakers(db: str) -> list[str]:
    rows = json.loads(run("said", "--all", "-f", "json", db=db).stdout)
    return sorted(r["speaker"] or "" for r in rows)


def forget(db: str, path) -> None:
    """Delete one article and every fact of it from the database (Store.delete_article:
    its claims, events and actors' counts kept right)."""
    with Store.open(db.replace("postgresql://", "postgresql+psycopg://", 1)) as store:
        for article in store.articles():
            if (article["path"] or "").endswith(path):
                assert store.delete_article(article["id"])


def test_actors_without_a_subcommand_lists_actors(db):
    assert {"Tony Blinken", "Antony Blinken", "Russia"} <= set(actors(db))
    assert "Tony Blinken" in run("actors", db=db).stdout


def test_merge_moves_every_fact_and_survives_reingest(db, tmp_path):
    assert set(speakers(db)) == {"Antony Blinken", "Tony Blinken"}
    total = len(speakers(db))
    res = run("actors", "merge", "Antony Blinken", "Tony Blinken", db=db)
    assert "rule 1:" in res.stdout
    found = actors(db)
    assert "Tony Blinken" not in found
    assert "Tony Blinken" in found["Antony Blinken"]["aliases"]
    assert found["Antony Blinken"]["statements"] == total
    assert speakers(db) == ["Antony Blinken"] * total
    rows = json.loads(run("said", "--who", "Tony Blinken", "-f", "json", db=db).stdout)
    assert len(rows) == total
    before = actors(db)
    forget(db, "a.txt")
    assert "Tony Blinken" not in actors(db)
    run("ingest", str(tmp_path), db=db)
    assert actors(db) == before
    run("reprocess", "--all", db=db)
    assert actors(db) == before
    assert speakers(db) == ["Antony Blinken"] * total


def test_rename_and_alias_survive_reingest(db, tmp_path):
    run("actors", "rename", "Antony Blinken", "Antony J. Blinken", db=db)
    run("actors", "alias", "add", "Antony J. Blinken", "Secretary Tony", db=db)
    found = actors(db)
    assert "Antony Blinken" not in found
    assert {"Antony Blinken", "Secretary Tony"} <= set(found["Antony J. Blinken"]["aliases"])
    rows = json.loads(run("said", "--who", "Secretary Tony", "-f", "json", db=db).stdout)
    assert [r["speaker"] for r in rows] == ["Antony J. Blinken"]
    before = actors(db)
    forget(db, "b.txt")
    run("ingest", str(tmp_path), db=db)
    assert actors(db) == before
    run("reprocess", "--all", db=db)
    assert actors(db) == before


def test_split_moves_the_mentions_written_so(db_url, tmp_path):
    (tmp_path / "c.txt").write_text(C, encoding="utf-8")
    (tmp_path / "d.txt").write_text(D, encoding="utf-8")
    run("ingest", str(tmp_path), db=db_url)
    # one full name and a bare surname: the surname joins it, which is wrong here
    assert "Jordan" not in actors(db_url)
    assert actors(db_url)["Michael Jordan"]["statements"] == 2
    run("actors", "split", "Michael Jordan", "--name", "Jordan", db=db_url)
    found = actors(db_url)
    assert found["Jordan"]["statements"] == 1 and found["Michael Jordan"]["statements"] == 1
    assert "Jordan" not in found["Michael Jordan"]["aliases"]
    before = actors(db_url)
    forget(db_url, "c.txt")
    forget(db_url, "d.txt")
    run("ingest", str(tmp_path), db=db_url)
    assert actors(db_url) == before
    run("reprocess", "--all", db=db_url)
    assert actors(db_url) == before


def test_rules_are_listed_in_order_as_table_and_json(db):
    run("actors", "merge", "Antony Blinken", "Tony Blinken", db=db)
    run("actors", "alias", "add", "Russia", "Russian Federation", db=db)
    rules = json.loads(run("actors", "rules", "-f", "json", db=db).stdout)
    for rule in rules:
        validate(rule, "actor-rule")
    assert [(r["id"], r["action"], r["actor"], r["name"]) for r in rules] == [
        (1, "merge", "Antony Blinken", "Tony Blinken"),
        (2, "alias", "Russia", "Russian Federation"),
    ]
    table = run("actors", "rules", db=db).stdout
    assert "Tony Blinken is merged into Antony Blinken" in table


@pytest.mark.parametrize("args, message", [
    (("merge", "Antony Blinken", "Nobody Here"), "no actor is called 'Nobody Here'"),
    (("merge", "Antony Blinken", "Antony Blinken"), "already one actor"),
    (("rename", "Antony Blinken", "Tony Blinken"), "already called"),
    (("split", "Antony Blinken", "--name", "Antony Blinken"), "own name"),
    (("rename", "Antoni Blinkn", "X"), "did you mean"),
])
def test_bad_rules_are_one_line_errors_and_change_nothing(db, args, message):
    before = actors(db)
    res = run("actors", *args, db=db, check=2)
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert actors(db) == before
    assert json.loads(run("actors", "rules", "-f", "json", db=db).stdout) == []


E = "date 2022-02-23 Blinken said on Wednesday that the embassy would stay open."


@pytest.mark.parametrize("rule_first", [False, True])
def test_a_merge_rule_lets_a_bare_surname_join_before_or_after_ingest(db_url, tmp_path,
                                                                      rule_first):
    """Two full names ending Blinken keep a bare "Blinken" apart until a rule says they
    are one person; the result is the same whether the rule or the articles came first."""
    for name, text in (("a.txt", A), ("b.txt", B)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    run("ingest", str(tmp_path), db=db_url)
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "e.txt").write_text(E, encoding="utf-8")
    if not rule_first:
        run("ingest", str(tmp_path / "e"), db=db_url)
        assert actors(db_url)["Blinken"]["statements"] == 1
    run("actors", "merge", "Antony Blinken", "Tony Blinken", db=db_url)
    if rule_first:
        run("ingest", str(tmp_path / "e"), db=db_url)
    found = actors(db_url)
    assert "Blinken" not in found and "Tony Blinken" not in found
    assert set(speakers(db_url)) == {"Antony Blinken"}


def test_merge_keeps_one_row_where_both_actors_held_the_same_role(db_url):
    """An event with both actors as agent and a statement about both: after the merge
    each is held once, by the actor that stays (no primary-key collision)."""
    from kb.store import Store

    Store.open(db_url).close()
    engine = make_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        for row in (
            "INSERT INTO articles (id, hash, format, text, ingested_at) VALUES "
            "(1, 'h1', 'text', 'A and B met. A said so.', CURRENT_TIMESTAMP)",
            "INSERT INTO actors (id, name, kind, key) VALUES (1, 'Alpha Group', "
            "'organization', 'alpha group'), (2, 'Alpha Grp', 'organization', 'alpha grp')",
            "INSERT INTO statements (id, article_id, speaker_id, addressee_id, content_text, "
            "content_start, content_end, direct, date_basis) VALUES "
            "(1, 1, 2, 1, 'so', 20, 22, false, 'reported')",
            "INSERT INTO statement_about (statement_id, actor_id) VALUES (1, 1), (1, 2)",
            "INSERT INTO events (id, article_id, type, predicate, trigger_text, "
            "trigger_start, trigger_end, negated, hypothetical) VALUES "
            "(1, 1, 'meeting', 'meet', 'met', 8, 11, false, false)",
            "INSERT INTO event_actors (event_id, actor_id, role) VALUES (1, 1, 'agent'), "
            "(1, 2, 'agent'), (1, 2, 'participant')",
            "INSERT INTO mentions (actor_id, article_id, start, \"end\", text) VALUES "
            "(1, 1, 0, 1, 'A'), (2, 1, 6, 7, 'B')",
        ):
            conn.execute(sa.text(row))
    run("actors", "merge", "Alpha Group", "Alpha Grp", db=db_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id FROM actors")).scalars().all() == [1]
        assert conn.execute(sa.text("SELECT actor_id, role FROM event_actors ORDER BY role")
                            ).all() == [(1, "agent"), (1, "participant")]
        assert conn.execute(sa.text("SELECT actor_id FROM statement_about")).all() == [(1,)]
        assert conn.execute(sa.text("SELECT speaker_id, addressee_id FROM statements")
                            ).all() == [(1, 1)]
        assert conn.execute(sa.text("SELECT actor_id FROM mentions")).scalars().all() == [1, 1]
    engine.dispose()
    assert "Alpha Grp" in actors(db_url)["Alpha Group"]["aliases"]


QUOTE = ('date 2022-02-20 "We believe President Putin has made the decision," {who} told '
         "reporters on Sunday.")


def test_a_merge_rule_joins_the_claims_of_both_actors(db_url, tmp_path):
    """The same quotation by "Tony Blinken" and by "Antony Blinken" is two claims (two
    speakers) until a rule says they are one person: then one claim, two sources."""
    for label, who in (("a", "Tony Blinken"), ("b", "Antony Blinken")):
        (tmp_path / f"{label}.txt").write_text(QUOTE.format(who=who), encoding="utf-8")
    run("ingest", str(tmp_path), db=db_url)
    claims = json.loads(run("said", "--all", "-f", "json", db=db_url).stdout)
    assert sorted((c["speaker"], c["sources"]) for c in claims) == [
        ("Antony Blinken", 1), ("Tony Blinken", 1)]
    run("actors", "merge", "Antony Blinken", "Tony Blinken", db=db_url)
    claims = json.loads(run("said", "--all", "-f", "json", db=db_url).stdout)
    assert [(c["speaker"], c["sources"]) for c in claims] == [("Antony Blinken", 2)]
