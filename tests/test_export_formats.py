"""Data exports: JSON and TimelineJS validated, CSV readable, GraphML/GEXF round trips."""

from __future__ import annotations

import copy
import csv
import html
import json

import networkx as nx
import pytest

from kb.errors import ExportError
from kb.export.formats import export_data, timelinejs_document, validate

from .conftest import load_records

HOSTILE_BITS = (
    "<img src=x onerror=window.__pwned=1>",
    "</script><script>window.__pwned=1</script>",
)



@pytest.fixture(scope="module", params=["ukraine", "hostile"])
def records(request):
    return load_records(request.param)


def test_json_export_validates_and_keeps_records(records, tmp_path):
    (path,) = export_data("json", *records, tmp_path / "out" / "kb.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    validate(document, "export.schema.json")
    events, statements, actors = records
    assert document["counts"] == {
        "events": len(events),
        "statements": len(statements),
        "actors": len(actors),
    }
    assert document["events"] == events and document["statements"] == statements


@pytest.mark.parametrize(
    "breakage, where",
    [
        (lambda d: d["events"][0].pop("sentence"), "events/0"),
        (lambda d: d["statements"][0].update(date="21 Feb"), "statements/0/date"),
        (lambda d: d["actors"][0].update(kind="alien"), "actors/0/kind"),
        (lambda d: d.update(version=2), "version"),
    ],
)
def test_export_schema_rejects_broken_documents(breakage, where):
    from kb.export.formats import export_document

    document = copy.deepcopy(export_document(*load_records("ukraine")))
    breakage(document)
    with pytest.raises(ExportError, match=where):
        validate(document, "export.schema.json")


def test_csv_has_events_and_statements_rows_and_an_actor_file(tmp_path):
    events, statements, actors = load_records("ukraine")
    paths = export_data("csv", events, statements, actors, tmp_path / "kb.csv")
    assert [p.name for p in paths] == ["kb.csv", "kb.actors.csv"]
    with paths[0].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["record"] for r in rows].count("event") == len(events)
    assert [r["record"] for r in rows].count("statement") == len(statements)
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    attack = next(r for r in rows if r["record"] == "event" and r["id"] == "3")
    assert attack["actors"] == "Russia (agent); Ukraine (target)"
    assert attack["source_title"] == "Russia launches invasion of Ukraine"
    quote = next(r for r in rows if r["record"] == "statement" and r["id"] == "4")
    assert (quote["speaker"], quote["quote"]) == (
        "Volodymyr Zelensky",
        "I need ammunition, not a ride.",
    )
    with paths[1].open(encoding="utf-8", newline="") as handle:
        people = {r["name"]: r for r in csv.DictReader(handle)}
    assert people["Russia"]["aliases"] == "Moscow; Russian"


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_formats_round_trip(records, fmt, reader, tmp_path):
    from kb.graph import build_graph

    (path,) = export_data(fmt, *records, tmp_path / f"kb.{fmt}")
    G = reader(path)
    original = build_graph(*records)
    assert set(G.nodes) == set(original.nodes)
    assert G.number_of_edges() == original.number_of_edges()
    for node, data in original.nodes(data=True):
        back = G.nodes[node]
        assert back["node_type"] == data["node_type"]
        if data["node_type"] == "actor":
            assert back["kind"] == data["kind"]
            assert back.get("titles", "") == "; ".join(data["titles"])
        else:
            assert back["sentence"] == data["sentence"]
            assert back.get("date") == data["date"]
            assert back["record_id"] in (data["id"], str(data["id"]))
    roles = sorted(d["role"] for _, _, d in G.edges(data=True))
    assert roles == sorted(k for _, _, k in original.edges(keys=True))
    # Only scalars were written: no None, no lists.
    for _, data in G.nodes(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())


def test_timelinejs_validates_and_respects_granularity(tmp_path):
    events, statements, actors = load_records("ukraine")
    (path,) = export_data("timelinejs", events, statements, actors, tmp_path / "t.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    validate(document, "timelinejs.schema.json")
    slides = {s["unique_id"]: s for s in document["events"]}
    assert slides["event-3"]["start_date"] == {"year": 2022, "month": 2, "day": 24}
    assert slides["event-7"]["start_date"] == {"year": 2022, "month": 2}  # a month
    assert "display_date" in slides["event-2"]  # dated only by its article
    assert "display_date" not in slides["event-3"]
    assert slides["event-3"]["group"] == "Russia"
    # reported speech reads as a clause; only the article's quoted words get marks
    assert slides["statement-5"]["text"]["headline"] == (
        "Antony Blinken said Russia is planning to invade Ukraine")
    headlines = [s["text"]["headline"] for s in document["events"]]
    assert [h for h in headlines if "ammunition" in h] == [
        html.escape("Volodymyr Zelensky told: “I need ammunition, not a ride.”")]
    starts = [
        tuple(s["start_date"].get(k, 0) for k in ("year", "month", "day"))
        for s in document["events"]
    ]
    assert starts == sorted(starts)


def test_timelinejs_escapes_html():
    document = timelinejs_document(*load_records("hostile"))
    validate(document, "timelinejs.schema.json")
    text = json.dumps(document, ensure_ascii=False)
    for bit in HOSTILE_BITS:
        assert bit not in text
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in text


@pytest.mark.parametrize(
    "slide",
    [
        {"text": {"headline": "no date"}},
        {"start_date": {"month": 2}},
        {"start_date": {"year": 2022, "month": 13}},
        {"start_date": {"year": "twenty"}},
        {"start_date": {"year": 2022}, "colour": "red"},
    ],
)
def test_timelinejs_schema_rejects_bad_slides(slide):
    with pytest.raises(ExportError):
        validate({"events": [slide]}, "timelinejs.schema.json")


def test_unknown_format_names_the_choices(tmp_path):
    with pytest.raises(ExportError, match="json, csv, graphml, gexf, timelinejs"):
        export_data("xlsx", [], [], [], tmp_path / "kb.xlsx")


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_formats_keep_parallel_roles(fmt, reader, tmp_path):
    event = {
        "id": 1,
        "type": "attack",
        "predicate": "strike",
        "trigger": "struck",
        "date": None,
        "sentence": "A struck B.",
        "source": {"id": "a1", "published": "2022-02-24"},
        "actors": [
            {"name": "A", "role": "speaker"},
            {"name": "A", "role": "agent"},
            {"name": "B", "role": "target"},
        ],
    }
    (path,) = export_data(fmt, [event], [], [], tmp_path / f"p.{fmt}")
    G = reader(path)
    assert G.is_multigraph()
    roles = sorted(d["role"] for _, _, d in G.edges("actor:A", data=True))
    assert roles == ["agent", "speaker"]
