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
