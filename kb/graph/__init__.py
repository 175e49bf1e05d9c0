"""The NetworkX graph of actors and events, built from the store's records.

``build_graph`` makes the actor/event graph, ``actor_projection`` the who-is-linked-to-whom
graph the HTML export draws, ``centrality`` and ``communities`` measure it and
``spring_positions`` lays it out ahead of time.
"""

from kb.graph.build import (
    DOER_ROLES,
    actor_id,
    build_graph,
    event_id,
    period_graph,
    statement_id,
)
from kb.graph.layout import spring_positions
from kb.graph.metrics import centrality, communities
from kb.graph.projection import actor_projection, item_actors, to_weighted_graph
from kb.graph.records import event_day, filter_records, source_label, statement_day

__all__ = [
    "DOER_ROLES",
    "actor_id",
    "actor_projection",
    "build_graph",
    "centrality",
    "communities",
    "event_day",
    "event_id",
    "filter_records",
    "item_actors",
    "period_graph",
    "source_label",
    "spring_positions",
    "statement_day",
    "statement_id",
    "to_weighted_graph",
]
