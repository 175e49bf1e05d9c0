"""What the statement and event queries share: filters, ordering and paging.

A record query runs in two steps. First the ids of the matching facts, in order and
page by page (``limit``/``offset``), read from the indexes alone; then the record
columns of just those ids, joined by primary key (:func:`fetch_by_ids`). Splitting the
two keeps a page cheap however many facts match, and gives PostgreSQL's planner the
exact number of rows to join (one statement doing both misjudged date windows by 30x
and hash-joined whole tables).

Order is by date, oldest first or newest first, ties by id; facts with no date come
last either way. Dated and undated facts are read by two index-ordered queries
(:func:`page_ids`), because no single index order puts NULLs last in both directions
on both databases.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    and_,
    bindparam,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
    union,
    union_all,
)
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from kb.store.models import LONG_INTERVAL_DAYS, ActorAliasRow, ActorRow, ArticleRow
from kb.store.readsql import in_list, run

__all__ = [
    "CHUNK",
    "SOURCE_COLUMNS",
    "iso",
    "source_record",
    "is_head",
    "window",
    "window_params",
    "actor_ids",
    "fulltext_mode",
    "fulltext_clause",
    "ordered",
    "page_ids",
    "fetch_by_ids",
    "split_names",
]

#: Ids sent to the database in one list parameter when fetching records.
CHUNK = 5_000
#: Separates the values an aggregate packs into one column (never in names or roles).
SEP, SUB = "\x1f", "\x1e"
_WORD = re.compile(r"\w+", re.UNICODE)
_A = ArticleRow.__table__.c
SOURCE_COLUMNS = (_A.hash, _A.title, _A.publisher, _A.published, _A.path, _A.url)


def iso(value: dt.date | str | None) -> str | None:
    """``YYYY-MM-DD`` from a date (PostgreSQL) or ISO text (SQLite)."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def event_date(value: Any, start: str | None, end: str | None, granularity: Any,
               basis: str | None) -> dict[str, Any] | None:
    """An event record's ``date`` (``start``/``end`` already ISO days), or None when the
    event has none."""
    if value is None and start is None:
        return None
    return {"value": value, "start": start, "end": end, "granularity": granularity,
            "basis": basis or "stated"}


def statement_date(start: Any, value: Any, granularity: Any, basis: str | None,
                   ) -> dict[str, Any]:
    """A statement record's date fields: its own stated date, or none and the basis
    "reported" (filed under its article's date)."""
    stated = basis == "stated"
    return {
        "date": iso(start) if stated else None,
        "date_value": value if stated else None,
        "date_granularity": granularity if stated else None,
        "date_basis": "stated" if stated else "reported",
    }


def source_record(article: Sequence[Any]) -> dict[str, Any]:
    """The source record from the :data:`SOURCE_COLUMNS` values."""
    hash_, title, publisher, published, path, url = article
    return {
        "id": hash_,
        "title": title,
        "publisher": publisher,
        "published": iso(published),
        "path": path,
        "url": url,
    }


def is_head(c: Any, group: str, dialect: str) -> Any:
    """The condition that a row of the table with columns ``c`` is its group's head
    report (``group`` "claim_id" or "cluster_id" equals its id): one row per claim or
    consolidated event.

    On PostgreSQL it is written ``(group = id) IS TRUE`` (the same rows), an expression
    the database keeps statistics on (migration 0010): it cannot estimate how many rows
    have two of their own columns equal, guesses one in two hundred where most reports
    are heads, and then sorted every match of a page's other filters instead of walking
    an index until the page was full. SQLite plans the plain comparison well.
    """
    same = c[group] == c.id
    return same.is_(true()) if dialect == "postgresql" else same


