"""No data lost: concurrent writers and killed writers, on SQLite and PostgreSQL.

Writers are real processes (``python -c`` running :func:`main` of this module) so they
contend for the database exactly as two ``kb ingest`` runs would.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kb.extract.types import (
    Actor,
    Event,
    EventActor,
    EventDate,
    Mention,
    ParsedArticle,
    Quote,
    Span,
)
from kb.ingest.article import Article
from kb.store import Store

PG_ENV = "KB_TEST_POSTGRES_URL"
TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SHARED = ("Antony Blinken", "Russia", "NATO")


# -- synthetic articles ---------------------------------------------------------------


def synthetic(i: int, sentences: int = 4) -> tuple[Article, ParsedArticle]:
    """Article ``i``: ``sentences`` sentences, each one statement and one event.

    Every article names the shared actors plus ``Person {i % 5}``, so concurrent
    writers keep creating the same actors at the same time.
    """
    local = f"Person {i % 5}"
    names = (*SHARED, local)
    parts, bounds, at = [], [], 0
    for k in range(sentences):
        speaker, target = names[k % len(names)], names[(k + 1) % len(names)]
        sentence = f'{speaker} warned {target} in report {i}-{k}: "we act {i} {k}."'
        parts.append(sentence)
        bounds.append((at, at + len(sentence)))
        at += len(sentence) + 1
    text_ = " ".join(parts)
    quotes, events, mentions = [], [], {n: [] for n in names}
    day = f"2022-02-{1 + i % 28:02d}"
    for k, (s, _e) in enumerate(bounds):
        speaker, target = names[k % len(names)], names[(k + 1) % len(names)]
        sentence = parts[k]
        mentions[speaker].append(Span(speaker, s, s + len(speaker)))
        t_at = s + sentence.index(" warned ") + 8
        mentions[target].append(Span(target, t_at, t_at + len(target)))
        c_at = s + sentence.index('"') + 1
        content = Span(f"we act {i} {k}.", c_at, c_at + len(f"we act {i} {k}."))
        quotes.append(
            Quote(
                content=content,
                direct=True,
                speaker=Mention(speaker, s, s + len(speaker), speaker),
                about=(target,),
                sentence=(s, _e),
            )
        )
        w_at = s + len(speaker) + 1
        events.append(
            Event(
                "WARN",
                "warn",
                Span("warned", w_at, w_at + 6),
                (s, _e),
                EventDate(day, day, day, "day", "reported"),
                (EventActor(speaker, "agent"), EventActor(target, "target")),
                quote=k,
            )
        )
    kinds = {"Antony Blinken": "person", "Russia": "country", "NATO": "organization"}
    actors = tuple(
        Actor(n, kinds.get(n, "person"), mentions=tuple(sorted(mentions[n], key=lambda m: m.start)))
        for n in names
    )
    parsed = ParsedArticle(
        text=text_,
        published=day,
        sentences=tuple(bounds),
        actors=actors,
        quotes=tuple(quotes),
        events=tuple(events),
    )
    return Article(text=text_, published=day, path=f"synthetic/{i}.txt"), parsed


def main() -> None:
    """Worker: ``main URL SEED SENTENCES I...`` adds articles in a seeded shuffled order."""
    url, seed, sentences, *indices = sys.argv[1:]
    order = [int(i) for i in indices]
    random.Random(int(seed)).shuffle(order)
    with Store.open(url) as store:
        for i in order:
            result = store.add_article(*synthetic(i, int(sentences)))
            print(json.dumps({"i": i, "status": result.status}), flush=True)


def spawn(url: str, seed: int, sentences: int, indices: range) -> subprocess.Popen[str]:
    paths = [str(TESTS), str(ROOT)]
    code = f"import sys; sys.path[:0] = {paths!r}; import {__name__} as t; t.main()"
    args = [sys.executable, "-c", code, url, str(seed), str(sentences), *map(str, indices)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def statuses(output: str) -> list[str]:
    return [json.loads(line)["status"] for line in output.splitlines() if line.startswith("{")]


# -- fixtures ---------------------------------------------------------------------------


def _pg_url(base: str, schema: str) -> str:
    url = make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: an SQLite file or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kb.sqlite'}"
        Store.open(url).close()
        yield url
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set")
    schema = f"kbc_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_url(base, "public"))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = _pg_url(base, schema)
        Store.open(url).close()
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def assert_complete(store: Store, indices: set[int], sentences: int) -> None:
    """Exactly the articles ``indices``, each with all its rows; no duplicated actor."""
    articles = store.articles()
    assert sorted(int(a["path"].split("/")[1][:-4]) for a in articles) == sorted(indices)
    for a in articles:
        assert (a["sentences"], a["events"], a["statements"]) == (sentences,) * 3, a
        assert a["mentions"] == 2 * sentences
    names = [a["name"] for a in store.actors()]
    expected = set(SHARED) | {f"Person {i % 5}" for i in indices}
    assert sorted(names) == sorted(expected)  # each exactly once
    if store.engine.dialect.name == "sqlite":
        path = store.engine.url.database
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


# -- tests ------------------------------------------------------------------------------


def test_two_processes_ingesting_overlapping_sets_store_each_article_once(db_url: str) -> None:
    first = spawn(db_url, 1, 3, range(0, 45))
    second = spawn(db_url, 2, 3, range(15, 60))
    out1, err1 = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=120)
    assert (first.returncode, second.returncode) == (0, 0), err1 + err2
    assert "locked" not in err1 + err2
    done = statuses(out1) + statuses(out2)
    assert len(done) == 90
    assert done.count("new") == 60 and done.count("unchanged") == 30
    with Store.open(db_url, create=False) as store:
        assert_complete(store, set(range(60)), 3)


def test_a_killed_writer_leaves_whole_articles_and_a_rerun_adds_the_rest(db_url: str) -> None:
    total, sentences = 24, 40
    writer = spawn(db_url, 3, sentences, range(total))
    deadline = time.monotonic() + 60
    with Store.open(db_url, create=False) as store:
        while len(store.articles()) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(writer.pid, signal.SIGKILL)
        writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        kept = {int(a["path"].split("/")[1][:-4]) for a in store.articles()}
        assert 4 <= len(kept) < total
        assert_complete(store, kept, sentences)
    rerun = spawn(db_url, 4, sentences, range(total))
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    done = statuses(out)
    assert done.count("new") == total - len(kept) and done.count("unchanged") == len(kept)
    with Store.open(db_url, create=False) as store:
        assert_complete(store, set(range(total)), sentences)


def test_concurrent_first_opens_migrate_a_new_database_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    writers = [spawn(url, seed, 2, range(seed, seed + 3)) for seed in range(3)]
    results = [w.communicate(timeout=120) for w in writers]
    assert [w.returncode for w in writers] == [0, 0, 0], [err for _, err in results]
    with Store.open(url, create=False) as store:
        assert_complete(store, set(range(5)), 2)
