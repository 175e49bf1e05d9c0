r"""The SemEval-2015 Task 4 TimeLine format: an actor's events, dated and ranked.

The first line names the entity; every other line is tab-separated
``rank, date, mention id [, coreferent mention id ...]``. Equal ranks are simultaneous,
rank 0 means "not placed". The date is ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or
``XXXX-XX-XX`` (none). A mention id is ``DOCID-SENTID-word``.

kb places an event with a stated date at that date, as precisely as it is known
(:func:`task_date`: a month is ``2010-06``, a week is the month or year that holds it).
An event with no date of its own (basis ``reported``) is not placed (rank 0) unless
``reported="published"``, which places it at its article's published date: dates are
never invented by default. Placed events are ranked by date, one rank per distinct
date, coarser dates first ("2010" before "2010-06"), text order within a rank.

Works over event records as dicts with a ``date`` of the shape kb uses everywhere
(``{value, start, end, granularity, basis}``: :meth:`kb.extract.types.Event.to_dict`
and the store's event records); ``mention`` names each record's word.
:func:`store_timeline` writes one actor's timeline from a store (``kb timeline --actor X
--format semeval``): the events the actor takes part in (any role but ``topic``), in the
store's order (date, then the article's own order), each named
``ARTICLEID-SENTENCE-word``: the article's identity (the hash of its text), the number
of the trigger's sentence among the article's stored sentences (from 1, in text order,
as kb split them) and the trigger's first word in lower case.

>>> day = {"value": "2010-06-07", "start": "2010-06-07", "end": "2010-06-07",
...        "granularity": "day", "basis": "stated"}
>>> month = {"value": "2010-06", "start": "2010-06-01", "end": "2010-06-30",
...          "granularity": "month", "basis": "stated"}
>>> recs = [{"id": "1-2-unveiled", "date": day}, {"id": "1-3-said", "date": None},
...         {"id": "1-4-launch", "date": month}]
>>> text = format_timeline("iPhone 4", timeline_lines(recs, lambda r: r["id"]))
>>> print(text.replace("\t", " | "))
iPhone 4
0 | XXXX-XX-XX | 1-3-said
1 | 2010-06 | 1-4-launch
2 | 2010-06-07 | 1-2-unveiled
<BLANKLINE>
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kb.errors import ExportError

__all__ = ["NO_DATE", "REPORTED", "TAKING_PART", "TimelineLine", "format_timeline",
           "store_timeline", "task_date", "timeline_lines"]

#: The task's "no date".
NO_DATE = "XXXX-XX-XX"
#: How an event without a stated date is placed: "unplaced" (rank 0) or "published"
#: (at its article's published date).
REPORTED = ("unplaced", "published")
_FINE = ("minute", "hour", "part_of_day", "day")
#: Roles in which an actor takes part in an event (all of kb's roles but "topic": a
#: statement merely about an actor is not an event the actor takes part in).
TAKING_PART = ("speaker", "agent", "addressee", "recipient", "target", "participant")


@dataclass(frozen=True)
class TimelineLine:
    """One line of a timeline: rank (0 = not placed), task date, mention ids."""

    rank: int
    date: str
    mentions: tuple[str, ...]


def task_date(date: Mapping[str, Any] | None, reported: str = "unplaced") -> str | None:
    """The task date of an event date record, or None when the event is not placed.

    A stated date keeps its precision: the day when its interval is one day (or finer),
    else the month or the year that holds the whole interval, else None.

    >>> task_date({"start": "2022-02-28", "end": "2022-03-06", "basis": "stated"})
    '2022'
    >>> task_date({"start": "2022-02-21", "end": "2022-02-21", "basis": "reported"})
    >>> task_date({"start": "2022-02-21", "end": "2022-02-21", "basis": "reported"},
    ...           reported="published")
    '2022-02-21'
    """
    if reported not in REPORTED:
        raise ExportError(
            f"reported={reported!r}: place undated events 'unplaced' or 'published'"
        )
    if not date or not date.get("start"):
        return None
    start = str(date["start"])[:10]
    end = str(date.get("end") or start)[:10]
    if date.get("basis") == "reported":
        return start if reported == "published" else None
    if start == end or date.get("granularity") in _FINE:
        return start
    if start[:7] == end[:7]:
        return start[:7]
    if start[:4] == end[:4]:
        return start[:4]
    return None


def timeline_lines(
    records: Iterable[Mapping[str, Any]],
    mention: Callable[[Mapping[str, Any]], str | None],
    reported: str = "unplaced",
) -> list[TimelineLine]:
    """The timeline of ``records`` (given in text order): unplaced events first at rank 0,
    then one rank per distinct date in date order. A record whose ``mention`` is None,
    or repeats an earlier one, is left out."""
    seen: set[str] = set()
    unplaced: list[str] = []
    dated: list[tuple[str, str]] = []
    for r in records:
        m = mention(r)
        if m is None or m in seen:
            continue
        seen.add(m)
        d = task_date(r.get("date"), reported)
        if d is None:
            unplaced.append(m)
        else:
            dated.append((d, m))
    ranks = {d: k for k, d in enumerate(sorted({d for d, _ in dated}), start=1)}
    out = [TimelineLine(0, NO_DATE, (m,)) for m in unplaced]
    out += [TimelineLine(ranks[d], d, (m,)) for d, m in sorted(dated, key=lambda x: ranks[x[0]])]
    return out


def format_timeline(entity: str, lines: Iterable[TimelineLine]) -> str:
    """The timeline file's text: the entity, then one tab-separated line per event."""
    rows = [entity] + [f"{ln.rank}\t{ln.date}\t" + "\t".join(ln.mentions) for ln in lines]
    return "\n".join(rows) + "\n"


