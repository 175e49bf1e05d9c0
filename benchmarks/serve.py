"""Page time of ``kb serve``: HTTP requests to a real server, as a browser asks them.

Builds the synthetic knowledge base of benchmarks/query.py (its ``build()``: 1,000,000
events, 200,000 statements, 50,000 actors at ``--scale 1``), then groups some reports
into claims and events carried by several articles (so the source-count facet and
``min_sources`` have something to count) and gives events a PLOVER category. Starts
``kb serve`` in a separate process and times, over HTTP, the search page (statements;
events with a PLOVER and a source filter), a statement page, an event page, the page of
a busy actor and an API page, printing p50/p95 per page type and the machine's load
(the 1-minute load average, sampled before and after each page type).

The built databases are kept and reused: an SQLite file in /tmp/kbserve-bench and a
PostgreSQL schema ``kbserve_bench_<scale>`` (``--rebuild`` builds them again).

    python benchmarks/serve.py --scale 0.05              # quick
    python benchmarks/serve.py --results benchmarks/RESULTS.md --note "what changed"

``--results`` adds the figures as a dated subsection at the top of the file's "kb serve
page time" section, leaving the older ones as they are.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.query import FULL, build, machine, percentiles  # noqa: E402
from kb.store import Store  # noqa: E402
from kb.store.reports import refresh_sources  # noqa: E402

HOME = Path("/tmp/kbserve-bench")
SECTION = "## kb serve page time"
#: Events of one article (as benchmarks/query.py builds them) and the article blocks
#: grouped: in every 20 consecutive articles, article 1 repeats article 0's events
#: (2 sources), articles 3-4 repeat article 2's (3 sources), 6-9 repeat 5's (5 sources).
PER_ARTICLE = 20
GROUPS = {1: 0, 3: 2, 4: 2, 6: 5, 7: 5, 8: 5, 9: 5}
PLOVER = {"MEET": "CONSULT", "WARN": "THREATEN", "ACCUSE": "ACCUSE", "DENY": "REJECT",
          "VISIT": "CONSULT", "CALL": "CONSULT", "SANCTION": "SANCTION", "ATTACK": "ASSAULT",
          "SIGN": "AGREE"}
TARGET_MS = 300


def _head_expr(column: str) -> str:
    """SQL: the head id of the row ``column`` (= its id) in the grouping above."""
    block = f"(({column} - 1) / {PER_ARTICLE}) % 20"
    cases = " ".join(
        f"WHEN {p} THEN {column} - {PER_ARTICLE * (p - head)}" for p, head in GROUPS.items()
    )
    return f"CASE {block} {cases} ELSE {column} END"


def group(store: Store) -> float:
    """Claims and events of several sources (with their numbers of sources, as
    consolidation keeps them), and PLOVER categories, on the built KB."""
    began = time.perf_counter()
    plover = " ".join(f"WHEN '{t}' THEN '{p}'" for t, p in PLOVER.items())
    with store.engine.begin() as conn:
        conn.execute(text(f"UPDATE events SET cluster_id = {_head_expr('id')}, "
                          f"plover = CASE type {plover} END"))
        # statements sit in random articles: every tenth starts a claim of three
        conn.execute(text("UPDATE statements SET claim_id = CASE WHEN id % 10 IN (1, 2) "
                          "THEN id - id % 10 ELSE id END"))
        conn.execute(text("UPDATE statements SET claim_id = id WHERE claim_id < 1"))
        for kind in ("statements", "events"):  # what kb.store.consolidate keeps
            refresh_sources(conn, kind)
    raw = store.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if store.engine.dialect.name == "postgresql":
            driver.autocommit = True
            driver.execute("VACUUM ANALYZE events")
            driver.execute("VACUUM ANALYZE statements")
        else:
            driver.execute("ANALYZE")
    finally:
        raw.close()
    return time.perf_counter() - began


def pg_schema(url: str, schema: str, rebuild: bool) -> tuple[str, bool]:
    """The URL of ``schema`` in the PostgreSQL database ``url`` and whether it holds a
    built KB (created empty, or emptied with ``rebuild``)."""
    base = make_url(url)
    if base.drivername in ("postgresql", "postgres"):
        base = base.set(drivername="postgresql+psycopg")
    admin = create_engine(base)
    with admin.begin() as conn:
        built = conn.execute(
            text("SELECT 1 FROM information_schema.tables WHERE table_schema = :s "
                 "AND table_name = 'kbserve_built'"), {"s": schema}).first() is not None
        if rebuild or not built:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
            built = False
    admin.dispose()
    scoped = base.update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False), built


def prepare(url: str, counts: dict[str, int], built: bool) -> dict[str, float]:
    """Build (unless ``built``) and group the KB at ``url``; seconds of each step."""
    with Store.open(url) as store:
        if built:
            with store.engine.connect() as conn:
                return json.loads(conn.execute(text("SELECT note FROM kbserve_built")).scalar())
        print(f"building {counts} ...", flush=True)
        whole, counted = build(store, counts)
        seconds = {"build": whole, "counts": counted, "group": group(store)}
        with store.engine.begin() as conn:
            conn.execute(text("CREATE TABLE kbserve_built (note TEXT)"))
            conn.execute(text("INSERT INTO kbserve_built VALUES (:n)"),
                         {"n": json.dumps(seconds)})
        return seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str) -> tuple[subprocess.Popen[bytes], str]:
    """``kb serve`` over ``url`` in its own process; the base URL once it answers."""
    port = _free_port()
    kb = Path(sys.executable).with_name("kb")
    command = [str(kb)] if kb.exists() else [sys.executable, "-m", "kb.cli"]
    process = subprocess.Popen([*command, "--db", url, "serve", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"kb serve stopped: {process.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(base + "/api/openapi.json", timeout=5).read()
            return process, base
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("kb serve did not answer within 120 s")


def fetch(base: str, path: str) -> float:
    """Milliseconds to get ``path`` whole (status 200 required), a new connection each
    time as a browser's first request would be."""
    began = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
    return (time.perf_counter() - began) * 1000


