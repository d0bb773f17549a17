"""Run the pipeline on article files and write an OUT folder (documents +
triples.jsonl + claims.jsonl) for ``extractor.evaluate`` / ``score.py``.

A stand-in for ``extractor run`` used to measure the relation stage.

Usage::

    python training/relations/run_seed.py /work/shared/seeds/ketamine_perioperative_pain_sharma2025.txt \
        --out /tmp/seed_out --gold /work/shared/gold/ketamine_perioperative_pain_sharma2025.gold.json
"""

from __future__ import annotations

import argparse
from pathlib import Path

from extractor.evaluate import evaluate_article
from extractor.io.jsonio import claim_to_dict, document_to_dict, dumps, relation_to_dict
from extractor.io.readers import read_path
from extractor.pipeline import Extractor, merge_results


def _with_gold_mentions(ex, art, gold_path):
    """Process ``art`` with mentions found by the gold entities' names."""
    import json
    import re

    from extractor.model import DocumentResult, EntityType, Mention
    from extractor.relations import extract_relations, merge_relations
    from extractor.sentences import segment_article

    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    art = segment_article(art, ex.segmenter)
    cands = []
    for key, e in gold["entities"].items():
        for name in e["names"]:
            for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", art.text, re.I):
                cands.append((m.start(), -m.end(), key, e))
    cands.sort(key=lambda x: (x[0], x[1]))
    mentions, last = [], -1
    for s, neg_e, key, e in cands:
        if s < last:
            continue
        last = -neg_e
        mentions.append(Mention(s, -neg_e, art.text[s:-neg_e], EntityType(e["type"]), e["id"], e["names"][0]))
    rels = merge_relations(extract_relations(art, mentions))
    return DocumentResult(article=art, mentions=tuple(mentions), relations=tuple(rels))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--gold", type=Path, default=None)
    ap.add_argument("--show", action="store_true", help="print every triple")
    ap.add_argument("--gold-mentions", action="store_true",
                    help="mentions from the gold entity names (upper bound of the relation stage)")
    a = ap.parse_args()
    ex = Extractor()
    results = []
    (a.out / "documents").mkdir(parents=True, exist_ok=True)
    for path in a.inputs:
        for art in read_path(path):
            if a.gold_mentions:
                res = _with_gold_mentions(ex, art, a.gold)
            else:
                res = ex.process(art)
            results.append(res)
            (a.out / "documents" / f"{art.doc_id}.json").write_text(dumps(document_to_dict(res)), encoding="utf-8")
    corpus = merge_results(results)
    with (a.out / "triples.jsonl").open("w", encoding="utf-8") as fh:
        for r in corpus.relations:
            fh.write(dumps(relation_to_dict(r)) + "\n")
            if a.show:
                print(f"{r.subject.name} -{r.predicate}/{r.relation_class}-> {r.object.name} [{r.object.type}]"
                      f" neg={r.negated} hedged={r.hedged} dir={r.direction} conf={r.confidence} n={len(r.evidence)}")
    with (a.out / "claims.jsonl").open("w", encoding="utf-8") as fh:
        for c in corpus.claims:
            fh.write(dumps(claim_to_dict(c)) + "\n")
    if a.gold:
        ev = evaluate_article(a.gold, a.out)
        print("\n".join(ev.lines))
        print(ev.summary())


if __name__ == "__main__":
    main()
