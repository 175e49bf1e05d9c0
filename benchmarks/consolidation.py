"""What consolidation costs ingest, measured side by side at a knowledge base's size.

    python benchmarks/consolidation.py [--articles 100000] [--measure 500] [--repeat 3]
        [--db-dir DIR]

The demo corpus is parsed once (spaCy, in this process: the parse time per article is
measured here). Then each side runs in its own process, in alternating order, and
writes the same stream of articles into a new SQLite file: copies of the demo articles
re-dated a week apart over about three years (so that a speaker's candidates and
repeated wire copies are as dense as in a real archive, and each copy is a new article
with its own hash). The ``--articles`` are written once, in a process of their own,
into a base file, grouped as ingest groups them. Then each side, on its own copy of
the base, times writing ``--measure`` more articles, one transaction each: side "with"
as ingest does; side "without" the same rows with the grouping skipped
(:func:`kb.store.write.add_article` with ``consolidate=False``).

Printed: per side and round, the write time per article over the measured stretch;
the extra cost of consolidation per article; and that extra as a share of ingest
(parse + write), which the target bounds at 10%. The load average is printed with
the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _shift_date(value: str | None, days: int) -> str | None:
    if not value or len(value) < 10:
        return value
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return (day + dt.timedelta(days=days)).isoformat() + value[10:]


def _shift(parsed, days: int, tag: str):
    """A copy of ``parsed`` ``days`` later, with ``tag`` appended (a new article)."""

    def when(d):
        if d is None:
            return None
        return dataclasses.replace(d, start=_shift_date(d.start, days),
                                   end=_shift_date(d.end, days))

    text = parsed.text + f"\n\n[{tag}]"
    return dataclasses.replace(
        parsed,
        text=text,
        published=_shift_date(parsed.published, days),
        quotes=tuple(dataclasses.replace(q, date=when(q.date)) for q in parsed.quotes),
        events=tuple(dataclasses.replace(e, date=when(e.date)) for e in parsed.events),
    )


def _articles(pickled: Path, start: int, count: int):
    """Articles ``start`` .. ``start + count`` of the stream, with their parses."""
    base = pickle.loads(pickled.read_bytes())
    for i in range(start, start + count):
        article, parsed = base[i % len(base)]
        days = 7 * ((i // len(base)) % 160)  # about three years of weeks
        copy = _shift(parsed, days, f"copy {i}")
        # a new text is a new article (its id is the hash of its text)
        yield dataclasses.replace(article, text=copy.text, published=copy.published), copy


def _writer(db: Path, consolidate: bool):
    from kb.store import Store
    from kb.store.engine import run_write
    from kb.store.write import add_article

    store = Store.open(f"sqlite:///{db}")

    def write(article, parsed):
        run_write(store.engine, lambda conn: add_article(
            conn, article, parsed, consolidate=consolidate))

    return store, write


def fill(args: argparse.Namespace) -> None:
    """The base in its own process: ``--articles`` written and grouped as ingest does."""
    store, write = _writer(args.db, consolidate=True)
    for i, (article, parsed) in enumerate(_articles(args.pickled, 0, args.articles), 1):
        write(article, parsed)
        if i % 10_000 == 0:
            print(f"  base: {i:,} articles", file=sys.stderr, flush=True)
    store.close()


def side(args: argparse.Namespace) -> None:
    """One side in its own process, on its copy of the base: time ``--measure`` writes."""
    store, write = _writer(args.db, consolidate=args.side == "with")
    stream = list(_articles(args.pickled, args.articles, args.measure))
    began = time.perf_counter()
    for article, parsed in stream:
        write(article, parsed)
    seconds = time.perf_counter() - began
    store.close()
    print(json.dumps({"side": args.side, "per_article_ms": 1000 * seconds / args.measure}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--measure", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db-dir", type=Path, default=None)
    parser.add_argument("--side", choices=("with", "without", "fill"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--pickled", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side == "fill":
        fill(args)
        return
    if args.side:
        side(args)
        return

    import kb
    from kb.ingest import read_path
    from kb.nlp import get_nlp

    nlp = get_nlp()
    articles = [a for p in sorted((ROOT / "sources").iterdir()) if p.suffix != ".md"
                or p.name != "README.md" for a in read_path(p)]
    kb.parse_article(articles[0].text, articles[0].published, nlp=nlp)  # warm up
    began = time.perf_counter()
    parsed = [(a, kb.parse_article(a.text, a.published, nlp=nlp)) for a in articles]
    parse_ms = 1000 * (time.perf_counter() - began) / len(articles)
    with tempfile.TemporaryDirectory(dir=args.db_dir) as tmp:
        pickled = Path(tmp) / "parsed.pickle"
        pickled.write_bytes(pickle.dumps(parsed))
        base = Path(tmp) / "base.sqlite"
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--side", "fill", "--db", str(base),
             "--pickled", str(pickled), "--articles", str(args.articles)], check=True)
        print(f"base of {args.articles:,} articles written in "
              f"{time.perf_counter() - began:.0f} s", flush=True)
        results: dict[str, list[float]] = {"with": [], "without": []}
        for round_ in range(args.repeat):
            order = ("with", "without") if round_ % 2 == 0 else ("without", "with")
            for name in order:
                db = Path(tmp) / f"{name}.sqlite"
                shutil.copyfile(base, db)
                out = subprocess.run(
                    [sys.executable, __file__, "--side", name, "--db", str(db),
                     "--pickled", str(pickled), "--articles", str(args.articles),
                     "--measure", str(args.measure)],
                    capture_output=True, text=True,
                )
                if out.returncode:
                    sys.exit(f"side {name!r} failed:\n{out.stderr}")
                figure = json.loads(out.stdout.strip().splitlines()[-1])["per_article_ms"]
                results[name].append(figure)
                db.unlink()
                print(f"round {round_ + 1} {name:>7}: {figure:7.2f} ms per article written "
                      f"(load {os.getloadavg()[0]:.2f})", flush=True)
    extra = [w - wo for w, wo in zip(results["with"], results["without"], strict=True)]
    share = [e / (parse_ms + wo) for e, wo in zip(extra, results["without"], strict=True)]
    print(f"parse (spaCy + extraction): {parse_ms:.1f} ms per article")
    print(f"at {args.articles:,} articles stored: consolidation adds "
          f"{min(extra):.2f}-{max(extra):.2f} ms per article, "
          f"{100 * min(share):.1f}-{100 * max(share):.1f}% of ingest (target <= 10%)")


if __name__ == "__main__":
    main()
