"""A view's filters, read from and written back to the URL, and the records they select.

Every filter ``kb serve`` offers lives in the query string, so a link reproduces the
view. Records come from the :class:`kb.store.Store` methods the command line uses; the
facets (speaker, actor, event type, PLOVER category, number of sources, a date
histogram) are counted over the newest :data:`FACET_CAP` matches, so a page costs the
same however many facts match (the page says when the facets count a sample). The
``min_sources`` filter is the store's: a claim or event that at least that many
outlets carry, counted by the database over the whole view.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from kb.errors import InputError
from kb.extract.categories import PLOVER

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


def statements(store: Any, f: Filters, limit: int | None, offset: int = 0) -> list[dict]:
    """Statements by any of the view's actors, about its ``about`` actors, with ``q``."""
    return store.statements(
        who=list(f.actor) or None,
        about=list(f.about) or None,
        since=f.since,
        until=f.until,
        contains=f.q or None,
        limit=limit,
        offset=offset,
        newest_first=f.sort == "newest",
        min_sources=f.min_sources,
    )


def events(store: Any, f: Filters, limit: int | None, offset: int = 0) -> list[dict]:
    """Events involving any of the view's actors, of any of its types and PLOVER
    categories."""
    return store.events(
        actors=list(f.actor) or None,
        types=list(f.type) or None,
        plover=list(f.plover) or None,
        min_sources=f.min_sources,
        since=f.since,
        until=f.until,
        limit=limit,
        offset=offset,
        newest_first=f.sort == "newest",
    )


def records(store: Any, f: Filters, cap: int = VIEW_CAP) -> tuple[list[dict], list[dict]]:
    """``(events, statements)`` of the view, at most ``cap`` of each (the newest)."""
    newest = replace(f, sort="newest")
    found_events = events(store, newest, cap) if wants_events(f) else []
    found_statements = statements(store, newest, cap) if wants_statements(f) else []
    return found_events, found_statements


def day_of(record: Mapping[str, Any]) -> str | None:
    """The day a statement or event is filed under (stated, else reported)."""
    if "content" in record:
        return record.get("date") or record.get("reported")
    when = record.get("date") or {}
    return when.get("start") or when.get("end")


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


def _days(found: list[dict]) -> list[dt.date]:
    days = []
    for record in found:
        day = day_of(record)
        if day:
            try:
                days.append(dt.date.fromisoformat(day[:10]))
            except ValueError:
                continue
    return days


def bin_size(found: list[dict], size: str) -> str:
    """``size``, or for "auto" the bin that suits the span of the facts' days: days up to
    two months, weeks up to a year and a half, months beyond."""
    if size != "auto":
        return size
    days = _days(found)
    span = (max(days) - min(days)).days if days else 0
    return "day" if span <= 62 else "week" if span <= 550 else "month"


def histogram(found: list[dict], size: str) -> list[dict[str, Any]]:
    """``{"start", "end", "count", "share"}`` per day, week or month (``size``, resolved
    by :func:`bin_size`) with facts, oldest first; empty bins between are kept (so gaps
    show) unless there are too many."""
    size = bin_size(found, size)
    counts: Counter[dt.date] = Counter(_bin_start(d, size) for d in _days(found))
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
    """Counts over the newest :data:`FACET_CAP` matches of the view's list: speakers
    (statements) or actors, types and PLOVER categories (events), the number of
    sources (:data:`SOURCE_BUCKETS`) and the date histogram."""
    found = (
        statements(store, replace(f, sort="newest"), FACET_CAP)
        if f.kind == "statements"
        else events(store, replace(f, sort="newest"), FACET_CAP)
    )
    people: Counter[str] = Counter()
    types: Counter[str] = Counter()
    plover: Counter[str] = Counter()
    for record in found:
        if f.kind == "statements":
            if record.get("speaker"):
                people[record["speaker"]] += 1
        else:
            types[record["type"]] += 1
            if record.get("plover"):
                plover[record["plover"]] += 1
            for name in {a["name"] for a in record.get("actors") or ()}:
                people[name] += 1
    return {
        "counted": len(found),
        "sampled": len(found) >= FACET_CAP,
        "people": people.most_common(15),
        "types": types.most_common(15),
        "plover": plover.most_common(),
        "sources": source_buckets(found),
        "histogram": histogram(found, f.bin),
        "bin": bin_size(found, f.bin),
    }


def source_buckets(found: list[dict]) -> list[dict[str, Any]]:
    """``{"label", "min", "count"}`` per :data:`SOURCE_BUCKETS` range: how many of the
    records (claims or events, each with its ``sources``) that many outlets carry."""
    out = []
    for label, low, high in SOURCE_BUCKETS:
        count = sum(1 for r in found
                    if r.get("sources", 1) >= low and (high is None or r.get("sources", 1) <= high))
        out.append({"label": label, "min": low, "count": count})
    return out
