"""Query speed: the Store API against the same queries written as plain SQL.

Bulk-builds a synthetic knowledge base (1,000,000 events, 200,000 statements, 50,000
actors at ``--scale 1``; bulk inserts, not ``add_article``) on SQLite and, when
``--pg URL`` or ``KB_TEST_POSTGRES_URL`` is given, on PostgreSQL, then times who-said
queries (by speaker, by a one-week date window, by words), an actor profile and the
events of a one-month window (what the graph is built from), each through the Store
API and as plain SQL on the raw driver connection, and prints p50/p95 and their ratio.

    python benchmarks/query.py --scale 0.05          # quick
    python benchmarks/query.py --results benchmarks/RESULTS.md   # full, recorded
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from kb.graph import period_graph  # noqa: E402
from kb.store import Store  # noqa: E402
from kb.store.counts import recount  # noqa: E402
from kb.store.engine import run_write  # noqa: E402

FULL = {"events": 1_000_000, "statements": 200_000, "actors": 50_000}
EVENTS_PER_ARTICLE = 20
SENTENCES_PER_ARTICLE = 10
DAYS = 4 * 365
START = dt.date(2019, 1, 1)
TYPES = ("MEET", "WARN", "ACCUSE", "DENY", "VISIT", "CALL", "SANCTION", "ATTACK", "SAY", "SIGN")
KINDS = ("person", "person", "person", "organization", "country", "group")
WORDS = [f"w{n:04d}" for n in range(2000)]
BATCH = 20_000
#: The page size timed for paged queries (what `kb said` shows by default).
PAGE = 100
#: The actor in most facts (the heavy tail of :func:`skewed` starts at actor 1).
BUSIEST = "Actor 1"


# -- building -------------------------------------------------------------------------


def skewed(rng: random.Random, n: int) -> int:
    """A heavy-tailed pick in [0, n): a few actors are in many facts, most in few."""
    return min(n - 1, int(n * rng.random() ** 3))


def rows(counts: dict[str, int], seed: int = 7) -> Iterator[tuple[str, list[str], list[tuple]]]:
    """(table, columns, rows) batches of the synthetic KB, in foreign-key order."""
    rng = random.Random(seed)
    n_actors, n_events, n_statements = counts["actors"], counts["events"], counts["statements"]
    n_articles = max(1, n_events // EVENTS_PER_ARTICLE)
    now = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    yield (
        "actors",
        ["id", "name", "kind", "key"],
        [(i, f"Actor {i}", KINDS[i % len(KINDS)], f"actor {i}") for i in range(1, n_actors + 1)],
    )
    yield (
        "actor_aliases",
        ["id", "actor_id", "alias", "key"],
        [(i, i, f"A{i}", f"a{i}") for i in range(1, n_actors + 1)],
    )
    published = [START + dt.timedelta(days=rng.randrange(DAYS)) for _ in range(n_articles)]
    yield (
        "articles",
        ["id", "hash", "title", "path", "published", "format", "text", "ingested_at"],
        [
            (
                i,
                f"{i:032x}",
                f"Article {i}",
                f"synthetic/{i}.txt",
                published[i - 1],
                "text",
                f"Synthetic article {i}.",
                now,
            )
            for i in range(1, n_articles + 1)
        ],
    )
    yield (
        "sentences",
        ["id", "article_id", "start", "end", "text"],
        [
            (
                (a - 1) * SENTENCES_PER_ARTICLE + k + 1,
                a,
                k * 80,
                k * 80 + 79,
                f"Sentence {k} of article {a}.",
            )
            for a in range(1, n_articles + 1)
            for k in range(SENTENCES_PER_ARTICLE)
        ],
    )

    def when(article: int) -> tuple[str | None, dt.date, dt.date, str, str]:
        day = published[article - 1]
        if rng.random() < 0.3:
            stated = day - dt.timedelta(days=rng.randrange(7))
            return stated.isoformat(), stated, stated, "day", "stated"
        return day.isoformat(), day, day, "day", "reported"

    statements, about, mentions = [], [], []
    for i in range(1, n_statements + 1):
        article = rng.randrange(1, n_articles + 1)
        speaker = skewed(rng, n_actors) + 1
        content = " ".join(rng.choice(WORDS) for _ in range(12))
        value, start, end, gran, basis = when(article)
        sentence = (article - 1) * SENTENCES_PER_ARTICLE + rng.randrange(SENTENCES_PER_ARTICLE) + 1
        statements.append(
            (
                i,
                article,
                sentence,
                speaker,
                f"Actor {speaker}",
                0,
                9,
                "said",
                content,
                0,
                len(content),
                True,
                value,
                start,
                end,
                gran,
                basis,
                i,
            )
        )
        about.append((i, rng.randrange(1, n_actors + 1)))
        mentions.append((i, speaker, article, sentence, 0, 9, f"Actor {speaker}"))
    yield (
        "statements",
        [
            "id",
            "article_id",
            "sentence_id",
            "speaker_id",
            "speaker_text",
            "speaker_start",
            "speaker_end",
            "cue_text",
            "content_text",
            "content_start",
            "content_end",
            "direct",
            "date_value",
            "date_start",
            "date_end",
            "date_granularity",
            "date_basis",
            "claim_id",
        ],
        statements,
    )
    yield ("statement_about", ["statement_id", "actor_id"], sorted(set(about)))
    yield (
        "mentions",
        ["id", "actor_id", "article_id", "sentence_id", "start", "end", "text"],
        mentions,
    )
    del statements, about, mentions
    for lo in range(1, n_events + 1, BATCH * 5):
        events, roles = [], []
        for i in range(lo, min(n_events + 1, lo + BATCH * 5)):
            article = (i - 1) // EVENTS_PER_ARTICLE + 1
            value, start, end, gran, basis = when(article)
            sentence = (article - 1) * SENTENCES_PER_ARTICLE + i % SENTENCES_PER_ARTICLE + 1
            events.append(
                (
                    i,
                    article,
                    sentence,
                    TYPES[i % len(TYPES)],
                    "do",
                    "did",
                    0,
                    3,
                    False,
                    False,
                    value,
                    start,
                    end,
                    gran,
                    basis,
                    i,
                )
            )
            agent = skewed(rng, n_actors) + 1
            target = skewed(rng, n_actors) + 1
            roles.append((i, agent, "agent"))
            if target != agent:
                roles.append((i, target, "target"))
        yield (
            "events",
            [
                "id",
                "article_id",
                "sentence_id",
                "type",
                "predicate",
                "trigger_text",
                "trigger_start",
                "trigger_end",
                "negated",
                "hypothetical",
                "date_value",
                "date_start",
                "date_end",
                "date_granularity",
                "date_basis",
                "cluster_id",
            ],
            events,
        )
        yield ("event_actors", ["event_id", "actor_id", "role"], roles)


def build(store: Store, counts: dict[str, int]) -> tuple[float, float]:
    """Bulk-load the synthetic KB into an empty store, then fill the per-actor counts
    (``kb.store.counts.recount``, as ``kb reconsolidate`` does); returns the seconds
    each took. Every report is its own claim or event (``claim_id``/``cluster_id`` =
    ``id``), as ingest leaves a report that matches no other."""
    began = time.perf_counter()
    raw = store.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if store.engine.dialect.name == "sqlite":
            driver.execute("PRAGMA synchronous = OFF")
            driver.execute("BEGIN IMMEDIATE")
            for table, columns, batch in rows(counts):
                quoted = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" for _ in columns)
                driver.executemany(
                    f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                    [
                        tuple(v.isoformat() if isinstance(v, dt.date) else v for v in r)
                        for r in batch
                    ],
                )
            driver.execute("COMMIT")
        else:
            with driver.cursor() as cur:
                # no row-by-row foreign key checks while loading (the rows are made
                # consistent): their cached plans, made on empty tables, scan them
                cur.execute("SET session_replication_role = replica")
                for table, columns, batch in rows(counts):
                    quoted = ", ".join(f'"{c}"' for c in columns)
                    with cur.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                        for r in batch:
                            copy.write_row(r)
                cur.execute("SET session_replication_role = DEFAULT")
            driver.commit()
    finally:
        raw.close()
    loaded = time.perf_counter()
    run_write(store.engine, recount)
    counted = time.perf_counter()
    raw = store.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if store.engine.dialect.name == "sqlite":
            driver.execute("ANALYZE")
        else:
            driver.autocommit = True
            driver.execute("VACUUM ANALYZE")
            driver.autocommit = False
    finally:
        raw.close()
    return time.perf_counter() - began, counted - loaded


# -- the same queries as plain SQL ---------------------------------------------------------

# The Store's formulation, hand-written: the ids of the matching facts first (dated ones
# in date order, then undated ones; a date window as a UNION ALL of its two ranges), then
# the record columns of those ids by primary key, with the about names (statements) or
# actor roles (events) aggregated in the row. {in_ids} is one list parameter.
STATEMENT_ROWS = """
SELECT s.id, sp.name, sp.kind, s.speaker_text, s.date_value, s.date_start,
       s.date_granularity, s.date_basis, s.content_text, s.direct, s.cue_text, s.medium_text,
       ad.name, s.addressee_text, se.text,
       (SELECT {agg}(t.name, {sep}) FROM statement_about sa JOIN actors t ON t.id = sa.actor_id
        WHERE sa.statement_id = s.id),
       a.hash, a.title, a.publisher, a.published, a.path, a.url
