"""The store on SQLite and PostgreSQL: schema, atomic writes, global actors, queries.

Every test runs on a fresh SQLite file and, when ``KB_TEST_POSTGRES_URL`` is set, on a
fresh PostgreSQL schema (dropped afterwards). Articles are built by hand from the
extraction records, so these tests do not depend on the NLP pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kb.errors import NotFoundError, StoreError
from kb.extract.types import (
    Actor,
    Event,
    EventActor,
    EventDate,
    Mention,
    ParsedArticle,
    Quote,
    Span,
    TimeExpr,
)
from kb.ingest.article import Article
from kb.store import Store
from kb.store.migrate import current_revision, head_revision
from kb.store.models import Base
from kb.store.queries import statement_records

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
PG_ENV = "KB_TEST_POSTGRES_URL"


# -- fixtures -----------------------------------------------------------------------


def pg_schema_url(base: str, schema: str) -> str:
    url = make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pg_base() -> str:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set")
    return base


@contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema (dropped on exit); yields a URL that uses it."""
    base = pg_base()
    schema = f"kbt_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_schema_url(base, "public"))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield pg_schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: an SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kb.sqlite'}"
        return
    with pg_schema() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once, copied for each test (migrating is slow)."""
    path = tmp_path_factory.mktemp("template") / "kb.sqlite"
    Store.open(f"sqlite:///{path}").close()
    return path


@pytest.fixture(scope="session")
def pg_migrated() -> Iterator[str]:
    """One PostgreSQL schema migrated to head once; tests empty it with TRUNCATE."""
    with pg_schema() as url:
        Store.open(url).close()
        yield url


def empty_store(backend: str, directory: Path, request: pytest.FixtureRequest) -> Store:
    if backend == "sqlite":
        path = directory / "kb.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return Store.open(f"sqlite:///{path}")
    store = Store.open(request.getfixturevalue("pg_migrated"))
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with store.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store at head revision."""
    with empty_store(request.param, tmp_path, request) as opened:
        yield opened


# -- building articles by hand --------------------------------------------------------


def span(text: str, words: str, after: int = 0) -> Span:
    start = text.index(words, after)
    return Span(words, start, start + len(words))


def day(value: str, basis: str = "stated") -> EventDate:
    return EventDate(value, value, value, "day", basis)


def make(
    sentences: list[str],
    published: str | None = "2022-02-21",
    actors: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (),
    quotes: tuple[dict, ...] = (),
    events: tuple[dict, ...] = (),
    path: str = "a.txt",
) -> tuple[Article, ParsedArticle]:
    """An article from sentences; facts name their words, offsets are found in the text.

    actors: (name, kind, aliases, titles), mentions are every occurrence of name/alias.
    quotes: {speaker, mention, content, cue, about, date, addressee}.
    events: {type, trigger, actors: [(name, role)], date, quote}.
    """
    text = " ".join(sentences)
    bounds, at = [], 0
    for s in sentences:
        bounds.append((at, at + len(s)))
        at += len(s) + 1

    def sentence_of(offset: int) -> tuple[int, int]:
        return next(b for b in bounds if b[0] <= offset < b[1])

    parsed_actors = []
    for name, kind, aliases, titles in actors:
        mentions, seen = [], set()
        for words in (name, *aliases):
            at = text.find(words)
            while at >= 0:
                if not any(s <= at < e for s, e in seen):
                    mentions.append(Span(words, at, at + len(words)))
                    seen.add((at, at + len(words)))
                at = text.find(words, at + 1)
        parsed_actors.append(
            Actor(name, kind, aliases, titles, tuple(sorted(mentions, key=lambda m: m.start)))
        )
    parsed_quotes = []
    for q in quotes:
        content = span(text, q["content"])
        speaker = None
        if q.get("mention"):
            m = span(text, q["mention"], sentence_of(content.start)[0])
            speaker = Mention(m.text, m.start, m.end, q.get("speaker"))
        addressee = None
        if q.get("addressee"):
            a = span(text, q["addressee"])
            addressee = Mention(a.text, a.start, a.end, q["addressee"])
        parsed_quotes.append(
            Quote(
                content=content,
                direct=q.get("direct", True),
                speaker=speaker,
                cue=span(text, q["cue"], sentence_of(content.start)[0]) if q.get("cue") else None,
                addressee=addressee,
                about=tuple(q.get("about", ())),
                date=q.get("date"),
                sentence=sentence_of(content.start),
            )
        )
    parsed_events = []
    for e in events:
        trigger = span(text, e["trigger"])
        parsed_events.append(
            Event(
                type=e["type"],
                predicate=e.get("predicate", e["trigger"]),
                trigger=trigger,
                sentence=sentence_of(trigger.start),
                date=e.get("date", day(published, "reported") if published else None),
                actors=tuple(EventActor(n, r) for n, r in e.get("actors", ())),
                quote=e.get("quote"),
                negated=e.get("negated", False),
            )
        )
    times = tuple(
        TimeExpr(w, text.index(w), text.index(w) + len(w), "DATE", v, "day", v, v)
        for w, v in (("on Monday", "2022-02-21"), ("on Sunday", "2022-02-20"))
        if w in text
    )
    parsed = ParsedArticle(
        text=text,
        published=published,
        sentences=tuple(bounds),
        times=times,
        actors=tuple(parsed_actors),
        quotes=tuple(parsed_quotes),
        events=tuple(parsed_events),
    )
    return Article(text=text, published=published, title=path.upper(), path=path), parsed


