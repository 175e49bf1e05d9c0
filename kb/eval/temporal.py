"""Temporal awareness of a timeline: its relations, their closure and reduction.

A timeline (lines of rank, date, mention ids) is read as a graph of relations:

- every mention is SIMULTANEOUS with its line's date (a node ``date:2010-06``; an
  unknown date, ``XXXX-XX-XX``, gives none; ``2008-03-XX`` is the month ``2008-03``);
- mentions of the same rank are SIMULTANEOUS;
- every mention is BEFORE every mention of the next rank;
- rank-0 lines (not placed) are dropped.

In the graph a SIMULTANEOUS relation is an edge both ways and BEFORE an edge one way.
Its closure entails ``a SIMULTANEOUS b`` when each reaches the other and ``a BEFORE b``
when ``a`` reaches ``b`` but not back (nodes tied both ways, e.g. two ranks that share
a date, are simultaneous). Its transitive reduction keeps, for each class of
simultaneous nodes, a chain through its members (mentions sorted, then dates) and,
for each edge of the transitive reduction of the graph of classes, one BEFORE between
the classes' first members.

Temporal awareness: precision = the system's reduced relations entailed by the gold
closure, recall = the gold's reduced relations entailed by the system closure, and F1;
summed over entities for the micro average.

>>> from kb.export.semeval import TimelineLine as L
>>> gold = [L(1, "2010", ("a",)), L(2, "2011", ("b",))]
>>> reduced_relations(timeline_graph(gold))
[('a', 'SIMULTANEOUS', 'date:2010'), ('b', 'SIMULTANEOUS', 'date:2011'), ('a', 'BEFORE', 'b')]
>>> temporal_awareness(gold, [L(1, "XXXX-XX-XX", ("a",)), L(2, "XXXX-XX-XX", ("b",))]).f1
0.5
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kb.eval.common import ratio
from kb.eval.semeval import normal_date
from kb.export.semeval import TimelineLine

__all__ = [
    "Awareness",
    "Relation",
    "entailed",
    "reduced_relations",
    "temporal_awareness",
    "timeline_graph",
]

Relation = tuple[str, str, str]  # (a, "BEFORE" | "SIMULTANEOUS", b)
DATE = "date:"


def timeline_graph(lines: Iterable[TimelineLine]) -> nx.DiGraph:
    """The relation graph of a timeline (see the module docstring)."""
    G = nx.DiGraph()
    by_rank: dict[int, list[str]] = {}
    for line in lines:
        if line.rank == 0:
            continue
        members = by_rank.setdefault(line.rank, [])
        date = normal_date(line.date)
        for m in line.mentions:
            members.append(m)
            G.add_node(m)
            if date:
                G.add_edge(m, DATE + date)
                G.add_edge(DATE + date, m)
    ranks = sorted(by_rank)
    for r in ranks:
        first = by_rank[r][0]
        for m in by_rank[r][1:]:
            G.add_edge(first, m)
            G.add_edge(m, first)
    for r, nxt in zip(ranks, ranks[1:], strict=False):
        G.add_edge(by_rank[r][0], by_rank[nxt][0])
    return G


def _order(node: str) -> tuple[bool, str]:
    return (node.startswith(DATE), node)


def reduced_relations(G: nx.DiGraph) -> list[Relation]:
    """The relations left after transitive reduction, SIMULTANEOUS ones first."""
    C = nx.condensation(G)
    members = {c: sorted(C.nodes[c]["members"], key=_order) for c in C}
    out: list[Relation] = []
    for c in sorted(C, key=lambda c: members[c][0]):
        ms = members[c]
        out += [(a, "SIMULTANEOUS", b) for a, b in zip(ms, ms[1:], strict=False)]
    before = [(members[u][0], "BEFORE", members[v][0]) for u, v in nx.transitive_reduction(C).edges]
    return out + sorted(before)


def entailed(closure: nx.DiGraph, relation: Relation) -> bool:
    """Whether ``relation`` holds in a graph's transitive ``closure``."""
    a, kind, b = relation
    if a not in closure or b not in closure:
        return False
    forward, back = closure.has_edge(a, b), closure.has_edge(b, a)
    return forward and back if kind == "SIMULTANEOUS" else forward and not back


@dataclass(frozen=True)
class Awareness:
    """Counts of temporal awareness: reduced system relations entailed by the gold
    (``precise`` of ``system``) and reduced gold relations entailed by the system
    (``recalled`` of ``gold``)."""

    precise: int
    system: int
    recalled: int
    gold: int

    @property
    def precision(self) -> float:
        return ratio(self.precise, self.system)

    @property
    def recall(self) -> float:
        return ratio(self.recalled, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return ratio(2 * p * r, p + r)

    def __add__(self, other: Awareness) -> Awareness:
        return Awareness(self.precise + other.precise, self.system + other.system,
                         self.recalled + other.recalled, self.gold + other.gold)

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def temporal_awareness(
    gold: Sequence[TimelineLine], system: Sequence[TimelineLine]
) -> Awareness:
    """Score one entity's system timeline against its gold timeline."""
    G, S = timeline_graph(gold), timeline_graph(system)
    g_closure = nx.transitive_closure(G, reflexive=False)
    s_closure = nx.transitive_closure(S, reflexive=False)
    s_rel, g_rel = reduced_relations(S), reduced_relations(G)
    return Awareness(
        sum(entailed(g_closure, r) for r in s_rel),
        len(s_rel),
        sum(entailed(s_closure, r) for r in g_rel),
        len(g_rel),
    )
