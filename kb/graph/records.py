"""Reading the store's record dicts: effective dates, sources, filters.

The graph and every export are built from the plain dicts described in docs/records.md
(statement, event and actor records). This module holds the few rules they all share,
so that a graph, a timeline and a report place the same event on the same day:

- an event's day is the start of its stated interval; with no stated time it is the
  article's published date, marked ``"reported"``; with neither it is ``None``
  (``"undated"``): dates are never invented;
- a statement's day is its own stated date, else the date it was reported.

>>> event_day({"date": {"value": "2022-02", "start": "2022-02-01", "end": "2022-02-28",
...            "granularity": "month", "basis": "stated"}, "source": {}})
('2022-02-01', 'stated')
>>> statement_day({"date": None, "date_basis": "reported", "reported": "2022-02-21"})
('2022-02-21', 'reported')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from kb.errors import DateError
from kb.facts import ActorFact, EventFact, StatementFact, actor_fact, event_fact, statement_fact

__all__ = [
    "Record",
    "event_day",
    "event_interval",
    "interval_days",
    "statement_day",
    "said_day",
    "source_label",
    "parse_day",
    "filter_records",
    "filter_facts",
    "canonical_names",
]

Record = Mapping[str, Any]


def parse_day(value: str | date | None, what: str = "date", end: bool = False) -> date | None:
    """An ISO day: ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` meaning its first day (its
    last day with ``end``, as for ``--until 2022-02``)."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    padded = {4: text + "-01-01", 7: text + "-01"}.get(len(text), text)
    try:
        day = date.fromisoformat(padded) if len(padded) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise DateError(
            f"{what} {value!r} is not a date; write it as YYYY-MM-DD (or YYYY-MM, YYYY)"
        )
    if end and len(text) == 4:
        return date(day.year, 12, 31)
    if end and len(text) == 7:
        if day.month == 12:
            return date(day.year, 12, 31)
        return date(day.year, day.month + 1, 1) - timedelta(days=1)
    return day


def event_day(event: Record) -> tuple[str | None, str]:
    """``(day, basis)`` where the event is drawn; basis is stated, reported or undated."""
    when = event.get("date") or None
    if when and when.get("start"):
        return str(when["start"])[:10], str(when.get("basis") or "stated")
    published = (event.get("source") or {}).get("published")
    if published:
        return str(published)[:10], "reported"
    return None, "undated"


def event_interval(event: Record) -> tuple[str | None, str | None]:
    """First and last day of the event's interval (``end`` falls back to ``start``)."""
    when = event.get("date") or {}
    return interval_days(when.get("start"), when.get("end"),
                         (event.get("source") or {}).get("published"))


def interval_days(start: Any, end: Any, published: Any) -> tuple[str | None, str | None]:
    """:func:`event_interval` of the values themselves: from ``start`` to ``end`` (or
    ``start``) when a time is stated, else the day the article was published, else
    none."""
    if start:
        first = str(start)[:10]
        return first, (str(end)[:10] if end else first)
    day = str(published)[:10] if published else None
    return day, day


def statement_day(statement: Record) -> tuple[str | None, str]:
    """``(day, basis)`` of a statement: its own stated date, else when it was reported."""
    return said_day(statement.get("date"), statement.get("date_basis"),
                    statement.get("reported"), (statement.get("source") or {}).get("published"))


def said_day(date: Any, basis: Any, reported: Any, published: Any) -> tuple[str | None, str]:
    """:func:`statement_day` of the values themselves."""
    if date:
        return str(date)[:10], "reported" if (basis or "stated") == "reported" else "stated"
    reported = reported or published
    if reported:
        return str(reported)[:10], "reported"
    return None, "undated"


def source_label(source: Record | None) -> str:
    """A one-line citation: ``title, publisher, published`` (whatever is known; with no
    title, the file name or URL it was read from stands in)."""
    if not source:
        return "unknown source"
    where = source.get("path") or source.get("url")
    if where and source.get("path"):
        where = str(where).replace("\\", "/").rsplit("/", 1)[-1]
    parts = [source.get("title") or where, source.get("publisher"), source.get("published")]
    text = ", ".join(str(p) for p in parts if p)
    return text or str(source.get("id") or "unknown source")


def _matches_source(source: Record | None, wanted: set[str]) -> bool:
    if not source:
        return False
    for key in ("id", "title", "publisher", "path", "url"):
        value = source.get(key)
        if value and str(value).casefold() in wanted:
            return True
    sid = str(source.get("id") or "")
    return any(sid and len(w) >= 6 and sid.startswith(w) for w in wanted)


def _alias_map(actors: Iterable[tuple[Any, Iterable[Any] | None]]) -> dict[str, str]:
    """Canonical name by name and by alias (casefolded), from ``(name, aliases)``."""
    names: dict[str, str] = {}
    for actor, aliases in actors:
        name = str(actor)
        names[name.casefold()] = name
        for alias in aliases or ():
            names.setdefault(str(alias).casefold(), name)
    return names


def _named(actors: Iterable[Record]) -> Iterator[tuple[Any, Iterable[Any] | None]]:
    return ((actor["name"], actor.get("aliases")) for actor in actors)


def canonical_names(names: Iterable[str], actors: Iterable[Record]) -> list[str]:
    """Each name as its actor's canonical name (matching names and aliases in any case)."""
    aliases = _alias_map(_named(actors))
    return [aliases.get(n.casefold(), n) for n in names]


@lru_cache(maxsize=8192)
def _day(value: str) -> date | None:
    """:func:`parse_day` of one day's text, once per distinct text (a period's facts
    share a few hundred days)."""
    return parse_day(value)


def _overlaps(first: str | None, last: str | None, since: date | None, until: date | None):
    if since is None and until is None:
        return True
    if first is None:
        return False
    start, end = _day(first), _day(last or first)
    assert start is not None and end is not None
    return (since is None or end >= since) and (until is None or start <= until)


class _Criteria(NamedTuple):
    since: date | None
    until: date | None
    wanted: set[str] | None  # actor names, casefolded
    types: set[str] | None
    sources: set[str] | None


def _criteria(
    actors: Iterable[tuple[Any, Iterable[Any] | None]],
    actors_filter: Iterable[str] | None,
    since: str | date | None,
    until: str | date | None,
    types: Iterable[str] | None,
    sources: Iterable[str] | None,
) -> _Criteria:
    since_d, until_d = parse_day(since, "--since"), parse_day(until, "--until", end=True)
    if since_d and until_d and since_d > until_d:
        raise DateError(f"--since {since_d} is after --until {until_d}; swap them")
    wanted = None
    if actors_filter:
        aliases = _alias_map(actors)
        wanted = {aliases.get(a.casefold(), a).casefold() for a in actors_filter}
    return _Criteria(since_d, until_d, wanted, {t.casefold() for t in types} if types else None,
                     {s.casefold() for s in sources} if sources else None)


def filter_records(
    events: Sequence[Record],
    statements: Sequence[Record],
    actors: Sequence[Record] = (),
    *,
    actors_filter: Iterable[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    types: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> tuple[list[Record], list[Record]]:
    """Keep the events and statements that pass every filter given.

    ``actors_filter`` names actors (canonical names or aliases, any case): an event is
    kept if one of its actors is named, a statement if its speaker, addressee or one of
    the actors it is about is. ``since``/``until`` keep what overlaps the period (undated
    records are dropped when a period is given). ``types`` are event types; statements
    count as type ``"statement"``. ``sources`` match a source's id (or an id prefix of at
    least 6 characters), title, publisher, path or url.
    """
    event_facts = [event_fact(ev) for ev in events]
    statement_facts = [statement_fact(st) for st in statements]
    kept_events, kept_statements = filter_facts(
        event_facts, statement_facts, [actor_fact(a) for a in actors],
        actors_filter=actors_filter, since=since, until=until, types=types, sources=sources)
    # one set of rules (filter_facts), applied to each record's fact: back to the records
    record_of = {id(f): r for f, r in zip(event_facts, events, strict=True)}
    record_of.update((id(f), r) for f, r in zip(statement_facts, statements, strict=True))
    return [record_of[id(f)] for f in kept_events], [record_of[id(f)] for f in kept_statements]


def filter_facts(
    events: Sequence[EventFact],
    statements: Sequence[StatementFact],
    actors: Sequence[ActorFact] = (),
    *,
    actors_filter: Iterable[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    types: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> tuple[list[EventFact], list[StatementFact]]:
    """:func:`filter_records` of the facts of :mod:`kb.facts` (the same filters, the
    same rules)."""
    since_d, until_d, wanted, type_set, source_set = _criteria(
        ((a.name, a.aliases) for a in actors), actors_filter, since, until, types, sources)
    kept_events = []
    for ev in events:
        if type_set is not None and str(ev.type).casefold() not in type_set:
            continue
        if source_set is not None and not _matches_source(ev.source, source_set):
            continue
        if wanted is not None and not any(str(a[0]).casefold() in wanted for a in ev.actors):
            continue
        if since_d is not None or until_d is not None:
            first, last = interval_days(ev.start, ev.end, (ev.source or {}).get("published"))
            if not _overlaps(first, last, since_d, until_d):
                continue
        kept_events.append(ev)

    kept_statements = []
    for st in statements:
        if type_set is not None and "statement" not in type_set:
            continue
        if source_set is not None and not _matches_source(st.source, source_set):
            continue
        if wanted is not None:
            names = [st.speaker, st.addressee, *st.about]
            if not any(n and str(n).casefold() in wanted for n in names):
                continue
        day, _ = said_day(st.date, st.date_basis, st.reported, (st.source or {}).get("published"))
        if not _overlaps(day, day, since_d, until_d):
            continue
        kept_statements.append(st)
    return kept_events, kept_statements
