"""Open-domain event fields in the store, on SQLite and PostgreSQL: TimeML class,
polarity, tense, aspect, modality, PLOVER category, the reporting statement and the
order within a day; the PLOVER filter; and migration 0005 keeping a 0004 database's data.

Articles are built by hand from the extraction records (the extractor does not fill
these fields yet), so these tests do not depend on the NLP pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import text

from kb.extract import EXTRACTOR_VERSION
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
from kb.store.migrate import current_revision, head_revision

from .conftest import run

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
DAY = "2022-02-21"
TEXT = (
    "Ann Lee said troops had shelled the town. "
    "Ann Lee said the army would attack again. "
    "Police arrested two men on Monday. "
    "The talks did not resume."
)


def words(w: str, after: int = 0) -> Span:
    start = TEXT.index(w, after)
    return Span(w, start, start + len(w))


def sentence(w: str) -> tuple[int, int]:
    at = TEXT.index(w)
    start = TEXT.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    return start, TEXT.index(".", at) + 1


def on_day(value: str = DAY, basis: str = "stated") -> EventDate:
    return EventDate(value, value, value, "day", basis)


def event(trigger: str, **fields) -> Event:
    return Event(
        type=fields.pop("type", "occurrence"),
        predicate=trigger,
        trigger=words(trigger),
        sentence=sentence(trigger),
        date=fields.pop("date", on_day()),
        actors=(EventActor("Ann Lee", "agent"),),
        **fields,
    )


def quote(content: str, after: int) -> Quote:
    said = words("said", after)
    return Quote(
        content=words(content),
        direct=False,
        speaker=Mention("Ann Lee", TEXT.index("Ann Lee", after), TEXT.index("Ann Lee", after)
                        + 7, "Ann Lee"),
        cue=said,
        sentence=sentence(content),
    )


def parsed_article(path: str = "open.txt") -> tuple[Article, ParsedArticle]:
    """Four events on one day, given out of order: shelled (order 0, reported by the
    first statement), attack (order 2, hypothetical, by the second statement),
    arrested (order 1), resume (negated, no order)."""
    second = TEXT.index("Ann Lee said the army")
    quotes = (quote("troops had shelled the town", 0), quote("the army would attack again",
                                                               second))
    ann = Actor("Ann Lee", "person", mentions=(
        words("Ann Lee"), words("Ann Lee", second)))
    events = (
        event("attack", type="military_action", tml_class="OCCURRENCE", tense="FUTURE",
              aspect="NONE", modality="would", plover="ASSAULT", reported_by=1, order=2,
              hypothetical=True),
        event("resume", tml_class="ASPECTUAL", polarity="NEG", negated=True, tense="PAST",
              aspect="NONE"),
        event("shelled", type="military_action", tml_class="OCCURRENCE", tense="PAST",
              aspect="PERFECTIVE", plover="ASSAULT", reported_by=0, order=0),
        event("arrested", tml_class="OCCURRENCE", tense="PAST", aspect="NONE",
              plover="COERCE", order=1),
    )
    parsed = ParsedArticle(
        text=TEXT,
        published=DAY,
        sentences=tuple(sorted({sentence(w) for w in ("said troops", "army", "Police",
                                                      "talks")})),
        actors=(ann,),
        quotes=quotes,
        events=events,
    )
    return Article(text=TEXT, published=DAY, title="Open", path=path), parsed


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as opened:
        art, parsed = parsed_article()
        assert opened.add_article(art, parsed).status == "new"
        yield opened


def test_new_fields_round_trip_and_follow_the_schema(store: Store) -> None:
    records = {r["trigger"]: r for r in store.events()}
    schema = json.loads((SCHEMAS / "event.schema.json").read_text())
    for record in records.values():
        jsonschema.Draft202012Validator(schema).validate(record)
    got = {
        t: {k: r[k] for k in ("tml_class", "polarity", "tense", "aspect", "modality",
                              "plover", "order", "negated", "hypothetical", "type")}
        for t, r in records.items()
    }
    assert got == {
        "attack": {"tml_class": "OCCURRENCE", "polarity": "POS", "tense": "FUTURE",
                   "aspect": "NONE", "modality": "would", "plover": "ASSAULT", "order": 2,
                   "negated": False, "hypothetical": True, "type": "military_action"},
        "resume": {"tml_class": "ASPECTUAL", "polarity": "NEG", "tense": "PAST",
                   "aspect": "NONE", "modality": None, "plover": None, "order": None,
                   "negated": True, "hypothetical": False, "type": "occurrence"},
        "shelled": {"tml_class": "OCCURRENCE", "polarity": "POS", "tense": "PAST",
                    "aspect": "PERFECTIVE", "modality": None, "plover": "ASSAULT",
                    "order": 0, "negated": False, "hypothetical": False,
                    "type": "military_action"},
        "arrested": {"tml_class": "OCCURRENCE", "polarity": "POS", "tense": "PAST",
                     "aspect": "NONE", "modality": None, "plover": "COERCE", "order": 1,
                     "negated": False, "hypothetical": False, "type": "occurrence"},
    }


def test_reported_by_is_the_statement_whose_words_contain_the_event(store: Store) -> None:
    statements = {s["content"]: s["id"] for s in store.statements()}
    records = {r["trigger"]: r for r in store.events()}
    assert records["shelled"]["reported_by"] == statements["troops had shelled the town"]
    assert records["attack"]["reported_by"] == statements["the army would attack again"]
    assert records["shelled"]["reported_by"] != records["attack"]["reported_by"]
    assert records["arrested"]["reported_by"] is None
    assert records["resume"]["reported_by"] is None


def test_events_of_one_day_come_in_text_order_then_unordered(store: Store) -> None:
    expected = ["shelled", "arrested", "attack", "resume"]
    assert [r["trigger"] for r in store.events()] == expected
    newest = [r["trigger"] for r in store.events(newest_first=True)]
    assert newest == expected[::-1]
    window = store.events(since=dt.date(2022, 2, 21), until=dt.date(2022, 2, 21))
    assert [r["trigger"] for r in window] == expected
    assert [r["trigger"] for r in store.events(since=dt.date(2022, 2, 1),
                                               newest_first=True)] == expected[::-1]
    pages = [store.events(limit=1, offset=i)[0]["trigger"] for i in range(4)]
    assert pages == expected
    profile = store.actor_profile("Ann Lee")
    assert [e["trigger"] for e in profile["events"]] == expected
    assert [e["trigger"] for e in store.actor_profile("Ann Lee", limit=3)["events"]] == (
        expected[1:])


def test_ranked_events_sort_by_day_before_rank(store: Store) -> None:
    """order_key only orders events within one day: an earlier day comes first
    whatever its events' ranks."""
    text = "Bo Chan left on Sunday."
    art = Article(text=text, published=DAY, path="early.txt")
    left = Span("left", text.index("left"), text.index("left") + 4)
    parsed = ParsedArticle(
        text=text, published=DAY, sentences=((0, len(text)),),
        events=(Event("occurrence", "leave", left, (0, len(text)), on_day("2022-02-20"),
                      order=9),),
    )
    store.add_article(art, parsed)
    assert [r["trigger"] for r in store.events()][:2] == ["left", "shelled"]


