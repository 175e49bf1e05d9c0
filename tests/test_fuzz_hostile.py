"""Generated hostile articles, end to end, on SQLite and PostgreSQL: control and escape
characters, markup, formulas, NULs, lone surrogates, bidirectional overrides and edge
dates go in through the readers; what comes out (terminal tables, CSV, JSON, GraphML,
GEXF, the report's SVG) must be safe and well formed, and nothing may fail except as a
reported, named failure. Keeps the hardening findings closed for inputs nobody wrote by
hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import xml.dom.minidom
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.errors import KBError
from kb.ingest import Article, ReadFailure, read_path
from kb.ingest.run import ingest
from kb.store import Store

from .conftest import run

SETTINGS = settings(max_examples=12, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])

#: Pieces of hostile text and of ordinary news, mixed so that statements and events are
#: actually found around the hostile parts (a statement's content is printed whole).
PIECES = (
    "[/]", "[link=http://evil.example]x[/link]", "[bold red]", "[white on white]", "\x1b[2J",
    "\x1b]8;;http://evil.example\x07", "\x07", "\x08", "\x0c", "\x0b", "\x00", "\x7f",
    "\x85", "\u2028", "\u2029", "\u202e", "\u2066", "\ufeff", "\ud800", "\udcff", "\ufffe",
    "=HYPERLINK(\"http://evil.example\")", "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1",
    "<script>alert(1)</script>", "&amp;", "]]>", "</svg>", "{{ x }}", "'; DROP TABLE x; --",
    "Blinken", "Antony Blinken", "Putin", "Macron", "the UN", "said", "told reporters",
    "warned", "met", "on Monday", "tomorrow", "last year", "next week", "in 9999",
    ".", ",", "\"", "“", "”", ":", "\n", "\n\n", " ",
)
SENTENCE = st.lists(st.sampled_from(PIECES), min_size=3, max_size=18).map(" ".join)
ARTICLE = st.lists(SENTENCE, min_size=1, max_size=4).map(
    lambda ss: " ".join(f"{s} Blinken said on Monday that \"{s}\"." for s in ss))
DATES = st.sampled_from([dt.date(1, 1, 1), dt.date(1, 1, 2), dt.date(9999, 12, 31),
                         dt.date(9999, 12, 30), dt.date(2022, 2, 21)]) | st.dates()
MAYBE_DATE = st.none() | DATES

BAD_TERMINAL = {chr(c) for c in itertools.chain(range(0, 9), range(11, 32), range(127, 160))}
BAD_TERMINAL |= {"\u2028", "\u2029", "\u202e", "\u2066"}


def write_archive(folder: Path, articles: list[tuple[str, dt.date | None]], n: int) -> Path:
    """One JSON Lines file (JSON escapes carry every character, surrogates included)."""
    path = folder / f"hostile{n}.jsonl"
    lines = [json.dumps({"text": text, "title": text[:40],
                         **({"published": d.isoformat()} if d else {})})
             for text, d in articles]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def check_terminal(text: str) -> None:
    assert not BAD_TERMINAL & set(text), repr([c for c in text if c in BAD_TERMINAL][:5])
    assert not any("\ud800" <= c <= "\udfff" for c in text)


def check_csv(text: str) -> None:
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell


@given(text=ARTICLE, published=MAYBE_DATE)
@SETTINGS
def test_readers_and_extraction_fail_only_by_name(tmp_path_factory, nlp, text, published):
    import kb

    folder = tmp_path_factory.mktemp("fuzz")
    path = write_archive(folder, [(text, published)], 0)
    for item in read_path(path):
        if isinstance(item, ReadFailure):
            assert item.path == str(path) and item.reason
            continue
        assert isinstance(item, Article)
        assert not any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in item.text)
        try:
            parsed = kb.parse_article(item.text, item.published, nlp=nlp)
        except KBError:
            continue
        for t in parsed.times:
            assert item.text[t.start:t.end] == t.text
        for q in parsed.quotes:
            assert item.text[q.content.start:q.content.end] == q.content.text


@pytest.fixture(scope="module")
def fuzz_db(module_db_url):
    return module_db_url


_counter = itertools.count()


@given(articles=st.lists(st.tuples(ARTICLE, MAYBE_DATE), min_size=1, max_size=3))
@SETTINGS
def test_hostile_articles_end_to_end(fuzz_db, tmp_path_factory, articles):
    folder = tmp_path_factory.mktemp("fuzz-e2e")
    path = write_archive(folder, articles, next(_counter))
    with Store.open(fuzz_db) as store:
        summary = ingest(store, [str(path)])
    assert summary.new + summary.unchanged + len(summary.failed) == len(articles)
    for failure in summary.failed:
        assert failure.path == str(path) and failure.line

    for command in (("said", "--all"), ("events", "--all"), ("actors",)):
        shown = run(*command, db=fuzz_db)
        check_terminal(shown.stdout + shown.stderr)
    said_csv = run("said", "--all", "-f", "csv", db=fuzz_db).stdout
    check_csv(said_csv)
    json.loads(run("said", "--all", "-f", "json", db=fuzz_db).stdout)

    out = folder / "out"
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        run("export", "--format", fmt, "--out", str(out / f"kb.{fmt}"), db=fuzz_db)
        read(str(out / f"kb.{fmt}"))
    run("export", "--format", "csv", "--out", str(out / "kb.csv"), db=fuzz_db)
    check_csv((out / "kb.csv").read_text(encoding="utf-8"))
    run("report", "--out", str(out / "r.md"), db=fuzz_db)
    xml.dom.minidom.parse(str(out / "r.svg"))
