"""Archive readers: web crawls (WARC, WARC.gz), news feeds (RSS, Atom) and crawler JSON.

Each streams its file record by record, so memory stays bounded however large the
archive, and yields Articles, a ReadFailure for each broken record (by record number),
and at the end one :class:`Skipped` with the number of records that are not articles.

- WARC (warcio): each HTTP ``response`` record of an HTML page with status 200 is
  read like an HTML file (main text, title, the page's own published date; the crawl
  date is not a publication date and is never used as one) with the record's target
  URI as ``url``. Requests, metadata, redirects, non-HTML bodies and pages with no
  article text are skipped and counted. A record larger than the article size limit is
  skipped with its reason; a damaged archive is reported at the record where it breaks.
- RSS and Atom (feedparser): each item's content (or summary), title, link and date.
- JSON (``.json``): one record or a list of records, in kb's form or as common news
  crawlers write them (``maintext``, ``date_publish``, ``source_domain``); see
  :func:`kb.ingest.readers.record_article`. JSON Lines files take the same records.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.errors import InputError
from kb.ingest.article import Article
from kb.ingest.limits import Limits, megabytes
from kb.ingest.readers import ReadFailure, _read_html, decode_text, record_article

__all__ = ["Skipped", "read_warc", "read_feed", "read_json"]


@dataclass(frozen=True)
class Skipped:
    """Records of an archive that are not articles, counted, not failures."""

    path: str
    count: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.count} {self.reason}"


Item = Article | ReadFailure | Skipped

_CHARSET = re.compile(r"charset=([\w-]+)", re.I)
_TAGS = re.compile(r"<[^>]+>")


def read_warc(path: Path, name: str, limits: Limits) -> Iterator[Item]:
    """The article pages of a WARC or WARC.gz file (see the module docstring)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    skipped = 0
    number = 0
    try:
        with path.open("rb") as f:
            for number, record in enumerate(ArchiveIterator(f), start=1):
                item = _warc_record(record, name, number, limits)
                if item is None:
                    skipped += 1
                else:
                    yield item
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
        reason = " ".join(str(exc).split())[:200]
        yield ReadFailure(name, f"damaged WARC archive after record {number} ({reason}); "
                                "the records before it were read", number + 1)
    if skipped:
        yield Skipped(name, skipped, "WARC records that are not article pages (requests, "
                                     "metadata, redirects, other media, pages with no text)")


def _warc_record(record: Any, name: str, number: int, limits: Limits) -> Item | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    kind = (record.http_headers.get_header("Content-Type") or "").lower()
    if "html" not in kind:
        return None
    body = record.content_stream().read(limits.max_bytes + 1)
    if len(body) > limits.max_bytes:
        return ReadFailure(name, f"page larger than {megabytes(limits.max_bytes)}, the "
                                 "limit for one article; raise --max-chars", number)
    charset = _CHARSET.search(kind)
    where = f"{name}:{number}"
    try:
        text = decode_text(body, where, charset.group(1) if charset else "utf-8")
    except InputError:
        try:
            text = body.decode("utf-8", errors="replace")
        except LookupError:
            return None
    try:
        article = _read_html(text, where)
    except InputError:
        return None  # no article text on this page: an index, a login page...
    uri = record.rec_headers.get_header("WARC-Target-URI")
    return Article(text=article.text, published=article.published, title=article.title,
                   publisher=article.publisher, url=uri or article.url, credit=article.credit,
                   path=name, line=number, format="warc")


def read_feed(data: bytes, name: str) -> Iterator[Item]:
    """The items of an RSS or Atom feed that carry text."""
    import feedparser

    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        yield ReadFailure(name, f"not an RSS or Atom feed ({feed.get('bozo_exception')})")
        return
    publisher = feed.feed.get("title")
    skipped = 0
    for number, entry in enumerate(feed.entries, start=1):
        body = _entry_text(entry)
        if not body:
            skipped += 1
            continue
        yield Article(text=body, published=_entry_date(entry), title=entry.get("title"),
                      publisher=publisher, url=entry.get("link"), path=name, line=number,
                      format="feed")
    if skipped:
        yield Skipped(name, skipped, "feed items with no text")


def _entry_text(entry: Any) -> str:
    parts = [c.get("value", "") for c in entry.get("content", []) or []]
    raw = max(parts, key=len) if parts else entry.get("summary", "")
    return " ".join(html.unescape(_TAGS.sub(" ", raw or "")).split())


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                day = dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).date()
            except (OverflowError, ValueError, OSError):
                return None
            return day.isoformat()
    return None


def read_json(data: bytes, name: str, encoding: str) -> Iterator[Item]:
    """The records of a JSON file: one object or a list of them."""
    try:
        document = json.loads(decode_text(data, name, encoding))
    except InputError as exc:
        yield ReadFailure(name, str(exc).removeprefix(f"{name}: "))
        return
    except json.JSONDecodeError as exc:
        yield ReadFailure(name, f"malformed JSON ({exc.msg} at line {exc.lineno})")
        return
    records = document if isinstance(document, list) else [document]
    for number, obj in enumerate(records, start=1):
        yield record_article(obj, name, number, "json")
