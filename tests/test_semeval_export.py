"""`kb timeline --actor X --format semeval`: one actor's timeline from a real database in
the SemEval-2015 Task 4 TimeLine format (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest

from kb.eval.semeval import read_timeline

from .conftest import run

# Sentence 1 has the flight (dated Tuesday), 2 the delays (since 2007), 3 the delivery
# (next year), 4 a statement by Boeing with no date of its own.
ARTICLE = (
    "date 2009-12-16 The Boeing 787 Dreamliner made its first test flight Tuesday from "
    "Paine Field near Seattle. Boeing had delayed the flight seven times since 2007.\n\n"
    "The 787 will be delivered to All Nippon Airways next year. Boeing said the 787 was "
    "ready.\n"
)


@pytest.fixture
def boeing_db(db_url, tmp_path):
    (tmp_path / "boeing.txt").write_text(ARTICLE, encoding="utf-8")
    run("ingest", str(tmp_path / "boeing.txt"), db=db_url)
    (event,) = json.loads(run("events", "--actor", "Boeing 787 Dreamliner", "--limit", "1",
                              "-f", "json", db=db_url).stdout)
    return db_url, event["source"]["id"]


def test_an_aircraft_timeline_in_the_task_format(boeing_db, tmp_path):
    db, doc = boeing_db
    out = tmp_path / "787.txt"
    res = run("timeline", "--actor", "Boeing 787 Dreamliner", "--format", "semeval",
              "--out", str(out), db=db)
    assert res.stdout.strip() == f"wrote {out} (2 events)"
    assert out.read_text(encoding="utf-8") == (
        "Boeing 787 Dreamliner\n"
        f"1\t2009-12-15\t{doc}-1-made\n"
        f"2\t2010\t{doc}-3-delivered\n"
    )


def test_undated_events_unplaced_or_at_the_published_date(boeing_db, tmp_path):
    db, doc = boeing_db
    out = tmp_path / "boeing.txt"
    run("timeline", "--actor", "boeing", "--format", "semeval", "--out", str(out), db=db)
    text = out.read_text(encoding="utf-8")
    assert text == (
        "Boeing\n"
        f"0\tXXXX-XX-XX\t{doc}-4-said\n"
        f"1\t2007\t{doc}-2-delayed\n"
    )
    # the task's own reader reads it back
    gold = read_timeline(out)
    assert gold.entity == "Boeing"
    assert [(ln.rank, ln.mentions) for ln in gold.lines] == [
        (0, (f"{doc}-4-said",)), (1, (f"{doc}-2-delayed",))]
    run("timeline", "--actor", "Boeing", "--format", "semeval", "--reported", "published",
        "--out", str(out), db=db)
    assert out.read_text(encoding="utf-8") == (
        "Boeing\n"
        f"1\t2007\t{doc}-2-delayed\n"
        f"2\t2009-12-16\t{doc}-4-said\n"
    )


def test_the_filters_of_every_export_apply(boeing_db, tmp_path):
    db, doc = boeing_db
    out = tmp_path / "787.txt"
    run("timeline", "--actor", "787", "--format", "semeval", "--since", "2010",
        "--out", str(out), db=db)
    assert out.read_text(encoding="utf-8") == (
        f"Boeing 787 Dreamliner\n1\t2010\t{doc}-3-delivered\n")
    run("timeline", "--actor", "787", "--format", "semeval", "--type", "delivery",
        "--out", str(out), db=db)
    assert out.read_text(encoding="utf-8").splitlines()[1:] == [f"1\t2010\t{doc}-3-delivered"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "semeval"], "pass one --actor"),
        (["--format", "semeval", "--actor", "Boeing", "--actor", "Seattle"], "pass one --actor"),
        (["--format", "semeval", "--actor", "Boeeing"], "Boeing"),
        (["--format", "semeval", "--actor", "Boeing", "--reported", "never"], "--reported"),
        (["--format", "svg", "--actor", "Boeing"], "--format 'svg' is not one of: html, semeval"),
    ],
)
def test_bad_requests_are_one_line_and_exit_2(boeing_db, tmp_path, args, message):
    db, _ = boeing_db
    out = tmp_path / "x.txt"
    res = run("timeline", *args, "--out", str(out), db=db, check=2)
    assert message in res.stderr and "Traceback" not in res.stderr
    assert not out.exists()
