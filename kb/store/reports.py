"""The reports behind a consolidated fact, and how many sources they come from.

A claim (statement records) or a consolidated event (event records) is listed once,
as its head report; :func:`attach_reports` adds to each record of a page every report
of its group, oldest first, with its article, outlet, published date, source sentence
and the offsets of its words in the article text, and ``sources``: the number of
distinct outlets that carry it (the publisher, else the web host of its address, else
the article itself). Two copies from one outlet are one source. :func:`group_sources`
counts the same in SQL, and :func:`refresh_sources` writes that count into every report
of a group (the ``sources`` column) whenever the group changes, so a query keeps the
facts that several outlets carry with a plain column test.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import bindparam, case, distinct, func, literal_column, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from kb.store.filters import iso
from kb.store.models import ArticleRow, EventRow, SentenceRow, StatementRow
from kb.store.readsql import in_list, run

__all__ = ["attach_reports", "group_reports", "outlet", "outlet_sql", "group_sources",
           "refresh_sources"]

_S = StatementRow.__table__.c
_E = EventRow.__table__.c
_A = ArticleRow.__table__.c
_T = SentenceRow.__table__.c
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def outlet(publisher: str | None, url: str | None, article: str) -> str:
    """The source an article counts as: its publisher, the host of its address, or
    (neither known) the article itself."""
    if publisher and publisher.strip():
        return publisher.strip()
    if url:
        try:
            host = urlsplit(url).hostname
        except ValueError:  # a malformed address ("http://[::1/"): no host to name
            host = None
        if host:
            return host.removeprefix("www.")
    return article


def _text(value: str) -> Any:
    """A string constant written into the SQL (no bound parameter: the read queries are
    compiled once to text and run on the driver)."""
    return literal_column("'" + value.replace("'", "''") + "'")


#: The host of an address (``scheme://user@host:port/...`` or ``//host/...``), as
#: :func:`urllib.parse.urlsplit` finds it: the first group for ``[v6]``, else the second.
_HOST = r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//(?:[^/?#]*@)?(?:\[([^]/?#]*)\]|([^][/?#:]*))"


def outlet_sql(dialect: str, publisher: Any, url: Any, article: Any) -> Any:
    """:func:`outlet` as an SQL expression over the columns ``publisher``, ``url`` and
    ``article`` (the article's id). On SQLite it calls :func:`outlet` itself (the
    function ``kb_outlet``, registered on every connection by
    :func:`kb.store.engine.make_engine`); on PostgreSQL it is written out: the
    publisher without surrounding white space, else the address's host in lower case
    without a leading ``www.``, else the article."""
    if dialect != "postgresql":
        return func.kb_outlet(publisher, url, article)
    named = func.nullif(func.btrim(publisher, _text(" \t\n\r\f\v")), _text(""))
    host = func.lower(func.array_to_string(func.regexp_match(url, _text(_HOST)), _text("")))
    web = case(
        (host == _text(""), None),
        else_=func.regexp_replace(host, _text("^www[.]"), _text("")),
    )
    return func.coalesce(named, web, article)


@lru_cache(maxsize=8)
def group_sources(dialect: str, kind: str) -> Any:
    """The number of outlets that carry the claim (``kind`` "statements") or event
    ("events") of the row of that table in the enclosing query: a correlated scalar
    subquery over its group's reports."""
    table, column, _ = _group(kind, "source")
    return _sources(dialect, kind, table.c[column])


def _sources(dialect: str, kind: str, group: Any) -> Any:
    _, column, member = _group(kind, "source")
    article = ArticleRow.__table__.alias(f"{kind}_source_article")
    c = article.c
    return (
        select(func.count(distinct(outlet_sql(dialect, c.publisher, c.url, c.hash))))
        .select_from(member)
        .join(article, c.id == member.c.article_id)
        .where(member.c[column] == group)
        .scalar_subquery()
    )


def refresh_sources(conn: Connection, kind: str, reports: Sequence[int] | None = None,
                    ) -> None:
    """Write into each report of ``kind`` ("statements" or "events") the number of
    outlets that carry its claim or event (the ``sources`` column, the same on every
    report of a group): for the groups the reports with ids ``reports`` belong to now,
    or (None) for every group. :mod:`kb.store.consolidate` calls it whenever groups
    change, so ``min_sources`` and the source-count facet read a column instead of
    counting outlets for each fact they look at."""
    alone, several, of_reports = _refreshes(conn.dialect.name, kind)
    if reports is None:
        conn.execute(alone)
        conn.execute(several)
        return
    for at in range(0, len(reports), _REFRESH_CHUNK):
        conn.execute(of_reports, {"reports": list(reports[at:at + _REFRESH_CHUNK])})


