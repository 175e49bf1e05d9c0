"""Actors across articles: a short name joins the one full name it can stand for,
whichever comes first; two full names sharing a surname keep the bare surname apart;
organisation short forms and acronyms join their full names; accents and case do not
matter; and the actors and the assignment of every fact are the same whatever order
the articles are ingested in (SQLite and PostgreSQL, through the command line)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from kb.store.engine import make_engine

from .conftest import fresh_database, run
from .test_ingest_concurrency import kb_cmd, kb_env

CORPUS = {
    "a01.txt": "date 2022-02-20 Blinken said on Monday that Russia would invade Ukraine.",
    "a02.txt": "date 2022-02-21 Secretary of State Antony Blinken said on Tuesday that the "
               "talks had failed.",
    "a03.txt": "date 2022-02-21 John Smith said on Monday that prices would rise.",
    "a04.txt": "date 2022-02-22 Adam Smith said on Tuesday that prices would fall.",
    "a05.txt": "date 2022-02-23 Smith told reporters on Wednesday that the market was calm.",
    "a06.txt": "date 2022-02-20 The Security Council said on Monday that it would meet "
               "again.",
    "a07.txt": "date 2022-02-21 The UN Security Council met in Geneva on Tuesday. The "
               "council said it condemned the attack.",
    "a08.txt": "date 2022-02-21 Singapore Airlines (SIA) said on Monday that flights would "
               "resume.",
    "a09.txt": "date 2022-02-22 SIA said on Tuesday that it would cut fares.",
    "a10.txt": "date 2022-02-22 José Pérez said on Tuesday that the vote was fair.",
    "a11.txt": "date 2022-02-23 Jose Perez said on Wednesday that the vote was close.",
    "a12.txt": "date 2022-02-24 Powell said on Thursday that rates would rise.",
    "a13.txt": "date 2022-02-24 Fed Chair Jerome Powell said on Thursday that inflation was "
               "too high.",
}
ORDERS = {
    "sorted": sorted(CORPUS),
    "reversed": sorted(CORPUS, reverse=True),
    "shuffled": ["a05.txt", "a09.txt", "a01.txt", "a12.txt", "a03.txt", "a11.txt",
                 "a06.txt", "a13.txt", "a08.txt", "a02.txt", "a10.txt", "a04.txt",
                 "a07.txt"],
}


def ingest(db: str, folder, names) -> None:
    for name in names:
        path = folder / name
        path.write_text(CORPUS[name], encoding="utf-8")
        run("ingest", str(path), db=db)


def snapshot(db: str) -> dict:
    """Actors with their names, and the actor of every fact by (article, offsets)."""
    actors = json.loads(run("actors", "-f", "json", db=db).stdout)
    said = json.loads(run("said", "--all", "-f", "json", db=db).stdout)
    events = json.loads(run("events", "--all", "-f", "json", db=db).stdout)
    url = db.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = make_engine(url)
    with engine.connect() as conn:
        mentions = sorted(conn.execute(sa.text(
            "SELECT ar.hash, m.start, m.\"end\", a.name FROM mentions m "
            "JOIN articles ar ON ar.id = m.article_id JOIN actors a ON a.id = m.actor_id")
        ).all())
        statements = sorted(conn.execute(sa.text(
            "SELECT ar.hash, s.content_start, s.content_end, sp.name, ad.name "
            "FROM statements s JOIN articles ar ON ar.id = s.article_id "
            "LEFT JOIN actors sp ON sp.id = s.speaker_id "
            "LEFT JOIN actors ad ON ad.id = s.addressee_id")).all(), key=repr)
        roles = sorted(conn.execute(sa.text(
            "SELECT ar.hash, e.trigger_start, a.name, x.role FROM event_actors x "
            "JOIN events e ON e.id = x.event_id JOIN articles ar ON ar.id = e.article_id "
            "JOIN actors a ON a.id = x.actor_id")).all())
    engine.dispose()
    return {
        "actors": sorted((a["name"], a["kind"], tuple(a["aliases"]), tuple(a["titles"]),
                          a["mentions"], a["statements"], a["events"]) for a in actors),
        "said": sorted((r["source"]["id"], r["content"], r["speaker"]) for r in said),
        "events": sorted((r["source"]["id"], r["trigger"],
                          tuple(sorted((a["name"], a["role"]) for a in r["actors"])))
                         for r in events),
        "mentions": [tuple(r) for r in mentions],
        "statements": [tuple(r) for r in statements],
        "roles": [tuple(r) for r in roles],
    }


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                               marks=pytest.mark.postgres)])
def snapshots(request, tmp_path_factory, postgres_url):
    """The corpus ingested in each order of ORDERS, each into a database of its own."""
    out = {"kind": request.param}
    for label, names in ORDERS.items():
        folder = tmp_path_factory.mktemp(label)
        with fresh_database(request.param, folder, postgres_url) as db:
            ingest(db, folder, names)
            out[label] = snapshot(db)
    return out


def test_three_ingest_orders_give_the_same_actors_and_assignments(snapshots):
    first = snapshots["sorted"]
    assert first["mentions"] and first["statements"] and first["roles"]
    assert len(first["actors"]) >= 12
    for label in ("reversed", "shuffled"):
        for part in first:
            assert snapshots[label][part] == first[part], (label, part)


def test_two_ingests_at_once_give_the_same_actors(snapshots, tmp_path, postgres_url):
    """Two `kb ingest` processes over interleaved halves of the corpus, at once."""
    import subprocess

    halves = [tmp_path / "left", tmp_path / "right"]
    for i, name in enumerate(ORDERS["shuffled"]):
        halves[i % 2].mkdir(exist_ok=True)
        (halves[i % 2] / name).write_text(CORPUS[name], encoding="utf-8")
    with fresh_database(snapshots["kind"], tmp_path, postgres_url) as db:
        run("db", "upgrade", db=db)
        procs = [subprocess.Popen(kb_cmd(db, "ingest", str(folder)), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=kb_env())
                 for folder in halves]
        for proc in procs:
            _out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
        assert snapshot(db) == snapshots["sorted"]


def _actor(snap: dict, name: str) -> tuple:
    found = [a for a in snap["actors"] if a[0] == name]
    assert found, (name, [a[0] for a in snap["actors"]])
    return found[0]


@pytest.mark.parametrize("label", list(ORDERS))
def test_a_surname_joins_the_one_full_name_in_any_order(snapshots, label):
    snap = snapshots[label]
    names = [a[0] for a in snap["actors"]]
    assert "Blinken" not in names and "Powell" not in names
    blinken = _actor(snap, "Antony Blinken")
    assert "Blinken" in blinken[2] and blinken[5] == 2  # both statements are his
    assert _actor(snap, "Jerome Powell")[5] == 2


@pytest.mark.parametrize("label", list(ORDERS))
def test_two_full_names_keep_a_bare_surname_apart(snapshots, label):
    snap = snapshots[label]
    assert _actor(snap, "John Smith")[5] == 1 and _actor(snap, "Adam Smith")[5] == 1
    assert _actor(snap, "Smith")[5] == 1
    assert "Smith" not in _actor(snap, "John Smith")[2]
    assert "Smith" not in _actor(snap, "Adam Smith")[2]


@pytest.mark.parametrize("label", list(ORDERS))
def test_organisation_short_forms_and_acronyms_join(snapshots, label):
    snap = snapshots[label]
    names = [a[0] for a in snap["actors"]]
    assert "Security Council" not in names and "SIA" not in names
    council = _actor(snap, "UN Security Council")
    assert council[1] == "organization" and "Security Council" in council[2]
    airline = _actor(snap, "Singapore Airlines")
    assert "SIA" in airline[2] and airline[5] == 2
    assert _actor(snap, "Geneva")[1] == "place"


@pytest.mark.parametrize("label", list(ORDERS))
def test_accented_and_plain_writings_are_one_actor(snapshots, label):
    snap = snapshots[label]
    names = [a[0] for a in snap["actors"]]
    assert "Jose Perez" not in names
    assert _actor(snap, "José Pérez")[5] == 2


@pytest.fixture
def blinken_only(db_url, tmp_path):
    """Only the full name is ever written."""
    (tmp_path / "a.txt").write_text(
        "date 2022-02-20 Antony Blinken said on Sunday that Russia would invade. "
        "The UN Security Council met in Geneva on Monday.", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "date 2022-02-21 José Pérez said on Monday that the vote was fair.", encoding="utf-8")
    run("ingest", str(tmp_path), db=db_url)
    return db_url


@pytest.mark.parametrize("who", ["Blinken", "blinken", "Secretary Blinken",
                                 "Secretary of State Antony Blinken", "BLINKEN"])
def test_said_who_finds_the_full_name(blinken_only, who):
    rows = json.loads(run("said", "--who", who, "-f", "json", db=blinken_only).stdout)
    assert [r["speaker"] for r in rows] == ["Antony Blinken"]


@pytest.mark.parametrize("who", ["Jose Perez", "José Pérez", "jose perez", "JOSÉ PÉREZ", "Perez",
                                 "Pérez"])
def test_lookups_ignore_accents(blinken_only, who):
    rows = json.loads(run("said", "--who", who, "-f", "json", db=blinken_only).stdout)
    assert [r["speaker"] for r in rows] == ["José Pérez"]
    assert "José Pérez (person)" in run("show", who, db=blinken_only).stdout


def test_unknown_name_suggests_the_nearest(blinken_only):
    res = run("said", "--who", "Blinkin", db=blinken_only, check=2)
    assert "did you mean" in res.stderr and "Antony Blinken" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    res = run("show", "Secrity Council", db=blinken_only, check=2)
    assert "UN Security Council" in res.stderr


QUOTE = '"We believe President Putin has made the decision," {who} told reporters on Sunday.'


@pytest.mark.parametrize("first", ["short", "full"])
def test_a_late_merge_makes_one_claim_of_two_reports(db_url, tmp_path, first):
    """The same quotation, once by "Blinken" and once by "Antony Blinken", in either
    order: one actor, and one claim with two sources."""
    texts = {"short": "date 2022-02-20 " + QUOTE.format(who="Blinken"),
             "full": "date 2022-02-20 " + QUOTE.format(who="Secretary of State Antony "
                                                        "Blinken")}
    for label in (first, "full" if first == "short" else "short"):
        (tmp_path / f"{label}.txt").write_text(texts[label], encoding="utf-8")
        run("ingest", str(tmp_path / f"{label}.txt"), db=db_url)
    names = [a["name"] for a in json.loads(run("actors", "-f", "json", db=db_url).stdout)]
    assert "Blinken" not in names and "Antony Blinken" in names
    claims = json.loads(run("said", "--who", "blinken", "-f", "json", db=db_url).stdout)
    assert [(c["speaker"], c["sources"]) for c in claims] == [("Antony Blinken", 2)]


BANK = {
    "long": "date 2022-02-20 The European Central Bank said on Monday that rates would rise.",
    "short": "date 2022-02-21 The ECB said on Tuesday that inflation was too high.",
    "other": "date 2022-02-22 The Eastern Cape Board said on Wednesday that schools would "
             "open.",
}


@pytest.mark.parametrize("order, joined", [
    (("long", "short"), True),
    (("short", "long"), True),
    (("short", "long", "other"), False),
    (("long", "other", "short"), False),
])
def test_an_acronym_joins_the_one_organisation_with_its_initials(db_url, tmp_path, order,
                                                                 joined):
    """"ECB" is the European Central Bank, in either order, until a second organisation
    with those initials makes it ambiguous: then it stays an actor of its own."""
    for label in order:
        (tmp_path / f"{label}.txt").write_text(BANK[label], encoding="utf-8")
        run("ingest", str(tmp_path / f"{label}.txt"), db=db_url)
    said = json.loads(run("said", "--all", "-f", "json", db=db_url).stdout)
    speaker = {r["source"]["path"].rsplit("/", 1)[-1]: r["speaker"] for r in said}
    assert speaker["long.txt"] == "European Central Bank"
    assert speaker["short.txt"] == ("European Central Bank" if joined else "ECB")


KOVEL = {
    "a1": "date 2022-03-01 President Armand Kovel said on Monday that the port would open.",
    "a2": "date 2022-03-02 President Armand Kovel said on Tuesday that the deal was signed.",
    "t1": "date 2022-03-02 Tomas Kovel, the union leader, said on Tuesday that workers "
          "would strike.",
    "p1": "date 2022-03-03 President Kovel said on Wednesday that the talks went well.",
    "b1": "date 2022-03-03 Kovel said on Wednesday that the weather was fine.",
}


@pytest.mark.parametrize("order", [("a1", "a2", "t1", "p1", "b1"),
                                   ("p1", "b1", "t1", "a2", "a1"),
                                   ("t1", "p1", "a1", "b1", "a2")])
def test_a_title_picks_one_of_two_people_sharing_a_surname(db_url, tmp_path, order):
    """"President Kovel" is the Kovel the articles call President (twice, the other
    never); a bare "Kovel" with no title stays apart; in any order."""
    for label in order:
        (tmp_path / f"{label}.txt").write_text(KOVEL[label], encoding="utf-8")
        run("ingest", str(tmp_path / f"{label}.txt"), db=db_url)
    said = json.loads(run("said", "--all", "-f", "json", db=db_url).stdout)
    speaker = {r["source"]["path"].rsplit("/", 1)[-1]: r["speaker"] for r in said}
    assert speaker == {"a1.txt": "Armand Kovel", "a2.txt": "Armand Kovel",
                       "t1.txt": "Tomas Kovel", "p1.txt": "Armand Kovel", "b1.txt": "Kovel"}


def test_a_qualifier_is_a_known_organisation_or_country(db_url):
    """An organisation's leading word that kb's lists do not know ("PWF" of "PWF
    Executive Committee") qualifies it when the base holds an organisation or country
    of that name or alias; a person of that name does not."""
    from kb.store import Store
    from kb.store.models import ActorAliasRow, ActorRow
    from kb.store.resolve import _qualifier

    with Store.open(db_url) as store, store.engine.begin() as conn:
        conn.execute(sa.insert(ActorRow), [
            {"name": "PWF", "kind": "organization", "key": "pwf"},
            {"name": "KTX", "kind": "person", "key": "ktx"},
            {"name": "Port Workers Guild", "kind": "organization", "key": "port workers guild"},
        ])
        guild = conn.execute(sa.select(ActorRow.id).where(ActorRow.key == "port workers guild")
                             ).scalar_one()
        conn.execute(sa.insert(ActorAliasRow), [{"actor_id": guild, "key": "pwg", "alias": "PWG"}])
        assert _qualifier(conn, "PWF")  # by name
        assert _qualifier(conn, "PWG")  # by alias
        assert not _qualifier(conn, "KTX")  # a person
        assert not _qualifier(conn, "QQZ")  # nothing of that name
