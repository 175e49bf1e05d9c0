"""Statement and event queries, returning the records of docs/records.md.

Filters compose with AND. Names match canonical names and aliases case-insensitively
(:func:`kb.store.names.match_actor_ids`); a name that matches no actor yields no rows
rather than an error. Date filters keep facts whose date interval overlaps
``[since, until]`` (both inclusive): a statement's own stated interval, or its article's
published date when it states none; an event's stated or reported interval (events with
no date at all are left out of date-filtered results). Results are ordered by date
(undated last), then by id.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Integer, func, literal_column, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select

from kb.store.models import (
    ActorRow,
    ArticleRow,
    EventActorRow,
    EventRow,
    SentenceRow,
    StatementAboutRow,
    StatementRow,
)
from kb.store.names import match_actor_ids

__all__ = ["statement_records", "event_records", "fulltext_clause", "CHUNK"]

#: Largest IN list sent in one query (SQLite allows 32,766 parameters).
CHUNK = 5_000
_WORD = re.compile(r"\w+", re.UNICODE)


def _iso(value: dt.date | str | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def fulltext_clause(conn: Connection, fts: bool, contains: str) -> Any:
    """A WHERE clause keeping statements whose content has every word of ``contains``.

    SQLite: the FTS5 index (porter-stemmed words); PostgreSQL: ``to_tsvector @@
    plainto_tsquery`` (English stemming, served by the GIN index); without full-text
    support, a case-insensitive substring match.
    """
    words = _WORD.findall(contains)
    if fts and conn.dialect.name == "sqlite" and words:
        query = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        matches = text("SELECT rowid FROM statements_fts WHERE statements_fts MATCH :q")
        return StatementRow.id.in_(matches.bindparams(q=query).columns(rowid=Integer))
    if fts and conn.dialect.name == "postgresql" and words:
        vector = func.to_tsvector(literal_column("'english'"), StatementRow.content_text)
        return vector.op("@@")(func.plainto_tsquery(literal_column("'english'"), contains))
    escaped = contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return StatementRow.content_text.ilike(f"%{escaped}%", escape="\\")


def _source(row: Any) -> dict[str, Any]:
    return {
        "id": row.a_hash,
        "title": row.a_title,
        "publisher": row.a_publisher,
        "published": _iso(row.a_published),
        "path": row.a_path,
        "url": row.a_url,
    }


_SOURCE_COLUMNS = (
    ArticleRow.hash.label("a_hash"),
    ArticleRow.title.label("a_title"),
    ArticleRow.publisher.label("a_publisher"),
    ArticleRow.published.label("a_published"),
    ArticleRow.path.label("a_path"),
    ArticleRow.url.label("a_url"),
)


def statement_records(
    conn: Connection,
    fts: bool,
    who: Iterable[str] | None = None,
    about: Iterable[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    contains: str | None = None,
    limit: int | None = None,
    speaker_ids: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """Statement records matching every given filter (see the module docstring)."""
    s = StatementRow
    speaker, addressee = aliased(ActorRow), aliased(ActorRow)
    query: Select[Any] = (
        select(
            s.id,
            speaker.name.label("speaker"),
            speaker.kind.label("speaker_kind"),
            s.speaker_text,
            s.date_value,
            s.date_start,
            s.date_granularity,
            s.date_basis,
            s.content_text,
            s.direct,
            s.cue_text,
            s.medium_text,
            addressee.name.label("addressee"),
            s.addressee_text,
            SentenceRow.text.label("sentence"),
            *_SOURCE_COLUMNS,
        )
        .join(ArticleRow, ArticleRow.id == s.article_id)
        .outerjoin(SentenceRow, SentenceRow.id == s.sentence_id)
        .outerjoin(speaker, speaker.id == s.speaker_id)
        .outerjoin(addressee, addressee.id == s.addressee_id)
    )
    if speaker_ids is not None:
        if not speaker_ids:
            return []
        query = query.where(s.speaker_id.in_(speaker_ids))
    if who is not None:
        ids = match_actor_ids(conn, _names(who))
        if not ids:
            return []
        query = query.where(s.speaker_id.in_(ids))
    if about is not None:
        ids = match_actor_ids(conn, _names(about))
        if not ids:
            return []
        topics = select(StatementAboutRow.statement_id).where(StatementAboutRow.actor_id.in_(ids))
        query = query.where(s.id.in_(topics))
    if since is not None:
        query = query.where(s.date_end >= since)
    if until is not None:
        query = query.where(s.date_start <= until)
    if contains is not None and contains.strip():
        query = query.where(fulltext_clause(conn, fts, contains))
    query = query.order_by(s.date_start.asc().nulls_last(), s.id)
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).all()
    topics_of = _about_names(conn, [r.id for r in rows])
    out = []
    for r in rows:
        stated = r.date_basis == "stated"
        out.append(
            {
                "id": r.id,
                "speaker": r.speaker,
                "speaker_kind": r.speaker_kind,
                "speaker_mention": r.speaker_text,
                "date": _iso(r.date_start) if stated else None,
                "date_value": r.date_value if stated else None,
                "date_granularity": r.date_granularity if stated else None,
                "date_basis": "stated" if stated else "reported",
                "reported": _iso(r.a_published),
                "content": r.content_text,
                "direct": bool(r.direct),
                "cue": r.cue_text,
                "medium": r.medium_text,
                "addressee": r.addressee or r.addressee_text,
                "about": topics_of.get(r.id, []),
                "sentence": r.sentence if r.sentence is not None else r.content_text,
                "source": _source(r),
            }
        )
    return out


def _names(value: Iterable[str] | str) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _about_names(conn: Connection, statement_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(statement_ids):
        query = (
            select(StatementAboutRow.statement_id, ActorRow.name)
            .join(ActorRow, ActorRow.id == StatementAboutRow.actor_id)
            .where(StatementAboutRow.statement_id.in_(chunk))
            .order_by(StatementAboutRow.statement_id, ActorRow.name)
        )
        for statement_id, name in conn.execute(query):
            found[statement_id].append(name)
    return found


def event_records(
    conn: Connection,
    actors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    sources: Iterable[str] | None = None,
    limit: int | None = None,
    actor_ids: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """Event records matching every given filter; ``sources`` are article ids or paths."""
    e = EventRow
    query: Select[Any] = (
        select(
            e.id,
            e.type,
            e.predicate,
            e.trigger_text,
            e.negated,
            e.hypothetical,
            e.date_value,
            e.date_start,
            e.date_end,
            e.date_granularity,
            e.date_basis,
            e.statement_id,
            SentenceRow.text.label("sentence"),
            *_SOURCE_COLUMNS,
        )
        .join(ArticleRow, ArticleRow.id == e.article_id)
        .outerjoin(SentenceRow, SentenceRow.id == e.sentence_id)
    )
    if actors is not None:
        found = match_actor_ids(conn, _names(actors))
        actor_ids = found if actor_ids is None else sorted(set(found) & set(actor_ids))
    if actor_ids is not None:
        if not actor_ids:
            return []
        involved = select(EventActorRow.event_id).where(EventActorRow.actor_id.in_(actor_ids))
        query = query.where(e.id.in_(involved))
    if types is not None:
        wanted = _names(types)
        if not wanted:
            return []
        query = query.where(e.type.in_(wanted))
    if since is not None:
        query = query.where(e.date_end >= since)
    if until is not None:
        query = query.where(e.date_start <= until)
    if sources is not None:
        wanted = _names(sources)
        if not wanted:
            return []
        query = query.where(ArticleRow.hash.in_(wanted) | ArticleRow.path.in_(wanted))
    query = query.order_by(e.date_start.asc().nulls_last(), e.id)
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).all()
    roles = _event_actors(conn, [r.id for r in rows])
    out = []
    for r in rows:
        date = None
        if r.date_value is not None or r.date_start is not None:
            date = {
                "value": r.date_value,
                "start": _iso(r.date_start),
                "end": _iso(r.date_end),
                "granularity": r.date_granularity,
                "basis": r.date_basis or "stated",
            }
        out.append(
            {
                "id": r.id,
                "type": r.type,
                "predicate": r.predicate,
                "trigger": r.trigger_text,
                "negated": bool(r.negated),
                "hypothetical": bool(r.hypothetical),
                "date": date,
                "actors": roles.get(r.id, []),
                "statement": r.statement_id,
                "sentence": r.sentence if r.sentence is not None else r.trigger_text,
                "source": _source(r),
            }
        )
    return out


def _event_actors(conn: Connection, event_ids: Sequence[int]) -> dict[int, list[dict[str, str]]]:
    found: dict[int, list[dict[str, str]]] = defaultdict(list)
    for chunk in _chunks(event_ids):
        query = (
            select(EventActorRow.event_id, ActorRow.name, EventActorRow.role, ActorRow.kind)
            .join(ActorRow, ActorRow.id == EventActorRow.actor_id)
            .where(EventActorRow.event_id.in_(chunk))
            .order_by(EventActorRow.event_id, EventActorRow.role, ActorRow.name)
        )
        for event_id, name, role, kind in conn.execute(query):
            found[event_id].append({"name": name, "role": role, "kind": kind})
    return found