@pytest.mark.parametrize(
    "plover, expected",
    [
        ("ASSAULT", ["shelled", "attack"]),
        ("assault", ["shelled", "attack"]),
        (["COERCE", "ASSAULT"], ["shelled", "arrested", "attack"]),
        ("PROTEST", []),
        ([], []),
    ],
)
def test_plover_filter(store: Store, plover, expected: list[str]) -> None:
    assert [r["trigger"] for r in store.events(plover=plover)] == expected


def test_plover_filter_combines_with_type_and_dates(store: Store) -> None:
    found = store.events(plover="ASSAULT", types="military_action",
                         since=dt.date(2022, 2, 21), newest_first=True)
    assert [r["trigger"] for r in found] == ["attack", "shelled"]
    assert store.events(plover="ASSAULT", types="occurrence") == []


def test_cli_events_plover_prints_the_new_fields(db_url: str, store: Store) -> None:
    out = run("events", "--plover", "ASSAULT", "--format", "json", db=db_url)
    records = json.loads(out.stdout)
    assert [r["trigger"] for r in records] == ["shelled", "attack"]
    assert [r["plover"] for r in records] == ["ASSAULT", "ASSAULT"]
    assert all("reported_by" in r and "order" in r for r in records)


def test_articles_record_their_extractor_version(store: Store) -> None:
    assert store.stale_articles(EXTRACTOR_VERSION) == []
    art, parsed = parsed_article("old.txt")
    older = Article(text=art.text + " More.", published=DAY, path="old.txt")
    old_parsed = ParsedArticle(text=older.text, published=DAY)
    store.add_article(older, old_parsed, extractor="1")
    stale = store.stale_articles(EXTRACTOR_VERSION)
    assert [(s["id"], s["path"], s["extractor"]) for s in stale] == [
        (older.id, "old.txt", "1")]
    assert store.load_article(stale[0]["row"]) == older
    assert len(store.stale_articles(None)) == 2


