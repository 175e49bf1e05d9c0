"""Consolidation of events read in their article: the rules that join reports which
name a happening differently ("landed", "arrived"), name no participant ("Monday's
talks in Aldmouth"), give no day of their own, or refer back to their article's
dated report ("the denial"); and the rules that keep them apart (different towns,
another day, plans). Through the command line on SQLite and PostgreSQL, as a user
runs it; the matching rules themselves as tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kb
from kb.store.sameness import (
    Actors,
    places_differ,
    predicate_forms,
    predicate_key,
    same_in_context,
)

from .conftest import run
from .test_consolidation import write_story

#: file name -> (publisher, published, body); invented people and places
STORY = {
    "wire.md": ("Northgate", "2026-03-09", (
        "President Armand Kovel of Dravonia arrived in Aldmouth on Monday morning.\n\n"
        "Kovel held three hours of talks with Marvessa's foreign minister, Elena "
        "Marchetti, at the Foreign Ministry on Monday.")),
    "radio.md": ("Radio Marvessa", "2026-03-09", (
        "President Armand Kovel of Dravonia landed at Aldmouth airport on Monday "
        "morning.\n\nElena Marchetti met President Armand Kovel in Aldmouth on Monday.")),
    "herald.md": ("Tarvik Herald", "2026-03-10", (
        "Spokesman Viktor Saranov said that the subject had not been discussed during "
        "Monday's talks in Aldmouth between Elena Marchetti and President Armand Kovel.\n\n"
        "Elena Marchetti and President Armand Kovel met again in Kerrin on Tuesday "
        "afternoon.\n\n"
        "President Armand Kovel is due to meet Elena Marchetti in Kerrin on Wednesday.")),
    "gazette.md": ("Kerrin Gazette", "2026-03-10", (
        "President Armand Kovel met Elena Marchetti at the harbour master's office in "
        "Kerrin.\n\n"
        "Later, President Armand Kovel is due to meet Elena Marchetti in Kerrin on "
        "Wednesday.")),
    "courier.md": ("Courier", "2026-03-11", (
        "Elena Marchetti and President Armand Kovel met for the second time in two "
        "days.")),
    "ministry.md": ("Northgate", "2026-03-10", (
        "Dravonia's foreign ministry on Tuesday denied that the country had agreed to pay "
        "for dredging, contradicting Elena Marchetti.\n\n"
        'Asked about the denial in Kerrin, Elena Marchetti said: "The minutes speak for '
        'themselves."')),
    "elsewhere.md": ("Courier", "2026-03-10", (
        "Elena Marchetti and President Armand Kovel met in Aldmouth on Tuesday.")),
}


def write(folder: Path, names: tuple[str, ...] = tuple(STORY)) -> list[Path]:
    return write_story(folder, names, STORY)


def events(db: str) -> list[dict]:
    return json.loads(run("events", "--all", "-f", "json", db=db).stdout)


def reports(db: str) -> set[frozenset[tuple[str, str]]]:
    """Every event group as the set of its reports' (file, trigger)."""
    return {frozenset((Path(r["source"]).name if "/" in r["source"] else r["source"],
                       r["text"]) for r in e["reports"]) for e in events(db)}


def group_of(db: str, publisher: str, trigger: str, sentence: str = "") -> dict:
    """The consolidated event holding ``publisher``'s report ``trigger``."""
    for e in events(db):
        for r in e["reports"]:
            if r["source"] == publisher and r["text"] == trigger and sentence in r["sentence"]:
                return e
    raise AssertionError(f"no report {trigger!r} from {publisher}")


def sources(event: dict) -> list[tuple[str, str]]:
    return sorted((r["source"], r["text"]) for r in event["reports"])


@pytest.fixture(scope="module")
def story_db(module_db_url, tmp_path_factory):
    """The story, ingested once per database for the tests that only read it."""
    run("ingest", *map(str, write(tmp_path_factory.mktemp("in"))), db=module_db_url)
    return module_db_url


def test_landed_and_arrived_are_one_arrival(story_db):
    arrival = group_of(story_db, "Northgate", "arrived")
    assert sources(arrival) == [("Northgate", "arrived"), ("Radio Marvessa", "landed")]


def test_talks_named_by_their_day_and_place_join_the_meeting(story_db):
    """"Monday's talks in Aldmouth" (dated by the possessive, published the next day)
    and "held talks with ... Elena Marchetti" (the partner in apposition, the host
    through the support verb) are the meeting "met in Aldmouth on Monday"."""
    monday = group_of(story_db, "Radio Marvessa", "met")
    assert sources(monday) == [("Northgate", "talks"), ("Radio Marvessa", "met"),
                               ("Tarvik Herald", "talks")]
    assert monday["date"]["start"] == "2026-03-09"


def test_meetings_in_different_towns_stay_apart(story_db):
    kerrin = group_of(story_db, "Tarvik Herald", "met")
    aldmouth = group_of(story_db, "Courier", "met", "in Aldmouth on Tuesday")
    assert kerrin["group"] != aldmouth["group"]
    assert len(aldmouth["reports"]) == 1


