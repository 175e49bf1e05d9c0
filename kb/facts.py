"""The facts a graph is built from: an actor, an event, a statement and a report, as
tuples.

The store's records (docs/records.md) are dicts made for reading and for JSON. The graph
of a period reads tens of thousands of facts and a few fields of each, so
:meth:`kb.store.Store.graph_facts` gives it these named tuples instead, with the values
of the records' fields (the date of an event flattened), and :func:`kb.graph.build_graph`
turns the records it is given into the same tuples: one builder makes every graph.

>>> fact = ReportFact(7, "Example Wire", "Talks end", "2022-02-21", "Talks ended.")
>>> fact.source, fact.published
('Example Wire', '2022-02-21')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

__all__ = ["ActorFact", "EventFact", "ReportFact", "StatementFact"]


class ReportFact(NamedTuple):
    """One article's report of a fact: its own id, its outlet, the article's title and
    published day, and its source sentence (or its words, with no sentence)."""

    id: Any
    source: str | None
    title: str | None
    published: str | None
    sentence: str | None


class EventFact(NamedTuple):
    """A consolidated event: the fields of its event record, its ``date`` flattened
    (every date field None when it states no time) and its ``actors`` as ``(name,
    role, kind)``, in the record's order."""

    id: Any
    type: str | None
    predicate: str | None
    trigger: str | None
    negated: bool
    hypothetical: bool
    value: str | None
    start: str | None
    end: str | None
    granularity: str | None
    basis: str | None
    actors: Sequence[tuple[Any, Any, Any]]
    statement: Any
    sentence: str | None
    source: Mapping[str, Any] | None
    reports: Sequence[ReportFact]
    sources: int | None


class StatementFact(NamedTuple):
    """A claim: the fields of its statement record, in the record's order."""

    id: Any
    speaker: str | None
    speaker_kind: str | None
    speaker_mention: str | None
    date: str | None
    date_value: str | None
    date_granularity: str | None
    date_basis: str | None
    reported: str | None
    content: str | None
    direct: bool
    cue: str | None
    medium: str | None
    addressee: str | None
    about: Sequence[str]
    sentence: str | None
    source: Mapping[str, Any] | None
    reports: Sequence[ReportFact]
    sources: int | None


class ActorFact(NamedTuple):
    """An actor: the fields of its actor record, in the record's order."""

    name: str
    kind: str | None
    aliases: Sequence[str]
    titles: Sequence[str]
    mentions: int
    events: int
    statements: int
    articles: int
