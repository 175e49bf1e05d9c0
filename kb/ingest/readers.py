"""Readers: one per input format, each turning a file into Articles.

- plain text in the seed's form: the first line may begin with ``date YYYY-MM-DD``
  with the body continuing on the same line; a trailing credit line such as
  ``IMAGE: AP`` is metadata, not content;
- ``.txt``/``.md`` with an optional front-matter block (title, published, publisher, url);
- JSON Lines (``.jsonl``), one article per line (schemas/article.schema.json);
- HTML pages (``.html``/``.htm``): main text, title and published date.

A bad file raises an :class:`~kb.errors.InputError` naming the file and the reason.
A JSON Lines file yields each good line and reports each bad one (see
:func:`read_path`), so one malformed line loses nothing else. Only regular files are
read, within the size limits of :mod:`kb.ingest.limits`. A NUL character or a lone
surrogate inside an otherwise good text (which no database can store as text) becomes
U+FFFD, so every offset into the text stays where it was.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import json
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kb.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    FormatError,
    InputError,
)
from kb.ingest.article import Article
from kb.ingest.limits import Limits, megabytes

__all__ = [
    "SUFFIXES",
    "kind_of",
    "is_article_file",
    "ReadFailure",
    "decode_text",
    "parse_date",
    "parse_plain_text",
    "read_path",
    "record_article",
]

SUFFIXES = {".txt": "text", ".md": "text", ".markdown": "text", ".jsonl": "jsonl",
            ".html": "html", ".htm": "html", ".json": "json", ".warc": "warc",
            ".rss": "feed", ".atom": "feed"}


def kind_of(path: Path) -> str:
    """The reader for ``path``: by suffix (``.warc.gz`` is a WARC; an ``.xml`` file
    named on the command line is read as a feed), plain text otherwise."""
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return "warc"
    suffix = path.suffix.lower()
    return SUFFIXES.get(suffix) or ("feed" if suffix == ".xml" else "text")


def is_article_file(path: Path) -> bool:
    """Whether a file found inside a folder is read (the suffixes above, .warc.gz)."""
    return path.suffix.lower() in SUFFIXES or path.name.lower().endswith(".warc.gz")

_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")
_CREDIT = re.compile(
    r"^\s*(?:IMAGE|IMAGES|PHOTO|PHOTOS|PICTURE|CREDIT|FILE PHOTO|VIDEO|GRAPHIC|"
    r"Image|Photo|Picture|Credit)\s*(?:\([^)]*\))?\s*:\s*\S.{0,80}$"
)
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
#: Characters no database can store as text: NUL, and UTF-16 surrogates standing alone.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True)
class ReadFailure:
    """A file (or a line of one) that could not be read, and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


def parse_date(value: str, where: str = "date") -> str:
    """Parse an ISO date (YYYY-MM-DD, or a datetime whose date is taken) to YYYY-MM-DD.

    >>> parse_date("2022-02-21T10:00:00Z")
    '2022-02-21'
    """
    value = str(value).strip()
    try:
        if _ISO_DAY.fullmatch(value):
            return dt.date.fromisoformat(value).isoformat()
        if _ISO_TIME.match(value):
            return dt.datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    raise FormatError(f"{where}: {value!r} is not a date; write it as YYYY-MM-DD")


