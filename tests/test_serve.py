"""kb serve over the demo corpus (and one hostile article) on SQLite and PostgreSQL:
the JSON API and its OpenAPI description, the pages, the filters in the URL, the empty
states, the downloads, and the guards (read-only, bounded, no traversal, CSP)."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from kb.serve import create_app
from kb.store import Store

from .conftest import ROOT, run

HOSTILE = (
    '---\ntitle: =HYPERLINK("http://evil.invalid") <script>window.__pwned=1</script>\n'
    "published: 2022-02-21\n---\n"
    '"<img src=x onerror=window.__pwned=1> is here </script><script>window.__pwned=1'
    '</script> now," said Joe <b onmouseover=window.__pwned=1>Smith</b> on Sunday.\n\n'
    "Joe Smith, the <script>window.__pwned=1</script> minister\x1b[31m, met Vladimir Putin "
    "in Moscow on Monday.\n\n"
    '=HYPERLINK("http://evil.invalid") Putin said the talks were useful.\n'
)


@pytest.fixture(scope="module")
def store(module_db_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    run("ingest", str(ROOT / "sources"), str(folder), db=module_db_url)
    opened = Store.open(module_db_url, create=False)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store, allowed_hosts=["testserver", "127.0.0.1"]))


def _script_tags(page: str) -> list[dict]:
    """The attributes of every <script> element, as an HTML parser sees them (a
    script's own text is not parsed for tags)."""
    from html.parser import HTMLParser

    found: list[dict] = []

    class Scripts(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "script":
                found.append(dict(attrs))

    Scripts().feed(page)
    return found


def _hostile_article(store) -> dict:
    (found,) = [a for a in store.articles() if (a["path"] or "").endswith("hostile.md")]
    return found


# -- the API ---------------------------------------------------------------------------


def test_api_statements_page_through_every_match(client, store):
    expected = [s["id"] for s in store.statements(newest_first=True)]
    seen, url = [], "/api/statements?limit=7"
    while url:
        body = client.get(url).json()
        assert len(body["items"]) <= 7
        seen += [s["id"] for s in body["items"]]
        url = body["next"]
    assert seen == expected and len(seen) > 7


@pytest.mark.parametrize(
    "query, store_kwargs",
    [
        ("q=false+flag", {"contains": "false flag"}),
        ("actor=Blinken", {"who": ["Blinken"]}),
        ("about=Putin&since=2022-02-20&until=2022-02-21",
         {"about": ["Putin"], "since": "2022-02-20", "until": "2022-02-21"}),
    ],
)
def test_api_statement_filters_are_the_store_filters(client, store, query, store_kwargs):
    import datetime as dt

    kwargs = {k: dt.date.fromisoformat(v) if k in ("since", "until") else v
              for k, v in store_kwargs.items()}
    expected = [s["id"] for s in store.statements(newest_first=True, **kwargs)]
    got = [s["id"] for s in client.get(f"/api/statements?{query}&limit=500").json()["items"]]
    assert expected and got == expected


def test_api_events_by_type_and_actor(client, store):
    expected = store.events(types=["meeting"], actors=["Putin"], newest_first=True)
    body = client.get("/api/events?type=meeting&actor=Putin").json()
    assert [e["id"] for e in body["items"]] == [e["id"] for e in expected]
    assert expected and all(e["type"] == "meeting" for e in body["items"])


def test_api_unknown_actor_suggests_names(client):
    r = client.get("/api/statements?actor=Blinkn")
    assert r.status_code == 404
    assert "did you mean" in r.json()["error"] and "Blinken" in r.json()["error"]
    assert client.get("/api/actor/Nobody%20Atall").status_code == 404


def test_api_actors_actor_and_article(client, store):
    names = [a["name"] for a in client.get("/api/actors?limit=500").json()["items"]]
    assert names == [a["name"] for a in store.actors()]
    profile = client.get("/api/actor/Blinken").json()
    assert profile["actor"]["name"] == "Antony Blinken" and profile["counterparts"]
    sid = profile["statements"][0]["id"]
    article_id = profile["statements"][0]["source"]["id"]
    article = client.get(f"/api/article/{article_id}").json()
    (st,) = [s for s in article["statements"] if s["id"] == sid]
    start, end = st["spans"]["content"]
    assert article["text"][start:end] == st["content"]
    for ev in article["events"]:
        start, end = ev["spans"]["trigger"]
        assert article["text"][start:end] == ev["trigger"]
    for m in article["mentions"]:
        assert article["text"][m["start"]:m["end"]]


@pytest.mark.parametrize(
    "url", ["/api/statements?limit=501", "/api/statements?limit=0", "/api/events?since=21/02",
            "/api/statements?offset=-1", "/api/statements?sort=random"]
)
def test_api_bad_parameters_are_400_with_the_reason(client, url):
    r = client.get(url)
    assert r.status_code == 400 and r.json()["error"]


def test_openapi_describes_every_route_and_refs_resolve(client):
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {
        "/api/statements", "/api/events", "/api/actors", "/api/actor/{name}",
        "/api/article/{article_id}",
    }
    refs = re.findall(r'"\$ref": "([^"]+)"', __import__("json").dumps(doc))
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"], ref


# -- pages ---------------------------------------------------------------------------


def test_search_lists_facets_and_keeps_filters_in_links(client, store):
    r = client.get("/search?kind=statements&q=Russia&size=5")
    assert r.status_code == 200
    page = r.text
    first = store.statements(contains="Russia", newest_first=True, limit=5)
    for st in first:
        assert f'href="/statement/{st["id"]}"' in page
    speakers = {s["speaker"] for s in store.statements(contains="Russia") if s["speaker"]}
    facet = re.findall(r'<a href="(/search\?[^"]*&amp;actor=[^"]*)">', page)
    assert facet and len(facet) == min(15, len(speakers))
    assert all("q=Russia" in link and "size=5" in link for link in facet)
    nxt = re.search(r'rel="next" href="([^"]+)"', page)
    assert nxt and "page=2" in nxt[1] and "q=Russia" in nxt[1]
    second = client.get(nxt[1].replace("&amp;", "&")).text
    following = store.statements(contains="Russia", newest_first=True, limit=5, offset=5)
    assert following and all(f'href="/statement/{s["id"]}"' in second for s in following)


def test_event_facets_and_histogram(client):
    page = client.get("/search?kind=events&bin=day").text
    assert re.search(r'href="/search\?kind=events&amp;type=meeting[^"]*"', page)
    bars = re.findall(r'href="/search\?kind=events&amp;since=(\d{4}-\d\d-\d\d)&amp;until=\1', page)
    assert len(bars) >= 2


def test_unknown_actor_empty_state_says_did_you_mean(client):
    page = client.get("/search?kind=statements&actor=Blinkn").text
    assert "No statements by Blinkn" in page
    assert "did you mean" in page and "Antony Blinken" in page


def test_empty_result_says_so(client):
    page = client.get("/search?kind=statements&q=zzzqqq").text
    assert "No statements contain “zzzqqq”" in page


def test_statement_page_highlights_its_sentence(client, store):
    (st,) = store.statements(who=["Blinken"], limit=1)
    page = client.get(f"/statement/{st['id']}").text
    focus = re.search(r'<mark id="fact" class="focus">(.*?)</mark>', page, re.S)
    assert focus
    shown = re.sub(r"<[^>]+>", "", focus[1])
    assert st["content"][:30].replace("'", "&#39;").replace('"', "&#34;") in shown
    assert f'href="/actor/{quote(st["speaker"], safe="")}"' in page
    assert f'href="/article/{st["source"]["id"]}?statement={st["id"]}#fact"' in page


def test_actor_page(client, store):
    page = client.get("/actor/Blinken").text
    profile = store.actor_profile("Blinken")
    assert "<h1>Antony Blinken" in page
    for alias in profile["actor"]["aliases"]:
        assert alias in page
    assert profile["counterparts"][0]["name"] in page
    assert 'href="/timeline?kind=all&amp;actor=Antony+Blinken"' in page
    assert 'href="/graph?kind=all&amp;actor=Antony+Blinken"' in page
    assert "Statements about Antony Blinken" in page
    missing = client.get("/actor/Blinkn")
    assert missing.status_code == 404 and "did you mean" in missing.text


def test_actor_page_histogram_counts_every_report(client, store):
    """The actor page's histogram is the actor's activity kept at write time (every
    report of its statements and events), and the page says that it counts reports."""
    activity = store.actor_activity("Antony Blinken")
    assert activity
    page = client.get("/actor/Blinken?bin=day").text
    bars = re.findall(r'title="(\d{4}-\d\d-\d\d) to \1: (\d+)"', page)
    shown = {day: int(n) for day, n in bars if int(n)}
    assert shown == {a["day"]: a["statements"] + a["events"] for a in activity}
    assert "Counts reports" in page and "a claim three articles carry counts three" in page


def test_article_page_marks_every_fact(client, store):
    article = next(a for a in store.articles() if a["statements"] and a["events"])
    page = client.get(f"/article/{article['id']}").text
    view = store.article(article["id"])
    for st in view["statements"]:
        assert f'class="content" href="/statement/{st["id"]}"' in page or (
            f'href="/statement/{st["id"]}"' in page)
    for ev in view["events"]:
        assert f'href="/event/{ev["id"]}"' in page
    assert 'class="mention" href="/actor/' in page


def test_live_timeline_and_graph(client):
    page = client.get("/timeline?actor=Blinken").text
    frame = '<iframe class="live" title="timeline" src="/view/timeline?kind=all&amp;actor=Blinken"'
    assert frame in page
    for view in ("timeline", "graph"):
        r = client.get(f"/view/{view}?kind=all&actor=Blinken")
        nonce = re.search(r"script-src 'nonce-([^']+)'", r.headers["content-security-policy"])[1]
        scripts = _script_tags(r.text)
        assert len(scripts) >= 3 and all(
            a.get("nonce") == nonce or a.get("type") == "application/json" for a in scripts
        )
        assert "Antony Blinken" in r.text
    assert client.get("/view/other").status_code == 404


def test_download_csv_and_json_of_the_view(client, store):
    expected = store.statements(who=["Blinken"], newest_first=True)
    r = client.get("/download.csv?kind=statements&actor=Blinken")
    assert r.headers["content-disposition"] == 'attachment; filename="kb-statements.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(row["id"]) for row in rows] == [s["id"] for s in expected]
    data = client.get("/download.json?kind=events&actor=Blinken").json()
    assert [e["id"] for e in data] == [e["id"] for e in store.events(actors=["Blinken"],
                                                                      newest_first=True)]
    assert client.get("/download.exe").status_code == 404


def test_hostile_article_is_escaped_everywhere(client, store):
    article = _hostile_article(store)
    view = store.article(article["id"])
    assert "<script>" in view["text"]
    urls = [f"/article/{article['id']}", "/articles", "/search?kind=statements&q=Sunday",
            "/search?kind=events&actor=Putin", "/actor/Putin"]
    urls += [f"/statement/{s['id']}" for s in view["statements"]]
    urls += [f"/event/{e['id']}" for e in view["events"]]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        assert "<script" not in r.text and "<img" not in r.text and "<b " not in r.text, url
        assert "\x1b" not in r.text, url
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in client.get(urls[0]).text
    download = client.get("/download.csv?kind=statements&q=talks+useful&actor=Putin").text
    cells = [v for row in csv.DictReader(io.StringIO(download)) for v in row.values() if v]
    assert any(v.startswith("'=HYPERLINK") for v in cells)
    assert not any(v.startswith("=") for v in cells)


# -- guards ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/api/statements", "/static/kb-serve.css", "/nope",
                                 "/search?since=bad"])
