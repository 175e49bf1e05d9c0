"""The relationship graph as one self-contained, interactive HTML file.

``write_graph_html`` draws the actor projection of a graph from
:func:`kb.graph.build_graph`: one node per actor (size by activity, colour by kind), one
line per pair of actors that share events (width by how many). Clicking a node or a line
lists its events with their dates, source sentences and citations in a side panel; a
search box finds actors by name or alias. Positions are computed here, once
(:func:`kb.graph.spring_positions`, seeded), and physics is off in the page, so a
2,000-actor graph is drawn still at once, with nodes that can be dragged
(benchmarks/graph_render.py measures it against a plain PyVis rendering). The network
is built with pyvis and rendered with kb's own template
(kb/export/templates/graph.html), vis-network inlined, no request leaves the page. The
same graph gives the same file, byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from kb.display import date_words, statement_words
from kb.errors import ExportError
from kb.export.html import KIND_COLOURS, kind_colour, render_page, write_text
from kb.graph import actor_projection, centrality, communities, item_actors, spring_positions

__all__ = ["write_graph_html", "graph_html", "graph_items", "GRAPH_OPTIONS"]

GRAPH_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": True,
        "hideEdgesOnZoom": False,
        "multiselect": True,
        "navigationButtons": False,
        "keyboard": False,
    },
    "nodes": {
        "shape": "dot",
        "borderWidth": 1.5,
        "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "scaling": {
            "min": 8,
            "max": 30,
            "label": {"enabled": True, "min": 13, "max": 22, "drawThreshold": 7},
        },
    },
    "edges": {
        "smooth": False,
        "color": {"color": "#a9b4c2", "highlight": "#2b2b2b", "hover": "#555555"},
        "scaling": {"min": 1, "max": 10},
        "selectionWidth": 2,
    },
}


def graph_items(G: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Every event and statement node as the dict the page shows in its side panel."""
    items: dict[str, dict[str, Any]] = {}
    for node, d in G.nodes(data=True):
        if d.get("node_type") == "actor":
            continue
        actors = [[G.nodes[a]["name"], role] for a, role in item_actors(G, node)]
        words = None
        if d.get("quote"):
            words = statement_words(d.get("speaker") or d.get("speaker_mention"),
                                    d.get("cue"), d["quote"], bool(d.get("direct")))
        items[node] = {
            "id": node,
            "type": d.get("type"),
            "predicate": d.get("predicate"),
            "label": d.get("label"),
            "date": d.get("date"),
            "date_value": d.get("date_value"),
            "granularity": d.get("granularity"),
            "basis": d.get("basis"),
            "negated": bool(d.get("negated")),
            "hypothetical": bool(d.get("hypothetical")),
            "sentence": d.get("sentence") or "",
            "source": d.get("source") or "",
            "url": d.get("source_url"),
            "quote": d.get("quote"),
            "speaker": d.get("speaker"),
            "speaker_mention": d.get("speaker_mention"),
            "direct": d.get("direct"),
            "cue": d.get("cue"),
            "medium": d.get("medium"),
            "actors": actors,
            "when": when_words(d.get("date"), d.get("date_value"), d.get("basis")),
            "words": words,
            "sources": int(d.get("sources") or 1),
            "reports": list(d.get("reports") or ()),
        }
    return items


def when_words(day: str | None, value: str | None, basis: str | None) -> str:
    """An item's date as people read it, at its own granularity ("Feb 2022",
    "19 Feb 2022, night"); a date that is only the article's says so."""
    if not day:
        return "undated"
    if basis != "stated":
        return f"{date_words(day)} (date of the report)"
    return date_words(value or day)


def _darker(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.7) for c in (r, g, b)))


def _pair_edges(P: nx.MultiGraph) -> list[dict[str, Any]]:
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for a, b, relation, d in P.edges(keys=True, data=True):
        key = (a, b) if a <= b else (b, a)
        pair = pairs.setdefault(
            key,
            {
                "names": [P.nodes[key[0]]["name"], P.nodes[key[1]]["name"]],
                "relations": [],
                "items": [],
                "first": None,
                "last": None,
                "weight": 0,
            },
        )
        pair["relations"].append(
            {"relation": relation, "weight": d["weight"], "first": d["first"], "last": d["last"]}
        )
        pair["items"].extend(i for i in d["events"] if i not in pair["items"])
        pair["weight"] += d["weight"]
        for bound, pick in (("first", min), ("last", max)):
            if d[bound] is not None:
                pair[bound] = pick(pair[bound] or d[bound], d[bound])
    return [{"from": a, "to": b, "kb": pair} for (a, b), pair in sorted(pairs.items())]


