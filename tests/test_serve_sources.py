"""The source-count and PLOVER filters and facets of kb serve, on SQLite and PostgreSQL,
over the invented five-outlet story (tests/data/stories), where claims and events are
carried by several articles: the database's count of a fact's outlets is the one its
record shows, ``min_sources`` keeps exactly the facts that many outlets carry, and the
PLOVER filter is the store's."""

from __future__ import annotations

import pytest
from sqlalchemy import literal_column, select
from starlette.testclient import TestClient

from kb.serve import create_app
from kb.store import Store
from kb.store.reports import outlet, outlet_sql

from .conftest import ROOT, run


@pytest.fixture(scope="module")
def store(module_db_url):
    run("ingest", str(ROOT / "tests" / "data" / "stories" / "articles"), db=module_db_url)
    opened = Store.open(module_db_url, create=False)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store, allowed_hosts=["testserver"]))


def _sql(value: str | None):
    return literal_column("NULL" if value is None else "'" + value.replace("'", "''") + "'")


@pytest.mark.parametrize(
    "publisher, url",
    [
        (None, None),
        ("Reuters", "https://www.example.com/a"),
        ("  The Courier \n", None),
        ("   ", "https://www.BBC.co.uk/news?x=1"),
        (None, "http://user:pw@Example.org:8080/a"),
        (None, "//cdn.example.net/x"),
        (None, "example.com/path"),
        (None, "https://[::1]:80/x"),
        (None, "http://[::1/x"),
        (None, "mailto:someone@example.com"),
        (None, "see http://x.org"),
        (None, "HTTPS://WWW.Example.com#frag"),
        (None, "http://a@b@c.com/"),
        (None, "http:///nohost"),
        (None, "ftp://files.example.org?q"),
    ],
)
def test_the_database_counts_an_outlet_as_kb_does(store, publisher, url):
    expression = outlet_sql(store.engine.dialect.name, _sql(publisher), _sql(url), _sql("a1"))
    with store.engine.connect() as conn:
        assert conn.execute(select(expression)).scalar() == outlet(publisher, url, "a1")


@pytest.mark.parametrize("kind", ["statements", "events"])
@pytest.mark.parametrize("reports", [False, True])
def test_min_sources_keeps_exactly_the_facts_that_many_outlets_carry(store, kind, reports):
    fetch = store.statements if kind == "statements" else store.events
    every = fetch(newest_first=True, reports=reports)
    if reports:  # each report counts its claim's or event's sources
        heads = {r["claim" if kind == "statements" else "group"]: r["sources"]
                 for r in fetch(newest_first=True)}
        sources = {r["id"]: heads[r["claim" if kind == "statements" else "group"]]
                   for r in every}
    else:
        sources = {r["id"]: r["sources"] for r in every}
    assert max(sources.values()) >= 3, "the story has facts carried by several outlets"
    for n in (2, 3, 5):
        expected = [r["id"] for r in every if sources[r["id"]] >= n]
        got = [r["id"] for r in fetch(newest_first=True, reports=reports, min_sources=n)]
        assert got == expected
        page = fetch(newest_first=True, reports=reports, min_sources=n, limit=2, offset=1)
        assert [r["id"] for r in page] == expected[1:3]


def test_api_min_sources_and_plover_are_the_store_filters(client, store):
    for n in (2, 3):
        expected = [e["id"] for e in store.events(newest_first=True, min_sources=n)]
        body = client.get(f"/api/events?min_sources={n}&limit=500").json()
        assert [e["id"] for e in body["items"]] == expected and expected
        assert all(e["sources"] >= n for e in body["items"])
        expected = [s["id"] for s in store.statements(newest_first=True, min_sources=n)]
        got = client.get(f"/api/statements?min_sources={n}&limit=500").json()["items"]
        assert [s["id"] for s in got] == expected
    categories = sorted({e["plover"] for e in store.events() if e["plover"]})
    assert categories
    for category in categories:
        expected = [e["id"] for e in store.events(newest_first=True, plover=category)]
        got = client.get(f"/api/events?plover={category.lower()}&limit=500").json()["items"]
        assert [e["id"] for e in got] == expected
        assert {e["plover"] for e in got} == {category}
    both = client.get(f"/api/events?plover={categories[0]}&min_sources=2").json()["items"]
    assert [e["id"] for e in both] == [
        e["id"] for e in store.events(newest_first=True, plover=categories[0], min_sources=2)]


