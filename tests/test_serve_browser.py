"""kb serve in Debian's chromium: a reader's path from a search to a CSV download, with
the keyboard and at a phone's width, and a hostile article on every page; no page runs
a script it should not, breaks its Content-Security-Policy or asks another host for
anything (every such request is aborted and recorded)."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from kb.export.screenshots import CHROMIUM
from kb.serve import create_app
from kb.serve.app import LOCAL_HOSTS
from kb.store import Store

from .conftest import ROOT, run
from .test_serve import HOSTILE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """kb serve on 127.0.0.1 over the demo corpus and a hostile article, in a thread."""
    folder = tmp_path_factory.mktemp("serve")
    (folder / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    db = f"sqlite:///{folder / 'kb.sqlite'}"
    run("ingest", str(ROOT / "sources"), str(folder / "hostile.md"), db=db)
    store = Store.open(db, create=False)
    yield from _serving(store, create_app(store, allowed_hosts=list(LOCAL_HOSTS)))


def _serving(store, app):
    """Run ``app`` with uvicorn on a free local port in a thread; yield (its URL,
    ``store``), then stop it and close the store."""
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "kb serve did not start"
    yield f"http://127.0.0.1:{port}", store
    srv.should_exit = True
    thread.join(timeout=10)
    store.close()


class Visit:
    """A browser page that may only talk to kb serve: every other request is aborted and
    recorded, and console errors (CSP violations among them) are kept."""

    def __init__(self, browser, base: str, width: int = 1280, height: int = 900) -> None:
        self.base = base
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.escaped: list[str] = []
        self.errors: list[str] = []
        self.page.on(
            "console", lambda m: m.type == "error" and self.errors.append(m.text)
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url == self.base or url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.escaped.append(url)
            route.abort()

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, path

    def check_clean(self) -> None:
        assert self.escaped == [], f"requests to other hosts: {self.escaped}"
        assert self.errors == [], self.errors
        assert self.page.evaluate("window.__pwned") is None
        for frame in self.page.frames:
            assert frame.evaluate("window.__pwned") is None

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, server):
    opened: list[Visit] = []

    def open_(**kwargs) -> Visit:
        v = Visit(browser, server[0], **kwargs)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.close()


def test_search_statement_article_actor_timeline_download(visit, server):
    _, store = server
    v = visit()
    v.goto("/")
    v.page.fill("#quick-q", "Blinken")
    v.page.press("#quick-q", "Enter")
    v.page.wait_for_url("**/search?kind=statements&q=Blinken")
    expected = store.statements(contains="Blinken", newest_first=True)
    assert expected
    links = v.page.locator("li.fact.statement a.text")
    assert links.count() == min(len(expected), 50)

    links.first.click()
    v.page.wait_for_url(f"**/statement/{expected[0]['id']}")
    assert v.page.locator("mark#fact").count() == 1

    v.page.locator('dl.facts-of a[href^="/article/"]').click()
    v.page.wait_for_url(f"**/article/{expected[0]['source']['id']}?statement=*")
    mark = v.page.locator("mark#fact")
    assert mark.is_visible()
    sentence = " ".join(expected[0]["sentence"].split())
    assert " ".join(mark.inner_text().split()) in sentence or sentence in " ".join(
        mark.inner_text().split()
    )

    speaker = expected[0]["speaker"]
    assert speaker
    v.page.locator(f'a[href="/actor/{quote(speaker, safe="")}"]').first.click()
    v.page.wait_for_url(f"**/actor/{quote(speaker, safe='')}")
    assert v.page.locator("h1").inner_text().startswith(speaker)

    v.page.get_by_role("link", name="Their timeline").click()
    v.page.wait_for_url("**/timeline?kind=all&actor=*")
    frame = v.page.frame_locator("iframe.live")
    frame.locator("body[data-ready]").wait_for(timeout=20000)
    assert frame.locator("#network canvas").count() == 1

    with v.page.expect_download() as info:
        v.page.get_by_role("link", name="Download CSV").click()
    download = info.value
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert download.suggested_filename == "kb-all.csv"
    said_by = store.statements(who=[speaker])
    took_part = store.events(actors=[speaker])
    assert len(rows) == len(said_by) + len(took_part) > 0
    assert {r["speaker"] for r in rows if r["record"] == "statement"} == {speaker}
    v.check_clean()


def test_keyboard_reaches_the_search_and_the_results(visit):
    v = visit()
    v.goto("/search?kind=statements&q=Russia")
    v.page.keyboard.press("Tab")
    assert v.page.evaluate("document.activeElement.className") == "skip"
    v.page.keyboard.press("Enter")
    assert v.page.url.endswith("#main")
    for _ in range(60):
        v.page.keyboard.press("Tab")
        if v.page.evaluate("document.activeElement.closest('li.fact') !== null"):
            break
    else:
        pytest.fail("no result link is reachable with Tab")
    target = v.page.evaluate("document.activeElement.getAttribute('href')")
    v.page.keyboard.press("Enter")
    v.page.wait_for_url(f"**{target}")
    v.check_clean()


@pytest.mark.parametrize("path", ["/", "/search?kind=events", "/actor/Antony%20Blinken",
                                  "/articles", "/actors"])
def test_readable_at_a_phone_width(visit, path):
    v = visit(width=390, height=800)
    v.goto(path)
    overflow = v.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at 390px"
    v.check_clean()


def test_hostile_article_every_page_runs_nothing_and_asks_no_one(visit, server):
    _, store = server
    (article,) = [a for a in store.articles() if (a["path"] or "").endswith("hostile.md")]
    view = store.article(article["id"])
    paths = [f"/article/{article['id']}", "/articles", "/actors", "/actor/Putin",
             "/search?kind=statements&q=here", "/search?kind=events&actor=Putin",
             "/timeline?actor=Putin", "/graph?actor=Putin", "/view/timeline", "/view/graph"]
    paths += [f"/statement/{s['id']}" for s in view["statements"]]
    paths += [f"/event/{e['id']}" for e in view["events"]]
    v = visit()
    for path in paths:
        v.goto(path)
        v.page.wait_for_timeout(150)
        for frame in v.page.frames:
            if frame != v.page.main_frame:
                frame.wait_for_selector("body[data-ready]", timeout=20000)
        v.check_clean()
    v.goto(f"/article/{article['id']}")
    text = v.page.locator("article.text").inner_text()
    assert "<script>window.__pwned=1</script>" in text
    assert "<img src=x onerror=window.__pwned=1>" in text


# -- adding articles (--allow-ingest) ------------------------------------------------------

TOKEN = "browser-test-token-" + "y" * 24


@pytest.fixture(scope="module")
def ingest_server(tmp_path_factory):
    """kb serve --allow-ingest over an empty SQLite database, in a thread."""
    from kb.serve.app import IngestOptions

    folder = tmp_path_factory.mktemp("ingest")
    store = Store.open(f"sqlite:///{folder / 'kb.sqlite'}")
    app = create_app(store, allowed_hosts=list(LOCAL_HOSTS), ingest=IngestOptions(token=TOKEN))
    yield from _serving(store, app)


def test_upload_in_the_browser_reports_each_file_and_runs_no_script(browser, ingest_server):
    base, store = ingest_server
    v = Visit(browser, base)
    try:
        refused = v.page.goto(base + "/ingest")  # no session yet
        assert refused is not None and refused.status == 403
        assert "needs the token" in v.page.locator("main").inner_text()
        v.errors.clear()  # the console's note of that 403
        v.goto(f"/ingest?token={TOKEN}")
        assert v.page.url == base + "/ingest"  # the token left the address bar
        good = (
            'date 2024-05-02\n"The zebrafinch accord will hold," Foreign Minister Ilse '
            "Varnholt said on Thursday in Aldmouth.\n"
        )
        v.page.set_input_files("#files", [
            {"name": "varnholt.txt", "mimeType": "text/plain", "buffer": good.encode()},
            {"name": "hostile.md", "mimeType": "text/markdown", "buffer": HOSTILE.encode()},
            {"name": "scan.txt", "mimeType": "text/plain", "buffer": b"\x00\xff" * 300},
        ])
        v.page.get_by_role("button", name="Add to the database").click()
        v.page.wait_for_selector("h1:has-text('Upload done')", timeout=180_000)
        rows = v.page.locator("table.outcomes tbody tr")
        outcomes = [rows.nth(i).inner_text().split("\t")[:2] for i in range(rows.count())]
        assert outcomes == [["varnholt.txt", "stored"], ["hostile.md", "stored"],
                            ["scan.txt", "skipped"]]
        assert "scan.txt: binary file" in rows.nth(2).inner_text()
        v.check_clean()
        assert store.article_count() == 2
        v.goto("/search?kind=statements&q=zebrafinch")
        assert "zebrafinch accord" in v.page.locator("ol.facts").inner_text()
        (hostile,) = [a for a in store.articles() if (a["path"] or "").endswith("hostile.md")]
        v.goto(f"/article/{hostile['id']}")
        assert "<script>window.__pwned=1</script>" in v.page.locator("article.text").inner_text()
        v.check_clean()
    finally:
        v.close()
