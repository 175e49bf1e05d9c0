"""Re-extraction: stored articles parsed again by the current extractor.

Every article records the version of the extractor that produced its facts
(:data:`kb.extract.EXTRACTOR_VERSION`). :func:`reprocess` parses each article an older
extractor read (or every article) again from its stored text and published date, and
replaces its rows in one transaction, stamped with the current version. A run that is
killed leaves every article either as it was or fully re-extracted; running it again
skips the articles already current and finishes the rest. Parsing runs here or in
worker processes exactly as :func:`kb.ingest.run.ingest` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kb.errors import DatabaseError, KBError
from kb.ingest.limits import Limits
from kb.ingest.readers import ReadFailure
from kb.ingest.run import _Item, _parse_here, _parse_in_workers

if TYPE_CHECKING:
    from kb.extract.types import ParsedArticle
    from kb.store import Store

__all__ = ["ReprocessSummary", "reprocess"]


@dataclass
class ReprocessSummary:
    """What one re-extraction run did: articles re-extracted, already current (left
    alone), gone (deleted while the run was under way) and failed, with the facts the
    re-extracted articles now hold."""

    version: str
    reprocessed: int = 0
    current: int = 0
    gone: int = 0
    failed: list[ReadFailure] = field(default_factory=list)
    events: int = 0
    statements: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version, "reprocessed": self.reprocessed,
            "current": self.current, "gone": self.gone,
            "failed": [{"path": f.path, "line": f.line, "reason": f.reason}
                       for f in self.failed],
            "events": self.events, "statements": self.statements,
            "warnings": self.warnings,
        }


def reprocess(
    store: Store,
    *,
    everything: bool = False,
    workers: int = 1,
    batch_size: int = 32,
    progress: Callable[[int, int], None] | None = None,
) -> ReprocessSummary:
    """Re-extract the stored articles an older extractor read (``everything``: all).

    Each article is parsed from its stored text and published date and its rows are
    replaced in one transaction; an article the parser or extractor fails on is a
    failure in the summary (by path) and keeps its old facts. ``progress(done, total)``
    is called as articles are stored. A database failure stops the run
    (:class:`kb.errors.DatabaseError`); what was stored stays.
    """
    from kb.extract import EXTRACTOR_VERSION
    from kb.nlp import get_nlp

    summary = ReprocessSummary(version=EXTRACTOR_VERSION)
    todo = store.stale_articles(None if everything else EXTRACTOR_VERSION)
    if not everything:
        summary.current = max(0, store.article_count() - len(todo))
    if not todo:
        if progress:
            progress(0, 0)
        return summary
    nlp = get_nlp()  # before forking: workers share it, and a missing model fails here
    nlp.max_length = max(nlp.max_length, Limits().max_chars + 1)
    pending = _pending(store, todo, summary)
    if workers <= 1:
        parsed = _parse_here(nlp, pending, batch_size)
    else:
        parsed = _parse_in_workers(pending, workers, batch_size, nlp.max_length)
    for item, result in parsed:
        if isinstance(result, str):
            summary.failed.append(_failure(item.article.path, item.article.line, result))
        else:
            _store(store, item.article, result, EXTRACTOR_VERSION, summary)
        if progress:
            progress(item.file_no, len(todo))
    if progress:
        progress(len(todo), len(todo))
    return summary


def _pending(
    store: Store, todo: list[dict[str, Any]], summary: ReprocessSummary
) -> Iterator[_Item]:
    """The stale articles, loaded one at a time (at most a parsing window in memory)."""
    for n, entry in enumerate(todo, start=1):
        article = store.load_article(entry["row"])
        if article is None:
            summary.gone += 1
            continue
        if article.id != entry["id"]:
            summary.failed.append(_failure(
                entry["path"], entry["line"],
                f"the stored text no longer hashes to the article's identity "
                f"{entry['id']}; re-ingest the source file instead"))
            continue
        yield _Item(article, True, n)


def _store(
    store: Store, article: Any, parsed: ParsedArticle, version: str,
    summary: ReprocessSummary,
) -> None:
    try:
        result = store.add_article(article, parsed, replace=True, extractor=version)
    except DatabaseError:
        raise  # the database failed, not this article: stop the run
    except KBError as exc:
        summary.failed.append(_failure(article.path, article.line, str(exc)))
        return
    summary.reprocessed += 1
    summary.events += result.events
    summary.statements += result.statements
    where = f"{article.path}:{article.line}" if article.line else article.path
    summary.warnings.extend(f"{where}: {w}" for w in parsed.warnings)


def _failure(path: str | None, line: int | None, reason: str) -> ReadFailure:
    return ReadFailure(path or "?", reason, line)
