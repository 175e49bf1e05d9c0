"""No data lost through the command line: two `kb ingest` runs at once, and a run killed
with SIGKILL half way and started again, on SQLite and PostgreSQL.

These run the installed ``kb`` script in separate processes, exactly as a user would,
over folders of demo articles and small generated ones.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from kb.ingest import Article, read_path

from .conftest import ROOT

KB = str(Path(sys.executable).with_name("kb")) if Path(sys.executable).with_name(
    "kb").exists() else (shutil.which("kb") or "kb")
DEMO = ("001_biden_convinced.txt", "006_blinken_cancels_lavrov_meeting.txt")
PEOPLE = ("Olena Kovalenko", "Marek Nowak", "Ingrid Larsen", "Tomas Berg", "Amira Haddad",
          "Jonas Weber", "Sofia Marin", "Pavel Dvorak", "Lucia Romano", "Erik Holm")
PLACES = ("Warsaw", "Vilnius", "Berlin", "Oslo", "Prague", "Riga", "Vienna", "Tallinn")



def kill_when(proc: subprocess.Popen, count: Callable[[], int], at_least: int, what: str,
              timeout: float = 180) -> None:
    """SIGKILL ``proc`` as soon as ``count()`` reaches ``at_least``, and check that it
    was still running then (a run that finished first proves nothing)."""
    deadline = time.monotonic() + timeout
    try:
        while count() < at_least and proc.poll() is None:
            assert time.monotonic() < deadline, f"the {what} stored nothing in time"
            time.sleep(0.05)
        proc.kill()
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -9, f"the {what} finished before it could be killed"

def small_article(i: int) -> str:
    """A short dated article of its own: one meeting, one quote, one warning."""
    who, other = PEOPLE[i % len(PEOPLE)], PEOPLE[(i + 3) % len(PEOPLE)]
    place = PLACES[i % len(PLACES)]
    return (
        f"date 2022-03-{1 + i % 28:02d} Foreign Minister {who} met {other} in {place} "
        f"on Monday to discuss report number {i}.\n\n"
        f'"We will not accept threats against our neighbours," {who.split()[1]} told '
        f"reporters after the meeting.\n\n{other} warned that talks could collapse by "
        f"Friday.\n"
    )


def write_small(folder: Path, numbers: range) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in numbers:
        (folder / f"small_{i:03d}.txt").write_text(small_article(i), encoding="utf-8")


def kb_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "KB_DATABASE_URL"}


def kb_cmd(db: str, *args: str) -> list[str]:
    return [KB, "--db", db, *args]


def kb_json(db: str, *args: str) -> object:
    done = subprocess.run(kb_cmd(db, *args, "--format", "json"), capture_output=True,
                          text=True, env=kb_env(), timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def sql_engine(db: str):
    return create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))


def stored_counts(db: str) -> dict[str, tuple[int, int, int]]:
    """Article hash -> (sentences, statements, events) rows actually stored."""
    engine = sql_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT a.hash, "
                "(SELECT count(*) FROM sentences s WHERE s.article_id = a.id), "
                "(SELECT count(*) FROM statements q WHERE q.article_id = a.id), "
                "(SELECT count(*) FROM events e WHERE e.article_id = a.id) "
                "FROM articles a")).all()
    finally:
        engine.dispose()
    return {h: (s, q, e) for h, s, q, e in rows}


def article_count(db: str) -> int:
    engine = sql_engine(db)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    except SQLAlchemyError:  # the schema is not there yet
        return 0
    finally:
        engine.dispose()


def articles_in(folder: Path) -> dict[str, Article]:
    found = {}
    for path in sorted(folder.iterdir()):
        for item in read_path(path):
            assert isinstance(item, Article), item
            found[item.id] = item
    return found


@pytest.mark.slow
def test_two_ingests_at_once_store_each_article_and_actor_once(db_url, tmp_path):
    left, right = tmp_path / "left", tmp_path / "right"
    for folder in (left, right):
        folder.mkdir()
        for name in DEMO:
            shutil.copy(ROOT / "sources" / name, folder / name)
    write_small(left, range(0, 4))
    write_small(right, range(2, 6))  # 2 and 3 in both folders
    both = articles_in(left) | articles_in(right)
    shared = articles_in(left).keys() & articles_in(right).keys()
    assert len(both) == 8 and len(shared) == 4

    procs = [subprocess.Popen(kb_cmd(db_url, "ingest", "--format", "json", str(folder)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=kb_env())
             for folder in (left, right)]
    outs = [p.communicate(timeout=240) for p in procs]
    for proc, (_out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err.lower(), err
    summaries = [json.loads(out) for out, _ in outs]
    assert sum(s["new"] for s in summaries) == len(both)
    assert sum(s["unchanged"] for s in summaries) == len(shared)
    assert all(not s["failed"] for s in summaries)

    counts = stored_counts(db_url)
    assert set(counts) == set(both)  # every article stored, exactly once (hash is unique)
    assert all(sentences > 0 for sentences, _, _ in counts.values()), counts
    names = [a["name"] for a in kb_json(db_url, "actors")]
    folded = [n.casefold() for n in names]
    assert len(folded) == len(set(folded)), sorted(names)
    assert {"Olena Kovalenko", "Marek Nowak", "Antony Blinken"} <= set(names)


@pytest.mark.slow
def test_killed_ingest_leaves_whole_articles_and_a_rerun_completes_it(db_url, tmp_path, nlp):
    import kb

    # 34 articles: the first run parses one batch of 32 and is killed while storing it.
    folder = tmp_path / "many"
    write_small(folder, range(34))
    articles = articles_in(folder)
    total = len(articles)
    proc = subprocess.Popen(kb_cmd(db_url, "ingest", str(folder)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=kb_env())
    kill_when(proc, lambda: article_count(db_url), 12, "ingest")

    before = stored_counts(db_url)
    assert 12 <= len(before) < total
    for digest, (sentences, statements, events) in before.items():
        article = articles[digest]
        parsed = kb.parse_article(article.text, article.published, nlp=nlp)
        expected = (len(set(parsed.sentences)), len(parsed.quotes), len(parsed.events))
        assert (sentences, statements, events) == expected, article.path

    rerun = subprocess.run(kb_cmd(db_url, "ingest", "--format", "json", str(folder)),
                           capture_output=True, text=True, env=kb_env(), timeout=240)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["new"] == total - len(before)
    assert summary["unchanged"] == len(before)
    after = stored_counts(db_url)
    assert set(after) == set(articles)
    assert {h: after[h] for h in before} == before  # what was stored is left as it was

