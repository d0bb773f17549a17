#!/usr/bin/env python3
"""Run the entity stage over a PubTator file and write a scorable output folder.

Writes ``OUT/documents/<pmid>.json`` (via ``extractor.io.jsonio.document_to_dict``;
text = title + " " + abstract, so PubTator offsets point at the same
characters) and prints the entity-stage throughput. Score with::

    python /work/shared/tools/score.py pubtator \\
        --gold /work/shared/data/bc5cdr/CDR_DevelopmentSet.PubTator.txt --out OUT

Example::

    python scripts/eval_ner.py /work/shared/data/bc5cdr/CDR_DevelopmentSet.PubTator.txt \\
        --out /tmp/ner_dev --fast

``--ner-dir DIR`` runs the default pipeline with a candidate bundled model
(a ``training/package_model.py`` output) in place of ``extractor/data/ner_model``,
exactly as it would run once shipped (dictionary tokenizer, lexicon gap filling).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from extractor.config import Settings
from extractor.io.jsonio import document_to_dict, dumps
from extractor.model import Article, DocumentResult, Sentence


def _local_articles(path: Path) -> list[Article]:
    """Minimal PubTator reader (used when extractor.io.readers.pubtator is absent)."""
    arts, cur = [], {}
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        m = re.match(r"^(\d+)\|([ta])\|(.*)$", line)
        if m:
            cur[m.group(2)] = m.group(3)
            cur["pmid"] = m.group(1)
        elif not line.strip() and cur:
            text = cur.get("t", "") + " " + cur.get("a", "")
            arts.append(Article(cur["pmid"], str(path), "pubtator", cur.get("t", ""), text))
            cur = {}
    return arts


def _local_sentences(article: Article) -> Article:
    from dataclasses import replace

    sents, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])", article.text):
        sents.append(Sentence(start, m.start(), "Abstract", 1))
        start = m.end()
    sents.append(Sentence(start, len(article.text), "Abstract", 1))
    return replace(article, sentences=tuple(sents))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pubtator", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--fast", action="store_true", help="dictionary NER only")
    ap.add_argument("--model", default=None, help="a spaCy/scispacy NER model to use instead")
    ap.add_argument("--limit", type=int, default=0, help="first N documents only")
    ap.add_argument("--ner-dir", type=Path, default=None,
                    help="candidate bundled NER model directory to use instead of extractor/data/ner_model")
    ap.add_argument("--gap-fill", choices=("lexicon", "ner", "none"), default=None,
                    help="experiment: override the mention resolver's gap_fill (none: longest span wins)")
    a = ap.parse_args(argv)
    settings = Settings(fast=a.fast, model=a.model)
    try:
        from extractor.io.readers.pubtator import parse_pubtator
        from extractor.sentences import make_segmenter, segment_article

        articles, problems = parse_pubtator(a.pubtator.read_text(encoding="utf-8"), source=str(a.pubtator))
        seg = make_segmenter()
        articles = [segment_article(x, seg) for x in articles]
    except ImportError:
        articles = [_local_sentences(x) for x in _local_articles(a.pubtator)]
    if a.limit:
        articles = articles[: a.limit]
    import extractor.ner
    from extractor.ner import build_pipeline, find_mentions

    if a.ner_dir is not None:
        if not (a.ner_dir / "config.cfg").exists():
            sys.stderr.write(f"eval_ner: {a.ner_dir} has no config.cfg (package a model with training/package_model.py)\n")
            return 2
        extractor.ner.MODEL_DIR = a.ner_dir.resolve()

    t0 = time.perf_counter()
    nlp = build_pipeline(settings)
    if a.gap_fill is not None:
        nlp.get_pipe("extractor_mention_resolver").gap_fill = "" if a.gap_fill == "none" else a.gap_fill
    t1 = time.perf_counter()
    c1 = time.process_time()
    results = [DocumentResult(article=x, mentions=tuple(find_mentions(x, nlp, settings))) for x in articles]
    t2 = time.perf_counter()
    cpu = time.process_time() - c1
    (a.out / "documents").mkdir(parents=True, exist_ok=True)
    for r in results:
        (a.out / "documents" / f"{r.article.doc_id}.json").write_text(
            dumps(document_to_dict(r)), encoding="utf-8"
        )
    n = len(results)
    print(
        f"{n} abstracts, {sum(len(r.mentions) for r in results)} mentions; "
        f"build_pipeline {t1 - t0:.2f}s; find_mentions {t2 - t1:.2f}s wall = {n / max(t2 - t1, 1e-9):.0f} "
        f"abstracts/s, {cpu:.2f}s CPU = {n / max(cpu, 1e-9):.0f} abstracts per CPU-second"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
