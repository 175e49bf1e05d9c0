"""The records a graph of one period is built from, read lean.

:func:`kb.graph.build_graph` keeps the facts whose day falls in ``--since``/``--until``
(:func:`kb.graph.records.filter_records`) and reads a few fields of each: ids, types,
dates, actor roles, the source sentence and article, and the outlets of every report.
The record queries (:mod:`kb.store.queries`) would read every fact of the base and
every field of it, with an aggregate per row; here the facts of the period are read
off the date indexes in one query per kind, and what many of them share (actors,
sentences, articles) once each, by id, on the driver (:mod:`kb.store.readsql`).

What comes back is a superset of what the period keeps (the store's date window; for
undated facts, their article's date), as records with the fields the graph reads:
the graph built from them equals the graph built from every record, which
tests/test_graph_records.py checks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, and_, bindparam, literal_column, or_, select, union_all
from sqlalchemy.engine import Connection

from kb.store.actors import actor_rows
from kb.store.filters import (
    CHUNK,
    event_date,
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

__all__ = ["graph_records"]

_E = EventRow.__table__.c
_S = StatementRow.__table__.c
_A = ArticleRow.__table__.c
_EVENT_COLUMNS = (
    _E.id, _E.type, _E.predicate, _E.trigger_text, _E.negated, _E.hypothetical,
    _E.date_value, _E.date_start, _E.date_end, _E.date_granularity, _E.date_basis,
    _E.statement_id, _E.order_key, _E.sentence_id, _E.article_id, _E.trigger_start,
)
_STATEMENT_COLUMNS = (
    _S.id, _S.speaker_id, _S.speaker_text, _S.date_value, _S.date_start,
    _S.date_granularity, _S.date_basis, _S.content_text, _S.direct, _S.cue_text,
    _S.medium_text, _S.addressee_id, _S.addressee_text, _S.sentence_id, _S.article_id,
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
    base = select(*_EVENT_COLUMNS).where(_E.cluster_id == _E.id)
    if not (since or until):
        return base
    dated = [base.where(branch) for branch in window(_E, since, until)]
    undated = base.where(_E.date_start.is_(None), _E.article_id.in_(_published(since, until)))
    return union_all(*dated, undated)


@lru_cache(maxsize=16)
def _statements(dialect: str, since: bool, until: bool) -> Any:
    """The head reports of the period: stated ones starting in it, the others (drawn on
    their article's day) of articles of a day in it."""
    base = select(*_STATEMENT_COLUMNS).where(_S.claim_id == _S.id)
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
    """Rows for the ids in the list parameter ``ids``: ``what`` names the query."""
    if what == "statements":
        return select(*_STATEMENT_COLUMNS).where(in_list(_S.id, "ids", dialect))
    if what == "events":
        return select(*_EVENT_COLUMNS).where(in_list(_E.id, "ids", dialect))
    if what == "claims":
        return select(_S.claim_id).where(in_list(_S.id, "ids", dialect))
    if what in ("event members", "statement members"):
        c = _E if what == "event members" else _S
        group = c.cluster_id if what == "event members" else c.claim_id
        return select(group, c.id).where(in_list(group, "ids", dialect), c.id != group)
    if what == "roles":
        r = EventActorRow.__table__.c
        return select(r.event_id, r.actor_id, r.role).where(in_list(r.event_id, "ids", dialect))
    if what == "about":
        t = StatementAboutRow.__table__.c
        return select(t.statement_id, t.actor_id).where(in_list(t.statement_id, "ids", dialect))
    if what == "actor names":
        a = ActorRow.__table__.c
        return select(a.id).where(in_list(a.name, "ids", dialect, of_text=True))
    if what == "actor keys":
        a, al = ActorRow.__table__.c, ActorAliasRow.__table__.c
        return union_all(
            select(a.id).where(in_list(a.key, "ids", dialect, of_text=True)),
            select(al.actor_id).where(in_list(al.key, "ids", dialect, of_text=True)))
    if what == "sentences":
        t = SentenceRow.__table__.c
        return select(t.id, t.text).where(in_list(t.id, "ids", dialect))
    if what == "articles":
        return select(_A.id, _A.hash, _A.title, _A.publisher, _A.published, _A.path,
                      _A.url).where(in_list(_A.id, "ids", dialect))
    raise ValueError(what)


def _chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(values), CHUNK):
        yield list(values[i:i + CHUNK])


