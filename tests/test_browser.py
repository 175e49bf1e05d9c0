"""The HTML exports in headless Chromium: no request leaves the page, no console
errors, the network's nodes are there, clicks fill the side panel with the source
sentence, and hostile article text runs no script and shows literally."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kb.export.graph_html import write_graph_html
from kb.export.report import write_report
from kb.export.screenshots import CHROMIUM
from kb.export.timeline_html import write_timeline_html
from kb.graph import build_graph

from .conftest import load_records

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]

IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "</script><script>window.__pwned=1</script>"



@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    pages = {}
    for name in ("ukraine", "hostile"):
        events, statements, actors = load_records(name)
        G = build_graph(events, statements, actors)
        pages[name, "graph"] = write_graph_html(G, out / f"{name}-graph.html")
        pages[name, "timeline"] = write_timeline_html(
            events, statements, out / f"{name}-timeline.html", actors
        )
        pages[name, "report"] = write_report(
            events, statements, actors, out / f"{name}-report.html"
        )
    return pages


class Opened:
    """A page opened with every request but its own file aborted and recorded."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.url = path.resolve().as_uri()
        self.escaped: list[str] = []
        self.errors: list[str] = []
        self.page.on(
            "console",
            lambda m: m.type in ("error", "warning") and self.errors.append(f"{m.type}: {m.text}"),
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.route("**/*", self._route)
        self.page.goto(self.url)

    def _route(self, route):
        if route.request.url == self.url:
            route.continue_()
        else:
            self.escaped.append(route.request.url)
            route.abort()

    def wait_ready(self):
        self.page.wait_for_selector("body[data-ready]", timeout=20000)

    def panel(self) -> str:
        return self.page.inner_text("#panel")

    def click_node(self, node_id: str):
        """A real mouse click at the node's position on the canvas."""
        box = self.page.locator("#network canvas").bounding_box()
        at = self.page.evaluate(
            "id => window.kbNetwork.canvasToDOM(window.kbNetwork.getPositions([id])[id])", node_id
        )
        self.page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])

    def check_clean(self):
        assert self.escaped == [], f"requests tried to leave the page: {self.escaped}"
        assert self.errors == []
        assert self.page.evaluate("window.__pwned") is None

    def close(self):
        self.page.close()


@pytest.fixture
def opened(browser):
    pages = []

    def open_(path):
        page = Opened(browser, path)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()


def test_graph_nodes_click_and_search(exports, opened):
    page = opened(exports["ukraine", "graph"])
    page.wait_ready()
    ids = page.page.evaluate("window.kbNodes.getIds()")
    assert "actor:Vladimir Putin" in ids and "actor:Sheba Crocker" in ids and len(ids) == 9
    assert page.page.evaluate("window.kbEdges.length") == 9

    page.click_node("actor:Vladimir Putin")
    assert page.page.evaluate("window.kbNetwork.getSelectedNodes()") == ["actor:Vladimir Putin"]
    panel = page.panel()
    assert (
        "On Thursday Vladimir Putin announced “a special military operation” in Ukraine." in panel
    )
    assert "Source: Russia launches invasion of Ukraine, Example Wire, 2022-02-24" in panel

    edge = page.page.evaluate("""window.kbEdges.get({filter: e =>
        [e.from, e.to].sort().join('|') === 'actor:Russia|actor:Ukraine'})[0].id""")
    page.page.evaluate("id => window.kbShowEdge(id)", edge)
    panel = page.panel()
    assert panel.startswith("Russia — Ukraine")
    assert "3 events" in panel and "Russian forces launched an invasion" in panel

    page.page.fill("#search", "zelen")
    assert page.page.evaluate("window.kbNetwork.getSelectedNodes()") == ["actor:Volodymyr Zelensky"]
    assert "I need ammunition, not a ride." in page.panel()
    page.check_clean()