def write_graph_html(
    G: nx.MultiDiGraph, out: Path, title: str = "kb: who is linked to whom"
) -> Path:
    """Write the relationship graph of ``G`` (from ``build_graph``) to ``out`` as HTML."""
    return write_text(Path(out), graph_html(G, title=title))


def graph_html(
    G: nx.MultiDiGraph, title: str = "kb: who is linked to whom", nonce: str | None = None
) -> str:
    """The relationship graph page of ``G`` as HTML text (``kb serve`` shows it live);
    ``nonce`` is the script nonce its Content-Security-Policy allows. When None (a
    file), the nonce is a digest of the page itself, so the same graph gives the same
    file byte for byte (see :func:`_digest_nonce`)."""
    if not G.is_directed() or any("node_type" not in d for _, d in G.nodes(data=True)):
        raise ExportError(
            "write_graph_html needs the graph from kb.graph.build_graph (actor and event "
            "nodes); build it with build_graph(events, statements, actors)"
        )
    P = actor_projection(G)
    measures = centrality(P)
    groups = communities(P)
    positions = spring_positions(P)
    items = graph_items(G)

    net = Network(height="100%", width="100%", directed=True, heading=title, cdn_resources="remote")
    for node, d in sorted(P.nodes(data=True), key=lambda nd: nd[0]):
        # vis-network keeps whole pixels (it parses x and y with parseInt)
        x, y = (round(c) for c in positions[node])
        colour = kind_colour(d.get("kind"))
        attached = set(G.successors(node)) | set(G.predecessors(node))
        item_ids = [i for i in sorted(attached) if i in items]
        net.add_node(
            node,
            label=d["name"] if len(d["name"]) <= 40 else d["name"][:39] + "…",
            shape="dot",
            color={
                "background": colour,
                "border": _darker(colour),
                "highlight": {"background": colour, "border": "#111111"},
                "hover": {"background": colour, "border": "#111111"},
            },
            x=x,
            y=y,
            value=max(1, d.get("activity", 0)),
            kb={
                "name": d["name"],
                "kind": d.get("kind") or "unknown",
                "titles": list(d.get("titles") or ()),
                "aliases": list(d.get("aliases") or ()),
                "events": d.get("events", 0),
                "statements": d.get("statements", 0),
                "mentions": d.get("mentions", 0),
                "articles": d.get("articles", 0),
                "activity": d.get("activity", 0),
                "partners": len(set(P.neighbors(node))),
                "degree": measures.get(node, {}).get("degree", 0.0),
                "betweenness": measures.get(node, {}).get("betweenness", 0.0),
                "community": groups.get(node, 0),
                "items": item_ids,
            },
        )
    for number, edge in enumerate(_pair_edges(P)):
        net.add_edge(
            edge["from"],
            edge["to"],
            id=f"e{number}",
            value=edge["kb"]["weight"],
            arrows={"to": {"enabled": False}},
            kb=edge["kb"],
        )
    net.options = GRAPH_OPTIONS
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()

    order = list(KIND_COLOURS)
    kinds = sorted(
        {d.get("kind") or "unknown" for _, d in P.nodes(data=True)},
        key=lambda k: (order.index(k) if k in order else len(order), k),
    )
    n_items = len(items)
    placeholder = secrets.token_urlsafe(16)  # unpredictable: no text can contain it
    page = render_page(
        "graph.html",
        data={"nodes": nodes, "edges": edges, "options": GRAPH_OPTIONS, "items": items},
        title=title,
        subtitle=f"{P.number_of_nodes()} actors · {len(edges)} links · {n_items} events",
        hint="Click an actor or a line to see its events and their source sentences.",
        page="graph",
        kinds=[(k, kind_colour(k)) for k in kinds],
        nonce=nonce or placeholder,
    )
    return page if nonce else _digest_nonce(page, placeholder)


def _digest_nonce(page: str, placeholder: str) -> str:
    """``page`` with ``placeholder`` replaced by a nonce derived from the page.

    The placeholder is random, so no article text can hold it; the nonce is a SHA-256
    digest of the page without it, which text inside the page cannot know in advance
    (it would have to contain its own digest), so it allows exactly kb's own scripts
    as a fresh random one would, and the file is reproducible.
    """
    digest = hashlib.sha256(page.replace(placeholder, "").encode("utf-8")).digest()
    return page.replace(placeholder, base64.urlsafe_b64encode(digest[:16]).decode().rstrip("="))
