"""Where a single-process ``kb ingest`` spends its time beyond spaCy, without a profiler.

    python benchmarks/ingest_breakdown.py [--articles 150]

Writes the ingest benchmark's corpus (benchmarks/ingest.py), then runs the library
function behind ``kb ingest`` (``kb.ingest.run.ingest``, one process) into a fresh
SQLite file with timers (CPU seconds of this process, ``time.process_time``) around its
parts: the parse (``nlp.pipe``), each step of the extraction (``parse_doc``), each step
of writing an article, and the garbage collector's collections. A profiler slows
Python-heavy code more than spaCy's compiled code, so its shares mislead; these timers
cost a few microseconds a call. kb's two sentence-boundary components run inside the
parse; their cost is timed apart on the same texts.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TIMES: dict[str, float] = defaultdict(float)


def _timed(module: Any, name: str, label: str) -> None:
    """Replace ``module.name`` by a wrapper adding its CPU time to ``TIMES[label]``."""
    inner: Callable[..., Any] = getattr(module, name)

    @functools.wraps(inner)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            TIMES[label] += time.process_time() - start

    setattr(module, name, wrapper)


def _gc_timer() -> None:
    started = [0.0]

    def callback(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            TIMES["garbage collection"] += time.process_time() - started[0]

    gc.callbacks.append(callback)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=150)
    args = parser.parse_args(argv)

    from ingest import machine, write_corpus

    import kb.extract.pipeline as pipeline
    import kb.ingest.run as run
    import kb.store.write as write
    from kb.nlp import _datelines, _paragraph_breaks, get_nlp
    from kb.store import Store

    for name in ("find_times", "find_actors", "find_quotes", "infer_genders", "_subjects",
                 "_resolve_quotes", "find_triggers", "find_events"):
        _timed(pipeline, name, f"extract: {name.lstrip('_')}")
    _timed(run, "_extract", "extract (parse_doc)")
    _timed(run, "_parse_batch", "parse + extract")
    _timed(run, "_store", "store (add_article)")
    for name in ("resolve_article_actors", "consolidate_article", "_insert_returning",
                 "tally", "load_rules", "apply_splits"):
        _timed(write, name, f"store: {name.lstrip('_')}")
    _gc_timer()

    with tempfile.TemporaryDirectory(prefix="kb-breakdown-") as tmp:
        folder = Path(tmp) / "articles"
        words = write_corpus(folder, args.articles)
        nlp = get_nlp()
        docs = [nlp.make_doc(p.read_text(encoding="utf-8")) for p in sorted(folder.iterdir())]
        start = time.process_time()
        for doc in docs:  # as in the pipeline, before the parser: no boundaries yet
            _datelines(_paragraph_breaks(doc))
        own = time.process_time() - start
        del docs
        store = Store.open(f"sqlite:///{tmp}/kb.sqlite")
        TIMES.clear()
        start, wall = time.process_time(), time.perf_counter()
        summary = run.ingest(store, [str(folder)], workers=1)
        total, wall = time.process_time() - start, time.perf_counter() - wall
        store.close()

    n = summary.new
    spacy = TIMES["parse + extract"] - TIMES["extract (parse_doc)"] - own
    rows = [("spaCy nlp.pipe (the model's components)", spacy),
            ("kb's sentence-boundary components", own),
            ("extract (parse_doc)", TIMES["extract (parse_doc)"]),
            *sorted(((k, v) for k, v in TIMES.items() if k.startswith("extract: ")),
                    key=lambda kv: -kv[1]),
            ("store (add_article)", TIMES["store (add_article)"]),
            *sorted(((k, v) for k, v in TIMES.items() if k.startswith("store: ")),
                    key=lambda kv: -kv[1]),
            ("garbage collection (inside the above)", TIMES["garbage collection"]),
            ("the rest (reading, look-ups, orchestration)",
             total - TIMES["parse + extract"] - TIMES["store (add_article)"])]
    print(f"{n} articles, {words:,} words; CPU {total:.1f} s, wall {wall:.1f} s; {machine()}")
    print(f"{'part':50} {'ms/article':>10} {'% of spaCy':>10}")
    for label, seconds in rows:
        indent = "  " if label.startswith(("extract: ", "store: ")) else ""
        print(f"{indent + label:50} {1000 * seconds / n:10.1f} {100 * seconds / spacy:9.1f}%")
    print(f"kb beyond spaCy: {1000 * (total - spacy) / n:.1f} ms/article, "
          f"{100 * (total - spacy) / spacy:.0f}% of spaCy's time "
          f"(b/a at most {spacy / total:.2f} on one core); load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
