"""Garbage-collector settings for long batch runs.

The pipeline builds many small, short-lived objects per document (spaCy
Docs, dataclasses) and, when merging, large acyclic structures (relations,
claims, the graph). Reference counting frees all of them; the cyclic
collector only adds full passes whose cost grows with the heap. These
helpers pause it around merging and exporting, and make it run less often
while documents are processed. Library code calls them; nothing here logs.

Examples
--------
>>> import gc
>>> with gc_paused():
...     gc.isenabled()
False
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["gc_paused", "relax_gc", "restore_gc", "relaxed_gc", "YOUNG_THRESHOLD"]

#: Allocations between young-generation collections while processing
#: documents (CPython's default is 700).
YOUNG_THRESHOLD = 10_000


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector inside the block (the previous state is
    restored, nested use is fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def relax_gc() -> tuple[int, int, int]:
    """Collect now, freeze what exists (the loaded pipeline lives for the
    run: the collector never scans it again, and forked workers do not
    copy its pages), and collect the young generation less often.

    Returns
    -------
    tuple of int
        The previous thresholds, for :func:`restore_gc`.
    """
    previous = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, previous[1], previous[2])
    return previous


def restore_gc(previous: tuple[int, int, int]) -> None:
    """Undo :func:`relax_gc`: unfreeze and restore the thresholds."""
    gc.unfreeze()
    gc.set_threshold(*previous)


@contextmanager
def relaxed_gc() -> Iterator[None]:
    """:func:`relax_gc` for the duration of the block.

    Examples
    --------
    >>> before = gc.get_threshold()
    >>> with relaxed_gc():
    ...     gc.get_threshold()[0] == YOUNG_THRESHOLD
    True
    >>> gc.get_threshold() == before
    True
    """
    previous = relax_gc()
    try:
        yield
    finally:
        restore_gc(previous)
