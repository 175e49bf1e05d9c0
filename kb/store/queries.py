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
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
    true,
    type_coerce,
    union,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from kb.store.models import (
    LONG_INTERVAL_DAYS,
    ActorAliasRow,
    ActorRow,
    ArticleRow,
    EventActorRow,
    EventRow,
    SentenceRow,
    StatementAboutRow,
    StatementRow,
)
from kb.store.names import match_actor_ids, name_key

__all__ = ["statement_records", "event_records", "fulltext_mode", "CHUNK"]

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


def _fulltext_clause(mode: str) -> Any:
    param = bindparam("contains")
    if mode == "fts5":
        matches = text("SELECT rowid FROM statements_fts WHERE statements_fts MATCH :contains")
        return _S.id.in_(matches.columns(rowid=Integer))
    if mode == "tsvector":
        vector = func.to_tsvector(literal_column("'english'"), _S.content_text)
        return vector.op("@@")(func.plainto_tsquery(literal_column("'english'"), param))
    return _S.content_text.ilike(param, escape="\\")


def _source(article: Sequence[Any]) -> dict[str, Any]:
    """The source record from the _SOURCE_COLUMNS values."""
    hash_, title, publisher, published, path, url = article
    return {
        "id": hash_,
        "title": title,
        "publisher": publisher,
        "published": _iso(published),
        "path": path,
        "url": url,
    }


def _raw(column: Any) -> Any:
    """A DATE column read without SQLAlchemy's date conversion (ISO text on SQLite;
    the driver's date on PostgreSQL): :func:`_iso` accepts both."""
    return type_coerce(column, String).label(column.name)


_S = StatementRow.__table__.c
_E = EventRow.__table__.c
_A = ArticleRow.__table__.c
_SOURCE_COLUMNS = (
    _A.hash.label("a_hash"),
    _A.title.label("a_title"),
    _A.publisher.label("a_publisher"),
    _raw(_A.published),
    _A.path.label("a_path"),
    _A.url.label("a_url"),
)


def _window(c: Any, since: bool, until: bool) -> Any:
    """Interval overlap with [since, until], written so both branches are index ranges.

    Short intervals (``date_long`` false) start at most LONG_INTERVAL_DAYS before they
    end, so ``date_start >= since - LONG_INTERVAL_DAYS`` bounds the scan from below.
    """
    short, long_ = [c.date_long == false()], [c.date_long == true()]
    if since:
        short.append(c.date_start >= bindparam("since_floor", type_=Date))
        for branch in (short, long_):
            branch.append(c.date_end >= bindparam("since", type_=Date))
    if until:
        for branch in (short, long_):
            branch.append(c.date_start <= bindparam("until", type_=Date))
    return or_(and_(*short), and_(*long_))


def _actor_ids(param: str) -> Any:
    """Ids of actors whose name key or alias key is in the expanding parameter ``param``."""
    keys = bindparam(param, expanding=True)
    return union(
        select(ActorRow.__table__.c.id).where(ActorRow.__table__.c.key.in_(keys)),
        select(ActorAliasRow.__table__.c.actor_id).where(ActorAliasRow.__table__.c.key.in_(keys)),
    )


@lru_cache(maxsize=512)
def _statement_query(
    who: bool,
    about: bool,
    since: bool,
    until: bool,
    text_mode: str | None,
    limit: bool,
    speakers: bool,
) -> Select[Any]:
    """The statement query for one combination of filters, built once and reused."""
    speaker = ActorRow.__table__.alias("speaker")
    addressee = ActorRow.__table__.alias("addressee")
    sentence = SentenceRow.__table__.c
    query = (
        select(
            _S.id,
            speaker.c.name.label("speaker"),
            speaker.c.kind.label("speaker_kind"),
            _S.speaker_text,
            _S.date_value,
            _raw(_S.date_start),
            _S.date_granularity,
            _S.date_basis,
            _S.content_text,
            _S.direct,
            _S.cue_text,
            _S.medium_text,
            addressee.c.name.label("addressee"),
            _S.addressee_text,
            sentence.text.label("sentence"),
            *_SOURCE_COLUMNS,
        )
        .select_from(StatementRow.__table__)
        .join(ArticleRow.__table__, _A.id == _S.article_id)
        .outerjoin(SentenceRow.__table__, sentence.id == _S.sentence_id)
        .outerjoin(speaker, speaker.c.id == _S.speaker_id)
        .outerjoin(addressee, addressee.c.id == _S.addressee_id)
    )
    if speakers:
        query = query.where(_S.speaker_id.in_(bindparam("speaker_ids", expanding=True)))
    if who:
        query = query.where(_S.speaker_id.in_(_actor_ids("who_keys")))
    if about:
        about_c = StatementAboutRow.__table__.c
        topics = select(about_c.statement_id).where(about_c.actor_id.in_(_actor_ids("about_keys")))
        query = query.where(_S.id.in_(topics))
    if since or until:
        query = query.where(_window(_S, since, until))
    if text_mode:
        query = query.where(_fulltext_clause(text_mode))
    query = query.order_by(_S.date_start.asc().nulls_last(), _S.id)
    if limit:
        query = query.limit(bindparam("limit", type_=Integer))
    return query


