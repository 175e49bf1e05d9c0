"""How the pages' queries are planned: what migration 0010 gives the databases (the
PLOVER index in date order, PostgreSQL's statistics on the head-report condition), and
that an older database upgraded to it lists the same records."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import inspect, text

from kb.store import Store

from .conftest import migrate
from .test_actor_counts import article_c, busy_articles
from .test_store import article_a, article_b, make


def _filled(url: str) -> Store:
    store = Store.open(url)
    for art, parsed in (article_a(), article_b(), article_c(), *busy_articles()[:12]):
        store.add_article(art, parsed)
    return store


def _listed(store: Store) -> tuple:
    return (
        [e["id"] for e in store.events(newest_first=True, limit=5)],
        [s["id"] for s in store.statements(newest_first=True, limit=5)],
        [e["id"] for e in store.events(plover=["CONSULT", "ASSAULT"])],
        [e["id"] for e in store.events(plover=["CONSULT"], since=dt.date(2022, 1, 5))],
        [s["id"] for s in store.statements(contains="agreed", newest_first=True)],
    )


def test_upgrade_to_0010_keeps_every_listing(db_url: str) -> None:
    from kb.store.engine import make_engine

    with _filled(db_url) as store:
        before = _listed(store)
    assert before[0] and before[1] and before[4]
    engine = make_engine(db_url)
    migrate(db_url, "0009")
    with engine.connect() as conn:
        names = {i["name"] for i in inspect(conn).get_indexes("events")}
        assert "ix_events_plover_date" in names and "ix_events_plover_order" not in names
    migrate(db_url, "head")
    with engine.connect() as conn:
        names = {i["name"] for i in inspect(conn).get_indexes("events")}
        assert "ix_events_plover_order" in names and "ix_events_plover_date" not in names
        if conn.dialect.name == "postgresql":
            kept = set(conn.execute(text("SELECT stxname FROM pg_statistic_ext")).scalars())
            assert {"st_events_head", "st_statements_head"} <= kept
    engine.dispose()
    with Store.open(db_url) as store:
        assert _listed(store) == before


def test_postgresql_estimates_how_many_reports_are_heads(db_url: str) -> None:
    """The planner's estimate of the head reports is near the truth (without the
    statistics it guesses one row in two hundred), so it walks a date index for a page
    rather than sorting every match."""
    if not db_url.startswith("postgresql"):
        return
    with _filled(db_url) as store, store.engine.connect() as conn:
        for table in ("events", "statements"):
            conn.execute(text(f"ANALYZE {table}"))
        for table, group in (("events", "cluster_id"), ("statements", "claim_id")):
            truth = conn.execute(text(
                f"SELECT count(*) FROM {table} WHERE {group} = id")).scalar()
            plan = conn.execute(text(
                f"EXPLAIN (FORMAT JSON) SELECT id FROM {table} "
                f"WHERE ({group} = id) IS TRUE")).scalar()
            plan = plan if isinstance(plan, list) else json.loads(plan)
            estimate = plan[0]["Plan"]["Plan Rows"]
            assert truth >= 3 and truth / 2 <= estimate <= truth * 2, (table, truth, estimate)


def _summit(path: str, published: str, joint: bool) -> tuple:
    """Biden's words, with Putin a joint subject of the act of saying when ``joint``."""
    roles = [("Joe Biden", "speaker"), ("Vladimir Putin", "agent")] if joint else [
        ("Joe Biden", "speaker")]
    return make(
        [f"From {path}.",
         'Biden and Putin approved a summit: "The talks will go on in Geneva next week."'],
        published=published, path=path,
        actors=(("Joe Biden", "person", ("Biden",), ()),
                ("Vladimir Putin", "person", ("Putin",), ())),
        quotes=({"speaker": "Joe Biden", "mention": "Biden", "cue": "approved",
                 "content": "The talks will go on in Geneva next week."},),
        events=({"type": "STATEMENT", "trigger": "approved", "actors": roles, "quote": 0},),
    )


def test_who_finds_joint_subjects_through_any_report(db_url: str) -> None:
    """``who`` finds a statement by its speaker and by a joint subject of its act of
    saying, named in any report of the claim (on PostgreSQL one list of ids, on SQLite
    an OR of two index reads: the same statements)."""
    with Store.open(db_url) as store:
        store.add_article(*_summit("first.txt", "2022-02-21", joint=False))
        store.add_article(*_summit("second.txt", "2022-02-22", joint=True))
        every = store.statements(reports=True)
        assert len(every) == 2 and len(store.statements()) == 1  # one claim, two reports
        head = store.statements()[0]["id"]
        second = next(s["id"] for s in every if s["source"]["path"] == "second.txt")
        assert [s["id"] for s in store.statements(who="Biden")] == [head]
        assert [s["id"] for s in store.statements(who="Putin")] == [head]
        assert [s["id"] for s in store.statements(who="Putin", reports=True)] == [second]
        assert {s["id"] for s in store.statements(who="Biden", reports=True)} == {
            s["id"] for s in every}
        assert store.statement_ids(who=["Putin"], limit=1, newest_first=True) == [head]
