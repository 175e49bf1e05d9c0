"""The graph built from store records: nodes, role edges, filters, projection, measures."""

from __future__ import annotations

import gc
import json
import time
from pathlib import Path

import networkx as nx
import pytest

from kb.errors import DateError
from kb.facts import actor_fact, event_fact, statement_fact
from kb.graph import (
    actor_projection,
    build_graph,
    centrality,
    communities,
    event_day,
    filter_records,
    spring_positions,
    statement_day,
)
from kb.graph.records import filter_facts

RECORDS = Path(__file__).parent / "data" / "records"


@pytest.fixture(scope="module")
def records():
    return json.loads((RECORDS / "ukraine.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graph(records):
    return build_graph(records["events"], records["statements"], records["actors"])


def test_nodes_are_actors_events_and_unreported_statements(graph):
    kinds = {n: d["node_type"] for n, d in graph.nodes(data=True)}
    assert sorted(n for n, k in kinds.items() if k == "event") == [
        f"event:{i}" for i in range(1, 8)
    ]
    # Statements 1-4 are reported by events; statement 5 has no event and is a node.
    assert [n for n, k in kinds.items() if k == "statement"] == ["statement:5"]
    assert sum(k == "actor" for k in kinds.values()) == 9


@pytest.mark.parametrize(
    "node, expected",
    [
        (
            "actor:Sheba Crocker",
            {"kind": "person", "titles": ["US ambassador to the UN"], "activity": 2, "mentions": 3},
        ),
        ("actor:Russia", {"kind": "country", "aliases": ["Moscow", "Russian"], "activity": 4}),
        (
            "event:3",
            {
                "type": "attack",
                "date": "2022-02-24",
                "basis": "stated",
                "source_publisher": "Example Wire",
            },
        ),
        (
            "event:2",
            {
                "type": "warn",
                "date": "2022-02-21",
                "basis": "reported",
                "quote": "a Russian invasion of Ukraine would create a “human rights catastrophe”",
            },
        ),
        ("event:7", {"date": "2022-02-01", "date_end": "2022-02-28", "granularity": "month"}),
        (
            "statement:5",
            {
                "type": "statement",
                "date": "2022-02-18",
                "basis": "stated",
                "speaker": "Antony Blinken",
            },
        ),
    ],
)
def test_node_attributes(graph, node, expected):
    data = graph.nodes[node]
    assert {k: data[k] for k in expected} == expected


def test_the_graph_is_the_one_the_networkx_api_makes(graph):
    """build_graph fills the graph's dicts itself (kb.graph.build._Parts): the same
    graph, node for node and edge for edge in the same order, as the API makes, with
    the structure networkx keeps (one key dict shared by both directions)."""
    api = nx.MultiDiGraph()
    api.add_nodes_from(graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        api.add_edge(u, v, key=key, **data)
    assert list(graph.nodes(data=True)) == list(api.nodes(data=True))
    assert list(graph.edges(keys=True, data=True)) == list(api.edges(keys=True, data=True))
    assert list(graph.in_edges(keys=True)) == list(api.in_edges(keys=True))
    assert nx.utils.graphs_equal(graph, api)
    assert dict(graph.degree) == dict(api.degree)
    assert graph._adj is graph._succ
    for u, v in graph.edges():
        assert graph._succ[u][v] is graph._pred[v][u]
    copied = graph.copy()
    assert list(copied.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))
    copied.add_edge("actor:Russia", "event:1", key="agent")
    assert not graph.has_edge("actor:Russia", "event:1", key="agent")
    assert nx.utils.graphs_equal(graph.reverse().reverse(), graph)


def test_the_collector_is_resumed_after_a_build(records):
    """build_graph pauses Python's cycle collector while it builds and resumes it, also
    when the build fails; one already paused stays paused."""
    assert gc.isenabled()
    build_graph(records["events"], records["statements"], records["actors"])
    assert gc.isenabled()
    with pytest.raises(DateError):
        build_graph(records["events"], [], [], since="2022-03-01", until="2022-02-01")
    assert gc.isenabled()
    with pytest.raises(KeyError):
        build_graph([{"type": "meet"}], [], [])
    assert gc.isenabled()
    gc.disable()
    try:
        build_graph(records["events"], records["statements"], records["actors"])
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "u, v, role",
    [
        ("actor:Sheba Crocker", "event:1", "speaker"),
        ("event:1", "actor:Michelle Bachelet", "addressee"),
        ("actor:Russia", "event:3", "agent"),
        ("event:3", "actor:Ukraine", "target"),
        ("statement:5", "actor:Russia", "topic"),
    ],
)
def test_role_edges_point_from_doers_to_others(graph, u, v, role):
    assert graph.has_edge(u, v, key=role)
    assert graph[u][v][role]["role"] == role


@pytest.mark.parametrize(
    "filters, expected",
    [
        (
            {},
            {
                "event:1",
                "event:2",
                "event:3",
                "event:4",
                "event:5",
                "event:6",
                "event:7",
                "statement:5",
            },
        ),
        ({"actors_filter": ["blinken"]}, {"event:6", "event:7", "statement:5"}),
        # Statement 1 is about Ukraine; its event (Crocker to Bachelet) names no Ukraine,
        # so the statement stands on its own.
        (
            {"actors_filter": ["Kyiv"]},
            {"event:2", "event:3", "event:4", "statement:1", "statement:5"},
        ),
        ({"since": "2022-02-24"}, {"event:3", "event:4", "event:5", "event:7"}),
        ({"until": "2022-01-31"}, {"event:6"}),
        ({"since": "2022-02-19", "until": "2022-02-21"}, {"event:1", "event:2", "event:7"}),
        ({"types": ["attack", "meet"]}, {"event:3", "event:6"}),
        # Every statement counts as type "statement", also those whose event is a warning.
        (
            {"types": ["statement"]},
            {"event:1", "event:4", "statement:2", "statement:4", "statement:5"},
        ),
        ({"sources": ["Example Wire"]}, {"event:3", "event:4", "event:5"}),
        ({"sources": ["d300bb"]}, {"event:5"}),
    ],
)
def test_filters(records, filters, expected):
    G = build_graph(records["events"], records["statements"], records["actors"], **filters)
    items = {n for n, d in G.nodes(data=True) if d["node_type"] != "actor"}
    assert items == expected
    # No actor is left without an event or statement.
    assert all(G.degree(n) > 0 for n in G)
    # filter_records gives back the records of the facts filter_facts keeps (one set of
    # rules for the exports and for a period's graph), in their order.
    events, statements = filter_records(
        records["events"], records["statements"], records["actors"], **filters)
    kept = filter_facts([event_fact(e) for e in records["events"]],
                        [statement_fact(s) for s in records["statements"]],
                        [actor_fact(a) for a in records["actors"]], **filters)
    assert [e.id for e in kept[0]] == [e["id"] for e in events]
    assert [s.id for s in kept[1]] == [s["id"] for s in statements]


@pytest.mark.parametrize(
    "since, until", [("21/02/2022", None), (None, "Feb 2022"), ("2022-03-01", "2022-02-01")]
)
def test_bad_dates_raise_date_error(records, since, until):
    with pytest.raises(DateError):
        filter_records(records["events"], records["statements"], since=since, until=until)


@pytest.mark.parametrize(
    "record, expected",
    [
        ({"date": None, "source": {"published": "2022-02-21"}}, ("2022-02-21", "reported")),
        ({"date": None, "source": {"published": None}}, (None, "undated")),
        (
            {
                "date": {
                    "value": "2022",
                    "start": "2022-01-01",
                    "end": "2022-12-31",
                    "granularity": "year",
                    "basis": "stated",
                },
                "source": {},
            },
            ("2022-01-01", "stated"),
        ),
    ],
)
def test_event_day(record, expected):
    assert event_day(record) == expected


@pytest.mark.parametrize(
    "record, expected",
    [
        (
            {"date": "2022-02-18", "date_basis": "stated", "reported": "2022-02-21"},
            ("2022-02-18", "stated"),
        ),
        (
            {"date": None, "date_basis": "reported", "reported": "2022-02-21"},
            ("2022-02-21", "reported"),
        ),
        (
            {"date": None, "date_basis": "reported", "reported": None, "source": {}},
            (None, "undated"),
        ),
    ],
)
def test_statement_day(record, expected):
    assert statement_day(record) == expected


def test_projection_keeps_parallel_relations_with_dates(graph):
    P = actor_projection(graph)
    assert isinstance(P, nx.MultiGraph)
    relations = P["actor:Russia"]["actor:Ukraine"]
    # Warned about, attacked, and both named in Blinken's statement.
    assert set(relations) == {"warn", "attack", "statement"}
    assert relations["attack"] == {
        "relation": "attack",
        "weight": 1,
        "events": ["event:3"],
        "first": "2022-02-24",
        "last": "2022-02-24",
    }
    blinken_russia = P["actor:Antony Blinken"]["actor:Russia"]
    assert set(blinken_russia) == {"accuse", "statement"}
    assert blinken_russia["statement"]["events"] == ["statement:5"]
    assert P.nodes["actor:Sheba Crocker"]["kind"] == "person"


def test_projection_counts_shared_events():
    ev = [
        {
            "id": i,
            "type": "meet",
            "date": {"value": d, "start": d, "end": d, "granularity": "day", "basis": "stated"},
            "actors": [{"name": "A", "role": "participant"}, {"name": "B", "role": "participant"}],
            "sentence": "A met B.",
            "source": {"id": "s"},
        }
        for i, d in ((1, "2022-03-02"), (2, "2022-01-05"), (3, "2022-02-01"))
    ]
    P = actor_projection(build_graph(ev, [], []))
    edge = P["actor:A"]["actor:B"]["meet"]
    assert (edge["weight"], edge["first"], edge["last"]) == (3, "2022-01-05", "2022-03-02")
    assert edge["events"] == ["event:2", "event:3", "event:1"]


def test_centrality_and_communities(graph):
    P = actor_projection(graph)
    measures = centrality(P)
    # Ukraine links Putin, Crocker's and Blinken's worlds; the leaves link nobody.
    ranked = sorted(measures, key=lambda n: -measures[n]["betweenness"])
    assert ranked[0] == "actor:Ukraine"
    for leaf in ("Sergei Lavrov", "Vladimir Putin", "Michelle Bachelet"):
        assert measures[f"actor:{leaf}"]["betweenness"] == 0.0
    assert measures["actor:Ukraine"]["degree"] == pytest.approx(4 / 8)
    groups = communities(P)
    assert set(groups) == set(P)
    assert groups["actor:Volodymyr Zelensky"] == groups["actor:United States"]
    assert groups["actor:Volodymyr Zelensky"] != groups["actor:Russia"]


def test_layout_separates_nodes_and_is_deterministic():
    G = nx.barabasi_albert_graph(300, 2, seed=3)
    G.add_nodes_from(range(300, 320))  # isolated actors
    pos = spring_positions(G)
    assert pos == spring_positions(G)
    points = sorted(pos.values())
    assert len(set(points)) == len(points)
    assert all(abs(c) < 1e6 for p in points for c in p)


@pytest.mark.slow
def test_layout_of_2000_actors_is_fast():
    G = nx.barabasi_albert_graph(2000, 2, seed=1)
    start = time.perf_counter()
    pos = spring_positions(G)
    assert len(pos) == 2000
    assert time.perf_counter() - start < 15
