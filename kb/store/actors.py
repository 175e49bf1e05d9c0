"""Actor and article queries: actor records, an actor's profile, name resolution.

Counts are computed with one grouped query per kind of fact, so listing every actor
costs a handful of queries however many actors there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from kb.errors import NotFoundError
from kb.facts import ActorFact
from kb.store.counts import COUNTS_OF
from kb.store.models import (
    ActorAliasRow,
    ActorCountRow,
    ActorDayRow,
    ActorEventKindRow,
    ActorPairRow,
    ActorRow,
    ActorTitleRow,
    ArticleRow,
    EventRow,
    MentionRow,
    SentenceRow,
    StatementRow,
)
from kb.store.names import match_actor_ids, name_key, nearest_names
from kb.store.queries import _iso, event_records, statement_records
from kb.store.readsql import in_list, run

__all__ = [
    "actor_records",
    "actor_facts",
    "actor_profile",
    "profile_counts",
    "actor_activity",
    "counterparts",
    "resolve_actor_names",
    "require_actor_names",
    "article_records",
    "article_summary",
    "not_found",
]


@lru_cache(maxsize=8)
def _actor_query(dialect: str, restricted: bool) -> Any:
    """The query of :func:`actor_facts`, for every actor or (``restricted``) those in
    the list parameter ``ids``: each actor with its counts, one row per alias and
    title (most actors have one alias or none, and no title), by name."""
    al, t, c = (model.__table__.c for model in (ActorAliasRow, ActorTitleRow, ActorCountRow))
    a = ActorRow.__table__.c
    query = (
        # the counts are kept at write time (kb.store.counts)
        select(a.id, a.name, a.kind, c.mentions, c.events, c.statements, c.articles, al.alias,
               t.title)
        .select_from(
            ActorRow.__table__.outerjoin(ActorCountRow.__table__, c.actor_id == a.id)
            # an alias that is not another writing of the name itself (its key, its words)
            .outerjoin(ActorAliasRow.__table__,
                       and_(al.actor_id == a.id, al.key != a.key, al.alias != a.name))
            .outerjoin(ActorTitleRow.__table__, t.actor_id == a.id))
        .order_by(a.name, a.id, al.alias, t.title)
    )
    return query.where(in_list(a.id, "ids", dialect, many=True)) if restricted else query


def actor_records(conn: Connection, ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Actor records (all actors, or those with ``ids``), ordered by name."""
    return [fact._asdict() for _, fact in actor_facts(conn, ids)]


def actor_facts(conn: Connection, ids: Sequence[int] | None = None) -> list[tuple[int, ActorFact]]:
    """``(id, actor)`` of every actor (or those with ``ids``), ordered by name: the
    fields of its actor record, as a tuple."""
    params = {} if ids is None else {"ids": list(ids)}
    out: list[tuple[int, ActorFact]] = []
    last = first_alias = None
    aliases: list[str] = []
    titles: list[str] = []
    for actor_id, name, kind, mentions, events, statements, articles, alias, title in run(
            conn, _actor_query(conn.dialect.name, ids is not None), params):
        if actor_id != last:  # an actor's rows: every alias (in order) with every title
            last, first_alias, aliases, titles = actor_id, alias, [], []
            out.append((actor_id, ActorFact(name, kind, aliases, titles, mentions or 0,
                                            events or 0, statements or 0, articles or 0)))
        if alias is not None and (not aliases or aliases[-1] != alias):
            aliases.append(alias)
        if title is not None and alias == first_alias:
            titles.append(title)
    return out


def resolve_actor_names(conn: Connection, name: str) -> list[str]:
    """Canonical names of the actors ``name`` matches (canonical name or alias)."""
    ids = match_actor_ids(conn, [name])
    if not ids:
        return []
    query = select(ActorRow.name).where(ActorRow.id.in_(ids)).order_by(ActorRow.name)
    return list(conn.execute(query).scalars())


def _pick_actor(conn: Connection, name: str) -> int:
    exact = conn.execute(select(ActorRow.id).where(ActorRow.key == name_key(name))).scalar()
    if exact is not None:
        return exact
    ids = match_actor_ids(conn, [name])
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise not_found(conn, name)
    candidates = ", ".join(resolve_actor_names(conn, name))
    raise NotFoundError(f"{name!r} names several actors ({candidates}); give the full name")


def require_actor_names(conn: Connection, names: Iterable[str]) -> None:
    """Raise :class:`kb.errors.NotFoundError` (with the nearest names) for the first of
    ``names`` that names no actor, so a filter on an unknown actor is an error, not an
    empty answer."""
    for name in names:
        if not match_actor_ids(conn, [name]):
            raise not_found(conn, name)


def not_found(conn: Connection, name: str) -> NotFoundError:
    """The error for a name that names no actor, listing the nearest names."""
    near = nearest_names(conn, name)
    hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
    return NotFoundError(
        f"no actor is called {name!r}{hint} (list every actor with `kb actors`)"
    )