def test_every_response_has_a_content_security_policy(client, url):
    r = client.get(url)
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_read_only_and_bounded(client):
    assert client.post("/api/statements", content=b"").status_code == 405
    assert client.delete("/actor/Blinken").status_code == 405
    assert client.request("GET", "/", content=b"x" * 10).status_code == 413
    assert client.get("/search?q=" + "a" * 5000).status_code == 414
    assert client.get("/search?size=201").status_code == 400
    assert client.get("/search?q=" + "a" * 201).status_code == 400
    assert client.get("/search?" + "&".join(["actor=a"] * 21)).status_code == 400


@pytest.mark.parametrize(
    "path",
    ["/static/../../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
     "/static/..%2f..%2fpyproject.toml", "/article/..%2f..%2fetc%2fpasswd",
     "/static/%2fetc%2fpasswd"],
)
def test_no_path_traversal(client, path):
    r = client.get(path)
    assert r.status_code in (400, 404)
    assert "[project]" not in r.text and "root:" not in r.text


def test_other_host_names_are_refused(client):
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"host": "127.0.0.1"}).status_code == 200


# -- the command -------------------------------------------------------------------------


def test_serve_help_says_read_only():
    out = run("serve", "--help").stdout
    assert "Read-only" in out and "--allow-ingest" in out and "127.0.0.1" in out