def _keys(names: Iterable[str] | str) -> list[str]:
    return sorted({name_key(n) for n in _names(names) if n and n.strip()})


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
    params: dict[str, Any] = {}
    if speaker_ids is not None:
        params["speaker_ids"] = list(speaker_ids)
    if who is not None:
        params["who_keys"] = _keys(who)
    if about is not None:
        params["about_keys"] = _keys(about)
    if any(params.get(k) == [] for k in ("speaker_ids", "who_keys", "about_keys")):
        return []
    if since is not None:
        params["since"] = since
        params["since_floor"] = since - dt.timedelta(days=LONG_INTERVAL_DAYS)
    if until is not None:
        params["until"] = until
    text_mode = None
    if contains is not None and contains.strip():
        text_mode, params["contains"] = fulltext_mode(conn.dialect.name, fts, contains)
    if limit is not None:
        params["limit"] = limit
    query = _statement_query(
        who is not None,
        about is not None,
        since is not None,
        until is not None,
        text_mode,
        limit is not None,
        speaker_ids is not None,
    )
    rows = conn.execute(query, params).all()
    topics_of = _about_names(conn, [r[0] for r in rows])
    sources: dict[str, dict[str, Any]] = {}
    out = []
    for (
        sid,
        speaker,
        kind,
        mention,
        value,
        start,
        granularity,
        basis,
        content,
        direct,
        cue,
        medium,
        addressee,
        addressee_text,
        sentence,
        *article,
    ) in rows:
        stated = basis == "stated"
        source = sources.get(article[0]) or sources.setdefault(article[0], _source(article))
        out.append(
            {
                "id": sid,
                "speaker": speaker,
                "speaker_kind": kind,
                "speaker_mention": mention,
                "date": _iso(start) if stated else None,
                "date_value": value if stated else None,
                "date_granularity": granularity if stated else None,
                "date_basis": "stated" if stated else "reported",
                "reported": source["published"],
                "content": content,
                "direct": bool(direct),
                "cue": cue,
                "medium": medium,
                "addressee": addressee or addressee_text,
                "about": topics_of.get(sid, []),
                "sentence": sentence if sentence is not None else content,
                "source": dict(source),
            }
        )
    return out


def _names(value: Iterable[str] | str) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


_ABOUT_QUERY = (
    select(StatementAboutRow.__table__.c.statement_id, ActorRow.__table__.c.name)
    .join(ActorRow.__table__, ActorRow.__table__.c.id == StatementAboutRow.__table__.c.actor_id)
    .where(StatementAboutRow.__table__.c.statement_id.in_(bindparam("ids", expanding=True)))
    .order_by(StatementAboutRow.__table__.c.statement_id, ActorRow.__table__.c.name)
)