def test_deleting_a_statement_clears_reported_by(store: Store) -> None:
    statement = next(s["id"] for s in store.statements()
                     if s["content"] == "troops had shelled the town")
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM statements WHERE id = :id"), {"id": statement})
    shelled = next(r for r in store.events() if r["trigger"] == "shelled")
    assert shelled["reported_by"] is None


# -- migration from 0004 --------------------------------------------------------------


def _fill_at_0004(db_url: str) -> None:
    from alembic import command

    from kb.store.engine import make_engine
    from kb.store.migrate import alembic_config

    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(connection=conn), "0004")
            assert current_revision(conn) == "0004"
            conn.execute(text(
                "INSERT INTO articles (id, hash, format, text, published, path, ingested_at) "
                "VALUES (1, 'h1', 'text', 'Ann met Bo. Ann denied it.', '2022-02-21', "
                "'old.txt', CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO sentences (id, article_id, start, \"end\", text) "
                              "VALUES (1, 1, 0, 11, 'Ann met Bo.'), "
                              "(2, 1, 12, 26, 'Ann denied it.')"))
            conn.execute(text("INSERT INTO actors (id, name, kind, key) VALUES "
                              "(1, 'Ann', 'person', 'ann'), (2, 'Bo', 'person', 'bo')"))
            conn.execute(text(
                "INSERT INTO statements (id, article_id, sentence_id, speaker_id, content_text,"
                " content_start, content_end, direct, date_basis, date_value, date_start, "
                "date_end) VALUES (1, 1, 2, 1, 'it', 23, 25, false, 'reported', "
                "'2022-02-21', '2022-02-21', '2022-02-21')"))
            conn.execute(text(
                "INSERT INTO events (id, article_id, sentence_id, statement_id, type, "
                "predicate, trigger_text, trigger_start, trigger_end, negated, hypothetical,"
                " date_value, date_start, date_end, date_granularity, date_basis) VALUES "
                "(1, 1, 1, NULL, 'meeting', 'meet', 'met', 4, 7, false, false, "
                "'2022-02-21', '2022-02-21', '2022-02-21', 'day', 'reported'), "
                "(2, 1, 2, 1, 'denial', 'deny', 'denied', 16, 22, true, false, "
                "'2022-02-20', '2022-02-20', '2022-02-20', 'day', 'stated')"))
            conn.execute(text("INSERT INTO event_actors (event_id, actor_id, role) VALUES "
                              "(1, 1, 'participant'), (1, 2, 'participant'), "
                              "(2, 1, 'speaker')"))
    finally:
        engine.dispose()


def test_db_upgrade_from_0004_keeps_the_data(db_url: str) -> None:
    _fill_at_0004(db_url)
    with pytest.raises(Exception, match="kb db upgrade"):
        Store.open(db_url, create=False)
    out = run("db", "upgrade", db=db_url)
    assert head_revision() in out.stdout
    assert "kb reconsolidate" in out.stderr  # the old reports are not grouped yet
    with Store.open(db_url, create=False) as store:
        with store.engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            kept = conn.execute(text("SELECT count(*) FROM event_actors")).scalar_one()
        assert kept == 3
        records = store.events()
        assert [(r["trigger"], r["negated"], r["polarity"]) for r in records] == [
            ("denied", True, "NEG"), ("met", False, "POS")]
        denied, met = records
        assert denied["statement"] == 1 and denied["sentence"] == "Ann denied it."
        assert met["actors"] == [{"name": "Ann", "role": "participant", "kind": "person"},
                                 {"name": "Bo", "role": "participant", "kind": "person"}]
        for r in records:
            assert (r["tml_class"], r["tense"], r["aspect"], r["modality"], r["plover"],
                    r["reported_by"], r["order"]) == (None,) * 7
        assert [s["content"] for s in store.statements()] == ["it"]
        # each old report is its own claim and event until `kb reconsolidate`
        assert [(r["group"], r["sources"], len(r["reports"])) for r in records] == [
            (2, 1, 1), (1, 1, 1)]
        assert store.stale_articles(EXTRACTOR_VERSION)[0]["extractor"] is None
        assert store.load_article(1).text == "Ann met Bo. Ann denied it."
    with Store.open(db_url) as store:  # the new columns take writes after the upgrade
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE events SET reported_by_statement_id = 1, plover = "
                              "'REJECT', order_key = 0 WHERE id = 2"))
        (denied,) = store.events(plover="REJECT")
        assert (denied["reported_by"], denied["order"]) == (1, 0)
        with store.engine.begin() as conn:  # the foreign key came with the column
            conn.execute(text("DELETE FROM statements WHERE id = 1"))
        (denied,) = store.events(plover="REJECT")
        assert (denied["reported_by"], denied["statement"]) == (None, None)
