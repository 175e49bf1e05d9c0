"""Consolidation: one claim per statement however many articles report it, one event
per happening however many articles report it.

The mentions layer keeps every report as the article gave it (a statement row, an
event row). The knowledge layer groups them: ``statements.claim_id`` and
``events.cluster_id`` hold the id of the group's head, the report that represents it
(a claim's first report; an event's report with the most precise stated date). Two
reports are grouped when the rules of :mod:`kb.store.sameness` say they match, and
groups are the connected components of that relation, so the same articles give the
same groups whatever order they are ingested in.

Each group's number of sources is written into its reports whenever the group changes
(:func:`kb.store.reports.refresh_sources`).

It runs incrementally in the article's write transaction (:func:`consolidate_article`):
the new reports are compared with the candidates that share their speaker or an actor
and a date window, found by index, never with the whole base. Deleting or replacing an
article regroups what is left of the groups it touched (:func:`regroup`), and
:func:`rebuild` (``kb reconsolidate``) recomputes every group from the stored reports.
Writers take a transaction-level advisory lock on PostgreSQL before grouping, so two
articles carrying the same words, written at once, still land in one claim; SQLite
writers are serialised already.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Date,
    and_,
    bindparam,
    exists,
    false,
    func,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.engine import Connection

from kb.store.filters import window, window_params
from kb.store.models import (
    ActorRow,
    ArticleActorRow,
    ArticleRow,
    EventActorRow,
    EventRow,
    MentionRow,
    SentenceRow,
    StatementRow,
)
from kb.store.reports import refresh_sources
from kb.store.sameness import (
    Actors,
    as_actors,
    dates_compatible,
    no_actors,
    places_differ,
    predicate_forms,
    predicate_key,
    same_actors,
    same_in_context,
    same_words,
)

__all__ = [
    "consolidate_article",
    "article_groups",
    "regroup",
    "rebuild",
    "Rebuilt",
]

_LOCK_KEY = 0x6B62_5F63  # "kb_c": the advisory lock serialising consolidation
_S = StatementRow.__table__.c
_E = EventRow.__table__.c
_A = ArticleRow.__table__.c
_R = EventActorRow.__table__.c
_M = MentionRow.__table__.c
_T = SentenceRow.__table__.c
_AA = ArticleActorRow.__table__.c
_K = ActorRow.__table__.c
#: Candidates are looked for this many days around a report's date interval.
_REACH = 3
#: Fewest words of a statement by the same unnamed source ("officials") to be a copy.
_UNNAMED_WORDS = 4
_FAR = dt.date.max


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --- the groups one article touches -----------------------------------------------------


def article_groups(conn: Connection, article_id: int) -> tuple[set[int], set[int]]:
    """The claim and event-group ids the article's reports belong to (read before the
    article's rows are deleted, so :func:`regroup` can mend those groups)."""
    claims = conn.execute(
        select(_S.claim_id).where(_S.article_id == article_id, _S.claim_id.is_not(None))
    ).scalars()
    clusters = conn.execute(
        select(_E.cluster_id).where(_E.article_id == article_id, _E.cluster_id.is_not(None))
    ).scalars()
    return set(claims), set(clusters)


@lru_cache(maxsize=1)
def _article_statements() -> tuple[Any, Any, Any, Any]:
    """The statements of :func:`consolidate_article`, built once: each new report
    starts as its own group; the article's statements and events."""
    article: Any = bindparam("article")
    return (
        update(StatementRow).where(_S.article_id == article, _S.claim_id.is_(None))
        .values(claim_id=_S.id),
        update(EventRow).where(_E.article_id == article, _E.cluster_id.is_(None))
        .values(cluster_id=_E.id),
        select(_S.id).where(_S.article_id == article),
        select(_E.id).where(_E.article_id == article),
    )


def consolidate_article(conn: Connection, article_id: int) -> None:
    """Group the reports of the article just written with the stored ones."""
    _lock(conn)
    claims, clusters, of_statements, of_events = _article_statements()
    params = {"article": article_id}
    conn.execute(claims, params)
    conn.execute(clusters, params)
    statements = conn.execute(of_statements, params).scalars()
    events = conn.execute(of_events, params).scalars()
    _group_statements(conn, list(statements))
    _group_events(conn, list(events))


