"""The NetworkX graph of actors and events, built from the store's records.

``build_graph`` makes the actor/event graph, ``actor_projection`` the who-is-linked-to-whom
graph the HTML export draws, ``centrality`` and ``communities`` measure it and
``spring_positions`` lays it out ahead of time.
"""

from kb.lazy import lazy_exports

#: Where each name lives: importing the package stays cheap (networkx and numpy load
#: with the first name used, not with every command of the command line).
_HOMES = {
    "DOER_ROLES": "build", "actor_id": "build", "build_graph": "build", "event_id": "build",
    "period_graph": "period", "statement_id": "build", "spring_positions": "layout",
    "centrality": "metrics", "communities": "metrics", "actor_projection": "projection",
    "item_actors": "projection", "to_weighted_graph": "projection", "event_day": "records",
    "filter_records": "records", "source_label": "records", "statement_day": "records",
}

__all__ = sorted(_HOMES)


__getattr__ = lazy_exports(__name__, _HOMES)
