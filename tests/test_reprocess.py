"""Re-extraction (`kb reprocess`) on SQLite and PostgreSQL with the real spaCy model:
articles an older extractor read are parsed again from their stored text and date and
their rows replaced; current ones are left alone; a run killed with SIGKILL and started
again leaves every article stored once with current facts.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from sqlalchemy import text

import kb
from kb.extract import EXTRACTOR_VERSION
from kb.extract.types import Event, ParsedArticle, Span
from kb.ingest.article import Article
from kb.ingest.reprocess import reprocess
from kb.jsonschema_util import validate
from kb.store import Store

from .conftest import run
from .test_ingest_concurrency import kb_cmd, kb_env, kill_when, small_article, sql_engine

OLD = "1"
assert OLD != EXTRACTOR_VERSION


def article(i: int) -> Article:
    body = small_article(i)
    published, rest = body[5:15], body[16:]
    return Article(text=rest, published=published, path=f"small_{i:03d}.txt")


def stale_facts(art: Article) -> ParsedArticle:
    """What an older extractor might have left: one event no current extractor makes."""
    word = art.text.split()[0]
    return ParsedArticle(
        text=art.text, published=art.published, sentences=((0, len(art.text)),),
        events=(Event("stale_kind", word, Span(word, 0, len(word)), (0, len(art.text)),
                      None),),
    )


def stored(db_url: str) -> dict[str, tuple[str | None, int, int, int, int]]:
    """Article hash -> (extractor, sentences, statements, events, stale events)."""
    engine = sql_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT a.hash, a.extractor, "
                "(SELECT count(*) FROM sentences s WHERE s.article_id = a.id), "
                "(SELECT count(*) FROM statements q WHERE q.article_id = a.id), "
                "(SELECT count(*) FROM events e WHERE e.article_id = a.id), "
                "(SELECT count(*) FROM events e WHERE e.article_id = a.id "
                " AND e.type = 'stale_kind') FROM articles a")).all()
    finally:
        engine.dispose()
    return {h: (x, s, q, e, k) for h, x, s, q, e, k in rows}


def fresh(art: Article, nlp) -> tuple[str, int, int, int, int]:
    parsed = kb.parse_article(art.text, art.published, nlp=nlp)
    assert parsed.events, "the sample article must give events"
    return (EXTRACTOR_VERSION, len(set(parsed.sentences)), len(parsed.quotes),
            len(parsed.events), 0)


def event_ids(store: Store, art: Article) -> list[int]:
    return [e["id"] for e in store.events(sources=art.id)]


def test_reprocess_re_extracts_older_articles_and_skips_current_ones(db_url, nlp) -> None:
    old, current = article(0), article(1)
    with Store.open(db_url) as store:
        store.add_article(old, stale_facts(old), extractor=OLD)
        store.add_article(current, kb.parse_article(current.text, current.published, nlp=nlp))
        kept = event_ids(store, current)
        assert stored(db_url)[old.id] == (OLD, 1, 0, 1, 1)

        summary = reprocess(store)
        assert (summary.reprocessed, summary.current, summary.failed) == (1, 1, [])
        after = stored(db_url)
        assert after[old.id] == fresh(old, nlp)
        assert after[current.id] == fresh(current, nlp)
        assert event_ids(store, current) == kept  # not rewritten
        assert summary.events == after[old.id][3]
        assert store.load_article(store.stale_articles(None)[0]["row"]) == old

        again = reprocess(store)
        assert (again.reprocessed, again.current) == (0, 2)
        assert stored(db_url) == after

        everything = reprocess(store, everything=True)
        assert (everything.reprocessed, everything.current) == (2, 0)
        assert stored(db_url) == after
        assert event_ids(store, current) != kept  # rewritten, same facts
        assert len(store.articles()) == 2


def test_cli_reprocess_reports_a_failed_article_and_exits_1(db_url) -> None:
    bad, good = article(2), article(3)
    with Store.open(db_url) as store:
        for art in (bad, good):
            store.add_article(art, stale_facts(art), extractor=OLD)
        with store.engine.begin() as conn:  # a stored text that no longer matches its hash
            conn.execute(text("UPDATE articles SET text = :t WHERE hash = :h"),
                         {"t": bad.text + " Changed.", "h": bad.id})
    out = run("reprocess", db=db_url, check=1)
    assert "failed:" in out.stderr and "small_002.txt" in out.stderr, out.stderr
    assert "1 re-extracted, 0 already current, 1 failed" in out.stdout, out.stdout
    after = stored(db_url)
    assert after[bad.id] == (OLD, 1, 0, 1, 1)  # left as it was
    assert after[good.id][0] == EXTRACTOR_VERSION and after[good.id][4] == 0

    summary = json.loads(run("reprocess", "--format", "json", db=db_url, check=1).stdout)
    validate(summary, "reprocess-summary")
    assert (summary["reprocessed"], summary["current"]) == (0, 1)
    assert [f["path"] for f in summary["failed"]] == ["small_002.txt"]


@pytest.mark.slow
def test_killed_reprocess_then_rerun_leaves_every_article_once_and_current(
    db_url, nlp
) -> None:
    # 34 articles: the run parses a batch of 32 and is killed while storing it.
    articles = [article(i) for i in range(34)]
    with Store.open(db_url) as store:
        for art in articles:
            store.add_article(art, stale_facts(art), extractor=OLD)
    expected = {art.id: fresh(art, nlp) for art in articles}

    def current_count() -> int:
        return sum(1 for row in stored(db_url).values() if row[0] == EXTRACTOR_VERSION)

    proc = subprocess.Popen(kb_cmd(db_url, "reprocess"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=kb_env())
    kill_when(proc, current_count, 12, "re-extraction")

    before = stored(db_url)
    assert set(before) == set(expected)
    done = {h for h, row in before.items() if row[0] == EXTRACTOR_VERSION}
    assert 12 <= len(done) < len(articles)
    for digest, row in before.items():  # each article wholly old or wholly new
        assert row == (expected[digest] if digest in done else (OLD, 1, 0, 1, 1)), digest

    rerun = subprocess.run(kb_cmd(db_url, "reprocess", "--format", "json"),
                           capture_output=True, text=True, env=kb_env(), timeout=240)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    validate(summary, "reprocess-summary")
    assert summary["reprocessed"] == len(articles) - len(done)
    assert summary["current"] == len(done)
    assert stored(db_url) == expected
    engine = sql_engine(db_url)
    try:
        with engine.connect() as conn:
            hashes = conn.execute(text("SELECT hash FROM articles")).scalars().all()
    finally:
        engine.dispose()
    assert sorted(hashes) == sorted(expected)  # every article exactly once
