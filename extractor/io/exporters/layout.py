"""Deterministic force-directed layout of a knowledge graph (for graph.html).

Input
    A ``networkx.MultiDiGraph``.
Output
    ``{node: (x, y)}`` integer pixel positions, the same for the same graph.

Small connected components (up to 200 nodes) are laid out together in one
vectorised Fruchterman-Reingold pass with exact repulsion; bigger ones one by
one with a particle-mesh force layout (repulsion by FFT convolution on a
grid). Components are then packed in rows, largest first. Laying the graph
out here lets the page switch the browser's physics off, so that 2,000
concepts / 5,000 relations are interactive in a few seconds.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["layout_positions"]

#: Pixels per unit of the layout's ideal edge length.
_UNIT = 170.0


# --------------------------------------------------------------------- layout


#: Components up to this size get exact all-pairs repulsion (laid out together).
_EXACT_MAX = 200
#: Side of the particle-mesh grid of big components.
_GRID = 64


def _exact_layout(sizes: list[int], edges: np.ndarray, seed: int, iterations: int = 100) -> np.ndarray:
    """Fruchterman-Reingold of many small components at once, in units of
    the ideal edge length.

    ``sizes`` are the node counts of consecutive components (their nodes are
    numbered in order), ``edges`` pairs of global node indices. Repulsion is
    exact between the nodes of one component (all pairs, precomputed), so one
    iteration is O(sum of n^2 + m) numpy work for all components together
    instead of one Python loop per component.
    """
    comp = np.repeat(np.arange(len(sizes)), sizes)
    n = len(comp)
    size = np.asarray(sizes, dtype=float)[comp]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    pi, pj = [], []
    for start, k in zip(starts.tolist(), sizes):
        if k > 1:
            a, b = np.triu_indices(k, 1)
            pi.append(a + start)
            pj.append(b + start)
    i = np.concatenate(pi) if pi else np.zeros(0, np.int64)
    j = np.concatenate(pj) if pj else np.zeros(0, np.int64)
    u, v = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    rng = np.random.default_rng(seed)
    side = np.sqrt(size)
    pos = rng.uniform(-0.5, 0.5, size=(n, 2)) * side[:, None]
    temp = np.maximum(1.0, side / 4)
    cool = (0.02 / temp) ** (1.0 / iterations)
    counts = np.bincount(comp, minlength=len(sizes)).astype(float)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        if len(i):
            d = pos[i] - pos[j]
            f = d / np.maximum((d * d).sum(axis=1), 1e-4)[:, None]  # |f| = k^2 / dist with k = 1
            for axis in (0, 1):
                disp[:, axis] += np.bincount(i, f[:, axis], n) - np.bincount(j, f[:, axis], n)
        if len(u):
            d = pos[u] - pos[v]
            f = np.maximum(np.hypot(d[:, 0], d[:, 1]), 0.01)[:, None] * d  # |f| = dist^2 / k
            for axis in (0, 1):
                disp[:, axis] += np.bincount(v, f[:, axis], n) - np.bincount(u, f[:, axis], n)
        centre = np.stack([np.bincount(comp, pos[:, a], len(sizes)) for a in (0, 1)], axis=1) / counts[:, None]
        disp -= 0.02 * (pos - centre[comp])
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp *= cool
    centre = np.stack([np.bincount(comp, pos[:, a], len(sizes)) for a in (0, 1)], axis=1) / counts[:, None]
    return pos - centre[comp]


def _mesh_kernel() -> tuple[np.ndarray, np.ndarray]:
    """FFTs of the 1/r force kernel (x and y parts) on the circular
    ``2 * _GRID`` grid: wrap-around never reaches the ``_GRID`` cells used."""
    size = 2 * _GRID
    off = np.arange(size, dtype=float)
    off[off >= size // 2] -= size  # circular offsets -GRID..GRID-1
    dx, dy = np.meshgrid(off, off, indexing="ij")
    r2 = dx * dx + dy * dy + 0.25  # softened: no self-force, smooth across a cell
    return np.fft.rfft2(dx / r2), np.fft.rfft2(dy / r2)


def _force_layout(n: int, edges: np.ndarray, seed: int, iterations: int = 60) -> np.ndarray:
    """Fruchterman-Reingold of one big component, in units of the ideal edge length.

    Far-field repulsion comes from a particle-mesh approximation (node
    density on a 64 x 64 grid convolved, by numpy FFT with the kernel's
    transform computed once, with the 1/r force kernel), near-field
    repulsion from exact pairs closer than one unit (KD-tree), so one
    iteration costs O(n + m) plus three small FFTs.
    """
    if n == 1:
        return np.zeros((1, 2))
    from scipy.spatial import cKDTree

    grid, size = _GRID, 2 * _GRID
    kx, ky = _mesh_kernel()
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    temp = max(1.0, side / 4)
    cool = (0.02 / temp) ** (1.0 / iterations)
    u, v = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        lo = pos.min(axis=0)
        h = max(float(np.ptp(pos, axis=0).max()), 1e-6) / (grid - 1)
        cell = np.clip(np.rint((pos - lo) / h).astype(np.int64), 0, grid - 1)
        flat = cell[:, 0] * size + cell[:, 1]
        rho = np.bincount(flat, minlength=size * size).astype(float).reshape(size, size)
        spectrum = np.fft.rfft2(rho)
        for axis, kernel in ((0, kx), (1, ky)):
            field = np.fft.irfft2(spectrum * kernel, s=(size, size))
            disp[:, axis] += field.reshape(-1)[flat] / h
        pairs = cKDTree(pos).query_pairs(1.0, output_type="ndarray")
        if len(pairs):
            i, j = pairs[:, 0], pairs[:, 1]
            d = pos[i] - pos[j]
            dist = np.maximum(np.hypot(d[:, 0], d[:, 1]), 0.01)
            f = (1.0 / dist - dist)[:, None] * d / dist[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(i, f[:, axis], n) - np.bincount(j, f[:, axis], n)
        if len(u):
            d = pos[u] - pos[v]
            dist = np.maximum(np.hypot(d[:, 0], d[:, 1]), 0.01)
            f = dist[:, None] * d  # |f| = dist^2 / k with k = 1
            for axis in (0, 1):
                disp[:, axis] += np.bincount(v, f[:, axis], n) - np.bincount(u, f[:, axis], n)
        disp -= 0.02 * (pos - pos.mean(axis=0))
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp *= cool
    return pos - pos.mean(axis=0)


def layout_positions(g: nx.MultiDiGraph, *, seed: int = 42) -> dict[Any, tuple[int, int]]:
    """Deterministic positions (pixels) for every node of ``g``.

    Components of more than 200 nodes are laid out one by one
    (particle-mesh force layout); all smaller ones together in one
    vectorised pass (exact repulsion within each component). Components are
    then packed in rows, largest first.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("x", "y")])
    >>> pos = layout_positions(g)
    >>> sorted(pos) == ["a", "b", "c", "x", "y"] and pos == layout_positions(g)
    True
    """
    und = nx.Graph()
    und.add_nodes_from(sorted(g.nodes, key=str))
    und.add_edges_from((u, v) for u, v in g.edges() if u != v)
    comps = [sorted(c, key=str) for c in nx.connected_components(und)]
    comps.sort(key=lambda c: (-len(c), str(c[0])))
    where = {node: (ci, i) for ci, comp in enumerate(comps) for i, node in enumerate(comp)}
    comp_edges: list[set[tuple[int, int]]] = [set() for _ in comps]
    for a, b in und.edges():
        (ca, ia), (_, ib) = where[a], where[b]
        comp_edges[ca].add((ia, ib))
    layouts: list[np.ndarray | None] = [None] * len(comps)
    small = [ci for ci, comp in enumerate(comps) if len(comp) <= _EXACT_MAX]
    for ci, comp in enumerate(comps):
        if len(comp) > _EXACT_MAX:
            edges = np.array(sorted(comp_edges[ci]), dtype=np.int64).reshape(-1, 2)
            layouts[ci] = _force_layout(len(comp), edges, seed + ci)
    if small:
        sizes = [len(comps[ci]) for ci in small]
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).tolist()
        edges = np.array(
            [(s + a, s + b) for ci, s in zip(small, starts) for a, b in sorted(comp_edges[ci])], dtype=np.int64
        ).reshape(-1, 2)
        pos = _exact_layout(sizes, edges, seed)
        for ci, s, k in zip(small, starts, sizes):
            layouts[ci] = pos[s : s + k]
    boxes = []
    for comp, pos in zip(comps, layouts):
        pos = pos * _UNIT
        lo, hi = pos.min(axis=0), pos.max(axis=0)
        boxes.append((comp, pos - lo, hi - lo))
    total = sum((w + _UNIT) * (h + _UNIT) for _, _, (w, h) in boxes) or 1.0
    row_width = max(math.sqrt(total) * 1.3, (boxes[0][2][0] + _UNIT) if boxes else 0.0)
    out: dict[Any, tuple[int, int]] = {}
    x = y = row_h = 0.0
    for comp, pos, (w, h) in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + _UNIT, 0.0
        for node, (px, py) in zip(comp, pos.tolist(), strict=True):
            out[node] = (int(round(px + x)), int(round(py + y)))
        x += w + _UNIT
        row_h = max(row_h, h)
    return out
