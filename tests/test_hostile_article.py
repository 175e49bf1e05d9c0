"""An article whose words are an attack, ingested and exported to every HTML format,
runs no script in the browser and shows its text literally."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.export import write_all
from kb.export.screenshots import CHROMIUM, guard_requests
from kb.ingest.run import ingest
from kb.store import Store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]

ATTACK = (
    "date 2022-02-21 "
    '"<img src=x onerror=window.__pwned=1> is here </script><script>window.__pwned=1'
    '</script> now," said Joe <b onmouseover=window.__pwned=1>Smith</b> on Sunday.\n\n'
    "Joe Smith, the <script>window.__pwned=1</script> minister, met Vladimir Putin "
    "in Moscow on Monday. Putin said the talks were useful.\n"
)


def test_hostile_article_runs_no_script(tmp_path, browser):
    src = tmp_path / "attack.txt"
    src.write_text(ATTACK, encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'kb.sqlite'}")
    try:
        summary = ingest(store, [str(src)])
        assert summary.new == 1
        assert any("<img" in s["content"] or "<img" in s["sentence"]
                   for s in store.statements())
        pages = write_all(store, tmp_path / "exports")
    finally:
        store.close()
    html_pages = [p for p in pages.values() if str(p).endswith(".html")]
    assert len(html_pages) >= 3
    for path in html_pages:
        page = browser.new_page()
        url = Path(path).resolve().as_uri()
        leaks: list[str] = []
        page.route("**/*", guard_requests(url, leaks))
        page.goto(url)
        page.wait_for_timeout(500)
        # open every panel a reader could open, then look for the text itself
        shown = page.evaluate("""(() => {
            const out = [];
            const show = window.kbShowNode || window.kbShowItem;
            if (window.kbNodes && show) {
                for (const id of window.kbNodes.getIds()) {
                    try { show(id); } catch (e) { continue; }
                    out.push(document.getElementById('panel').innerText);
                }
            }
            out.push(document.body.innerText);
            return out.join('\\n'); })()""")
        page.mouse.move(400, 300)
        page.mouse.click(400, 300)
        assert page.evaluate("window.__pwned") is None, path
        assert leaks == [], (path, leaks)
        # the meeting's sentence, shown as the literal text it is
        assert "the <script>window.__pwned=1</script> minister" in shown, path
        if not str(path).endswith("graph.html"):  # the unattributed quote has no actor
            assert "<img src=x onerror=window.__pwned=1>" in shown, path
        page.close()