def pages(url: str, counts: dict[str, int], repeat: int) -> dict[str, list[str]]:
    """``repeat`` request paths per page type, with varied parameters."""
    rng = random.Random(5)
    with Store.open(url, create=False) as store, store.engine.connect() as conn:
        statements = [r[0] for r in conn.execute(text(
            "SELECT id FROM statements WHERE claim_id = id ORDER BY id LIMIT 20000"))]
        events = [r[0] for r in conn.execute(text(
            "SELECT id FROM events WHERE cluster_id = id ORDER BY id LIMIT 20000"))]
        busy = [r[0] for r in conn.execute(text(
            "SELECT a.name FROM statements s JOIN actors a ON a.id = s.speaker_id "
            "GROUP BY a.name ORDER BY count(*) DESC LIMIT 5"))]
    words = [f"w{n:04d}" for n in range(2000)]
    plover = sorted(set(PLOVER.values()))
    months = [f"2019-{m:02d}-01" for m in range(1, 13)]
    return {
        "search: statements, newest": [
            "/search?kind=statements" + ("" if i % 2 else f"&q={rng.choice(words)}")
            for i in range(repeat)],
        "search: events, PLOVER and 2+ sources": [
            f"/search?kind=events&plover={rng.choice(plover)}&min_sources=2"
            + (f"&since={month}&until={month[:8]}28" if i % 2 else "")
            for i, month in enumerate(rng.choice(months) for _ in range(repeat))],
        "search: events from a day on (open-ended)": [
            f"/search?kind=events&since={rng.choice(months)}" for _ in range(repeat)],
        "statement page": [f"/statement/{rng.choice(statements)}" for _ in range(repeat)],
        "event page": [f"/event/{rng.choice(events)}" for _ in range(repeat)],
        "actor page (busiest actors)": [
            "/actor/" + busy[i % len(busy)].replace(" ", "%20") for i in range(repeat)],
        "API: events, 100 a page": [
            f"/api/events?limit=100&offset={100 * rng.randrange(20)}"
            + (f"&min_sources={rng.choice((2, 3, 5))}" if i % 2 else "")
            for i in range(repeat)],
    }


def time_pages(url: str, counts: dict[str, int], repeat: int) -> list[dict[str, Any]]:
    process, base = start_server(url)
    try:
        results = []
        for name, paths in pages(url, counts, repeat).items():
            fetch(base, paths[0])  # warm-up
            load = os.getloadavg()[0]
            samples = [fetch(base, p) for p in paths]
            p50, p95 = percentiles(samples)
            results.append({"page": name, "n": len(samples), "p50": p50, "p95": p95,
                            "load": (load + os.getloadavg()[0]) / 2})
            print(f"  {name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms", flush=True)
        return results
    finally:
        process.terminate()
        process.wait(timeout=30)


