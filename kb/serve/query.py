"""A view's filters, read from and written back to the URL, and the records they select.

Every filter ``kb serve`` offers lives in the query string, so a link reproduces the
view. Records come from the :class:`kb.store.Store` methods the command line uses; the
facets (speaker, actor, event type, PLOVER category, number of sources, a date
histogram) are counted by the database over the ids of the newest :data:`FACET_CAP`
matches (no records are built for them), so a page costs the same however many facts
match (the page says when the facets count a sample). The ``min_sources`` filter is
the store's: a claim or event that at least that many outlets carry, over the whole
view; the number of outlets is kept on each report at write time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import case, distinct, func, literal_column, select

from kb.errors import InputError
from kb.extract.categories import PLOVER
from kb.store.filters import iso
from kb.store.models import ActorRow, ArticleRow, EventActorRow, EventRow, StatementRow
from kb.store.readsql import in_list, run

__all__ = [
    "Filters",
    "FACET_CAP",
    "VIEW_CAP",
    "MAX_PAGE_SIZE",
    "parse_filters",
    "replace_kind",
    "records",
    "facets",
    "histogram",
    "activity_days",
    "SOURCE_BUCKETS",
]

KINDS = ("statements", "events", "all")
SORTS = ("newest", "oldest")
BINS = ("auto", "day", "week", "month")
#: Matches counted for the facets and the histogram of one view.
FACET_CAP = 2_000
#: Items drawn by a live timeline or graph, and rows in one download.
VIEW_CAP = 5_000
#: The largest page a list or the API returns.
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
#: Longest accepted filter value and most values of one repeatable filter.
MAX_VALUE = 200
MAX_VALUES = 20
#: The source-count facet: (label, fewest sources, most sources or None).
SOURCE_BUCKETS = (("1", 1, 1), ("2", 2, 2), ("3-4", 3, 4), ("5+", 5, None))
MAX_SOURCES = 1_000


@dataclass(frozen=True)
class Filters:
    """One view: what to list (``kind``), the filters, the order and the page."""

    kind: str = "statements"
    q: str = ""
    actor: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    plover: tuple[str, ...] = ()
    min_sources: int = 1
    since: dt.date | None = None
    until: dt.date | None = None
    sort: str = "newest"
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    bin: str = "auto"
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """The query-string pairs of this view with ``changes`` applied; defaults left out."""
        f = replace(self, **changes)
        pairs: list[tuple[str, str]] = [("kind", f.kind)]
        if f.q:
            pairs.append(("q", f.q))
        pairs += [("actor", a) for a in f.actor]
        pairs += [("about", a) for a in f.about]
        pairs += [("type", t) for t in f.type]
        pairs += [("plover", p) for p in f.plover]
        if f.min_sources > 1:
            pairs.append(("min_sources", str(f.min_sources)))
        if f.since:
            pairs.append(("since", f.since.isoformat()))
        if f.until:
            pairs.append(("until", f.until.isoformat()))
        if f.sort != "newest":
            pairs.append(("sort", f.sort))
        if f.page != 1:
            pairs.append(("page", str(f.page)))
        if f.size != DEFAULT_PAGE_SIZE:
            pairs.append(("size", str(f.size)))
        if f.bin != "auto":
            pairs.append(("bin", f.bin))
        return pairs

    def url(self, path: str, **changes: Any) -> str:
        """``path`` with this view's query string (``changes`` applied)."""
        if changes and "page" not in changes:  # another filter: back to the first page
            changes["page"] = 1
        return f"{path}?{urlencode(self.params(**changes))}"

    @property
    def names(self) -> tuple[str, ...]:
        return self.actor + self.about

    @property
    def has_filters(self) -> bool:
        return bool(self.q or self.actor or self.about or self.type or self.plover
                    or self.min_sources > 1 or self.since or self.until)


