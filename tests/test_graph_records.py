"""The graph of a period read lean (Store.graph_records, kb.graph.period_graph) is the
graph built from every record of the base: the same nodes and edges, in the same
order, with the same attributes; on the demo corpus plus undated facts, on SQLite and
PostgreSQL."""

from __future__ import annotations

import gc
from typing import Any

import networkx as nx
import pytest

from kb.export.commands import load_records
from kb.extract.types import EventDate
from kb.graph import build_graph, period_graph
from kb.graph.records import parse_day
from kb.store import Store

from .conftest import ROOT, run
from .test_store import make


def _undated() -> list[tuple[Any, Any]]:
    """An article with no date at all, and one whose events state none (drawn on the
    article's day) with a statement dated weeks before it and reported by an event."""
    return [
        make(["Kerrin Vale met Dana Holt.", '"All is well," Holt said.'], published=None,
             actors=(("Kerrin Vale", "person", (), ()), ("Dana Holt", "person", ("Holt",), ())),
             quotes=({"speaker": "Dana Holt", "mention": "Holt", "content": "All is well,",
                      "cue": "said"},),
             events=({"type": "meeting", "trigger": "met",
                      "actors": [("Kerrin Vale", "agent"), ("Dana Holt", "participant")]},),
             path="undated.txt"),
        make(["Dana Holt visited Kyiv.", '"It went well," Holt told Kerrin Vale in January.'],
             published="2022-02-22",
             actors=(("Dana Holt", "person", ("Holt",), ()), ("Kerrin Vale", "person", (), ()),
                     ("Kyiv", "place", (), ())),
             quotes=({"speaker": "Dana Holt", "mention": "Holt", "content": "It went well,",
                      "cue": "told", "addressee": "Kerrin Vale", "about": ["Kyiv"],
                      "date": EventDate("2022-01", "2022-01-01", "2022-01-31", "month",
                                        "stated")},),
             events=({"type": "visit", "trigger": "visited", "date": None,
                      "actors": [("Dana Holt", "agent"), ("Kyiv", "target")]},
                     {"type": "statement", "trigger": "told", "quote": 0, "date": None,
                      "actors": [("Dana Holt", "speaker"), ("Kerrin Vale", "addressee")]}),
             path="dated-by-article.txt"),
    ]


@pytest.fixture(scope="module")
def demo(module_db_url: str) -> str:
    """The demo corpus, the five-outlet story (claims and events several articles
    report) and two articles with undated facts."""
    run("ingest", str(ROOT / "sources"), db=module_db_url)
    run("ingest", str(ROOT / "tests" / "data" / "stories" / "articles"), db=module_db_url)
    with Store.open(module_db_url) as store:
        for art, parsed in _undated():
            store.add_article(art, parsed)
    return module_db_url


def same(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> None:
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))


CASES = [
    {},
    {"since": "2022-02-18", "until": "2022-02-24"},
    {"since": "2022-02-21", "until": "2022-02-21"},
    {"since": "2022-02-22"},
    {"until": "2022-02-20"},
    {"since": "2022-01", "until": "2022-01"},
    {"since": "2022-02", "until": "2022"},
    {"since": "2022-02-19", "until": "2022-02-23", "actors_filter": ["Blinken"]},
    {"since": "2022-02-19", "actors_filter": ["holt", "Kerrin Vale"]},
    {"until": "2022-02-22", "types": ["statement", "meeting"]},
    {"since": "2022-02-20", "until": "2022-02-25", "sources": ["Western sanctions"]},
    {"since": "2026-03-09", "until": "2026-03-10"},
    {"since": "2026-03-11", "until": "2026-03-12", "actors_filter": ["Marchetti"]},
]


@pytest.mark.parametrize("filters", CASES)
def test_the_period_graph_is_the_graph_of_every_record(demo: str, filters: dict) -> None:
    """period_graph (the period's facts, Store.graph_facts) and build_graph of the
    period's records (Store.graph_records, made from the same facts) both give the
    graph of every record."""
    since = parse_day(filters.get("since"))
    until = parse_day(filters.get("until"), end=True)
    with Store.open(demo) as store:
        events, statements, actors = load_records(store)
        whole = build_graph(events, statements, actors, **filters)
        lean = period_graph(store, **filters)
        records = store.graph_records(since, until, filters.get("actors_filter", ()))
    same(lean, whole)
    same(build_graph(*records, **filters), whole)
    assert gc.isenabled()  # the collector, paused while they were made, runs again


def test_the_cases_cover_what_a_period_keeps(demo: str) -> None:
    """The cases are not vacuous: periods keep some facts and leave others out,
    undated facts are in some, a statement outside the period is reported by an event
    inside it, and a filter by actor keeps fewer."""
    with Store.open(demo) as store:
        events, statements, actors = load_records(store)
        sizes = {i: period_graph(store, **f).number_of_nodes() for i, f in enumerate(CASES)}
        full = build_graph(events, statements, actors)
        day = period_graph(store, since="2022-02-22", until="2022-02-22")
    assert 0 < sizes[1] < sizes[0] == full.number_of_nodes()
    assert sizes[7] < sizes[1]
    basis = {d.get("basis") for _, d in full.nodes(data=True)}
    assert {"stated", "reported", "undated"} <= basis
    # the statement is of January; the event reporting it is drawn on its article's day
    quotes = [d for _, d in day.nodes(data=True) if d.get("quote") == "It went well,"]
    assert [d["node_type"] for d in quotes] == ["event"]
    # several outlets carry some facts, and an event cites a claim by another report
    assert max(d.get("sources", 0) for _, d in full.nodes(data=True)) >= 3
    heads = {s["id"] for s in statements}
    cited = {e["statement"] for e in events if e["statement"] is not None}
    assert cited - heads
