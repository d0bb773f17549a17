"""CID priors learned from BC5CDR train, and their out-of-fold versions.

The priors (:class:`extractor.relation_priors.CidPriors`) count, over the
training documents, how often a (chemical, disease) pair is a CID pair when
both occur, and how often a chemical / a disease takes part in a CID pair of
a document where it occurs. A model trained on the same documents would
learn to trust them too much (every training pair is its own prior), so the
training features use OUT-OF-FOLD priors: the documents are split into
``k`` folds by PMID (``int(pmid) % k``) and a document's prior features come
from the other folds only. At inference the priors of the whole training
set are used.

Only BC5CDR train (without do_not_train.txt PMIDs) may be passed here.
"""

from __future__ import annotations

from collections.abc import Sequence

from pubtator import GoldDoc

from extractor.relation_priors import CidPriors

__all__ = ["doc_counts", "build_priors", "fold_of", "oof_priors"]

#: Number of folds of the out-of-fold priors.
N_FOLDS = 5


def doc_counts(d: GoldDoc) -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """(chemical ids, disease ids, CID pairs) of a gold document."""
    chems = {i for m in d.view.mentions if m.kind == "chem" for i in m.ids}
    dis = {i for m in d.view.mentions if m.kind == "dis" for i in m.ids}
    return chems, dis, set(d.cid)


def build_priors(docs: Sequence[GoldDoc], card: dict | None = None) -> CidPriors:
    """Priors of all ``docs`` (sorted by PMID, so the result is stable)."""
    return CidPriors.build([doc_counts(d) for d in sorted(docs, key=lambda d: d.pmid)], card=card)


def fold_of(pmid: str, k: int = N_FOLDS) -> int:
    """The fold of a document (PMID modulo ``k``)."""
    return int(pmid) % k if pmid.isdigit() else sum(map(ord, pmid)) % k


def oof_priors(docs: Sequence[GoldDoc], k: int = N_FOLDS) -> dict[str, CidPriors]:
    """For every PMID of ``docs``: the priors of the documents of the other folds."""
    by_fold = [build_priors([d for d in docs if fold_of(d.pmid, k) != f]) for f in range(k)]
    return {d.pmid: by_fold[fold_of(d.pmid, k)] for d in docs}
