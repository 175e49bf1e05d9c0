"""The per-actor counts kept at write time (kb/store/counts.py) equal a count from
scratch after every kind of change: ingest (with late merging), replace, curation
(merge, split, rename, alias), delete and reconsolidation; on SQLite and PostgreSQL.

The count from scratch is computed here in Python from the stored facts, not with the
store's own queries, and every profile number is checked against it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import pytest
from sqlalchemy import text

from kb.store import Store
from kb.store.counts import recount

from .conftest import migrate, run
from .test_store import BLINKEN, LAVROV, RUSSIA, article_a, article_b, day, make

Tables = dict[str, set[tuple[Any, ...]]]


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def _rows(conn: Any, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(text(sql))]


def stored(store: Store) -> Tables:
    """The four counts tables as sets of rows (days as ISO text)."""
    with store.engine.connect() as conn:
        return stored_in(conn)


def stored_in(conn: Any) -> Tables:
    return {
        "counts": set(_rows(conn, "SELECT actor_id, mentions, statements, about, events, "
                                  "articles FROM actor_counts")),
        "days": {(a, _iso(d), s, e) for a, d, s, e in _rows(
            conn, "SELECT actor_id, day, statements, events FROM actor_days")},
        "kinds": set(_rows(conn, "SELECT actor_id, facet, value, events "
                                 "FROM actor_event_kinds")),
        "pairs": set(_rows(conn, "SELECT actor_id, other_id, events, statements, total "
                                 "FROM actor_pairs")),
    }


def from_scratch(store: Store) -> Tables:
    """The same tables counted in Python from the facts: reports, one per article."""
    with store.engine.connect() as conn:
        mentions = _rows(conn, "SELECT actor_id, article_id FROM mentions")
        statements = _rows(conn, "SELECT id, article_id, speaker_id, addressee_id, "
                                 "date_start FROM statements")
        about = _rows(conn, "SELECT statement_id, actor_id FROM statement_about")
        roles = _rows(conn, "SELECT r.event_id, r.actor_id, r.role, e.article_id, e.type, "
                            "e.date_start FROM event_actors r JOIN events e ON e.id = r.event_id")
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    articles: dict[int, set[int]] = defaultdict(set)
    days: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    kinds: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    pairs: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    for actor, article in mentions:
        counts[actor]["mentions"] += 1
        articles[actor].add(article)
    topics: dict[int, list[int]] = defaultdict(list)
    for statement, actor in about:
        topics[statement].append(actor)
        counts[actor]["about"] += 1
    for sid, article, speaker, addressee, start in statements:
        if speaker is not None:
            counts[speaker]["statements"] += 1
            articles[speaker].add(article)
            if start is not None:
                days[speaker, _iso(start)]["statements"] += 1
        links = [(speaker, t) for t in topics[sid]] + [(t, speaker) for t in topics[sid]]
        links += [(speaker, addressee), (addressee, speaker)]
        for a, b in links:
            if a is not None and b is not None and a != b:
                pairs[a, b]["statements"] += 1
    events: dict[int, set[int]] = defaultdict(set)
    dated: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for event, actor, role, article, type_, start in roles:
        events[actor].add(event)
        articles[actor].add(article)
        kinds[actor, "role", role].add(event)
        kinds[actor, "type", type_].add(event)
        if start is not None:
            dated[actor].add((event, _iso(start)))
    for actor, found in events.items():
        counts[actor]["events"] = len(found)
    for actor, found_days in dated.items():
        for _, d in found_days:
            days[actor, d]["events"] += 1
    members: dict[int, set[int]] = defaultdict(set)
    for event, actor, *_ in roles:
        members[event].add(actor)
    for actors in members.values():
        for a in actors:
            for b in actors - {a}:
                pairs[a, b]["events"] += 1
    return {
        "counts": {(a, c["mentions"], c["statements"], c["about"], c["events"],
                    len(articles[a])) for a, c in counts.items() if any(c.values())}
        | {(a, 0, 0, 0, 0, len(arts)) for a, arts in articles.items() if a not in counts},
        "days": {(a, d, c["statements"], c["events"]) for (a, d), c in days.items()},
        "kinds": {(*k, len(v)) for k, v in kinds.items()},
        "pairs": {(a, b, c["events"], c["statements"], c["events"] + c["statements"])
                  for (a, b), c in pairs.items()},
    }


def check(store: Store) -> Tables:
    """The stored counts are the counts from scratch; and so is a recount."""
    found = stored(store)
    assert found == from_scratch(store)
    with store.engine.connect() as conn, conn.begin() as tx:
        recount(conn)
        again = stored_in(conn)
        tx.rollback()
    assert again == found
    return found


def profile_matches(store: Store, name: str) -> None:
    """Every number of the actor's profile is the count from scratch."""
    profile = store.actor_profile(name)
    with store.engine.connect() as conn:
        actor_id = conn.execute(text("SELECT id FROM actors WHERE name = :n"),
                                {"n": profile["actor"]["name"]}).scalar_one()
        names = dict(_rows(conn, "SELECT id, name FROM actors"))
    scratch = from_scratch(store)
    (mine,) = [r for r in scratch["counts"] if r[0] == actor_id] or [(actor_id, 0, 0, 0, 0, 0)]
    actor = profile["actor"]
    assert (actor["mentions"], actor["statements"], profile["counts"]["about"],
            actor["events"], actor["articles"]) == mine[1:]
    mine_days = sorted(d for a, d, *_ in scratch["days"] if a == actor_id)
    assert profile["counts"]["first"] == (mine_days[0] if mine_days else None)
    assert [(a["day"], a["statements"], a["events"]) for a in store.actor_activity(name)] == [
        (d, s, e) for a, d, s, e in sorted(scratch["days"], key=lambda r: r[1])
        if a == actor_id]
    assert profile["counts"]["last"] == (mine_days[-1] if mine_days else None)
    for facet, key in (("role", "roles"), ("type", "types")):
        assert profile["counts"][key] == {v: n for a, f, v, n in scratch["kinds"]
                                          if a == actor_id and f == facet}
    others = sorted(((-t, names[b]), {"name": names[b], "events": e, "statements": s,
                                      "count": t})
                    for a, b, e, s, t in scratch["pairs"] if a == actor_id)
    assert [{k: c[k] for k in ("name", "events", "statements", "count")}
            for c in profile["counterparts"]] == [o for _, o in others]
    assert profile["counts"]["counterparts"] == len(others)
    assert profile["counts"]["of"] == "reports"


