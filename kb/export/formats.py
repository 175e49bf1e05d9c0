"""Data exports: JSON, CSV, GraphML, GEXF and TimelineJS, from the store's records.

``export_data(fmt, events, statements, actors, out)`` writes one format and returns the
files written:

- ``json``: ``{"format": "kb-export", "version": 1, "counts", "events", "statements",
  "actors"}``, validated against schemas/export.schema.json before it is written;
- ``csv``: ``out`` holds events and statements, one row each, told apart by the
  ``record`` column; the actors go beside it in ``<stem>.actors.csv``; lists are
  joined with ``"; "``;
- ``graphml`` / ``gexf``: the graph of :func:`kb.graph.build_graph` with only scalar
  attributes (lists joined with ``"; "``, ``None`` left out; the record id is
  ``record_id``; edges keyed ``e0, e1, ...`` with the actor's ``role``), readable by
  ``networkx.read_graphml`` / ``read_gexf`` and by Gephi;
- ``timelinejs``: the TimelineJS3 JSON format (``{"title", "events": [{"start_date",
  "text": {"headline", "text"}, "group"}]}``), validated against
  schemas/timelinejs.schema.json. TimelineJS shows ``text`` as HTML, so every text is
  HTML-escaped here.
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.errors import ExportError
from kb.graph.records import Record, event_day, statement_day
from kb.jsonschema_util import first_error
from kb.safe import atomic_path, atomic_write, csv_cell, xml_text

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "FORMATS",
    "export_data",
    "export_document",
    "timelinejs_document",
    "scalar_graph",
    "validate",
]

FORMATS = ("json", "csv", "graphml", "gexf", "timelinejs")

def validate(document: Any, schema_name: str) -> None:
    """Raise ExportError naming the first place where ``document`` breaks the schema."""
    error = first_error(document, schema_name)
    if error is not None:
        raise ExportError(f"export does not match schemas/{schema_name} at {error}")


def export_document(
    events: Sequence[Record], statements: Sequence[Record], actors: Sequence[Record]
) -> dict[str, Any]:
    """The JSON export as a dict (records as the store returns them)."""
    return {
        "format": "kb-export",
        "version": 1,
        "counts": {"events": len(events), "statements": len(statements), "actors": len(actors)},
        "events": list(events),
        "statements": list(statements),
        "actors": list(actors),
    }


def _join(values: Any) -> str:
    return "; ".join(str(v) for v in values or () if v is not None)


_CSV_COLUMNS = [
    "record",
    "id",
    "date",
    "date_end",
    "date_value",
    "granularity",
    "basis",
    "type",
    "predicate",
    "trigger",
    "actors",
    "speaker",
    "cue",
    "medium",
    "addressee",
    "about",
    "quote",
    "direct",
    "negated",
    "hypothetical",
    "statement_id",
    "sentence",
    "source_id",
    "source_title",
    "source_publisher",
    "source_published",
    "source_url",
]
_ACTOR_COLUMNS = [
    "name",
    "kind",
    "aliases",
    "titles",
    "mentions",
    "events",
    "statements",
    "articles",
]


def _source_columns(source: Record | None) -> dict[str, Any]:
    source = source or {}
    return {f"source_{k}": source.get(k) for k in ("id", "title", "publisher", "published", "url")}


def _event_row(ev: Record) -> dict[str, Any]:
    day, basis = event_day(ev)
    when = ev.get("date") or {}
    return {
        "record": "event",
        "id": ev.get("id"),
        "date": day,
        "date_end": when.get("end") or day,
        "date_value": when.get("value"),
        "granularity": when.get("granularity"),
        "basis": basis,
        "type": ev.get("type"),
        "predicate": ev.get("predicate"),
        "trigger": ev.get("trigger"),
        "actors": _join(f"{a['name']} ({a.get('role')})" for a in ev.get("actors") or ()),
        "negated": bool(ev.get("negated")),
        "hypothetical": bool(ev.get("hypothetical")),
        "statement_id": ev.get("statement"),
        "sentence": ev.get("sentence"),
        **_source_columns(ev.get("source")),
    }


def _statement_row(st: Record) -> dict[str, Any]:
    day, basis = statement_day(st)
    return {
        "record": "statement",
        "id": st.get("id"),
        "date": day,
        "date_end": day,
        "date_value": st.get("date_value"),
        "granularity": st.get("date_granularity"),
        "basis": basis,
        "type": "statement",
        "speaker": st.get("speaker"),
        "cue": st.get("cue"),
        "medium": st.get("medium"),
        "addressee": st.get("addressee"),
        "about": _join(st.get("about")),
        "quote": st.get("content"),
        "direct": bool(st.get("direct")),
        "statement_id": st.get("id"),
        "sentence": st.get("sentence"),
        **_source_columns(st.get("source")),
    }


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: csv_cell("" if row.get(k) is None else row.get(k))
                             for k in columns})


def _scalar(value: Any) -> Any:
    """A GraphML/GEXF attribute value: numbers as they are, anything else as XML-safe
    text (lists joined)."""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple | set):
        return xml_text(_join(value))
    return xml_text(str(value))


def scalar_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` fit for GraphML/GEXF: scalar attributes only, unique edge keys."""
    import networkx as nx

    H = nx.MultiDiGraph()
    for node, data in G.nodes(data=True):
        attrs = {
            ("record_id" if k == "id" else k): _scalar(v) for k, v in data.items() if v is not None
        }
        H.add_node(_node_id(node), **attrs)
    for number, (u, v, key, data) in enumerate(
        sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    ):
        attrs = {k: _scalar(val) for k, val in data.items() if val is not None}
        attrs.setdefault("role", str(key))
        H.add_edge(_node_id(u), _node_id(v), key=f"e{number}", **attrs)
    return H


