"""Per-actor counts kept at write time, so an actor's profile need not count its facts.

Four tables (:mod:`kb.store.models`) hold, per actor: its counts (``actor_counts``:
mentions, statements it spoke, statements about it, events, articles), its statements
and events per day (``actor_days``: first and last day, activity over time), its events
by role and by category (``actor_event_kinds``) and its counterparts (``actor_pairs``:
the actors it shares events or statements with, and how often).

Counts are of reports, not of facts: a quotation carried by three articles counts three
statements, as do the three articles' reports of one meeting. A report belongs to one
article, so every count is a sum over articles of what each article contributes, and a
change confined to some articles is applied by subtracting what they contributed before
it and adding what they contribute after (:func:`recounted`): writing an article,
replacing or deleting it, and moving facts between actors in some articles (late
merging, curation: :func:`kb.store.curation.move_facts`). Grouping reports into claims
and events (:mod:`kb.store.consolidate`) changes no count. :func:`recount` computes the
tables from the stored facts alone (``kb reconsolidate``, migration 0009).

Each table's contribution query is one ``UNION ALL`` of per-kind aggregates summed by
key, with the article ids as one list parameter; it is added to the table in one
statement (``INSERT ... SELECT ... ON CONFLICT DO UPDATE SET n = n + excluded.n``, run
on the driver: :mod:`kb.store.readsql`). Writing a new article costs four such
statements over its own rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    Integer,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    true,
    union,
    union_all,
)
from sqlalchemy.engine import Connection

from kb.store.models import (
    ActorCountRow,
    ActorDayRow,
    ActorEventKindRow,
    ActorPairRow,
    EventActorRow,
    EventRow,
    MentionRow,
    StatementAboutRow,
    StatementRow,
)
from kb.store.readsql import in_list, run

__all__ = ["COUNTS_OF", "tally", "tidy", "recounted", "recount", "actor_articles"]

#: What the counts count (said in every profile): reports, one per article.
COUNTS_OF = "reports"

_M = MentionRow.__table__.c
_S = StatementRow.__table__.c
_AB = StatementAboutRow.__table__.c
_R = EventActorRow.__table__.c
_E = EventRow.__table__.c
_STATEMENTS = StatementRow.__table__
_EVENTS = EventRow.__table__


@dataclass(frozen=True)
class _Tally:
    """One counts table: its key and count columns, and the query of what the articles
    in scope contribute (``scoped``: those of the list parameter ``articles``)."""

    table: Table
    keys: tuple[str, ...]
    counts: tuple[str, ...]

    def query(self, dialect: str, scoped: bool) -> Any:
        return _QUERIES[self.table.name](self, dialect, scoped)


def _zero(name: str) -> Any:
    return literal_column("0").label(name)


def _summed(tally: _Tally, parts: Sequence[Any]) -> Any:
    """``parts`` (each the key columns then the count columns, named) summed per key."""
    u = union_all(*parts).subquery()
    keys = [u.c[k] for k in tally.keys]
    return select(*keys, *(func.sum(u.c[c]).label(c) for c in tally.counts)).group_by(
        *keys
    ).order_by(*keys)


def _scope(column: Any, dialect: str, scoped: bool) -> Any:
    return in_list(column, "articles", dialect) if scoped else true()


def _counts_query(tally: _Tally, dialect: str, scoped: bool) -> Any:
    def within(column: Any) -> Any:
        return _scope(column, dialect, scoped)

    def part(actor: Any, name: str, value: Any) -> Any:
        return [actor.label("actor_id"),
                *(value.label(c) if c == name else _zero(c) for c in tally.counts)]

    count = func.count()
    in_events = _EVENTS.join(EventActorRow.__table__, _R.event_id == _E.id)
    seen = union(
        select(_M.actor_id.label("actor_id"), _M.article_id.label("article_id"))
        .where(within(_M.article_id)),
        select(_S.speaker_id, _S.article_id)
        .where(_S.speaker_id.is_not(None), within(_S.article_id)),
        select(_R.actor_id, _E.article_id).select_from(in_events).where(within(_E.article_id)),
    ).subquery()
    parts = [
        select(*part(_M.actor_id, "mentions", count)).where(within(_M.article_id))
        .group_by(_M.actor_id),
        select(*part(_S.speaker_id, "statements", count))
        .where(_S.speaker_id.is_not(None), within(_S.article_id)).group_by(_S.speaker_id),
        select(*part(_AB.actor_id, "about", count))
        .select_from(StatementAboutRow.__table__.join(_STATEMENTS, _S.id == _AB.statement_id))
        .where(within(_S.article_id)).group_by(_AB.actor_id),
        select(*part(_R.actor_id, "events", func.count(_R.event_id.distinct())))
        .select_from(in_events).where(within(_E.article_id)).group_by(_R.actor_id),
        select(*part(seen.c.actor_id, "articles", func.count(seen.c.article_id.distinct())))
        .group_by(seen.c.actor_id),
    ]
    return _summed(tally, parts)


def _days_query(tally: _Tally, dialect: str, scoped: bool) -> Any:
    in_events = _EVENTS.join(EventActorRow.__table__, _R.event_id == _E.id)
    parts = [
        select(_S.speaker_id.label("actor_id"), _S.date_start.label("day"),
               func.count().label("statements"), _zero("events"))
        .where(_S.speaker_id.is_not(None), _S.date_start.is_not(None),
               _scope(_S.article_id, dialect, scoped))
        .group_by(_S.speaker_id, _S.date_start),
        select(_R.actor_id, _E.date_start, _zero("statements"),
               func.count(_R.event_id.distinct()).label("events"))
        .select_from(in_events)
        .where(_E.date_start.is_not(None), _scope(_E.article_id, dialect, scoped))
        .group_by(_R.actor_id, _E.date_start),
    ]
    return _summed(tally, parts)


def _kinds_query(tally: _Tally, dialect: str, scoped: bool) -> Any:
    in_events = _EVENTS.join(EventActorRow.__table__, _R.event_id == _E.id)
    within = _scope(_E.article_id, dialect, scoped)
    parts = [
        select(_R.actor_id.label("actor_id"), literal_column("'role'").label("facet"),
               _R.role.label("value"), func.count(_R.event_id.distinct()).label("events"))
        .select_from(in_events).where(within).group_by(_R.actor_id, _R.role),
        select(_R.actor_id, literal_column("'type'"), _E.type,
               func.count(_R.event_id.distinct()))
        .select_from(in_events).where(within).group_by(_R.actor_id, _E.type),
    ]
    return _summed(tally, parts)


def _pairs_query(tally: _Tally, dialect: str, scoped: bool) -> Any:
    """Shared events (both take part), and statement links: the speaker and each actor
    the statement is about or addressed to, both ways round (what a profile's
    counterparts have always counted)."""
    mine, other = EventActorRow.__table__.alias("mine"), EventActorRow.__table__.alias("other")
    shared = (
        select(mine.c.actor_id.label("actor_id"), other.c.actor_id.label("other_id"),
               func.count(mine.c.event_id.distinct()).label("events"), _zero("statements"))
        .select_from(mine.join(other, other.c.event_id == mine.c.event_id)
                     .join(_EVENTS, _E.id == mine.c.event_id))
        .where(other.c.actor_id != mine.c.actor_id, _scope(_E.article_id, dialect, scoped))
        .group_by(mine.c.actor_id, other.c.actor_id)
    )
    about = StatementAboutRow.__table__.join(_STATEMENTS, _S.id == _AB.statement_id)
    within = _scope(_S.article_id, dialect, scoped)
    links = union_all(
        select(_S.speaker_id.label("a"), _AB.actor_id.label("b")).select_from(about)
        .where(within),
        select(_AB.actor_id, _S.speaker_id).select_from(about).where(within),
        select(_S.speaker_id, _S.addressee_id).where(within),
        select(_S.addressee_id, _S.speaker_id).where(within),
    ).subquery()
    linked = (
        select(links.c.a.label("actor_id"), links.c.b.label("other_id"), _zero("events"),
               func.count().label("statements"))
        .where(links.c.a.is_not(None), links.c.b.is_not(None), links.c.a != links.c.b)
        .group_by(links.c.a, links.c.b)
    )
    u = union_all(shared, linked).subquery()
    keys = [u.c.actor_id, u.c.other_id]
    events, statements = func.sum(u.c.events), func.sum(u.c.statements)
    return select(*keys, events.label("events"), statements.label("statements"),
                  (events + statements).label("total")).group_by(*keys).order_by(*keys)


_QUERIES = {
    "actor_counts": _counts_query,
    "actor_days": _days_query,
    "actor_event_kinds": _kinds_query,
    "actor_pairs": _pairs_query,
}

_TALLIES = (
    _Tally(cast(Table, ActorCountRow.__table__), ("actor_id",),
           ("mentions", "statements", "about", "events", "articles")),
    _Tally(cast(Table, ActorDayRow.__table__), ("actor_id", "day"), ("statements", "events")),
    _Tally(cast(Table, ActorEventKindRow.__table__), ("actor_id", "facet", "value"),
           ("events",)),
    _Tally(cast(Table, ActorPairRow.__table__), ("actor_id", "other_id"),
           ("events", "statements", "total")),
)


@lru_cache(maxsize=64)
def _query(tally: _Tally, dialect: str, scoped: bool) -> Any:
    return tally.query(dialect, scoped)


@lru_cache(maxsize=16)
def _adding(tally: _Tally, dialect: str) -> Any:
    """What the articles of the list parameter ``articles`` contribute, times the
    parameter ``sign``, added to the table in one statement: ``INSERT ... SELECT ...
    ON CONFLICT (keys) DO UPDATE SET c = c + excluded.c RETURNING`` the actors."""
    from sqlalchemy.dialects import postgresql, sqlite

    table = tally.table
    found = _query(tally, dialect, True).subquery()
    sign = bindparam("sign", type_=Integer)
    # WHERE: SQLite reads an upsert's SELECT without one as a join's ON
    signed = select(*(found.c[k] for k in tally.keys),
                    *((found.c[c] * sign).label(c) for c in tally.counts)).where(true())
    made = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    stmt: Any = made.from_select([*tally.keys, *tally.counts], signed)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(tally.keys),
        set_={c: table.c[c] + stmt.excluded[c] for c in tally.counts},
    )
    actors = [table.c.actor_id, table.c.other_id] if "other_id" in tally.keys else [
        table.c.actor_id]
    return stmt.returning(*actors)


def tally(conn: Connection, article_ids: Sequence[int], sign: int) -> set[int]:
    """Add (``sign`` 1) or subtract (-1) what the articles ``article_ids`` contribute to
    every count; returns the actors whose counts changed. Subtracting can leave rows of
    zeros: :func:`tidy` removes them."""
    ids = sorted(set(article_ids))
    if not ids:
        return set()
    dialect = conn.dialect.name
    touched: set[int] = set()
    for t in _TALLIES:
        for row in run(conn, _adding(t, dialect), {"articles": ids, "sign": sign}):
            touched.update(row)
    return touched


@lru_cache(maxsize=16)
def _emptied(tally: _Tally, dialect: str) -> Any:
    table = tally.table
    zero = [table.c[c] == literal_column("0") for c in tally.counts]
    return delete(table).where(in_list(table.c.actor_id, "actors", dialect), and_(*zero))


def tidy(conn: Connection, actor_ids: Iterable[int]) -> None:
    """Delete the rows of ``actor_ids`` whose counts are all zero (an actor or a pair
    that no report links any more)."""
    ids = sorted(set(actor_ids))
    if not ids:
        return
    for t in _TALLIES:
        run(conn, _emptied(t, conn.dialect.name), {"actors": ids}, fetch=False)


@contextmanager
def recounted(conn: Connection, article_ids: Sequence[int]) -> Iterator[None]:
    """Keep the counts right across a change to the facts of ``article_ids`` made in
    the ``with`` block: their contribution is subtracted before and added after."""
    ids = sorted(set(article_ids))
    touched = tally(conn, ids, -1)
    yield
    touched |= tally(conn, ids, 1)
    tidy(conn, touched)


def recount(conn: Connection) -> None:
    """Compute every count again from the stored facts (the tables emptied first)."""
    dialect = conn.dialect.name
    for t in _TALLIES:
        conn.execute(delete(t.table))
        columns = [*t.keys, *t.counts]
        conn.execute(insert(t.table).from_select(columns, _query(t, dialect, False)))


def actor_articles(conn: Connection, actor_id: int) -> list[int]:
    """The articles with a fact of ``actor_id``: what moving all its facts recounts."""
    in_events = _EVENTS.join(EventActorRow.__table__, _R.event_id == _E.id)
    about = StatementAboutRow.__table__.join(_STATEMENTS, _S.id == _AB.statement_id)
    query = union(
        select(_M.article_id).where(_M.actor_id == actor_id),
        select(_S.article_id).where((_S.speaker_id == actor_id) | (_S.addressee_id == actor_id)),
        select(_S.article_id).select_from(about).where(_AB.actor_id == actor_id),
        select(_E.article_id).select_from(in_events).where(_R.actor_id == actor_id),
    )
    return sorted(conn.execute(query).scalars())