FROM statements s JOIN articles a ON a.id = s.article_id
LEFT JOIN sentences se ON se.id = s.sentence_id
LEFT JOIN actors sp ON sp.id = s.speaker_id
LEFT JOIN actors ad ON ad.id = s.addressee_id
WHERE s.id {in_ids}"""
EVENT_ROWS = """
SELECT e.id, e.type, e.predicate, e.trigger_text, e.negated, e.hypothetical, e.date_value,
       e.date_start, e.date_end, e.date_granularity, e.date_basis, e.statement_id, se.text,
       (SELECT {agg}(ea.role || {sub} || ac.name || {sub} || ac.kind, {sep})
        FROM event_actors ea JOIN actors ac ON ac.id = ea.actor_id WHERE ea.event_id = e.id),
       a.hash, a.title, a.publisher, a.published, a.path, a.url
FROM events e JOIN articles a ON a.id = e.article_id
LEFT JOIN sentences se ON se.id = e.sentence_id
WHERE e.id {in_ids}"""
NAME_IDS = (
    "(SELECT id FROM actors WHERE key = ? UNION SELECT actor_id FROM actor_aliases WHERE key = ?)"
)
WINDOW_IDS = (
    "SELECT id, coalesce(date_start, date_end) AS day FROM {t} WHERE date_long = false AND "
    "date_start >= ? AND date_end >= ? AND date_start <= ? UNION ALL "
    "SELECT id, coalesce(date_start, date_end) AS day FROM {t} WHERE date_long = true AND "
    "date_end >= ? AND date_start <= ? ORDER BY day{desc}, id{desc}"
)
PROFILE_SQL = [
    "SELECT id, name, kind FROM actors WHERE key = ?",
    "SELECT alias, key FROM actor_aliases WHERE actor_id = ? ORDER BY alias",
    "SELECT title FROM actor_titles WHERE actor_id = ? ORDER BY title",
    # the counts kept at write time
    "SELECT mentions, events, statements, articles, about FROM actor_counts WHERE actor_id = ?",
    "SELECT min(day), max(day) FROM actor_days WHERE actor_id = ?",
    "SELECT facet, value, events FROM actor_event_kinds WHERE actor_id = ?",
    "SELECT count(*) FROM actor_pairs WHERE actor_id = ?",
]
COUNTERPARTS = (
    "SELECT a.name, a.kind, p.events, p.statements, p.total FROM actor_pairs p "
    "JOIN actors a ON a.id = p.other_id WHERE p.actor_id = ? ORDER BY p.total DESC, a.name"
)
#: The graph of a period, read as Store.graph_records reads it: the head reports of the
#: period with the columns the graph needs, then what they share, by id.
GRAPH_EVENTS = """
SELECT id, type, predicate, trigger_text, negated, hypothetical, date_value, date_start,
       date_end, date_granularity, date_basis, statement_id, order_key, sentence_id,
       article_id, trigger_start
