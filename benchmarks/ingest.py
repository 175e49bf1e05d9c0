"""Ingest speed and memory: the whole `kb ingest` against bare spaCy on the same corpus.

The corpus is real news read at run time from the evaluation data (PolNeAR train and
dev texts with their publication dates, TempEval-3 TEXT contents with their creation
dates); nothing of it is copied into the repository. Articles are written as seed-form
text files to a temporary folder; past the end of the data the texts repeat, each
copy ending in a sentence with its index, so every article has its own hash.

In one run, on the same files, it measures articles/s and words/s of

(a) bare spaCy: the files read with ``kb.ingest.read_path`` and parsed with
    ``spacy.load(kb.nlp.model_name()).pipe``: the model kb loads, as its package ships
    it (same components, same number of processes, same batch size); kb's own two
    sentence-boundary components (paragraph breaks, datelines) are kb's work, so they
    count on side (b) only;
(b) the whole ingest: ``kb.ingest.run.ingest`` (the library function behind
    ``kb ingest``) into a fresh SQLite file, in this process;

and prints the ratio b/a (the target is at least 0.9). Each side runs in a process of
its own, in alternating order, ``--repeat`` times (default 3), and the range of the
ratios is reported with the load average, and beside it the ratio of the CPU seconds
each side used (its process and its workers): on a machine shared with other jobs the
wall-clock ratio moves with their load, the CPU ratio much less. ``--cluster
local:N`` measures (b) on a local Dask cluster (throughput per worker for
docs/scale-out.md). ``--memory`` instead ingests ``--articles`` (default 5,000)
articles and samples the resident set size of the ingest process and its workers as
it goes; peak RSS after the first 500 articles should grow less than 10%.

    python benchmarks/ingest.py --articles 300 --workers 2
    python benchmarks/ingest.py --articles 300 --workers 1 --cluster local:1
    python benchmarks/ingest.py --memory --workers 2
    python benchmarks/ingest.py --articles 60 --profile      # where ingest time goes
"""

from __future__ import annotations

import argparse
import functools
import html
import os
import platform
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
_TAG = re.compile(r"<[^>]+>")
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r'<DCT>.*?value="(\d{4}-\d{2}-\d{2})', re.S)


# -- the corpus -----------------------------------------------------------------------


def _polnear(root: Path) -> Iterator[tuple[str | None, str]]:
    dates: dict[str, str] = {}
    meta = root / "metadata.tsv"
    if meta.exists():
        lines = meta.read_text(encoding="utf-8").splitlines()
        header = lines[0].split("\t")
        name, date = header.index("filename"), header.index("publication_date")
        for line in lines[1:]:
            cols = line.split("\t")
            if len(cols) > max(name, date):
                dates[cols[name]] = cols[date]
    for split in ("train", "dev"):
        for path in sorted((root / split / "text").glob("*.txt")):
            published = dates.get(path.stem)
            yield (published if published and published[:4].isdigit() else None,
                   path.read_text(encoding="utf-8"))


def _timeml(root: Path) -> Iterator[tuple[str | None, str]]:
    for path in sorted(root.rglob("*.tml")):
        raw = path.read_text(encoding="utf-8")
        body = _TEXT.search(raw)
        if not body:
            continue
        dct = _DCT.search(raw)
        yield dct.group(1) if dct else None, html.unescape(_TAG.sub("", body.group(1)))


def sources(eval_dir: Path = EVAL) -> list[Path]:
    """The evaluation folders the corpus is drawn from (that exist here)."""
    return [p for p in (eval_dir / "polnear", eval_dir / "tempeval3") if p.exists()]


def corpus(eval_dir: Path = EVAL) -> Iterator[tuple[str | None, str]]:
    """(published, text) of every usable article, read lazily."""
    for root in sources(eval_dir):
        reader = _polnear if root.name == "polnear" else _timeml
        for published, text in reader(root):
            text = text.strip()
            if len(text.split()) >= 20:
                yield published, text


def _shorten(text: str, max_words: int) -> str:
    """The first paragraphs of ``text`` up to about ``max_words`` words."""
    out, words = [], 0
    for para in re.split(r"\n\s*\n", text):
        out.append(para)
        words += len(para.split())
        if words >= max_words:
            break
    return "\n\n".join(out)


