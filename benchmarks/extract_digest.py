"""A digest of what extraction finds in a fixed set of documents, to show that a change
made for speed leaves the output byte for byte the same.

The documents: every article of sources/ (read as ``kb ingest`` reads them), every
fifth TBAQ document of TempEval-3 and the SemEval-2015 Task 4 trial documents (read as
``kb eval`` reads them, with their creation dates). They are parsed with
``kb.nlp.get_nlp().pipe`` and extracted with ``kb.extract.pipeline.parse_doc``, as
ingest does. For each document the script hashes both the JSON of
``ParsedArticle.to_dict()`` and the ``repr`` of the whole record (which holds fields the
JSON leaves out and the store reads), and prints one digest over all of them.

    python benchmarks/extract_digest.py                 # the digest line
    python benchmarks/extract_digest.py --out DIR       # and one JSON file per document
    python benchmarks/extract_digest.py --list          # a digest per document
    python benchmarks/extract_digest.py --store 150     # the store's rows instead

Run it before and after a change: the last line must be the same. ``--store N`` checks
the writing side instead: the articles of sources/ and ``N`` articles of the ingest
benchmark's corpus (benchmarks/ingest.py) are ingested into a fresh SQLite file with
``kb.ingest.run.ingest``, one process, and every row of every table is hashed, in row
order (the time of ingest left out, file paths cut to their names).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

EVAL = ROOT.parent / "shared" / "eval"


def documents(eval_dir: Path = EVAL) -> Iterator[tuple[str, str, dt.date | None]]:
    """(name, text, published) of every document in the fixed set, in a fixed order."""
    from kb.eval.semeval import read_task
    from kb.eval.timeml import read_timeml, timeml_paths
    from kb.extract.pipeline import coerce_date
    from kb.ingest import Article, expand_paths, read_path

    for path in expand_paths([str(ROOT / "sources")]).files:
        for n, item in enumerate(read_path(path)):
            if isinstance(item, Article):
                yield f"sources/{path.name}#{n}", item.text, coerce_date(item.published)
    tbaq = eval_dir / "tempeval3" / "TBAQ-cleaned"
    for path in timeml_paths([tbaq])[::5]:
        doc = read_timeml(path)
        yield f"tbaq/{path.relative_to(tbaq)}", doc.text, doc.dct
    for task_doc in read_task(eval_dir / "semeval2015-task4-timeline").documents:
        yield f"semeval/{task_doc.name}", task_doc.text, task_doc.dct


def store_digest(articles: int) -> str:
    """The digest of every stored row after ingesting sources/ and ``articles`` articles
    of the ingest benchmark's corpus into a fresh SQLite file."""
    import sqlite3
    import tempfile

    from ingest import write_corpus

    from kb.ingest.run import ingest
    from kb.store import Store

    total = hashlib.sha256()
    with tempfile.TemporaryDirectory(prefix="kb-digest-") as tmp:
        folder = Path(tmp) / "articles"
        write_corpus(folder, articles)
        db = Path(tmp) / "kb.sqlite"
        store = Store.open(f"sqlite:///{db}")
        start = time.perf_counter()
        summary = ingest(store, [str(ROOT / "sources"), str(folder)], workers=1)
        elapsed = time.perf_counter() - start
        store.close()
        conn = sqlite3.connect(db)
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE '%fts_%' ORDER BY name")]
        rows = 0
        for table in tables:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            keep = [c for c in cols if c != "ingested_at"]
            order = "rowid" if table != "alembic_version" else "1"
            for row in conn.execute(f"SELECT {', '.join(keep)} FROM {table} ORDER BY {order}"):
                values = [Path(v).name if c == "path" and isinstance(v, str) else v
                          for c, v in zip(keep, row, strict=True)]
                total.update(f"{table} {values!r}\n".encode())
                rows += 1
        conn.close()
    print(f"{summary.new} articles stored in {elapsed:.1f} s; {rows} rows in {len(tables)} "
          "tables", file=sys.stderr)
    return f"store digest {total.hexdigest()} over {rows} rows"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write each document's JSON here")
    parser.add_argument("--list", action="store_true", help="print a digest per document")
    parser.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch size")
    parser.add_argument("--store", type=int, metavar="N",
                        help="digest the stored rows after ingesting sources/ and N articles")
    args = parser.parse_args(argv)
    if args.store is not None:
        print(store_digest(args.store))
        return

    from kb.extract.pipeline import parse_doc
    from kb.nlp import get_nlp

    docs = list(documents())
    nlp = get_nlp()
    total = hashlib.sha256()
    start = time.perf_counter()
    extract = 0.0
    parsed_docs = nlp.pipe((text for _, text, _ in docs), batch_size=args.batch_size)
    for (name, _, published), doc in zip(docs, parsed_docs, strict=True):
        t0 = time.perf_counter()
        parsed = parse_doc(doc, published)
        extract += time.perf_counter() - t0
        as_json = json.dumps(parsed.to_dict(), sort_keys=True, ensure_ascii=False)
        whole = repr(parsed)
        one = hashlib.sha256(f"{name}\n{as_json}\n{whole}\n".encode()).hexdigest()
        total.update(f"{name} {one}\n".encode())
        if args.list:
            print(f"{one[:16]}  {name}")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            safe = name.replace("/", "__").replace("#", "_")
            (args.out / f"{safe}.json").write_text(as_json + "\n" + whole + "\n",
                                                   encoding="utf-8")
    elapsed = time.perf_counter() - start
    print(f"{len(docs)} documents, parse + extract {elapsed:.1f} s (parse_doc {extract:.1f} s)",
          file=sys.stderr)
    print(f"digest {total.hexdigest()} over {len(docs)} documents")


if __name__ == "__main__":
    main()