def regroup(conn: Connection, claims: Iterable[int], clusters: Iterable[int]) -> None:
    """Mend groups that lost members (a deleted or replaced article, a moved fact):
    their remaining reports start alone and are grouped again."""
    _lock(conn)
    claims, clusters = sorted(set(claims)), sorted(set(clusters))
    if claims:
        members = list(conn.execute(select(_S.id).where(_S.claim_id.in_(claims))).scalars())
        conn.execute(update(StatementRow).where(_S.id.in_(members)).values(claim_id=_S.id))
        _group_statements(conn, members)
    if clusters:
        members = list(conn.execute(select(_E.id).where(_E.cluster_id.in_(clusters))).scalars())
        conn.execute(update(EventRow).where(_E.id.in_(members)).values(cluster_id=_E.id))
        _group_events(conn, members)


@dataclass(frozen=True)
class Rebuilt:
    """What :func:`rebuild` found: reports and the groups they form."""

    statements: int
    claims: int
    events: int
    event_groups: int


def rebuild(
    conn: Connection, progress: Callable[[int, int], None] | None = None
) -> Rebuilt:
    """Recompute every claim and event group from the stored reports (``kb
    reconsolidate``): every report starts alone and the articles are grouped in the
    order they were stored, one at a time, as ingest would have."""
    _lock(conn)
    conn.execute(update(StatementRow).values(claim_id=_S.id))
    conn.execute(update(EventRow).values(cluster_id=_E.id))
    articles = list(conn.execute(select(_A.id).order_by(_A.id)).scalars())
    for done, article_id in enumerate(articles, 1):
        consolidate_article(conn, article_id)
        if progress is not None:
            progress(done, len(articles))
    count = func.count()
    return Rebuilt(
        statements=conn.execute(select(count).select_from(StatementRow)).scalar_one(),
        claims=conn.execute(select(count).where(_S.claim_id == _S.id)).scalar_one(),
        events=conn.execute(select(count).select_from(EventRow)).scalar_one(),
        event_groups=conn.execute(select(count).where(_E.cluster_id == _E.id)).scalar_one(),
    )


# --- statements -> claims -------------------------------------------------------------


@dataclass(frozen=True)
class _Statement:
    id: int
    group: int
    speaker: int | None
    content: str
    start: dt.date | None
    end: dt.date | None
    stated: bool
    mention: str  # the speaker as written ("officials"), lower-cased; "" when none


_STATEMENT_COLUMNS = (
    _S.id, _S.claim_id, _S.speaker_id, _S.content_text, _S.date_start, _S.date_end,
    _S.date_basis, _S.speaker_text,
)


def _statement(row: Sequence[Any]) -> _Statement:
    sid, group, speaker, content, start, end, basis, mention = row
    return _Statement(sid, group or sid, speaker, content, _day(start), _day(end),
                      basis == "stated", " ".join((mention or "").lower().split()))