def test_timeline_nodes_ticks_reported_style_and_click(exports, opened):
    page = opened(exports["ukraine", "timeline"])
    page.wait_ready()
    ids = set(page.page.evaluate("window.kbNodes.getIds()"))
    assert {"event:3", "event:6", "statement:5"} <= ids
    ticks = page.page.evaluate("window.kbTimeline.ticks")
    assert "21 Feb 2022" in ticks and "24 Jan 2022" in ticks
    style = page.page.evaluate("""['event:2', 'event:3'].map(id => {
        const n = window.kbNodes.get(id);
        return [n.color.background, (n.shapeProperties || {}).borderDashes || null]; })""")
    assert style[0] == ["#ffffff", [3, 3]]  # reported: hollow, dashed
    assert style[1][0] != "#ffffff" and style[1][1] is None  # stated: filled
    xs = page.page.evaluate("""(() => { const p = window.kbNetwork.getPositions();
        return [p['event:6'].x, p['statement:5'].x, p['event:3'].x]; })()""")
    assert xs == sorted(xs) and xs[0] < xs[2]

    page.click_node("event:3")
    panel = page.panel()
    assert "Russian forces launched an invasion of Ukraine on Thursday, February 24." in panel
    assert "Russia (agent), Ukraine (target)" in panel

    page.page.mouse.wheel(0, -400)  # zoom in: ticks get finer or stay readable
    page.page.wait_for_timeout(100)
    assert page.page.evaluate("window.kbTimeline.ticks.length") > 0
    page.check_clean()


@pytest.mark.parametrize("kind", ["graph", "timeline"])
def test_hostile_text_runs_nothing_and_shows_literally(exports, opened, kind):
    page = opened(exports["hostile", kind])
    page.wait_ready()
    node = "actor:Mallory " + IMG if kind == "graph" else "event:11"
    assert node in page.page.evaluate("window.kbNodes.getIds()")
    page.click_node(node)
    panel = page.panel()
    assert IMG in panel and SCRIPT in panel
    # Hover for the tooltip, which vis-network shows as HTML: ours is built from text.
    box = page.page.locator("#network canvas").bounding_box()
    at = page.page.evaluate(
        "id => window.kbNetwork.canvasToDOM(window.kbNetwork.getPositions([id])[id])", node
    )
    page.page.mouse.move(box["x"] + at["x"] + 1, box["y"] + at["y"] + 1)
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=3000)
    assert IMG in page.page.inner_text("div.vis-tooltip")
    assert (
        page.page.evaluate(
            "document.querySelectorAll('#panel img, .vis-tooltip img, "
            "body script:not([nonce]):not(#kb-data)').length"
        )
        == 0
    )
    page.page.wait_for_timeout(200)
    page.check_clean()


def test_empty_exports_open_clean(opened, tmp_path):
    for path in (
        write_graph_html(build_graph([], [], []), tmp_path / "g.html"),
        write_timeline_html([], [], tmp_path / "t.html"),
    ):
        page = opened(path)
        page.wait_ready()
        assert page.page.evaluate("window.kbNodes.length") == 0
        assert "Click" in page.panel()
        page.check_clean()


@pytest.mark.parametrize("name", ["ukraine", "hostile"])
def test_report_opens_clean(exports, opened, name):
    page = opened(exports[name, "report"])
    page.page.wait_for_load_state("load")
    text = page.page.inner_text("body")
    assert "Timeline" in text and page.page.locator("svg").count() == 1
    if name == "hostile":
        assert IMG in text and SCRIPT in text
        assert page.page.locator("img").count() == 0
    page.check_clean()