def _date(name: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{name}={value!r}: not a date; write it as YYYY-MM-DD") from None


def _int(name: str, value: str | None, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise InputError(f"{name}={value!r}: not a whole number") from None
    if not low <= number <= high:
        raise InputError(f"{name}={number}: must be between {low} and {high}")
    return number


def _choice(name: str, value: str | None, choices: tuple[str, ...], default: str) -> str:
    if not value:
        return default
    if value not in choices:
        raise InputError(f"{name}={value!r}: must be one of {', '.join(choices)}")
    return value


def _values(query: Any, name: str) -> tuple[str, ...]:
    values = [v.strip() for v in query.getlist(name) if v.strip()]
    if len(values) > MAX_VALUES:
        raise InputError(f"{name}: at most {MAX_VALUES} values")
    for v in values:
        if len(v) > MAX_VALUE:
            raise InputError(f"{name}: a value longer than {MAX_VALUE} characters")
    return tuple(dict.fromkeys(values))


def _plover(query: Any) -> tuple[str, ...]:
    values = tuple(dict.fromkeys(v.upper() for v in _values(query, "plover")))
    for v in values:
        if v not in PLOVER:
            raise InputError(f"plover={v!r}: not a PLOVER category; one of {', '.join(PLOVER)}")
    return values


def parse_filters(query: Any, kind: str | None = None, max_size: int = MAX_PAGE_SIZE) -> Filters:
    """The :class:`Filters` of a request's query parameters (Starlette's QueryParams or
    any mapping with ``get``/``getlist``); :class:`kb.errors.InputError` names a bad one."""
    q = (query.get("q") or "").strip()
    if len(q) > MAX_VALUE:
        raise InputError(f"q: at most {MAX_VALUE} characters")
    since = _date("since", query.get("since"))
    until = _date("until", query.get("until"))
    if since and until and since > until:
        raise InputError(f"since={since} is after until={until}")
    return Filters(
        kind=kind or _choice("kind", query.get("kind"), KINDS, "statements"),
        q=q,
        actor=_values(query, "actor"),
        about=_values(query, "about"),
        type=_values(query, "type"),
        plover=_plover(query),
        min_sources=_int("min_sources", query.get("min_sources"), 1, 1, MAX_SOURCES),
        since=since,
        until=until,
        sort=_choice("sort", query.get("sort"), SORTS, "newest"),
        page=_int("page", query.get("page"), 1, 1, 100_000),
        size=_int("size", query.get("size"), DEFAULT_PAGE_SIZE, 1, max_size),
        bin=_choice("bin", query.get("bin"), BINS, "auto"),
    )


def replace_kind(f: Filters, kind: str) -> Filters:
    """``f`` listing ``kind`` (statements, events or all)."""
    return replace(f, kind=_choice("kind", kind, KINDS, "statements"))


def wants_statements(f: Filters) -> bool:
    return f.kind in ("statements", "all") and not (f.type or f.plover)


def wants_events(f: Filters) -> bool:
    return f.kind in ("events", "all") and not (f.q or f.about)


def _statement_filters(f: Filters) -> dict[str, Any]:
    return {
        "who": list(f.actor) or None,
        "about": list(f.about) or None,
        "since": f.since,
        "until": f.until,
        "contains": f.q or None,
        "newest_first": f.sort == "newest",
        "min_sources": f.min_sources,
    }


def _event_filters(f: Filters) -> dict[str, Any]:
    return {
        "actors": list(f.actor) or None,
        "types": list(f.type) or None,
        "plover": list(f.plover) or None,
        "since": f.since,
        "until": f.until,
        "newest_first": f.sort == "newest",
        "min_sources": f.min_sources,
    }


def statements(store: Any, f: Filters, limit: int | None, offset: int = 0) -> list[dict]:
    """Statements by any of the view's actors, about its ``about`` actors, with ``q``,
    carried by at least ``min_sources`` outlets."""
    return store.statements(**_statement_filters(f), limit=limit, offset=offset)


def events(store: Any, f: Filters, limit: int | None, offset: int = 0) -> list[dict]:
    """Events involving any of the view's actors, of any of its types and PLOVER
    categories, reported by at least ``min_sources`` outlets."""
    return store.events(**_event_filters(f), limit=limit, offset=offset)


def records(store: Any, f: Filters, cap: int = VIEW_CAP) -> tuple[list[dict], list[dict]]:
    """``(events, statements)`` of the view, at most ``cap`` of each (the newest)."""
    newest = replace(f, sort="newest")
    found_events = events(store, newest, cap) if wants_events(f) else []
    found_statements = statements(store, newest, cap) if wants_statements(f) else []
    return found_events, found_statements


@lru_cache(maxsize=8)
def _facet_sql(dialect: str, kind: str) -> dict[str, Any]:
    """The facet queries of ``kind`` ("statements" or "events") over the facts whose ids
    are the list parameter ``ids``: ``facts``, one row per fact (statements: speaker,
    day, number of sources; events: type, PLOVER category, day, number of sources) and
    ``people`` (events: ``(actor, events)`` rows)."""
    actor = ActorRow.__table__.c
    if kind == "statements":
        c = StatementRow.__table__.c
        article = ArticleRow.__table__.c
        mine = in_list(c.id, "ids", dialect)
        day: Any = case((c.date_basis == literal_column("'stated'"), c.date_start),
                        else_=article.published)
        dated = StatementRow.__table__.join(ArticleRow.__table__, article.id == c.article_id)
        return {
            "facts": select(actor.name, day, c.sources)
            .select_from(dated.outerjoin(ActorRow.__table__, actor.id == c.speaker_id))
            .where(mine),
        }
    c = EventRow.__table__.c
    roles = EventActorRow.__table__.c
    mine = in_list(c.id, "ids", dialect)
    day = func.coalesce(c.date_start, c.date_end)
    return {
        "facts": select(c.type, c.plover, day, c.sources)
        .where(mine),
        "people": select(actor.name, func.count(distinct(roles.event_id))).select_from(
            EventActorRow.__table__.join(ActorRow.__table__, actor.id == roles.actor_id)
        ).where(in_list(roles.event_id, "ids", dialect)).group_by(actor.name),
    }


def _top(rows: Any, most: int | None = 15) -> list[tuple[str, int]]:
    """``(value, count)`` pairs, most frequent first (ties by value), at most ``most``."""
    ordered = sorted(((v, int(k)) for v, k in rows), key=lambda p: (-p[1], p[0]))
    return ordered[:most] if most else ordered


def activity_days(activity: list[dict[str, Any]]) -> Counter[dt.date]:
    """Statements and events per day of an actor's activity
    (:meth:`kb.store.Store.actor_activity`: every report, as kept at write time), so
    its histogram costs one index range however busy the actor is."""
    counts: Counter[dt.date] = Counter()
    for row in activity:
        counts[dt.date.fromisoformat(row["day"])] += row["statements"] + row["events"]
    return counts


def _bin_start(day: dt.date, size: str) -> dt.date:
    if size == "week":
        return day - dt.timedelta(days=day.weekday())
    if size == "month":
        return day.replace(day=1)
    return day


def _bin_end(start: dt.date, size: str) -> dt.date:
    if size == "week":
        return start + dt.timedelta(days=6)
    if size == "month":
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return start


def bin_size(days: Counter[dt.date], size: str) -> str:
    """``size``, or for "auto" the bin that suits the span of the ``days`` (day
    counts): days up to two months, weeks up to a year and a half, months beyond."""
    if size != "auto":
        return size
    span = (max(days) - min(days)).days if days else 0
    return "day" if span <= 62 else "week" if span <= 550 else "month"


def histogram(days: Counter[dt.date], size: str) -> list[dict[str, Any]]:
    """``{"start", "end", "count", "share"}`` per day, week or month (``size``, resolved
    by :func:`bin_size`) of the day counts ``days``, oldest first; empty bins between
    are kept (so gaps show) unless there are too many."""
    size = bin_size(days, size)
    counts: Counter[dt.date] = Counter()
    for day, n in days.items():
        counts[_bin_start(day, size)] += n
    if not counts:
        return []
    starts = sorted(counts)
    bins: list[dt.date] = []
    current = starts[0]
    while current <= starts[-1] and len(bins) < 400:
        bins.append(current)
        current = _bin_end(current, size) + dt.timedelta(days=1)
    if len(bins) >= 400:
        bins = starts
    top = max(counts.values())
    return [
        {
            "start": b,
            "end": _bin_end(b, size),
            "count": counts.get(b, 0),
            "share": round(100 * counts.get(b, 0) / top),
        }
        for b in bins
    ]


def facets(store: Any, f: Filters) -> dict[str, Any]:
    """Counts over the newest :data:`FACET_CAP` matches of the view's list, from the
    database's values for them: speakers (statements) or actors, types and PLOVER
    categories (events), the number of sources (:data:`SOURCE_BUCKETS`) and the day
    histogram."""
    newest = replace(f, sort="newest")
    if f.kind == "statements":
        ids = store.statement_ids(**_statement_filters(newest), limit=FACET_CAP)
    else:
        ids = store.event_ids(**_event_filters(newest), limit=FACET_CAP)
    people: Counter[str] = Counter()
    types: Counter[str] = Counter()
    plover: Counter[str] = Counter()
    days: Counter[dt.date] = Counter()
    sources: list[int] = []
    if ids:
        with store.engine.connect() as conn:
            queries = _facet_sql(conn.dialect.name, f.kind)
            facts = run(conn, queries["facts"], {"ids": ids})
            if f.kind != "statements":
                people.update({name: int(n) for name, n in
                               run(conn, queries["people"], {"ids": ids})})
        for *values, day, n in facts:
            if f.kind == "statements":
                if values[0]:
                    people[values[0]] += 1
            else:
                types[values[0]] += 1
                if values[1]:
                    plover[values[1]] += 1
            if day is not None:
                days[dt.date.fromisoformat(iso(day) or "")] += 1
            sources.append(int(n))
    return {
        "counted": len(ids),
        "sampled": len(ids) >= FACET_CAP,
        "people": _top(people.items()),
        "types": _top(types.items()),
        "plover": _top(plover.items(), None),
        "sources": source_buckets(sources),
        "histogram": histogram(days, f.bin),
        "bin": bin_size(days, f.bin),
    }


def source_buckets(sources: list[int]) -> list[dict[str, Any]]:
    """``{"label", "min", "count"}`` per :data:`SOURCE_BUCKETS` range: how many of the
    facts whose numbers of sources are ``sources`` fall in it."""
    return [
        {"label": label, "min": low,
         "count": sum(1 for n in sources if n >= low and (high is None or n <= high))}
        for label, low, high in SOURCE_BUCKETS
    ]