def _fetch(conn: Connection, what: str, ids: Iterable[Any]) -> list[Any]:
    wanted = sorted({i for i in ids if i is not None})
    query = _by_ids(conn.dialect.name, what)
    return [row for chunk in _chunks(wanted) for row in run(conn, query, {"ids": chunk})]


def graph_records(
    conn: Connection,
    since: dt.date | None = None,
    until: dt.date | None = None,
    names: Iterable[str] = (),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """``(events, statements, actors)`` for the graph of the period ``[since, until]``
    (both inclusive, either open), in the order and with the values of the full
    records of docs/records.md for every field the graph reads: every event and
    statement (one per claim or consolidated event) whose day may fall in the period,
    the claims those events report, and the records of every actor they name and of
    the actors called ``names`` (by name or alias: what ``--actor`` filters on)."""
    dialect = conn.dialect.name
    params: dict[str, Any] = {}
    window_params(params, since, until)
    flags = (dialect, since is not None, until is not None)
    event_rows = list(run(conn, _events(*flags), params))
    statement_rows = {r[0]: r for r in run(conn, _statements(*flags), params)}
    # the claims the events report, wherever they fall: the graph shows their words
    spoken = {r[11] for r in event_rows if r[11] is not None}
    claims = {r[0] for r in _fetch(conn, "claims", spoken)}
    for row in _fetch(conn, "statements", claims - set(statement_rows)):
        statement_rows[row[0]] = row

    # the other reports of each claim and event: their outlets, dates and sentences
    event_members = _fetch(conn, "event members", [r[0] for r in event_rows])
    statement_members = _fetch(conn, "statement members", list(statement_rows))
    more_events = _fetch(conn, "events", [m for _, m in event_members])
    more_statements = _fetch(conn, "statements", [m for _, m in statement_members])

    roles: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for event, actor, role in _fetch(conn, "roles", [r[0] for r in event_rows]):
        roles[event].append((actor, role))
    about: dict[int, list[int]] = defaultdict(list)
    for statement, actor in _fetch(conn, "about", list(statement_rows)):
        about[statement].append(actor)
    # every actor the facts name, by id or (an addressee no actor stands for) by name,
    # and those --actor names: their records
    ids = {a for found in roles.values() for a, _ in found}
    ids |= {a for found in about.values() for a in found}
    ids |= {r[1] for r in statement_rows.values()} | {r[11] for r in statement_rows.values()}
    written = {r[12] for r in statement_rows.values() if r[11] is None and r[12]}
    ids |= {r[0] for r in _fetch(conn, "actor names", written)}
    ids |= {r[0] for r in _fetch(conn, "actor keys", {name_key(n) for n in names})}
    records = actor_rows(conn, sorted(ids - {None})) if ids - {None} else []
    actors = {i: (record["name"], record["kind"]) for i, record in records}

    every = [*event_rows, *more_events]
    told = [*statement_rows.values(), *more_statements]
    sentences = dict(_fetch(conn, "sentences", [r[13] for r in [*every, *told]]))
    articles = {r[0]: source_record(r[1:]) for r in _fetch(
        conn, "articles", [r[14] for r in [*every, *told]])}
    events = _event_records(event_rows, more_events, event_members, roles, actors,
                            sentences, articles)
    statements = _statement_records(list(statement_rows.values()), more_statements,
                                    statement_members, about, actors, sentences, articles)
    return events, statements, [record for _, record in records]


def _reports(
    heads: Sequence[Any],
    more: Sequence[Any],
    members: Sequence[tuple[int, int]],
    sentences: dict[int, str],
    articles: dict[int, dict[str, Any]],
    words: int,
    start: int,
) -> dict[int, list[dict[str, Any]]]:
    """Each group's reports as the graph reads them (id, outlet, title, published date,
    sentence), in the order of :func:`kb.store.reports.attach_reports`."""
    rows = {r[0]: r for r in more}
    groups: dict[int, list[int]] = defaultdict(list)
    for group, member in members:
        groups[group].append(member)
    outlets: dict[int, tuple[Any, ...]] = {}  # per article: its sort key and fields

    def report(row: Sequence[Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        article = row[14]
        found = outlets.get(article)
        if found is None:
            source = articles[article]
            found = outlets[article] = (
                source["published"] or "9999", source["id"],
                outlet(source["publisher"], source["url"], source["id"]), source["title"],
                source["published"])
        sentence = sentences.get(row[13])
        return (found[0], found[1], row[start]), {
            "id": row[0], "source": found[2], "title": found[3], "published": found[4],
            "sentence": sentence if sentence is not None else row[words]}

    out: dict[int, list[dict[str, Any]]] = {}
    for head in heads:
        others = groups.get(head[0])
        if not others:  # a report alone: most of them
            out[head[0]] = [report(head)[1]]
            continue
        found = sorted((report(r) for r in (head, *(rows[i] for i in others))),
                       key=lambda pair: pair[0])
        out[head[0]] = [r for _, r in found]
    return out


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


def _event_records(
    rows: Sequence[Any],
    more: Sequence[Any],
    members: Sequence[tuple[int, int]],
    roles: dict[int, list[tuple[int, str]]],
    actors: dict[int, tuple[str, str]],
    sentences: dict[int, str],
    articles: dict[int, dict[str, Any]],
) -> list[dict[str, Any]]:
    reports = _reports(rows, more, members, sentences, articles, 3, 15)
    days: dict[Any, str | None] = {}

    def day(value: Any) -> str | None:
        return days[value] if value in days else days.setdefault(value, iso(value))

    out = []
    for row in _ordered(rows, 7, 12):
        (eid, type_, predicate, trigger, negated, hypothetical, value, start, end,
         granularity, basis, statement, _, sentence_id, article_id, _) = row
        date = event_date(value, day(start), day(end), granularity, basis)
        sentence = sentences.get(sentence_id)
        listed = reports[eid]
        named = [(role, *actors[a]) for a, role in roles.get(eid, ())]
        if len(named) > 1:
            named.sort()
        out.append({
            "id": eid,
            "type": type_,
            "predicate": predicate,
            "trigger": trigger,
            "negated": bool(negated),
            "hypothetical": bool(hypothetical),
            "date": date,
            "actors": [{"name": n, "role": r, "kind": k} for r, n, k in named],
            "statement": statement,
            "sentence": sentence if sentence is not None else trigger,
            "source": dict(articles[article_id]),
            "reports": listed,
            "sources": len({r["source"] for r in listed}) if len(listed) > 1 else 1,
        })
    return out


def _statement_records(
    rows: Sequence[Any],
    more: Sequence[Any],
    members: Sequence[tuple[int, int]],
    about: dict[int, list[int]],
    actors: dict[int, tuple[str, str]],
    sentences: dict[int, str],
    articles: dict[int, dict[str, Any]],
) -> list[dict[str, Any]]:
    reports = _reports(rows, more, members, sentences, articles, 7, 15)
    out = []
    for row in _ordered(rows, 4, None):
        (sid, speaker_id, mention, value, start, granularity, basis, content, direct, cue,
         medium, addressee_id, addressee_text, sentence_id, article_id, _) = row
        speaker = actors.get(speaker_id) if speaker_id is not None else None
        addressee = actors[addressee_id][0] if addressee_id is not None else None
        source = articles[article_id]
        sentence = sentences.get(sentence_id)
        listed = reports[sid]
        out.append({
            "id": sid,
            "speaker": speaker[0] if speaker else None,
            "speaker_kind": speaker[1] if speaker else None,
            "speaker_mention": mention,
            **statement_date(start, value, granularity, basis),
            "reported": source["published"],
            "content": content,
            "direct": bool(direct),
            "cue": cue,
            "medium": medium,
            "addressee": addressee or addressee_text,
            "about": sorted(actors[a][0] for a in about.get(sid, ())),
            "sentence": sentence if sentence is not None else content,
            "source": dict(source),
            "reports": listed,
            "sources": len({r["source"] for r in listed}) if len(listed) > 1 else 1,
        })
    return out

