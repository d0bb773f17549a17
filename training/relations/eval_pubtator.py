"""Evaluate the relation stage on a PubTator corpus (BC5CDR dev, BioRED dev).

Two modes:

* ``--mentions gold``: the corpus's own Chemical/Disease annotations are
  turned into Drug/Condition mentions (upper bound of the relation stage).
* ``--mentions predicted``: the full pipeline (``extractor.pipeline.Extractor``:
  sentences + NER) produces the mentions (end to end).

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
from extractor.io.jsonio import document_to_dict, dumps, relation_to_dict
from extractor.model import Article, DocumentResult, EntityType, Mention, Section, Paragraph, Sentence
from extractor.relation_model import simple_sentences
from extractor.relations import extract_relations, merge_relations

CHEM = {"Chemical", "ChemicalEntity"}
DIS = {"Disease", "DiseaseOrPhenotypicFeature"}


def read_docs(path: Path):
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        title = abstract = pmid = ""
        ments = []
        for ln in lines:
            m = re.match(r"^(\d+)\|([ta])\|(.*)$", ln)
            if m:
                pmid = m.group(1)
                if m.group(2) == "t":
                    title = m.group(3)
                else:
                    abstract = m.group(3)
                continue
            f = ln.split("\t")
            if len(f) >= 6 and f[1].isdigit():
                ments.append((int(f[1]), int(f[2]), f[3], f[4], f[5]))
        yield pmid, title, abstract, ments


def build_article(pmid: str, title: str, abstract: str, segment: bool) -> Article:
    text = title + " " + abstract
    tl = len(title)
    para = (Paragraph(1, 0, len(text)),)
    art = Article(
        doc_id=pmid, source=f"{pmid}.pubtator", format="pubtator", title=title, text=text,
        sections=(Section("Abstract", 0, len(text), para),),
    )
    if segment:
        return art
    spans = [(0, tl)] + [(s, e) for s, e in simple_sentences(text) if s >= tl]
    return Article(
        doc_id=art.doc_id, source=art.source, format=art.format, title=title, text=text,
        sections=art.sections, sentences=tuple(Sentence(s, e, "Abstract", 1) for s, e in spans),
    )


def gold_mentions(art: Article, ments) -> list[Mention]:
    out = []
    for s, e, txt, typ, ids in ments:
        t = EntityType.DRUG if typ in CHEM else EntityType.CONDITION if typ in DIS else None
        if t is None:
            continue
        first = re.split(r"[|;,]", ids)[0].strip()
        cid = None if first in ("-1", "-", "") else "MESH:" + first
        out.append(Mention(s, e, txt, t, cid, txt, -1, "gold"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--mentions", choices=["gold", "predicted"], default="gold")
    ap.add_argument("--corpus", choices=["bc5cdr", "biored"], default=None)
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    (a.out / "documents").mkdir(parents=True, exist_ok=True)
    extractor = None
    if a.mentions == "predicted":
        from extractor.pipeline import Extractor

        extractor = Extractor()
    rels = []
    t0 = time.time()
    n = 0
    for pmid, title, abstract, ments in read_docs(a.gold):
        if a.limit and n >= a.limit:
            break
        n += 1
        if extractor is None:
            art = build_article(pmid, title, abstract, segment=False)
            mentions = gold_mentions(art, ments)
            doc_rels = merge_relations(extract_relations(art, mentions))
            result = DocumentResult(article=art, mentions=tuple(mentions), relations=tuple(doc_rels))
        else:
            art = build_article(pmid, title, abstract, segment=True)
            result = extractor.process(art)
        rels.extend(result.relations)
        (a.out / "documents" / f"{pmid}.json").write_text(dumps(document_to_dict(result)), encoding="utf-8")
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