FROM events WHERE cluster_id = id AND {window}"""
GRAPH_STATEMENTS = """
SELECT id, speaker_id, speaker_text, date_value, date_start, date_granularity, date_basis,
       content_text, direct, cue_text, medium_text, addressee_id, addressee_text,
       sentence_id, article_id, content_start
FROM statements WHERE claim_id = id AND {window}"""
GRAPH_WINDOW = (
    "date_long = false AND date_start >= ? AND date_end >= ? AND date_start <= ?",
    "date_long = true AND date_end >= ? AND date_start <= ?",
)
GRAPH_BY_IDS = [
    "SELECT cluster_id, id FROM events WHERE cluster_id {in_ids} AND id <> cluster_id",
    "SELECT claim_id, id FROM statements WHERE claim_id {in_ids} AND id <> claim_id",
    "SELECT event_id, actor_id, role FROM event_actors WHERE event_id {in_ids}",
    "SELECT statement_id, actor_id FROM statement_about WHERE statement_id {in_ids}",
]
GRAPH_NAMES = [
    "SELECT id, name, kind FROM actors WHERE id {in_ids}",
    "SELECT id, text FROM sentences WHERE id {in_ids}",
    "SELECT id, hash, title, publisher, published, path, url FROM articles WHERE id {in_ids}",
]


class PlainSQL:
    """The Store's queries as hand-written SQL on the driver connection (tuples out)."""

    def __init__(self, store: Store) -> None:
        self.raw = store.engine.raw_connection()
        self.pg = store.engine.dialect.name == "postgresql"
        self.cur = self.raw.driver_connection.cursor()
        if self.pg:
            marks = dict(agg="string_agg", sep="chr(31)", sub="chr(30)", in_ids="= ANY(?)")
        else:
            marks = dict(
                agg="group_concat",
                sep="char(31)",
                sub="char(30)",
                in_ids="IN (SELECT value FROM json_each(?))",
            )
        self.in_ids = marks["in_ids"]
        self.statement_rows = STATEMENT_ROWS.format(**marks)
        self.event_rows = EVENT_ROWS.format(**marks)

    def run(self, sql: str, args: tuple = ()) -> list[tuple]:
        if self.pg:
            sql = sql.replace("?", "%s")
        self.cur.execute(sql, args)
        return self.cur.fetchall()

    def _ids(self, where: str, args: tuple, table: str, limit: int | None) -> list[int]:
        """Dated ids in date order (newest first when limited), then undated ones."""
        order, cut = ("DESC", f" LIMIT {limit:d}") if limit else ("", "")
        base = f"SELECT id FROM {table} WHERE {where} AND date_start "
        ids = [
            r[0]
            for r in self.run(
                base + f"IS NOT NULL ORDER BY date_start {order}, id {order}{cut}", args
            )
        ]
        if limit and len(ids) >= limit:
            return ids
        cut = f" LIMIT {limit - len(ids):d}" if limit else ""
        return ids + [r[0] for r in self.run(base + f"IS NULL ORDER BY id {order}{cut}", args)]

    def _rows(self, sql: str, ids: list[int]) -> list[tuple]:
        found: list[tuple] = []
        for i in range(0, len(ids), 5000):
            chunk = ids[i : i + 5000]
            found += self.run(sql, (chunk if self.pg else json.dumps(chunk),))
        position = {fact: i for i, fact in enumerate(ids)}
        found.sort(key=lambda r: position[r[0]])
        self.raw.driver_connection.rollback()
        return found

    def statements(self, where: str, args: tuple, limit: int | None = None) -> list[tuple]:
        return self._rows(self.statement_rows, self._ids(where, args, "statements", limit))

    def by_speaker(self, name: str, limit: int | None = None) -> list[tuple]:
        key = name.lower()
        return self.statements(f"speaker_id IN {NAME_IDS}", (key, key), limit)

    def window_ids(self, table: str, since: dt.date, until: dt.date, limit: int | None):
        sql = WINDOW_IDS.format(t=table, desc=" DESC" if limit else "")
        sql += f" LIMIT {limit:d}" if limit else ""
        return [r[0] for r in self.run(sql, self._window(since, until))]

    def by_window(self, since: dt.date, until: dt.date, limit: int | None = None) -> list[tuple]:
        ids = self.window_ids("statements", since, until, limit)
        return self._rows(self.statement_rows, ids)

    def by_text(self, words: str, limit: int | None = None) -> list[tuple]:
        if self.pg:
            where = "to_tsvector('english', content_text) @@ plainto_tsquery('english', ?)"
            return self.statements(where, (words,), limit)
        query = " ".join(f'"{w}"' for w in words.split())
        where = "id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)"
        return self.statements(where, (query,), limit)

    def latest(self, limit: int) -> list[tuple]:
        return self.statements("true", (), limit)

    def events(self, where: str, args: tuple, limit: int | None = None) -> list[tuple]:
        return self._rows(self.event_rows, self._ids(where, args, "events", limit))

    def window_events(self, since: dt.date, until: dt.date) -> list[tuple]:
        return self._rows(self.event_rows, self.window_ids("events", since, until, None))

    def profile(self, name: str, limit: int | None = None) -> list[tuple]:
        [(actor, _, _)] = self.run(PROFILE_SQL[0], (name.lower(),))
        for sql in PROFILE_SQL[1:]:
            self.run(sql, (actor,) * sql.count("?"))
        self.run(COUNTERPARTS + (f" LIMIT {limit:d}" if limit else ""), (actor,))
        self.statements("speaker_id = ?", (actor,), limit)
        where = "id IN (SELECT event_id FROM event_actors WHERE actor_id = ?)"
        return self.events(where, (actor,), limit)

    def graph_window(self, since: dt.date, until: dt.date) -> list[tuple]:
        """What Store.graph_records reads for a period, as tuples."""
        dates = self._window(since, until)
        period = dates[1:3]
        found: list[tuple] = []
        for branch, args in zip(GRAPH_WINDOW, (dates[:3], dates[3:]), strict=True):
            found += self.run(GRAPH_EVENTS.format(window=branch), args)
        published = "article_id IN (SELECT id FROM articles WHERE published BETWEEN ? AND ?)"
        found += self.run(GRAPH_EVENTS.format(window="date_start IS NULL AND " + published),
                          period)
        told = self.run(GRAPH_STATEMENTS.format(
            window="date_basis = 'stated' AND date_start BETWEEN ? AND ?"), period)
        told += self.run(GRAPH_STATEMENTS.format(
            window="date_basis <> 'stated' AND " + published), period)
        events, statements = [r[0] for r in found], [r[0] for r in told]
        self._by_ids(GRAPH_BY_IDS[0], events)
        self._by_ids(GRAPH_BY_IDS[1], statements)
        roles = self._by_ids(GRAPH_BY_IDS[2], events)
        about = self._by_ids(GRAPH_BY_IDS[3], statements)
        actors = {r[1] for r in roles} | {r[1] for r in about}
        actors |= {r[1] for r in told} | {r[11] for r in told}
        self._by_ids(GRAPH_NAMES[0], sorted(actors - {None}))
        self._by_ids(GRAPH_NAMES[1], sorted({r[13] for r in found + told} - {None}))
        self._by_ids(GRAPH_NAMES[2], sorted({r[14] for r in found + told}))
        self.raw.driver_connection.rollback()
        return found + told

    def _by_ids(self, sql: str, ids: list[int]) -> list[tuple]:
        sql = sql.format(in_ids=self.in_ids)
        found: list[tuple] = []
        for i in range(0, len(ids), 5000):
            chunk = ids[i : i + 5000]
            found += self.run(sql, (chunk if self.pg else json.dumps(chunk),))
        return found

    def _window(self, since: dt.date, until: dt.date) -> tuple:
        floor = since - dt.timedelta(days=31)
        dates = (floor, since, until, since, until)
        return dates if self.pg else tuple(d.isoformat() for d in dates)

    def close(self) -> None:
        self.raw.close()


