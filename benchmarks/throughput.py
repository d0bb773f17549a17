"""Throughput of ``extractor run``: documents/s, tokens/s, peak RSS, cold start.

Runs the CLI (``python -m extractor run``) as a subprocess over the BC5CDR
and BioRED train/dev abstracts of ``shared/data`` (about 1,500 documents)
plus the seed article, for 1 and N workers, in default and ``--fast`` mode,
and prints for each run:

- documents/s and tokens/s end to end (wall clock of the whole command:
  interpreter start, pipeline load, processing, merge, graph and exports)
  and in steady state (``report.json`` ``timings.documents_per_second``:
  the processing phase without the one-time pipeline load, which is
  ``timings.warm_up`` and is the cold start below);
- peak RSS of the process tree (parent + workers, summed, sampled every
  50 ms with psutil);
- the speed-up of N workers over 1.

It also prints the speed ceiling -- the same texts through scispacy's bare
tokenizer (``combined_rule_tokenizer`` on ``spacy.blank("en")``) -- and the
pipeline/tokenizer ratio, and the cold start: the time from launching
``extractor run`` on the seed to its first ``documents/*.json``, minus the
time of ``extractor --version`` (interpreter and CLI start-up).

Usage::

    python benchmarks/throughput.py [--workers 2] [--limit N] [--modes default,fast]
                                    [--profile N] [--data DIR] [--seed FILE]

``--limit`` keeps the first N documents (for a quick look); ``--profile N``
also runs N documents in-process under cProfile and prints where the time
goes, by pipeline stage (module) and by function.

Targets (2-core machine): >= 25 abstracts/s with 1 process in default mode;
2 workers >= 1.7x; peak RSS with 2 workers <= 1.5 GB; cold start <= 3 s;
``--fast`` >= 250 abstracts/s.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = [
    "bc5cdr/CDR_TrainingSet.PubTator.txt",
    "bc5cdr/CDR_DevelopmentSet.PubTator.txt",
    "biored/Train.PubTator",
    "biored/Dev.PubTator",
]


def pubtator_docs(path: Path) -> list[str]:
    """The raw blocks (one document each) of a PubTator file."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    return [b.strip("\n") for b in blocks if b.strip()]


def prepare_inputs(data: Path, seed: Path, limit: int | None, folder: Path) -> tuple[list[Path], list[str]]:
    """Write the benchmark inputs into ``folder``; return them and their texts."""
    folder.mkdir(parents=True, exist_ok=True)
    texts: list[str] = []
    paths: list[Path] = []
    remaining = limit
    for rel in CORPORA:
        blocks = pubtator_docs(data / rel)
        if remaining is not None:
            blocks = blocks[:remaining]
            remaining -= len(blocks)
        if not blocks:
            continue
        p = folder / Path(rel).name.replace(".txt", "")
        p = p.with_name(p.name.split(".")[0] + ".PubTator")
        p.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
        paths.append(p)
        for b in blocks:
            lines = b.split("\n")
            title = lines[0].split("|t|", 1)[1]
            abstract = lines[1].split("|a|", 1)[1] if len(lines) > 1 and "|a|" in lines[1] else ""
            texts.append(f"{title} {abstract}")
    if seed.is_file():
        target = folder / seed.name
        target.write_bytes(seed.read_bytes())
        paths.append(target)
        texts.append(seed.read_text(encoding="utf-8"))
    return paths, texts