def _shift(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, held within the calendar (year 1 to 9999)."""
    ordinal = min(max(1, day.toordinal() + days), dt.date.max.toordinal())
    return dt.date.fromordinal(ordinal)


def _group_statements(conn: Connection, ids: Sequence[int]) -> None:
    """Join the statements ``ids`` (reports alone or in their groups) to the claims
    they match, and count the sources of the claims they are in now."""
    _join_statements(conn, ids)
    refresh_sources(conn, "statements", ids)


def _join_statements(conn: Connection, ids: Sequence[int]) -> None:
    if not ids:
        return
    seeds = [_statement(r) for r in conn.execute(select(*_STATEMENT_COLUMNS)
                                                 .where(_S.id.in_(ids)))]
    speakers = sorted({s.speaker for s in seeds if s.speaker is not None})
    who = [_S.speaker_id.in_(speakers)] if speakers else []
    if any(s.speaker is None for s in seeds):
        who.append(_S.speaker_id.is_(None))
    # dated within _REACH days of a seed (the store's own window), or undated
    params: dict[str, Any] = {}
    when: Any = _S.date_start.is_(None)
    starts = [s.start for s in seeds if s.start is not None]
    if starts:
        ends = [s.end or s.start for s in seeds if s.start is not None]
        window_params(params, _shift(min(starts), -_REACH), _shift(max(ends), _REACH))
        when = or_(*window(_S, True, True), when)
    found = conn.execute(select(*_STATEMENT_COLUMNS).where(or_(*who), when), params)
    by_speaker: dict[int | None, list[_Statement]] = defaultdict(list)
    for row in found:
        cand = _statement(row)
        by_speaker[cand.speaker].append(cand)
    links = []
    for seed in seeds:
        for cand in by_speaker[seed.speaker]:
            if cand.id != seed.id and cand.group != seed.group and _same_statement(seed, cand):
                links.append((seed.group, cand.group))
    _merge_groups(conn, links, _claim_heads, _S.claim_id)


def _same_statement(a: _Statement, b: _Statement) -> bool:
    if not dates_compatible((a.start, a.end, a.stated), (b.start, b.end, b.stated)):
        return False
    if a.speaker is None:  # nobody to compare: only the same long wording, or the
        # same words from the same unnamed source ("Officials said no text had yet been
        # agreed" in three wire copies)
        wording = a.content.split()
        if wording != b.content.split():
            return False
        return len(wording) >= 8 or (
            len(wording) >= _UNNAMED_WORDS and a.mention != "" and a.mention == b.mention)
    return same_words(a.content, b.content)


def _claim_heads(conn: Connection, groups: Sequence[int]) -> tuple[Sequence[Any], Any]:
    """The members of claims ``groups`` as ``(claim, id, ...)`` rows, and the key that
    puts a claim's head first: its first report (earliest published, then by article
    and position: never by row id, so the head is the same whatever the ingest
    order)."""
    rows = conn.execute(_reads()["claim members"], {"ids": groups}).all()
    return rows, lambda r: (_day(r[2]) or _FAR, r[3], r[4])


# --- events -> consolidated events ----------------------------------------------------


@dataclass(frozen=True)
class _Event:
    id: int
    group: int
    type: str
    predicate: str
    negated: bool
    hypothetical: bool
    plover: str | None
    start: dt.date | None
    end: dt.date | None
    stated: bool
    actors: Actors
    claim: int | None  # the claim of the words this event is the act of saying
    sentence: str
    article: int
    anchored: bool = False  # undated, and its article dates a report of its kind


    @property
    def kind(self) -> str:
        """What happened: kb's category ("meeting" for "met" and "talks"), or for the
        broad ones the predicate itself, up to derivation and a few synonyms ("march";
        "arrived" and "landed": :func:`~kb.store.sameness.predicate_key`)."""
        if self.type in _GENERIC:
            return f"{self.type}:{predicate_key(self.predicate)}"
        return self.type


#: Categories too broad to say two reports are of one kind of happening: the verb must.
_GENERIC = ("occurrence", "statement")
_SPEECH = StatementRow.__table__.alias("speech")
_EVENT_COLUMNS = (
    _E.id, _E.cluster_id, _E.type, _E.predicate, _E.negated, _E.hypothetical, _E.plover,
    _E.date_start, _E.date_end, _E.date_basis, _SPEECH.c.claim_id, _T.text, _E.tml_class,
    _E.article_id,
)
_EVENTS = EventRow.__table__.outerjoin(_SPEECH, _SPEECH.c.id == _E.statement_id).outerjoin(
    SentenceRow.__table__, _T.id == _E.sentence_id)
#: Days a later article's undated report of an event may follow it.
_EVENT_SLACK = 1


@lru_cache(maxsize=1)
def _event_candidates() -> Any:
    """The candidates of a batch of event reports, one statement built and compiled
    once (lists as expanding parameters): of a seed's category, or (for the broad ones)
    its verb (or a word of its family: "arrived", "landed"), or an act of a seed's
    claim, each read off its own index within the date window; in an article that
    names one of the seeds' actors (checked per row by index: a role's or the
    sentence's actors are the article's too); not hypothetical; starting within
    :data:`_REACH` days of a seed's start (reports of one happening start within that
    of each other: :func:`_same_when`)."""
    def listed(name: str) -> Any:
        return bindparam(name, expanding=True)

    sharing = exists().where(_AA.article_id == _E.article_id,
                             _AA.actor_id.in_(listed("actors")))
    near = and_(_E.date_start >= bindparam("low", type_=Date),
                _E.date_start <= bindparam("high", type_=Date), _E.hypothetical == false())
    base = select(*_EVENT_COLUMNS).select_from(_EVENTS).where(near, sharing)
    spoken = select(_S.id).where(_S.claim_id.in_(listed("claims")))
    return union_all(
        base.where(_E.type.in_(listed("types"))),
        base.where(_E.predicate.in_(listed("predicates"))),  # the category: in Python
        base.where(_E.statement_id.in_(spoken)),
    )


def _event(row: Sequence[Any], actors: dict[int, Actors]) -> _Event:
    (eid, group, type_, predicate, negated, hypothetical, plover, start, end, basis, claim,
     sentence, tml_class, article) = row
    if type_ != "statement" and tml_class != "REPORTING":
        claim = None  # the event carries a quotation but is not the act of saying it
    return _Event(eid, group or eid, type_, predicate, bool(negated), bool(hypothetical),
                  plover, _day(start), _day(end), basis == "stated",
                  actors.get(eid, no_actors()), claim, sentence or "", article)


@lru_cache(maxsize=1)
def _role_statements() -> tuple[Any, Any, Any, Any]:
    """The four reads of :func:`_roles`, built once (lists as expanding parameters):
    each event's roles with the actors' kinds; the actors named in the sentence of an
    event with no role; each event's article; the actors each article names."""
    ids: Any = bindparam("ids", expanding=True)
    return (
        select(_R.event_id, _R.actor_id, _R.role, _K.kind)
        .join(ActorRow.__table__, _K.id == _R.actor_id).where(_R.event_id.in_(ids)),
        select(_E.id, _M.actor_id)
        .join(MentionRow.__table__, _M.sentence_id == _E.sentence_id).where(_E.id.in_(ids)),
        select(_E.id, _E.article_id).where(_E.id.in_(ids)),
        select(_AA.article_id, _AA.actor_id).where(_AA.article_id.in_(ids)),
    )