BLINKEN = ("Antony Blinken", "person", ("Blinken",), ("Secretary of State",))
RUSSIA = ("Russia", "country", (), ())
LAVROV = ("Sergey Lavrov", "person", ("Lavrov",), ("Foreign Minister",))
NATO = ("NATO", "organization", (), ())


def article_a() -> tuple[Article, ParsedArticle]:
    return make(
        [
            "Secretary of State Antony Blinken warned Russia on Monday.",
            '"We will respond swiftly," Blinken said.',
        ],
        published="2022-02-21",
        actors=(BLINKEN, RUSSIA),
        quotes=(
            {
                "speaker": "Antony Blinken",
                "mention": "Blinken",
                "content": "We will respond swiftly,",
                "cue": "said",
                "about": ["Russia"],
            },
        ),
        events=(
            {
                "type": "WARN",
                "trigger": "warned",
                "actors": [("Antony Blinken", "agent"), ("Russia", "target")],
                "date": day("2022-02-21"),
            },
            {
                "type": "STATEMENT",
                "trigger": "said",
                "actors": [("Antony Blinken", "speaker")],
                "quote": 0,
            },
        ),
        path="a.txt",
    )


def article_b() -> tuple[Article, ParsedArticle]:
    return make(
        [
            "Blinken met Foreign Minister Sergey Lavrov in Geneva in January.",
            "Lavrov told Blinken that NATO expansion was a threat.",
            '"Nothing was agreed," Lavrov said on Sunday.',
        ],
        published="2022-02-24",
        actors=(("Blinken", "person", (), ("Secretary",)), LAVROV, NATO),
        quotes=(
            {
                "speaker": "Sergey Lavrov",
                "mention": "Lavrov",
                "content": "that NATO expansion was a threat",
                "cue": "told",
                "direct": False,
                "addressee": "Blinken",
                "about": ["NATO"],
            },
            {
                "speaker": "Sergey Lavrov",
                "mention": "Lavrov",
                "content": "Nothing was agreed,",
                "cue": "said",
                "date": day("2022-02-20"),
            },
        ),
        events=(
            {
                "type": "MEET",
                "trigger": "met",
                "actors": [("Blinken", "participant"), ("Sergey Lavrov", "participant")],
                "date": EventDate("2022-01", "2022-01-01", "2022-01-31", "month", "stated"),
            },
            {
                "type": "STATEMENT",
                "trigger": "told",
                "quote": 0,
                "actors": [("Sergey Lavrov", "speaker"), ("Blinken", "addressee")],
            },
        ),
        path="b.txt",
    )


