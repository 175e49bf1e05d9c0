"""Stored articles as the re-extraction job needs them: which are stale, and their text.

An article's facts carry the version of the extractor that produced them
(``articles.extractor``; null when stored before versions were recorded). The articles
table keeps everything needed to parse an article again: its text exactly as parsed
(offsets point into it) and its published date, with the metadata ingest read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from kb.ingest.article import Article
from kb.store.filters import iso
from kb.store.models import ArticleRow

__all__ = ["article_count", "stale_articles", "load_article"]


def article_count(conn: Connection) -> int:
    """How many articles are stored."""
    return int(conn.execute(select(func.count()).select_from(ArticleRow)).scalar_one())


def stale_articles(conn: Connection, current: str | None) -> list[dict[str, Any]]:
    """``{"row", "id", "path", "line", "extractor"}`` of every article whose facts were
    not produced by extractor version ``current`` (every article when ``current`` is
    None), in the order they were stored; no article text is read."""
    a = ArticleRow
    query = select(a.id, a.hash, a.path, a.line, a.extractor).order_by(a.id)
    if current is not None:
        query = query.where(or_(a.extractor.is_(None), a.extractor != current))
    return [
        {"row": r.id, "id": r.hash, "path": r.path, "line": r.line, "extractor": r.extractor}
        for r in conn.execute(query)
    ]


def load_article(conn: Connection, row: int) -> Article | None:
    """The stored article with row id ``row`` as an :class:`Article` (None if gone)."""
    a = ArticleRow
    found = conn.execute(
        select(
            a.text, a.published, a.title, a.publisher, a.url, a.credit, a.path, a.line,
            a.format,
        ).where(a.id == row)
    ).first()
    if found is None:
        return None
    return Article(
        text=found.text,
        published=iso(found.published),
        title=found.title,
        publisher=found.publisher,
        url=found.url,
        credit=found.credit,
        path=found.path,
        line=found.line,
        format=found.format,
    )