def _roles(conn: Connection, ids: Sequence[int]) -> dict[int, Actors]:
    """The actors of each event: its roles, or for an event with none ("the talks",
    "the march") the actors its sentence names, none of them an agent; with the towns
    and regions among them, and every actor its article names (its context)."""
    pairs: dict[int, list[tuple[int, str]]] = defaultdict(list)
    places: set[int] = set()
    roles, in_sentence, of_article, named_in = _role_statements()
    for eid, actor, role, kind in conn.execute(roles, {"ids": ids}):
        pairs[eid].append((actor, role))
        if kind == "place":
            places.add(actor)
    bare = [i for i in ids if i not in pairs]
    if bare:
        for eid, actor in conn.execute(in_sentence, {"ids": bare}):
            pairs[eid].append((actor, "context"))
    article = dict(conn.execute(of_article, {"ids": ids}).all())
    named: dict[int, set[int]] = defaultdict(set)  # one read per article, not per event
    for aid, actor in conn.execute(named_in, {"ids": sorted(set(article.values()))}):
        named[aid].add(actor)
    return {eid: as_actors(pairs.get(eid, ()), places, named[aid])
            for eid, aid in article.items() if named[aid]}


def _group_events(conn: Connection, ids: Sequence[int]) -> None:
    """Join the events ``ids`` to the consolidated events they match, and count the
    sources of the events they are in now."""
    _join_events(conn, ids)
    refresh_sources(conn, "events", ids)


def _join_events(conn: Connection, ids: Sequence[int]) -> None:
    if not ids:
        return
    seed_actors = _roles(conn, ids)
    rows = conn.execute(_reads()["dated events"], {"ids": ids})
    # An event with no date or in an article naming no actor has nothing to be
    # recognised by, and one that may not happen (planned, wanted, conditional) nothing
    # to be the same as: alone.
    seeds = [e for e in (_event(r, seed_actors) for r in rows) if e.actors.context]
    if not seeds:
        return
    starts = [s.start for s in seeds if s.start is not None]  # seeds are dated
    # an act of saying is matched by its claim only, never by its verb ("said"): its
    # kind would bring every act of saying in the window
    kinds = [s for s in seeds if s.claim is None]
    found = conn.execute(_event_candidates(), {
        "types": sorted({s.type for s in kinds if s.type not in _GENERIC}),
        "predicates": sorted({p for s in kinds if s.type in _GENERIC
                              for p in predicate_forms(s.predicate)}),
        "claims": sorted({s.claim for s in seeds if s.claim is not None}),
        "actors": sorted({a for s in seeds for a in _look_for(s.actors)}),
        "low": _shift(min(starts), -_REACH), "high": _shift(max(starts), _REACH),
    }).all()
    found = list({row[0]: row for row in found}.values())  # once, whichever branch
    by_kind: dict[str, list[_Event]] = defaultdict(list)
    by_claim: dict[int, list[_Event]] = defaultdict(list)
    for row in found:
        cand = _event(row, {})  # actors later, for the candidates that pass the rest
        by_kind[cand.kind].append(cand)
        if cand.claim is not None:
            by_claim[cand.claim].append(cand)
    pairs = []
    for seed in seeds:
        same_kind = by_claim[seed.claim] if seed.claim is not None else by_kind[seed.kind]
        pairs += [(seed, c) for c in same_kind
                  if c.id != seed.id and c.group != seed.group and _same_when(seed, c)]
    cand_actors = _roles(conn, sorted({c.id for _, c in pairs}))
    with_actors: dict[int, _Event] = {}  # each candidate given its actors once
    pairs = [(seed, with_actors.get(cand.id) or with_actors.setdefault(
                  cand.id, replace(cand, actors=cand_actors.get(cand.id, no_actors()))))
             for seed, cand in pairs]
    told = {e.id: e for e in (*seeds, *(c for _, c in pairs)) if not e.stated}
    anchors = _anchors(conn, list(told.values()))
    seed_ids = {s.id for s in seeds}
    links = [(told[t].group, e.group) for t, found in anchors.items() if t in seed_ids
             for e in found]
    anchored: dict[int, _Event] = {}  # an event its article dates, marked once

    def marked(e: _Event) -> _Event:
        if e.id not in anchors:
            return e
        return anchored.get(e.id) or anchored.setdefault(e.id, replace(e, anchored=True))

    links += [
        (seed.group, cand.group)
        for seed, cand in pairs
        if _same_event(marked(seed), marked(cand))
    ]
    _merge_groups(conn, links, _event_heads, _E.cluster_id)