@pytest.fixture(scope="module", params=BACKENDS)
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A store holding articles A and B, shared by the read-only tests of this module."""
    backend = request.param
    if backend == "postgres":  # its own schema: tests using `store` truncate pg_migrated
        with pg_schema() as url, Store.open(url) as opened:
            _fill(opened)
            yield opened
        return
    with empty_store(backend, tmp_path_factory.mktemp("filled"), request) as opened:
        _fill(opened)
        yield opened


def _fill(store: Store) -> None:
    for art, parsed in (article_a(), article_b()):
        assert store.add_article(art, parsed).status == "new"


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


# -- schema and migrations --------------------------------------------------------------


def test_open_brings_a_new_database_to_head_and_reopens(db_url: str) -> None:
    with Store.open(db_url) as first, first.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    with Store.open(db_url, create=False) as again:
        assert again.articles() == []


def test_open_without_create_refuses_an_empty_database(db_url: str) -> None:
    if db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).touch()  # an empty file: an empty database
    with pytest.raises(StoreError, match="kb db upgrade"):
        Store.open(db_url, create=False)


# -- writing ----------------------------------------------------------------------------


def test_add_article_reports_new_then_unchanged(store: Store) -> None:
    art, parsed = article_a()
    first = store.add_article(art, parsed)
    assert (first.status, first.events, first.statements, first.actors_added) == ("new", 2, 1, 2)
    assert (first.mentions, first.sentences, first.times) == (3, 2, 1)
    again = store.add_article(art, parsed)
    assert (again.status, again.events, again.statements) == ("unchanged", 0, 0)
    [record] = store.articles()
    assert record["id"] == art.id
    assert (record["events"], record["statements"], record["sentences"]) == (2, 1, 2)


def test_a_failing_article_leaves_no_rows(store: Store) -> None:
    art, parsed = article_a()
    broken_event = Event("WARN", "warn", Span(None, 0, 1), (0, 10), None)  # type: ignore[arg-type]
    broken = ParsedArticle(**{**parsed.__dict__, "events": (*parsed.events, broken_event)})
    with pytest.raises(Exception):  # noqa: B017 - the database's own NOT NULL error
        store.add_article(art, broken)
    assert store.articles() == []
    assert store.actors() == []
    assert store.add_article(art, parsed).status == "new"


def test_parsed_text_must_be_the_article_text(store: Store) -> None:
    art, parsed = article_a()
    with pytest.raises(StoreError, match="offsets"):
        store.add_article(Article(text=art.text + " More."), parsed)


def test_replace_rewrites_an_article_atomically(store: Store) -> None:
    _fill(store)
    art, parsed = article_b()
    changed = make(
        ["Lavrov spoke to NATO on Sunday."],
        published="2022-02-25",
        actors=(LAVROV[:2] + ((), ()), NATO),
        quotes=({"speaker": "Sergey Lavrov", "mention": "Lavrov", "content": "spoke to NATO"},),
    )[1]
    changed = ParsedArticle(**{**changed.__dict__, "text": art.text})
    result = store.add_article(art.with_published("2022-02-25"), changed, replace=True)
    assert (result.status, result.statements, result.events) == ("replaced", 1, 0)
    lavrov = store.statements(who="Lavrov")
    assert [s["content"] for s in lavrov] == ["spoke to NATO"]
    assert lavrov[0]["reported"] == "2022-02-25"
    assert store.statements(contains="agreed") == []
    assert store.statements(contains="NATO")[0]["content"] == "spoke to NATO"
    # "Blinken" of article B still resolves (it joined Antony Blinken, who article A keeps).
    assert store.resolve_actor("Blinken") == ["Antony Blinken"]
    assert {a["name"] for a in store.actors()} == {
        "Antony Blinken",
        "Russia",
        "Sergey Lavrov",
        "NATO",
    }


# -- actors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Antony Blinken", ["Antony Blinken"]),
        ("antony  BLINKEN", ["Antony Blinken"]),
        ("Blinken", ["Antony Blinken"]),
        ("lavrov", ["Sergey Lavrov"]),
        ("nato", ["NATO"]),
        ("Secretary of State", []),
        ("Nobody", []),
    ],
)
def test_resolve_actor_matches_names_and_aliases(filled: Store, name: str, expected: list) -> None:
    assert filled.resolve_actor(name) == expected


def test_an_actor_with_several_aliases_and_titles_lists_each_once(db_url: str) -> None:
    """The actor query reads each alias with each title (one row per pair): every
    alias and every title is listed once, in order; a writing of the name itself is
    no alias."""
    art, parsed = make(
        ["Secretary Antony Blinken spoke.", "Tony Blinken and Mr Blinken and antony blinken."],
        actors=(("Antony Blinken", "person", ("Tony Blinken", "Mr Blinken", "Blinken",
                                              "antony blinken"),
                 ("Secretary", "Secretary of State", "Envoy")),))
    with Store.open(db_url) as store:
        store.add_article(art, parsed)
        (actor,) = store.actors()
        (fact,) = [f for _, f in actor_facts_of(store)]
    assert actor["aliases"] == ["Blinken", "Mr Blinken", "Tony Blinken"]
    assert actor["titles"] == ["Envoy", "Secretary", "Secretary of State"]
    assert (fact.aliases, fact.titles) == (actor["aliases"], actor["titles"])


def actor_facts_of(store: Store) -> list:
    from kb.store.actors import actor_facts

    with store.engine.connect() as conn:
        return actor_facts(conn)


def test_actors_are_global_and_accumulate_aliases_and_titles(filled: Store) -> None:
    actors = {a["name"]: a for a in filled.actors()}
    assert sorted(actors) == ["Antony Blinken", "NATO", "Russia", "Sergey Lavrov"]
    blinken = actors["Antony Blinken"]
    assert blinken["aliases"] == ["Blinken"]
    assert blinken["titles"] == ["Secretary", "Secretary of State"]
    assert (blinken["articles"], blinken["statements"], blinken["events"]) == (2, 1, 4)
    assert blinken["mentions"] == 4
    check = validator("actor")
    for record in actors.values():
        check.validate(record)


@pytest.mark.parametrize(
    "new_actor, joins",
    [
        (("Blinken", "person", (), ()), "Antony Blinken"),  # alias of one person: joins
        (("BLINKEN", "unknown", (), ()), "Antony Blinken"),  # unknown kind joins any kind
        (("Blinken", "organization", (), ()), None),  # alias of another kind: new actor
        (("Smith", "person", (), ()), None),  # alias of two people: ambiguous, new actor
    ],
)
def test_alias_joins_only_when_unambiguous(
    store: Store, new_actor: tuple, joins: str | None
) -> None:
    for i, smith in enumerate(("Anna Smith", "John Smith")):
        store.add_article(
            *make(
                [f"{smith} and Antony Blinken spoke {i}."],
                actors=((smith, "person", ("Smith",), ()), BLINKEN),
                path=f"s{i}.txt",
            )
        )
    name = new_actor[0]
    store.add_article(*make([f"{name} arrived."], actors=(new_actor,), path="new.txt"))
    matches = store.resolve_actor(name)
    if joins:
        assert matches == [joins]
        assert len(store.actors()) == 3
    else:
        assert name in matches
        assert len(store.actors()) == 4


# -- statements -------------------------------------------------------------------------

D = dt.date


@pytest.mark.parametrize(
    "filters, expected",
    [
        (
            {},
            ["Nothing was agreed,", "We will respond swiftly,", "that NATO expansion was a threat"],
        ),
        ({"who": "Blinken"}, ["We will respond swiftly,"]),
        ({"who": ["sergey lavrov"]}, ["Nothing was agreed,", "that NATO expansion was a threat"]),
        ({"who": "Nobody"}, []),
        ({"about": "NATO"}, ["that NATO expansion was a threat"]),
        ({"about": "Russia", "who": "Lavrov"}, []),
        (
            {"since": D(2022, 2, 21)},
            ["We will respond swiftly,", "that NATO expansion was a threat"],
        ),
        ({"until": D(2022, 2, 20)}, ["Nothing was agreed,"]),
        (
            {"since": D(2022, 2, 20), "until": D(2022, 2, 21)},
            ["Nothing was agreed,", "We will respond swiftly,"],
        ),
        ({"contains": "responds"}, ["We will respond swiftly,"]),
        ({"contains": "nato THREAT"}, ["that NATO expansion was a threat"]),
        ({"contains": "threat agreed"}, []),
        ({"limit": 1}, ["Nothing was agreed,"]),
    ],
)
def test_statement_filters(filled: Store, filters: dict, expected: list[str]) -> None:
    assert [s["content"] for s in filled.statements(**filters)] == expected


def test_statement_records_follow_the_schema_and_keep_provenance(filled: Store) -> None:
    check = validator("statement")
    records = filled.statements()
    for record in records:
        check.validate(record)
    told = next(r for r in records if r["cue"] == "told")
    assert told["speaker"] == "Sergey Lavrov"
    assert told["speaker_mention"] == "Lavrov"
    assert told["addressee"] == "Antony Blinken"
    assert told["about"] == ["NATO"]
    assert told["sentence"] == "Lavrov told Blinken that NATO expansion was a threat."
    assert (told["date"], told["date_basis"], told["reported"]) == (None, "reported", "2022-02-24")
    assert told["source"]["path"] == "b.txt"
    agreed = next(r for r in records if r["content"].startswith("Nothing"))
    assert (agreed["date"], agreed["date_basis"], agreed["date_value"]) == (
        "2022-02-20",
        "stated",
        "2022-02-20",
    )


@pytest.mark.parametrize(
    "contains, expected", [("RESPOND", 1), ("was a threat", 1), ("was a", 2), ("100%", 0)]
)
def test_contains_falls_back_to_substring_match(
    filled: Store, contains: str, expected: int
) -> None:
    with filled.engine.connect() as conn:
        assert len(statement_records(conn, False, contains=contains)) == expected


# -- events -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({}, ["MEET", "WARN", "STATEMENT", "STATEMENT"]),
        ({"actors": "Russia"}, ["WARN"]),
        ({"actors": ["lavrov"], "types": "MEET"}, ["MEET"]),
        ({"types": ["STATEMENT", "WARN"]}, ["WARN", "STATEMENT", "STATEMENT"]),
        ({"since": D(2022, 1, 31), "until": D(2022, 1, 31)}, ["MEET"]),  # month overlaps
        ({"since": D(2022, 2, 1), "until": D(2022, 2, 21)}, ["WARN", "STATEMENT"]),
        ({"sources": "b.txt"}, ["MEET", "STATEMENT"]),
        ({"sources": []}, []),
        ({"limit": 2}, ["MEET", "WARN"]),
    ],
)
def test_event_filters(filled: Store, filters: dict, expected: list[str]) -> None:
    assert [e["type"] for e in filled.events(**filters)] == expected


def test_event_records_follow_the_schema(filled: Store) -> None:
    check = validator("event")
    records = filled.events()
    for record in records:
        check.validate(record)
    meet = records[0]
    assert meet["date"] == {
        "value": "2022-01",
        "start": "2022-01-01",
        "end": "2022-01-31",
        "granularity": "month",
        "basis": "stated",
    }
    assert meet["actors"] == [
        {"name": "Antony Blinken", "role": "participant", "kind": "person"},
        {"name": "Sergey Lavrov", "role": "participant", "kind": "person"},
    ]
    told = next(r for r in records if r["trigger"] == "told")
    statement = next(s for s in filled.statements() if s["cue"] == "told")
    assert told["statement"] == statement["id"]
    assert filled.events(sources=told["source"]["id"])[-1]["id"] == told["id"]


# -- profiles ---------------------------------------------------------------------------


def test_actor_profile_lists_facts_and_counterparts(filled: Store) -> None:
    profile = filled.actor_profile("blinken")
    validator("actor").validate(profile["actor"])
    assert profile["actor"]["name"] == "Antony Blinken"
    assert [s["content"] for s in profile["statements"]] == ["We will respond swiftly,"]
    assert [e["type"] for e in profile["events"]] == ["MEET", "WARN", "STATEMENT", "STATEMENT"]
    assert profile["counterparts"] == [
        {"name": "Sergey Lavrov", "kind": "person", "events": 2, "statements": 1, "count": 3},
        {"name": "Russia", "kind": "country", "events": 1, "statements": 1, "count": 2},
    ]


@pytest.mark.parametrize("name, message", [("Nobody", "no actor"), ("Smith", "several actors")])
def test_actor_profile_refuses_unknown_or_ambiguous_names(
    store: Store, name: str, message: str
) -> None:
    for i, smith in enumerate(("Anna Smith", "John Smith")):
        store.add_article(
            *make(
                [f"{smith} spoke {i}."],
                actors=((smith, "person", ("Smith",), ()),),
                path=f"s{i}.txt",
            )
        )
    with pytest.raises(NotFoundError, match=message):
        store.actor_profile(name)


@pytest.mark.parametrize(
    "since, until, found",
    [
        (D(2021, 6, 1), D(2021, 6, 30), ["year", "month"]),  # inside both
        (D(2021, 12, 31), None, ["year"]),  # long interval ending on `since`
        (D(2021, 7, 1), D(2021, 7, 1), ["year"]),
        (None, D(2020, 12, 31), []),
        (D(2022, 1, 1), None, []),
    ],
)
def test_date_windows_overlap_long_and_short_intervals(
    store: Store, since: dt.date | None, until: dt.date | None, found: list[str]
) -> None:
    spans = {
        "year": EventDate("2021", "2021-01-01", "2021-12-31", "year", "stated"),
        "month": EventDate("2021-06", "2021-06-01", "2021-06-30", "month", "stated"),
    }
    art, parsed = make(
        ["It grew in 2021.", "It peaked in June 2021."],
        published=None,
        events=(
            {"type": "year", "trigger": "grew", "date": spans["year"]},
            {"type": "month", "trigger": "peaked", "date": spans["month"]},
        ),
    )
    store.add_article(art, parsed)
    assert [e["type"] for e in store.events(since=since, until=until)] == found


def test_upgrade_from_0001_marks_long_intervals(db_url: str) -> None:
    from alembic import command

    from kb.store.engine import make_engine
    from kb.store.migrate import alembic_config

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), "0001")
        conn.execute(
            text(
                "INSERT INTO articles (id, hash, format, text, ingested_at) "
                "VALUES (1, 'h', 'text', 't', CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO events (article_id, type, predicate, trigger_text, trigger_start, "
                "trigger_end, negated, hypothetical, date_start, date_end) VALUES "
                "(1, 'year', 'p', 't', 0, 1, false, false, '2021-01-01', '2021-12-31'), "
                "(1, 'day', 'p', 't', 0, 1, false, false, '2021-06-01', '2021-06-01')"
            )
        )
    engine.dispose()
    with Store.open(db_url) as store:
        with store.engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            rows = conn.execute(text("SELECT type, date_long FROM events ORDER BY type"))
            assert [(t, bool(flag)) for t, flag in rows] == [("day", False), ("year", True)]
        assert [e["type"] for e in store.events(since=D(2021, 7, 1))] == ["year"]


def test_get_article_finds_a_stored_article_by_identity(filled: Store) -> None:
    art, _ = article_a()
    assert filled.get_article(art.id) == {
        "id": art.id,
        "published": "2022-02-21",
        "title": "A.TXT",
        "path": "a.txt",
    }
    assert filled.get_article("0" * 32) is None


# -- order and pages ----------------------------------------------------------------------

ANN = ("Ann Lee", "person", ("Ann",), ())


def _paging_articles() -> list[tuple[Article, ParsedArticle]]:
    """Two undated statements (stored first, so their ids are lower) and three dated
    ones, two on the same day; one event per statement, dated like it."""

    def article(
        words: list[str], published: str | None, dates: dict[str, EventDate], path: str
    ) -> tuple[Article, ParsedArticle]:
        return make(
            [f"Ann said {w} here." for w in words],
            published=published,
            actors=(ANN,),
            quotes=tuple(
                {
                    "speaker": "Ann Lee",
                    "mention": "Ann",
                    "content": w,
                    "cue": "said",
                    "date": dates.get(w),
                }
                for w in words
            ),
            events=tuple(
                {
                    "type": w.upper(),
                    "trigger": w,
                    "actors": [("Ann Lee", "speaker")],
                    **({"date": dates[w]} if w in dates else {}),
                }
                for w in words
            ),
            path=path,
        )

    return [
        article(["u1", "u2"], None, {}, "u.txt"),
        article(["d1", "d2", "d3"], "2022-03-01", {"d1": day("2022-02-20")}, "d.txt"),
    ]


@pytest.fixture(scope="module", params=BACKENDS)
def paged(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A store holding the :func:`_paging_articles` (read-only tests)."""

    def fill(opened: Store) -> None:
        for art, parsed in _paging_articles():
            assert opened.add_article(art, parsed).status == "new"

    if request.param == "postgres":
        with pg_schema() as url, Store.open(url) as opened:
            fill(opened)
            yield opened
        return
    with empty_store("sqlite", tmp_path_factory.mktemp("paged"), request) as opened:
        fill(opened)
        yield opened


