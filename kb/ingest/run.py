"""The ingest job: files in, parsed articles stored, one transaction per article.

Streaming: files are read lazily and parsed in batches with spaCy's ``nlp.pipe``
(``workers`` processes), so memory stays flat however large the archive. A bad file is
reported by name with its reason and skipped; what was stored before stays intact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.errors import KBError
from kb.ingest.article import Article
from kb.ingest.discover import expand_paths
from kb.ingest.readers import ReadFailure, parse_date, read_path

if TYPE_CHECKING:
    from kb.store import Store

__all__ = ["IngestSummary", "ingest"]


@dataclass
class IngestSummary:
    """What one ingest run did."""

    files: int = 0
    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: list[ReadFailure] = field(default_factory=list)
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
            "replaced": self.replaced, "failed": [
                {"path": f.path, "line": f.line, "reason": f.reason} for f in self.failed],
            "events": self.events, "statements": self.statements,
            "actors_added": self.actors_added, "warnings": self.warnings,
        }


def ingest(
    store: Store,
    paths: list[str],
    *,
    published: str | None = None,
    encoding: str = "utf-8",
    workers: int = 1,
    batch_size: int = 32,
    progress: Callable[[int, int], None] | None = None,
) -> IngestSummary:
    """Read, parse and store every article under ``paths`` (files, folders, globs).

    ``published`` (YYYY-MM-DD) overrides every article's date; an article already stored
    is "unchanged" unless ``published`` gives it a different date, when it is re-parsed
    and its rows replaced. ``progress(done_files, total_files)`` is called as files finish.
    """
    from kb.extract.pipeline import coerce_date, parse_doc
    from kb.nlp import get_nlp

    if published is not None:
        published = parse_date(published, "--published")
    files = expand_paths(paths)
    summary = IngestSummary(files=len(files))
    nlp = get_nlp()

    def articles() -> Iterator[tuple[str, tuple[Article, bool, int]]]:
        for n, path in enumerate(files, start=1):
            for item in read_path(Path(path), encoding=encoding, published=published):
                if isinstance(item, ReadFailure):
                    summary.failed.append(item)
                    continue
                stored = store.get_article(item.id)
                replace = False
                if stored is not None:
                    if published is None or stored.get("published") == published:
                        summary.unchanged += 1
                        continue
                    replace = True
                yield item.text, (item, replace, n)
            if progress:
                progress(n, len(files))

    stream = nlp.pipe(articles(), as_tuples=True, batch_size=batch_size,
                      n_process=max(1, workers))
    for doc, (article, replace, _n) in stream:
        parsed = parse_doc(doc, coerce_date(article.published))
        try:
            result = store.add_article(article, parsed, replace=replace)
        except KBError as exc:
            summary.failed.append(ReadFailure(article.path or "?", str(exc), article.line))
            continue
        if result.status == "unchanged":
            summary.unchanged += 1
            continue
        if result.status == "replaced":
            summary.replaced += 1
        else:
            summary.new += 1
        summary.events += result.events
        summary.statements += result.statements
        summary.actors_added += result.actors_added
        where = f"{article.path}:{article.line}" if article.line else article.path
        summary.warnings.extend(f"{where}: {w}" for w in parsed.warnings)
    return summary
