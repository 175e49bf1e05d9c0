"""Event queries: dated events with their actors and roles (records of docs/records.md).

Filters, order and paging are those of :mod:`kb.store.queries`; how a query runs (ids
first, then the record columns by primary key) is in :mod:`kb.store.filters`. An
event's actors come packed into one column of its row, so a page of events costs two
queries whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, String, bindparam, func, literal_column, or_, select
from sqlalchemy.sql import Select

from kb.store.filters import (
    SEP,
    SOURCE_COLUMNS,
    SUB,
    event_date,
    fetch_by_ids,
    is_head,
    iso,
    ordered,
    page_ids,
    source_record,
    walks,
    window,
    window_params,
)
from kb.store.models import (
    ActorCountRow,
    ActorRow,
    ArticleRow,
    EventActorRow,
    EventRow,
    SentenceRow,
)
from kb.store.names import match_actor_ids
from kb.store.readsql import in_list, run
from kb.store.reports import attach_reports

__all__ = ["event_records", "event_ids"]

_E = EventRow.__table__.c
_A = ArticleRow.__table__.c


@lru_cache(maxsize=1024)
def _event_ids(
    dialect: str,
    actors: bool,
    types: bool,
    plover: int,
    since: bool,
    until: bool,
    sources: bool,
    dated: bool | None,
    newest: bool,
    limited: bool,
    heads: bool = True,
    min_sources: bool = False,
    groups: bool = False,
) -> Any:
    """The ids query for one combination of filters, built once and reused (``plover``:
    how many categories are asked, 0, 1 or 2 for several); with ``heads`` only each
    consolidated event's head report, found through any of its
    reports for the actor and source filters (another article may name one more
    actor); with ``min_sources`` only events that at least ``:min_sources`` outlets
    report; with ``groups`` each id comes with its group (``cluster_id``)."""
    query = select(_E.id, _E.cluster_id) if groups else select(_E.id)
    member = EventRow.__table__.alias("member")

    def through_reports(ids: Any) -> Any:
        if not heads:
            return _E.id.in_(ids)
        return _E.id.in_(select(member.c.cluster_id).where(member.c.id.in_(ids)))

    if heads:
        query = query.where(is_head(_E, "cluster_id", dialect))
    if actors:
        roles = EventActorRow.__table__.c
        involved = select(roles.event_id).where(in_list(roles.actor_id, "actor_ids", dialect))
        query = query.where(through_reports(involved))
    if types:
        query = query.where(in_list(_E.type, "types", dialect, of_text=True))
    if plover == 1:  # one category: an equality, so the index gives the order
        query = query.where(_E.plover == bindparam("plover_one", type_=String))
    elif plover:
        query = query.where(in_list(_E.plover, "plover", dialect, of_text=True))
    if sources:
        articles = select(_A.id).where(
            or_(
                in_list(_A.hash, "sources", dialect, of_text=True),
                in_list(_A.path, "sources", dialect, of_text=True),
            )
        )
        query = query.where(
            through_reports(select(member.c.id).where(member.c.article_id.in_(articles)))
            if heads else _E.article_id.in_(articles)
        )
    if min_sources:  # kept on every report by kb.store.consolidate
        query = query.where(_E.sources >= bindparam("min_sources", type_=Integer))
    branches = window(_E, since, until) if since or until else ()
    walk = walks(since, until, newest)
    return ordered(query, _E, dated, newest, limited, branches, rank=_E.order_key, walk=walk)


@lru_cache(maxsize=4)
def _event_rows(dialect: str) -> Select[Any]:
    """The record columns of the events in the list parameter ``ids``."""
    sentence = SentenceRow.__table__.c
    roles = EventActorRow.__table__.c
    actor = ActorRow.__table__.alias("actor")
    sub: Any = literal_column(f"'{SUB}'")
    sep: Any = literal_column(f"'{SEP}'")
    packed = (
        select(func.aggregate_strings(roles.role + sub + actor.c.name + sub + actor.c.kind, sep))
        .select_from(EventActorRow.__table__)
        .join(actor, actor.c.id == roles.actor_id)
        .where(roles.event_id == _E.id)
        .scalar_subquery()
    )
    return (
        select(
            _E.id,
            _E.cluster_id,
            _E.type,
            _E.predicate,
            _E.trigger_text,
            _E.negated,
            _E.hypothetical,
            _E.date_value,
            _E.date_start,
            _E.date_end,
            _E.date_granularity,
            _E.date_basis,
            _E.statement_id,
            _E.tml_class,
            _E.polarity,
            _E.tense,
            _E.aspect,
            _E.modality,
            _E.plover,
            _E.reported_by_statement_id,
            _E.order_key,
            sentence.text,
            packed,
            *SOURCE_COLUMNS,
        )
        .select_from(EventRow.__table__)
        .join(ArticleRow.__table__, _A.id == _E.article_id)
        .outerjoin(SentenceRow.__table__, sentence.id == _E.sentence_id)
        .where(in_list(_E.id, "ids", dialect))
    )


def _names(value: Iterable[str] | str) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _actors(packed: str | None) -> list[dict[str, str]]:
    if not packed:
        return []
    found = sorted(tuple(item.split(SUB, 2)) for item in packed.split(SEP))
    return [{"name": name, "role": role, "kind": kind} for role, name, kind in found]


def event_ids(
    conn: Any,
    actors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    sources: Iterable[str] | None = None,
    limit: int | None = None,
    actor_ids: Sequence[int] | None = None,
    offset: int = 0,
    newest_first: bool = False,
    plover: Iterable[str] | None = None,
    reports: bool = False,
    min_sources: int = 1,
) -> list[int]:
    """The ids of the events :func:`event_records` lists for the same arguments, in its
    order (one query of the indexes, no record columns)."""
    params: dict[str, Any] = {}
    if actors is not None:
        found = match_actor_ids(conn, _names(actors))
        actor_ids = found if actor_ids is None else sorted(set(found) & set(actor_ids))
    if actor_ids is not None:
        params["actor_ids"] = list(actor_ids)
    if types is not None:
        params["types"] = _names(types)
    if plover is not None:
        params["plover"] = sorted({p.upper() for p in _names(plover)})
        if len(params["plover"]) == 1:
            params["plover_one"] = params["plover"][0]
    if sources is not None:
        params["sources"] = _names(sources)
    if any(v == [] for v in params.values()) or limit == 0:
        return []
    window_params(params, since, until)
    if min_sources > 1:
        params["min_sources"] = min_sources
    dialect = conn.dialect.name
    categories = min(2, len(params.get("plover", ())))

    def build(dated: bool | None, limited: bool) -> Any:
        return _event_ids(
            dialect,
            actor_ids is not None,
            types is not None,
            categories,
            since is not None,
            until is not None,
            sources is not None,
            dated,
            newest_first,
            limited,
            not reports,
            min_sources > 1,
        )

    def walk(dated: bool) -> Any:
        """Every report (with its group) in the order of ``build``, but for the actor."""
        return _event_ids(dialect, False, types is not None, categories,
                          since is not None, until is not None, False, dated, newest_first,
                          True, False, groups=True)

    dated_only = since is not None or until is not None
    if actor_ids is not None and limit is not None and sources is None and min_sources <= 1:
        ids = _busy_actor_page(conn, walk, params, limit, max(0, offset), dated_only,
                               not reports)
        if ids is not None:
            return ids
    return page_ids(conn, build, params, limit, max(0, offset), dated_only)


def event_records(conn: Any, **filters: Any) -> list[dict[str, Any]]:
    """Event records matching every given filter (see :func:`event_ids` for the
    arguments); ``sources`` are article ids or paths; ``plover`` PLOVER categories
    (case-insensitive: stored upper case, e.g. ASSAULT). One record per consolidated
    event (its head report, with every report and the number of sources), or with
    ``reports`` one per report; ``min_sources`` keeps the events that many outlets or
    more report."""
    ids = event_ids(conn, **filters)
    records = _records(fetch_by_ids(conn, _event_rows(conn.dialect.name), ids))
    attach_reports(conn, "events", records)
    return records


#: Fewest events read in one step of :func:`_busy_actor_page`.
_STEP = 512


@lru_cache(maxsize=8)
def _involving(dialect: str, heads: bool) -> Select[Any]:
    """Which of the events in the list parameter ``ids`` involve one of the actors
    ``actor_ids`` (a head: through any of its reports)."""
    roles = EventActorRow.__table__.c
    if not heads:
        return select(roles.event_id).where(
            in_list(roles.event_id, "ids", dialect),
            in_list(roles.actor_id, "actor_ids", dialect))
    member = EventRow.__table__.alias("member")
    return select(member.c.cluster_id).join(
        EventActorRow.__table__, roles.event_id == member.c.id).where(
        in_list(member.c.cluster_id, "ids", dialect),
        in_list(roles.actor_id, "actor_ids", dialect))


#: Most events tested in one query of :func:`_involved`.
_INVOLVED_CHUNK = 2_000


def _involved(conn: Any, dialect: str, heads: bool, kept: list[int], actor_ids: Any,
              ) -> set[int]:
    """Which of the events ``kept`` involve one of ``actor_ids`` (:func:`_involving`).

    PostgreSQL is asked :data:`_INVOLVED_CHUNK` at a time: for a list of 5,000 it read
    the whole events table (100 ms at a million events) rather than look each one up.
    SQLite reads the actor's own events and looks each up in the list, so it is asked
    once (in pieces, it would read them once a piece).
    """
    hits: set[int] = set()
    size = _INVOLVED_CHUNK if dialect == "postgresql" else max(1, len(kept))
    for at in range(0, len(kept), size):
        chunk = kept[at:at + size]
        hits.update(r[0] for r in run(conn, _involving(dialect, heads),
                                      {"ids": chunk, "actor_ids": actor_ids}))
    return hits


def _busy_actor_page(
    conn: Any,
    walk: Any,
    params: dict[str, Any],
    limit: int,
    offset: int,
    dated_only: bool,
    heads: bool,
    least_step: int = _STEP,
) -> list[int] | None:
    """One page of the events of busy actors, or None when another way is cheaper.

    Reading every event of an actor in ten thousands of events to keep the newest
    hundred costs about its number of events; reading every report in date order
    (``walk(dated)``: ``(id, group)`` rows), a step at a time, and keeping the heads
    (with ``heads``) that involve the actor costs about ``(limit + offset) * all
    events / its events``. The actors' event counts (kept at write time,
    :mod:`kb.store.counts`) say which is less. The order and the page are the same
    either way; when the actor's events lie far from the end the page starts from (so
    the walk grows past four times its estimate), None says to read them all.
    ``least_step`` is the fewest reports read in one step. (Every report, not only the
    heads, is walked: the database cannot know how many reports are heads, and would
    read a whole table to sort it rather than walk an index for what it thinks is
    most of them.)
    """
    counts = ActorCountRow.__table__.c
    ids = params["actor_ids"]
    mine = conn.execute(select(func.sum(counts.events)).where(
        counts.actor_id.in_(ids))).scalar() or 0
    everyone = conn.execute(select(func.max(_E.id))).scalar() or 0
    need = limit + offset
    if not mine or need * everyone > mine * mine:
        return None
    step = max(least_step, need * everyone * 3 // (2 * mine))
    budget, walked = 4 * step, 0
    found: list[int] = []
    dialect = conn.dialect.name
    for dated in (True,) if dated_only else (True, False):
        at = 0
        while len(found) < need:
            page = run(conn, walk(dated), dict(params, limit=step, offset=at))
            kept = [r[0] for r in page if not heads or r[1] == r[0]]
            hits = _involved(conn, dialect, heads, kept, ids)
            found += [i for i in kept if i in hits]
            walked, at = walked + len(page), at + len(page)
            if len(page) < step:
                break
            if walked >= budget and len(found) < need:
                return None
        if len(found) >= need:
            break
    return found[offset:need]


def _records(rows: Sequence[Any]) -> list[dict[str, Any]]:
    sources: dict[str, dict[str, Any]] = {}
    out = []
    for (
        eid,
        group,
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
        tml_class,
        polarity,
        tense,
        aspect,
        modality,
        plover,
        reported_by,
        order,
        sentence,
        packed,
        *article,
    ) in rows:
        date = event_date(value, iso(start), iso(end), granularity, basis)
        source = sources.get(article[0])
        if source is None:
            source = sources[article[0]] = source_record(article)
        out.append(
            {
                "id": eid,
                "group": group if group is not None else eid,
                "type": type_,
                "predicate": predicate,
                "trigger": trigger,
                "negated": bool(negated),
                "hypothetical": bool(hypothetical),
                "date": date,
                "actors": _actors(packed),
                "statement": statement,
                "tml_class": tml_class,
                "polarity": polarity,
                "tense": tense,
                "aspect": aspect,
                "modality": modality,
                "plover": plover,
                "reported_by": reported_by,
                "order": order,
                "sentence": sentence if sentence is not None else trigger,
                "source": source.copy(),
            }
        )
    return out
