"""The interactive timeline: one lane per actor, time running left to right.

pyvis has no timeline, so the timeline is a vis-network drawn at fixed positions
(physics off): ``x`` is computed from the day each event or statement is drawn on
(:func:`kb.graph.records.event_day`), ``y`` from the lane of its main actor (the
speaker or agent), stacked when a lane has several items on one day. Every other actor
taking part gets a small dot in its own lane, joined to the item by a line labelled with
its role. Items whose only date is the article's (``basis == "reported"``) are drawn
hollow with a dashed border; stated dates are filled. Date ticks and sticky lane names
are painted on the canvas by the page (vis-network's ``beforeDrawing`` /
``afterDrawing``), choosing days, weeks, months or years to suit the zoom.

To stay readable with many events, a lane shows at most :data:`MAX_STACK` items on one
day: statements first, then events of kb's named categories, then the rest; the others
of that day are one "+N more" node that lists them in the side panel. Events with no
actor at all have no lane: they are counted in the subtitle, not drawn (statements
with no known speaker keep the "(unknown speaker)" lane).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pyvis.network import Network

from kb.export.graph_html import graph_items
from kb.export.html import kind_colour, render_page, type_colour, write_text
from kb.graph import DOER_ROLES, actor_id, build_graph
from kb.graph.records import Record

__all__ = [
    "write_timeline_html",
    "timeline_html",
    "timeline_layout",
    "TIMELINE_OPTIONS",
    "STACK_GAP",
    "MAX_STACK",
]

STACK_GAP = 56
#: Items drawn one above the other in one lane on one day before the rest are grouped.
MAX_STACK = 5
#: Where, below a lane's top, the participant dots and the first own item sit.
PARTICIPANT_STRIP = 26.0
FIRST_ITEM = 62.0
TARGET_WIDTH = 1000.0

TIMELINE_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {
        "hover": True,
        "tooltipDelay": 120,
        "dragNodes": False,
        "zoomView": True,
        "dragView": True,
        "keyboard": False,
    },
    "nodes": {
        "font": {"size": 12, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "widthConstraint": {"maximum": 150},
    },
    "edges": {
        "smooth": False,
        "width": 1,
        "color": {"color": "#b8b8b8", "highlight": "#333333"},
        "font": {"size": 10, "color": "#777777", "strokeWidth": 2, "align": "horizontal"},
    },
}


def _short(text: str | None, limit: int = 48) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _main_actor(actors: list[list[str]]) -> str | None:
    for name, role in actors:
        if role in DOER_ROLES:
            return name
    return actors[0][0] if actors else None


def _busy_days(dated: list[dict[str, Any]]) -> int:
    """The days from the 5th to the 95th percentile of the items' days (all of them for
    fewer than 20 items): the scale is set so that this stretch fills the view, and a
    few far-off items do not squeeze the rest together."""
    days = [date.fromisoformat(i["date"]).toordinal() for i in dated]
    if len(days) < 20:
        return days[-1] - days[0]
    return days[-(len(days) // 20) - 1] - days[len(days) // 20]


def _has_lane(item: dict[str, Any]) -> bool:
    """Statements always have a lane; an event needs an actor to be drawn in one."""
    return bool(item["actors"]) or item["type"] == "statement" or bool(item.get("quote"))


def _priority(item: dict[str, Any]) -> tuple[int, int, str]:
    """Which items of a crowded day stay in view: statements, then named categories,
    then open events; more actors first."""
    rank = 0 if item.get("quote") else 2 if item["type"] == "occurrence" else 1
    return rank, -len(item["actors"]), item["id"]


def timeline_layout(
    items: dict[str, dict[str, Any]], lane_order: Sequence[str] = ()
) -> dict[str, Any]:
    """Where everything goes: ``{"origin", "px_per_day", "days", "lanes", "place"}``.

    ``place`` maps each dated item id to ``(x, y, lane name)``; ``lanes`` lists
    ``{"name", "top", "bottom", "y"}`` from top to bottom; ``lane_y`` gives the ``y`` of
    each lane's strip of participant dots. Lanes follow ``lane_order``
    first, then the busiest actors, ties broken by who appears first.
    """
    dated = sorted((i for i in items.values() if i.get("date") and _has_lane(i)),
                   key=lambda i: (i["date"], i["id"]))
    if not dated:
        return {"origin": None, "px_per_day": 1.0, "days": 0, "lanes": [], "place": {},
                "groups": {}}
    origin = date.fromisoformat(dated[0]["date"])
    days = (date.fromisoformat(dated[-1]["date"]) - origin).days
    px_per_day = max(0.5, min(140.0, TARGET_WIDTH / max(_busy_days(dated), 1)))

    unknown = [["(unknown speaker)", "speaker"]]
    first_seen: dict[str, int] = {}
    activity: dict[str, int] = defaultdict(int)
    for rank, item in enumerate(dated):
        for name, _role in item["actors"] or unknown:
            first_seen.setdefault(name, rank)
            activity[name] += 1
    order = [n for n in dict.fromkeys(lane_order) if n in first_seen]
    order += sorted(
        (n for n in first_seen if n not in order), key=lambda n: (-activity[n], first_seen[n])
    )

    stacks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in dated:
        lane = _main_actor(item["actors"]) or "(unknown speaker)"
        stacks[(lane, item["date"])].append(item["id"])
    groups: dict[str, list[str]] = {}
    for (lane, day), ids in stacks.items():
        if len(ids) > MAX_STACK:
            ids.sort(key=lambda i: _priority(items[i]))
            group = f"more:{lane}:{day}"
            groups[group] = ids[MAX_STACK - 1:]
            ids[MAX_STACK - 1:] = [group]
    depth: dict[str, int] = defaultdict(lambda: 1)
    for (lane, _day), ids in stacks.items():
        depth[lane] = max(depth[lane], len(ids))

    # Each lane: a strip at the top for the dots of actors taking part in others'
    # items, then this actor's own items, stacked downwards when they share a day.
    lanes: list[dict[str, Any]] = []
    lane_y: dict[str, float] = {}
    top = 0.0
    for name in order:
        height = max(96.0, FIRST_ITEM + (depth[name] - 1) * STACK_GAP + 44.0)
        lanes.append({"name": name, "top": top, "bottom": top + height, "y": top + height / 2})
        lane_y[name] = top + PARTICIPANT_STRIP
        top += height
    lane_top = {lane["name"]: lane["top"] for lane in lanes}
    place: dict[str, tuple[float, float, str]] = {}
    for (lane, day), ids in stacks.items():
        x = round((date.fromisoformat(day) - origin).days * px_per_day, 1)
        for k, ident in enumerate(ids):
            place[ident] = (x, round(lane_top[lane] + FIRST_ITEM + k * STACK_GAP, 1), lane)
    return {
        "origin": origin.isoformat(),
        "px_per_day": px_per_day,
        "days": days,
        "lanes": lanes,
        "place": place,
        "lane_y": lane_y,
        "groups": groups,
    }


def _item_node(item: dict[str, Any], colour: str, x: float, y: float) -> dict[str, Any]:
    statement = item["type"] == "statement" or bool(item.get("quote"))
    reported = item["basis"] != "stated"
    if item.get("quote") and item.get("direct"):
        label = f"“{_short(item['quote'], 40)}”"  # the article's own words
    elif item.get("quote"):
        label = f"{item.get('cue') or 'said'} {_short(item['quote'], 34)}"  # reported speech
    else:
        label = _short(item["label"], 30)
    style: dict[str, Any] = {
        "shape": "square" if statement else "dot",
        "size": 9 if statement else 10,
        "borderWidth": 2,
        "color": {
            "background": "#ffffff" if reported else colour,
            "border": colour,
            "highlight": {"background": colour, "border": "#111111"},
            "hover": {"background": colour, "border": "#111111"},
        },
    }
    if reported:
        style["shapeProperties"] = {"borderDashes": [3, 3]}
    return {"label": label, "x": x, "y": y, "fixed": True, **style}


def write_timeline_html(
    events: Sequence[Record],
    statements: Sequence[Record],
    out: Path,
    actors: Sequence[Record | str] | None = None,
    *,
    title: str = "kb: timeline",
) -> Path:
    """Write the interactive timeline of these events and statements to ``out``.

    ``actors`` are actor records (kinds and titles) or names (those lanes come first,
    in that order); the other lanes follow, busiest first. Undated items (no stated
    date, no article date) are counted, not drawn.
    """
    return write_text(Path(out), timeline_html(events, statements, actors, title=title))


def timeline_html(
    events: Sequence[Record],
    statements: Sequence[Record],
    actors: Sequence[Record | str] | None = None,
    *,
    title: str = "kb: timeline",
    nonce: str | None = None,
) -> str:
    """The timeline page of :func:`write_timeline_html` as HTML text (``kb serve``
    shows it live); ``nonce`` is the script nonce its Content-Security-Policy allows."""
    records = [a for a in actors or () if not isinstance(a, str)]
    lane_order = [a for a in actors or () if isinstance(a, str)]
    G = build_graph(events, statements, records)
    items = graph_items(G)
    layout = timeline_layout(items, lane_order)
    types = sorted({i["type"] for i in items.values()})

    net = Network(height="100%", width="100%", directed=True, heading=title, cdn_resources="remote")
    lane_kinds = {}
    for lane in layout["lanes"]:
        node = G.nodes.get(actor_id(lane["name"]), {})
        lane_kinds[lane["name"]] = node.get("kind", "unknown")
        lane["kind"] = lane_kinds[lane["name"]]
        lane["colour"] = kind_colour(lane["kind"])
        lane["titles"] = list(node.get("titles") or ())
    for ident, (x, y, lane) in sorted(layout["place"].items()):
        if ident in layout["groups"]:
            members = layout["groups"][ident]
            net.add_node(ident, label=f"+{len(members)} more", shape="box", x=x, y=y,
                         fixed=True, color={"background": "#f3f3f3", "border": "#999999"},
                         font={"size": 11}, kb={"group": members, "lane": lane})
            continue
        item = items[ident]
        net.add_node(
            ident, kb={"item": ident}, **_item_node(item, type_colour(item["type"], types), x, y)
        )
        for name, role in item["actors"]:
            if name == lane:
                continue
            ghost = f"{ident}@{name}"
            net.add_node(
                ghost,
                label=" ",
                shape="dot",
                size=5,
                x=x,
                y=layout["lane_y"][name],
                fixed=True,
                color=kind_colour(lane_kinds.get(name)),
                kb={"item": ident, "actor": name},
            )
            net.add_edge(
                ident, ghost, dashes=True, arrows={"to": {"enabled": False}}, kb={"role": role}
            )
    net.options = TIMELINE_OPTIONS
    nodes, edges, *_ = net.get_network_data()

    undated = sum(1 for i in items.values() if not i.get("date"))
    no_lane = sum(1 for i in items.values() if i.get("date") and not _has_lane(i))
    reported = sum(1 for i in items.values() if i.get("date") and i["basis"] != "stated")
    drawn = len(items) - undated - no_lane
    subtitle = f"{drawn} events and statements · {len(layout['lanes'])} actors"
    if layout["origin"]:
        span = layout["days"] + 1
        subtitle += f" · from {layout['origin']} over {span} day{'s' if span > 1 else ''}"
    if undated:
        subtitle += f" · {undated} undated not shown"
    if no_lane:
        subtitle += f" · {no_lane} with no actor not shown"
    page = render_page(
        "timeline.html",
        data={
            "nodes": nodes,
            "edges": edges,
            "options": TIMELINE_OPTIONS,
            "items": items,
            "lanes": layout["lanes"],
            "axis": {
                "origin": layout["origin"],
                "pxPerDay": layout["px_per_day"],
                "days": layout["days"],
            },
        },
        title=title,
        subtitle=subtitle,
        hint="Click an event (circle) or a statement (square) to read its source sentence. "
        "Scroll to zoom, drag to pan.",
        page="timeline",
        types=[(t, type_colour(t, types)) for t in types],
        reported=reported,
        nonce=nonce or secrets.token_urlsafe(16),
    )
    return page
