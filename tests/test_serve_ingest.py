"""kb serve --allow-ingest on SQLite and PostgreSQL: without it the database is
read-only and no write route exists; with it, only the holder of the token, with the
form's CSRF token, may upload, within the size limit; uploaded files are each stored,
found a duplicate or skipped with the reason, and what is stored becomes searchable."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

import kb
from kb.errors import StoreError
from kb.ingest.article import Article
from kb.ingest.limits import Limits
from kb.serve import create_app
from kb.serve.app import IngestOptions
from kb.serve.uploads import safe_name, upload_limit
from kb.store import Store

TOKEN = "test-token-" + "x" * 32
GOOD = {
    "varnholt.txt": (
        "date 2024-05-02\n"
        '"The zebrafinch accord will hold," Foreign Minister Ilse Varnholt said on '
        "Thursday in Aldmouth.\n"
    ),
    "brannock.md": (
        "---\ntitle: Brannock and Ormond meet\npublished: 2024-05-06\n---\n"
        "Prime Minister Odile Brannock met President Tavish Ormond in Kerrin on Monday.\n\n"
        '"We agreed on the quillwort plan," Brannock told reporters.\n'
    ),
}
BAD = {"empty.txt": b"", "scan.txt": b"\x00\x01\x02\xff\xfe" * 200}


def _files(names: dict[str, str | bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [
        ("files", (name, body.encode() if isinstance(body, str) else body, "text/plain"))
        for name, body in names.items()
    ]


@pytest.fixture
def store(db_url):
    opened = Store.open(db_url)  # creates the schema, as kb serve --allow-ingest does
    yield opened
    opened.close()


@pytest.fixture
def app(store):
    return create_app(store, allowed_hosts=["testserver"],
                      ingest=IngestOptions(token=TOKEN, limits=Limits(max_chars=1000)))


def _signed_in(app) -> tuple[TestClient, str]:
    """A client holding a session (traded for the token), and the form's CSRF token."""
    client = TestClient(app)
    traded = client.get(f"/ingest?token={TOKEN}", follow_redirects=False)
    assert traded.status_code == 303 and traded.headers["location"] == "/ingest"
    cookie = traded.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and TOKEN not in cookie
    page = client.get("/ingest")
    assert page.status_code == 200
    (csrf,) = re.findall(r'name="csrf" value="([^"]+)"', page.text)
    return client, csrf


def test_without_allow_ingest_no_write_route_and_the_database_is_read_only(db_url, nlp):
    Store.open(db_url).close()  # an empty kb database
    store = Store.open(db_url, create=False)
    try:
        client = TestClient(create_app(store, allowed_hosts=["testserver"]))
        page = client.get("/ingest")
        assert page.status_code == 404 and "--allow-ingest" in page.text
        assert client.get("/ingest?token=anything").status_code == 404
        assert client.get("/api/ingest/abc").status_code == 404
        posted = client.post("/ingest", files=_files(GOOD))
        assert posted.status_code == 403 and "--allow-ingest" in posted.text
        assert store.article_count() == 0
        # and the connections themselves refuse to write
        text = GOOD["varnholt.txt"].split("\n", 1)[1]
        parsed = kb.parse_article(text, "2024-05-02", nlp=nlp)
        with pytest.raises(StoreError):
            store.add_article(Article(text=text, published="2024-05-02"), parsed)
        assert store.article_count() == 0
    finally:
        store.close()


def test_upload_needs_the_token_and_the_csrf_token(app, store):
    stranger = TestClient(app)
    assert stranger.get("/ingest").status_code == 403
    wrong = stranger.get("/ingest?token=not-the-token", follow_redirects=False)
    assert wrong.status_code == 403 and "set-cookie" not in wrong.headers
    assert stranger.post("/ingest", files=_files(GOOD)).status_code == 403
    client, csrf = _signed_in(app)
    no_csrf = client.post("/ingest", files=_files(GOOD))
    assert no_csrf.status_code == 403 and "CSRF" in no_csrf.text
    forged = client.post("/ingest", data={"csrf": csrf[:-2] + "zz"}, files=_files(GOOD))
    assert forged.status_code == 403
    elsewhere = client.post("/ingest", data={"csrf": csrf}, files=_files(GOOD),
                            headers={"origin": "http://evil.invalid"})
    assert elsewhere.status_code == 403
    assert app.state.jobs.recent() == [] and store.article_count() == 0


def test_upload_reports_each_file_and_the_good_ones_become_searchable(app, store):
    client, csrf = _signed_in(app)
    sent = client.post("/ingest", data={"csrf": csrf}, files=_files({**GOOD, **BAD}),
                       follow_redirects=False)
    assert sent.status_code == 303
    job_id = sent.headers["location"].rsplit("/", 1)[1]
    app.state.jobs.wait(job_id)
    status = client.get(f"/api/ingest/{job_id}").json()
    assert status["state"] == "done" and status["done"] == status["total"] == 4
    outcome = {f["name"]: f for f in status["files"]}
    assert [f["status"] for f in status["files"]] == ["stored", "stored", "skipped", "skipped"]
    assert outcome["empty.txt"]["detail"] == "empty.txt: empty file"
    assert outcome["scan.txt"]["detail"].startswith("scan.txt: binary file")
    assert "/tmp" not in str(status) and "kb-serve-upload" not in str(status)
    assert store.article_count() == 2
    found = client.get("/api/statements?q=zebrafinch").json()["items"]
    assert len(found) == 1 and "zebrafinch accord" in found[0]["content"]
    assert found[0]["source"]["path"].endswith("/varnholt.txt")
    assert client.get("/api/statements?q=quillwort").json()["items"]
    page = client.get(f"/ingest/{job_id}")
    assert "refresh" not in page.text and "empty.txt: empty file" in page.text
    # the same file again: a duplicate, nothing stored twice
    again = client.post("/ingest", data={"csrf": csrf},
                        files=_files({"copy.txt": GOOD["varnholt.txt"]}))
    second = again.url.path.rsplit("/", 1)[1]
    app.state.jobs.wait(second)
    (copy,) = client.get(f"/api/ingest/{second}").json()["files"]
    assert copy["status"] == "duplicate" and store.article_count() == 2


def test_upload_size_is_bounded(app, store):
    client, csrf = _signed_in(app)
    limit = upload_limit(Limits(max_chars=1000))
    too_big = client.post("/ingest", data={"csrf": csrf},
                          files=_files({"big.txt": b"a" * (limit + 1)}))
    assert too_big.status_code == 413 and "too large" in too_big.text
    assert app.state.jobs.recent() == [] and store.article_count() == 0


@pytest.mark.parametrize(
    "uploaded, saved",
    [
        ("report.txt", "report.txt"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\news.html", "news.html"),
        ("a\x00b\x1b[31m.md", "ab_31m.md"),
        ("", "upload-3.txt"),
        ("..", "upload-3.txt"),
        ("x" * 300 + ".jsonl", "x" * 114 + ".jsonl"),
    ],
)
def test_uploaded_names_are_saved_safely(uploaded, saved):
    assert safe_name(uploaded, 3) == saved