OLDEST = ["d1", "d2", "d3", "u1", "u2"]  # by date, same day by id, undated last
NEWEST = ["d3", "d2", "d1", "u2", "u1"]  # reversed, undated still last


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({}, OLDEST),
        ({"newest_first": True}, NEWEST),
        ({"limit": 2}, ["d1", "d2"]),
        ({"limit": 2, "newest_first": True}, ["d3", "d2"]),
        ({"limit": 2, "offset": 2}, ["d3", "u1"]),  # a page across dated and undated
        ({"limit": 2, "offset": 3, "newest_first": True}, ["u2", "u1"]),
        ({"limit": 2, "offset": 4}, ["u2"]),  # past the dated rows: counted, then skipped
        ({"limit": 2, "offset": 9}, []),
        ({"offset": 3}, ["u1", "u2"]),  # no limit: every row after the offset
        ({"limit": 0}, []),
        ({"since": D(2022, 1, 1), "newest_first": True}, ["d3", "d2", "d1"]),
        ({"since": D(2022, 1, 1), "limit": 1, "offset": 1}, ["d2"]),
        # a window open at the end a page starts from: one walk down the date index
        ({"since": D(2022, 2, 21), "newest_first": True, "limit": 5}, ["d3", "d2"]),
        ({"since": D(2022, 2, 21), "newest_first": True, "limit": 1, "offset": 1}, ["d2"]),
        ({"until": D(2022, 2, 25), "limit": 5}, ["d1"]),
        ({"until": D(2022, 3, 1), "limit": 2, "offset": 1}, ["d2", "d3"]),
        ({"since": D(2022, 2, 20), "until": D(2022, 2, 20), "newest_first": True}, ["d1"]),
        ({"who": "Ann", "limit": 4, "newest_first": True}, NEWEST[:4]),
        ({"contains": "d2"}, ["d2"]),
    ],
)
def test_statement_order_and_pages(paged: Store, filters: dict, expected: list[str]) -> None:
    assert [s["content"] for s in paged.statements(**filters)] == expected


