"""Train the chemical-induced-disease model shipped as extractor/data/relation_model.json.

Data: BC5CDR TRAINING set only (PMIDs in do_not_train.txt skipped); the
decision threshold is tuned on the BC5CDR development set (gold mentions).
BioRED and any test split are never read here.

Usage::

    python training/relations/train_cid.py \
        --train /work/shared/data/bc5cdr/CDR_TrainingSet.PubTator.txt \
        --dev /work/shared/data/bc5cdr/CDR_DevelopmentSet.PubTator.txt \
        --skip /work/shared/data/do_not_train.txt \
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

from extractor.relation_model import RelationModel, _Index, candidate_pairs, pair_features  # noqa: E402


def featurize(docs):
    X, y, keys = [], [], []
    for d in docs:
        ix = _Index(d.view)
        for c, z in candidate_pairs(d.view):
            X.append(pair_features(d.view, c, z, ix))
            y.append(1 if (c, z) in d.cid else 0)
            keys.append((d.pmid, c, z))
    return X, y, keys


def f1_at(probs, y, n_gold, thr):
    tp = sum(1 for p, t in zip(probs, y) if p >= thr and t)
    pred = sum(1 for p in probs if p >= thr)
    prec = tp / pred if pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    return (2 * prec * rec / (prec + rec) if prec + rec else 0.0), prec, rec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, required=True)
    ap.add_argument("--dev", type=Path, required=True)
    ap.add_argument("--skip", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--add-threshold", type=float, default=0.5,
                    help="threshold for document-level relations added on top of sentence-level ones; "
                         "0.5 was best on BC5CDR dev (gold mentions) over 0.28/0.4/0.5/0.6 with "
                         "eval_pubtator.py (0.539/0.553/0.556/0.557)")
    a = ap.parse_args()

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    skip = {ln.strip() for ln in a.skip.read_text().splitlines() if ln.strip().isdigit()}
    train = read_pubtator(a.train, skip)
    dev = read_pubtator(a.dev, skip)
    Xtr, ytr, _ = featurize(train)
    Xdv, ydv, _ = featurize(dev)
    counts = Counter(k for x in Xtr for k in x)
    keep = {k for k, n in counts.items() if n >= a.min_count}
    Xtr = [{k: v for k, v in x.items() if k in keep} for x in Xtr]
    vec = DictVectorizer(sparse=True)
    Mtr = vec.fit_transform(Xtr)
    Mdv = vec.transform(Xdv)
    # gold CID pairs of dev, including those whose concepts no gold mention carries
    n_gold_dev = sum(len(d.cid) for d in dev)
    best = None
    for C in (0.1, 0.3, 1.0, 3.0):
        clf = LogisticRegression(C=C, max_iter=3000, solver="lbfgs")
        clf.fit(Mtr, ytr)
        probs = clf.predict_proba(Mdv)[:, 1]
        for thr in [i / 100 for i in range(10, 80)]:
            f, p, r = f1_at(probs, ydv, n_gold_dev, thr)
            if best is None or f > best[0] + 1e-9:
                best = (f, p, r, C, thr, clf)
    f, p, r, C, thr, clf = best
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 6) for n, w in zip(names, clf.coef_[0]) if abs(w) > 1e-6}
    model = RelationModel(
        weights=weights,
        intercept=round(float(clf.intercept_[0]), 6),
        threshold=thr,
        add_threshold=a.add_threshold,
        card={
            "task": "BC5CDR chemical-induced disease (document level)",
            "trained_on": "BC5CDR training set (CDR_TrainingSet.PubTator.txt), gold mentions",
            "excluded_pmids": "do_not_train.txt",
            "n_train_docs": len(train),
            "n_train_pairs": len(ytr),
            "threshold_tuned_on": "BC5CDR development set, gold mentions",
            "C": C,
            "dev_gold_mentions": {"P": round(p, 4), "R": round(r, 4), "F1": round(f, 4)},
            "citation": "Li J et al., BioCreative V CDR task corpus, Database 2016; Wei CH et al., Overview of the BioCreative V CDR Task, 2015",
            "license": "BC5CDR is a US Government work (public domain)",
        },
    )
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(model.to_dict(), indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"train docs={len(train)} pairs={len(ytr)} pos={sum(ytr)} features={len(weights)}")
    print(f"dev (gold mentions) C={C} thr={thr:.2f} P={p:.3f} R={r:.3f} F1={f:.3f}")


if __name__ == "__main__":
    main()
