"""Exact set-similarity join: groups of sets whose Jaccard similarity passes a threshold.

Input
    Token sets, a block label per set (only sets of one block are compared)
    and a Jaccard threshold.
Output
    Connected components (lists of set indices) of the "similar" relation.

Used by :mod:`extractor.dedup` to fold near-duplicate claims. Candidate pairs
come from deletion neighbourhoods (exact for the threshold, linear for small
sets) or, for the few large sets, a prefix-filter join; no all-pairs
comparison, so corpus-scale claim sets merge in near-linear time.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Hashable, Iterable, Sequence

__all__ = ["similar_components"]


#: Sets needing more deletion variants than this use the prefix-filter join.
_MAX_VARIANTS = 300


def _root(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _union_pairs(parent: list[int], pairs: Iterable[tuple[int, int]]) -> None:
    for i, j in pairs:
        ri, rj = _root(parent, i), _root(parent, j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)


def _jaccard_ok(a: frozenset, b: frozenset, threshold: float) -> bool:
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) >= threshold - 1e-9


def _deletion_pairs(sets, blocks, members, threshold):
    """Exact candidate pairs by deletion neighbourhoods.

    If J(A, B) >= t then |A & B| >= ceil(t * max(|A|, |B|)), so A & B is
    reached from each set by deleting at most ``|s| - ceil(t |s|)`` members.
    Each set is filed under every such sub-set; a bucket only pairs sizes
    ``a + b <= |S| (1 + 1/t)`` (the Jaccard bound), so the common case (one
    set plus its one-concept-larger restatements) stays linear.
    """
    from itertools import combinations

    # a bucket holds an int until a second set arrives (most stay single)
    buckets: dict[tuple, int | list[int]] = {}
    for i in members:
        toks = sorted(sets[i])
        k = len(toks)
        for size in range(k, max(math.ceil(threshold * k - 1e-9), 1) - 1, -1):
            for sub in combinations(toks, size):
                key = (blocks[i], sub)
                held = buckets.setdefault(key, i)
                if held != i:
                    if isinstance(held, int):
                        buckets[key] = [held, i]
                    else:
                        held.append(i)
    for (_block, sub), ids in buckets.items():
        if isinstance(ids, int):
            continue
        bound = len(sub) * (1.0 + 1.0 / threshold) + 1e-9
        by_size: dict[int, list[int]] = defaultdict(list)
        for i in ids:
            by_size[len(sets[i])].append(i)
        sizes = sorted(by_size)
        for x, sa in enumerate(sizes):
            for sb in sizes[x:]:
                if sa + sb > bound:
                    break
                for n, i in enumerate(by_size[sa]):
                    for j in by_size[sb][n + 1 :] if sa == sb else by_size[sb]:
                        if _jaccard_ok(sets[i], sets[j], threshold):
                            yield i, j


def _prefix_pairs(sets, blocks, members, threshold):
    """Exact candidate pairs by prefix filtering (rarest tokens first), for
    the few sets too large for deletion neighbourhoods."""
    index: dict[tuple, list[int]] = defaultdict(list)
    for i in sorted(members, key=lambda i: (len(sets[i]), i)):
        toks = sorted(sets[i])
        size = len(toks)
        need = math.ceil(threshold * size - 1e-9)
        prefix = toks[: size - need + 1]
        seen: set[int] = set()
        for t in prefix:
            for j in index.get((blocks[i], t), ()):
                if j not in seen and len(sets[j]) >= need:
                    seen.add(j)
                    if _jaccard_ok(sets[i], sets[j], threshold):
                        yield i, j
        for t in prefix:
            index[(blocks[i], t)].append(i)


def similar_components(
    token_sets: Sequence[Iterable[Hashable]], blocks: Sequence[Hashable], threshold: float
) -> list[list[int]]:
    """Indices of ``token_sets`` grouped into connected components of pairs
    in the same block whose Jaccard similarity is at least ``threshold``.

    Candidate pairs come from deletion neighbourhoods (:func:`_deletion_pairs`),
    or for very large sets from a prefix-filter join; every pair is checked
    with the exact Jaccard. No all-pairs comparison: linear in the number of
    sets for realistic (small) sets. Empty sets are never joined.

    Examples
    --------
    >>> similar_components([{"a", "b", "c", "d"}, {"a", "b", "c"}, {"x"}], ["k", "k", "k"], 0.75)
    [[0, 1], [2]]
    """
    raw = [frozenset(t) for t in token_sets]
    freq: Counter = Counter()
    for t in raw:
        freq.update(t)
    # tokens as integer ranks, rarest first (ties by token text)
    rank = {t: r for r, t in enumerate(sorted(freq, key=lambda t: (freq[t], str(t))))}
    sets = [frozenset(rank[t] for t in toks) for toks in raw]
    block_ids: dict[Hashable, int] = {}
    block_of = [block_ids.setdefault(b, len(block_ids)) for b in blocks]

    def variants(k: int) -> int:
        d_max = k - math.ceil(threshold * k - 1e-9)
        return sum(math.comb(k, d) for d in range(d_max + 1))

    small = [i for i, s in enumerate(sets) if s and variants(len(s)) <= _MAX_VARIANTS]
    big = [i for i, s in enumerate(sets) if s and variants(len(s)) > _MAX_VARIANTS]
    parent = list(range(len(sets)))
    _union_pairs(parent, _deletion_pairs(sets, block_of, small, threshold))
    if big:
        # a large set's partners have at least ceil(t * min_big) members
        floor = math.ceil(threshold * min(len(sets[i]) for i in big) - 1e-9)
        wide = [i for i, s in enumerate(sets) if len(s) >= floor]
        _union_pairs(parent, _prefix_pairs(sets, block_of, wide, threshold))

    comps: dict[int, list[int]] = defaultdict(list)
    for i in range(len(sets)):
        comps[_root(parent, i)].append(i)
    return [comps[r] for r in sorted(comps)]