@pytest.mark.parametrize("newest_first", [False, True])
@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_pages_put_together_are_the_whole_list(paged: Store, newest_first: bool, size: int) -> None:
    whole = [s["id"] for s in paged.statements(newest_first=newest_first)]
    pages = [
        s["id"]
        for offset in range(0, len(whole) + size, size)
        for s in paged.statements(limit=size, offset=offset, newest_first=newest_first)
    ]
    assert pages == whole
    events = [e["id"] for e in paged.events(newest_first=newest_first)]
    event_pages = [
        e["id"]
        for offset in range(0, len(events) + size, size)
        for e in paged.events(limit=size, offset=offset, newest_first=newest_first)
    ]
    assert event_pages == events


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({}, ["D1", "D2", "D3", "U1", "U2"]),
        ({"newest_first": True, "limit": 4}, ["D3", "D2", "D1", "U2"]),
        ({"types": ["U1", "D2"], "newest_first": True}, ["D2", "U1"]),
        ({"actors": "Ann", "limit": 1, "offset": 3}, ["U1"]),
        ({"sources": "u.txt", "newest_first": True}, ["U2", "U1"]),
        ({"until": D(2022, 3, 1), "newest_first": True, "limit": 2}, ["D3", "D2"]),
    ],
)
def test_event_order_and_pages(paged: Store, filters: dict, expected: list[str]) -> None:
    assert [e["type"] for e in paged.events(**filters)] == expected