def _anchors(conn: Connection, told: Sequence[_Event]) -> dict[int, list[_Event]]:
    """For each undated report (``told``) whose own article dates a report of its
    kind that names participants agreeing with its own ("the denial" and "the
    ministry denied on Tuesday", a headline and its story): those dated reports when
    they are all one happening, else none (the article's "the talks" after a meeting
    on Monday and one on Tuesday could be either). Read from the article alone, so
    the same whatever the order of ingest."""
    told = [t for t in told if t.claim is None]
    if not told:
        return {}
    rows = conn.execute(_reads()["stated events of articles"],
                        {"ids": sorted({t.article for t in told})})
    dated = [_event(r, {}) for r in rows]
    dated = [d for d in dated if d.claim is None]  # acts of saying go by their claim
    found = _roles(conn, sorted({d.id for d in dated}))
    dated = [replace(d, actors=found.get(d.id, no_actors())) for d in dated]
    by_kind: dict[tuple[int, str], list[_Event]] = defaultdict(list)
    for d in dated:
        by_kind[d.article, d.kind].append(d)
    out: dict[int, list[_Event]] = {}
    for t in told:
        rivals = [d for d in by_kind[t.article, t.kind] if _same_when(t, d)]
        same = [d for d in rivals if d.actors.named and _anchor(t, d)]
        if same:
            one = all(_same_when(a, b) and _same_event(a, b)
                      for a in rivals for b in rivals if a.id < b.id)
            out[t.id] = same if one else []
    return out


def _anchor(told: _Event, dated: _Event) -> bool:
    """An undated report is its article's dated one when it names no participant ("the
    denial") or names them as that one does (a headline and its story)."""
    if places_differ(told.actors, dated.actors):
        return False
    if told.actors.named:
        return same_actors(told.actors, dated.actors, dated.plover)
    return same_in_context(told.actors, dated.actors, dated.plover)


def _look_for(actors: Actors) -> frozenset[int]:
    """The actors whose articles may hold a report of the same event: its own, or for
    a report naming no participant, its article's (:func:`same_in_context`)."""
    return actors.named if actors.named else actors.everyone | actors.context


def _same_when(a: _Event, b: _Event) -> bool:
    """The checks that need no actors: polarity and dates. Reports of one happening
    start within :data:`_REACH` days of each other (a month does not take in every
    meeting of its days), which also bounds the candidates' index range."""
    if a.start and b.start and abs(a.start.toordinal() - b.start.toordinal()) > _REACH:
        return False
    return a.negated == b.negated and dates_compatible(
        (a.start, a.end, a.stated), (b.start, b.end, b.stated), _EVENT_SLACK, 0
    )


