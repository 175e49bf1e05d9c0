"""The HTML exports as files: self-contained, data embedded safely, nothing written
beside them. (What the browser does with them is in test_browser.py.)"""

from __future__ import annotations

import json
import re

import pytest

from kb.errors import ExportError
from kb.export.commands import write_all
from kb.export.graph_html import write_graph_html
from kb.export.html import script_json, vis_assets
from kb.export.timeline_html import timeline_layout, write_timeline_html
from kb.graph import build_graph

from .conftest import load_records

HOSTILE_BITS = (
    "<img src=x onerror=window.__pwned=1>",
    "</script><script>window.__pwned=1</script>",
)



def _pages(tmp_path, name):
    events, statements, actors = load_records(name)
    return {
        "graph": write_graph_html(build_graph(events, statements, actors), tmp_path / "g.html"),
        "timeline": write_timeline_html(events, statements, tmp_path / "t.html", actors),
    }


@pytest.mark.parametrize(
    "data, expected",
    [
        ("</script>", '"\\u003c/script\\u003e"'),
        ("a & b", '"a \\u0026 b"'),
        ("line\u2028sep\u2029", '"line\\u2028sep\\u2029"'),
        ({"<!--": 1}, '{"\\u003c!--": 1}'),
        ("é “q”", '"é “q”"'),
    ],
)
def test_script_json_escapes(data, expected):
    assert script_json(data) == expected
    assert json.loads(script_json(data)) == data


@pytest.mark.parametrize("name", ["ukraine", "hostile"])
def test_pages_are_self_contained(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    for path in _pages(tmp_path, name).values():
        page = path.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*\bsrc=", page, re.I)
        assert not re.search(r"<link\b", page, re.I)
        for host in ("cdnjs", "jsdelivr", "unpkg", "bootstrap"):
            assert host not in page.lower()
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
        assert "sourceMappingURL" not in page
        assert "vis-network" in page and "window.kbNetwork" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.html", "t.html"]  # no lib/


@pytest.mark.parametrize("kind", ["graph", "timeline"])
def test_hostile_text_never_appears_raw(tmp_path, kind):
    page = _pages(tmp_path, "hostile")[kind].read_text(encoding="utf-8")
    for bit in HOSTILE_BITS:
        assert bit not in page
    page = page.replace(vis_assets()[0], "")  # vis-network holds a "<script>" string
    # Only our own <script> elements: the data block plus three code blocks.
    assert len(re.findall(r"<script\b", page)) == 4
    assert len(re.findall(r"</script>", page)) == 4


def test_graph_data_has_actors_links_and_items(tmp_path):
    page = _pages(tmp_path, "ukraine")["graph"].read_text(encoding="utf-8")
    raw = re.search(r'<script id="kb-data" type="application/json">(.*?)</script>', page, re.S)
    data = json.loads(raw.group(1))
    ids = {n["id"] for n in data["nodes"]}
    assert ids == {f"actor:{a['name']}" for a in load_records("ukraine")[2]}
    russia = next(n for n in data["nodes"] if n["id"] == "actor:Russia")
    assert russia["kb"]["kind"] == "country" and russia["value"] == 4
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False
    edge = next(
        e for e in data["edges"] if {e["from"], e["to"]} == {"actor:Russia", "actor:Ukraine"}
    )
    assert edge["value"] == 3
    assert {r["relation"] for r in edge["kb"]["relations"]} == {"attack", "warn", "statement"}
    assert data["items"]["event:3"]["sentence"].startswith("Russian forces launched")


def _nonces(page: str) -> set[str]:
    return set(re.findall(r"'nonce-([^']+)'", page)) | set(re.findall(r'nonce="([^"]+)"', page))


def test_graph_file_is_the_same_for_the_same_input(tmp_path):
    """Seeded layout, seeded measures and a nonce derived from the page: two runs on the
    same records write the same bytes; other records give another nonce."""
    pages = [
        write_graph_html(build_graph(*load_records("ukraine")), tmp_path / f"g{n}.html")
        for n in (1, 2)
    ]
    first, second = (p.read_bytes() for p in pages)
    assert first == second
    (nonce,) = _nonces(first.decode("utf-8"))
    assert len(nonce) >= 22  # 128 bits
    other = write_graph_html(build_graph(*load_records("hostile")), tmp_path / "h.html")
    (other_nonce,) = _nonces(other.read_text(encoding="utf-8"))
    assert other_nonce != nonce


def test_graph_html_keeps_a_given_nonce():
    """kb serve passes a fresh nonce per response: the page uses exactly that one."""
    from kb.export.graph_html import graph_html

    page = graph_html(build_graph(*load_records("ukraine")), nonce="r4nd0mPerRequest")
    assert _nonces(page) == {"r4nd0mPerRequest"}
    assert page.count('nonce="r4nd0mPerRequest"') == 3


def test_timeline_layout_puts_time_on_x_and_actors_on_lanes():
    from kb.export.graph_html import graph_items

    G = build_graph(*load_records("ukraine"))
    layout = timeline_layout(graph_items(G))
    place = layout["place"]
    assert layout["origin"] == "2022-01-21" and layout["days"] == 35
    xs = {i: place[i][0] for i in place}
    assert xs["event:6"] == 0 < xs["event:7"] < xs["statement:5"] < xs["event:1"] < xs["event:3"]
    assert xs["event:3"] == xs["event:4"]  # same day, different lanes
    assert place["event:3"][2] == "Russia" and place["event:4"][2] == "Vladimir Putin"
    # Two statements by Crocker on one day are stacked in her lane.
    assert place["event:1"][2] == place["event:2"][2] == "Sheba Crocker"
    assert place["event:1"][1] != place["event:2"][1]
    lanes = [lane["name"] for lane in layout["lanes"]]
    # Busiest first: Russia and Ukraine (4 items each, Russia seen first), Blinken (3).
    assert lanes[:3] == ["Russia", "Ukraine", "Antony Blinken"]
    assert lanes[-1] == "United States"  # one item, seen last
    chosen = timeline_layout(graph_items(G), ["Sergei Lavrov", "nobody"])
    assert [lane["name"] for lane in chosen["lanes"]][:2] == ["Sergei Lavrov", "Russia"]


def test_write_graph_html_refuses_other_graphs(tmp_path):
    import networkx as nx

    with pytest.raises(ExportError, match="build_graph"):
        write_graph_html(nx.karate_club_graph(), tmp_path / "g.html")


def test_unwritable_output_is_an_export_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot write"):
        write_graph_html(build_graph(*load_records("ukraine")), blocker / "g.html")


class RecordStore:
    """Stands in for kb.store.Store: the three read methods write_all uses."""

    def __init__(self, events, statements, actors):
        self._records = events, statements, actors

    def events(self, **_):
        return self._records[0]

    def statements(self, **_):
        return self._records[1]

    def actors(self):
        return self._records[2]


def test_write_all_writes_the_demo_exports(tmp_path):
    written = write_all(RecordStore(*load_records("ukraine")), tmp_path / "exports")
    assert {k: p.name for k, p in written.items()} == {
        "graph": "graph.html",
        "timeline": "timeline.html",
        "report": "report.html",
        "report_md": "report.md",
    }
    assert all(p.stat().st_size > 1000 for p in written.values())
    assert (tmp_path / "exports" / "report.svg").is_file()
