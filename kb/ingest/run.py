"""The ingest job: files in, parsed articles stored, one transaction per article.

Streaming: files are read lazily and at most a bounded window of articles is in flight,
so memory stays flat however large the archive. With ``workers=1`` the text is parsed
here with spaCy's ``nlp.pipe``; with more, each worker process parses *and* extracts a
chunk of articles and sends back only the plain :class:`~kb.extract.types.ParsedArticle`
records, so extraction runs in parallel too and no spaCy Doc crosses a process boundary.
This process keeps the one job that must be serial: writing to the database. A bad file
is reported by name with its reason and skipped; what was stored before stays intact.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.errors import DatabaseError, KBError
from kb.ingest.article import Article
from kb.ingest.discover import expand_paths
from kb.ingest.limits import Limits
from kb.ingest.readers import ReadFailure, parse_date, read_path

if TYPE_CHECKING:
    from kb.extract.types import ParsedArticle
    from kb.store import Store

__all__ = ["IngestSummary", "ingest"]

#: Articles a worker process parses per task. Small enough to keep every worker busy
#: on short runs, large enough for spaCy's batched tagger and parser.
CHUNK = 8
#: Tasks in flight per worker: one being parsed, one queued, so no worker ever waits
#: for this process to write.
IN_FLIGHT = 2
#: The garbage collector's thresholds while ingesting (Python's default: 700, 10, 10).
#: Parsing and extraction make and drop hundreds of thousands of small objects an
#: article, which set off a young-generation collection every few hundred objects;
#: these let it run about four times less often (it took 4-5% of an ingest).
GC_THRESHOLDS = (10_000, 50, 1_000)


@dataclass
class IngestSummary:
    """What one ingest run did."""

    files: int = 0
    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: list[ReadFailure] = field(default_factory=list)
    skipped: int = 0
    events: int = 0
    statements: int = 0
    actors_added: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files, "new": self.new, "unchanged": self.unchanged,
            "replaced": self.replaced, "skipped": self.skipped, "failed": [
                {"path": f.path, "line": f.line, "reason": f.reason} for f in self.failed],
            "events": self.events, "statements": self.statements,
            "actors_added": self.actors_added, "warnings": self.warnings,
        }


@dataclass(frozen=True)
class _Item:
    """One article waiting to be parsed: whether it replaces a stored one, and the
    number (from 1) of the file it came from, for progress."""

    article: Article
    replace: bool
    file_no: int


def ingest(
    store: Store,
    paths: list[str],
    *,
    published: str | None = None,
    encoding: str = "utf-8",
    workers: int = 1,
    batch_size: int = 32,
    limits: Limits | None = None,
    cluster: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IngestSummary:
    """Read, parse and store every article under ``paths`` (files, folders, globs).

    ``published`` (YYYY-MM-DD) overrides every article's date; an article already stored
    is "unchanged" unless ``published`` gives it a different date, when it is re-parsed
    and its rows replaced. ``workers`` processes parse and extract in parallel (1: in
    this process). ``cluster`` (a Dask scheduler address, or ``local:N``) parses on a
    Dask cluster's workers instead (see :mod:`kb.ingest.cluster`); writing stays here.
    ``limits`` bound the size of one article (see :mod:`kb.ingest.limits`).
    ``progress(done_files, total_files)`` is called as files are stored.

    Each bad file, JSON Lines line or article (unreadable, too large, malformed, or one
    the extractor fails on) is a failure in the summary; nothing else is lost.
    """
    from kb.nlp import get_nlp

    limits = limits or Limits()
    if published is not None:
        published = parse_date(published, "--published")
    found = expand_paths(paths)
    files = found.files
    summary = IngestSummary(files=len(files), failed=list(found.failures))
    pending = _pending(store, files, encoding, published, limits, summary)
    with contextlib.ExitStack() as stack:
        if cluster:
            from kb.ingest.cluster import connect, parse_on_cluster

            client = stack.enter_context(connect(cluster))
            parsed = parse_on_cluster(client, pending, max(1, min(batch_size, CHUNK)),
                                      limits.max_chars + 1)
        else:
            nlp = get_nlp()  # load before forking: workers share it; a missing model fails here
            nlp.max_length = max(nlp.max_length, limits.max_chars + 1)
            stack.enter_context(_fewer_collections())
            if workers <= 1:
                parsed = _parse_here(nlp, pending, batch_size)
            else:
                parsed = _parse_in_workers(pending, workers, batch_size, nlp.max_length)
        _store_all(store, parsed, summary, len(files), progress)
    return summary


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage less often for the run (:data:`GC_THRESHOLDS`), and leave what
    is alive now (the loaded model) out of every collection (``gc.freeze``); both are
    undone afterwards. Forked workers start with the same settings."""
    before = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _store_all(
    store: Store,
    parsed: Iterable[tuple[_Item, ParsedArticle | str]],
    summary: IngestSummary,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Write each parsed article (one transaction each), reporting progress by file."""
    reported = 0
    for item, result in parsed:
        if isinstance(result, str):
            summary.failed.append(ReadFailure(item.article.path or "?", result,
                                              item.article.line))
        else:
            _store(store, item.article, item.replace, result, summary)
        if progress and item.file_no - 1 > reported:
            reported = item.file_no - 1
            progress(reported, total)
    if progress:
        progress(total, total)


def _pending(
    store: Store,
    files: list[Path],
    encoding: str,
    published: str | None,
    limits: Limits,
    summary: IngestSummary,
) -> Iterator[_Item]:
    """Articles to parse, read lazily; unreadable and already stored ones are counted
    here and never parsed."""
    for n, path in enumerate(files, start=1):
        for item in read_path(path, encoding=encoding, published=published, limits=limits):
            if isinstance(item, ReadFailure):
                summary.failed.append(item)
                continue
            if not isinstance(item, Article):  # records of an archive that are not articles
                summary.skipped += item.count
                continue
            stored = store.get_article(item.id)
            replace = False
            if stored is not None:
                if published is None or stored.get("published") == published:
                    summary.unchanged += 1
                    continue
                replace = True
            yield _Item(item, replace, n)


def _store(
    store: Store, article: Article, replace: bool, parsed: ParsedArticle,
    summary: IngestSummary,
) -> None:
    try:
        result = store.add_article(article, parsed, replace=replace)
    except DatabaseError:
        raise  # the database failed, not this article: stop the run
    except KBError as exc:
        summary.failed.append(ReadFailure(article.path or "?", str(exc), article.line))
        return
    if result.status == "unchanged":  # another writer stored it meanwhile
        summary.unchanged += 1
        return
    if result.status == "replaced":
        summary.replaced += 1
    else:
        summary.new += 1
    summary.events += result.events
    summary.statements += result.statements
    summary.actors_added += result.actors_added
    where = f"{article.path}:{article.line}" if article.line else article.path
    summary.warnings.extend(f"{where}: {w}" for w in parsed.warnings)


# -- parsing ------------------------------------------------------------------------


def _parse_here(
    nlp: Any, items: Iterable[_Item], batch_size: int
) -> Iterator[tuple[_Item, ParsedArticle | str]]:
    """Parse and extract in this process, a batch of ``batch_size`` at a time."""
    stream = iter(items)
    while chunk := list(islice(stream, batch_size)):
        tasks = [(i.article.text, i.article.published) for i in chunk]
        yield from zip(chunk, _parse_batch(nlp, tasks, batch_size), strict=True)


def _parse_batch(
    nlp: Any, tasks: list[tuple[str, str | None]], batch_size: int
) -> list[ParsedArticle | str]:
    """Parse and extract (text, published) pairs with ``nlp.pipe``; should the parser
    fail on the batch, each article is parsed alone so only the bad one is lost."""
    try:
        docs = list(nlp.pipe((text for text, _ in tasks), batch_size=batch_size))
    except Exception:  # noqa: BLE001 - find the article it failed on, below
        return [_parse_one(nlp, text, published) for text, published in tasks]
    return [_extract(doc, published) for doc, (_, published) in zip(docs, tasks, strict=True)]


def _parse_one(nlp: Any, text: str, published: str | None) -> ParsedArticle | str:
    try:
        doc = nlp(text)
    except Exception as exc:  # noqa: BLE001 - reported as this article's failure
        return f"the parser failed on this article ({type(exc).__name__}: {exc})"
    return _extract(doc, published)


def _parse_in_workers(
    items: Iterable[_Item], workers: int, batch_size: int, max_length: int
) -> Iterator[tuple[_Item, ParsedArticle | str]]:
    """Parse and extract in ``workers`` processes; results come back in input order.

    At most ``workers * IN_FLIGHT`` chunks are out at a time, so however many files
    there are, only a few dozen articles are held in memory.
    """
    chunk_size = max(1, min(batch_size, CHUNK))
    window: deque[tuple[Future[list[ParsedArticle | str]], list[_Item]]] = deque()
    stream = iter(items)
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                             initializer=_worker_init) as pool:
        try:
            while chunk := list(islice(stream, chunk_size)):
                tasks = [(i.article.text, i.article.published) for i in chunk]
                window.append(
                    (pool.submit(_parse_chunk, tasks, chunk_size, max_length), chunk))
                if len(window) >= workers * IN_FLIGHT:
                    yield from _collect(*window.popleft())
            while window:
                yield from _collect(*window.popleft())
        finally:
            for future, _ in window:
                future.cancel()


def _collect(
    future: Future[list[ParsedArticle | str]], chunk: list[_Item]
) -> Iterator[tuple[_Item, ParsedArticle | str]]:
    yield from zip(chunk, future.result(), strict=True)


def _context() -> Any:
    """Fork where the platform has it: workers start at once with the model already
    loaded (copy-on-write); elsewhere spawn, and each worker loads the model once."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group: let the parent alone decide what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*GC_THRESHOLDS)  # as the parent's run (a spawned worker starts anew)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was killed (SIGKILL, out of memory) would wait for work
    forever: it exits as soon as it is orphaned."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _parse_chunk(
    tasks: list[tuple[str, str | None]], batch_size: int, max_length: int
) -> list[Any]:
    """Worker: parse and extract a chunk of (text, published) pairs."""
    from kb.nlp import get_nlp

    nlp = get_nlp()
    nlp.max_length = max(nlp.max_length, max_length)
    return _parse_batch(nlp, tasks, batch_size)


def _extract(doc: Any, published: str | None) -> ParsedArticle | str:
    """The extracted records, or the reason they could not be: a KBError's message, or
    for an unexpected error in the extractor its kind and message, so one article the
    extractor fails on is reported and skipped instead of ending the whole run."""
    from kb.extract.pipeline import coerce_date, parse_doc

    try:
        return parse_doc(doc, coerce_date(published))
    except KBError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - one article must not end the run
        return (f"the extractor failed on this article ({type(exc).__name__}: {exc}); "
                "please report it with the file")