RUSSIAN_FEDERATION = ("Russian Federation", "country", (), ())


def article_c() -> tuple[Any, Any]:
    """Blinken both speaks and acts in one event; a second name for Russia."""
    return make(
        ["Blinken said he would call the Russian Federation on Sunday.",
         "Lavrov warned Blinken on Sunday."],
        published="2022-02-22",
        actors=(("Blinken", "person", (), ()), RUSSIAN_FEDERATION, ("Lavrov", "person", (), ())),
        quotes=({"speaker": "Blinken", "mention": "Blinken", "content": "he would call",
                 "cue": "said", "direct": False, "about": ["Russian Federation"]},),
        events=(
            {"type": "STATEMENT", "trigger": "said", "quote": 0,
             "actors": [("Blinken", "speaker"), ("Blinken", "agent"),
                        ("Russian Federation", "topic")], "date": day("2022-02-20")},
            {"type": "WARN", "trigger": "warned", "date": day("2022-02-20"),
             "actors": [("Lavrov", "agent"), ("Blinken", "target")]},
        ),
        path="c.txt",
    )


def test_counts_follow_every_change(db_url: str) -> None:
    with Store.open(db_url) as store:
        # B names only "Blinken": A, with the full name, moves B's facts to him late
        for art, parsed in (article_b(), article_c(), article_a()):
            assert store.add_article(art, parsed).status == "new"
        found = check(store)
        assert found["counts"] and found["pairs"] and found["days"] and found["kinds"]
        assert store.resolve_actor("Blinken") == ["Antony Blinken"]
        profile_matches(store, "Antony Blinken")

        # re-dated: the article's rows are replaced
        art, parsed = article_b()
        moved = make(
            [parsed.text[s:e] for s, e in parsed.sentences], published="2022-02-26",
            actors=(("Blinken", "person", (), ("Secretary",)), LAVROV, ("NATO",
                    "organization", (), ())), path="b.txt")
        assert moved[0].id == art.id
        assert store.add_article(*moved, replace=True).status == "replaced"
        check(store)
        assert store.add_article(art, parsed, replace=True).status == "replaced"
        check(store)

        # curation: merge, rename, alias, split
        store.add_actor_rule("merge", "Russia", "Russian Federation")
        check(store)
        profile_matches(store, "Russia")
        store.add_actor_rule("rename", "Sergey Lavrov", "Sergei Lavrov")
        store.add_actor_rule("alias", "Sergei Lavrov", "Minister Lavrov")
        check(store)
        store.add_actor_rule("split", "Antony Blinken", "Blinken")
        found = check(store)
        profile_matches(store, "Antony Blinken")
        profile_matches(store, "Sergei Lavrov")
        assert len({a for a, *_ in found["counts"]}) >= 4

        # delete: what the article gave goes, and actors nobody refers to
        assert store.delete_article(article_a()[0].id) is True
        assert store.delete_article(article_a()[0].id) is False
        check(store)
        profile_matches(store, "Blinken")
        # and back again, then the groups and counts rebuilt from scratch
        store.add_article(*article_a())
        before = check(store)
        store.reconsolidate()
        assert check(store) == before


