"""Evaluate a trained NER pipeline on BC5CDR dev with the project's scorer.

Input: a spaCy pipeline directory, a PubTator file, the do-not-train list.
Output: ``OUT/documents/<pmid>.json`` in the output contract (mentions only),
``OUT/gold.PubTator`` (the gold file without excluded PMIDs), the scorer's
report on stdout, and one summary line with abstracts/s and model size.

Usage::

    OMP_NUM_THREADS=1 python training/eval_dev.py MODEL_DIR OUT \
        [--gold CDR_DevelopmentSet.PubTator.txt] [--post none|trim|refine]
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convert import read_exclusions, read_pubtator  # noqa: E402
from postprocess import refine_span, trim_span  # noqa: E402

from extractor.io.jsonio import document_to_dict  # noqa: E402
from extractor.model import Article, DocumentResult, EntityType, Mention  # noqa: E402

__all__ = ["predict", "write_gold_subset", "main"]

logger = logging.getLogger(__name__)

DATA = Path("/work/shared/data")
SCORER = Path("/work/shared/tools/score.py")
TYPES = {"Chemical": EntityType.DRUG, "Disease": EntityType.CONDITION}


def predict(nlp, docs, *, post: str = "refine", batch_size: int = 32):
    """Run ``nlp`` over PubTator docs; return (results, seconds spent in nlp.pipe).

    ``post`` is ``none`` (raw ``doc.ents``), ``trim`` (:func:`trim_span`) or
    ``refine`` (:func:`refine_span`: trim, then split joined names).
    """
    t0 = time.perf_counter()
    parsed = list(nlp.pipe((d.text for d in docs), batch_size=batch_size))
    secs = time.perf_counter() - t0
    results = []
    for pd, doc in zip(docs, parsed):
        mentions = []
        for ent in doc.ents:
            spans = [(ent.start_char, ent.end_char)]
            if post == "trim":
                spans = [trim_span(pd.text, *spans[0], ent.label_)]
            elif post == "refine":
                spans = refine_span(pd.text, *spans[0], ent.label_)
            for s, e in spans:
                mentions.append(
                    Mention(start=s, end=e, text=pd.text[s:e], type=TYPES[ent.label_], source="ner")
                )
        article = Article(
            doc_id=pd.pmid, source="bc5cdr", format="pubtator", title=pd.title, text=pd.text
        )
        results.append(DocumentResult(article=article, mentions=tuple(mentions)))
    return results, secs


def write_gold_subset(src: Path, dest: Path, exclude: set[str]) -> None:
    """Copy the PubTator blocks of ``src`` whose PMID is not in ``exclude``."""
    blocks = src.read_text(encoding="utf-8").strip().split("\n\n")
    keep = [b for b in blocks if b.split("|", 1)[0] not in exclude]
    dest.write_text("\n\n".join(keep) + "\n", encoding="utf-8")


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--gold", type=Path, default=DATA / "bc5cdr/CDR_DevelopmentSet.PubTator.txt")
    ap.add_argument("--exclude", type=Path, default=DATA / "do_not_train.txt")
    ap.add_argument("--post", choices=("none", "trim", "refine"), default="refine",
                    help="span post-processing of training/postprocess.py (default refine)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    exclude = read_exclusions(args.exclude)
    docs = [d for d in read_pubtator(args.gold) if d.pmid not in exclude]
    nlp = spacy.load(args.model)
    predict(nlp, docs[:8])  # warm-up
    results, secs = predict(nlp, docs, post=args.post)
    folder = args.out / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    for r in results:
        (folder / f"{r.article.doc_id}.json").write_text(json.dumps(document_to_dict(r)), encoding="utf-8")
    gold = args.out / "gold.PubTator"
    write_gold_subset(args.gold, gold, exclude)
    proc = subprocess.run(
        [sys.executable, str(SCORER), "pubtator", "--gold", str(gold), "--out", str(args.out)],
        capture_output=True, text=True, check=False,
    )
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    sys.stdout.write(
        f"NER {args.model}: {len(docs)} abstracts in {secs:.1f}s = {len(docs) / secs:.1f} abstracts/s "
        f"(1 process), model {_size_mb(args.model):.1f} MB, post={args.post}\n"
    )


if __name__ == "__main__":
    main()