def _entity(store: Any, actor: str) -> str:
    """The one canonical actor ``actor`` names (name or alias, case aside)."""
    store.require_actors([actor])  # NotFoundError with the nearest names
    names = sorted(set(store.resolve_actor(actor)))
    if not names:  # found as the end of a longer name ("787")
        tail = " " + " ".join(actor.lower().split())
        names = sorted(a["name"] for a in store.actors() if a["name"].lower().endswith(tail))
    if len(names) != 1:
        raise ExportError(
            f"--actor {actor!r} names {len(names)} actors ({', '.join(names) or 'none'}); "
            "a SemEval timeline is one actor's: pass one of these names"
        )
    return names[0]


def _sentence_starts(store: Any, article_hash: str) -> list[int]:
    """Start offsets of the article's stored sentences (not passages), in text order."""
    from sqlalchemy import select

    from kb.store.models import ArticleRow, SentenceRow

    s = SentenceRow
    query = (
        select(s.start)
        .join(ArticleRow, ArticleRow.id == s.article_id)
        .where(ArticleRow.hash == article_hash, s.passage.is_(False))
        .order_by(s.start)
    )
    with store.engine.connect() as conn:
        return list(conn.execute(query).scalars())


def store_timeline(store: Any, actor: str, reported: str = "unplaced",
                   **filters: Any) -> str:
    """The SemEval-2015 Task 4 timeline file of the actor ``actor`` names in ``store``
    (a :class:`kb.store.Store`), as text: its events, ranked by date.

    Each event is named by the article's identity, its sentence number (from 1) and the
    first word of its trigger; an event whose trigger or sentence was not stored is
    left out. ``reported`` places the events with no stated date as
    :func:`task_date` does. ``filters`` (``since``, ``until``, ``types``, ``sources``)
    keep events as every export does (:func:`kb.graph.filter_records`).
    """
    from kb.graph import filter_records

    task_date(None, reported)  # refuses an unknown value before any query
    entity = _entity(store, actor)
    records = [
        r for r in store.events(actors=[entity], limit=None)
        if any(a["name"] == entity and a["role"] in TAKING_PART for a in r["actors"])
    ]
    if any(v for v in filters.values()):
        records = filter_records(records, [], **filters)[0]
    mentions: dict[int, str] = {}
    for article_hash in dict.fromkeys(r["source"]["id"] for r in records):
        view = store.article(article_hash)
        if view is None:
            continue
        starts = _sentence_starts(store, article_hash)
        text = view["text"]
        for e in view["events"]:
            trigger = e["spans"]["trigger"]
            if trigger is None:
                continue
            k = bisect.bisect_right(starts, trigger[0])
            words = text[trigger[0]:trigger[1]].split()
            if k and words:
                mentions[e["id"]] = f"{article_hash}-{k}-{words[0].lower()}"
    return format_timeline(entity, timeline_lines(records, lambda r: mentions.get(r["id"]),
                                                  reported))
