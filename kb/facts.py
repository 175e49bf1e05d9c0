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

__all__ = ["ActorFact", "EventFact", "ReportFact", "StatementFact", "actor_fact", "event_fact",
           "statement_fact"]


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


def event_fact(ev: Mapping[str, Any]) -> EventFact:
    when = ev.get("date") or {}
    """The fact of an event record (docs/records.md)."""
    return EventFact(
        ev["id"], ev.get("type"), ev.get("predicate"), ev.get("trigger"),
        bool(ev.get("negated")), bool(ev.get("hypothetical")), when.get("value"),
        when.get("start"), when.get("end"), when.get("granularity"), when.get("basis"),
        [(str(a["name"]), str(a.get("role") or "participant"), a.get("kind"))
         for a in ev.get("actors") or ()],
        ev.get("statement"), ev.get("sentence"), ev.get("source"), _report_facts(ev),
        ev.get("sources"))


def statement_fact(st: Mapping[str, Any]) -> StatementFact:
    """The fact of a statement record."""
    return StatementFact(
        st["id"], st.get("speaker"), st.get("speaker_kind"), st.get("speaker_mention"),
        st.get("date"), st.get("date_value"), st.get("date_granularity"),
        st.get("date_basis"), st.get("reported"), st.get("content"), bool(st.get("direct")),
        st.get("cue"), st.get("medium"), st.get("addressee"), st.get("about") or (),
        st.get("sentence"), st.get("source"), _report_facts(st), st.get("sources"))


def actor_fact(actor: Mapping[str, Any]) -> ActorFact:
    """The fact of an actor record."""
    return ActorFact(
        str(actor["name"]), actor.get("kind"), actor.get("aliases") or (),
        actor.get("titles") or (), actor.get("mentions") or 0, actor.get("events") or 0,
        actor.get("statements") or 0, actor.get("articles") or 0)


def _report_facts(record: Mapping[str, Any]) -> list[ReportFact]:
    return [ReportFact(r.get("id"), r.get("source"), r.get("title"), r.get("published"),
                       r.get("sentence")) for r in record.get("reports") or ()]
