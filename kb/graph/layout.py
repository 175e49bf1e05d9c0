"""Precomputed node positions, so that a large graph opens settled.

Physics in the browser is slow on thousands of nodes, so the HTML graph is drawn at
positions computed here. Each connected component is laid out with a vectorised
Fruchterman-Reingold force simulation (numpy only, no scipy: networkx's own layout
needs scipy above 500 nodes), then the components are packed in rows, biggest first,
each in a box whose side grows with the square root of its size.

>>> import networkx as nx
>>> pos = spring_positions(nx.path_graph(3), seed=1)
>>> sorted(pos) == [0, 1, 2] and all(len(p) == 2 for p in pos.values())
True
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np

__all__ = ["spring_positions"]


def _fruchterman_reingold(H: nx.Graph, iterations: int, seed: int) -> np.ndarray:
    n = len(H)
    index = {node: i for i, node in enumerate(H)}
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32) - 0.5
    rows, cols, weights = [], [], []
    for a, b, w in H.edges(data="weight", default=1):
        weight = 1.0 + math.log(float(w)) if w and w > 1 else 1.0
        rows += [index[a], index[b]]
        cols += [index[b], index[a]]
        weights += [weight, weight]
    src, dst = np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)
    strength = np.array(weights, dtype=np.float32)
    k = np.float32(1.0 / math.sqrt(n))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    inverse = np.empty((n, n), dtype=np.float32)
    # pos with a column of ones: one product gives both sum_j r_ij pos_j and sum_j r_ij.
    extended = np.ones((n, 3), dtype=np.float32)
    floor = np.float32(1e-4)
    for _ in range(iterations):
        # Repulsion k^2/d per unit vector = k^2/d^2 times (pos_i - pos_j), dense but
        # computed in place from the Gram matrix (d^2 = |a|^2 + |b|^2 - 2 a.b): no
        # n x n x 2 arrays, and as few passes over the n x n array as numpy allows.
        sq = (pos * pos).sum(axis=1)
        np.matmul(pos * np.float32(-2.0), pos.T, out=inverse)
        inverse += sq[:, None]
        inverse += sq[None, :]
        np.maximum(inverse, floor, out=inverse)
        np.reciprocal(inverse, out=inverse)
        np.fill_diagonal(inverse, 0.0)
        extended[:, :2] = pos
        sums = inverse @ extended
        displacement = (k * k) * (pos * sums[:, 2:] - sums[:, :2])
        # Attraction d^2/k along the edges only (sparse).
        delta = pos[src] - pos[dst]
        pull = np.sqrt((delta**2).sum(axis=1)) * strength / k
        np.add.at(displacement, src, -delta * pull[:, None])
        length = np.sqrt((displacement**2).sum(axis=1))
        np.clip(length, 0.01, None, out=length)
        pos += displacement * (temperature / length)[:, None]
        temperature -= cooling
    return pos


def _normalise(pos: np.ndarray) -> np.ndarray:
    pos = pos - pos.mean(axis=0)
    extent = np.abs(pos).max()
    return pos / extent if extent > 0 else pos


def spring_positions(
    G: nx.Graph, *, scale: float = 120.0, iterations: int | None = None, seed: int = 0
) -> dict[Hashable, tuple[float, float]]:
    """``{node: (x, y)}`` in pixels, about ``scale`` pixels per node across.

    ``G`` may be a multigraph; parallel edges add their ``weight``. Components are laid
    out separately and packed left to right, top to bottom.
    """
    H = nx.Graph()
    H.add_nodes_from(G)
    for a, b, w in G.edges(data="weight", default=1):
        if a != b:
            H.add_edge(a, b, weight=H[a][b]["weight"] + w if H.has_edge(a, b) else w)
    components = sorted(nx.connected_components(H), key=lambda c: (-len(c), str(min(c))))
    placed: list[tuple[list, np.ndarray, float]] = []
    singles: list = []
    for comp in components:
        if len(comp) == 1:
            singles.extend(comp)
            continue
        sub = H.subgraph(comp)
        nodes = list(sub)
        steps = iterations or (60 if len(comp) <= 500 else 40 if len(comp) <= 1200 else 30)
        if len(comp) > 2:
            local = _normalise(_fruchterman_reingold(sub, steps, seed))
        else:
            local = np.array([[-0.8, 0.0], [0.8, 0.0]], dtype=np.float32)
        radius = scale * max(1.0, math.sqrt(len(comp))) * 0.9
        placed.append((nodes, local * radius, radius))
    if singles:
        side = math.ceil(math.sqrt(len(singles)))
        grid = np.array([[i % side, i // side] for i in range(len(singles))], dtype=np.float32)
        grid = (grid - (side - 1) / 2) * scale if side > 1 else grid
        placed.append((singles, grid, max(scale / 2, scale * (side - 1) / 2)))

    total = sum((2 * r) ** 2 for _, _, r in placed) or 1.0
    row_width = max(max((2 * r for _, _, r in placed), default=0.0), math.sqrt(total) * 1.2)
    out: dict[Hashable, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for nodes, coords, radius in placed:
        size = 2 * radius + scale
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        centre = np.array([x + size / 2, y + size / 2], dtype=np.float32)
        for node, (cx, cy) in zip(nodes, coords + centre, strict=True):
            out[node] = (round(float(cx), 1), round(float(cy), 1))
        x += size
        row_height = max(row_height, size)
    return out
