"""Time :func:`extractor.dedup.merge_claims` at growing corpus sizes.

Synthetic but realistic claims: drug and object concepts drawn from Zipf
distributions (a few concepts are very common, most are rare), each
underlying finding restated several times with paraphrase-level noise (name
casing and spacing, unlinked mentions that fall back to names, a concept
dropped or added), spread over many documents.

Usage::

    python benchmarks/dedup_scaling.py [--sizes 1000 10000 100000] [--repeat 3]

Each timed run starts with cold CPU caches. Prints one line per size (best-of CPU time of this process, which a busy
shared machine disturbs less than wall time, and best-of wall time; claims
out) and the CPU-time ratio per 10x more claims (target: at most 12x), then a control: ten
independent copies of the smallest workload merged in one call, i.e. what
exactly 10x the work costs on this machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace

from extractor.dedup import claim_id_for, merge_claims
from extractor.model import Claim, Entity, EntityType, Evidence

SLOTS = (
    ("mechanism", EntityType.MECHANISM, 400),
    ("condition", EntityType.CONDITION, 3000),
    ("outcome", EntityType.OUTCOME, 800),
    ("adverse", EntityType.ADVERSE_EFFECT, 1500),
)
N_DRUGS = 5000


def _zipf(rng: random.Random, n: int, s: float = 1.1) -> int:
    """An index in [0, n) with P(k) ~ 1/(k+1)^s (inverse-CDF on a cached table)."""
    table = _TABLES.get((n, s))
    if table is None:
        acc, table = 0.0, []
        for k in range(n):
            acc += 1.0 / (k + 1) ** s
            table.append(acc)
        _TABLES[(n, s)] = table
    x = rng.random() * table[-1]
    lo, hi = 0, n - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if table[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


_TABLES: dict = {}


def _entity(rng: random.Random, prefix: str, k: int, typ: EntityType) -> Entity:
    name = f"{prefix} concept {k}"
    if rng.random() < 0.3:  # paraphrase noise in the surface name
        name = rng.choice([name.upper(), name.title(), "  " + name.replace(" ", "  ")])
    linked = rng.random() < 0.8 or k < 50
    return Entity(name, f"MESH:{prefix[0].upper()}{k:06d}" if linked else None, typ)


def synthetic_claims(n: int, seed: int = 0) -> list[Claim]:
    """``n`` claims: findings restated 1-6 times with noise."""
    rng = random.Random(seed)
    out: list[Claim] = []
    doc = 0
    while len(out) < n:
        drug = _zipf(rng, N_DRUGS)
        finding = {
            slot: sorted({_zipf(rng, size) for _ in range(rng.choice((0, 1, 1, 2, 3)))})
            for slot, _typ, size in SLOTS
        }
        if not any(finding.values()):
            finding["condition"] = [_zipf(rng, SLOTS[1][2])]
        for _ in range(min(rng.randint(1, 6), n - len(out))):
            doc += rng.random() < 0.3
            slots = {}
            for slot, typ, size in SLOTS:
                ks = list(finding[slot])
                if ks and rng.random() < 0.1:
                    ks.pop(rng.randrange(len(ks)))  # a restatement that leaves a concept out
                if rng.random() < 0.05:
                    ks.append(_zipf(rng, size))  # or adds one
                slots[slot] = tuple(_entity(rng, slot, k, typ) for k in ks)
            start = rng.randrange(0, 50_000)
            ev = Evidence(f"doc{doc:07d}", rng.choice(("Abstract", "Results", "Discussion")), rng.randint(1, 9),
                          f"sentence {start}", start, start + 120, (str(rng.randint(1, 40)),))
            c = Claim("", f"sentence {start}", drug=(_entity(rng, "drug", drug, EntityType.DRUG),),
                      negated=rng.random() < 0.03, hedged=rng.random() < 0.2, evidence=(ev,), **slots)
            out.append(replace(c, claim_id=claim_id_for(c)))
    return out


def _flush_caches(mb: int = 64) -> None:
    """Write a buffer larger than the CPU caches so that every size starts
    cold (otherwise a small corpus re-run stays in cache and looks cheaper
    per claim than the memory-bound large ones)."""
    buf = bytearray(mb << 20)
    buf[::64] = b"\x01" * len(buf[::64])


def _cpu(fn, arg) -> float:
    _flush_caches()
    c0 = time.process_time()
    fn(arg)
    return time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=3, help="runs per size; the best time is kept")
    ap.add_argument("--no-control", dest="control", action="store_false",
                    help="skip the linear control (10 copies of the smallest workload)")
    a = ap.parse_args(argv)
    prev = None
    worst = 0.0
    for n in a.sizes:
        claims = synthetic_claims(n)
        best = wall = float("inf")
        for _ in range(a.repeat):
            _flush_caches()
            t0, c0 = time.perf_counter(), time.process_time()
            merged = merge_claims(claims)
            best = min(best, time.process_time() - c0)
            wall = min(wall, time.perf_counter() - t0)
        keys = {c.key() for c in merged}
        assert_unique = "ok" if len(keys) == len(merged) else "DUPLICATE KEYS"
        line = f"n={n:>7d}  cpu={best:8.3f}s  wall={wall:8.3f}s  claims out={len(merged):>7d}  unique keys: {assert_unique}"
        if prev is not None:
            ratio = (best / prev[1]) / (n / prev[0]) * 10
            worst = max(worst, ratio)
            line += f"  time x{best / prev[1]:.1f} for x{n / prev[0]:.0f} claims (per 10x: {ratio:.1f}x)"
        print(line)
        prev = (n, best)
    print(f"worst ratio per 10x claims: {worst:.1f}x (target <= 12x)")
    if a.control and a.sizes[0] * 10 in a.sizes:
        # the same work as the smallest size, ten times over: what a strictly
        # linear algorithm costs here once the data outgrows the CPU caches
        n = a.sizes[0]
        small = synthetic_claims(n)
        ten = [c for s in range(10) for c in synthetic_claims(n, seed=s)]
        t1 = min(_cpu(merge_claims, small) for _ in range(a.repeat))
        t10 = min(_cpu(merge_claims, ten) for _ in range(a.repeat))
        print(f"control: 10 independent {n}-claim corpora in one call cost x{t10 / t1:.1f} "
              f"the time of one ({t1:.3f}s -> {t10:.3f}s)")
    return 0 if worst <= 12.0 else 1


if __name__ == "__main__":
    sys.exit(main())