def window(c: Any, since: bool, until: bool) -> tuple[Any, Any]:
    """Interval overlap with [since, until] as two branches, each an index range.

    Short intervals (``date_long`` false) start at most LONG_INTERVAL_DAYS before they
    end, so ``date_start >= since - LONG_INTERVAL_DAYS`` bounds their scan from below;
    the few long ones are a second range. :func:`ordered` runs the branches as a
    ``UNION ALL``: as one ``OR`` SQLite preferred walking the whole date-order index.
    """
    short, long_ = [c.date_long == false()], [c.date_long == true()]
    if since:
        short.append(c.date_start >= bindparam("since_floor", type_=Date))
        for branch in (short, long_):
            branch.append(c.date_end >= bindparam("since", type_=Date))
    if until:
        for branch in (short, long_):
            branch.append(c.date_start <= bindparam("until", type_=Date))
    return and_(*short), and_(*long_)


def window_params(params: dict[str, Any], since: dt.date | None, until: dt.date | None) -> None:
    """Add the :func:`window` parameters for ``since``/``until`` to ``params``."""
    if since is not None:
        params["since"] = since
        # never before 0001-01-01, whatever --since says
        params["since_floor"] = dt.date.fromordinal(
            max(1, since.toordinal() - LONG_INTERVAL_DAYS))
    if until is not None:
        params["until"] = until


def actor_ids(param: str, dialect: str) -> Any:
    """Ids of actors whose name key or alias key is in the list parameter ``param``."""
    actors, aliases = ActorRow.__table__.c, ActorAliasRow.__table__.c
    return union(
        select(actors.id).where(in_list(actors.key, param, dialect, of_text=True)),
        select(aliases.actor_id).where(in_list(aliases.key, param, dialect, of_text=True)),
    )


def fulltext_mode(dialect: str, fts: bool, contains: str) -> tuple[str, str]:
    """How to search for ``contains``: ``(mode, parameter)``.

    "fts5" (SQLite FTS5 index, porter-stemmed words, every word required), "tsvector"
    (PostgreSQL ``to_tsvector @@ plainto_tsquery``, English stemming, GIN index) or
    "like" (case-insensitive substring; used without full-text support or when
    ``contains`` has no word characters).
    """
    words = _WORD.findall(contains)
    if fts and words and dialect == "sqlite":
        return "fts5", " ".join('"' + w.replace('"', '""') + '"' for w in words)
    if fts and words and dialect == "postgresql":
        return "tsvector", contains
    escaped = contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "like", f"%{escaped}%"


def fulltext_clause(c: Any, mode: str) -> Any:
    """The ``contains`` filter on the statements columns ``c`` for a :func:`fulltext_mode`."""
    param: Any = bindparam("contains")
    if mode == "fts5":
        matches = sql_text("SELECT rowid FROM statements_fts WHERE statements_fts MATCH :contains")
        return c.id.in_(matches.columns(rowid=Integer))
    if mode == "tsvector":
        vector = func.to_tsvector(literal_column("'english'"), c.content_text)
        return vector.op("@@")(func.plainto_tsquery(literal_column("'english'"), param))
    return c.content_text.ilike(param, escape="\\")


def walks(since: bool, until: bool, newest: bool) -> bool:
    """Whether a window open at the end its pages start from ("from a day on", newest
    first) is read best as one walk down the date index, stopping when the page is
    full, rather than as the :func:`window` ranges, which must be sorted whole."""
    return (since and not until and newest) or (until and not since and not newest)


