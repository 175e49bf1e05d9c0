"""The number of sources kept on every report (``statements.sources``,
``events.sources``, :func:`kb.store.reports.refresh_sources`) equals the number of
outlets its claim or event counts from its reports, after every change that moves
reports between groups: ingest, deleting an article and adding it back, re-extraction
(articles replaced), curation and ``kb reconsolidate``; on SQLite and PostgreSQL, over
the invented five-outlet story (tests/data/stories)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text

from kb.store import Store
from kb.store.reports import outlet

from .conftest import ROOT, migrate, run

STORY = ROOT / "tests" / "data" / "stories" / "articles"


def check(store: Store) -> int:
    """Assert the kept numbers equal the counted ones; the most sources of a fact."""
    most = 0
    with store.engine.connect() as conn:
        for kind in ("statements", "events"):
            kept = dict(conn.execute(text(f"SELECT id, sources FROM {kind}")).all())
            fetch = store.statements if kind == "statements" else store.events
            counted = {r["id"]: r["sources"] for r in fetch(reports=True)}
            assert kept == counted, kind
            most = max(most, *kept.values())
    return most


def test_kept_sources_follow_every_change(db_url, tmp_path):
    folder = tmp_path / "story"
    shutil.copytree(STORY, folder)
    run("ingest", str(folder), db=db_url)
    with Store.open(db_url, create=False) as store:
        assert check(store) >= 3, "the story has facts several outlets carry"
        carried = next(s for s in store.statements(reports=True) if s["sources"] >= 3)
        article = carried["source"]["id"]
        assert store.delete_article(article)
        check(store)
    run("ingest", str(folder), db=db_url)  # the deleted article comes back
    run("reprocess", "--all", db=db_url)  # every article's rows replaced
    with Store.open(db_url) as store:
        check(store)
        actors = [a["name"] for a in store.actors() if a["statements"] or a["events"]]
        store.add_actor_rule("merge", actors[0], actors[1])
        check(store)
        store.add_actor_rule("split", actors[0], actors[1])
        check(store)
        with store.engine.begin() as conn:  # stale numbers are counted again from scratch
            conn.execute(text("UPDATE statements SET sources = 7"))
            conn.execute(text("UPDATE events SET sources = 7"))
        store.reconsolidate()
        assert check(store) >= 3


def test_upgrade_to_0010_counts_the_sources_of_an_older_database(db_url, tmp_path):
    run("ingest", str(STORY), db=db_url)
    migrate(db_url, "0009")
    migrate(db_url, "head")
    with Store.open(db_url, create=False) as store:
        assert check(store) >= 3


def _migration() -> object:
    import importlib.util

    path = ROOT / "kb" / "store" / "migrations" / "versions" / "0010_head_order.py"
    spec = importlib.util.spec_from_file_location("kb_migration_0010", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("publisher, url", [
    (None, None), ("  The Courier \n", None), ("   ", "https://www.BBC.co.uk/news?x=1"),
    (None, "http://user:pw@Example.org:8080/a"), (None, "//cdn.example.net/x"),
    (None, "example.com/path"), (None, "https://[::1]:80/x"), (None, "http://[::1/x"),
    (None, "mailto:someone@example.com"), (None, "HTTPS://WWW.Example.com#frag"),
    (None, "http://www./x"), (None, "http:///nohost"), ("\t", "ftp://files.example.org?q"),
])
def test_the_migration_counts_an_outlet_as_kb_does(db_url, publisher, url):
    """The outlet the migration writes out in SQL is :func:`kb.store.reports.outlet`."""
    outlet_sql = _migration()._OUTLET  # type: ignore[attr-defined]
    with Store.open(db_url) as store, store.engine.connect() as conn:
        expression = outlet_sql[conn.dialect.name]
        got = conn.execute(text(
            f"SELECT {expression} FROM (SELECT CAST(:publisher AS TEXT) AS publisher, "
            "CAST(:url AS TEXT) AS url, 'a1' AS hash) AS a"),
            {"publisher": publisher, "url": url}).scalar()
    assert got == outlet(publisher, url, "a1")
