"""Learned document-level chemical-induced-disease (CID) relation model.

Input: a document view (text, sentence spans, title length, linked chemical
and disease mentions). Output: for each (chemical id, disease id) pair, the
probability that the document states the chemical induces the disease, plus
a treat-vs-adverse framing judged from cue words around the pair.

The model is a logistic regression over sparse, named features computed from
every mention pair of the two concepts (co-occurrence, token distance, cue
words between and around them, title mentions, frequencies, positions,
intervening chemicals). It was trained on the BC5CDR training set only (see
``training/relations/train_cid.py``) and ships as JSON weights in
``extractor/data/relation_model.json`` (no pickle). Inference needs only the
standard library. The CID priors it can add as features, the second stage
that rescores a document's pairs, and the JSON loading helpers are in
:mod:`extractor.relation_priors` (re-exported here: :class:`CidPriors`,
:func:`doc_features`, :data:`PRIORS_RESOURCE`).

Examples
--------
>>> model = load_relation_model()
>>> model.threshold > 0
True
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

from extractor.cues import ADVERSE, TREAT, Token, find_cues, hedge_for, negation_for, tokenize, tokens_in
from extractor.errors import ModelNotFoundError
from extractor.relation_priors import PRIORS_RESOURCE, CidPriors, doc_features, load_priors, read_json_resource

__all__ = [
    "PairMention",
    "DocView",
    "CidPriors",
    "PairPrediction",
    "RelationModel",
    "pair_features",
    "doc_features",
    "candidate_pairs",
    "framing",
    "framing_cues",
    "simple_sentences",
    "load_relation_model",
    "MODEL_RESOURCE",
    "PRIORS_RESOURCE",
]

log = logging.getLogger(__name__)

#: Package resource holding the shipped weights.
MODEL_RESOURCE = "relation_model.json"

_SENT_RE = re.compile(r"[^.!?]+(?:[.!?]+(?=\s+[A-Z0-9(\[]|\s*$)|$)", re.S)

#: Words that mark a causal / induced-by link (strong CID cues).
_CAUSAL = frozenset(
    "induced induce induces induction caused cause causes causing associated "
    "toxicity toxic nephrotoxicity hepatotoxicity cardiotoxicity ototoxicity neurotoxicity "
    "after following during developed develop produced provoked precipitated related "
    "attributed due secondary receiving treated given administration exposure overdose "
    "intoxication poisoning risk adverse side withdrawal abuse".split()
)
#: Words of a treatment framing.
_THERAPY = frozenset(
    "treatment therapy treat treated effective efficacy prevented prevent prevents "
    "reduced reduce attenuated attenuate protective protects protected improved improve "
    "reversed ameliorated alleviated inhibited blocked antagonized management against".split()
)


#: How many more treatment than adverse cues make a pair "treats".
_FRAMING_MARGIN = 1.0


@dataclass(frozen=True, slots=True)
class PairMention:
    """A linked mention: character span, coarse kind (``chem``/``dis``), ids."""

    start: int
    end: int
    kind: str
    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DocView:
    """What the model sees of a document.

    ``sentences`` are character spans into ``text``; ``title_end`` is the
    character offset where the title ends (0 when there is no title).
    """

    text: str
    sentences: tuple[tuple[int, int], ...]
    title_end: int
    mentions: tuple[PairMention, ...]


@dataclass(frozen=True, slots=True)
class PairPrediction:
    """Model output for one (chemical, disease) pair of a document."""

    chem_id: str
    dis_id: str
    probability: float
    framing: str
    cooccur: tuple[int, ...]
    first_chem_sentence: int
    first_dis_sentence: int
    treat_cues: float = 0.0
    adverse_cues: float = 0.0


@dataclass(frozen=True)
class RelationModel:
    """Logistic-regression weights over named features.

    Parameters
    ----------
    weights : Mapping[str, float]
        Feature name to weight.
    intercept : float
        Bias term.
    threshold : float
        Probability at or above which a pair is predicted related.
    card : Mapping
        Provenance: data, PMIDs excluded, scores on dev.
    add_threshold : float, optional
        Stricter threshold for adding document-level relations on top of the
        sentence-level ones (tuned on BC5CDR dev).
    priors : CidPriors, optional
        Learned (chemical, disease) CID priors; their ``prior_*`` features
        join the pair features when given.
    priors_resource : str, optional
        File name of the priors next to the model (written by
        :meth:`to_dict`, read by :func:`load_relation_model`).
    doc_weights : Mapping[str, float], optional
        Second stage: weights over :func:`doc_features` (how a pair's
        first-stage probability ranks among the document's pairs); when
        given, :meth:`predict` reports the second-stage probability.
    doc_intercept : float
        Bias of the second stage.
    """

    weights: Mapping[str, float]
    intercept: float
    threshold: float
    card: Mapping = field(default_factory=dict)
    add_threshold: float | None = None
    priors: CidPriors | None = None
    priors_resource: str | None = None
    doc_weights: Mapping[str, float] | None = None
    doc_intercept: float = 0.0

    @property
    def document_threshold(self) -> float:
        """Probability from which a pair that no sentence states as adverse
        gets a document-level relation (``add_threshold``, else
        ``threshold``)."""
        return self.threshold if self.add_threshold is None else self.add_threshold

    def probability(self, features: Mapping[str, float]) -> float:
        """First-stage probability that the pair with ``features`` is a CID relation."""
        return _sigmoid(self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in features.items()))

    def rescore(self, pairs: Sequence[tuple[str, str]], probabilities: Sequence[float]) -> list[float]:
        """Second-stage probabilities of a document's ``pairs`` from their
        first-stage ``probabilities`` (unchanged without ``doc_weights``)."""
        if not self.doc_weights:
            return list(probabilities)
        w = self.doc_weights
        return [
            _sigmoid(self.doc_intercept + sum(w.get(k, 0.0) * v for k, v in f.items()))
            for f in doc_features(pairs, probabilities)
        ]

    def predict(self, view: DocView, tokens: Mapping[int, list[Token]] | None = None) -> list[PairPrediction]:
        """Score every candidate pair of ``view`` (sorted by ids).

        ``tokens`` optionally holds :func:`extractor.cues.tokenize` of some
        sentences (index -> tokens of ``view.text[start:end]``, offsets into
        ``view.text``) that the caller already has; the others are tokenized
        when needed.
        """
        out = []
        index = _Index(view, tokens)
        pairs = candidate_pairs(view)
        probs = self.rescore(pairs, [self.probability(pair_features(view, c, d, index, self.priors)) for c, d in pairs])
        for (c, d), prob in zip(pairs, probs):
            cooc = tuple(sorted(set(index.sent_of[c]) & set(index.sent_of[d])))
            treat, adverse = framing_cues(view, c, d, index)
            out.append(
                PairPrediction(
                    chem_id=c,
                    dis_id=d,
                    probability=prob,
                    framing=_frame(treat, adverse),
                    cooccur=cooc,
                    first_chem_sentence=min(index.sent_of[c]),
                    first_dis_sentence=min(index.sent_of[d]),
                    treat_cues=treat,
                    adverse_cues=adverse,
                )
            )
        return out

    def to_dict(self) -> dict:
        """JSON-ready dict (weights sorted by name)."""
        return {
            "type": "RelationModel",
            "version": 1,
            "intercept": self.intercept,
            "threshold": self.threshold,
            "add_threshold": self.add_threshold,
            "priors": self.priors_resource,
            "card": dict(self.card),
            "weights": {k: self.weights[k] for k in sorted(self.weights)},
            "doc_intercept": self.doc_intercept,
            "doc_weights": {k: self.doc_weights[k] for k in sorted(self.doc_weights)} if self.doc_weights else None,
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> "RelationModel":
        """Inverse of :meth:`to_dict`."""
        return cls(
            weights={str(k): float(v) for k, v in d["weights"].items()},
            intercept=float(d["intercept"]),
            threshold=float(d["threshold"]),
            card=dict(d.get("card", {})),
            add_threshold=float(d["add_threshold"]) if d.get("add_threshold") is not None else None,
            priors_resource=str(d["priors"]) if d.get("priors") else None,
            doc_weights={str(k): float(v) for k, v in d["doc_weights"].items()} if d.get("doc_weights") else None,
            doc_intercept=float(d.get("doc_intercept") or 0.0),
        )


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def simple_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans by punctuation (fallback when no segmenter ran).

    Examples
    --------
    >>> simple_sentences("A b. C d.")
    ((0, 4), (5, 9))
    """
    out = []
    for m in _SENT_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


class _SentenceTokens(dict):
    """Tokens of sentence ``i`` of a document, tokenized on first use."""

    def __init__(self, view: DocView, known: Mapping[int, list[Token]] | None = None) -> None:
        super().__init__(known or {})
        self.view = view

    def __missing__(self, si: int) -> list[Token]:
        s, e = self.view.sentences[si]
        toks = tokenize(self.view.text[s:e], offset=s)
        self[si] = toks
        return toks


class _Index:
    """Per-document lookups shared by all pairs (``tokens``: sentence tokens
    the caller already has, see :meth:`RelationModel.predict`)."""

    def __init__(self, view: DocView, tokens: Mapping[int, list[Token]] | None = None) -> None:
        self.view = view
        starts = [s for s, _ in view.sentences]
        self.sent_tokens: dict[int, list[Token]] = _SentenceTokens(view, tokens)
        self.sent_of: dict[str, list[int]] = defaultdict(list)
        self.mentions_of: dict[str, list[PairMention]] = defaultdict(list)
        self.kind_of: dict[str, str] = {}
        self.by_sentence: dict[int, list[PairMention]] = defaultdict(list)
        self.sentence_of_mention: dict[PairMention, int] = {}
        for m in view.mentions:
            si = _bisect(starts, m.start)
            self.by_sentence[si].append(m)
            self.sentence_of_mention[m] = si
            for i in m.ids:
                self.sent_of[i].append(si)
                self.mentions_of[i].append(m)
                self.kind_of.setdefault(i, m.kind)
        counts = {k: len(v) for k, v in self.mentions_of.items()}
        self.count = counts
        self.top = {
            kind: max((counts[i] for i in counts if self.kind_of[i] == kind), default=0)
            for kind in ("chem", "dis")
        }
        self.n_kind = Counter(self.kind_of.values())


def _bisect(starts: Sequence[int], pos: int) -> int:
    """Index of the last start at or before ``pos`` (0 when none)."""
    return max(bisect.bisect_right(starts, pos) - 1, 0)


def candidate_pairs(view: DocView) -> list[tuple[str, str]]:
    """Every (chemical id, disease id) pair of the document, sorted."""
    chems = sorted({i for m in view.mentions if m.kind == "chem" for i in m.ids})
    dis = sorted({i for m in view.mentions if m.kind == "dis" for i in m.ids})
    return [(c, d) for c in chems for d in dis]


def _bucket(n: int) -> str:
    for lim, name in ((2, "0-2"), (5, "3-5"), (10, "6-10"), (20, "11-20")):
        if n <= lim:
            return name
    return "21+"


def _word(t: Token) -> str | None:
    w = t.lower
    if not w[0].isalpha() and w != "-":
        return None
    return w


def _min_gap(a: Sequence[int], b: Sequence[int]) -> int:
    """Smallest ``|x - y|`` over ``x`` in ``a`` and ``y`` in ``b`` (both
    non-empty), in ``O(n log n)``.

    Examples
    --------
    >>> _min_gap([1, 9], [5, 12])
    3
    """
    sb = sorted(set(b))
    best = abs(a[0] - sb[0])
    for x in set(a):
        i = bisect.bisect_left(sb, x)
        if i < len(sb):
            best = min(best, sb[i] - x)
        if i:
            best = min(best, x - sb[i - 1])
    return best


def pair_features(
    view: DocView, chem: str, dis: str, index: "_Index | None" = None, priors: CidPriors | None = None
) -> dict[str, float]:
    """Named features of the (``chem``, ``dis``) pair in ``view`` (plus the
    ``prior_*`` features of ``priors`` when given).

    Examples
    --------
    >>> text = "Drugx induced rash. Rash resolved."
    >>> v = DocView(text, simple_sentences(text), 0,
    ...             (PairMention(0, 5, "chem", ("C1",)), PairMention(14, 18, "dis", ("D1",))))
    >>> f = pair_features(v, "C1", "D1")
    >>> f["cooc"], f["btw:induced"]
    (1.0, 1.0)
    """
    ix = index or _Index(view)
    f: dict[str, float] = {}
    cs, ds = ix.sent_of[chem], ix.sent_of[dis]
    cooc = sorted(set(cs) & set(ds))
    n_sent = max(len(view.sentences), 1)
    f["bias_pair"] = 1.0
    if cooc:
        f["cooc"] = 1.0
        f["cooc_n"] = math.log1p(len(cooc))
        f["cooc_frac_dis"] = len(cooc) / len(set(ds))
    else:
        gap = _min_gap(cs, ds)
        f["no_cooc"] = 1.0
        f["sent_gap_" + ("1" if gap <= 1 else "2" if gap == 2 else "3+")] = 1.0
    c_title = any(m.end <= view.title_end for m in ix.mentions_of[chem])
    d_title = any(m.end <= view.title_end for m in ix.mentions_of[dis])
    if c_title:
        f["chem_in_title"] = 1.0
    if d_title:
        f["dis_in_title"] = 1.0
    if c_title and d_title:
        f["both_in_title"] = 1.0
    f["chem_freq"] = math.log1p(ix.count[chem])
    f["dis_freq"] = math.log1p(ix.count[dis])
    if ix.count[chem] == ix.top["chem"]:
        f["chem_top"] = 1.0
    if ix.count[dis] == ix.top["dis"]:
        f["dis_top"] = 1.0
    f["chem_first_pos"] = min(cs) / n_sent
    f["dis_first_pos"] = min(ds) / n_sent
    f["n_chems"] = math.log1p(ix.n_kind["chem"])
    f["n_dis"] = math.log1p(ix.n_kind["dis"])
    if n_sent - 1 in cooc:
        f["cooc_last_sentence"] = 1.0
    best_dist = None
    for si in cooc:
        toks = ix.sent_tokens[si]
        ms = ix.by_sentence[si]
        cm = [m for m in ms if chem in m.ids]
        dm = [m for m in ms if dis in m.ids]
        for a in cm:
            ta = tokens_in(toks, a.start, a.end)
            for b in dm:
                if a is b:
                    continue
                tb = tokens_in(toks, b.start, b.end)
                first, second = (ta, tb) if ta[0] <= tb[0] else (tb, ta)
                dist = max(0, second[0] - first[1])
                if best_dist is None or dist < best_dist:
                    best_dist = dist
                order = "cd" if ta[0] <= tb[0] else "dc"
                f["order_" + order] = 1.0
                between = toks[first[1] : second[0]]
                if dist <= 10:
                    for t in between:
                        w = _word(t)
                        if w:
                            f["bw_" + order + ":" + w] = 1.0
                    for t in toks[max(0, first[0] - 3) : first[0]]:
                        w = _word(t)
                        if w:
                            f["lw:" + w] = 1.0
                    for t in toks[second[1] : second[1] + 3]:
                        w = _word(t)
                        if w:
                            f["rw:" + w] = 1.0
                if negation_for(toks, first, second) is not None:
                    f["cue_negated"] = 1.0
                if hedge_for(toks, first, second) > 0:
                    f["cue_hedged"] = 1.0
                zone = (max(0, first[0] - 3), min(len(toks), second[1] + 3))
                for c in find_cues(toks, ADVERSE, *zone):
                    f["cue_adv:" + c.label + (":strong" if c.strength >= 1 else "")] = 1.0
                for c in find_cues(toks, TREAT, *zone):
                    if c.strength >= 1:
                        f["cue_treat:" + c.label] = 1.0
                words = {t.lower for t in between}
                for w in words & _CAUSAL:
                    f["btw:" + w] = 1.0
                for w in words & _THERAPY:
                    f["btw_ther:" + w] = 1.0
                if order == "cd" and dist <= 2 and "-" in {t.lower for t in between}:
                    f["hyphen_cd"] = 1.0
                lo_c, hi_c = min(a.end, b.end), max(a.start, b.start)
                if any(m.kind == "chem" and chem not in m.ids and lo_c <= m.start < hi_c for m in ms):
                    f["other_chem_between"] = 1.0
                if any(m.kind == "dis" and dis not in m.ids and lo_c <= m.start < hi_c for m in ms):
                    f["other_dis_between"] = 1.0
    if best_dist is not None:
        f["mindist_" + _bucket(best_dist)] = 1.0
    # conjunctions of salience signals
    if "chem_top" in f and "dis_top" in f:
        f["both_top"] = 1.0
    if "chem_top" in f and d_title:
        f["chem_top_dis_title"] = 1.0
    if c_title and "dis_top" in f:
        f["chem_title_dis_top"] = 1.0
    if cooc and d_title:
        f["cooc_dis_title"] = 1.0
    if cooc and c_title:
        f["cooc_chem_title"] = 1.0
    if priors is not None:
        f.update(priors.features(chem, dis))
    return f


def framing(view: DocView, chem: str, dis: str, index: "_Index | None" = None) -> str:
    """``"treats"`` or ``"adverse"``: how the document frames the pair.

    Counts treatment cues (treatment of, effective in, prevented, attenuated,
    protective ...) against adverse cues (induced, caused, toxicity, side
    effect ...) between and just around the two concepts in the sentences
    where they co-occur; "treats" needs a margin of ``_FRAMING_MARGIN``
    (tuned on BC5CDR dev).

    Examples
    --------
    >>> text = "Drugx effectively prevented rash in mice."
    >>> v = DocView(text, simple_sentences(text), 0,
    ...             (PairMention(0, 5, "chem", ("C1",)), PairMention(28, 32, "dis", ("D1",))))
    >>> framing(v, "C1", "D1")
    'treats'
    """
    return _frame(*framing_cues(view, chem, dis, index))


def _frame(treat: float, adverse: float) -> str:
    return "treats" if treat > adverse + _FRAMING_MARGIN else "adverse"


def framing_cues(view: DocView, chem: str, dis: str, index: "_Index | None" = None) -> tuple[float, float]:
    """Summed strengths of the strong treatment and adverse cues between and
    just around the two concepts in the sentences where they co-occur.

    Examples
    --------
    >>> text = "Drugx prevented rash. Drugx caused rash."
    >>> v = DocView(text, simple_sentences(text), 0,
    ...             (PairMention(0, 5, "chem", ("C1",)), PairMention(16, 20, "dis", ("D1",)),
    ...              PairMention(22, 27, "chem", ("C1",)), PairMention(35, 39, "dis", ("D1",))))
    >>> framing_cues(v, "C1", "D1")
    (1.0, 1.0)
    """
    ix = index or _Index(view)
    cooc = sorted(set(ix.sent_of[chem]) & set(ix.sent_of[dis]))
    treat = adverse = 0.0
    for si in cooc:
        toks = ix.sent_tokens[si]
        ms = ix.by_sentence[si]
        for a in (m for m in ms if chem in m.ids):
            ta = tokens_in(toks, a.start, a.end)
            for b in (m for m in ms if dis in m.ids):
                tb = tokens_in(toks, b.start, b.end)
                lo = max(0, min(ta[0], tb[0]) - 4)
                hi = min(len(toks), max(ta[1], tb[1]) + 3)
                treat += sum(c.strength for c in find_cues(toks, TREAT, lo, hi) if c.strength >= 1.0)
                adverse += sum(c.strength for c in find_cues(toks, ADVERSE, lo, hi) if c.strength >= 1.0)
    return treat, adverse


@lru_cache(maxsize=4)
def load_relation_model(path: Path | None = None) -> RelationModel:
    """Load the relation model (the bundled one by default), once per process.

    The CID priors the model names (``"priors"``: a file name) are loaded
    with it, from the same folder as ``path`` (or the bundled resource).

    Parameters
    ----------
    path : Path, optional
        A JSON model written by ``training/relations/train_cid.py`` or
        ``training/relations/tune_e2e.py``.

    Raises
    ------
    ModelNotFoundError
        When the file (or its priors file) is missing or not a model.
    """
    d = read_json_resource(path, MODEL_RESOURCE, "relation model")
    try:
        model = RelationModel.from_dict(d)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelNotFoundError(
            f"not a relation model ({exc})", path=path or f"extractor/data/{MODEL_RESOURCE}",
            stage="relations", fix="retrain with training/relations/train_cid.py",
        ) from exc
    if model.priors_resource:
        model = replace(model, priors=load_priors(model.priors_resource, path))
    log.debug("relation model: %d weights, threshold %.3f, priors %s",
              len(model.weights), model.threshold, model.priors_resource)
    return model