def test_a_new_database_and_reconsolidate_fill_the_counts(db_url: str) -> None:
    with Store.open(db_url) as store:
        for art, parsed in (article_a(), article_b()):
            store.add_article(art, parsed)
        expected = check(store)
        with store.engine.begin() as conn:
            for table in ("actor_pairs", "actor_event_kinds", "actor_days", "actor_counts"):
                conn.execute(text(f"DELETE FROM {table}"))
        assert stored(store) == {k: set() for k in expected}
        store.reconsolidate()
        assert check(store) == expected


def test_upgrade_to_0009_fills_the_counts_of_an_older_database(db_url: str) -> None:
    with Store.open(db_url) as store:
        for art, parsed in (article_b(), article_c(), article_a()):
            store.add_article(art, parsed)
        expected = check(store)
    migrate(db_url, "0008")
    migrate(db_url, "head")
    with Store.open(db_url) as store:
        assert check(store) == expected


@pytest.mark.parametrize("limit", [1, 2, None])
def test_profile_counterparts_are_the_most_frequent(db_url: str, limit: int | None) -> None:
    with Store.open(db_url) as store:
        for art, parsed in (article_a(), article_b(), article_c()):
            store.add_article(art, parsed)
        whole = store.actor_profile("Antony Blinken")
        cut = store.actor_profile("Antony Blinken", limit=limit)
    assert len(whole["counterparts"]) == whole["counts"]["counterparts"] >= 3
    counts = [c["count"] for c in whole["counterparts"]]
    assert counts == sorted(counts, reverse=True)
    assert cut["counterparts"] == whole["counterparts"][:limit]
    assert cut["counts"] == whole["counts"] and cut["actor"] == whole["actor"]


def test_counts_are_of_reports(db_url: str) -> None:
    """One quotation in two articles is one claim and two reports: counted twice."""
    with Store.open(db_url) as store:
        for path, published in (("x.txt", "2022-02-21"), ("y.txt", "2022-02-22")):
            store.add_article(*make(
                [f'"We will respond swiftly to any attack," Blinken said ({path}).'],
                published=published, actors=(BLINKEN, RUSSIA),
                quotes=({"speaker": "Antony Blinken", "mention": "Blinken",
                         "content": "We will respond swiftly to any attack,",
                         "cue": "said"},), path=path))
        assert len(store.statements(who="Blinken")) == 1  # one claim
        profile = store.actor_profile("Blinken")
        assert profile["actor"]["statements"] == 2 and profile["counts"]["of"] == "reports"
        check(store)