def test_an_undated_report_joins_the_meeting_of_its_publication_day_only(story_db):
    """The Gazette's "met" (no day, published Tuesday) is Tuesday's meeting; the
    Courier's same words published Wednesday could be of Tuesday or Wednesday: alone."""
    tuesday = group_of(story_db, "Tarvik Herald", "met")
    assert ("Kerrin Gazette", "met") in sources(tuesday)
    late = group_of(story_db, "Courier", "met", "second time")
    assert late["sources"] == 1 and len(late["reports"]) == 1


def test_the_denial_is_its_articles_dated_denial(story_db):
    denial = group_of(story_db, "Northgate", "denied")
    assert sources(denial) == [("Northgate", "denial"), ("Northgate", "denied")]


def test_plans_never_group(story_db):
    for record in events(story_db):
        if record["predicate"] == "meet" and record["date"]["start"] == "2026-03-11":
            assert len(record["reports"]) == 1, record["reports"]


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_same_groups_whatever_the_ingest_order(kind, tmp_path, postgres_url):
    """The article-context rules are read from each article alone and are symmetric:
    three orders give the same groups, and ``kb reconsolidate`` rebuilds them."""
    from .conftest import fresh_database

    names = tuple(STORY)
    found = []
    for i, order in enumerate([names, names[::-1], names[3:] + names[:3]]):
        (tmp_path / f"db{i}").mkdir()
        with fresh_database(kind, tmp_path / f"db{i}", postgres_url) as db:
            for path in write(tmp_path / f"in{i}", order):
                run("ingest", str(path), db=db)
            found.append(reports(db))
            run("reconsolidate", db=db)
            assert reports(db) == found[-1]
    assert found[0] == found[1] == found[2]


@pytest.mark.parametrize("a, b, same", [
    ("arrive", "land", True),
    ("arrival", "arrive", True),
    ("landing", "arrived", False),  # a lemma is expected: "arrived" is not one
    ("departure", "depart", True),
    ("resignation", "resign", True),
    ("death", "die", True),
    ("department", "depart", False),
    ("trial", "try", False),
    ("march", "meet", False),
])
def test_predicate_key(a: str, b: str, same: bool) -> None:
    assert (predicate_key(a) == predicate_key(b)) is same
    if same:
        assert b in predicate_forms(a) and a in predicate_forms(b)


def _actors(agents=(), named=(), places=(), context=()) -> Actors:
    everyone = frozenset(named) | frozenset(places)
    return Actors(frozenset(agents), everyone, frozenset(named), frozenset(places),
                  frozenset(context) | everyone)


@pytest.mark.parametrize("a, b, same", [
    # "the talks" in an article naming both leaders, and "A met B"
    (_actors(context={1, 2, 3}), _actors(agents={1, 2}, named={1, 2}), True),
    # ... in an article naming only one of them
    (_actors(context={1, 3}), _actors(agents={1, 2}, named={1, 2}), False),
    # two that name nobody: their articles share two actors, or not
    (_actors(context={1, 2, 5}), _actors(context={1, 2, 6}), True),
    (_actors(context={1, 5}), _actors(context={1, 6}), False),
    # "the Dravonian leader met Marchetti" (the leader unresolved) and "A met B"
    (_actors(named={2}, context={1, 2}), _actors(agents={1, 2}, named={1, 2}), True),
    # ... when the other article does not name B's partner
    (_actors(named={2}, context={2, 7}), _actors(agents={1, 2}, named={1, 2}), False),
    # two that name different people, even if each article names both
    (_actors(agents={3}, named={3}, context={1, 2, 3}),
     _actors(agents={1, 2}, named={1, 2}, context={1, 2, 3}), False),
])
def test_same_in_context(a: Actors, b: Actors, same: bool) -> None:
    assert same_in_context(a, b) is same
    assert same_in_context(b, a) is same


@pytest.mark.parametrize("a, b, differ", [
    ({10}, {11}, True),  # Aldmouth and Kerrin
    ({10}, {10, 11}, False),
    ({10}, set(), False),  # one report does not say where
])
def test_places_differ(a: set[int], b: set[int], differ: bool) -> None:
    assert places_differ(_actors(places=a), _actors(places=b)) is differ


@pytest.mark.parametrize("text, trigger, roles, date", [
    ("President Armand Kovel held three hours of talks with Marvessa's foreign minister, "
     "Elena Marchetti, in Aldmouth on Monday.", "talks",
     {("Armand Kovel", "agent"), ("Elena Marchetti", "participant"), ("Aldmouth", "location")},
     ("2026-03-09", "stated")),
    ("The subject had not been discussed during Monday's talks in Aldmouth.", "talks",
     {("Aldmouth", "location")}, ("2026-03-09", "stated")),
    ("Around 1,200 dockworkers marched on Tuesday in protest at the agreement being "
     "negotiated between Marvessa and Dravonia.", "marched", set(), ("2026-03-10", "stated")),
])
def test_event_roles_and_dates(text, trigger, roles, date) -> None:
    """Support verbs lend their subject and place to the noun they carry; an
    apposition names the partner; a possessive weekday dates its noun; a place inside
    a nested clause is not where the event happened; "not discussed during the
    talks" does not deny the talks."""
    parsed = kb.parse_article(text, published="2026-03-10")
    (event,) = [e for e in parsed.events if e.trigger.text == trigger]
    assert {(a.name, a.role) for a in event.actors} == roles
    assert (event.date.value[:10], event.date.basis) == date
    assert not event.negated