def _big_records(n_actors: int = 2000, n_events: int = 3000):
    import random

    rng = random.Random(7)
    actors = [
        {
            "name": f"Actor {i}",
            "kind": ("person", "organization", "country")[i % 3],
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
    for i in range(n_events):
        a, b = rng.sample(range(n_actors), 2) if i >= n_actors // 2 else (2 * i, 2 * i + 1)
        day = f"2022-{1 + i % 12:02d}-{1 + i % 28:02d}"
        events.append(
            {
                "id": i,
                "type": "meet",
                "predicate": "meet",
                "trigger": "met",
                "negated": False,
                "hypothetical": False,
                "statement": None,
                "date": {
                    "value": day,
                    "start": day,
                    "end": day,
                    "granularity": "day",
                    "basis": "stated",
                },
                "actors": [
                    {"name": f"Actor {a}", "role": "participant"},
                    {"name": f"Actor {b}", "role": "participant"},
                ],
                "sentence": f"Actor {a} met Actor {b}.",
                "source": {
                    "id": f"s{i % 50}",
                    "title": None,
                    "publisher": None,
                    "published": day,
                    "path": None,
                    "url": None,
                },
            }
        )
    return events, actors


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory):
    """The 2,000-actor export and the seconds it took to write (layout included)."""
    events, actors = _big_records()
    start = time.perf_counter()
    out = tmp_path_factory.mktemp("big") / "big.html"
    path = write_graph_html(build_graph(events, [], actors), out)
    return path, time.perf_counter() - start


@pytest.mark.slow
def test_2000_actor_graph_opens_within_seconds(big_graph, opened):
    path, written = big_graph
    start = time.perf_counter()
    page = opened(path)  # returns once the page has loaded and built the network
    page.wait_ready()
    opened_in = time.perf_counter() - start
    assert page.page.evaluate("window.kbNodes.length") == 2000
    print(f"2,000 actors: written in {written:.1f} s, drawn in {opened_in:.1f} s")
    assert written < 30 and opened_in < 10, (written, opened_in)
    page.check_clean()


POSITIONS = """() => {
  const pos = window.kbNetwork.getPositions(window.kbNodes.getIds());  // rounded by vis
  return Object.keys(pos).sort().map(id => [id, pos[id].x, pos[id].y]);
}"""


@pytest.mark.slow
def test_2000_actor_graph_is_drawn_where_python_placed_it_and_stays(big_graph, opened):
    """Positions read back from the page are the ones computed in Python (spread out,
    not piled in one spot), nothing moves by itself after load (physics off), and a
    dragged node moves alone."""
    import numpy as np

    page = opened(big_graph[0])
    page.wait_ready()
    shipped = {n["id"]: (n["x"], n["y"]) for n in page.page.evaluate("KB.nodes")}
    drawn = page.page.evaluate(POSITIONS)
    assert len(drawn) == len(shipped) == 2000
    assert {node: (x, y) for node, x, y in drawn} == shipped
    xy = np.array([[x, y] for _, x, y in drawn])
    assert (xy.max(axis=0) - xy.min(axis=0) > 2000).all()  # not all at the origin
    assert len({(round(x), round(y)) for x, y in xy}) >= 1990  # not piled in one spot
    nearest = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(nearest, np.inf)
    assert np.median(nearest.min(axis=1)) > 20  # pixels at zoom 1; a dot is 16 to 60

    page.page.wait_for_timeout(1000)
    assert page.page.evaluate(POSITIONS) == drawn  # physics off: nothing drifts

    node = "actor:Actor 5"
    page.page.evaluate("id => window.kbNetwork.focus(id, {scale: 1.0})", node)
    box = page.page.locator("#network canvas").bounding_box()
    at = page.page.evaluate(
        "id => window.kbNetwork.canvasToDOM(window.kbNetwork.getPositions([id])[id])", node)
    x, y = box["x"] + at["x"], box["y"] + at["y"]
    page.page.mouse.move(x, y)
    page.page.mouse.down()
    page.page.mouse.move(x + 60, y + 40, steps=6)
    page.page.mouse.up()
    page.page.wait_for_timeout(300)
    after = {n: (px, py) for n, px, py in page.page.evaluate(POSITIONS)}
    moved = [n for n, px, py in drawn if (px, py) != after[n]]
    assert moved == [node]
    assert after[node][0] - shipped[node][0] == pytest.approx(60, abs=3)
    assert after[node][1] - shipped[node][1] == pytest.approx(40, abs=3)
    page.check_clean()


@pytest.mark.slow
def test_2000_actor_graph_click_search_and_legend_still_work(big_graph, opened):
    page = opened(big_graph[0])
    page.wait_ready()
    node = "actor:Actor 7"
    page.page.evaluate("id => window.kbNetwork.focus(id, {scale: 1.5})", node)
    page.click_node(node)
    panel = page.panel()
    assert panel.startswith("Actor 7\n")
    assert "Actor 6 met Actor 7." in panel  # the source sentence of their event

    page.page.fill("#search", "actor 1999")
    page.page.press("#search", "Enter")
    assert page.page.evaluate("window.kbNetwork.getSelectedNodes()") == ["actor:Actor 1999"]
    assert page.panel().startswith("Actor 1999\n")

    before = page.page.evaluate(POSITIONS)
    page.page.locator('#legend button.filter[data-filter="person"]').click()
    hidden = page.page.evaluate(
        "window.kbNodes.get().filter(n => n.hidden).map(n => n.kb.kind)")
    assert len(hidden) == 667 and set(hidden) == {"person"}
    assert page.page.evaluate(POSITIONS) == before  # hiding moves nobody
    page.check_clean()


def test_real_click_on_an_edge_shows_shared_events(exports, opened):
    page = opened(exports["ukraine", "graph"])
    page.wait_ready()
    box = page.page.locator("#network canvas").bounding_box()
    at = page.page.evaluate(
        """(() => {
        const n = window.kbNetwork, p = n.getPositions(['actor:Antony Blinken',
                                                       'actor:Sergei Lavrov']);
        const a = p['actor:Antony Blinken'], b = p['actor:Sergei Lavrov'];
        return n.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}); })()"""
    )
    page.page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    panel = page.panel()
    assert panel.startswith("Antony Blinken — Sergei Lavrov")
    assert "Antony Blinken met Sergei Lavrov in Geneva on January 21." in panel
    page.check_clean()


def test_screenshots_are_written_and_leaks_refused(browser, exports, tmp_path):
    import struct

    from kb.errors import ExportError
    from kb.export.screenshots import take_screenshots

    shots = take_screenshots(
        {"graph": exports["ukraine", "graph"], "timeline": exports["ukraine", "timeline"]},
        tmp_path,
        width=800,
        height=500,
        browser=browser,
    )
    for png in shots.values():
        head = png.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", head[16:24]) == (800, 500)
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<!DOCTYPE html><body data-ready="1"><img src="https://example.invalid/x.png">',
        encoding="utf-8",
    )
    with pytest.raises(ExportError, match="example.invalid"):
        take_screenshots({"leaky": leaky}, tmp_path, browser=browser)