@pytest.mark.parametrize(
    "query, message",
    [
        ("/api/events?plover=PUNCH", "not a PLOVER category"),
        ("/api/events?min_sources=0", "min_sources=0"),
        ("/api/events?min_sources=two", "not a whole number"),
        ("/api/statements?plover=ASSAULT", "PLOVER categories are of events"),
    ],
)
def test_bad_source_and_plover_filters_are_named(client, query, message):
    r = client.get(query)
    assert r.status_code == 400 and message in r.json()["error"]


def test_search_page_facets_count_sources_and_plover(client, store):
    page = client.get("/search?kind=events").text
    every = store.events(newest_first=True, limit=2000)
    buckets = {"1": 0, "2": 0, "3-4": 0, "5+": 0}
    for e in every:
        n = e["sources"]
        buckets["1" if n == 1 else "2" if n == 2 else "3-4" if n <= 4 else "5+"] += 1
    for label, count in buckets.items():
        if count and label != "1":
            low = label.rstrip("+").split("-")[0]
            assert (f'<a href="/search?kind=events&amp;min_sources={low}" '
                    f'title="carried by at least {low} sources">{label} sources</a> '
                    f'<span class="n">{count}</span>') in page
    assert f'<span>1 source</span> <span class="n">{buckets["1"]}</span>' in page
    plover = sorted({e["plover"] for e in every if e["plover"]})
    for category in plover:
        count = sum(1 for e in every if e["plover"] == category)
        assert (f'<a href="/search?kind=events&amp;plover={category}">{category}</a> '
                f'<span class="n">{count}</span>') in page


def test_search_page_filters_by_sources_and_plover(client, store):
    page = client.get("/search?kind=events&min_sources=3").text
    expected = store.events(newest_first=True, min_sources=3, limit=50)
    assert expected
    for e in expected:
        assert f'href="/event/{e["id"]}">{e["sources"]} sources</a>' in page
    assert page.count('<li class="fact event">') == len(expected)
    assert '<option value="3" selected>3 or more</option>' in page
    none = client.get("/search?kind=statements&min_sources=40").text
    assert "No statements carried by 40 sources or more" in none
    category = next(e["plover"] for e in store.events() if e["plover"])
    page = client.get(f"/search?kind=events&plover={category}").text
    assert f'<option value="{category}" selected>{category}</option>' in page
    assert page.count('<li class="fact event">') == len(
        store.events(plover=category, limit=50))


@pytest.mark.parametrize("reports", [False, True])
def test_plover_filter_keeps_exactly_those_categories_in_order(store, reports):
    """One category (compared with =, so the category index gives the order) and
    several (a list) select the events of those categories, in the unfiltered order,
    alone and with min_sources and a page."""
    every = store.events(newest_first=True, reports=reports)
    categories = sorted({e["plover"] for e in every if e["plover"]})
    assert len(categories) >= 2, "the story has events of several PLOVER categories"
    picks = [[c] for c in categories] + [categories[:2], [categories[0].lower(), categories[0]]]
    for pick in picks:
        wanted = {c.upper() for c in pick}
        expected = [e["id"] for e in every if e["plover"] in wanted]
        got = store.events(newest_first=True, reports=reports, plover=pick)
        assert [e["id"] for e in got] == expected, pick
        oldest = store.events(reports=reports, plover=pick)
        dated = [e["id"] for e in reversed(got) if e["date"]]
        assert [e["id"] for e in oldest if e["date"]] == dated
        page = store.events(newest_first=True, reports=reports, plover=pick, limit=2, offset=1)
        assert [e["id"] for e in page] == expected[1:3]
        carried = [e["id"] for e in every if e["plover"] in wanted and e["sources"] >= 2]
        assert [e["id"] for e in store.events(newest_first=True, reports=reports, plover=pick,
                                              min_sources=2)] == carried
