"""The knowledge graph: actors and events as nodes, actor roles as edges.

``build_graph`` turns the store's records (docs/records.md) into one
``networkx.MultiDiGraph``:

- actor nodes ``"actor:<name>"``: ``node_type="actor"``, ``name``, ``label``, ``kind``,
  ``titles``, ``aliases`` and counts (``mentions``, ``events``, ``statements``,
  ``articles`` from the actor records; ``activity`` = events and statements in this
  graph);
- event nodes ``"event:<id>"``: ``node_type="event"``, ``type``, ``predicate``,
  ``date`` (the day it is drawn on), ``date_end``, ``date_value``, ``granularity``,
  ``basis`` (stated / reported / undated), ``sentence``, ``source`` (a citation) and
  the source fields, ``sources`` (how many outlets report it) and ``reports``
  (outlet, date and sentence of each); an event that reports a statement also carries
  its ``quote``;
- statement nodes ``"statement:<id>"`` (``type="statement"``) for statements that no
  event reports, so that every quote is in the graph once;
- one edge per actor role, keyed by the role: actor -> event for the doers
  (speaker, agent, participant), event -> actor for the rest (addressee, recipient,
  target, topic).

>>> ev = {"id": 1, "type": "warn", "predicate": "warn", "trigger": "warned",
...       "negated": False, "hypothetical": False, "statement": None,
...       "date": None, "sentence": "A warned B.", "source": {"id": "x"},
...       "actors": [{"name": "A", "role": "speaker", "kind": "person"},
...                  {"name": "B", "role": "addressee", "kind": "country"}]}
>>> G = build_graph([ev], [], [])
>>> sorted(G.edges(keys=True))
[('actor:A', 'event:1', 'speaker'), ('event:1', 'actor:B', 'addressee')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import networkx as nx

from kb.graph.records import (
    Record,
    event_interval,
    filter_records,
    parse_day,
    source_label,
    statement_day,
)

__all__ = ["build_graph", "period_graph", "actor_id", "event_id", "statement_id", "DOER_ROLES"]

#: Roles whose edges point from the actor to the event; the others point to the actor.
DOER_ROLES = ("speaker", "agent", "participant")


def actor_id(name: str) -> str:
    return f"actor:{name}"


def event_id(ident: Any) -> str:
    return f"event:{ident}"


def statement_id(ident: Any) -> str:
    return f"statement:{ident}"


def _source_attrs(source: Record | None, seen: dict[tuple, dict[str, Any]]) -> dict[str, Any]:
    """The source attributes of a node; ``seen`` keeps those already made (the facts of
    one article share them)."""
    source = source or {}
    key = tuple(source.get(k) for k in ("id", "title", "publisher", "published", "url", "path"))
    found = seen.get(key)
    if found is not None:
        return found
    found = seen[key] = {
        "source": source_label(source),
        "source_id": source.get("id"),
        "source_title": source.get("title"),
        "source_publisher": source.get("publisher"),
        "source_published": source.get("published"),
        "source_url": source.get("url"),
        "source_path": source.get("path"),
    }
    return found


def _reports(record: Record) -> list[dict[str, Any]]:
    """Where a fact was reported: outlet, date and source sentence of each report."""
    return [
        {"source": r.get("source"), "title": r.get("title"), "published": r.get("published"),
         "sentence": r.get("sentence") or ""}
        for r in record.get("reports") or ()
    ]


def _add_actor(G: nx.MultiDiGraph, name: str, kind: str | None) -> str:
    node = actor_id(name)
    if node not in G:
        G.add_node(
            node,
            node_type="actor",
            name=name,
            label=name,
            kind=kind or "unknown",
            titles=[],
            aliases=[],
            mentions=0,
            events=0,
            statements=0,
            articles=0,
            activity=0,
        )
    elif kind and G.nodes[node]["kind"] == "unknown":
        G.nodes[node]["kind"] = kind
    return node


def _link(G: nx.MultiDiGraph, actor: str, item: str, role: str, day: str | None) -> None:
    u, v = (actor, item) if role in DOER_ROLES else (item, actor)
    if not G.has_edge(u, v, key=role):
        G.add_edge(u, v, key=role, role=role, date=day)


def _quote_attrs(st: Record) -> dict[str, Any]:
    return {
        "quote": st.get("content"),
        "direct": bool(st.get("direct")),
        "speaker": st.get("speaker"),
        "speaker_mention": st.get("speaker_mention"),
        "cue": st.get("cue"),
        "medium": st.get("medium"),
    }


def build_graph(
    events: Sequence[Record],
    statements: Sequence[Record],
    actors: Sequence[Record],
    *,
    actors_filter: Iterable[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    types: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """Build the actor/event graph from store records, keeping what passes the filters.

    The filters are those of :func:`kb.graph.records.filter_records`. Actor records add
    kind, titles, aliases and counts; an actor named only in an event or a statement
    gets a node too (kind from the event, else ``"unknown"``). With ``actors_filter``
    the graph keeps the named actors' events and statements with everyone taking part
    in them, and no other actor.
    """
    kept_events, kept_statements = filter_records(
        events,
        statements,
        actors,
        actors_filter=actors_filter,
        since=since,
        until=until,
        types=types,
        sources=sources,
    )
    by_id = {st.get("id"): st for st in statements}
    for claim in statements:  # an event may cite any report of a claim, not its head
        for report in claim.get("reports") or ():
            by_id.setdefault(report.get("id"), claim)
    G = nx.MultiDiGraph()
    reported = set()
    source_attrs: dict[tuple, dict[str, Any]] = {}  # per article, made once
    for ev in kept_events:
        first, last = event_interval(ev)
        basis = "undated" if first is None else "stated"
        when = ev.get("date") or {}
        if first is not None and not when.get("start"):
            basis = "reported"
        elif when.get("basis"):
            basis = when["basis"]
        node = event_id(ev["id"])
        attrs: dict[str, Any] = {
            "node_type": "event",
            "id": ev["id"],
            "type": ev.get("type") or "event",
            "predicate": ev.get("predicate") or ev.get("type") or "",
            "trigger": ev.get("trigger") or "",
            "label": ev.get("trigger") or ev.get("predicate") or ev.get("type") or "",
            "date": first,
            "date_end": last,
            "date_value": when.get("value"),
            "granularity": when.get("granularity"),
            "basis": basis,
            "negated": bool(ev.get("negated")),
            "hypothetical": bool(ev.get("hypothetical")),
            "sentence": ev.get("sentence") or "",
            "statement": ev.get("statement"),
            "sources": int(ev.get("sources") or 1),
            "reports": _reports(ev),
            **_source_attrs(ev.get("source"), source_attrs),
        }
        st = by_id.get(ev.get("statement")) if ev.get("statement") is not None else None
        if st is not None:
            attrs.update(_quote_attrs(st))
            reported.add(st.get("id"))
        G.add_node(node, **attrs)
        for actor in ev.get("actors") or ():
            a = _add_actor(G, str(actor["name"]), actor.get("kind"))
            _link(G, a, node, str(actor.get("role") or "participant"), first)

    for st in kept_statements:
        if st.get("id") in reported:
            continue
        day, basis = statement_day(st)
        node = statement_id(st["id"])
        G.add_node(
            node,
            node_type="statement",
            id=st["id"],
            type="statement",
            predicate=st.get("cue") or "said",
            trigger=st.get("cue") or "",
            label=st.get("cue") or "said",
            date=day,
            date_end=day,
            date_value=st.get("date_value"),
            granularity=st.get("date_granularity"),
            basis=basis,
            negated=False,
            hypothetical=False,
            sentence=st.get("sentence") or "",
            statement=st["id"],
            sources=int(st.get("sources") or 1),
            reports=_reports(st),
            addressee=st.get("addressee"),
            **_quote_attrs(st),
            **_source_attrs(st.get("source"), source_attrs),
        )
        if st.get("speaker"):
            a = _add_actor(G, str(st["speaker"]), st.get("speaker_kind"))
            _link(G, a, node, "speaker", day)
        if st.get("addressee"):
            _link(G, _add_actor(G, str(st["addressee"]), None), node, "addressee", day)
        for name in st.get("about") or ():
            if name and name not in (st.get("speaker"), st.get("addressee")):
                _link(G, _add_actor(G, str(name), None), node, "topic", day)

    known = {str(a["name"]): a for a in actors}
    for node, data in G.nodes(data=True):
        if data["node_type"] != "actor":
            continue
        rec = known.get(data["name"])
        if rec is not None:
            data["kind"] = rec.get("kind") or data["kind"]
            data["titles"] = list(rec.get("titles") or ())
            data["aliases"] = list(rec.get("aliases") or ())
            for count in ("mentions", "events", "statements", "articles"):
                data[count] = int(rec.get(count) or 0)
        items = set(G.successors(node)) | set(G.predecessors(node))
        data["activity"] = len(items)
        if rec is None:
            data["events"] = sum(1 for n in items if G.nodes[n]["node_type"] == "event")
            data["statements"] = len(items) - data["events"]
            data["articles"] = len({G.nodes[n]["source_id"] for n in items})
    return G


def period_graph(
    store: Any,
    *,
    actors_filter: Iterable[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    types: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The graph :func:`build_graph` makes of every record of the open ``store`` with
    these filters, reading only the records of the period (``Store.graph_records``):
    a month of a base of a million events is some twenty thousand of them."""
    since_d, until_d = parse_day(since, "--since"), parse_day(until, "--until", end=True)
    names = list(actors_filter or ())
    events, statements, actors = store.graph_records(since_d, until_d, names)
    return build_graph(events, statements, actors, actors_filter=actors_filter or None,
                       since=since, until=until, types=types, sources=sources)