def write_corpus(folder: Path, n: int, max_words: int | None = None) -> int:
    """Write ``n`` articles as seed-form text files into ``folder``; return the number
    of words (whitespace-separated) of their bodies."""
    folder.mkdir(parents=True, exist_ok=True)
    words = written = copy = 0
    while written < n:
        before = written
        for published, text in corpus():
            if max_words:
                text = _shorten(text, max_words)
            if copy:
                text += f"\n\nThis is archive copy number {copy} of the report."
            head = f"date {published} " if published else ""
            (folder / f"{written:06d}.txt").write_text(head + text + "\n", encoding="utf-8")
            words += len(text.split())
            written += 1
            if written == n:
                break
        if written == before:
            raise SystemExit(f"no articles found under {EVAL}; is the evaluation data there?")
        copy += 1
    return words


# -- measuring ------------------------------------------------------------------------


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(c) for t in tasks for c in (t / "children").read_text().split()]
    except OSError:
        return []


def rss_mib(pid: int | None = None) -> float:
    """Resident set of a process plus its child processes (the parser workers), MiB."""
    pid = pid or os.getpid()
    return (_rss_kib(pid) + sum(_rss_kib(c) for c in _children(pid))) / 1024


@functools.lru_cache(maxsize=1)
def bare_nlp() -> Any:
    """The model kb uses, loaded by spaCy alone (none of kb's components added)."""
    import spacy

    from kb.nlp import model_name

    return spacy.load(model_name())


def bare_spacy(folder: Path, workers: int, batch_size: int) -> tuple[int, float]:
    """(a): read every file and run it through ``nlp.pipe``; (articles, seconds)."""
    from kb.ingest import Article, expand_paths, read_path

    nlp = bare_nlp()
    start = time.perf_counter()
    texts = (a.text for p in expand_paths([str(folder)]).files for a in read_path(p)
             if isinstance(a, Article))
    count = sum(1 for _ in nlp.pipe(texts, batch_size=batch_size, n_process=workers))
    return count, time.perf_counter() - start


def full_ingest(folder: Path, db: Path, workers: int, batch_size: int,
                on_progress=None, cluster: str | None = None) -> tuple[int, float]:
    """(b): ``kb.ingest.run.ingest`` into a fresh SQLite file; (articles, seconds).
    With ``cluster`` the parsing runs on that Dask cluster (``local:N`` included)."""
    from kb.ingest.run import ingest
    from kb.store import Store

    store = Store.open(f"sqlite:///{db}")
    start = time.perf_counter()
    summary = ingest(store, [str(folder)], workers=workers, batch_size=batch_size,
                     progress=on_progress, cluster=cluster)
    elapsed = time.perf_counter() - start
    store.close()
    if summary.failed:
        raise SystemExit(f"ingest failed on {len(summary.failed)} files: {summary.failed[0]}")
    return summary.new, elapsed


def machine() -> str:
    mem = 0.0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) / 1024 / 1024
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"nproc {os.cpu_count()}, memory {mem:.1f} GiB, Python {platform.python_version()}"
            f", load average {load}")


def one_side(args: argparse.Namespace, tmp: Path) -> None:
    """Measure one side on the corpus in ``--corpus`` and print one JSON line."""
    import json

    from kb.nlp import get_nlp

    if args.side == "a":
        bare_nlp()  # load once, outside the timing
    elif not args.cluster:
        get_nlp()
    cpu = _cpu_seconds()
    if args.side == "a":
        n, t = bare_spacy(args.corpus, args.workers, args.batch_size)
    else:
        n, t = full_ingest(args.corpus, tmp / "kb.sqlite", args.workers, args.batch_size,
                           cluster=args.cluster)
    print(json.dumps({"side": args.side, "articles": n, "seconds": t,
                      "cpu": _cpu_seconds() - cpu, "load": os.getloadavg()[0]}))


