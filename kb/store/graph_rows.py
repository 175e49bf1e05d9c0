"""The facts a graph of one period is built from, read lean.

:func:`kb.graph.period_graph` keeps the facts whose day falls in ``--since``/``--until``
and reads a few fields of each: ids, types, dates, actor roles, the source sentence and
article, and the outlets of every report. The record queries (:mod:`kb.store.queries`)
would read every fact of the base and every field of it, with an aggregate per row;
here the facts of the period are read off the date indexes in one query per kind (with
their sentences), and what many of them share (actor roles, actors, articles) once
each, by id, on the driver (:mod:`kb.store.readsql`).

What comes back is a superset of what the period keeps (the store's date window; for
undated facts, their article's date), as the tuples of :mod:`kb.facts`
(:func:`graph_facts`) or as records with the fields the graph reads
(:func:`graph_records`): the graph built from either equals the graph built from every
record, which tests/test_graph_records.py checks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Date, and_, bindparam, literal_column, or_, select, union_all
from sqlalchemy.engine import Connection

from kb.facts import ActorFact, EventFact, ReportFact, StatementFact
from kb.store.actors import actor_facts
from kb.store.filters import (
    is_head,
    iso,
    source_record,
    statement_date,
    window,
    window_params,
)
from kb.store.models import (
    ActorAliasRow,
    ActorRow,
    ArticleRow,
    EventActorRow,
    EventRow,
    SentenceRow,
    StatementAboutRow,
    StatementRow,
)
from kb.store.names import name_key
from kb.store.readsql import in_list, run
from kb.store.reports import outlet

__all__ = [
    "GraphFacts",
    "event_record",
    "graph_facts",
    "graph_records",
    "statement_record",
]

_E = EventRow.__table__.c
_S = StatementRow.__table__.c
_A = ArticleRow.__table__.c
_T = SentenceRow.__table__.c


def _sentence(c: Any) -> Any:
    """The text of the sentence of the fact of the row (of the table with columns
    ``c``), None when it has none: one lookup by id per row (as a join, PostgreSQL
    hashed the whole sentences table for a month's facts)."""
    return select(_T.text).where(_T.id == c.sentence_id).scalar_subquery()


#: Each fact with the text of its sentence (column 13).
_EVENT_COLUMNS = (
    _E.id, _E.type, _E.predicate, _E.trigger_text, _E.negated, _E.hypothetical,
    _E.date_value, _E.date_start, _E.date_end, _E.date_granularity, _E.date_basis,
    _E.statement_id, _E.order_key, _sentence(_E), _E.article_id, _E.trigger_start,
)
_STATEMENT_COLUMNS = (
    _S.id, _S.speaker_id, _S.speaker_text, _S.date_value, _S.date_start,
    _S.date_granularity, _S.date_basis, _S.content_text, _S.direct, _S.cue_text,
    _S.medium_text, _S.addressee_id, _S.addressee_text, _sentence(_S), _S.article_id,
    _S.content_start,
)


def _published(since: bool, until: bool) -> Any:
    """Articles published within the period (what an undated fact is drawn on)."""
    when = []
    if since:
        when.append(_A.published >= bindparam("since", type_=Date))
    if until:
        when.append(_A.published <= bindparam("until", type_=Date))
    return select(_A.id).where(_A.published.is_not(None), *when)


@lru_cache(maxsize=16)
def _events(dialect: str, since: bool, until: bool) -> Any:
    """The head reports of the period: dated ones overlapping it, undated ones whose
    article is of a day in it."""
    base = select(*_EVENT_COLUMNS).where(is_head(_E, "cluster_id", dialect))
    if not (since or until):
        return base
    dated = [base.where(branch) for branch in window(_E, since, until)]
    undated = base.where(_E.date_start.is_(None), _E.article_id.in_(_published(since, until)))
    return union_all(*dated, undated)


@lru_cache(maxsize=16)
def _statements(dialect: str, since: bool, until: bool) -> Any:
    """The head reports of the period: stated ones starting in it, the others (drawn on
    their article's day) of articles of a day in it."""
    base = select(*_STATEMENT_COLUMNS).where(is_head(_S, "claim_id", dialect))
    if not (since or until):
        return base
    stated = [_S.date_basis == literal_column("'stated'"), _S.date_start.is_not(None)]
    if since:
        stated.append(_S.date_start >= bindparam("since", type_=Date))
    if until:
        stated.append(_S.date_start <= bindparam("until", type_=Date))
    reported = or_(_S.date_basis != literal_column("'stated'"), _S.date_start.is_(None))
    return union_all(
        base.where(and_(*stated)),
        base.where(reported, _S.article_id.in_(_published(since, until))),
    )


@lru_cache(maxsize=8)
def _by_ids(dialect: str, what: str) -> Any:
    """Rows for the ids in the list parameter ``ids`` (thousands of them: the period's
    facts): ``what`` names the query."""
    if what == "statements":
        return select(*_STATEMENT_COLUMNS).where(
            in_list(_S.id, "ids", dialect, many=True))
    if what == "events":
        return select(*_EVENT_COLUMNS).where(
            in_list(_E.id, "ids", dialect, many=True))
    if what == "claims":
        return select(_S.claim_id).where(in_list(_S.id, "ids", dialect, many=True))
    if what in ("event members", "statement members"):
        c = _E if what == "event members" else _S
        group = c.cluster_id if what == "event members" else c.claim_id
        return select(group, c.id).where(in_list(group, "ids", dialect, many=True),
                                         c.id != group)
    if what == "roles":
        r = EventActorRow.__table__.c
        return select(r.event_id, r.actor_id, r.role).where(
            in_list(r.event_id, "ids", dialect, many=True))
    if what == "about":
        t = StatementAboutRow.__table__.c
        return select(t.statement_id, t.actor_id).where(
            in_list(t.statement_id, "ids", dialect, many=True))
    if what == "actor names":
        a = ActorRow.__table__.c
        return select(a.id).where(in_list(a.name, "ids", dialect, of_text=True))
    if what == "actor keys":
        a, al = ActorRow.__table__.c, ActorAliasRow.__table__.c
        return union_all(
            select(a.id).where(in_list(a.key, "ids", dialect, of_text=True)),
            select(al.actor_id).where(in_list(al.key, "ids", dialect, of_text=True)))
    if what == "articles":
        return select(_A.id, _A.hash, _A.title, _A.publisher, _A.published, _A.path,
                      _A.url).where(in_list(_A.id, "ids", dialect, many=True))
    raise ValueError(what)


def _fetch(conn: Connection, what: str, ids: Iterable[Any]) -> Sequence[Any]:
    """The rows of the query ``what`` for ``ids`` (one list parameter, however long)."""
    wanted = sorted({i for i in ids if i is not None})
    return run(conn, _by_ids(conn.dialect.name, what), {"ids": wanted}) if wanted else []


class GraphFacts(NamedTuple):
    """What the graph of a period is built from: its events and statements in the
    order of the record queries, and the actors they name, by name."""

    events: list[EventFact]
    statements: list[StatementFact]
    actors: list[ActorFact]


def graph_facts(
    conn: Connection,
    since: dt.date | None = None,
    until: dt.date | None = None,
    names: Iterable[str] = (),
) -> GraphFacts:
    """The events, statements and actors of the graph of the period ``[since, until]``
    (both inclusive, either open), with the values of the full records of
    docs/records.md for every field the graph reads: every event and statement (one
    per claim or consolidated event) whose day may fall in the period, the claims
    those events report, and the records of every actor they name and of the actors
    called ``names`` (by name or alias: what ``--actor`` filters on)."""
    dialect = conn.dialect.name
    params: dict[str, Any] = {}
    window_params(params, since, until)
    flags = (dialect, since is not None, until is not None)
    event_rows = run(conn, _events(*flags), params)
    statement_rows = {r[0]: r for r in run(conn, _statements(*flags), params)}
    # the claims the events report, wherever they fall: the graph shows their words
    spoken = {r[11] for r in event_rows if r[11] is not None}
    claims = {r[0] for r in _fetch(conn, "claims", spoken)}
    for row in _fetch(conn, "statements", claims - set(statement_rows)):
        statement_rows[row[0]] = row

    # the other reports of each claim and event: their outlets, dates and sentences
    event_members = _fetch(conn, "event members", [r[0] for r in event_rows])
    statement_members = _fetch(conn, "statement members", statement_rows)
    more_events = _fetch(conn, "events", [m for _, m in event_members])
    more_statements = _fetch(conn, "statements", [m for _, m in statement_members])

    roles: dict[int, list[Any]] = defaultdict(list)  # event -> (event, actor, role) rows
    for row in _fetch(conn, "roles", [r[0] for r in event_rows]):
        roles[row[0]].append(row)
    about: dict[int, list[int]] = defaultdict(list)
    for statement, actor in _fetch(conn, "about", statement_rows):
        about[statement].append(actor)
    # every actor the facts name, by id or (an addressee no actor stands for) by name,
    # and those --actor names: their records
    ids = {row[1] for found in roles.values() for row in found}
    ids |= {a for found in about.values() for a in found}
    ids |= {r[1] for r in statement_rows.values()} | {r[11] for r in statement_rows.values()}
    written = {r[12] for r in statement_rows.values() if r[11] is None and r[12]}
    ids |= {r[0] for r in _fetch(conn, "actor names", written)}
    ids |= {r[0] for r in _fetch(conn, "actor keys", {name_key(n) for n in names})}
    ids.discard(None)
    records = actor_facts(conn, sorted(ids)) if ids else []
    actors = {i: (fact.name, fact.kind) for i, fact in records}

    told = [*statement_rows.values(), *more_statements]
    articles = {r[0]: source_record(r[1:]) for r in _fetch(
        conn, "articles", [r[14] for r in chain(event_rows, more_events, told)])}
    events = _event_facts(event_rows, more_events, event_members, roles, actors, articles)
    statements = _statement_facts(list(statement_rows.values()), more_statements,
                                  statement_members, about, actors, articles)
    return GraphFacts(events, statements, [fact for _, fact in records])


def graph_records(
    conn: Connection,
    since: dt.date | None = None,
    until: dt.date | None = None,
    names: Iterable[str] = (),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """``(events, statements, actors)``: the facts of :func:`graph_facts` as records
    (docs/records.md), with every field the graph reads."""
    facts = graph_facts(conn, since, until, names)
    return ([event_record(f) for f in facts.events],
            [statement_record(f) for f in facts.statements],
            [f._asdict() for f in facts.actors])


def event_record(fact: EventFact) -> dict[str, Any]:
    """The event record (the fields the graph reads) of ``fact``."""
    return {
        "id": fact.id,
        "type": fact.type,
        "predicate": fact.predicate,
        "trigger": fact.trigger,
        "negated": fact.negated,
        "hypothetical": fact.hypothetical,
        "date": None if fact.value is None and fact.start is None else {
            "value": fact.value, "start": fact.start, "end": fact.end,
            "granularity": fact.granularity, "basis": fact.basis},
        "actors": [{"name": n, "role": r, "kind": k} for n, r, k in fact.actors],
        "statement": fact.statement,
        "sentence": fact.sentence,
        "source": dict(fact.source or {}),
        "reports": [r._asdict() for r in fact.reports],
        "sources": fact.sources,
    }


def statement_record(fact: StatementFact) -> dict[str, Any]:
    """The statement record (the fields the graph reads) of ``fact``."""
    record = fact._asdict()
    record["about"] = list(fact.about)
    record["source"] = dict(fact.source or {})
    record["reports"] = [r._asdict() for r in fact.reports]
    return record


def _reports(
    heads: Sequence[Any],
    more: Sequence[Any],
    members: Sequence[tuple[int, int]],
    articles: dict[int, dict[str, Any]],
    words: int,
    start: int,
) -> dict[int, list[ReportFact]]:
    """Each group's reports as the graph reads them (id, outlet, title, published date,
    sentence), in the order of :func:`kb.store.reports.attach_reports`."""
    rows = {r[0]: r for r in more}
    groups: dict[int, list[int]] = defaultdict(list)
    for group, member in members:
        groups[group].append(member)
    outlets = {  # per article: its sort key and fields
        article: (source["published"] or "9999", source["id"],
                  outlet(source["publisher"], source["url"], source["id"]), source["title"],
                  source["published"])
        for article, source in articles.items()}

    def report(row: Sequence[Any]) -> ReportFact:
        found = outlets[row[14]]
        sentence = row[13]
        return ReportFact(row[0], found[2], found[3], found[4],
                          sentence if sentence is not None else row[words])

    def key(row: Sequence[Any]) -> tuple[Any, ...]:
        found = outlets[row[14]]
        return found[0], found[1], row[start]

    out: dict[int, list[ReportFact]] = {}
    for head in heads:
        others = groups.get(head[0]) if groups else None
        if not others:  # a report alone: most of them
            out[head[0]] = [report(head)]
            continue
        found = sorted((head, *(rows[i] for i in others)), key=key)
        out[head[0]] = [report(r) for r in found]
    return out


#: An event's actors ``(name, role, kind)`` in the order of its record: by role, name, kind.
_by_role = itemgetter(1, 0, 2)


def _sources(reports: list[ReportFact]) -> int:
    """How many outlets carry a fact."""
    return len({r.source for r in reports})


def _ordered(rows: Sequence[Any], start: int, rank: int | None) -> list[Any]:
    """``rows`` in the order of the record queries: by day (undated last), rank (unranked
    last), then id."""
    days: dict[Any, str | None] = {}

    def key(row: Sequence[Any]) -> tuple[Any, ...]:
        value = row[start]
        day = days.get(value) if value in days else days.setdefault(value, iso(value))
        order = row[rank] if rank is not None else None
        return (day is None, day or "", order is None, order or 0, row[0])

    return sorted(rows, key=key)


def _event_facts(
    rows: Sequence[Any],
    more: Sequence[Any],
    members: Sequence[tuple[int, int]],
    roles: dict[int, list[Any]],
    actors: dict[int, tuple[str, str | None]],
    articles: dict[int, dict[str, Any]],
) -> list[EventFact]:
    reports = _reports(rows, more, members, articles, 3, 15)
    day = {value: iso(value) for value in {r[7] for r in rows} | {r[8] for r in rows}}
    out = []
    for row in _ordered(rows, 7, 12):
        (eid, type_, predicate, trigger, negated, hypothetical, value, start, end,
         granularity, basis, statement, _, sentence, article_id, _) = row
        listed = reports[eid]
        named = []
        for _, a, role in roles.get(eid, ()):
            name, kind = actors[a]
            named.append((name, role, kind))
        if len(named) > 1:
            named.sort(key=_by_role)
        if value is None and start is None:  # no date stated: none of its fields
            start = end = granularity = basis = None
        else:
            start, end, basis = day[start], day[end], basis or "stated"
        out.append(EventFact(
            eid, type_, predicate, trigger, bool(negated), bool(hypothetical), value, start,
            end, granularity, basis, named, statement,
            sentence if sentence is not None else trigger, articles[article_id], listed,
            _sources(listed) if len(listed) > 1 else 1))
    return out


def _statement_facts(
    rows: Sequence[Any],
    more: Sequence[Any],
    members: Sequence[tuple[int, int]],
    about: dict[int, list[int]],
    actors: dict[int, tuple[str, str | None]],
    articles: dict[int, dict[str, Any]],
) -> list[StatementFact]:
    reports = _reports(rows, more, members, articles, 7, 15)
    out = []
    for row in _ordered(rows, 4, None):
        (sid, speaker_id, mention, value, start, granularity, basis, content, direct, cue,
         medium, addressee_id, addressee_text, sentence, article_id, _) = row
        speaker = actors.get(speaker_id) if speaker_id is not None else None
        addressee = actors[addressee_id][0] if addressee_id is not None else None
        source = articles[article_id]
        listed = reports[sid]
        when = statement_date(start, value, granularity, basis)
        out.append(StatementFact(
            sid, speaker[0] if speaker else None, speaker[1] if speaker else None, mention,
            when["date"], when["date_value"], when["date_granularity"], when["date_basis"],
            source["published"], content, bool(direct), cue, medium,
            addressee or addressee_text, sorted(actors[a][0] for a in about.get(sid, ())),
            sentence if sentence is not None else content, source, listed,
            _sources(listed) if len(listed) > 1 else 1))
    return out
