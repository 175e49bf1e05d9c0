"""Who said what, as a reader sees it: quotation marks only around the article's own
words, dates at their own granularity in words, the right speaker and addressee, in
`kb said`, `kb events` and `kb report` output."""

from __future__ import annotations

import json

import pytest

from kb.display import date_words, statement_words

from .conftest import SEED, run

ARTICLE = (
    "date 2023-11-15 Vladimir Putin said last month that the talks had failed. "
    "Joe Biden said last week that sanctions would follow. "
    "The Kremlin dismissed the warnings as hysteria. "
    "\"We will not back down,\" Emmanuel Macron said on Saturday night."
)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("display")
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    url = f"sqlite:///{folder / 'kb.sqlite'}"
    run("ingest", str(folder / "a.txt"), str(SEED), db=url)
    return url


@pytest.mark.parametrize("value, words", [
    ("2023-10", "Oct 2023"),
    ("2023-W45", "week of 6 Nov 2023"),
    ("2022-02-19TNI", "19 Feb 2022, night"),
    ("2022-02-20", "20 Feb 2022"),
    ("2022-Q1", "Q1 2022"),
    ("2022-SU", "summer 2022"),
    ("199", "1990s"),
    ("XXXX-XX-XX", "XXXX-XX-XX"),  # unresolved stays as it is: nothing invented
])
def test_dates_read_at_their_own_granularity(value, words):
    assert date_words(value) == words


@pytest.mark.parametrize("direct, expected", [
    (True, "Antony Blinken said: “We believe it”"),
    (False, "Antony Blinken said We believe it"),
])
def test_only_quoted_words_get_quotation_marks(direct, expected):
    assert statement_words("Antony Blinken", "said", "We believe it", direct) == expected


def test_said_table_words_dates_and_marks_quotes_only(db):
    table = run("said", "--all", db=db).stdout
    assert "Oct 2023" in table and "2023-10-01" not in table  # "last month"
    assert "week of 6 Nov 2023" in table  # "last week", not a Monday
    assert "“We will not back down,”" in table or "“We will not back down" in table
    assert "“that the talks had failed" not in table and "that the talks had failed" in table


def test_said_json_keeps_timex_values(db):
    rows = json.loads(run("said", "--all", "-f", "json", db=db).stdout)
    values = {r["date_value"] for r in rows}
    assert {"2023-10", "2023-W45"} <= values


def test_report_quotes_only_quoted_words(db, tmp_path):
    out = tmp_path / "r.md"
    run("report", "--out", str(out), db=db)
    text = out.read_text(encoding="utf-8")
    assert "said that the talks had failed" in text
    assert "“that the talks had failed" not in text
    assert "“We will not back down" in text
    assert "### Oct 2023" in text


def test_seed_letter_is_the_united_states_writing_to_bachelet(db):
    rows = json.loads(run("said", "--all", "-f", "json", db=db).stdout)
    letter = [r for r in rows if r.get("medium") and "letter" in r["medium"]]
    assert letter, rows
    assert all(r["speaker"] != "Michelle Bachelet" for r in rows)
    assert letter[0]["speaker"] in ("United States", None)
    assert "Michelle Bachelet" in (letter[0].get("addressee") or "")


def test_a_quotation_over_several_sentences_cites_them_all(db):
    rows = json.loads(run("said", "--who", "Blinken", "--all", "-f", "json", db=db).stdout)
    long = [r for r in rows if r["direct"] and r["content"].count(". ") >= 1]
    assert long, rows
    for r in long:  # the cited source holds the whole quotation
        assert r["content"] in r["sentence"], (r["content"], r["sentence"])


def test_passages_are_not_counted_as_sentences(db, seed_parsed):
    from kb.store import Store

    with Store.open(db, create=False) as store:
        counted = {a["path"]: a["sentences"] for a in store.articles()}
    assert counted[str(SEED)] == len(seed_parsed.sentences)
    assert any(q.sentence not in seed_parsed.sentences for q in seed_parsed.quotes)


