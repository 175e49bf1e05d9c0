"""Archive readers on files the tests make: WARC and WARC.gz (with records that are not
articles and a damaged record), RSS and Atom feeds, crawler JSON records."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kb.ingest import Article, ReadFailure, read_path
from kb.ingest.archives import Skipped

from .conftest import run

PAGE = """<html><head><title>{title}</title>
<meta property="article:published_time" content="{date}"></head>
<body><article><h1>{title}</h1><p>{body}</p><p>Officials said the talks would continue
next week, according to a statement released on Monday by the ministry.</p></article>
</body></html>"""


def _record(writer: WARCWriter, uri: str, body: bytes, *, kind: str = "response",
            status: str = "200 OK", content_type: str = "text/html; charset=utf-8") -> None:
    if kind == "response":
        headers = StatusAndHeaders(status, [("Content-Type", content_type)],
                                   protocol="HTTP/1.1")
        record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                           http_headers=headers)
    elif kind == "request":
        headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")],
                                   is_http_request=True)
        record = writer.create_warc_record(uri, "request", payload=io.BytesIO(b""),
                                           http_headers=headers)
    else:
        record = writer.create_warc_record(uri, "metadata", payload=io.BytesIO(body),
                                           warc_content_type="application/json")
    writer.write_record(record)


def make_warc(path: Path, gzipped: bool) -> None:
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=gzipped)
        _record(writer, "https://news.example/a", b"", kind="request")
        _record(writer, "https://news.example/a", PAGE.format(
            title="Talks resume", date="2022-02-21",
            body="Antony Blinken said on Sunday that Russia was planning an invasion of "
                 "Ukraine, and that the United States would respond.").encode())
        _record(writer, "https://news.example/logo.png", b"\x89PNG\r\n",
                content_type="image/png")
        _record(writer, "https://news.example/old", b"", status="301 Moved Permanently")
        _record(writer, "https://news.example/meta", b'{"crawl": 1}', kind="metadata")
        _record(writer, "https://news.example/b", PAGE.format(
            title="Markets fall", date="2022-02-22",
            body="Shares fell sharply on Tuesday as Emmanuel Macron said that Europe "
                 "would impose new sanctions on Russia within days.").encode())


@pytest.mark.parametrize("name, gzipped", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_pages_are_articles_and_other_records_are_counted(tmp_path, name, gzipped):
    path = tmp_path / name
    make_warc(path, gzipped)
    items = list(read_path(path))
    articles = [i for i in items if isinstance(i, Article)]
    assert [(a.title, a.published, a.url, a.format) for a in articles] == [
        ("Talks resume", "2022-02-21", "https://news.example/a", "warc"),
        ("Markets fall", "2022-02-22", "https://news.example/b", "warc"),
    ]
    assert "Antony Blinken said on Sunday" in articles[0].text
    (skipped,) = [i for i in items if isinstance(i, Skipped)]
    assert skipped.count == 4  # the request, the image, the redirect, the metadata
    assert not [i for i in items if isinstance(i, ReadFailure)]


def test_a_damaged_warc_keeps_the_records_before_the_damage(tmp_path):
    whole = tmp_path / "whole.warc.gz"
    make_warc(whole, gzipped=True)
    data = bytearray(whole.read_bytes())
    members = [i for i in range(len(data)) if data[i:i + 3] == b"\x1f\x8b\x08"]
    last = members[-1]  # each record is one gzip member: damage the last page's
    data[last + 40:last + 80] = b"\xff" * 40
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(bytes(data))
    items = list(read_path(broken))
    articles = [i for i in items if isinstance(i, Article)]
    failures = [i for i in items if isinstance(i, ReadFailure)]
    assert [a.title for a in articles] == ["Talks resume"]
    assert len(failures) == 1 and "damaged WARC archive" in failures[0].reason


def test_ingest_a_warc_and_report_what_was_skipped(tmp_path):
    make_warc(tmp_path / "crawl.warc.gz", gzipped=True)
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    res = run("ingest", str(tmp_path), db=db)
    assert "2 new" in res.stdout and "skipped 4 archive records" in res.stdout
    said = run("said", "--who", "Blinken", db=db).stdout
    assert "Russia was planning an invasion" in said


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
<item><title>Talks resume</title><link>https://news.example/a</link>
<pubDate>Mon, 21 Feb 2022 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Antony Blinken said on Sunday that talks would resume.&lt;/p&gt;
</description></item>
<item><title>Photo of the day</title><link>https://news.example/p</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title>
<entry><title>Markets fall</title><link href="https://news.example/b"/>
<updated>2022-02-22T09:00:00Z</updated>
<content type="html">Emmanuel Macron said on Tuesday that sanctions would follow.</content>
</entry></feed>"""


@pytest.mark.parametrize("name, data, expected", [
    ("wire.rss", RSS, [("Talks resume", "2022-02-21", "https://news.example/a",
                        "Antony Blinken said on Sunday that talks would resume.",
                        "Example Wire")]),
    ("feed.atom", ATOM, [("Markets fall", "2022-02-22", "https://news.example/b",
                          "Emmanuel Macron said on Tuesday that sanctions would follow.",
                          "Example Atom")]),
])
def test_feed_items(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    items = list(read_path(path))
    articles = [(a.title, a.published, a.url, a.text, a.publisher)
                for a in items if isinstance(a, Article)]
    assert articles == expected
    skipped = [i.count for i in items if isinstance(i, Skipped)]
    assert skipped == ([1] if name == "wire.rss" else [])


def test_a_file_that_is_not_a_feed(tmp_path):
    path = tmp_path / "notes.rss"
    path.write_text("this is not xml at all", encoding="utf-8")
    (failure,) = list(read_path(path))
    assert isinstance(failure, ReadFailure) and "not an RSS or Atom feed" in failure.reason


CRAWLED = {"title": "Talks resume", "maintext": "Antony Blinken said on Sunday that talks "
           "would resume.", "date_publish": "2022-02-21 10:00:00",
           "url": "https://news.example/a", "source_domain": "news.example"}


@pytest.mark.parametrize("name, content", [
    ("one.json", json.dumps(CRAWLED)),
    ("many.json", json.dumps([CRAWLED, {"title": "no text"}])),
    ("lines.jsonl", json.dumps(CRAWLED) + "\n"),
])
def test_crawler_json_records(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    items = list(read_path(path))
    (article,) = [i for i in items if isinstance(i, Article)]
    assert (article.title, article.published, article.url, article.publisher) == (
        "Talks resume", "2022-02-21", "https://news.example/a", "news.example")
    failures = [i for i in items if isinstance(i, ReadFailure)]
    assert [f.line for f in failures] == ([2] if name == "many.json" else [])


def test_gzip_that_is_not_a_warc(tmp_path):
    path = tmp_path / "x.warc.gz"
    path.write_bytes(gzip.compress(b"hello, not a web archive\n" * 10))
    items = list(read_path(path))
    assert not [i for i in items if isinstance(i, Article)]
    assert [i for i in items if isinstance(i, ReadFailure)]
