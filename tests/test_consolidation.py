"""Consolidation across sources, through the command line as a user runs it: one claim
per statement however many outlets carry it, one event per happening, the same groups
whatever the ingest order, mended when an article is replaced, rebuilt by
``kb reconsolidate``; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from kb.store.sameness import (
    Actors,
    dates_compatible,
    same_actors,
    same_words,
)

from .conftest import run
from .test_ingest_concurrency import KB

QUOTE = (
    "We believe President Putin has made the decision, but until the tanks are actually "
    "rolling and the planes are flying, we will use every opportunity and every minute we "
    "have to see if diplomacy can still dissuade President Putin from carrying this forward"
)

#: file name -> (publisher, published, body)
STORY = {
    "wire.md": ("Capital Wire", "2022-02-20", (
        "US Secretary of State Antony Blinken met Ukrainian Foreign Minister Dmytro Kuleba "
        "in Munich on Saturday.\n\n"
        f'"{QUOTE}," Blinken told CNN on Sunday.\n\n'
        "Blinken also said that the United States would impose severe sanctions if Russia "
        "invaded.")),
    "daily.md": ("The Morning Daily", "2022-02-21", (
        "Antony Blinken, the US Secretary of State, spoke to CNN on Sunday.\n\n"
        f'"{QUOTE.replace(", but", " ... but")}," Blinken said on Sunday.\n\n'
        "Blinken met Dmytro Kuleba in Munich at the weekend, officials said.")),
    "radio.md": ("City Radio", "2022-02-21", (
        "Russia has massed troops on the border with Ukraine.\n\n"
        "US Secretary of State Antony Blinken said on Sunday that the United States was "
        "ready to meet Russian officials at any time.\n\n"
        "Blinken met Dmytro Kuleba in Munich on Sunday, the ministry said.")),
}


def write_story(
    folder: Path, names: tuple[str, ...] = tuple(STORY), story: dict | None = None
) -> list[Path]:
    """Write ``names`` of ``story`` (name -> (publisher, published, body); this file's
    STORY by default) as Markdown articles with front matter, in that order."""
    story = STORY if story is None else story
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        publisher, published, body = story[name]
        path = folder / name
        path.write_text(
            f"---\ntitle: {name}\npublished: {published}\npublisher: {publisher}\n---\n{body}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def said(db: str, *args: str) -> list[dict]:
    return json.loads(run("said", "--all", "-f", "json", *args, db=db).stdout)


def events(db: str, *args: str) -> list[dict]:
    return json.loads(run("events", "--all", "-f", "json", *args, db=db).stdout)


def groups(db: str) -> set[frozenset[tuple[str, str]]]:
    """Every claim and event group as the set of its reports' (outlet, words): the
    grouping itself, free of row ids that differ from one database to another."""
    found = set()
    for record in [*said(db), *events(db)]:
        found.add(frozenset((r["source"], r["text"]) for r in record["reports"]))
    return found


def test_one_quotation_in_two_outlets_is_one_claim_with_two_sources(db_url, tmp_path):
    run("ingest", *map(str, write_story(tmp_path / "in")), db=db_url)
    claims = said(db_url, "--who", "Blinken")
    (putin,) = [c for c in claims if "made the decision" in c["content"]]
    assert putin["sources"] == 2
    assert sorted(r["source"] for r in putin["reports"]) == ["Capital Wire", "The Morning Daily"]
    # the first report heads the claim; each report keeps its own words and sentence
    assert putin["source"]["publisher"] == "Capital Wire"
    assert [r["published"] for r in putin["reports"]] == ["2022-02-20", "2022-02-21"]
    assert "..." in putin["reports"][1]["text"] and "..." in putin["reports"][1]["sentence"]
    # the other statements of the same speaker on the same day stay claims of their own
    others = [c for c in claims if c is not putin]
    assert any("sanctions" in c["content"] for c in others)
    assert any("ready to meet" in c["content"] for c in others)
    assert all(c["sources"] == 1 for c in others)
    # --reports lists every article's report, each with the claim it belongs to
    reports = said(db_url, "--who", "Blinken", "--reports")
    assert len(reports) == len(claims) + 1
    assert len({r["claim"] for r in reports if "made the decision" in r["content"]}) == 1
    # the table says how many sources carry the claim
    table = run("said", "--who", "Blinken", db=db_url).stdout
    assert "+1 more source" in table


def test_one_meeting_in_three_outlets_is_one_event_and_the_dates_they_give(db_url, tmp_path):
    run("ingest", *map(str, write_story(tmp_path / "in")), db=db_url)
    meetings = [e for e in events(db_url, "--actor", "Kuleba") if e["predicate"] == "meet"]
    assert len(meetings) == 1, [m["sentence"] for m in meetings]
    (meeting,) = meetings
    assert meeting["sources"] == 3
    assert {r["source"] for r in meeting["reports"]} == {
        "Capital Wire", "The Morning Daily", "City Radio"}
    # one outlet says Saturday, one Sunday, one the weekend: the weekend holds both, the
    # reports disagree on the day, and the record says so
    assert meeting["disputed_dates"] == ["2022-02-19", "2022-02-20"]
    every = events(db_url, "--actor", "Kuleba", "--reports")
    assert len([e for e in every if e["predicate"] == "meet"]) == 3


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_same_groups_whatever_the_ingest_order(kind, tmp_path, postgres_url):
    """Three orders into three databases give the same claims and events; and
    ``kb reconsolidate`` rebuilds exactly the groups ingest made."""
    from .conftest import fresh_database

    found = []
    for i, order in enumerate([
        ("wire.md", "daily.md", "radio.md"),
        ("radio.md", "daily.md", "wire.md"),
        ("daily.md", "radio.md", "wire.md"),
    ]):
        (tmp_path / f"db{i}").mkdir()
        with fresh_database(kind, tmp_path / f"db{i}", postgres_url) as db:
            for path in write_story(tmp_path / f"in{i}", order):
                run("ingest", str(path), db=db)  # one at a time, in this order
            found.append(groups(db))
            out = run("reconsolidate", db=db).stdout
            assert "reports in" in out
            assert groups(db) == found[-1]
    assert found[0] == found[1] == found[2]
    assert any(len(g) == 3 for g in found[0])  # the meeting, in every order


def test_replacing_an_article_mends_its_groups(db_url, tmp_path):
    paths = write_story(tmp_path / "in")
    run("ingest", *map(str, paths), db=db_url)
    before = groups(db_url)
    # reprocess replaces every article's rows in its own transaction: each replacement
    # takes its reports out of their groups, mends what is left, and groups the new ones
    out = run("reprocess", "--all", "-f", "json", db=db_url)
    assert json.loads(out.stdout)["reprocessed"] == 3
    (putin,) = [c for c in said(db_url, "--who", "Blinken") if "made the decision" in c["content"]]
    assert putin["sources"] == 2
    assert groups(db_url) == before


@pytest.mark.postgres
def test_two_writers_at_once_still_make_one_claim(tmp_path, postgres_url):
    """Two `kb ingest` processes, each with one outlet's copy, at the same time: the
    advisory lock makes the second see the first's reports, so one claim."""
    from .conftest import fresh_database

    if not postgres_url:
        pytest.skip("KB_TEST_POSTGRES_URL is not set")
    with fresh_database("postgres", tmp_path, postgres_url) as db:
        run("db", "upgrade", db=db)
        wire, daily = write_story(tmp_path / "in", ("wire.md", "daily.md"))
        procs = [subprocess.Popen([KB, "--db", db, "ingest", str(p)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for p in (wire, daily)]
        for proc in procs:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
        (putin,) = [c for c in said(db, "--who", "Blinken") if "made the decision" in c["content"]]
        assert putin["sources"] == 2


@pytest.mark.parametrize(
    "a, b, same",
    [
        (QUOTE, QUOTE.upper() + ".", True),  # case and punctuation
        (QUOTE, "“" + QUOTE.replace(", but", " ... but") + "”", True),  # an ellipsis
        (QUOTE, QUOTE.split(", but")[0], True),  # truncated
        (QUOTE, QUOTE.replace("every minute", "each minute"), True),  # a wire edit
        ("Russia would invade Ukraine within days",
         "that Russia would invade Ukraine within days", True),  # indirect report
        ("we believe President Putin has made the decision",
         "he believed President Putin had made the decision", True),
        ("we will impose severe sanctions", "we will not impose severe sanctions", False),
        (QUOTE, "We will use every opportunity to see if diplomacy can still work", False),
        ("I agree", "I agree.", True),
        ("No", "Yes", False),
        ("the talks failed", "the talks", False),  # too little left to be the same words
    ],
)
def test_same_words(a: str, b: str, same: bool) -> None:
    assert same_words(a, b) is same
    assert same_words(b, a) is same  # symmetric, so groups do not depend on order


@pytest.mark.parametrize(
    "a, b, slack, same",
    [
        (("2022-02-19", "2022-02-19", True), ("2022-02-20", "2022-02-20", True), 3, True),
        (("2022-02-19", "2022-02-19", True), ("2022-02-22", "2022-02-22", True), 3, False),
        # a later article without a date of its own: up to `slack` days after
        (("2022-02-19", "2022-02-19", True), ("2022-02-22", "2022-02-22", False), 3, True),
        (("2022-02-19", "2022-02-19", True), ("2022-02-22", "2022-02-22", False), 1, False),
        (("2022-02-19", "2022-02-19", True), ("2022-02-17", "2022-02-17", False), 3, False),
        (("2022-02-20", "2022-02-20", False), ("2022-02-21", "2022-02-21", False), 1, True),
        (("2022-02-01", "2022-02-28", True), ("2022-02-14", "2022-02-14", True), 1, True),
        ((None, None, False), ("2022-02-14", "2022-02-14", True), 1, True),
    ],
)
def test_dates_compatible(a, b, slack, same) -> None:
    import datetime as dt

    def day(t):
        return tuple(dt.date.fromisoformat(v) if isinstance(v, str) else v for v in t[:2]) + (
            t[2],)

    assert dates_compatible(day(a), day(b), slack) is same
    assert dates_compatible(day(b), day(a), slack) is same


@pytest.mark.parametrize(
    "a, b, plover, same",
    [
        (({1}, {1, 2}), ({1}, {1, 2}), None, True),
        (({1}, {1, 2}), ({2}, {1, 2}), "ACCUSE", False),  # who accused whom differs
        (({1}, {1, 2}), ({2}, {1, 2}), "CONSULT", True),  # "A met B" is "B met A"
        (({1}, {1, 2, 3}), ({1}, {1, 4, 5}), None, False),  # one actor of many in common
        ((set(), {2}), ({1}, {1, 2}), None, False),  # a vague report joins no specific one
        ((set(), {1, 2}), ({1}, {1, 2}), None, True),
        (({1}, {1}), (set(), set()), None, False),
    ],
)
def test_same_actors(a, b, plover, same) -> None:
    def actors(t):
        return Actors(frozenset(t[0]), frozenset(t[1]))

    assert same_actors(actors(a), actors(b), plover) is same
    assert same_actors(actors(b), actors(a), plover) is same


def test_the_story_corpus_scores_as_measured():
    """`kb eval consolidation` on the invented five-outlet story (tests/data/stories):
    every gold report is extracted and the groups are precise. Floors as measured on
    2026-12-04 (claims P 1.000 R 0.789, events P 0.869 R 0.535; events were P 0.852
    R 0.232 before reports were read in their article); the issue's target of 0.9 is
    not met yet: most claim misses are speakers left unresolved ("the foreign
    ministry") or wrong (a dateline), most event misses a report whose article gives
    the wrong day (daily_01) and reports whose actors are unresolved."""
    from .conftest import ROOT

    out = run("eval", "consolidation", str(ROOT / "tests" / "data" / "stories"), "-f", "json")
    score = json.loads(out.stdout)
    assert score["claim_found"] == score["claim_reports"] == 57
    assert score["event_found"] == score["event_reports"] == 39
    assert score["claims"]["precision"] >= 0.95 and score["claims"]["recall"] >= 0.75
    assert score["events"]["precision"] >= 0.85 and score["events"]["recall"] >= 0.5


def test_pairwise_scores_only_what_both_hold():
    from kb.eval.consolidation import pairwise

    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert pairwise(gold, {"a": 9, "b": 9, "c": 8, "d": 8}).f1 == 1.0
    lumped = pairwise(gold, {"a": 9, "b": 9, "c": 9, "d": 9})
    assert (lumped.precision, lumped.recall) == (2 / 6, 1.0)
    assert pairwise(gold, {"a": 1, "c": 2}).reports == 2  # b and d not found: not scored


def test_the_report_is_the_story_with_every_report(db_url, tmp_path):
    """`kb report`: each fact once, with how many sources carry it and every other
    report's sentence; --min-sources keeps only what several outlets carry."""
    run("ingest", *map(str, write_story(tmp_path / "in")), db=db_url)
    md = tmp_path / "story.md"
    run("report", "--out", str(md), db=db_url)
    text = md.read_text(encoding="utf-8")
    # the claim once, with the other outlet's report under it; the events inside its
    # words are not listed apart (they are the claim)
    assert text.count("made the decision") == 3  # the words, their sentence, the other
    assert "2 sources" in text and "3 sources" in text
    assert "- Also: daily.md, The Morning Daily, 2022-02-21:" in text
    sunday = text[text.index("### Sunday"):]
    first = sunday.split("\n- ")[1]
    assert "2 sources" in first  # the day's best-carried fact comes first
    few = tmp_path / "few.html"
    run("report", "--out", str(few), "--min-sources", "2", db=db_url)
    page = few.read_text(encoding="utf-8")
    assert "<details><summary>All 2 reports</summary>" in page
    assert "sanctions" not in page  # said by one outlet only


@pytest.mark.parametrize("a, b", [
    ("talks go on 0", "talks go on 1"),
    ("about 1,200 dockworkers marched through Kerrin",
     "about 2,000 dockworkers marched through Kerrin"),
])
def test_different_numbers_are_different_words(a, b):
    assert not same_words(a, b)


def test_timeline_story_is_the_chronology_page(db_url, tmp_path):
    run("ingest", *map(str, write_story(tmp_path / "in")), db=db_url)
    page = tmp_path / "story.html"
    run("timeline", "--story", "--min-sources", "2", "--out", str(page), db=db_url)
    html = page.read_text(encoding="utf-8")
    assert "3 sources" in html and "<details><summary>All 3 reports</summary>" in html
    bad = run("timeline", "--story", "--out", str(tmp_path / "story.md"), db=db_url, check=2)
    assert ".html" in bad.stderr


def test_served_statement_page_lists_every_report(db_url, tmp_path):
    """kb serve: a claim's page lists every outlet's report, its words marked in its
    sentence and linked to its article."""
    from starlette.testclient import TestClient

    from kb.serve import create_app
    from kb.store import Store

    run("ingest", *map(str, write_story(tmp_path / "in")), db=db_url)
    (putin,) = [c for c in said(db_url, "--who", "Blinken") if "made the decision" in c["content"]]
    with Store.open(db_url, create=False) as store:
        client = TestClient(create_app(store, allowed_hosts=["testserver"]))
        for report in putin["reports"]:  # the same list from either report's page
            page = client.get(f"/statement/{report['id']}").text
            assert "Reported by 2 sources, in 2 articles" in page
            assert page.count("<mark>We believe President Putin has made the decision") == 2
            assert "The Morning Daily" in page and "Capital Wire" in page
        lone = next(c for c in said(db_url, "--who", "Blinken") if c["sources"] == 1)
        assert "Reported by" not in client.get(f"/statement/{lone['id']}").text
        # search lists the claim once, saying how many sources carry it
        found = client.get("/search", params={"q": "made the decision"}).text
        assert found.count(f'href="/statement/{putin["id"]}">2 sources</a>') == 1


def test_cross_document_event_coreference_on_the_semeval_trial():
    """The second check: kb's consolidated events against the mentions the SemEval-2015
    trial timelines list on one line (one event across documents). As measured on
    2026-12-04: 161 gold mentions found, pairwise precision 1.000, recall 0.174 (0.130
    before reports were read in their article)."""
    from .conftest import EVAL

    folder = EVAL / "semeval2015-task4-timeline"
    if not folder.exists():
        pytest.skip(f"{folder} is not here")
    score = json.loads(run("eval", "consolidation", str(folder), "-f", "json").stdout)
    assert score["reports"] >= 150
    assert score["precision"] >= 0.9 and score["recall"] >= 0.1


@pytest.mark.parametrize("first", ["full", "short"])
def test_an_honorific_and_surname_is_the_one_person_of_that_surname(db_url, tmp_path, first):
    """"Ms Marchetti" is Elena Marchetti when she is the only Marchetti, whichever
    article came first; her words in both articles are then one claim."""
    texts = {
        "full": "date 2026-03-09\nForeign Minister Elena Marchetti said on Monday that the "
                "port of Kerrin would remain under Marvessan law whatever flag the ships fly.",
        "short": "date 2026-03-10\nMs Marchetti said on Monday that the port of Kerrin would "
                 "remain under Marvessan law, whatever flag the ships fly.",
    }
    order = [first, "short" if first == "full" else "full"]
    for name in order:
        path = tmp_path / f"{name}.txt"
        path.write_text(texts[name], encoding="utf-8")
        run("ingest", str(path), db=db_url)
    people = [a["name"] for a in json.loads(run("actors", "-f", "json", db=db_url).stdout)
              if "Marchetti" in a["name"]]
    assert people == ["Elena Marchetti"]
    (claim,) = said(db_url, "--who", "Marchetti")
    assert claim["speaker"] == "Elena Marchetti" and len(claim["reports"]) == 2


def test_filters_find_a_claim_through_any_of_its_reports(db_url, tmp_path):
    """The first report cuts the quotation; a later one carries the words that name
    Gazprom. Asked for those words or for Gazprom, kb lists the claim, once, with both
    sources; with --reports, only the report that holds them."""
    full = ("Europe will stop buying gas from Gazprom within two years, and we will help "
            "every country that depends on it to find other suppliers")
    cut = "Europe will stop buying gas ... and we will help every country that depends on it"
    folder = tmp_path / "in"
    folder.mkdir()
    for name, publisher, published, words in (
        ("first.md", "Capital Wire", "2022-03-08", cut),
        ("later.md", "The Morning Daily", "2022-03-09", full),
    ):
        (folder / name).write_text(
            f"---\ntitle: {name}\npublished: {published}\npublisher: {publisher}\n---\n"
            f'"{words}," Ursula von der Leyen said on Tuesday.\n', encoding="utf-8")
    run("ingest", str(folder), db=db_url)
    (claim,) = said(db_url, "--who", "von der Leyen")
    assert claim["sources"] == 2 and claim["source"]["publisher"] == "Capital Wire"
    assert "Gazprom" not in claim["content"]  # the head is the first report, the cut one
    for args in (("--contains", "suppliers"), ("--about", "Gazprom")):
        (found,) = said(db_url, *args)
        assert found["claim"] == claim["claim"] and found["sources"] == 2
        (report,) = said(db_url, *args, "--reports")
        assert report["source"]["publisher"] == "The Morning Daily"
    assert said(db_url, "--contains", "pipelines") == []


def test_the_same_words_of_the_same_unnamed_source_are_one_claim(db_url, tmp_path):
    """Three wire copies of "Officials said no text had yet been agreed" are one claim
    with three sources; the same words from "analysts" are another claim."""
    story = {  # each outlet's own first sentence: the same text would be one article
        name: (outlet, "2026-03-09", f"The talks ended on Monday, the {outlet} reports. "
                                     f"{who} said no text had yet been agreed.")
        for name, outlet, who in (("a.md", "Wire", "Officials"), ("b.md", "Herald", "Officials"),
                                  ("c.md", "Gazette", "officials"), ("d.md", "Courier", "Analysts"))
    }
    run("ingest", *map(str, write_story(tmp_path / "in", tuple(story), story)), db=db_url)
    rows = json.loads(run("said", "--all", "-f", "json", db=db_url).stdout)
    agreed = sorted((r["speaker_mention"].lower(), r["sources"]) for r in rows
                    if r["content"] == "no text had yet been agreed")
    assert agreed == [("analysts", 1), ("officials", 3)]