def test_a_joint_subject_is_found_by_every_speaker(db):
    """"Biden and his Russian counterpart Putin approved ... a summit": the statement is
    listed under either president, its first speaker shown."""
    for who in ("Putin", "Biden"):
        rows = json.loads(run("said", "--who", who, "--all", "-f", "json", db=db).stdout)
        (summit,) = [r for r in rows if r["cue"] == "approved"]
        assert summit["speaker"] == "Joe Biden" and "summit" in summit["content"]
    reports = json.loads(run("said", "--who", "Putin", "--reports", "-f", "json", db=db).stdout)
    assert any(r["cue"] == "approved" for r in reports)


def test_an_unknown_name_that_speaks_is_found_by_its_surname(tmp_path):
    """A name the tagger does not know ("Ines Darrow", tagged a place) is the person who
    speaks, and her later "Darrow told ..." is hers: both statements are listed under
    either name; "the federation" and an untagged "PWF" are the federation named."""
    (tmp_path / "port.txt").write_text(
        "date 2026-03-10 The Port Workers' Federation has called a march for Tuesday. "
        "The federation says the deal could move jobs abroad. "
        "Ines Darrow, director of the Marvessa Ports Authority, said the outer harbour was "
        "silting up. \"Without dredging, the port cannot take larger ships,\" Darrow told "
        "reporters. The PWF said the march would go ahead.",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    run("ingest", str(tmp_path / "port.txt"), db=url)
    for who in ("Darrow", "Ines Darrow"):
        rows = json.loads(run("said", "--who", who, "-f", "json", db=url).stdout)
        assert sorted(r["cue"] for r in rows) == ["said", "told"]
        assert {r["speaker"] for r in rows} == {"Ines Darrow"}
    rows = json.loads(run("said", "--who", "PWF", "-f", "json", db=url).stdout)
    assert {r["cue"] for r in rows} >= {"says", "said"}
    assert {r["speaker"] for r in rows} == {"Port Workers' Federation"}


def test_an_action_on_a_noun_is_an_event_not_a_statement(tmp_path):
    """ "Putin signed decrees with the separatist leaders" is something Putin did: `kb
    events` lists it, `kb said` does not print it as his words; "called for calm" is."""
    (tmp_path / "acts.txt").write_text(
        "date 2022-02-22 Putin signed decrees with the separatist leaders at the Kremlin "
        "on Monday. Zelensky called a meeting of the guarantors. Zelensky called for calm.",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    run("ingest", str(tmp_path / "acts.txt"), db=url)
    said = json.loads(run("said", "--all", "-f", "json", db=url).stdout)
    assert [(r["speaker"], r["cue"], r["content"]) for r in said] == [
        ("Zelensky", "called", "calm")]
    events = json.loads(run("events", "--actor", "Putin", "-f", "json", db=url).stdout)
    assert any(e["trigger"] == "signed" for e in events), events


def test_a_president_named_by_surname_is_not_the_union_man_of_that_name(tmp_path):
    """An article names the union's Tomas Kovel and "President Kovel": the president's
    words are not the union man's; across the base they are President Armand Kovel's."""
    for name, text in (
        ("a.txt", "date 2026-03-09 President Armand Kovel of Dravonia arrived in Aldmouth "
                  "on Monday. President Armand Kovel met the foreign minister."),
        ("b.txt", "date 2026-03-09 President Armand Kovel said on Monday that the port "
                  "deal was close."),
        ("c.txt", "date 2026-03-10 \"Nobody asked us,\" said Tomas Kovel of the Port "
                  "Workers' Federation.\n\nA few streets away, President Kovel and Foreign "
                  "Minister Marchetti met again. \"The question of dredging will be "
                  "settled between friends,\" President Kovel told the radio."),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    run("ingest", str(tmp_path), db=url)
    union = json.loads(run("said", "--who", "Tomas Kovel", "-f", "json", db=url).stdout)
    assert [r["content"] for r in union] == ["Nobody asked us"]
    president = json.loads(run("said", "--who", "Armand Kovel", "-f", "json", db=url).stdout)
    assert any("dredging" in r["content"] for r in president), president
