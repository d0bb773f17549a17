"""Train and tune the CID model on the mentions our own NER predicts.

The model then sees at training time what it sees at inference time
(missed mentions, linking noise, Drug/Condition typing of our NER). Steps:

1. Run the pipeline over BC5CDR train and dev once and keep the documents
   (``eval_pubtator.py --mentions predicted --out FOLDER``); the
   ``documents/*.json`` files hold sentences and mentions.
2. This script featurizes every linked drug x disease pair of those documents
   (labels: the corpus's CID pairs), optionally adds the gold-mention pairs of
   BC5CDR train, fits a logistic regression for each C, and picks C, the
   gating threshold and the document-level threshold by the END-TO-END CID F1
   of the whole relation stage on BC5CDR dev (sentence-level relations +
   model), scored like ``extractor.evaluate.evaluate_pubtator``.

Data: BC5CDR training set only for learning (PMIDs of do_not_train.txt
skipped); BC5CDR dev for model selection. BioRED and test splits are not read.

Usage::

    python training/relations/tune_e2e.py \
        --train-docs /tmp/cdr_train_pred --dev-docs /tmp/cdr_dev_pred \
        --train /work/shared/data/bc5cdr/CDR_TrainingSet.PubTator.txt \
        --dev /work/shared/data/bc5cdr/CDR_DevelopmentSet.PubTator.txt \
        --skip /work/shared/data/do_not_train.txt --learn-from both \
        --out extractor/data/relation_model.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pubtator import read_pubtator  # noqa: E402

from extractor.evaluate import norm_id  # noqa: E402
from extractor.io.jsonio import document_from_dict  # noqa: E402
from extractor.model import EntityType, RelationClass  # noqa: E402
from extractor.relation_model import (  # noqa: E402
    PairPrediction,
    RelationModel,
    _Index,
    candidate_pairs,
    _frame,
    framing_cues,
    pair_features,
)
from extractor.relations import (  # noqa: E402
    _DISEASE_TYPES,
    _document_level,
    _document_view,
    _DocContext,
    _sentence_level,
    merge_relations,
)


_SOURCES = {
    "gold": "gold mentions",
    "predicted": "mentions predicted by extractor's NER",
    "both": "gold mentions and mentions predicted by extractor's NER",
}


class _Doc:
    """A document with its sentence-level relations and pair features computed once."""

    def __init__(self, pmid, article, mentions):
        self.pmid = pmid
        self.ctx = _DocContext(article, mentions)
        self.srels = _sentence_level(self.ctx)
        built = _document_view(self.ctx)
        self.pairs: list[tuple[str, str]] = []
        self.feats: list[dict] = []
        self.meta: dict[tuple[str, str], tuple] = {}
        if built is not None:
            view = built[0]
            ix = _Index(view)
            for c, d in candidate_pairs(view):
                self.pairs.append((c, d))
                self.feats.append(pair_features(view, c, d, ix))
                cooc = tuple(sorted(set(ix.sent_of[c]) & set(ix.sent_of[d])))
                t, a = framing_cues(view, c, d, ix)
                self.meta[(c, d)] = (_frame(t, a), cooc, min(ix.sent_of[c]), min(ix.sent_of[d]), t, a)


class _Cached:
    """Duck-typed RelationModel whose predictions are precomputed."""

    def __init__(self, doc: _Doc, probs, threshold, add_threshold):
        self.threshold = threshold
        self.document_threshold = add_threshold
        self._preds = [
            PairPrediction(c, d, float(p), *doc.meta[(c, d)]) for (c, d), p in zip(doc.pairs, probs)
        ]

    def predict(self, view):
        return self._preds


def load_docs(folder: Path, skip: set[str]) -> list[_Doc]:
    out = []
    for p in sorted((folder / "documents").glob("*.json")):
        res = document_from_dict(json.loads(p.read_text(encoding="utf-8")))
        if res.article.doc_id in skip:
            continue
        out.append(_Doc(res.article.doc_id, res.article, list(res.mentions)))
    return out


def gold_cid(path: Path) -> dict[str, set[tuple[str, str]]]:
    return {d.pmid: {(norm_id(c), norm_id(z)) for c, z in d.cid} for d in read_pubtator(path)}


def cid_pairs(doc: _Doc, model) -> set[tuple[str, str, str]]:
    """(pmid, chem, disease) of the non-negated adverse drug-disease relations."""
    out = set()
    for r in merge_relations(_document_level(doc.ctx, doc.srels, model)):
        if r.negated or r.relation_class != RelationClass.ADVERSE:
            continue
        if r.subject.type == EntityType.DRUG and r.object.type in _DISEASE_TYPES and r.subject.id and r.object.id:
            out.add((doc.pmid, norm_id(r.subject.id), norm_id(r.object.id)))
    return out


def e2e_f1(docs, probs_per_doc, gold, thr, add_thr):
    pred = set()
    for doc, probs in zip(docs, probs_per_doc):
        pred |= cid_pairs(doc, _Cached(doc, probs, thr, add_thr))
    pmids = {doc.pmid for doc in docs}
    g = {(d, c, z) for d, ps in gold.items() if d in pmids for c, z in ps}
    tp = len(pred & g)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(g) if g else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train-docs", type=Path, required=True)
    ap.add_argument("--dev-docs", type=Path, required=True)
    ap.add_argument("--train", type=Path, required=True)
    ap.add_argument("--dev", type=Path, required=True)
    ap.add_argument("--skip", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--learn-from", choices=["predicted", "gold", "both"], default="both",
                    help="learn from the predicted-mention pairs of train, the gold-mention pairs, or both")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--Cs", default="0.1,0.3,1.0")
    a = ap.parse_args()

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    skip = {ln.strip() for ln in a.skip.read_text().splitlines() if ln.strip().isdigit()}
    gtrain, gdev = gold_cid(a.train), gold_cid(a.dev)
    train = load_docs(a.train_docs, skip)
    dev = load_docs(a.dev_docs, skip)
    X, y = [], []
    for d in train if a.learn_from != "gold" else ():
        for (c, z), f in zip(d.pairs, d.feats):
            X.append(f)
            y.append(1 if (norm_id(c), norm_id(z)) in gtrain.get(d.pmid, set()) else 0)
    n_pred_pairs = len(y)
    if a.learn_from != "predicted":
        for gd in read_pubtator(a.train, skip):
            ix = _Index(gd.view)
            for c, z in candidate_pairs(gd.view):
                X.append(pair_features(gd.view, c, z, ix))
                y.append(1 if (c, z) in gd.cid else 0)
    counts = Counter(k for x in X for k in x)
    keep = {k for k, n in counts.items() if n >= a.min_count}
    X = [{k: v for k, v in x.items() if k in keep} for x in X]
    vec = DictVectorizer(sparse=True)
    M = vec.fit_transform(X)
    print(f"train docs={len(train)} pairs={len(y)} (predicted {n_pred_pairs}) pos={sum(y)} features={len(keep)}")
    best = None
    for C in (float(c) for c in a.Cs.split(",")):
        clf = LogisticRegression(C=C, max_iter=3000, solver="lbfgs")
        clf.fit(M, y)
        probs = [clf.predict_proba(vec.transform(d.feats))[:, 1] if d.feats else [] for d in dev]
        for thr in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45):
            for add in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
                if add < thr:
                    continue
                f, p, r = e2e_f1(dev, probs, gdev, thr, add)
                if best is None or f > best[0] + 1e-9:
                    best = (f, p, r, C, thr, add, clf)
            print(f"C={C} thr={thr} best so far F1={best[0]:.4f} (C={best[3]} thr={best[4]} add={best[5]})", flush=True)
    f, p, r, C, thr, add, clf = best
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 6) for n, w in zip(names, clf.coef_[0]) if abs(w) > 1e-6}
    model = RelationModel(
        weights=weights,
        intercept=round(float(clf.intercept_[0]), 6),
        threshold=thr,
        add_threshold=add,
        card={
            "task": "BC5CDR chemical-induced disease (document level)",
            "trained_on": "BC5CDR training set (CDR_TrainingSet.PubTator.txt), " + _SOURCES[a.learn_from],
            "excluded_pmids": "do_not_train.txt",
            "n_train_docs": len(train),
            "n_train_pairs": len(y),
            "selection": "C, threshold and add_threshold by end-to-end CID F1 of the relation stage "
            "on the BC5CDR development set with predicted mentions (training/relations/tune_e2e.py)",
            "C": C,
            "dev_end_to_end": {"P": round(p, 4), "R": round(r, 4), "F1": round(f, 4)},
            "citation": "Li J et al., BioCreative V CDR task corpus, Database 2016; Wei CH et al., "
            "Overview of the BioCreative V CDR Task, 2015",
            "license": "BC5CDR is a US Government work (public domain)",
        },
    )
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(model.to_dict(), indent=0) + "\n", encoding="utf-8")
    print(f"dev end to end: C={C} thr={thr} add={add} P={p:.3f} R={r:.3f} F1={f:.3f}")


if __name__ == "__main__":
    main()