def tokenizer_ceiling(texts: list[str]) -> tuple[int, float]:
    """Tokens and seconds of scispacy's bare tokenizer over ``texts``."""
    import spacy
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    nlp = spacy.blank("en")
    tok = combined_rule_tokenizer(nlp)
    t0 = time.perf_counter()
    n = sum(len(doc) for doc in tok.pipe(texts, batch_size=256))
    return n, time.perf_counter() - t0


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_cli(args: list[str], *, first_file: Path | None = None) -> dict:
    """Run ``python -m extractor ARGS``; wall time, peak tree RSS, first-output time."""
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "extractor", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    peak, first = 0, None
    while proc.poll() is None:
        peak = max(peak, _tree_rss(ps))
        if first is None and first_file is not None and any(first_file.glob("*.json")):
            first = time.perf_counter() - t0
        time.sleep(0.05 if first is not None or first_file is None else 0.005)
    wall = time.perf_counter() - t0
    out, err = proc.communicate()
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    if proc.returncode not in (0, 1):
        sys.exit(f"extractor {' '.join(args)} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return {"wall": wall, "cpu": cpu, "peak_rss": peak, "first": first, "rc": proc.returncode}


def bench_run(paths: list[Path], out: Path, workers: int, fast: bool, tokens: int) -> dict:
    args = ["-qq", "run", *map(str, paths), "-o", str(out), "--workers", str(workers)] + (["--fast"] if fast else [])
    res = run_cli(args)
    report = json.loads((out / "report.json").read_text())
    docs = report["counts"]["documents_ok"]
    res.update(
        docs=docs,
        failed=report["counts"]["documents_failed"],
        docs_per_s=docs / res["wall"],
        docs_per_cpu_s=docs / res["cpu"] if res["cpu"] else 0.0,
        tokens_per_s=tokens / res["wall"],
        process_docs_per_s=report["timings"].get("documents_per_second", 0.0),
        timings=report["timings"],
    )
    return res


def cold_start(seed: Path, fast: bool, tmp: Path, repeat: int = 3) -> tuple[float, float]:
    """(time to first document, time of ``extractor --version``): the best of
    ``repeat`` runs each, so that a load spike of other processes is not taken
    for start-up time."""
    base = min(run_cli(["--version"])["wall"] for _ in range(3))
    firsts = []
    for i in range(repeat):
        out = tmp / f"cold-{'fast' if fast else 'default'}-{i}"
        res = run_cli(
            ["-qq", "run", str(seed), "-o", str(out)] + (["--fast"] if fast else []), first_file=out / "documents"
        )
        firsts.append(res["first"] or res["wall"])
    return min(firsts), base


def profile(paths: list[Path], limit: int, fast: bool) -> None:
    """cProfile ``limit`` documents in-process; print time by stage and function."""
    from extractor.config import Settings
    from extractor.io.readers import read_articles
    from extractor.pipeline import Extractor
    from extractor.summarize import summarize_document

    articles = [a for p in paths for a in read_articles(p).articles][:limit]
    ex = Extractor(Settings(fast=fast))
    ex.warm_up()
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for a in articles:
        summarize_document(ex.process(a))
    prof.disable()
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof)
    by_module: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        if "/extractor/" in filename:
            key = "extractor." + filename.split("/extractor/")[-1].removesuffix(".py").replace("/", ".")
        elif "site-packages/" in filename:
            key = filename.split("site-packages/")[-1].split("/")[0]
        else:
            key = "other"
        by_module[key] += tottime
    print(
        f"\nprofile ({'fast' if fast else 'default'}): {len(articles)} documents in {wall:.2f} s "
        f"({len(articles) / wall:.1f} documents/s); own time by module:"
    )
    total = sum(by_module.values())
    for key, t in sorted(by_module.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {key:<40} {t:7.2f} s  {100 * t / total:5.1f} %")
    print("top functions by cumulative time:")
    stats.sort_stats("cumulative").print_stats(18)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=2, help="N of the N-worker runs")
    ap.add_argument("--limit", type=int, default=None, help="first N abstracts only")
    ap.add_argument("--modes", default="default,fast")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="also profile N documents in-process")
    ap.add_argument("--data", type=Path, default=SHARED / "data")
    ap.add_argument("--seed", type=Path, default=SHARED / "seeds" / "ketamine_perioperative_pain_sharma2025.txt")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="extractor-bench-") as tmpdir:
        tmp = Path(tmpdir)
        paths, texts = prepare_inputs(args.data, args.seed, args.limit, tmp / "in")
        tokens, tok_s = tokenizer_ceiling(texts)
        print(f"inputs: {len(texts)} documents, {tokens} tokens, {sum(map(len, texts))} characters")
        print(f"ceiling: scispacy tokenizer {len(texts) / tok_s:.0f} documents/s, {tokens / tok_s:.0f} tokens/s")
        for mode in args.modes.split(","):
            fast = mode == "fast"
            first, base = cold_start(args.seed, fast, tmp)
            print(
                f"\n[{mode}] cold start: first document after {first:.2f} s "
                f"({first - base:.2f} s net of `extractor --version` = {base:.2f} s)"
            )
            results = {}
            for w in sorted({1, args.workers}):
                r = bench_run(paths, tmp / f"out-{mode}-{w}", w, fast, tokens)
                results[w] = r
                print(
                    f"[{mode}] workers={w}: {r['docs']} ok, {r['failed']} failed in {r['wall']:.1f} s: "
                    f"{r['docs_per_s']:.1f} documents/s, {r['tokens_per_s']:.0f} tokens/s end to end (wall); "
                    f"CPU {r['cpu']:.1f} s (user+sys, all processes) = {r['docs_per_cpu_s']:.1f} documents/CPU-s; "
                    f"steady state {r['process_docs_per_s']:.1f} documents/s "
                    f"({r['process_docs_per_s'] * tokens / max(r['docs'], 1):.0f} tokens/s); "
                    f"peak RSS {r['peak_rss'] / 2**20:.0f} MB; "
                    f"pipeline/tokenizer time ratio {r['wall'] / tok_s:.0f}x"
                )
                print(f"[{mode}] workers={w} timings: {json.dumps(r['timings'])}")
            cpu1 = results[1]["cpu"]
            if args.workers > 1:
                print(
                    f"[{mode}] speed-up {args.workers} workers / 1: {results[1]['wall'] / results[args.workers]['wall']:.2f}x "
                    f"(wall); CPU {results[args.workers]['cpu'] / cpu1:.2f}x of 1 worker's"
                )
        if args.profile:
            for mode in args.modes.split(","):
                profile(paths, args.profile, mode == "fast")


if __name__ == "__main__":
    main()