@pytest.mark.parametrize("kind, name, member", [
    ("graph", "country", "n => n.kb.kind === name"),
    ("timeline", "statement", "n => (KB.items[n.kb.item] || {}).type === name"),
])
def test_legend_entries_filter_the_view(exports, opened, kind, name, member):
    """A real click on a legend entry hides what it names, and a second one shows it
    again; nothing else is hidden."""
    page = opened(exports["ukraine", kind])
    page.wait_ready()
    hidden = f"""name => window.kbNodes.get().filter(n => n.hidden)
                 .map(n => ({member})(n)).reduce((all, m) => all && m, true)
                 && window.kbNodes.get().filter(n => n.hidden).length"""
    button = page.page.locator(f'#legend button.filter[data-filter="{name}"]')
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    count = page.page.evaluate(hidden, name)
    assert count and count == page.page.evaluate(
        f"name => window.kbNodes.get().filter({member}).length", name)
    button.click()
    assert page.page.evaluate("window.kbNodes.get().filter(n => n.hidden).length") == 0
    page.check_clean()


def test_a_crowded_day_is_one_node_that_lists_the_rest(opened, tmp_path):
    """Nine events of one actor on one day: the lane shows MAX_STACK - 1 of them and a
    "+5 more" node, whose real click lists those five in the panel."""
    from kb.export.timeline_html import MAX_STACK

    events, statements, actors = load_records("ukraine")
    base = next(e for e in events if e["actors"] and e["date"])
    crowd = [dict(base, id=1000 + n, predicate=f"act{n}", trigger=f"act{n}")
             for n in range(9)]
    path = write_timeline_html(crowd, [], tmp_path / "crowd.html", actors)
    page = opened(path)
    page.wait_ready()
    groups = page.page.evaluate(
        "window.kbNodes.get().filter(n => n.kb.group).map(n => [n.id, n.kb.group.length])")
    assert len(groups) == 1 and groups[0][1] == 9 - (MAX_STACK - 1)
    page.click_node(groups[0][0])
    page.page.wait_for_selector("#panel .item")
    assert page.page.locator("#panel .item").count() == groups[0][1]
    assert page.panel().startswith(f"{groups[0][1]} more")
    page.check_clean()
