"""Who is connected to whom: the actor projection of the knowledge graph.

Two actors are related when they take part in the same event or statement. The
projection is a ``networkx.MultiGraph`` with one edge per pair of actors and relation
type (the event type: ``"warn"``, ``"meet"``, ``"statement"``...), so a pair that met
and also accused each other keeps both relations. Each edge carries:

- ``relation``: the event type (also the edge key);
- ``weight``: how many sources report the events of that type the two share (an
  event carried by three outlets counts three; a repeat within one outlet does not);
- ``events``: the ids of those event/statement nodes in the source graph, by date;
- ``first`` / ``last``: the first and last day of those events (None when undated).

Actor nodes keep every attribute they have in the source graph.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("actor:A", node_type="actor"); G.add_node("actor:B", node_type="actor")
>>> G.add_node("event:1", node_type="event", type="meet", date="2022-02-01")
>>> G.add_edge("actor:A", "event:1", key="agent"); G.add_edge("actor:B", "event:1", key="agent")
'agent'
'agent'
>>> P = actor_projection(G)
>>> P["actor:A"]["actor:B"]["meet"]["weight"]
1
"""

from __future__ import annotations

from itertools import combinations

import networkx as nx

__all__ = ["actor_projection", "item_actors", "to_weighted_graph"]


def item_actors(G: nx.MultiDiGraph, item: str) -> list[tuple[str, str]]:
    """``(actor node, role)`` pairs of one event or statement node, doers first."""
    pairs = [(u, k) for u, _, k in G.in_edges(item, keys=True)]
    pairs += [(v, k) for _, v, k in G.out_edges(item, keys=True)]
    return [(a, r) for a, r in pairs if G.nodes[a].get("node_type") == "actor"]


def actor_projection(G: nx.MultiDiGraph) -> nx.MultiGraph:
    """Actors linked by the events they share, one edge per relation type."""
    P = nx.MultiGraph()
    for node, data in G.nodes(data=True):
        if data.get("node_type") == "actor":
            P.add_node(node, **data)
    items = [(n, d) for n, d in G.nodes(data=True) if d.get("node_type") != "actor"]
    items.sort(key=lambda nd: (nd[1].get("date") is None, nd[1].get("date") or "", nd[0]))
    for item, data in items:
        members = sorted({a for a, _ in item_actors(G, item)})
        relation = str(data.get("type") or "event")
        day = data.get("date")
        sources = int(data.get("sources") or 1)
        for a, b in combinations(members, 2):
            if P.has_edge(a, b, key=relation):
                edge = P[a][b][relation]
                edge["weight"] += sources
                edge["events"].append(item)
                if day is not None:
                    edge["first"] = min(edge["first"] or day, day)
                    edge["last"] = max(edge["last"] or day, day)
            else:
                P.add_edge(
                    a,
                    b,
                    key=relation,
                    relation=relation,
                    weight=sources,
                    events=[item],
                    first=day,
                    last=day,
                )
    return P


def to_weighted_graph(P: nx.MultiGraph) -> nx.Graph:
    """Collapse a projection to a simple graph whose ``weight`` sums the relations."""
    H = nx.Graph()
    H.add_nodes_from(P.nodes(data=True))
    for a, b, data in P.edges(data=True):
        if H.has_edge(a, b):
            H[a][b]["weight"] += data.get("weight", 1)
        else:
            H.add_edge(a, b, weight=data.get("weight", 1))
    return H