def ordered(
    query: Select[Any],
    c: Any,
    dated: bool | None,
    newest: bool,
    limited: bool,
    branches: tuple[Any, ...] = (),
    rank: Any = None,
    walk: bool = False,
) -> Any:
    """``query`` (ids of the table with columns ``c``) in date (then id) order: only dated
    rows, only undated ones, or (``dated`` None) all, undated last; with
    ``:limit``/``:offset`` when ``limited``.

    With ``branches`` (a :func:`window`), the rows of each branch, as a ``UNION ALL``
    (a window implies dated rows), or with ``walk`` (:func:`walks`) the dated rows in
    either branch, in the same order. With ``rank`` (a column of ``c``), rows of one day
    are ordered by it before their id, unranked (null) ones last; newest first reverses
    that too.
    """
    if branches and walk:
        query, branches, dated = query.where(or_(*branches)), (), True
    if branches:
        # An expression, not the column: ordering by the column itself made SQLite walk
        # the whole (date_start, id) index instead of the window's ranges.
        query = query.add_columns(func.coalesce(c.date_start, c.date_end).label("day"))
        if rank is not None:
            query = query.add_columns(rank.label("rank"))
        compound: Any = union_all(*(query.where(branch) for branch in branches))
        day: Any = literal_column("day")
        key: Any = literal_column("id")
        ranks = _rank_keys(literal_column("rank") if rank is not None else None, newest)
        keys: tuple[Any, ...] = (
            (day.desc(), *ranks, key.desc()) if newest else (day, *ranks, key)
        )
    elif dated is None:
        compound = query
        day = c.date_start.desc() if newest else c.date_start.asc()
        keys = (day.nulls_last(), *_rank_keys(rank, newest), c.id.desc() if newest else c.id)
    elif dated:
        compound = query.where(c.date_start.is_not(None))
        ranks = _rank_keys(rank, newest)
        keys = (
            (c.date_start.desc(), *ranks, c.id.desc())
            if newest
            else (c.date_start, *ranks, c.id)
        )
    else:
        compound = query.where(c.date_start.is_(None))
        keys = (c.id.desc(),) if newest else (c.id,)
    compound = compound.order_by(*keys)
    if limited:
        compound = compound.limit(bindparam("limit", type_=Integer))
        compound = compound.offset(bindparam("offset", type_=Integer))
    return compound


def _rank_keys(rank: Any, newest: bool) -> tuple[Any, ...]:
    """Order keys for a within-day ``rank``: nulls last, or first when reversed, so the
    newest-first order is exactly the reverse of the oldest-first one on both databases
    (PostgreSQL reads that straight off its index; SQLite sorts within each day)."""
    if rank is None:
        return ()
    return (rank.desc().nulls_first(),) if newest else (rank.asc().nulls_last(),)


def page_ids(
    conn: Connection,
    build: Callable[[bool | None, bool], Any],
    params: Mapping[str, Any],
    limit: int | None,
    offset: int,
    dated_only: bool,
) -> list[int]:
    """The ids of one page: dated rows first, then (unless ``dated_only``) undated ones.

    ``build(dated, limited)`` returns the ids query of :func:`ordered`. A page reads the
    dated rows off an index in order, and the undated ones only when the dated ones do
    not fill it; without ``limit`` one query returns every id.
    """
    if limit is None:  # everything: one query, sorted by the database
        ids = [r[0] for r in run(conn, build(None, False), params)]
        return ids[offset:] if offset else ids
    page = dict(params, limit=limit, offset=offset)
    ids = [r[0] for r in run(conn, build(True, True), page)]
    if dated_only or len(ids) >= limit:
        return ids
    skip = 0
    if offset and not ids:
        skip = offset - len(run(conn, build(True, False), params))
    page.update(limit=limit - len(ids), offset=max(0, skip))
    return ids + [r[0] for r in run(conn, build(False, True), page)]


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def fetch_by_ids(conn: Connection, query: Select[Any], ids: Sequence[int]) -> list[Any]:
    """Rows of ``query`` (filtered on the list parameter ``ids``; first column the id)
    for ``ids``, in the order of ``ids``."""
    rows: list[Any] = []
    for chunk in _chunks(ids):
        rows.extend(run(conn, query, {"ids": list(chunk)}))
    position = {fact_id: i for i, fact_id in enumerate(ids)}
    rows.sort(key=lambda r: position[r[0]])
    return rows


def split_names(packed: str | None) -> list[str]:
    """The sorted values an aggregate packed into one column with :data:`SEP`."""
    return sorted(packed.split(SEP)) if packed else []