def _node_id(node: Any) -> Any:
    return xml_text(node) if isinstance(node, str) else node


def _date_parts(day: str, granularity: str | None) -> dict[str, int]:
    year, month, dd = (int(p) for p in day.split("-"))
    if granularity in ("year", "decade", "century", "half"):
        return {"year": year}
    if granularity in ("month", "season", "quarter"):
        return {"year": year, "month": month}
    return {"year": year, "month": month, "day": dd}


def timelinejs_document(
    events: Sequence[Record],
    statements: Sequence[Record],
    actors: Sequence[Record],
    title: str = "kb timeline",
) -> dict[str, Any]:
    """The TimelineJS3 JSON for these records: one slide per dated event or statement.

    Slides are grouped by their main actor; an item dated only by its article says so
    in ``display_date``. Undated items are left out (TimelineJS needs a year).
    """
    from kb.export.graph_html import graph_items
    from kb.graph import build_graph

    G = build_graph(events, statements, actors)
    slides = []
    for ident, item in sorted(graph_items(G).items(), key=lambda kv: (kv[1]["date"] or "", kv[0])):
        if not item["date"]:
            continue
        who = _join(f"{name} ({role})" for name, role in item["actors"])
        main = next(
            (n for n, r in item["actors"] if r in ("speaker", "agent", "participant")),
            item["actors"][0][0] if item["actors"] else "unknown",
        )
        if item.get("words"):
            headline = item["words"]
        else:
            headline = f"{main}: {item['label'] or item['type']}"
        body = [
            f"<p>{html.escape(item['sentence'])}</p>",
            f"<p>{html.escape(who)}</p>",
            f"<p><em>{html.escape(item['source'])}</em></p>",
        ]
        slide: dict[str, Any] = {
            "unique_id": ident.replace(":", "-"),
            "start_date": _date_parts(item["date"], item["granularity"]),
            "text": {"headline": html.escape(headline[:200]), "text": "".join(body)},
            "group": html.escape(main),
        }
        if item["basis"] != "stated" or item["granularity"] not in (None, "day"):
            slide["display_date"] = html.escape(item["when"])
        slides.append(slide)
    return {
        "title": {
            "text": {
                "headline": html.escape(title),
                "text": html.escape(f"{len(slides)} events and statements"),
            }
        },
        "events": slides,
    }


def _dump_json(path: Path, document: Any) -> None:
    atomic_write(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")


def export_data(
    fmt: str,
    events: Sequence[Record],
    statements: Sequence[Record],
    actors: Sequence[Record],
    out: Path,
) -> list[Path]:
    """Write ``fmt`` (one of FORMATS) to ``out``; returns every file written."""
    fmt = fmt.lower()
    out = Path(out)

    def as_json(path: Path) -> list[Path]:
        document = export_document(events, statements, actors)
        validate(document, "export.schema.json")
        _dump_json(path, document)
        return [path]

    def as_csv(path: Path) -> list[Path]:
        rows = [_event_row(e) for e in events] + [_statement_row(s) for s in statements]
        rows.sort(key=lambda r: (r["date"] or "9999", r["record"], str(r["id"])))
        _write_csv(path, _CSV_COLUMNS, rows)
        people = path.with_name(path.stem + ".actors.csv")
        _write_csv(
            people,
            _ACTOR_COLUMNS,
            [
                {**a, "aliases": _join(a.get("aliases")), "titles": _join(a.get("titles"))}
                for a in actors
            ],
        )
        return [path, people]

    def as_graph(path: Path) -> list[Path]:
        import networkx as nx

        from kb.graph import build_graph

        H = scalar_graph(build_graph(events, statements, actors))
        with atomic_path(path) as tmp:
            if fmt == "graphml":
                nx.write_graphml(H, tmp)
            else:
                nx.write_gexf(H, tmp)
        return [path]

    def as_timelinejs(path: Path) -> list[Path]:
        document = timelinejs_document(events, statements, actors)
        validate(document, "timelinejs.schema.json")
        _dump_json(path, document)
        return [path]

    writers: dict[str, Callable[[Path], list[Path]]] = {
        "json": as_json,
        "csv": as_csv,
        "graphml": as_graph,
        "gexf": as_graph,
        "timelinejs": as_timelinejs,
    }
    if fmt not in writers:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return writers[fmt](out)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ExportError(f"{out}: cannot write the {fmt} export ({reason})") from exc
