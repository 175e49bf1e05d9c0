"""The 2,000-actor relationship graph in Chromium: kb's export against plain PyVis.

Builds one synthetic, deterministic knowledge base (``--actors`` actors, ``--events``
events; every actor in at least one event, a few actors in very many: each later event
joins one actor picked with a heavy-tailed choice to one or two picked uniformly, as
news joins minor actors to major ones), then writes the same actor graph twice:

(a) kb: :func:`kb.export.graph_html.write_graph_html` (positions computed in Python,
    physics off in the page), timed in Python with the layout separately;
(b) PyVis: ``pyvis.network.Network()`` with its default options, ``from_nx`` of the
    same actor graph (one edge per pair of actors, ``weight`` = shared events, node
    label = actor name) and ``write_html`` with ``cdn_resources="in_line"`` (vis-network
    inlined, so the network part works offline; PyVis 0.3.2 still links Bootstrap from
    a CDN in every mode, and those requests are aborted here, as they fail offline).

Each file is opened in headless Chromium through Playwright, each side in its own
browser process (launched for that one page), the order of the two sides alternating
from round to round. Every request other than the file itself is aborted and counted.

"Settled" is defined the same way for both sides, from vis-network's own events,
timed in the page with ``performance.now()`` (milliseconds since the navigation
started): the first moment at which a frame of the network has been drawn
(``afterDrawing``) and no node moves any more. With physics on (PyVis's default),
that is vis-network's ``stabilized`` event (stabilisation done and the following
simulation come to rest) or the first drawing after it, whichever is later; with
physics off (kb), it is the first drawing. The events are caught by a script that
Playwright adds before the page's own scripts run: it wraps ``vis.Network``'s
``emit`` as the vis-network bundle defines the class, so the page is not modified.
Also printed: the first drawing (the page shows something) and, for PyVis,
``stabilizationIterationsDone``. A page that has not settled after ``--timeout``
seconds is reported as such.

    python benchmarks/graph_render.py                 # 2,000 actors, 3 rounds
    python benchmarks/graph_render.py --rounds 5 --keep /tmp/graphs
    python benchmarks/graph_render.py --rounds 0 --networkx-layouts   # Python side only

``--networkx-layouts`` also times networkx's own ``spring_layout`` and
``forceatlas2_layout`` (seeded, default iterations) on the same graph, against kb's
:func:`kb.graph.spring_positions`, to show why kb keeps its own layout.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402

from kb.export.graph_html import write_graph_html  # noqa: E402
from kb.export.screenshots import CHROMIUM, CHROMIUM_ARGS, guard_requests  # noqa: E402
from kb.graph import actor_projection, build_graph, spring_positions  # noqa: E402

VIEWPORT = {"width": 1280, "height": 800}

#: Added before any page script: catches vis-network's events on the one network the
#: page makes, timed from the navigation's start.
HOOK = """
(() => {
  const marks = window.__settle = {firstDraw: null, stabilized: null,
                                   iterationsDone: null, physics: null, net: null};
  function hook(Network) {
    const emit = Network.prototype.emit;
    Network.prototype.emit = function (name, ...args) {
      const result = emit.call(this, name, ...args);
      const now = performance.now();
      marks.net = marks.net || this;
      if (name === "afterDrawing" && marks.firstDraw === null) {
        marks.firstDraw = now;
        const physics = this.physics;
        marks.physics = Boolean(physics && physics.physicsEnabled && physics.options.enabled);
      }
      if (name === "stabilizationIterationsDone" && marks.iterationsDone === null)
        marks.iterationsDone = now;
      if (name === "stabilized") marks.stabilized = now;
      return result;
    };
  }
  let vis;
  Object.defineProperty(window, "vis", {configurable: true, enumerable: true,
    get() { return vis; },
    set(value) {
      vis = value;
      let Network;
      Object.defineProperty(value, "Network", {configurable: true, enumerable: true,
        get() { return Network; },
        set(cls) { Network = cls; hook(cls); }});
    }});
})();
"""

#: True once settled (as defined in the module docstring).
SETTLED = """() => {
  const m = window.__settle;
  if (!m || m.firstDraw === null) return false;
  return m.physics ? m.stabilized !== null : true;
}"""

READ_BACK = """() => {
  const m = window.__settle, net = m.net;
  const settled = m.physics ? Math.max(m.firstDraw, m.stabilized) : m.firstDraw;
  const ids = net.body.data.nodes.getIds();
  const pos = Object.values(net.getPositions(ids));
  const spread = pos.length ? Math.max(...pos.map(p => Math.abs(p.x) + Math.abs(p.y))) : 0;
  return {settled, firstDraw: m.firstDraw, iterationsDone: m.iterationsDone,
          physics: m.physics, nodes: ids.length, edges: net.body.data.edges.length,
          spread};
}"""

#: How far a page that has not settled got: its stabilisation iterations so far
#: (vis-network's own counter, read for the report only).
PROGRESS = """() => {
  const m = window.__settle, net = m && m.net;
  return {firstDraw: m ? m.firstDraw : null, iterationsDone: m ? m.iterationsDone : null,
          physics: m ? m.physics : null,
          iterations: net && net.physics ? net.physics.stabilizationIterations : null};
}"""


# -- the graph ------------------------------------------------------------------------


def skewed(rng: random.Random, n: int) -> int:
    """A heavy-tailed pick in [0, n): a few actors are in many events, most in few."""
    return min(n - 1, int(n * rng.random() ** 3))


def records(n_actors: int = 2000, n_events: int = 3000, seed: int = 7):
    """(events, actors) records of the synthetic base, the same for the same arguments."""
    rng = random.Random(seed)
    kinds = ("person", "person", "organization", "country", "place", "group")
    actors = [
        {
            "name": f"Actor {i}",
            "kind": kinds[i % len(kinds)],
            "aliases": [],
            "titles": [],
            "mentions": 1,
            "events": 1,
            "statements": 0,
            "articles": 1,
        }
        for i in range(n_actors)
    ]
    events = []
    pairs = n_actors // 2
    for i in range(n_events):
        if i < pairs:  # every actor takes part in something
            members = [2 * i, 2 * i + 1]
        else:
            members = [skewed(rng, n_actors), rng.randrange(n_actors)]
            if rng.random() < 0.3:
                members.append(rng.randrange(n_actors))
            members = list(dict.fromkeys(members))
            if len(members) < 2:
                members.append((members[0] + 1) % n_actors)
        day = f"2022-{1 + i % 12:02d}-{1 + i % 28:02d}"
        events.append(
            {
                "id": i,
                "type": ("meet", "warn", "accuse", "visit")[i % 4],
                "predicate": "meet",
                "trigger": "met",
                "negated": False,
                "hypothetical": False,
                "statement": None,
                "date": {"value": day, "start": day, "end": day, "granularity": "day",
                         "basis": "stated"},
                "actors": [{"name": f"Actor {a}", "role": "participant"} for a in members],
                "sentence": " and ".join(f"Actor {a}" for a in members) + " met.",
                "source": {"id": f"s{i % 50}", "title": None, "publisher": None,
                           "published": day, "path": None, "url": None},
            }
        )
    return events, actors


def plain_graph(P: nx.MultiGraph) -> nx.Graph:
    """The actor graph as PyVis is usually given one: labels and summed weights."""
    H = nx.Graph()
    for node, d in sorted(P.nodes(data=True), key=lambda nd: nd[0]):
        H.add_node(node, label=d["name"])
    for a, b, d in P.edges(data=True):
        if H.has_edge(a, b):
            H[a][b]["weight"] += d["weight"]
        else:
            H.add_edge(a, b, weight=d["weight"])
    return H


def write_both(out: Path, n_actors: int, n_events: int) -> dict[str, Any]:
    events, actors = records(n_actors, n_events)
    start = time.perf_counter()
    G = build_graph(events, [], actors)
    built = time.perf_counter() - start
    P = actor_projection(G)
    start = time.perf_counter()
    spring_positions(P)
    layout = time.perf_counter() - start
    start = time.perf_counter()
    kb_path = write_graph_html(G, out / "kb.html")
    kb_time = time.perf_counter() - start

    from pyvis.network import Network

    H = plain_graph(P)
    start = time.perf_counter()
    net = Network(cdn_resources="in_line")
    net.from_nx(H)
    pyvis_path = out / "pyvis.html"
    cwd = os.getcwd()
    os.chdir(out)  # PyVis writes relative paths; keep anything it adds in out/
    try:
        net.write_html(pyvis_path.name)
    finally:
        os.chdir(cwd)
    pyvis_time = time.perf_counter() - start
    sizes = [len(c) for c in nx.connected_components(H)]
    degrees = sorted((d for _, d in H.degree()), reverse=True)
    return {
        "kb": kb_path,
        "pyvis": pyvis_path,
        "build": built,
        "layout": layout,
        "kb_write": kb_time,
        "pyvis_write": pyvis_time,
        "nodes": H.number_of_nodes(),
        "edges": H.number_of_edges(),
        "components": len(sizes),
        "largest": max(sizes),
        "max_degree": degrees[0],
        "median_degree": statistics.median(degrees),
    }


def time_layouts(n_actors: int, n_events: int) -> None:
    """Print how long kb's layout and networkx's two force layouts take on the graph."""
    events, actors = records(n_actors, n_events)
    H = plain_graph(actor_projection(build_graph(events, [], actors)))
    layouts = [
        ("kb.graph.spring_positions", lambda: spring_positions(H)),
        ("networkx spring_layout", lambda: nx.spring_layout(H, seed=0)),
        ("networkx forceatlas2_layout", lambda: nx.forceatlas2_layout(H, seed=0)),
    ]
    for name, layout in layouts:
        load = os.getloadavg()[0]
        start = time.perf_counter()
        layout()
        print(f"layout: {name} {time.perf_counter() - start:.2f} s (load {load:.2f})",
              flush=True)


# -- the browser ----------------------------------------------------------------------


def open_once(playwright: Any, path: Path, timeout: float) -> dict[str, Any]:
    """Open ``path`` in a fresh Chromium process and wait until it has settled."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport=VIEWPORT)
        url = path.resolve().as_uri()
        escaped: list[str] = []
        errors: list[str] = []
        page.route("**/*", guard_requests(url, escaped))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(HOOK)
        page.goto(url, wait_until="commit")
        try:
            page.wait_for_function(SETTLED, timeout=timeout * 1000, polling=50)
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError: report, go on
            progress = page.evaluate(PROGRESS)
            return {"settled": None, "escaped": len(escaped), "errors": errors, **progress}
        result = page.evaluate(READ_BACK)
        result.update(escaped=len(escaped), errors=errors)
        return result
    finally:
        browser.close()


