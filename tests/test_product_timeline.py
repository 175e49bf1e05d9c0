"""An aircraft's own timeline, as a user asks for it: `kb events --actor "Boeing 787
Dreamliner"` on an article about it lists its events, dated, in the order they happened
(SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from .conftest import run

ARTICLE = (
    "date 2009-12-16 The Boeing 787 Dreamliner made its first test flight Tuesday from "
    "Paine Field near Seattle. Boeing had delayed the flight seven times since 2007. "
    "The 787 will be delivered to All Nippon Airways next year."
)


def test_events_of_a_product_in_order(db_url, tmp_path):
    (tmp_path / "boeing.txt").write_text(ARTICLE)
    run("ingest", str(tmp_path / "boeing.txt"), db=db_url)
    actors = {a["name"]: a["kind"] for a in json.loads(run("actors", "-f", "json",
                                                           db=db_url).stdout)}
    assert actors["Boeing 787 Dreamliner"] == "product"
    assert actors["Seattle"] == "place" and actors["Boeing"] == "organization"
    rows = json.loads(run("events", "--actor", "Boeing 787 Dreamliner", "-f", "json",
                          db=db_url).stdout)
    assert [(r["trigger"], r["date"]["value"]) for r in rows] == [
        ("made", "2009-12-15"), ("delivered", "2010")]
    table = run("events", "--actor", "787", db=db_url).stdout  # by its model alone
    assert "15 Dec 2009" in table and "2010" in table


PHONE = (
    "date 2010-06-08 Yesterday, at the annual developers conference, Apple chief executive "
    "Steve Jobs unveiled iPhone 4. Structure-wise, iPhone 4 has a new stainless steel "
    "frame. It also has a new screen. During the keynote, Jobs demoed the device's new "
    "gyroscope. The phone has two cameras. It comes in two colors.\n\n"
    "Apple launched the iTunes Music Store, an online music store, on April 28 , 2003. "
    "The store was renamed in 2006. Apple Computer was started by Steve Jobs and Steve "
    "Wozniak in 1976, and launched the App Store in 2008."
)


def test_a_product_named_by_it_and_the_phone(db_url, tmp_path):
    """"It also has", "the phone has", "it comes": the phone the sentence before was
    about; "it" after a person subject and "the device's" stay unknown, not guessed;
    "April 28 , 2003" (a comma set apart) is a day of 2003; "launched ... in 2008" is
    dated by its own clause, not by the "in 1976" of the verb it is joined to."""
    (tmp_path / "phone.txt").write_text(PHONE)
    run("ingest", str(tmp_path / "phone.txt"), db=db_url)
    rows = json.loads(run("events", "--actor", "iPhone 4", "--all", "-f", "json",
                          db=db_url).stdout)
    got = sorted((r["trigger"], r["sentence"].split()[0]) for r in rows)
    assert got == [("comes", "It"), ("has", "It"), ("has", "Structure-wise,"),
                   ("has", "The"), ("unveiled", "Yesterday,")]
    store = json.loads(run("events", "--actor", "iTunes Music Store", "--all", "-f", "json",
                           db=db_url).stdout)
    assert sorted((r["trigger"], r["date"]["value"]) for r in store) == [
        ("launched", "2003-04-28"), ("renamed", "2006")]
    apps = json.loads(run("events", "--actor", "App Store", "-f", "json", db=db_url).stdout)
    assert [(r["trigger"], r["date"]["value"]) for r in apps] == [("launched", "2008")]