def test_profile_limit_keeps_the_newest_facts_and_every_count(filled: Store) -> None:
    whole = filled.actor_profile("Lavrov")
    newest = filled.actor_profile("Lavrov", limit=1)
    assert [s["content"] for s in whole["statements"]] == [
        "Nothing was agreed,",
        "that NATO expansion was a threat",
    ]
    assert [s["content"] for s in newest["statements"]] == ["that NATO expansion was a threat"]
    assert [e["type"] for e in newest["events"]] == ["STATEMENT"]
    assert newest["actor"] == whole["actor"]
    assert newest["actor"]["statements"] == 2
    # the most frequent counterparts, counted over everything
    assert newest["counts"] == whole["counts"]
    assert newest["counts"]["counterparts"] == len(whole["counterparts"]) == 2
    assert newest["counterparts"] == whole["counterparts"][:1]


@pytest.mark.parametrize(
    "table, index, columns",
    [
        # the group column last: listing one row per claim or event reads the index only
        ("statements", "ix_statements_date_order", ["date_start", "id", "claim_id"]),
        ("events", "ix_events_date_order", ["date_start", "order_key", "id", "cluster_id"]),
        ("statements", "ix_statements_speaker_date",
         ["speaker_id", "date_start", "id", "claim_id"]),
        ("statements", "ix_statements_date",
         ["date_long", "date_start", "date_end", "id", "claim_id"]),
        ("events", "ix_events_date", ["date_long", "date_start", "date_end", "id", "cluster_id"]),
    ],
)
def test_head_indexes_read_ids_in_date_order(
    store: Store, table: str, index: str, columns: list[str]
) -> None:
    from sqlalchemy import inspect

    with store.engine.connect() as conn:
        found = {ix["name"]: ix["column_names"] for ix in inspect(conn).get_indexes(table)}
    assert found[index] == columns


def test_the_head_constant_is_the_newest_migration(tmp_path):
    """Store.open checks a database against HEAD without loading Alembic: it must name
    the newest migration file, and a database at head opens without importing it."""
    import subprocess
    import sys

    from kb.store.migrate import HEAD

    assert HEAD == head_revision()
    url = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    Store.open(url).close()  # created and migrated
    code = ("import sys; from kb.store import Store; Store.open(sys.argv[1]).close(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'networkx')))")
    out = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