def actor_profile(
    conn: Connection, fts: bool, name: str, limit: int | None = None
) -> dict[str, Any]:
    """One actor's profile: ``{"actor", "counts", "statements", "events",
    "counterparts"}``.

    ``actor`` is its actor record; ``counts`` what else is counted of it (see
    :func:`profile_counts`); ``statements`` the statements it made and ``events`` the
    events it takes part in (records, by date); ``counterparts`` lists ``{name, kind,
    events, statements, count}``, most frequent first: the other actors it shares
    events with or that its statements involve (addressee, about, or the speaker of a
    statement about or to it).

    With ``limit``, ``statements`` and ``events`` hold the newest ``limit`` of each
    (still oldest first) and ``counterparts`` the ``limit`` most frequent; every count
    counts them all. Counts are of reports (``counts["of"]``), read from the counts
    kept at write time (:mod:`kb.store.counts`), so a profile costs about the same
    however many facts the actor has.
    """
    actor_id = _pick_actor(conn, name)
    newest = limit is not None
    statements = statement_records(
        conn, fts, speaker_ids=[actor_id], limit=limit, newest_first=newest
    )
    events = event_records(conn, actor_ids=[actor_id], limit=limit, newest_first=newest)
    if newest:
        statements.reverse()
        events.reverse()
    return {
        "actor": actor_records(conn, [actor_id])[0],
        "counts": profile_counts(conn, actor_id),
        "statements": statements,
        "events": events,
        "counterparts": counterparts(conn, actor_id, limit),
    }


def profile_counts(conn: Connection, actor_id: int) -> dict[str, Any]:
    """What a profile counts beyond the actor record: ``{"of": "reports", "about": the
    statements about it, "first"/"last": the first and last day one of its statements
    or events starts on (ISO, or None), "roles"/"types": its events by role and by
    category (most first), "counterparts": how many actors it shares events or
    statements with}``."""
    about = conn.execute(
        select(ActorCountRow.about).where(ActorCountRow.actor_id == actor_id)).scalar()
    d = ActorDayRow
    first, last = conn.execute(
        select(func.min(d.day), func.max(d.day)).where(d.actor_id == actor_id)).one()
    k = ActorEventKindRow
    kinds: dict[str, list[tuple[str, int]]] = {"role": [], "type": []}
    for facet, value, n in conn.execute(
            select(k.facet, k.value, k.events).where(k.actor_id == actor_id)):
        kinds.setdefault(facet, []).append((value, n))
    others = conn.execute(select(func.count()).select_from(ActorPairRow).where(
        ActorPairRow.actor_id == actor_id)).scalar()

    def ranked(pairs: list[tuple[str, int]]) -> dict[str, int]:
        return dict(sorted(pairs, key=lambda p: (-p[1], p[0])))

    return {
        "of": COUNTS_OF,
        "about": about or 0,
        "first": _iso(first),
        "last": _iso(last),
        "roles": ranked(kinds["role"]),
        "types": ranked(kinds["type"]),
        "counterparts": others or 0,
    }


def actor_activity(conn: Connection, name: str) -> list[dict[str, Any]]:
    """``{"day", "statements", "events"}`` for each day one of the actor's statements
    or events starts on, oldest first: its activity over time, every fact counted (as
    reports), read from the counts kept at write time."""
    d = ActorDayRow
    return [
        {"day": _iso(day), "statements": statements, "events": events}
        for day, statements, events in conn.execute(
            select(d.day, d.statements, d.events)
            .where(d.actor_id == _pick_actor(conn, name)).order_by(d.day))
    ]


def counterparts(conn: Connection, actor_id: int, limit: int | None = None
                 ) -> list[dict[str, Any]]:
    """The actors ``actor_id`` shares events or statements with, most frequent first
    (ties by name): every one, or the ``limit`` most frequent, read from the counts
    kept at write time (the index on (actor, total) gives the top ones)."""
    p = ActorPairRow
    least = 0
    if limit is not None:
        if limit <= 0:
            return []
        least = conn.execute(
            select(p.total).where(p.actor_id == actor_id).order_by(p.total.desc())
            .offset(limit - 1).limit(1)).scalar() or 0
    rows: list[Any] = list(conn.execute(
        select(ActorRow.name, ActorRow.kind, p.events, p.statements, p.total)
        .join(ActorRow, ActorRow.id == p.other_id)
        .where(p.actor_id == actor_id, p.total >= least, p.total > 0)
    ))
    rows = sorted(rows, key=lambda r: (-r[4], r[0]))
    if limit is not None:
        rows = rows[:limit]
    return [
        {"name": name, "kind": kind, "events": events, "statements": statements,
         "count": total}
        for name, kind, events, statements, total in rows
    ]


def article_records(conn: Connection) -> list[dict[str, Any]]:
    """Every stored article with its counts of sentences, events, statements, mentions."""

    def counts(model: Any, *where: Any) -> dict[int, int]:
        query = select(model.article_id, func.count()).where(*where).group_by(model.article_id)
        return dict(conn.execute(query).all())

    sentences = counts(SentenceRow, SentenceRow.passage.is_(False))
    events = counts(EventRow)
    statements, mentions = counts(StatementRow), counts(MentionRow)
    a = ArticleRow
    rows = conn.execute(
        select(
            a.id, a.hash, a.title, a.publisher, a.path, a.url, a.line, a.published, a.format
        ).order_by(a.published.asc().nulls_last(), a.path, a.id)
    ).all()
    return [
        {
            "id": r.hash,
            "title": r.title,
            "publisher": r.publisher,
            "path": r.path,
            "url": r.url,
            "line": r.line,
            "published": _iso(r.published),
            "format": r.format,
            "sentences": sentences.get(r.id, 0),
            "events": events.get(r.id, 0),
            "statements": statements.get(r.id, 0),
            "mentions": mentions.get(r.id, 0),
        }
        for r in rows
    ]


def article_summary(conn: Connection, article_hash: str) -> dict[str, Any] | None:
    """``{"id", "published", "title", "path"}`` of one stored article, or None."""
    a = ArticleRow
    row = conn.execute(
        select(a.hash, a.published, a.title, a.path).where(a.hash == article_hash)
    ).first()
    if row is None:
        return None
    return {"id": row.hash, "published": _iso(row.published), "title": row.title, "path": row.path}