def test_serve_warns_when_listening_beyond_this_machine(monkeypatch, tmp_path):
    import uvicorn

    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    Store.open(db).close()
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    local = run("serve", db=db)
    assert calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8080
    assert "warning" not in local.stderr
    wide = run("serve", "--host", "0.0.0.0", "--port", "9000", db=db)
    assert calls[-1]["host"] == "0.0.0.0" and calls[-1]["port"] == 9000
    assert "anyone who can reach this address" in wide.stderr


def test_serve_refuses_a_missing_database(tmp_path):
    res = run("serve", db=f"sqlite:///{tmp_path / 'none.sqlite'}", check=3)
    assert "no database here" in res.stderr


def test_article_page_focuses_the_fact_it_was_opened_for(client, store):
    (st,) = store.statements(who=["Blinken"], limit=1)
    page = client.get(f"/article/{st['source']['id']}?statement={st['id']}").text
    focus = re.search(r'<mark id="fact" class="focus">(.*?)</mark>', page, re.S)
    assert focus and f'href="/statement/{st["id"]}"' in focus[1]
    assert client.get(f"/article/{st['source']['id']}?statement=999999").status_code == 404
    fact = client.get(f"/statement/{st['id']}").text
    assert f'href="/article/{st["source"]["id"]}?statement={st["id"]}#fact"' in fact


def test_the_readme_search_link_reproduces_its_view(client, store):
    import datetime as dt

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    link = re.search(r"`(/search\?kind=statements&q=\w+&actor=\w+&since=[\d-]+)`", text)[1]
    expected = store.statements(contains="Russia", who=["Blinken"],
                                since=dt.date(2022, 2, 20), newest_first=True)
    page = client.get(link).text
    assert expected
    assert re.findall(r'<a class="text" href="/statement/(\d+)"', page) == [
        str(s["id"]) for s in expected]
