"""Evaluate the relation stage on a PubTator corpus (BC5CDR dev, BioRED dev).

Two modes (plus ``--docs``):

* ``--mentions gold``: the corpus's own Chemical/Disease annotations are
  turned into Drug/Condition mentions (upper bound of the relation stage).
* ``--mentions predicted``: the full pipeline (``extractor.pipeline.Extractor``:
  sentences + NER) produces the mentions (end to end).

* ``--docs FOLDER``: reuse the articles and mentions of an earlier run's
  ``FOLDER/documents/*.json`` and rerun only the relation stage (seconds;
  the NER may have changed since, so re-measure end to end at the end).

The output folder follows shared/CONTRACT.md (documents/*.json and
triples.jsonl), so ``shared/tools/score.py pubtator`` can score it too.

Usage::

    python training/relations/eval_pubtator.py --gold /work/shared/data/bc5cdr/CDR_DevelopmentSet.PubTator.txt \
        --mentions gold --out /tmp/cdr_dev_gold
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from extractor.evaluate import evaluate_pubtator
from extractor.io.jsonio import document_from_dict, document_to_dict, dumps, relation_to_dict
from extractor.io.readers.pubtator import parse_pubtator
from extractor.model import Article, DocumentResult, EntityType, Mention
from extractor.pipeline import Extractor
from extractor.sentences import segment_article
from extractor.relations import extract_relations, merge_relations

CHEM = {"Chemical", "ChemicalEntity"}
DIS = {"Disease", "DiseaseOrPhenotypicFeature"}


def gold_mentions(art: Article) -> list[Mention]:
    """The corpus's own chemical and disease annotations as mentions."""
    out = []
    for x in art.annotations:
        t = EntityType.DRUG if x.type in CHEM else EntityType.CONDITION if x.type in DIS else None
        if t is None:
            continue
        first = re.split(r"[|;,]", x.id or "")[0].strip()
        cid = None if first in ("-1", "-", "") else "MESH:" + first
        out.append(Mention(x.start, x.end, x.text, t, cid, x.text, -1, "gold"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--mentions", choices=["gold", "predicted"], default="gold")
    ap.add_argument("--corpus", choices=["bc5cdr", "biored"], default=None)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--docs", type=Path, default=None,
                    help="rerun only the relation stage on FOLDER/documents/*.json of an earlier run")
    a = ap.parse_args()
    (a.out / "documents").mkdir(parents=True, exist_ok=True)
    extractor = Extractor()
    articles, problems = parse_pubtator(a.gold.read_text(encoding="utf-8"), source=str(a.gold))
    for problem in problems:
        print(problem, file=sys.stderr)
    rels = []
    t0 = time.time()
    n = 0
    for art in articles:
        if a.limit and n >= a.limit:
            break
        n += 1
        cached = a.docs / "documents" / f"{art.doc_id}.json" if a.docs else None
        if cached is not None and cached.exists():
            old = document_from_dict(json.loads(cached.read_text(encoding="utf-8")))
            mentions = list(old.mentions)
            doc_rels = merge_relations(extract_relations(old.article, mentions))
            result = DocumentResult(article=old.article, mentions=old.mentions, relations=tuple(doc_rels))
        elif a.mentions == "gold":
            art = segment_article(art, extractor.segmenter)
            mentions = gold_mentions(art)
            doc_rels = merge_relations(extract_relations(art, mentions))
            result = DocumentResult(article=art, mentions=tuple(mentions), relations=tuple(doc_rels))
        else:
            result = extractor.process(art)
        rels.extend(result.relations)
        (a.out / "documents" / f"{art.doc_id}.json").write_text(dumps(document_to_dict(result)), encoding="utf-8")
    merged = merge_relations(rels)
    with (a.out / "triples.jsonl").open("w", encoding="utf-8") as fh:
        for r in merged:
            fh.write(dumps(relation_to_dict(r)) + "\n")
    ev = evaluate_pubtator(a.gold, a.out, a.corpus)
    print("\n".join(ev.lines))
    print(json.dumps(ev.figures))
    print(f"{n} documents in {time.time() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
