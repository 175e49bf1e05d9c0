"""The export commands over a real store: the seed article ingested into SQLite, then
`kb graph`, `kb timeline`, `kb report` and `kb export` as a user runs them."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from kb.cli import app
from kb.export.formats import validate

SEED = Path(__file__).resolve().parent.parent / "sources" / "000_b100f5f8ab4f4713.txt"
runner = CliRunner()


def kb(*args: str, db: str, code: int = 0):
    result = runner.invoke(app, ["--db", db, *args], env={"KB_DATABASE_URL": None})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store")
    shutil.copy(SEED, folder / SEED.name)
    db = f"sqlite:///{folder / 'kb.sqlite'}"
    kb("ingest", str(folder / SEED.name), db=db)
    return db


@pytest.fixture(scope="module")
def records(seed_db):
    from kb.export.commands import load_records
    from kb.store import Store

    with Store.open(seed_db) as store:
        return load_records(store)


def _page_data(path: Path) -> dict:
    page = path.read_text(encoding="utf-8")
    raw = re.search(r'<script id="kb-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(raw.group(1))


def test_graph_command_draws_every_active_actor(seed_db, records, tmp_path):
    out = tmp_path / "exports" / "graph.html"
    result = kb("graph", "--out", str(out), db=seed_db)
    assert f"wrote {out}" in result.stdout
    events, statements, _ = records
    named = {a["name"] for e in events for a in e["actors"]}
    named |= {s["speaker"] for s in statements if s["speaker"]}
    ids = {n["id"] for n in _page_data(out)["nodes"]}
    assert {f"actor:{n}" for n in named} <= ids
    assert "actor:Sheba Crocker" in ids and "actor:Antony Blinken" in ids


@pytest.mark.parametrize(
    "args, present, absent",
    [
        (["--actor", "Crocker"], {"actor:Sheba Crocker"}, {"actor:Emmanuel Macron"}),
        (["--type", "meeting"], {"actor:Emmanuel Macron"}, {"actor:Sheba Crocker"}),
    ],
)
def test_graph_filters(seed_db, tmp_path, args, present, absent):
    out = tmp_path / "g.html"
    kb("graph", "--out", str(out), *args, db=seed_db)
    ids = {n["id"] for n in _page_data(out)["nodes"]}
    assert present <= ids and not absent & ids


def test_timeline_command_puts_named_actor_first(seed_db, tmp_path):
    out = tmp_path / "t.html"
    kb("timeline", "--out", str(out), "--actor", "blinken", db=seed_db)
    data = _page_data(out)
    assert data["lanes"][0]["name"] == "Antony Blinken"
    assert data["axis"]["origin"] <= "2022-02-21"


def test_report_command_cites_the_article(seed_db, tmp_path):
    out = tmp_path / "report.md"
    kb("report", "--out", str(out), db=seed_db)
    text = out.read_text(encoding="utf-8")
    headings = [dt.datetime.strptime(h, "%A %d %b %Y").date()
                for h in re.findall(r"^### (\w+ \d+ \w+ \d+)$", text, re.M)]
    assert headings and headings == sorted(headings)
    assert "human rights catastrophe" in text
    assert "000\\_b100f5f8ab4f4713.txt, 2022-02-21" in text  # no title: the file name
    assert (tmp_path / "report.svg").is_file()


@pytest.mark.parametrize("fmt", ["json", "timelinejs", "csv", "graphml", "gexf"])
def test_export_command_formats(seed_db, records, tmp_path, fmt):
    out = tmp_path / f"kb.{fmt}"
    kb("export", "--format", fmt, "--out", str(out), db=seed_db)
    events, statements, actors = records
    if fmt == "json":
        document = json.loads(out.read_text(encoding="utf-8"))
        validate(document, "export.schema.json")
        assert document["counts"]["statements"] == len(statements) > 0
    elif fmt == "timelinejs":
        validate(json.loads(out.read_text(encoding="utf-8")), "timelinejs.schema.json")
    elif fmt == "csv":
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("record,id,date")
        assert (tmp_path / "kb.actors.csv").is_file()
    else:
        G = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)
        assert sum(d["node_type"] == "event" for _, d in G.nodes(data=True)) == len(events)


@pytest.mark.parametrize(
    "args, message",
    [
        (["graph", "--since", "21/02/2022"], "--since '21/02/2022' is not a date"),
        (["timeline", "--since", "2022-03-01", "--until", "2022-02-01"], "swap them"),
        (["export", "--format", "xlsx"], "choose one of json, csv"),
        (["report", "--out", "r.pdf"], "written as .md or .html"),
    ],
)
def test_errors_are_one_line(seed_db, args, message):
    result = kb(*args, db=seed_db, code=2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
