"""Ingest on a local Dask cluster of two workers against PostgreSQL: the same facts as a
single-process ingest of the same files, and still the same (none doubled, none lost)
when one worker is killed mid-run."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from kb.ingest.run import ingest
from kb.store import Store

from .conftest import ROOT, fresh_database, run

pytest.importorskip("distributed")


def facts(url: str) -> tuple[Counter, Counter, Counter]:
    """Every statement, event and actor as comparable tuples, with their multiplicity."""
    with Store.open(url, create=False) as store:
        statements = Counter(
            (s["speaker"], s["content"], s["date_value"], s["source"]["id"])
            for s in store.statements())
        events = Counter(
            (e["type"], e["trigger"], e["source"]["id"],
             tuple(sorted((a["name"], a["role"]) for a in e["actors"])))
            for e in store.events())
        actors = Counter((a["name"], a["kind"]) for a in store.actors())
    return statements, events, actors


@pytest.fixture(scope="module")
def pg(postgres_url, tmp_path_factory):
    if not postgres_url:
        pytest.skip("KB_TEST_POSTGRES_URL is not set")
    return postgres_url, tmp_path_factory


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The demo corpus four times over, each copy a different article (its own hash)."""
    folder = tmp_path_factory.mktemp("cluster-corpus")
    for copy in range(4):
        for src in sorted((ROOT / "sources").glob("*.txt")):
            text = src.read_text(encoding="utf-8").rstrip("\n")
            lines = text.split("\n")
            lines.insert(1 if len(lines) > 1 else 0, f"Copy {copy} of this report.")
            (folder / f"{copy}-{src.name}").write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture(scope="module")
def single(pg, corpus):
    postgres_url, factory = pg
    with fresh_database("postgres", factory.mktemp("single"), postgres_url) as url:
        run("ingest", str(corpus), db=url)
        yield facts(url)


def test_cluster_ingest_gives_the_same_facts(pg, corpus, single):
    postgres_url, factory = pg
    with fresh_database("postgres", factory.mktemp("cluster"), postgres_url) as url:
        res = run("ingest", str(corpus), "--cluster", "local:2", db=url)
        assert f"{len(list(corpus.iterdir()))} new" in res.stdout
        assert facts(url) == single


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(pg, corpus, single):
    from distributed import Client, LocalCluster

    postgres_url, factory = pg
    with fresh_database("postgres", factory.mktemp("killed"), postgres_url) as url, \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                         dashboard_address=None) as cluster, Client(cluster) as client:
        outcome: dict[str, object] = {}

        def work() -> None:
            with Store.open(url) as store:
                outcome["summary"] = ingest(store, [str(corpus)],
                                            cluster=cluster.scheduler_address)

        thread = threading.Thread(target=work)
        thread.start()
        deadline = time.monotonic() + 240
        with Store.open(url) as store:  # kill as soon as the first article is stored
            while not store.articles() and time.monotonic() < deadline:
                time.sleep(0.2)
        victim = next(iter(client.run(os.getpid).values()))
        os.kill(victim, signal.SIGKILL)
        thread.join(timeout=300)
        assert not thread.is_alive()
        summary = outcome["summary"]
        assert summary.new == len(list(corpus.iterdir())) and not summary.failed
        assert facts(url) == single


def test_a_bad_cluster_address_is_one_clear_line(tmp_path):
    db = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    shutil.copy(ROOT / "sources" / sorted(os.listdir(ROOT / "sources"))[0], tmp_path)
    res = run("ingest", str(tmp_path), "--cluster", "local:zero", db=db, check=2)
    assert "write local:N" in res.stderr