def seconds(ms: float | None) -> str:
    return "-" if ms is None else f"{ms / 1000:.2f}"


def spread(values: list[float]) -> str:
    low, high, mid = min(values), max(values), statistics.median(values)
    return f"{low / 1000:.2f}-{high / 1000:.2f} s (median {mid / 1000:.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds to wait for a page to settle (default 300)")
    parser.add_argument("--keep", type=Path, help="write the two files here and keep them")
    parser.add_argument("--networkx-layouts", action="store_true",
                        help="also time networkx's spring_layout and forceatlas2_layout")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM}: Chromium not found; install it or set KB_CHROMIUM")
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"nproc {os.cpu_count()}, Python {platform.python_version()}, load average {load}")
        info = write_both(out, args.actors, args.events)
        print(f"graph: {info['nodes']} actors, {info['edges']} links, {info['components']} "
              f"components (largest {info['largest']}), degree median {info['median_degree']}, "
              f"max {info['max_degree']}")
        print(f"Python: build_graph {info['build']:.2f} s; kb export {info['kb_write']:.2f} s "
              f"(of which layout {info['layout']:.2f} s); PyVis from_nx + write_html "
              f"{info['pyvis_write']:.2f} s")
        print(f"files: kb {info['kb'].stat().st_size / 1e6:.1f} MB, "
              f"PyVis {info['pyvis'].stat().st_size / 1e6:.1f} MB")
        if args.networkx_layouts:
            time_layouts(args.actors, args.events)
        runs: dict[str, list[dict[str, Any]]] = {"kb": [], "pyvis": []}
        with sync_playwright() as p:
            for number in range(args.rounds):
                order = ("kb", "pyvis") if number % 2 == 0 else ("pyvis", "kb")
                for side in order:
                    before = os.getloadavg()[0]
                    r = open_once(p, info[side], args.timeout)
                    r["load"] = before
                    runs[side].append(r)
                    stuck = "" if r["settled"] is not None else (
                        f" (not settled in {args.timeout:.0f} s; stabilisation iteration "
                        f"{r.get('iterations')})")
                    print(f"round {number + 1} {side:5}: settled {seconds(r['settled'])} s{stuck}, "
                          f"first drawing {seconds(r.get('firstDraw'))} s, stabilisation "
                          f"iterations done {seconds(r.get('iterationsDone'))} s, physics "
                          f"{r.get('physics')}, nodes {r.get('nodes')}, requests aborted "
                          f"{r['escaped']}, page errors {len(r['errors'])}, load {before:.2f}",
                          flush=True)
        if args.rounds:
            summary(runs, args.timeout)
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"load average after: {load}")
    return 0