def busy_articles() -> list[tuple[Any, Any]]:
    """Forty days, three events a day: "Busy Actor" in two of them, a rare actor in the
    third; the busy actor's events stop after day 30 (the newest days are not his)."""
    out = []
    for n in range(40):
        published = (dt.date(2022, 1, 1) + dt.timedelta(days=n)).isoformat()
        other = f"Rare Person{n}"
        sentences = [f"Busy Actor met {other}.", f"Busy Actor warned {other}.",
                     f"{other} visited Lyon."]
        busy = n < 30
        who = ("Busy Actor", "person", (), ()) if busy else ("Quiet Actor", "person", (), ())
        sentences = [s.replace("Busy Actor", who[0]) for s in sentences]
        out.append(make(
            sentences, published=published, path=f"day{n}.txt",
            actors=(who, (other, "person", (), ())),
            events=(
                {"type": "MEET", "trigger": "met", "date": day(published),
                 "actors": [(who[0], "participant"), (other, "participant")]},
                {"type": "WARN", "trigger": "warned", "date": day(published),
                 "actors": [(who[0], "agent"), (other, "target")]},
                {"type": "VISIT", "trigger": "visited", "date": day(published),
                 "actors": [(other, "agent")]},
            )))
    return out


@pytest.mark.parametrize("chunk", [2_000, 4])
def test_pages_of_a_busy_actor_are_those_of_the_whole_list(db_url: str, chunk: int,
                                                           monkeypatch: Any) -> None:
    """A busy actor's newest events are found walking all events in date order (the
    counts say it is cheaper), tested for the actor ``chunk`` at a time; the pages are
    the same as cut from the whole list."""
    from kb.store import event_queries
    from kb.store.event_queries import _busy_actor_page

    monkeypatch.setattr(event_queries, "_INVOLVED_CHUNK", chunk)

    with Store.open(db_url) as store:
        for art, parsed in busy_articles():
            store.add_article(art, parsed)
        for reports in (False, True):
            for newest in (True, False):
                whole = [e["id"] for e in store.events(actors="Busy Actor", reports=reports,
                                                       newest_first=newest)]
                assert len(whole) == 60
                for limit, offset in ((1, 0), (3, 0), (5, 2), (7, 50), (10, 55), (20, 0)):
                    page = store.events(actors="Busy Actor", limit=limit, offset=offset,
                                        newest_first=newest, reports=reports)
                    assert [e["id"] for e in page] == whole[offset:offset + limit]
        # the walk is taken for small pages, given up (None) when it grows too long
        from kb.store.event_queries import _event_ids

        with store.engine.connect() as conn:
            busy = conn.execute(text("SELECT id FROM actors WHERE name = 'Busy Actor'")
                                ).scalar_one()

            def page(limit: int, newest: bool, step: int) -> list[int] | None:
                def walk(dated: Any) -> Any:
                    return _event_ids(conn.dialect.name, False, False, False, False,
                                      False, False, dated, newest, True, False, groups=True)

                return _busy_actor_page(conn, walk, {"actor_ids": [busy]}, limit, 0,
                                        False, True, least_step=step)

            whole = [e["id"] for e in store.events(actors="Busy Actor")]
            assert page(1, True, 512) == whole[-1:]  # one step reads all 120 events
            assert page(40, True, 512) is None  # reading his 60 events is cheaper
            # in steps of 4, the 30 newest events (not his) outgrow the walk's budget
            assert page(1, True, 4) is None
            assert page(3, False, 4) == whole[:3]  # the oldest are his


def test_counts_after_a_real_ingest_curation_and_reprocess(db_url: str, corpus: Any) -> None:
    """The demo corpus as the parser reads it (several roles per event, addressees,
    late merging), then curation and `kb reprocess --all`, through the command line."""
    run("ingest", str(corpus), db=db_url)
    with Store.open(db_url) as store:
        found = check(store)
        busiest = max(found["counts"], key=lambda r: r[4])[0]
        names = {r["name"] for r in store.actors()}
    assert {"Antony Blinken", "Vladimir Putin"} <= names
    run("actors", "merge", "Vladimir Putin", "Russia", db=db_url)
    run("actors", "split", "Antony Blinken", "--name", "Blinken", db=db_url)
    with Store.open(db_url) as store:
        check(store)
        profile_matches(store, "Vladimir Putin")
    run("reprocess", "--all", db=db_url)
    with Store.open(db_url) as store:
        check(store)
        with store.engine.connect() as conn:
            name = conn.execute(text("SELECT name FROM actors WHERE id = :i"),
                                {"i": busiest}).scalar()
        if name is not None:
            profile_matches(store, name)
