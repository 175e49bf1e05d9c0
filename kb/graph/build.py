"""The knowledge graph: actors and events as nodes, actor roles as edges.

``build_graph`` turns the store's records (docs/records.md) into one
``networkx.MultiDiGraph`` (:func:`kb.graph.period_graph` the facts of a period read
from the store, :mod:`kb.facts`: the same graph, one builder):

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

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import networkx as nx

from kb.collector import collecting_later
from kb.facts import (
    ActorFact,
    EventFact,
    ReportFact,
    StatementFact,
    actor_fact,
    event_fact,
    statement_fact,
)
from kb.graph.records import Record, filter_facts, interval_days, said_day, source_label

__all__ = [
    "build_graph",
    "graph_of_facts",
    "actor_id",
    "event_id",
    "statement_id",
    "DOER_ROLES",
]

#: Roles whose edges point from the actor to the event; the others point to the actor.
DOER_ROLES = ("speaker", "agent", "participant")
_DOERS = frozenset(DOER_ROLES)


def actor_id(name: str) -> str:
    return f"actor:{name}"


def event_id(ident: Any) -> str:
    return f"event:{ident}"


def statement_id(ident: Any) -> str:
    return f"statement:{ident}"


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
    with collecting_later():  # the facts made here are freed before it resumes
        statement_facts = [statement_fact(st) for st in statements]
        kept_events, kept_statements = filter_facts(
            [event_fact(ev) for ev in events], statement_facts, [actor_fact(a) for a in actors],
            actors_filter=actors_filter, since=since, until=until, types=types,
            sources=sources,
        )
        return _graph_of_records(kept_events, kept_statements, statement_facts, actors)


def _graph_of_records(
    events: Sequence[EventFact],
    kept_statements: Sequence[StatementFact],
    statements: Sequence[StatementFact],
    actors: Sequence[Record],
) -> nx.MultiDiGraph:
    by_id: dict[Any, StatementFact] = {st.id: st for st in statements}
    for claim in statements:  # an event may cite any report of a claim, not its head
        for report in claim.reports:
            by_id.setdefault(report.id, claim)
    cited = {ev.statement for ev in events if ev.statement is not None}
    claims = {i: by_id[i] for i in cited if i in by_id}
    records = {str(a["name"]): a for a in actors}

    def actor(name: str) -> ActorFact | None:
        record = records.get(name)
        return None if record is None else actor_fact(record)

    return graph_of_facts(events, kept_statements, claims, actor)


def graph_of_facts(
    events: Iterable[EventFact],
    statements: Iterable[StatementFact],
    claims: Mapping[Any, StatementFact],
    actor: Callable[[str], ActorFact | None],
) -> nx.MultiDiGraph:
    """The graph of these events and statements (those the filters kept, in order).

    ``claims`` gives the claim of the statement an event reports, by the id of any of
    its reports; ``actor`` the actor of a name (None for a name no actor has). The
    names in the facts are text (:func:`build_graph` makes its facts so).
    """
    parts = _Parts()
    reported = set()
    sources = _Sources()
    for ev in events:
        attrs = _event_attrs(ev, sources)
        claim = claims.get(ev.statement) if ev.statement is not None else None
        if claim is not None:
            attrs.update(_quote_attrs(claim))
            reported.add(claim.id)
        node = event_id(ev.id)
        parts.add(node, attrs)
        parts.link(node, attrs["date"], ev.actors)

    for st in statements:
        if st.id in reported:
            continue
        attrs = _statement_attrs(st, sources)
        node = statement_id(st.id)
        parts.add(node, attrs)
        speaker, addressee = st.speaker, st.addressee
        named = [(str(speaker), "speaker", st.speaker_kind)] if speaker else []
        if addressee:
            named.append((str(addressee), "addressee", None))
        named.extend((str(name), "topic", None) for name in st.about
                     if name and name not in (speaker, addressee))
        parts.link(node, attrs["date"], named)
    return parts.graph(actor)


class _Sources:
    """The source attributes of the nodes, made once per article: ``(source, source_id,
    source_title, source_publisher, source_published, source_url, source_path)``."""

    def __init__(self) -> None:
        self.by_object: dict[int, tuple[Any, ...]] = {}  # the facts of an article share it
        self.by_value: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def of(self, source: Mapping[str, Any] | None) -> tuple[Any, ...]:
        found = self.by_object.get(id(source))
        if found is not None:
            return found
        get = (source or {}).get
        key = (get("id"), get("title"), get("publisher"), get("published"), get("url"),
               get("path"))
        found = self.by_value.get(key)
        if found is None:
            found = self.by_value[key] = (source_label(source), *key)
        if source is not None:  # kept alive by its fact while the graph is built
            self.by_object[id(source)] = found
        return found


def _reports(reports: Sequence[ReportFact]) -> list[dict[str, Any]]:
    """Where a fact was reported: outlet, date and source sentence of each report."""
    return [{"source": r.source, "title": r.title, "published": r.published,
             "sentence": r.sentence or ""} for r in reports]


def _quote_attrs(st: StatementFact) -> dict[str, Any]:
    return {
        "quote": st.content,
        "direct": bool(st.direct),
        "speaker": st.speaker,
        "speaker_mention": st.speaker_mention,
        "cue": st.cue,
        "medium": st.medium,
    }


def _event_attrs(ev: EventFact, sources: _Sources) -> dict[str, Any]:
    """An event node's attributes (without the words of a statement it reports): drawn
    from the start of its stated time, else on the day it was reported."""
    src = sources.of(ev.source)
    first, last = interval_days(ev.start, ev.end, src[4])
    if ev.start:
        basis = ev.basis or "stated"
    else:
        basis = "reported" if first is not None else ev.basis or "undated"
    type_, predicate, trigger = ev.type, ev.predicate, ev.trigger
    return {
        "node_type": "event",
        "id": ev.id,
        "type": type_ or "event",
        "predicate": predicate or type_ or "",
        "trigger": trigger or "",
        "label": trigger or predicate or type_ or "",
        "date": first,
        "date_end": last,
        "date_value": ev.value,
        "granularity": ev.granularity,
        "basis": basis,
        "negated": bool(ev.negated),
        "hypothetical": bool(ev.hypothetical),
        "sentence": ev.sentence or "",
        "statement": ev.statement,
        "sources": int(ev.sources or 1),
        "reports": _reports(ev.reports),
        "source": src[0],
        "source_id": src[1],
        "source_title": src[2],
        "source_publisher": src[3],
        "source_published": src[4],
        "source_url": src[5],
        "source_path": src[6],
    }


def _statement_attrs(st: StatementFact, sources: _Sources) -> dict[str, Any]:
    """The attributes of the node of a statement no event reports."""
    src = sources.of(st.source)
    day, basis = said_day(st.date, st.date_basis, st.reported, src[4])
    cue = st.cue
    return {
        "node_type": "statement",
        "id": st.id,
        "type": "statement",
        "predicate": cue or "said",
        "trigger": cue or "",
        "label": cue or "said",
        "date": day,
        "date_end": day,
        "date_value": st.date_value,
        "granularity": st.date_granularity,
        "basis": basis,
        "negated": False,
        "hypothetical": False,
        "sentence": st.sentence or "",
        "statement": st.id,
        "sources": int(st.sources or 1),
        "reports": _reports(st.reports),
        "addressee": st.addressee,
        "quote": st.content,
        "direct": bool(st.direct),
        "speaker": st.speaker,
        "speaker_mention": st.speaker_mention,
        "cue": cue,
        "medium": st.medium,
        "source": src[0],
        "source_id": src[1],
        "source_title": src[2],
        "source_publisher": src[3],
        "source_published": src[4],
        "source_url": src[5],
        "source_path": src[6],
    }


class _Parts:
    """A graph made in the order its nodes are first named.

    The graph's own dicts are filled as ``add_node`` and ``add_edge`` fill them (node
    -> attributes; node -> neighbour -> role -> edge attributes, one key dict shared
    by both directions), with no call per node or edge: through the API
    (``add_nodes_from``, ``add_edges_from``) fifty thousand nodes and edges took 0.45 s,
    this way 0.11 s (at load 2).
    tests/test_graph.py checks that the graph is the one the API makes.

    An actor's node takes its place at its first mention and its attributes at the
    end, when every fact naming it is known; an edge is kept once per (actor, fact,
    role), with the day of its first mention.
    """

    def __init__(self) -> None:
        self.G = nx.MultiDiGraph()
        self.nodes, self.succ, self.pred = self.G._node, self.G._succ, self.G._pred
        #: actor name -> [its node, its kind (the first one given), facts it is in]
        self.actors: dict[str, list[Any]] = {}

    def add(self, node: str, attrs: dict[str, Any]) -> None:
        """Add the node of a fact, with its attributes."""
        self.nodes[node] = attrs
        self.succ[node] = {}
        self.pred[node] = {}

    def link(self, item: str, day: str | None, named: Iterable[tuple[str, Any, Any]]) -> None:
        """Link the fact ``item`` (drawn on ``day``) to each actor ``(name, role,
        kind)`` named in it."""
        actors, succ, pred = self.actors, self.succ, self.pred
        seen: list[str] = []
        for name, role, kind in named:
            found = actors.get(name)
            if found is None:
                node = actor_id(name)
                self.add(node, {})  # its attributes come at the end
                found = actors[name] = [node, kind or "unknown", 0]
            elif kind and found[1] == "unknown":
                found[1] = kind
            role, node = role or "participant", found[0]
            if role in _DOERS:  # actor -> fact
                keys = succ[node].get(item)
                if keys is None:
                    keys = succ[node][item] = pred[item][node] = {}
            else:  # fact -> actor
                keys = succ[item].get(node)
                if keys is None:
                    keys = succ[item][node] = pred[node][item] = {}
            if role not in keys:
                keys[role] = {"role": role, "date": day}
            if name not in seen:
                seen.append(name)
                found[2] += 1

    def graph(self, actor: Callable[[str], ActorFact | None]) -> nx.MultiDiGraph:
        """The graph, each actor node with the attributes of its actor (kind, titles,
        aliases, counts), or counted here from the facts it is in."""
        nodes = self.nodes
        for name, (node, kind, activity) in self.actors.items():
            fact = actor(name)
            if fact is not None:
                nodes[node] = {
                    "node_type": "actor",
                    "name": name,
                    "label": name,
                    "kind": fact.kind or kind,
                    "titles": list(fact.titles),
                    "aliases": list(fact.aliases),
                    "mentions": int(fact.mentions or 0),
                    "events": int(fact.events or 0),
                    "statements": int(fact.statements or 0),
                    "articles": int(fact.articles or 0),
                    "activity": activity,
                }
                continue
            # no actor stands for it (an addressee named in words): counted here
            facts = [nodes[n] for n in {*self.succ[node], *self.pred[node]}]
            events = sum(1 for d in facts if d["node_type"] == "event")
            nodes[node] = {
                "node_type": "actor", "name": name, "label": name, "kind": kind,
                "titles": [], "aliases": [], "mentions": 0, "events": events,
                "statements": len(facts) - events,
                "articles": len({d["source_id"] for d in facts}), "activity": activity,
            }
        return self.G