# -- timing ---------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def measure(
    name: str, params: list[Any], api: Callable[[Any], list], sql: Callable[[Any], list]
) -> dict[str, Any]:
    """Time API and SQL alternately on the same parameters (after one warm-up each)."""
    api(params[0])
    sql(params[0])
    api_ms, sql_ms, sizes = [], [], []
    for p in params:
        t0 = time.perf_counter()
        found = api(p)
        t1 = time.perf_counter()
        sql(p)
        t2 = time.perf_counter()
        api_ms.append((t1 - t0) * 1000)
        sql_ms.append((t2 - t1) * 1000)
        sizes.append(len(found))
    a50, a95 = percentiles(api_ms)
    s50, s95 = percentiles(sql_ms)
    return {
        "query": name,
        "rows": statistics.median(sizes),
        "api_p50": a50,
        "api_p95": a95,
        "sql_p50": s50,
        "sql_p95": s95,
        "ratio_p95": a95 / s95 if s95 else float("nan"),
    }


def facts(records: tuple[list, list, list]) -> list:
    """The events and statements of ``Store.graph_records`` or ``Store.graph_facts`` (its
    rows, for the table)."""
    return [*records[0], *records[1]]


def run_queries(
    store: Store, counts: dict[str, int], repeat: int, only: str | None = None
) -> list[dict[str, Any]]:
    rng = random.Random(11)
    plain = PlainSQL(store)
    with store.engine.connect() as conn:
        speakers = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT a.name FROM statements s JOIN actors a ON a.id = s.speaker_id "
                    "ORDER BY s.id LIMIT 5000"
                )
            )
        ]
    who = [rng.choice(speakers) for _ in range(repeat)]
    weeks = [START + dt.timedelta(days=rng.randrange(DAYS - 7)) for _ in range(repeat)]
    months = [START + dt.timedelta(days=rng.randrange(DAYS - 31)) for _ in range(repeat)]
    words = [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(repeat)]
    single = [rng.choice(WORDS) for _ in range(repeat)]
    profiles = [f"Actor {skewed(rng, counts['actors']) + 1}" for _ in range(max(5, repeat // 3))]
    week = dt.timedelta(days=6)
    month = dt.timedelta(days=30)
    page = PAGE
    queries: list[tuple[str, list[Any], Callable[[Any], list], Callable[[Any], list]]] = [
        ("who-said: by speaker", who, lambda n: store.statements(who=n), plain.by_speaker),
        (
            f"who-said: by speaker, newest {page}",
            who,
            lambda n: store.statements(who=n, limit=page, newest_first=True),
            lambda n: plain.by_speaker(n, page),
        ),
        (
            "who-said: one-week window",
            weeks,
            lambda d: store.statements(since=d, until=d + week),
            lambda d: plain.by_window(d, d + week),
        ),
        (
            f"who-said: one-week window, newest {page}",
            weeks,
            lambda d: store.statements(since=d, until=d + week, limit=page, newest_first=True),
            lambda d: plain.by_window(d, d + week, page),
        ),
        ("who-said: two words", words, lambda w: store.statements(contains=w), plain.by_text),
        ("who-said: one word", single, lambda w: store.statements(contains=w), plain.by_text),
        (
            f"who-said: one word, newest {page}",
            single,
            lambda w: store.statements(contains=w, limit=page, newest_first=True),
            lambda w: plain.by_text(w, page),
        ),
        (
            f"who-said: no filter, newest {page}",
            who,
            lambda _: store.statements(limit=page, newest_first=True),
            lambda _: plain.latest(page),
        ),
        ("actor profile", profiles, store.actor_profile, plain.profile),
        (
            f"actor profile, newest {page}",
            profiles,
            lambda n: store.actor_profile(n, limit=page),
            lambda n: plain.profile(n, page),
        ),
        (
            f"actor profile, busiest, newest {page}",
            [BUSIEST] * max(5, repeat // 2),
            lambda n: store.actor_profile(n, limit=page),
            lambda n: plain.profile(n, page),
        ),
        (
            "graph: one-month events (event records, as before)",
            months[: max(5, repeat // 3)],
            lambda d: store.events(since=d, until=d + month),
            lambda d: plain.window_events(d, d + month),
        ),
        (
            "graph: one-month records",
            months[: max(5, repeat // 3)],
            lambda d: facts(store.graph_records(d, d + month)),
            lambda d: plain.graph_window(d, d + month),
        ),
        (
            "graph: one-month facts (what the graph is built from)",
            months[: max(5, repeat // 3)],
            lambda d: facts(store.graph_facts(d, d + month)),
            lambda d: plain.graph_window(d, d + month),
        ),
        (
            "graph: one-month graph",
            months[: max(5, repeat // 3)],
            lambda d: period_graph(store, since=d, until=d + month),
            lambda d: plain.graph_window(d, d + month),
        ),
    ]
    try:
        return [
            measure(name, params, api, sql)
            for name, params, api, sql in queries
            if not only or only in name
        ]
    finally:
        plain.close()


# -- reporting --------------------------------------------------------------------------


def machine(pg_version: str | None) -> str:
    mem = "?"
    try:
        kb = int(
            next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1]
        )
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or "?"
    parts = [
        f"nproc {cpu}",
        f"memory {mem}",
        f"Python {platform.python_version()}",
        f"SQLite {sqlite3.sqlite_version}",
    ]
    if pg_version:
        parts.append(f"PostgreSQL {pg_version}")
    parts.append("load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    return ", ".join(parts)


def _build_times(value: Any) -> tuple[float, float]:
    """(whole build, counts) seconds as builds.json keeps them (older runs: one number)."""
    if isinstance(value, list):
        return float(value[0]), float(value[1])
    return float(value), float("nan")


def table(
    backend: str,
    counts: dict[str, int],
    seconds: tuple[float, float],
    results: list[dict],
    load: tuple[tuple[float, ...], tuple[float, ...]],
) -> str:
    shown = ", ".join
    lines = [
        f"### {backend}: {counts['events']:,} events, {counts['statements']:,} statements, "
        f"{counts['actors']:,} actors (bulk build {seconds[0]:.0f} s, of which filling the "
        f"actor counts {seconds[1]:.0f} s)",
        "",
        f"Load average at the start of timing {shown(f'{x:.1f}' for x in load[0])}, at the "
        f"end {shown(f'{x:.1f}' for x in load[1])}.",
        "",
        "| query | rows (median) | API p50 ms | API p95 ms | SQL p50 ms | SQL p95 ms "
        "| API/SQL p95 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['query']} | {r['rows']:.0f} | {r['api_p50']:.1f} | {r['api_p95']:.1f} | "
            f"{r['sql_p50']:.1f} | {r['sql_p95']:.1f} | {r['ratio_p95']:.2f} |"
        )
    return "\n".join(lines)


def write_section(path: Path, body: str) -> None:
    """Replace (or append) the "## Query speed" section of ``path``."""
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    head, marker, rest = old.partition("## Query speed")
    tail = ""
    if marker:
        nxt = rest.find("\n## ")
        tail = rest[nxt + 1 :] if nxt >= 0 else ""
    path.write_text(head.rstrip() + "\n\n## Query speed\n\n" + body.strip() + "\n\n" + tail)


def fresh_pg(url: str, keep: str | None = None) -> tuple[str, Callable[[], None], bool]:
    """A scratch schema in the PostgreSQL database ``url``: its URL, a dropper and
    whether it already holds a built KB (only with ``keep``, a schema name reused across
    runs and never dropped)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    if base.drivername in ("postgresql", "postgres"):
        base = base.set(drivername="postgresql+psycopg")
    schema = keep or f"kb_bench_{os.getpid()}"
    admin = create_engine(base)
    with admin.begin() as conn:
        exists = (
            conn.execute(
                text(
                    "SELECT 1 FROM information_schema.tables WHERE table_schema = :s "
                    "AND table_name = 'events'"
                ),
                {"s": schema},
            ).first()
            is not None
        )
        if not (keep and exists):
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    scoped = base.update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        if not keep:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    return scoped.render_as_string(hide_password=False), drop, bool(keep and exists)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--repeat", type=int, default=40, help="timed calls per query")
    parser.add_argument(
        "--pg",
        default=os.environ.get("KB_TEST_POSTGRES_URL"),
        help="PostgreSQL URL (default $KB_TEST_POSTGRES_URL); a scratch "
        "schema is created and dropped",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="skip SQLite")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the built databases (an SQLite file in this directory, a PostgreSQL "
        "schema named after the scale) and reuse them on the next run; they are opened "
        "with Store.open, so an older build is migrated first",
    )
    parser.add_argument("--only", help="time only the queries whose name contains this")
    parser.add_argument(
        "--build-only", action="store_true", help="build (with --keep: keep) and time nothing"
    )
    parser.add_argument("--results", type=Path, help="write the section into this file")
    args = parser.parse_args()
    counts = {k: max(10, int(v * args.scale)) for k, v in FULL.items()}
    tag = f"{args.scale:g}".replace(".", "_")
    builds: dict[str, float] = {}
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        if (args.keep / "builds.json").exists():
            builds = json.loads((args.keep / "builds.json").read_text())
    sections, pg_version = [], None
    with tempfile.TemporaryDirectory() as tmp:
        targets: list[tuple[str, str, Callable[[], None], bool]] = []
        if not args.no_sqlite:
            path = (args.keep or Path(tmp)) / f"bench-{tag}.sqlite"
            built = bool(args.keep) and path.exists() and f"SQLite {tag}" in builds
            targets.append(("SQLite", f"sqlite:///{path}", lambda: None, built))
        if args.pg:
            keep = f"kb_bench_keep_{tag}" if args.keep else None
            url, drop, built = fresh_pg(args.pg, keep)
            built = built and f"PostgreSQL {tag}" in builds
            targets.append(("PostgreSQL", url, drop, built))
        for backend, url, cleanup, built in targets:
            try:
                began = time.perf_counter()
                with Store.open(url) as store:
                    opened = time.perf_counter() - began
                    if backend == "PostgreSQL":
                        with store.engine.connect() as conn:
                            pg_version = conn.execute(text("SHOW server_version")).scalar()
                    if built:
                        seconds, counted = _build_times(builds[f"{backend} {tag}"])
                        print(f"{backend}: reusing the build (opened in {opened:.1f} s)")
                    else:
                        print(f"{backend}: building {counts} ...", flush=True)
                        seconds, counted = build(store, counts)
                        if args.keep:  # another run may have recorded its build meanwhile
                            path = args.keep / "builds.json"
                            if path.exists():
                                builds.update(json.loads(path.read_text()))
                            builds[f"{backend} {tag}"] = [seconds, counted]
                            path.write_text(json.dumps(builds))
                    print(f"{backend}: built in {seconds:.1f} s (counts {counted:.1f} s)",
                          flush=True)
                    if args.build_only:
                        continue
                    before = os.getloadavg()
                    results = run_queries(store, counts, args.repeat, args.only)
                    load = (before, os.getloadavg())
                    section = table(backend, counts, (seconds, counted), results, load)
                    print(section + "\n", flush=True)
                    sections.append(section)
            finally:
                cleanup()
    body = "\n\n".join(
        [
            f"Machine: {machine(pg_version)}.",
            f"Command: `python benchmarks/query.py --scale {args.scale:g} --repeat {args.repeat}"
            + (f" --keep {args.keep}" if args.keep else "")
            + "`"
            " (API = `kb.store.Store` returning record dicts; SQL = the same queries hand-written,"
            " run on the driver connection, returning tuples). Targets: who-said p95 < 50 ms and"
            " API within 1.5x of plain SQL.",
            *sections,
        ]
    )
    if args.results:
        write_section(args.results, body)
        print(f"wrote {args.results}")


if __name__ == "__main__":
    main()
