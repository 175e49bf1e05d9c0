"""Statement queries (who said what, when), returning the records of docs/records.md.

Filters compose with AND. Names match canonical names and aliases case-insensitively
(:func:`kb.store.names.name_key`); a name that matches no actor yields no rows rather
than an error. Date filters keep facts whose date interval overlaps ``[since, until]``
(both inclusive): a statement's own stated interval, or its article's published date
when it states none; an event's stated or reported interval (events with no date at
all are left out of date-filtered results). Results are ordered by date, oldest first
(``newest_first`` reverses it), ties by id, undated last; ``limit`` and ``offset`` cut
one page out of that order (``limit=None``: every match). How a query runs is in
:mod:`kb.store.filters`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, bindparam, func, literal_column, or_, select, union_all
from sqlalchemy.sql import Select

from kb.store.event_queries import event_ids, event_records
from kb.store.filters import (
    CHUNK,
    SEP,
    SOURCE_COLUMNS,
    actor_ids,
    fetch_by_ids,
    fulltext_clause,
    fulltext_mode,
    is_head,
    iso,
    ordered,
    page_ids,
    source_record,
    split_names,
    statement_date,
    walks,
    window,
    window_params,
)
from kb.store.models import (
    ActorRow,
    ArticleRow,
    EventActorRow,
    EventRow,
    SentenceRow,
    StatementAboutRow,
    StatementRow,
)
from kb.store.names import expand_names, name_key
from kb.store.readsql import in_list
from kb.store.reports import attach_reports

__all__ = ["statement_records", "statement_ids", "event_records", "event_ids", "fulltext_mode",
           "CHUNK"]

_S = StatementRow.__table__.c
_iso = iso  # the name kb.store.actors imports
_SEP: Any = literal_column(f"'{SEP}'")  # a literal: a bound separator is not allowed


@lru_cache(maxsize=1024)
def _statement_ids(
    dialect: str,
    who: bool,
    about: bool,
    since: bool,
    until: bool,
    text_mode: str | None,
    speakers: bool,
    dated: bool | None,
    newest: bool,
    limited: bool,
    heads: bool = True,
    min_sources: bool = False,
) -> Any:
    """The ids query for one combination of filters, built once and reused; with
    ``heads`` only each claim's head report (one row per claim), found through any of
    its reports for the about and words filters (another article may name one more
    actor, or carry more of the words); with ``min_sources`` only claims that at least
    ``:min_sources`` outlets carry."""
    query = select(_S.id)
    report = StatementRow.__table__.alias("report")

    def through_reports(ids: Any) -> Any:
        if not heads:
            return _S.id.in_(ids)
        return _S.id.in_(select(report.c.claim_id).where(report.c.id.in_(ids)))

    if heads:
        query = query.where(is_head(_S, "claim_id", dialect))
    if speakers:
        query = query.where(in_list(_S.speaker_id, "speaker_ids", dialect))
    if who:
        speakers_ = actor_ids("who_keys", dialect)
        # a joint subject's other speakers ("Biden and Putin approved ...") are roles of
        # the statement's event: speaker, or agent when the event is the act itself
        e, r = EventRow.__table__.c, EventActorRow.__table__.c
        joint: Any = (
            select(e.statement_id)
            .join(EventActorRow.__table__, r.event_id == e.id)
            .where(r.actor_id.in_(speakers_), e.statement_id.is_not(None),
                   r.role.in_([literal_column("'speaker'"), literal_column("'agent'")]))
        )
        if dialect == "postgresql":
            query = query.where(_S.id.in_(_spoken_by(speakers_, joint, heads)))
        else:  # SQLite reads the two by their indexes (a multi-index OR)
            query = query.where(or_(_S.speaker_id.in_(speakers_), through_reports(joint)))
    if about:
        about_c = StatementAboutRow.__table__.c
        topics = select(about_c.statement_id).where(
            about_c.actor_id.in_(actor_ids("about_keys", dialect))
        )
        query = query.where(through_reports(topics))
    if text_mode:
        if heads:
            query = query.where(_S.id.in_(_worded_claims(dialect, report, text_mode)))
        else:
            query = query.where(fulltext_clause(_S, text_mode))
    if min_sources:  # kept on every report by kb.store.consolidate
        query = query.where(_S.sources >= bindparam("min_sources", type_=Integer))
    branches = window(_S, since, until) if since or until else ()
    walk = walks(since, until, newest)
    return ordered(query, _S, dated, newest, limited, branches, walk=walk)


def _spoken_by(speakers: Any, joint: Any, heads: bool) -> Any:
    """The ids of the statements the actors ``speakers`` said: theirs as the speaker,
    and (their claims, with ``heads``) those ``joint`` gives, where one of them is a
    joint subject. One list of ids for PostgreSQL, not "speaker is one of them OR
    ...": the ``OR`` of two subqueries kept it from using the speaker index, so a rare
    speaker's statements were found by reading every statement (50-140 ms at 200,000
    statements, 1-4 ms as one list)."""
    spoken = StatementRow.__table__.alias("spoken")
    own = select(spoken.c.id).where(spoken.c.speaker_id.in_(speakers))
    if not heads:
        return union_all(own, joint)
    report = StatementRow.__table__.alias("joint_report")
    return union_all(own, select(report.c.claim_id).where(report.c.id.in_(joint)))


def _worded_claims(dialect: str, report: Any, text_mode: str) -> Any:
    """The claims of the reports (the table alias ``report``) that hold the words.

    Read first, from the full-text index. SQLite reads such an ``IN`` list first
    anyway; on PostgreSQL ``OFFSET 0`` keeps the planner from folding it into the outer
    query, where, taking the words' test to be cheap, it walked the claims in date order
    testing each one's reports: 270 ms for a word in 1,200 statements of 200,000, where
    reading those 1,200 first takes 20 ms.
    """
    claims = select(report.c.claim_id).where(fulltext_clause(report.c, text_mode))
    return claims.offset(literal_column("0")) if dialect == "postgresql" else claims


@lru_cache(maxsize=4)
def _statement_rows(dialect: str) -> Select[Any]:
    """The record columns of the statements in the list parameter ``ids``."""
    speaker = ActorRow.__table__.alias("speaker")
    addressee = ActorRow.__table__.alias("addressee")
    topic = ActorRow.__table__.alias("topic")
    sentence = SentenceRow.__table__.c
    about_c = StatementAboutRow.__table__.c
    about = (
        select(func.aggregate_strings(topic.c.name, _SEP))
        .select_from(StatementAboutRow.__table__)
        .join(topic, topic.c.id == about_c.actor_id)
        .where(about_c.statement_id == _S.id)
        .scalar_subquery()
    )
    return (
        select(
            _S.id,
            _S.claim_id,
            speaker.c.name,
            speaker.c.kind,
            _S.speaker_text,
            _S.date_value,
            _S.date_start,
            _S.date_granularity,
            _S.date_basis,
            _S.content_text,
            _S.direct,
            _S.cue_text,
            _S.medium_text,
            addressee.c.name,
            _S.addressee_text,
            sentence.text,
            about,
            *SOURCE_COLUMNS,
        )
        .select_from(StatementRow.__table__)
        .join(ArticleRow.__table__, ArticleRow.__table__.c.id == _S.article_id)
        .outerjoin(SentenceRow.__table__, sentence.id == _S.sentence_id)
        .outerjoin(speaker, speaker.c.id == _S.speaker_id)
        .outerjoin(addressee, addressee.c.id == _S.addressee_id)
        .where(in_list(_S.id, "ids", dialect))
    )


def _keys(names: Iterable[str] | str) -> list[str]:
    names = [names] if isinstance(names, str) else names
    return sorted({name_key(n) for n in names if n and n.strip()})


def statement_ids(
    conn: Any,
    fts: bool,
    who: Iterable[str] | None = None,
    about: Iterable[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    contains: str | None = None,
    limit: int | None = None,
    speaker_ids: Sequence[int] | None = None,
    offset: int = 0,
    newest_first: bool = False,
    reports: bool = False,
    min_sources: int = 1,
) -> list[int]:
    """The ids of the statements :func:`statement_records` lists for the same
    arguments, in its order (one query of the indexes, no record columns)."""
    params: dict[str, Any] = {}
    if speaker_ids is not None:
        params["speaker_ids"] = list(speaker_ids)
    if who is not None:
        params["who_keys"] = _keys(expand_names(conn, who))
    if about is not None:
        params["about_keys"] = _keys(expand_names(conn, about))
    if any(v == [] for v in params.values()) or limit == 0:
        return []
    window_params(params, since, until)
    if min_sources > 1:
        params["min_sources"] = min_sources
    text_mode = None
    if contains is not None and contains.strip():
        text_mode, params["contains"] = fulltext_mode(conn.dialect.name, fts, contains)
    dialect = conn.dialect.name

    def build(dated: bool | None, limited: bool) -> Any:
        return _statement_ids(
            dialect,
            who is not None,
            about is not None,
            since is not None,
            until is not None,
            text_mode,
            speaker_ids is not None,
            dated,
            newest_first,
            limited,
            not reports,
            min_sources > 1,
        )

    dated_only = since is not None or until is not None
    return page_ids(conn, build, params, limit, max(0, offset), dated_only)


def statement_records(conn: Any, fts: bool, **filters: Any) -> list[dict[str, Any]]:
    """Statement records matching every given filter (see the module docstring and
    :func:`statement_ids` for the arguments): one per claim (its first report, with
    every report and the number of sources), or with ``reports`` one per report;
    ``min_sources`` keeps the claims that many outlets or more carry (every report of
    them, with ``reports``)."""
    ids = statement_ids(conn, fts, **filters)
    records = _records(fetch_by_ids(conn, _statement_rows(conn.dialect.name), ids))
    attach_reports(conn, "statements", records)
    return records


def _records(rows: Sequence[Any]) -> list[dict[str, Any]]:
    sources: dict[str, dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    append = out.append
    for row in rows:
        (
            sid,
            claim,
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
            about,
            hash_,
        ) = row[:18]
        source = sources.get(hash_)
        if source is None:
            source = sources[hash_] = source_record(row[17:])
        append(
            {
                "id": sid,
                "claim": claim if claim is not None else sid,
                "speaker": speaker,
                "speaker_kind": kind,
                "speaker_mention": mention,
                **statement_date(start, value, granularity, basis),
                "reported": source["published"],
                "content": content,
                "direct": bool(direct),
                "cue": cue,
                "medium": medium,
                "addressee": addressee or addressee_text,
                "about": split_names(about),
                "sentence": sentence if sentence is not None else content,
                "source": source.copy(),
            }
        )
    return out
