"""The graph of one period, read from the store: only the facts that may fall in it.

A month of a base of a million events is some twenty thousand of them; reading every
record of the base and filtering them would read all million. ``period_graph`` asks the
store for the period's facts (:meth:`kb.store.Store.graph_facts`, named tuples with the
values of the records) and builds the graph :func:`kb.graph.build_graph` builds from
every record with the same filters (tests/test_graph_records.py checks that they are
the same graph, node for node and attribute for attribute).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import networkx as nx

from kb.collector import collecting_later
from kb.facts import StatementFact
from kb.graph.build import graph_of_facts
from kb.graph.records import filter_facts, parse_day

__all__ = ["period_graph"]


def period_graph(
    store: Any,
    *,
    actors_filter: Iterable[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    types: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The graph :func:`kb.graph.build_graph` makes of every record of the open
    ``store`` with these filters, reading only the facts of the period."""
    since_d, until_d = parse_day(since, "--since"), parse_day(until, "--until", end=True)
    names = list(actors_filter or ())
    with collecting_later():  # the facts read are freed before it resumes
        return _graph(store.graph_facts(since_d, until_d, names), actors_filter=names or None,
                      since=since_d, until=until_d, types=types, sources=sources)


def _graph(facts: Any, **filters: Any) -> nx.MultiDiGraph:
    events, statements = filter_facts(facts.events, facts.statements, facts.actors, **filters)
    claims: dict[Any, StatementFact] = {}
    for claim in facts.statements:  # an event may cite any report of a claim
        claims[claim.id] = claim
    for claim in facts.statements:
        for report in claim.reports:
            claims.setdefault(report.id, claim)
    actors = {actor.name: actor for actor in facts.actors}
    return graph_of_facts(events, statements, claims, actors.get)