#: Reports whose groups one statement of :func:`refresh_sources` counts again.
_REFRESH_CHUNK = 5_000


@lru_cache(maxsize=8)
def _refreshes(dialect: str, kind: str) -> tuple[Any, Any, Any]:
    """The statements of :func:`refresh_sources`: every report alone (1), every group of
    several reports counted, and the groups of the reports in the list ``:reports``."""
    table, column, _ = _group(kind, "refreshed")
    c = table.c
    counted = update(table).values(sources=_sources(dialect, kind, c[column]))
    member = table.alias(f"{kind}_member")
    several = (select(member.c[column]).where(member.c[column].is_not(None))
               .group_by(member.c[column]).having(func.count() > 1))
    groups = select(member.c[column]).where(
        member.c.id.in_(bindparam("reports", expanding=True)))
    return (update(table).where(c.sources != 1).values(sources=1),
            counted.where(c[column].in_(several)),
            counted.where(c[column].in_(groups)))


def _group(kind: str, role: str) -> tuple[Any, str, Any]:
    table = StatementRow.__table__ if kind == "statements" else EventRow.__table__
    column = "claim_id" if kind == "statements" else "cluster_id"
    return table, column, table.alias(f"{kind}_{role}")


@lru_cache(maxsize=8)
def _members(dialect: str, kind: str) -> Select[Any]:
    if kind == "statements":
        group, start, end, text, extra = (
            _S.claim_id, _S.content_start, _S.content_end, _S.content_text, _S.direct
        )
        table, article, sentence = StatementRow.__table__, _S.article_id, _S.sentence_id
        date = (_S.date_value, _S.date_basis)
    else:
        group, start, end, text, extra = (
            _E.cluster_id, _E.trigger_start, _E.trigger_end, _E.trigger_text, _E.predicate
        )
        table, article, sentence = EventRow.__table__, _E.article_id, _E.sentence_id
        date = (_E.date_value, _E.date_basis)
    return (
        select(group, table.c.id, start, end, text, extra, *date, _T.text,
               _A.hash, _A.title, _A.publisher, _A.url, _A.published)
        .select_from(table)
        .join(ArticleRow.__table__, _A.id == article)
        .outerjoin(SentenceRow.__table__, _T.id == sentence)
        .where(in_list(group, "ids", dialect))
    )


def attach_reports(conn: Connection, kind: str, records: list[dict[str, Any]]) -> None:
    """Give every record of ``kind`` ("statements" or "events") its group's
    ``reports`` and ``sources`` (and events whose reports state different days their
    ``disputed_dates``), in place."""
    key = "claim" if kind == "statements" else "group"
    groups = sorted({r[key] for r in records if r.get(key) is not None})
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if groups:
        for row in run(conn, _members(conn.dialect.name, kind), {"ids": groups}):
            found[row[0]].append(_report(kind, row))
    for record in records:
        group = record.get(key)
        reports = found.get(group, []) if group is not None else []
        reports.sort(key=lambda r: (r["published"] or "9999", r["article"], r["start"]))
        record["reports"] = [dict(r) for r in reports]
        record["sources"] = len({r["source"] for r in reports}) or 1
        if kind == "events":
            # days only: "2022-02-19" and "2022-02-19TNI" agree, a month holds its days
            stated = sorted({r["date"][:10] for r in reports
                             if r["date"] and _DAY.match(r["date"])})
            record["disputed_dates"] = stated if len(stated) > 1 else []


def _report(kind: str, row: Sequence[Any]) -> dict[str, Any]:
    (_, fact, start, end, text, extra, value, basis, sentence,
     hash_, title, publisher, url, published) = row
    report = {
        "id": fact,
        "article": hash_,
        "source": outlet(publisher, url, hash_),
        "title": title,
        "published": iso(published),
        "sentence": sentence if sentence is not None else text,
        "start": start,
        "end": end,
        "text": text,
        "date": value if basis == "stated" else None,
        "date_basis": basis or None,
    }
    if kind == "statements":
        report["direct"] = bool(extra)
    else:
        report["predicate"] = extra
    return report


def group_reports(conn: Connection, kind: str, fact_id: int) -> list[dict[str, Any]]:
    """Every report of the claim or event (``kind`` "statement" or "event") that the
    report ``fact_id`` belongs to, oldest first; empty when there is no such report."""
    column = _S.claim_id if kind == "statement" else _E.cluster_id
    group = conn.execute(select(column).where(column.table.c.id == fact_id)).scalar()
    if group is None:
        return []
    key = "claim" if kind == "statement" else "group"
    record: dict[str, Any] = {key: group}
    attach_reports(conn, f"{kind}s", [record])
    return list(record["reports"])
