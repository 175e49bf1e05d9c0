"""Actor and article queries: actor records, an actor's profile, name resolution.

Counts are computed with one grouped query per kind of fact, so listing every actor
costs a handful of queries however many actors there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, literal, select, union, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from kb.errors import NotFoundError
from kb.store.models import (
    ActorAliasRow,
    ActorRow,
    ActorTitleRow,
    ArticleRow,
    EventActorRow,
    EventRow,
    MentionRow,
    SentenceRow,
    StatementAboutRow,
    StatementRow,
)
from kb.store.names import match_actor_ids, name_key, nearest_names
from kb.store.queries import _iso, event_records, statement_records

__all__ = [
    "actor_records",
    "actor_profile",
    "resolve_actor_names",
    "require_actor_names",
    "article_records",
    "article_summary",
    "not_found",
]


def _restrict(query: Any, column: Any, ids: Sequence[int] | None) -> Any:
    return query if ids is None else query.where(column.in_(ids))


def actor_records(conn: Connection, ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Actor records (all actors, or those with ``ids``), ordered by name."""
    actors = conn.execute(
        _restrict(select(ActorRow.id, ActorRow.name, ActorRow.kind), ActorRow.id, ids).order_by(
            ActorRow.name, ActorRow.id
        )
    ).all()
    if not actors:
        return []

    def names(model: Any, column: Any) -> dict[int, list[str]]:
        found: dict[int, list[str]] = defaultdict(list)
        query = _restrict(select(model.actor_id, column), model.actor_id, ids)
        for actor_id, value in conn.execute(query.order_by(model.actor_id, column)):
            found[actor_id].append(value)
        return found

    def counts(query: Any) -> dict[int, int]:
        return {k: v for k, v in conn.execute(query) if k is not None}

    own = {actor_id: name_key(name) for actor_id, name, _ in actors}
    aliases: dict[int, list[str]] = defaultdict(list)
    query = _restrict(select(ActorAliasRow.actor_id, ActorAliasRow.alias, ActorAliasRow.key),
                      ActorAliasRow.actor_id, ids)
    for actor_id, alias, key in conn.execute(query.order_by(ActorAliasRow.actor_id,
                                                            ActorAliasRow.alias)):
        if key != own.get(actor_id):  # another writing of the name itself
            aliases[actor_id].append(alias)
    titles = names(ActorTitleRow, ActorTitleRow.title)
    m, ea, s = MentionRow, EventActorRow, StatementRow
    mentions = counts(
        _restrict(select(m.actor_id, func.count()), m.actor_id, ids).group_by(m.actor_id)
    )
    events = counts(
        _restrict(
            select(ea.actor_id, func.count(ea.event_id.distinct())), ea.actor_id, ids
        ).group_by(ea.actor_id)
    )
    statements = counts(
        _restrict(select(s.speaker_id, func.count()), s.speaker_id, ids).group_by(s.speaker_id)
    )
    seen = union(
        _restrict(select(m.actor_id.label("actor_id"), m.article_id), m.actor_id, ids),
        _restrict(select(s.speaker_id, s.article_id), s.speaker_id, ids),
        _restrict(
            select(ea.actor_id, EventRow.article_id).join(EventRow, EventRow.id == ea.event_id),
            ea.actor_id,
            ids,
        ),
    ).subquery()
    articles = counts(
        select(seen.c.actor_id, func.count(seen.c.article_id.distinct())).group_by(seen.c.actor_id)
    )
    return [
        {
            "name": name,
            "kind": kind,
            "aliases": [a for a in aliases.get(actor_id, []) if a != name],
            "titles": titles.get(actor_id, []),
            "mentions": mentions.get(actor_id, 0),
            "events": events.get(actor_id, 0),
            "statements": statements.get(actor_id, 0),
            "articles": articles.get(actor_id, 0),
        }
        for actor_id, name, kind in actors
    ]


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
    """One actor's profile: ``{"actor", "statements", "events", "counterparts"}``.

    ``actor`` is its actor record; ``statements`` the statements it made and ``events``
    the events it takes part in (records, by date); ``counterparts`` lists
    ``{name, kind, events, statements, count}``.

    Counterparts are the other actors it shares events with or that its statements
    involve (addressee, about, or the speaker of a statement about or to it), with
    counts, most frequent first. With ``limit``, ``statements`` and ``events`` hold the
    newest ``limit`` of each (still oldest first).
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
        "statements": statements,
        "events": events,
        "counterparts": _counterparts(conn, actor_id),
    }


def _counterparts(conn: Connection, actor_id: int) -> list[dict[str, Any]]:
    mine, other = aliased(EventActorRow), aliased(EventActorRow)
    s, about = StatementRow, StatementAboutRow
    shared_events = (
        select(other.actor_id, func.count(other.event_id.distinct()))
        .join(mine, mine.event_id == other.event_id)
        .where(mine.actor_id == actor_id, other.actor_id != actor_id)
        .group_by(other.actor_id)
    )
    links = union_all(
        select(about.actor_id.label("actor_id"), literal(1).label("n"))
        .join(s, s.id == about.statement_id)
        .where(s.speaker_id == actor_id),
        select(s.addressee_id, literal(1)).where(s.speaker_id == actor_id),
        select(s.speaker_id, literal(1))
        .join(about, about.statement_id == s.id)
        .where(about.actor_id == actor_id),
        select(s.speaker_id, literal(1)).where(s.addressee_id == actor_id),
    ).subquery()
    shared_statements = (
        select(links.c.actor_id, func.count())
        .where(links.c.actor_id.is_not(None), links.c.actor_id != actor_id)
        .group_by(links.c.actor_id)
    )
    by_events = dict(conn.execute(shared_events).all())
    by_statements = dict(conn.execute(shared_statements).all())
    ids = sorted(set(by_events) | set(by_statements))
    if not ids:
        return []
    names = {
        i: (n, k)
        for i, n, k in conn.execute(
            select(ActorRow.id, ActorRow.name, ActorRow.kind).where(ActorRow.id.in_(ids))
        )
    }
    out = [
        {
            "name": names[i][0],
            "kind": names[i][1],
            "events": by_events.get(i, 0),
            "statements": by_statements.get(i, 0),
            "count": by_events.get(i, 0) + by_statements.get(i, 0),
        }
        for i in ids
    ]
    return sorted(out, key=lambda c: (-c["count"], c["name"]))


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
