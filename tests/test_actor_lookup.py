"""Looking actors up as people write them: a surname finds the full name even when no
article wrote the surname alone, case does not matter, and two people who share the
surname are both found rather than one guessed (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest

from .conftest import run


@pytest.fixture
def db(db_url, tmp_path):
    (tmp_path / "a.txt").write_text(
        "date 2022-02-20 Antony Blinken said on Sunday that Russia would invade.")
    (tmp_path / "b.txt").write_text(
        "date 2022-02-21 Anna Smith said on Monday that talks had failed. "
        "John Smith said on Monday that talks would resume.")
    run("ingest", str(tmp_path), db=db_url)
    return db_url


@pytest.mark.parametrize("who", ["Blinken", "blinken", "Antony Blinken", "ANTONY BLINKEN"])
def test_said_who_by_surname_or_any_case(db, who):
    rows = json.loads(run("said", "--who", who, "-f", "json", db=db).stdout)
    assert [r["speaker"] for r in rows] == ["Antony Blinken"]


def test_show_by_surname(db):
    assert "Antony Blinken (person)" in run("show", "Blinken", db=db).stdout


def test_a_shared_surname_finds_both_and_guesses_neither(db):
    rows = json.loads(run("said", "--who", "Smith", "-f", "json", db=db).stdout)
    assert sorted(r["speaker"] for r in rows) == ["Anna Smith", "John Smith"]
    res = run("show", "Smith", db=db, check=2)
    assert "names several actors" in res.stderr


def test_events_by_surname(db):
    rows = json.loads(run("events", "--actor", "Blinken", "-f", "json", db=db).stdout)
    assert rows and all(any(a["name"] == "Antony Blinken" for a in r["actors"]) for r in rows)