def _about_names(conn: Connection, statement_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(statement_ids):
        for statement_id, name in conn.execute(_ABOUT_QUERY, {"ids": list(chunk)}):
            found[statement_id].append(name)
    return found


@lru_cache(maxsize=512)
def _event_query(
    actors: bool, types: bool, since: bool, until: bool, sources: bool, limit: bool
) -> Select[Any]:
    """The event query for one combination of filters, built once and reused."""
    sentence = SentenceRow.__table__.c
    query = (
        select(
            _E.id,
            _E.type,
            _E.predicate,
            _E.trigger_text,
            _E.negated,
            _E.hypothetical,
            _E.date_value,
            _raw(_E.date_start),
            _raw(_E.date_end),
            _E.date_granularity,
            _E.date_basis,
            _E.statement_id,
            sentence.text.label("sentence"),
            *_SOURCE_COLUMNS,
        )
        .select_from(EventRow.__table__)
        .join(ArticleRow.__table__, _A.id == _E.article_id)
        .outerjoin(SentenceRow.__table__, sentence.id == _E.sentence_id)
    )
    if actors:
        roles = EventActorRow.__table__.c
        involved = select(roles.event_id).where(
            roles.actor_id.in_(bindparam("actor_ids", expanding=True))
        )
        query = query.where(_E.id.in_(involved))
    if types:
        query = query.where(_E.type.in_(bindparam("types", expanding=True)))
    if since or until:
        query = query.where(_window(_E, since, until))
    if sources:
        wanted = bindparam("sources", expanding=True)
        query = query.where(_A.hash.in_(wanted) | _A.path.in_(wanted))
    query = query.order_by(_E.date_start.asc().nulls_last(), _E.id)
    if limit:
        query = query.limit(bindparam("limit", type_=Integer))
    return query


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
    params: dict[str, Any] = {}
    if actors is not None:
        found = match_actor_ids(conn, _names(actors))
        actor_ids = found if actor_ids is None else sorted(set(found) & set(actor_ids))
    if actor_ids is not None:
        params["actor_ids"] = list(actor_ids)
    if types is not None:
        params["types"] = _names(types)
    if sources is not None:
        params["sources"] = _names(sources)
    if any(v == [] for v in params.values()):
        return []
    if since is not None:
        params["since"] = since
        params["since_floor"] = since - dt.timedelta(days=LONG_INTERVAL_DAYS)
    if until is not None:
        params["until"] = until
    if limit is not None:
        params["limit"] = limit
    query = _event_query(
        actor_ids is not None,
        types is not None,
        since is not None,
        until is not None,
        sources is not None,
        limit is not None,
    )
    rows = conn.execute(query, params).all()
    roles = _event_actors(conn, [r[0] for r in rows])
    sources: dict[str, dict[str, Any]] = {}
    out = []
    for (
        eid,
        type_,
        predicate,
        trigger,
        negated,
        hypothetical,
        value,
        start,
        end,
        granularity,
        basis,
        statement,
        sentence,
        *article,
    ) in rows:
        date = None
        if value is not None or start is not None:
            date = {
                "value": value,
                "start": _iso(start),
                "end": _iso(end),
                "granularity": granularity,
                "basis": basis or "stated",
            }
        source = sources.get(article[0]) or sources.setdefault(article[0], _source(article))
        out.append(
            {
                "id": eid,
                "type": type_,
                "predicate": predicate,
                "trigger": trigger,
                "negated": bool(negated),
                "hypothetical": bool(hypothetical),
                "date": date,
                "actors": roles.get(eid, []),
                "statement": statement,
                "sentence": sentence if sentence is not None else trigger,
                "source": dict(source),
            }
        )
    return out


_ROLES_QUERY = (
    select(
        EventActorRow.__table__.c.event_id,
        ActorRow.__table__.c.name,
        EventActorRow.__table__.c.role,
        ActorRow.__table__.c.kind,
    )
    .join(ActorRow.__table__, ActorRow.__table__.c.id == EventActorRow.__table__.c.actor_id)
    .where(EventActorRow.__table__.c.event_id.in_(bindparam("ids", expanding=True)))
    .order_by(
        EventActorRow.__table__.c.event_id,
        EventActorRow.__table__.c.role,
        ActorRow.__table__.c.name,
    )
)


def _event_actors(conn: Connection, event_ids: Sequence[int]) -> dict[int, list[dict[str, str]]]:
    found: dict[int, list[dict[str, str]]] = defaultdict(list)
    for chunk in _chunks(event_ids):
        for event_id, name, role, kind in conn.execute(_ROLES_QUERY, {"ids": list(chunk)}):
            found[event_id].append({"name": name, "role": role, "kind": kind})
    return found