def _same_event(a: _Event, b: _Event) -> bool:
    """Two reports of one kind that passed :func:`_same_when`: the same happening?

    Reports that put it in different towns are not. Two with stated dates are when
    their actors agree (:func:`~kb.store.sameness.same_actors`), or agree once each is
    read in its article (:func:`~kb.store.sameness.same_in_context`: "Tuesday's talks"
    in an article about the two leaders). A report dated only by its article (no
    day of its own) could be of the happening of any day before, the talks on Monday
    or the meeting on Tuesday: it joins a wire copy of its sentence, or a stated
    report of the day the article came out when both name participants that agree
    (the news of the day: "the Dravonian leader met Marchetti" in Tuesday's paper).
    """
    if a.claim is not None or b.claim is not None:
        return a.claim == b.claim  # an act of speech is the same when its words are
    if places_differ(a.actors, b.actors):
        return False
    direct = same_actors(a.actors, b.actors, a.plover)
    if a.stated and b.stated:
        return direct or same_in_context(a.actors, b.actors, a.plover)
    if direct and same_words(a.sentence, b.sentence):
        return True
    if a.stated == b.stated:
        return False
    stated, told = (a, b) if a.stated else (b, a)
    # an undated report its own article dates is that report (:func:`_anchors`)
    return (not told.anchored and stated.start is not None and told.start is not None
            and stated.start <= told.start <= (stated.end or stated.start)
            and bool(told.actors.named and stated.actors.named)
            and (direct or same_in_context(a.actors, b.actors, a.plover)))


def _event_heads(conn: Connection, groups: Sequence[int]) -> tuple[Sequence[Any], Any]:
    """The members of event groups ``groups`` as ``(group, id, ...)`` rows, and the key
    that puts a group's head first: the report with the most precise stated date (then
    the earliest published, then by article and position)."""
    rows = conn.execute(_reads()["event members"], {"ids": groups}).all()

    def key(r: Sequence[Any]) -> tuple[Any, ...]:
        start, end = _day(r[6]), _day(r[7])
        span = (end - start).days if start and end else 1 << 30
        return (r[5] != "stated", span, _day(r[2]) or _FAR, r[3], r[4])

    return rows, key


# --- shared ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _reads() -> dict[str, Any]:
    """Statements grouping runs for every article, built once (``:ids`` an expanding
    list): the members of claims and of event groups (for their heads), the dated
    reports among events, the stated reports of articles, and moving reports to a
    head (``:head``)."""
    ids: Any = bindparam("ids", expanding=True)
    return {
        "claim members": select(_S.claim_id, _S.id, _A.published, _A.hash, _S.content_start)
        .join(ArticleRow.__table__, _A.id == _S.article_id).where(_S.claim_id.in_(ids)),
        "event members": select(_E.cluster_id, _E.id, _A.published, _A.hash,
                                _E.trigger_start, _E.date_basis, _E.date_start, _E.date_end)
        .join(ArticleRow.__table__, _A.id == _E.article_id).where(_E.cluster_id.in_(ids)),
        "dated events": select(*_EVENT_COLUMNS).select_from(_EVENTS).where(
            _E.id.in_(ids), _E.date_start.is_not(None), _E.hypothetical == false()),
        "stated events of articles": select(*_EVENT_COLUMNS).select_from(_EVENTS).where(
            _E.article_id.in_(ids), _E.date_basis == "stated", _E.hypothetical == false()),
        "move statements": update(StatementRow).where(_S.id.in_(ids))
        .values(claim_id=bindparam("head")),
        "move events": update(EventRow).where(_E.id.in_(ids))
        .values(cluster_id=bindparam("head")),
    }


def _merge_groups(
    conn: Connection,
    links: Sequence[tuple[int, int]],
    heads: Callable[[Connection, Sequence[int]], tuple[Sequence[Any], Any]],
    column: Any,
) -> None:
    """Join the groups each link connects (connected components), give each joined
    group its head, and write the members' new group id into ``column``."""
    import networkx as nx  # loaded when groups are merged, not by every command

    component = {g: n for n, groups in enumerate(nx.connected_components(nx.Graph(links)))
                 for g in groups}
    if not component:
        return
    rows, key = heads(conn, sorted(component))  # every member of every joined group
    by_component: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_component[component[row[0]]].append(row)
    moves: dict[int, list[int]] = defaultdict(list)
    for members in by_component.values():
        head = min(members, key=key)[1]
        moves[head] += [r[1] for r in members if r[0] != head]
    move = _reads()[f"move {column.table.name}"]
    for head, ids in moves.items():
        conn.execute(move, {"ids": ids, "head": head})