def summary(runs: dict[str, list[dict[str, Any]]], timeout: float) -> None:
    """Ranges over the rounds, and PyVis's time over kb's (medians)."""
    print()
    settled = {side: [r["settled"] for r in runs[side] if r["settled"] is not None]
               for side in runs}
    for side, done in settled.items():
        text = spread(done) if done else "never"
        if len(done) < len(runs[side]):
            text += f"; {len(runs[side]) - len(done)} of {len(runs[side])} not settled in " \
                    f"{timeout:.0f} s"
        print(f"{side:5} settled: {text}")
    if settled["kb"] and settled["pyvis"]:
        ratio = statistics.median(settled["pyvis"]) / statistics.median(settled["kb"])
        print(f"PyVis / kb, settled (medians): {ratio:.1f}x")
    elif settled["kb"]:
        ratio = timeout * 1000 / statistics.median(settled["kb"])
        print(f"PyVis / kb, settled: more than {ratio:.0f}x (PyVis not settled in "
              f"{timeout:.0f} s)")
    for side in runs:
        drawn = [r["firstDraw"] for r in runs[side] if r.get("firstDraw") is not None]
        text = spread(drawn) if drawn else "never"
        if len(drawn) < len(runs[side]):
            text += f"; {len(runs[side]) - len(drawn)} of {len(runs[side])} not drawn"
        print(f"{side:5} first drawing: {text}")


if __name__ == "__main__":
    raise SystemExit(main())