def _cpu_seconds() -> float:
    """CPU seconds (user and system) of this process and of its ended child processes
    (the parser workers, which both sides end before they return)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def speed(args: argparse.Namespace, tmp: Path) -> None:
    """Both sides, each in a process of its own, in alternating order, ``--repeat``
    times: the side that runs second in one process was seen to gain about 8%."""
    import json
    import subprocess

    folder = tmp / "articles"
    words = write_corpus(folder, args.articles, args.max_words)
    print(f"corpus: {args.articles} articles, {words:,} words from "
          f"{', '.join(str(s) for s in sources())}")
    print(f"machine: {machine()}")
    what = f"--cluster {args.cluster}" if args.cluster else f"workers {args.workers}"
    print(f"(b) with {what}, batch size {args.batch_size}; (a) nlp.pipe n_process="
          f"{args.workers}; {args.repeat} rounds, each side in its own process")
    ratios, cpu_ratios = [], []
    for round_ in range(args.repeat):
        times, cpus = {}, {}
        for side in ("a", "b") if round_ % 2 == 0 else ("b", "a"):
            cmd = [sys.executable, __file__, "--side", side, "--corpus", str(folder),
                   "--workers", str(args.workers), "--batch-size", str(args.batch_size)]
            if args.cluster and side == "b":
                cmd += ["--cluster", args.cluster]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            times[side], cpus[side] = result["seconds"], result["cpu"]
            print(f"  round {round_ + 1} ({side}): {result['articles']} articles in "
                  f"{result['seconds']:.1f} s, {result['articles'] / result['seconds']:.2f} "
                  f"articles/s, {words / result['seconds']:,.0f} words/s, CPU "
                  f"{result['cpu']:.1f} s (load {result['load']:.1f})", flush=True)
        ratios.append(times["a"] / times["b"])
        cpu_ratios.append(cpus["a"] / cpus["b"])
        print(f"  round {round_ + 1}: ratio b/a {ratios[-1]:.2f} (CPU time a/b "
              f"{cpu_ratios[-1]:.2f})", flush=True)
    print(f"ratio b/a over {len(ratios)} rounds: {min(ratios):.2f} to {max(ratios):.2f} "
          "(target >= 0.9)")
    print(f"CPU time a/b (the work each side does, whatever else runs on the machine): "
          f"{min(cpu_ratios):.2f} to {max(cpu_ratios):.2f}")
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def memory(args: argparse.Namespace, tmp: Path) -> None:
    from kb.nlp import get_nlp

    folder = tmp / "articles"
    words = write_corpus(folder, args.articles, args.max_words)
    print(f"corpus: {args.articles} articles, {words:,} words "
          f"(articles cut to about {args.max_words} words)")
    print(f"machine: {machine()}")
    get_nlp()
    samples: list[tuple[int, float]] = []
    done = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            samples.append((done[0], rss_mib()))

    def on_progress(files: int, _total: int) -> None:
        done[0] = files

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    mark = [0]

    def report(files: int, total: int) -> None:
        on_progress(files, total)
        if files >= mark[0] + 500 or files == total:
            mark[0] = files - files % 500
            rss = rss_mib()
            samples.append((files, rss))
            print(f"  {files:>6} articles  {time.perf_counter() - start:7.0f} s  "
                  f"RSS {rss:7.1f} MiB (ingest process and workers)", flush=True)

    n, elapsed = full_ingest(folder, tmp / "kb.sqlite", args.workers, args.batch_size, report)
    stop.set()
    sampler.join()
    first = max((r for d, r in samples if d <= 500), default=0.0)
    peak = max(r for _, r in samples)
    growth = (peak - first) / first * 100 if first else float("nan")
    print(f"{n} articles in {elapsed:.0f} s ({n / elapsed:.2f} articles/s)")
    print(f"peak RSS over the first 500 articles: {first:.1f} MiB; over the run: "
          f"{peak:.1f} MiB; growth after the first 500: {growth:+.1f}% (target < 10%)")


def profile(args: argparse.Namespace, tmp: Path) -> None:
    import cProfile
    import pstats

    from kb.nlp import get_nlp

    folder = tmp / "articles"
    write_corpus(folder, args.articles, args.max_words)
    get_nlp()
    prof = cProfile.Profile()
    prof.enable()
    full_ingest(folder, tmp / "kb.sqlite", 1, args.batch_size)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(40)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=None,
                        help="articles to ingest (default 300; 5000 with --memory)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="parser processes for both (a) and (b) (default: nproc)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-words", type=int, default=None,
                        help="cut articles to their first paragraphs up to this many words "
                             "(default: whole articles; 120 with --memory)")
    parser.add_argument("--memory", action="store_true",
                        help="measure RSS over a long ingest instead of speed")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile one single-process ingest and print the top calls")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of the speed comparison (default 3)")
    parser.add_argument("--cluster", default=None,
                        help="(b) parses on this Dask cluster (e.g. local:2)")
    parser.add_argument("--side", choices=("a", "b"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.articles is None:
        args.articles = 5000 if args.memory else 300
    if args.memory and args.max_words is None:
        args.max_words = 120
    with tempfile.TemporaryDirectory(prefix="kb-ingest-bench-") as tmp:
        if args.side:
            one_side(args, Path(tmp))
        elif args.memory:
            memory(args, Path(tmp))
        elif args.profile:
            profile(args, Path(tmp))
        else:
            speed(args, Path(tmp))


if __name__ == "__main__":
    main()
