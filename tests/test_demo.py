"""`kb demo` end to end on the demo corpus: the main job of the README's first command."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli import app
from kb.export.screenshots import CHROMIUM, guard_requests
from kb.graph import actor_projection, build_graph
from kb.store import Store

from .conftest import ROOT


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Run `kb demo` in a fresh folder holding a copy of sources/."""
    work = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT / "sources", work / "sources")
    mp = pytest.MonkeyPatch()
    mp.chdir(work)
    try:
        result = CliRunner().invoke(app, ["demo"], env={"KB_DATABASE_URL": None})
    finally:
        mp.undo()
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return work, result.stdout


def test_demo_writes_everything_and_says_where(demo):
    work, stdout = demo
    for name in ("graph.html", "timeline.html", "report.html", "report.md"):
        assert (work / "exports" / name).stat().st_size > 1000
        assert f"exports/{name}" in stdout
    assert "ingested 9 articles" in stdout
    assert "Antony Blinken" in stdout
    assert not (work / "lib").exists()  # nothing written beside the exports


def test_demo_graph_links_blinken_and_putin(demo):
    work, _ = demo
    store = Store.open(f"sqlite:///{work / 'kb-demo.sqlite'}")
    try:
        G = build_graph(store.events(), store.statements(), store.actors())
    finally:
        store.close()
    P = actor_projection(G)
    assert P.has_edge("actor:Antony Blinken", "actor:Vladimir Putin")
    assert P.has_edge("actor:Emmanuel Macron", "actor:Joe Biden")


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
def test_demo_timeline_places_items_on_their_days(demo, browser):
    work, _ = demo
    page_file = (work / "exports" / "timeline.html").resolve().as_uri()
    page = browser.new_page()
    leaks: list[str] = []
    page.route("**/*", guard_requests(page_file, leaks))
    page.goto(page_file)
    page.wait_for_selector("body[data-ready]", timeout=20000)
    rows = page.evaluate("""(() => {
        const pos = window.kbNetwork.getPositions();
        return window.kbNodes.get().filter(n => n.kb && n.kb.item).map(n => {
            const it = KB.items[n.kb.item];
            return {x: pos[n.id].x, date: it.date, basis: it.basis, type: it.type,
                    actors: it.actors, quote: it.quote || "", sentence: it.sentence};
        }); })()""")
    axis = page.evaluate("KB.axis")
    page.close()
    assert leaks == []
    origin = dt.date.fromisoformat(axis["origin"])

    def day_of(x: float) -> str:
        return (origin + dt.timedelta(days=round(x / axis["pxPerDay"]))).isoformat()

    blinken = [r for r in rows if r["type"] == "statement" and any(
        a[0] == "Antony Blinken" and a[1] == "speaker" for a in r["actors"])
        and r["date"] == "2022-02-20" and "Sunday" in r["sentence"]]
    assert blinken, "no Blinken statement of Sunday 2022-02-20 on the timeline"
    assert all(day_of(r["x"]) == "2022-02-20" and r["basis"] == "stated" for r in blinken)
    talks = [r for r in rows if r["type"] == "meeting" and any(
        a[0] == "Emmanuel Macron" for a in r["actors"]) and "Saturday night" in r["sentence"]]
    assert talks and all(day_of(r["x"]) == "2022-02-19" for r in talks)
