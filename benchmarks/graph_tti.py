"""Time-to-interactive of ``graph.html`` in headless Chromium.

Builds synthetic knowledge graphs of 500 / 2,000 / 5,000 concepts (about
2.5 relations per concept, a few evidence sentences each, skewed degrees as
in text-mined graphs), writes each page with
:func:`extractor.io.exporters.html_export.write_html` (``max_nodes`` raised
so nothing is cut), opens it from disk and measures the time from
navigation to ``window.__graphReady`` (set once the network is drawn and
every control is wired). Also reports the Python time to write the page and
its size, and fails loudly if the page made any network request.

Usage::

    python benchmarks/graph_tti.py [--sizes 500,2000,5000] [--runs 3] [--keep DIR]

Needs Playwright (``pip install playwright==1.65.2``) and a Chromium
(``/usr/bin/chromium`` by default, ``--chromium PATH`` otherwise). Target:
2,000 nodes / 5,000 edges interactive in under 5 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from extractor.io.exporters.html_export import OFFLINE_CHROMIUM_ARGS

CHROMIUM_ARGS = list(OFFLINE_CHROMIUM_ARGS)

_TYPES = ["Drug", "Mechanism", "Condition", "Outcome", "AdverseEffect", "Target"]
_CLASSES = [
    ("treats", "biolink:treats"),
    ("mechanism", "biolink:affects"),
    ("outcome", "biolink:affects"),
    ("adverse", "biolink:causes"),
    ("association", "biolink:related_to"),
]


def synthetic_graph(n_nodes: int, edges_per_node: float = 2.5, seed: int = 1) -> nx.MultiDiGraph:
    """A graph shaped like :class:`extractor.graph.GraphBuilder` output.

    Degrees are skewed (a few hub drugs, many leaves), evidence counts are
    geometric, and ids are a mix of CURIEs and ``name:`` keys.
    """
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    keys = []
    for i in range(n_nodes):
        t = _TYPES[0] if i % 6 == 0 else rng.choice(_TYPES[1:])
        key = f"MESH:D{100000 + i:06d}" if i % 3 else f"name:concept {i}"
        docs = [f"doc{rng.randrange(n_nodes):05d}" for _ in range(1 + int(rng.expovariate(0.7)))]
        g.add_node(
            key,
            type=t,
            name=f"{t.lower()} concept {i}",
            id=key if key.startswith("MESH:") else None,
            synonyms=[f"syn {i}-{j}" for j in range(rng.randrange(3))],
            documents=sorted(set(docs)),
            document_count=len(set(docs)),
            mention_count=len(docs) + rng.randrange(5),
        )
        keys.append(key)
    weights = [1.0 / (1 + i) ** 0.8 for i in range(n_nodes)]
    n_edges = int(round(edges_per_node * n_nodes))
    made = 0
    while made < n_edges:
        u = rng.choices(keys, weights)[0]
        v = rng.choice(keys)
        cls, bl = rng.choice(_CLASSES)
        pred = {"treats": "treats", "mechanism": "inhibits", "outcome": "reduces", "adverse": "causes"}.get(
            cls, "associated_with"
        )
        negated = rng.random() < 0.05
        k = ("not:" if negated else "") + pred
        if u == v or g.has_edge(u, v, key=k):
            continue
        n_ev = 1 + int(rng.expovariate(0.6))
        evidence = [
            {
                "doc_id": f"doc{rng.randrange(n_nodes):05d}",
                "section": rng.choice(["Abstract", "Introduction", "Results", "Discussion"]),
                "paragraph": 1 + rng.randrange(6),
                "sentence": f"Sentence {made}-{j}: {g.nodes[u]['name']} {pred} {g.nodes[v]['name']} in patients.",
                "start": 100 * j,
                "end": 100 * j + 80,
                "citations": [str(1 + rng.randrange(30))],
            }
            for j in range(n_ev)
        ]
        g.add_edge(
            u,
            v,
            key=k,
            predicate=pred,
            relation_class=cls,
            biolink_predicate=bl,
            direction=rng.choice(["increase", "decrease"]) if cls == "outcome" else None,
            hedged=rng.random() < 0.2,
            negated=negated,
            confidence=round(rng.uniform(0.5, 0.99), 3),
            evidence=evidence,
            evidence_count=n_ev,
        )
        made += 1
    g.graph["documents"] = {}
    return g


def measure(html_path: Path, chromium: str, runs: int) -> tuple[list[float], list[str]]:
    """Seconds from navigation to ``__graphReady`` for each run, and every
    URL requested other than the page itself."""
    from playwright.sync_api import sync_playwright

    times, foreign = [], []
    url = html_path.resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("request", lambda r: foreign.append(r.url) if r.url != url else None)
            t0 = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_function("() => window.__graphReady === true", timeout=120_000)
            times.append(time.perf_counter() - t0)
            page.close()
        browser.close()
    return times, foreign


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,2000,5000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--keep", type=Path, default=None, help="keep the pages in this folder")
    args = ap.parse_args(argv)

    from extractor.io.exporters.html_export import write_html

    folder = args.keep or Path(tempfile.mkdtemp(prefix="graph_tti_"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        g = synthetic_graph(n)
        path = folder / f"graph_{n}.html"
        t0 = time.perf_counter()
        write_html(g, path, title=f"synthetic {n}", max_nodes=n)
        write_s = time.perf_counter() - t0
        times, foreign = measure(path, args.chromium, args.runs)
        if foreign:
            print(f"network requests from {path}: {foreign[:5]}", file=sys.stderr)
            return 1
        rows.append((n, g.number_of_edges(), write_s, path.stat().st_size / 1e6, statistics.median(times), max(times)))
    print(f"{'nodes':>6} {'edges':>6} {'write_html s':>12} {'page MB':>8} {'TTI median s':>13} {'TTI max s':>10}")
    for n, m, w, mb, med, mx in rows:
        print(f"{n:>6} {m:>6} {w:>12.2f} {mb:>8.2f} {med:>13.2f} {mx:>10.2f}")
    target = [r for r in rows if r[0] == 2000]
    if target:
        ok = target[0][4] < 5.0
        print(f"target 2,000 nodes / 5,000 edges < 5 s: {'met' if ok else 'MISSED'} ({target[0][4]:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