def _seconds(value: Any) -> float:
    """Seconds of a build step as kept in ``kbserve_built`` (older builds kept the bulk
    build as ``[whole, counts]``)."""
    return float(value[0] if isinstance(value, list) else value)


def table(backend: str, counts: dict[str, int], seconds: dict[str, Any],
          results: list[dict[str, Any]]) -> str:
    lines = [
        f"#### {backend}: {counts['events']:,} events, {counts['statements']:,} statements, "
        f"{counts['actors']:,} actors (bulk build {_seconds(seconds['build']):.0f} s, "
        f"grouping {_seconds(seconds['group']):.0f} s)",
        "",
        "| page | requests | p50 ms | p95 ms | load average (1 min) | p95 < 300 ms |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        ok = "yes" if r["p95"] < TARGET_MS else "no"
        lines.append(f"| {r['page']} | {r['n']} | {r['p50']:.0f} | {r['p95']:.0f} | "
                     f"{r['load']:.1f} | {ok} |")
    return "\n".join(lines)


def write_section(path: Path, heading: str, body: str) -> None:
    """Add ``body`` under ``### heading`` at the top of the kb serve section of
    ``path`` (newest first), keeping every older measurement and the other sections."""
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    head, marker, rest = old.partition(SECTION)
    entry = f"### {heading}\n\n{body.strip()}\n"
    if not marker:
        path.write_text(old.rstrip() + f"\n\n{SECTION}\n\n{entry}")
        return
    path.write_text(head + marker + "\n\n" + entry + "\n" + rest.lstrip("\n"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page type")
    parser.add_argument("--pg", default=os.environ.get("KB_TEST_POSTGRES_URL"),
                        help="PostgreSQL URL (default $KB_TEST_POSTGRES_URL)")
    parser.add_argument("--no-sqlite", action="store_true", help="skip SQLite")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--build-only", action="store_true", help="build, do not time")
    parser.add_argument("--rebuild", action="store_true", help="build the KBs again")
    parser.add_argument("--results", type=Path,
                        help="add the figures to this file, in a dated subsection")
    parser.add_argument("--note", default="",
                        help="what was measured (the code state), for the subsection heading")
    args = parser.parse_args()
    counts = {k: max(10, int(v * args.scale)) for k, v in FULL.items()}
    tag = f"{args.scale:g}".replace(".", "_")
    HOME.mkdir(parents=True, exist_ok=True)
    targets: list[tuple[str, str, bool]] = []
    if not args.no_sqlite:
        path = HOME / f"serve-{tag}.sqlite"
        if args.rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        targets.append(("SQLite", f"sqlite:///{path}", path.exists()))
    pg_version = None
    if args.pg and not args.no_pg:
        url, built = pg_schema(args.pg, f"kbserve_bench_{tag}", args.rebuild)
        targets.append(("PostgreSQL", url, built))
    sections = []
    for backend, url, built in targets:
        print(f"{backend}:", flush=True)
        seconds = prepare(url, counts, built)
        if backend == "PostgreSQL":
            with Store.open(url, create=False) as store, store.engine.connect() as conn:
                pg_version = conn.execute(text("SHOW server_version")).scalar()
        if args.build_only:
            continue
        results = time_pages(url, counts, args.repeat)
        section = table(backend, counts, seconds, results)
        print(section + "\n", flush=True)
        sections.append(section)
    if args.results and sections:
        body = "\n\n".join([
            f"Machine: {machine(pg_version)}.",
            f"Command: `python benchmarks/serve.py --scale {args.scale:g} --repeat "
            f"{args.repeat}`: `kb serve` in its own process, each page fetched whole over a "
            "new HTTP connection (urllib), after one warm-up request per page type; p50/p95 "
            "over the requests, the load average sampled before and after each page type. "
            f"Target: p95 < {TARGET_MS} ms.",
            *sections,
        ])
        heading = time.strftime("%Y-%m-%d") + (f": {args.note}" if args.note else "")
        write_section(args.results, heading, body)
        print(f"wrote {args.results}")


if __name__ == "__main__":
    main()
