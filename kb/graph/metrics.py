"""Who matters and who belongs together: centrality and communities of actors.

Both work on the actor projection (:func:`kb.graph.projection.actor_projection`),
collapsed to a simple weighted graph. Betweenness is exact up to 500 actors and
estimated from 100 sampled sources above that, so a 2,000-actor graph is measured in
seconds; communities use Louvain with a fixed seed so exports are reproducible.

>>> import networkx as nx
>>> P = nx.MultiGraph([("a", "b"), ("b", "c")])
>>> centrality(P)["b"]["betweenness"]
1.0
>>> communities(nx.MultiGraph([("a", "b"), ("c", "d")]))
{'a': 0, 'b': 0, 'c': 1, 'd': 1}
"""

from __future__ import annotations

import networkx as nx

from kb.graph.projection import to_weighted_graph

__all__ = ["centrality", "communities", "EXACT_BETWEENNESS_LIMIT", "BETWEENNESS_SAMPLES"]

EXACT_BETWEENNESS_LIMIT = 500
#: Sources sampled to estimate betweenness above the limit (error ~ 1/sqrt(samples)).
BETWEENNESS_SAMPLES = 100


def _simple(P: nx.Graph) -> nx.Graph:
    return to_weighted_graph(P) if P.is_multigraph() else P


def centrality(P: nx.Graph) -> dict[str, dict[str, float]]:
    """``{node: {"degree": d, "betweenness": b, "strength": s}}`` for every actor.

    ``degree`` is normalised degree centrality (distinct partners / (n - 1)),
    ``strength`` the number of shared events, ``betweenness`` normalised betweenness
    (unweighted: one shared event is as much a bridge as many).
    """
    H = _simple(P)
    if len(H) == 0:
        return {}
    degree = nx.degree_centrality(H)
    k = None if len(H) <= EXACT_BETWEENNESS_LIMIT else BETWEENNESS_SAMPLES
    between = nx.betweenness_centrality(H, k=k, seed=0)
    strength = dict(H.degree(weight="weight"))
    return {
        n: {"degree": degree[n], "betweenness": between[n], "strength": float(strength[n])}
        for n in H
    }


def communities(P: nx.Graph) -> dict[str, int]:
    """``{node: community number}``; numbers run from 0 for the largest community."""
    H = _simple(P)
    if len(H) == 0:
        return {}
    if H.number_of_edges() == 0:
        groups = [{n} for n in sorted(H)]
    else:
        groups = nx.community.louvain_communities(H, weight="weight", seed=0)
    groups = sorted(groups, key=lambda g: (-len(g), min(g)))
    return {n: i for i, group in enumerate(groups) for n in sorted(group)}
