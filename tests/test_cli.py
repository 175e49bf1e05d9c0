"""The command line as a user runs it: the installed `kb` script, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kb.jsonschema_util import validate

from .conftest import ROOT, SEED, run

KB = shutil.which("kb") or "kb"


def test_installed_script_runs_end_to_end(tmp_path):
    """The `kb` console script itself, as a user runs it, in a separate process."""
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    env = {k: v for k, v in os.environ.items() if k != "KB_DATABASE_URL"}
    ingest = subprocess.run([KB, "--db", db, "ingest", str(SEED)], capture_output=True,
                            text=True, env=env, timeout=300)
    assert ingest.returncode == 0, ingest.stderr
    assert "1 new" in ingest.stdout
    said = subprocess.run([KB, "--db", db, "said", "--who", "Crocker", "--format", "csv"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert said.returncode == 0 and "human rights catastrophe" in said.stdout


@pytest.fixture(scope="module")
def seed_db(module_db_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    shutil.copy(SEED, folder / SEED.name)
    run("ingest", str(folder), db=module_db_url)
    return module_db_url


def test_said_who_blinken(seed_db):
    rows = json.loads(run("said", "--who", "Blinken", "--format", "json", db=seed_db).stdout)
    for r in rows:
        validate(r, "statement")
        assert r["speaker"] == "Antony Blinken"
    flag = [r for r in rows if "false flag operations" in r["content"]]
    believe = [r for r in rows if r["content"].startswith(
        "We believe President Putin has made the decision")]
    assert flag and believe, [r["content"] for r in rows]
    assert flag[0]["direct"] is True
    assert flag[0]["date"] == believe[0]["date"] == "2022-02-20"
    assert flag[0]["source"]["published"] == "2022-02-21"
    assert "false flag operations" in flag[0]["sentence"]


def test_said_who_crocker_and_events_macron(seed_db):
    rows = json.loads(run("said", "--who", "crocker", "--format", "json", db=seed_db).stdout)
    assert any("human rights catastrophe" in r["content"] and r["speaker"] == "Sheba Crocker"
               for r in rows), rows
    events = json.loads(run("events", "--actor", "Macron", "--format", "json",
                            db=seed_db).stdout)
    for e in events:
        validate(e, "event")
    talks = [e for e in events if e["type"] == "meeting" and e["date"]
             and e["date"]["start"] == "2022-02-19"]
    assert talks, events
    names = {a["name"] for a in talks[0]["actors"]}
    assert {"Joe Biden", "Vladimir Putin", "Emmanuel Macron"} <= names


def test_actors_once_each(seed_db):
    rows = json.loads(run("actors", "--format", "json", db=seed_db).stdout)
    names = [r["name"] for r in rows]
    for r in rows:
        validate(r, "actor")
    for person in ("Antony Blinken", "Joe Biden", "Vladimir Putin", "Emmanuel Macron",
                   "Sheba Crocker", "Michelle Bachelet"):
        assert names.count(person) == 1, names
    for stray in ("Blinken", "Crocker", "Putin", "AP"):
        assert stray not in names
    csv_out = run("actors", "--format", "csv", db=seed_db).stdout
    assert csv_out.splitlines()[0].startswith("name,kind")
    table = run("actors", db=seed_db).stdout
    assert "Antony Blinken" in table


def test_show_profile(seed_db):
    profile = json.loads(run("show", "blinken", "--format", "json", db=seed_db).stdout)
    validate(profile, "actor-profile")
    assert profile["actor"]["name"] == "Antony Blinken"
    assert "US Secretary of State" in profile["actor"]["titles"]
    assert {"Vladimir Putin", "Joe Biden"} <= {c["name"] for c in profile["counterparts"]}
    assert all(s["speaker"] == "Antony Blinken" for s in profile["statements"])
    text = run("show", "Antony Blinken", db=seed_db).stdout
    assert "US Secretary of State" in text
    missing = run("show", "Nobody Atall", db=seed_db, check=None)
    assert missing.returncode == 2 and "Nobody Atall" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_ingest_twice_is_a_no_op(db_url, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(ROOT / "sources", folder)
    first = run("ingest", str(folder), "--format", "json", db=db_url)
    summary = json.loads(first.stdout)
    validate(summary, "ingest-summary")
    assert summary["new"] >= 9 and summary["failed"] == []
    before = run("said", "--format", "json", db=db_url).stdout
    second = run("ingest", str(folder), db=db_url)
    assert "0 new" in second.stdout and "nothing new" in second.stdout
    assert run("said", "--format", "json", db=db_url).stdout == before


def test_bad_files_reported_good_ones_stored(db_url, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(SEED, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (folder / "latin1.txt").write_bytes("Le ministre a d\u00e9clar\u00e9 que".encode("latin-1"))
    good_line = json.dumps({"text": "Macron said on Monday that talks would go on.",
                            "published": "2022-02-21", "title": "Line one"})
    (folder / "lines.jsonl").write_text(good_line + "\n{broken json\n")
    proc = run("ingest", str(folder), db=db_url, check=1)
    summary = json.loads(run("ingest", str(folder), "--format", "json", db=db_url,
                             check=1).stdout)
    validate(summary, "ingest-summary")
    assert {(f["path"].rsplit("/", 1)[-1], f["line"]) for f in summary["failed"]} == {
        ("empty.txt", None), ("binary.txt", None), ("latin1.txt", None), ("lines.jsonl", 2)}
    assert summary["unchanged"] == 2
    for name, reason in (("empty.txt", "empty"), ("binary.txt", "binary"),
                         ("latin1.txt", "not UTF-8"), ("lines.jsonl:2", "malformed JSON")):
        line = next((ln for ln in proc.stderr.splitlines() if name in ln), "")
        assert reason in line, proc.stderr
    assert "2 new" in proc.stdout
    rows = json.loads(run("said", "--format", "json", db=db_url).stdout)
    titles = {r["source"]["title"] for r in rows}
    assert "Line one" in titles
    assert any(r["speaker"] == "Antony Blinken" for r in rows)
    # the bad files left nothing behind: re-ingesting the good ones changes nothing
    again = run("ingest", str(folder / "good.txt"), db=db_url)
    assert "1 unchanged" in again.stdout


def test_undated_article_warns_and_redates(db_url, tmp_path):
    f = tmp_path / "undated.txt"
    f.write_text("On Sunday, Blinken said talks could still work. Putin met Macron on Monday.")
    proc = run("ingest", str(f), db=db_url)
    assert "unresolved" in proc.stderr and "--published" in proc.stderr
    rows = json.loads(run("events", "--format", "json", db=db_url).stdout)
    assert rows and all(r["date"] is None for r in rows)
    run("ingest", str(f), "--published", "2022-02-21", db=db_url)
    rows = json.loads(run("said", "--format", "json", db=db_url).stdout)
    assert [r["date"] for r in rows] == ["2022-02-20"]


def test_extract_json_validates_and_slices(tmp_path):
    proc = run("extract", str(SEED), "--format", "json")
    (obj,) = json.loads(proc.stdout)
    assert obj["source"]["path"] == str(SEED)
    validate(obj, "parsed-article")
    text = obj["text"]
    for q in obj["quotes"]:
        assert text[q["content"]["start"]:q["content"]["end"]] == q["content"]["text"]
    assert not list(Path.cwd().glob("kb.sqlite"))  # no database touched


def test_bad_options_are_one_clear_line(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    proc = run("said", "--since", "yesterday-ish", db=db, check=2)
    assert "--since" in proc.stderr and "YYYY" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("ingest", str(tmp_path / "nope"), db=db, check=2)
    assert "no such file" in proc.stderr
    proc = run("said", "--format", "xml", db=db, check=2)
    assert "table, json, csv" in proc.stderr


def test_help_lists_commands():
    out = run("--help").stdout
    for command in ("ingest", "extract", "said", "events", "actors", "show", "demo"):
        assert command in out


def test_listings_page_the_newest_in_date_order(tmp_path):
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    run("ingest", str(ROOT / "sources"), db=db)
    every = json.loads(run("said", "--all", "--format", "json", db=db).stdout)
    assert len(every) > 100
    page = run("said", "--format", "json", db=db)
    rows = json.loads(page.stdout)
    assert len(rows) == 100 and "showing the newest 100" in page.stderr
    three = json.loads(run("said", "--limit", "3", "--format", "json", db=db).stdout)
    assert [r["id"] for r in three] == [r["id"] for r in every[-3:]]
    events = json.loads(run("events", "--limit", "5", "--format", "json", db=db).stdout)
    days = [(e["date"] or {}).get("start") or "" for e in events]
    assert len(events) == 5 and days == sorted(days)
    profile = json.loads(run("show", "Putin", "--limit", "2", "--format", "json",
                             db=db).stdout)
    assert len(profile["statements"]) == 2
    assert profile["actor"]["statements"] > 2


@pytest.fixture(scope="module")
def story_db(module_db_url):
    run("ingest", str(ROOT / "tests" / "data" / "stories" / "articles"), db=module_db_url)
    return module_db_url


@pytest.mark.parametrize("command", ["said", "events"])
def test_min_sources_keeps_what_that_many_outlets_carry(story_db, command):
    """`--min-sources N` lists exactly the rows of the unfiltered listing whose number
    of sources is N or more, in the same order, and pages them the same way."""
    every = json.loads(run(command, "--all", "--format", "json", db=story_db).stdout)
    assert max(r["sources"] for r in every) >= 3, "the story has facts several outlets carry"
    for n in (2, 3):
        kept = json.loads(run(command, "--all", "--min-sources", str(n), "--format", "json",
                              db=story_db).stdout)
        assert [r["id"] for r in kept] == [r["id"] for r in every if r["sources"] >= n]
        assert kept, f"some {command} rows have {n} sources"
        newest = json.loads(run(command, "--limit", "1", "--min-sources", str(n),
                                "--format", "json", db=story_db).stdout)
        assert [r["id"] for r in newest] == [kept[-1]["id"]]
    bad = run(command, "--min-sources", "0", db=story_db, check=2)
    assert "--min-sources" in bad.stderr
