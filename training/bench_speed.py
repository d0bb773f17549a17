"""Measure NER throughput (abstracts/s, one process) of one or more pipelines.

Input: pipeline directories and a PubTator file. Output: one line per model.
Models are timed in alternation (``--rounds`` times) so that load from other
processes affects them alike; the best round is reported, both per wall-clock
second and per CPU second of this process (``time.process_time``), the latter
being the fairer figure on a shared, overloaded machine.

Usage::

    OMP_NUM_THREADS=1 python training/bench_speed.py MODEL [MODEL ...] [--n 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convert import read_pubtator  # noqa: E402

__all__ = ["main"]


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", type=Path, nargs="+")
    ap.add_argument("--gold", type=Path, default=Path("/work/shared/data/bc5cdr/CDR_DevelopmentSet.PubTator.txt"))
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    texts = [d.text for d in read_pubtator(args.gold)][: args.n]
    nlps = {m: spacy.load(m) for m in args.models}
    best = {m: 0.0 for m in args.models}
    best_cpu = {m: 0.0 for m in args.models}
    for nlp in nlps.values():
        list(nlp.pipe(texts[:10]))
    for _ in range(args.rounds):
        for m, nlp in nlps.items():
            t0, c0 = time.perf_counter(), time.process_time()
            for _doc in nlp.pipe(texts, batch_size=32):
                pass
            best[m] = max(best[m], len(texts) / (time.perf_counter() - t0))
            best_cpu[m] = max(best_cpu[m], len(texts) / (time.process_time() - c0))
    for m in args.models:
        sys.stdout.write(
            f"{m}: {best[m]:.1f} abstracts/s wall, {best_cpu[m]:.1f} abstracts/CPU-s "
            f"(best of {args.rounds}, {len(texts)} abstracts, 1 process)\n"
        )


if __name__ == "__main__":
    main()