def decode_text(data: bytes, path: str, encoding: str = "utf-8") -> str:
    """Bytes to text, refusing binary and wrongly encoded files with a clear reason.

    The bytes are decoded first, so wide encodings (``utf-16``) work; a file that does
    not decode and has NUL bytes, or decodes to NULs or many control characters near
    its start, is binary.
    """
    if not data.strip():
        raise EmptyInputError(f"{path}: empty file")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:8192]:
            raise BinaryInputError(
                f"{path}: binary file (NUL bytes), not a text article (for UTF-16 text "
                "pass --encoding utf-16)"
            ) from None
        bad = data[exc.start]
        raise EncodingError(
            f"{path}: not {encoding.upper()} text (byte 0x{bad:02x} at offset "
            f"{exc.start}); convert it to UTF-8 or pass --encoding"
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; pass e.g. --encoding latin-1") from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text[:8192]:
        raise BinaryInputError(
            f"{path}: binary file (NUL bytes), not a text article (for UTF-16 text pass "
            "--encoding utf-16)"
        )
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise BinaryInputError(f"{path}: binary file (control characters), not a text article")
    if not text.strip():
        raise EmptyInputError(f"{path}: empty file (only white space)")
    return text


def _front_matter(text: str, path: str) -> tuple[dict[str, str], str]:
    match = _FRONT.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    # Split on line breaks only: U+2028 and friends inside a value stay in the value.
    for raw in re.split(r"\r?\n", match.group(1)):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        kv = _FRONT_KEY.match(raw.strip())
        if not kv:
            raise FormatError(f"{path}: front matter line {raw.strip()!r} is not `key: value`")
        meta[kv.group(1).lower()] = kv.group(2).strip().strip("\"'")
    return meta, text[match.end():]


def parse_plain_text(text: str, path: str = "<text>") -> Article:
    """Parse an article in the seed's plain-text form (front matter optional).

    >>> a = parse_plain_text("date 2022-02-21 Blinken spoke.\\n\\nIMAGE: AP\\n")
    >>> a.published, a.text, a.credit
    ('2022-02-21', 'Blinken spoke.', 'IMAGE: AP')
    """
    meta, body = _front_matter(text, path)
    published = None
    for key in ("published", "date", "published_at", "pubdate"):
        if meta.get(key):
            published = parse_date(meta[key], f"{path}: front matter {key}")
            break
    date_line = _DATE_LINE.match(body)
    if date_line:
        try:
            stated = dt.date.fromisoformat(date_line.group(1)).isoformat()
        except ValueError:
            raise FormatError(
                f"{path}: first line date {date_line.group(1)!r} is not a real date"
            ) from None
        published = published or stated
        body = body[date_line.end():]
    lines = body.rstrip().split("\n")
    credit = None
    if lines and _CREDIT.match(lines[-1]):
        credit = lines.pop().strip()
    body = "\n".join(lines).strip()
    if not body:
        raise EmptyInputError(f"{path}: no article text (only metadata)")
    title = meta.get("title") or None
    if title is None and path.endswith((".md", ".markdown")):
        heading = re.match(r"#\s+(.+)\n", body)
        if heading:
            title = heading.group(1).strip()
    return Article(
        text=body,
        published=published,
        title=title,
        publisher=meta.get("publisher") or meta.get("source") or None,
        url=meta.get("url") or None,
        credit=credit,
        path=path,
        format="text",
    )


def _jsonl_lines(
    path: Path, name: str, encoding: str, max_bytes: int
) -> Iterator[tuple[int, str | ReadFailure]]:
    """The lines of a JSON Lines file, read one at a time (an archive may be huge); a
    line longer than ``max_bytes`` is reported and skipped without being held."""
    with path.open("rb") as f:
        head = f.read(8192)
        if not head.strip():
            raise EmptyInputError(f"{name}: empty file")
        if b"\x00" in head:
            raise BinaryInputError(f"{name}: binary file (NUL bytes), not JSON Lines")
        f.seek(0)
        number = 0
        while raw := f.readline(max_bytes + 1):
            number += 1
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                yield number, ReadFailure(
                    name, f"line longer than {megabytes(max_bytes)}, the limit for one "
                    "article; raise --max-chars", number)
                continue
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                yield number, ReadFailure(
                    name, f"not {encoding.upper()} text (byte 0x{raw[exc.start]:02x} at "
                    f"column {exc.start + 1}); convert it to UTF-8 or pass --encoding", number)
                continue
            yield number, line.removeprefix("\ufeff") if number == 1 else line


def _read_jsonl(
    lines: Iterable[tuple[int, str | ReadFailure]], path: str
) -> Iterator[Article | ReadFailure]:
    for number, line in lines:
        if isinstance(line, ReadFailure):
            yield line
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadFailure(path, f"malformed JSON ({exc.msg} at column {exc.colno})", number)
            continue
        yield record_article(obj, path, number, "jsonl")


def record_article(obj: object, path: str, number: int, fmt: str) -> Article | ReadFailure:
    """One JSON record as an Article: kb's own fields (``text``, ``published``,
    ``title``, ``publisher``, ``url``, ``credit``; schemas/article.schema.json) or those
    common news crawlers write (``maintext``, ``date_publish``, ``title``, ``url``,
    ``source_domain``); a ReadFailure naming record ``number`` otherwise."""
    if not isinstance(obj, dict):
        return ReadFailure(path, "an article record must be a JSON object", number)
    body = obj.get("text") if obj.get("text") is not None else obj.get("maintext")
    if not isinstance(body, str) or not body.strip():
        return ReadFailure(path, 'missing or empty "text" (or "maintext") field', number)
    stated = obj.get("published") or obj.get("date_publish")
    try:
        published = parse_date(stated, f"{path}:{number}") if stated else None
    except FormatError as exc:
        return ReadFailure(path, str(exc).split(": ", 1)[-1], number)
    # The body may itself be in the seed's form (date line, credit line).
    try:
        inner = parse_plain_text(body, f"{path}:{number}")
    except InputError as exc:
        return ReadFailure(path, str(exc).split(": ", 1)[-1], number)
    return Article(
        text=inner.text,
        published=published or inner.published,
        title=_str(obj.get("title")),
        publisher=_str(obj.get("publisher") or obj.get("source_domain")),
        url=_str(obj.get("url")),
        credit=_str(obj.get("credit")) or inner.credit,
        path=path,
        line=number,
        format=fmt,
    )


def _str(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _read_html(text: str, path: str) -> Article:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, favor_precision=True
        )
    except Exception as exc:  # the extractor raises many kinds on broken markup
        raise FormatError(f"{path}: cannot extract an article from this HTML ({exc})") from None
    if doc is None:
        raise FormatError(f"{path}: no article text found in this HTML page")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    lines = [ln.strip() for ln in (data.get("text") or "").splitlines() if ln.strip()]
    title = data.get("title") or None
    if lines and title and lines[0] == title.strip():
        lines = lines[1:]  # the headline is metadata, not the first sentence
    credit = None
    if lines and _CREDIT.match(lines[-1]):
        credit = lines.pop()
    body = "\n\n".join(lines)
    if not body:
        raise EmptyInputError(f"{path}: no article text found in this HTML page")
    published = None
    if data.get("date"):
        try:
            published = parse_date(data["date"], path)
        except FormatError:
            published = None
    site = re.search(r'<meta[^>]+property=["\']og:site_name["\'][^>]+content=["\']([^"\']+)',
                     text, re.I)
    return Article(
        text=body,
        published=published,
        title=title,
        publisher=(html.unescape(site.group(1)).strip() if site else data.get("sitename"))
        or None,
        url=data.get("url") or None,
        credit=credit,
        path=path,
        format="html",
    )


def read_path(
    path: Path,
    *,
    encoding: str = "utf-8",
    published: str | None = None,
    limits: Limits | None = None,
) -> Iterator[Article | ReadFailure]:
    """Read one file, yielding Articles, a ReadFailure for each bad file, line or
    record, and for an archive one :class:`kb.ingest.archives.Skipped` counting the
    records that are not articles.

    ``published`` (YYYY-MM-DD) overrides the date the file states. Nothing here raises
    for a bad file: an unreadable, special, too large, empty, binary or malformed file
    (or JSON Lines line, or archive record) is one ReadFailure naming it and the reason.
    """
    limits = limits or Limits()
    name = str(path)
    kind = kind_of(path)
    try:
        info = path.stat()
    except OSError as exc:
        yield ReadFailure(name, f"cannot read file ({exc.strerror or exc})")
        return
    if not stat.S_ISREG(info.st_mode):
        yield ReadFailure(name, "not a regular file (a folder, device, FIFO or socket); "
                                "name an article file")
        return
    if kind == "jsonl":
        items: Iterable[Any] = _stream_jsonl(path, name, encoding, limits)
    elif kind == "warc":
        from kb.ingest.archives import read_warc

        items = read_warc(path, name, limits)
    else:
        items = _read_single(path, name, kind, encoding, info.st_size, limits)
    for item in items:
        if isinstance(item, Article):
            item = _checked(item, published, limits)
        yield item


def _read_single(
    path: Path, name: str, kind: str, encoding: str, size: int, limits: Limits
) -> Iterator[Any]:
    if size > limits.max_bytes:
        yield ReadFailure(name, f"file too large ({megabytes(size)}; the limit for one "
                                f"article is {megabytes(limits.max_bytes)}); raise --max-chars")
        return
    try:
        with path.open("rb") as f:
            data = f.read(limits.max_bytes + 1)
    except OSError as exc:
        yield ReadFailure(name, f"cannot read file ({exc.strerror or exc})")
        return
    if len(data) > limits.max_bytes:  # it grew since it was measured
        yield ReadFailure(name, f"file too large (over {megabytes(limits.max_bytes)})")
        return
    if kind in ("feed", "json"):
        from kb.ingest.archives import read_feed, read_json

        yield from read_feed(data, name) if kind == "feed" else read_json(data, name, encoding)
        return
    try:
        text = decode_text(data, name, encoding)
        yield _read_html(text, name) if kind == "html" else parse_plain_text(text, name)
    except InputError as exc:
        yield ReadFailure(name, str(exc).removeprefix(f"{name}: "))


def _checked(article: Article, published: str | None, limits: Limits) -> Article | ReadFailure:
    """The article with NULs and lone surrogates (``"\\ud800"`` in JSON) replaced, one
    character for one, and ``published`` applied; a ReadFailure when it is longer than
    the limit."""
    if len(article.text) > limits.max_chars:
        return ReadFailure(
            article.path or "?",
            f"article too long ({len(article.text):,} characters; the limit is "
            f"{limits.max_chars:,}); split it or raise --max-chars",
            article.line,
        )
    fields = {k: getattr(article, k)
              for k in ("text", "title", "publisher", "url", "credit", "path")}
    cleaned: dict[str, Any] = {k: _UNSTORABLE.sub("\ufffd", v) for k, v in fields.items()
                               if isinstance(v, str) and _UNSTORABLE.search(v)}
    if cleaned:
        article = replace(article, **cleaned)
    return article.with_published(published) if published else article


def _stream_jsonl(
    path: Path, name: str, encoding: str, limits: Limits
) -> Iterator[Article | ReadFailure]:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        yield ReadFailure(name, f"unknown encoding {encoding!r}; pass e.g. --encoding latin-1")
        return
    if codec.startswith(("utf-16", "utf-32")):
        yield ReadFailure(name, f"JSON Lines is read line by line and cannot be {codec}; "
                                "convert the file to UTF-8")
        return
    try:
        yield from _read_jsonl(_jsonl_lines(path, name, encoding, limits.max_bytes), name)
    except InputError as exc:
        yield ReadFailure(name, str(exc).removeprefix(f"{name}: "))
    except OSError as exc:
        yield ReadFailure(name, f"cannot read file ({exc.strerror or exc})")
