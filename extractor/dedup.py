"""De-duplication: paragraphs that restate each other, claims that say the same.

Two stages of the pipeline live here.

:func:`group_paragraphs`
    Input: an :class:`~extractor.model.Article` (sections with paragraphs), its
    :class:`~extractor.model.Mention` records and its
    :class:`~extractor.model.Claim` records. Output: groups of paragraphs,
    each a sorted tuple of ``(section name, paragraph index)``, that state the
    same content (``paragraph_groups`` of ``documents/<doc_id>.json``).

    Paragraphs of different sections are compared with three content signals:
    TF-IDF cosine over stemmed content words, TF-IDF cosine over character
    4-grams (robust to paraphrase and inflection), and IDF-weighted cosine over
    the concept keys of the paragraph's mentions and claims; a shared citation
    adds a small bonus, but neither citations nor paragraph order are needed.
    Each pair of sections is matched one-to-one (Hungarian assignment via
    :func:`scipy.optimize.linear_sum_assignment`); an assigned pair is kept when
    its score clears an absolute threshold and stands out from both
    paragraphs' other candidates. Pairs are then joined greedily, best first,
    into groups that hold at most one paragraph per section, so a summary
    paragraph that restates many others cannot glue different groups together.

:func:`merge_claims`
    Input: claims of one or many documents, in any order. Output: one claim
    per :meth:`~extractor.model.Claim.key`, evidence merged, deduplicated and
    sorted; then claims of the same drug(s) whose slot concept sets nearly
    agree (Jaccard >= :data:`NEAR_DUPLICATE_JACCARD`) are folded together.
    Candidate pairs come from blocking by drug key plus deletion
    neighbourhoods of the concept sets (exact for Jaccard; a prefix-filter
    join for the rare very large sets), so the cost grows near-linearly with
    the number of claims; no all-pairs comparison. The output (claims, ids, order) does
    not depend on the input order.
"""

from __future__ import annotations

import logging
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from extractor.memory import gc_paused
from extractor.model import Article, Claim, Entity, Evidence, Mention, content_hash
from extractor.similarity_join import similar_components

__all__ = [
    "NEAR_DUPLICATE_JACCARD",
    "PARAGRAPH_MATCH_THRESHOLD",
    "group_paragraphs",
    "merge_claims",
    "claim_id_for",
    "content_tokens",
    "is_back_matter",
]

log = logging.getLogger(__name__)

#: Slot-concept Jaccard from which two claims of the same drug are one claim.
NEAR_DUPLICATE_JACCARD = 0.75
#: Combined paragraph score from which an assigned pair restates content.
PARAGRAPH_MATCH_THRESHOLD = 0.38
#: An assigned pair must beat each paragraph's next-best candidate by this.
PARAGRAPH_MATCH_MARGIN = 0.05
#: Paragraphs with fewer distinct content stems are never grouped.
MIN_PARAGRAPH_STEMS = 8

_SLOTS = ("drug", "mechanism", "condition", "outcome", "adverse")

#: Section names of back matter whose paragraphs are not article content.
_BACK_MATTER = re.compile(
    r"^(references?|bibliography|acknowledge?ments?|conflicts? of interests?|"
    r"competing interests?|funding|author contributions?|abbreviations|"
    r"data availability|ethics.*|supplementary.*|disclosures?)$",
    re.I,
)

#: Sections that are headings, not paragraphs that could restate one another.
_HEADINGS = re.compile(r"^(title|keywords?|running title)$", re.I)

_STOP = frozenset(
    """a about above after again against all also although am among an and any are as at be because been before
    being below between both but by can could did do does doing down during each either etc few for from further
    had has have having he her here hers him his how however i if in into is it its itself just may me might more
    most much must my neither no nor not of off often on once only or other our ours out over own per rather same
    she should so some such than that the their theirs them then there these they this those through thus to too
    under until up upon very via was we were what when where which while who whom whose why will with within
    without would yet you your""".split()
)
_WORD = re.compile(r"[^\W\d_][\w\-']*", re.U)
_CITE = re.compile(r"\[\d+(?:\s*[,\u2013-]\s*\d+)*\]")
_SUFFIXES = (
    "ational", "ization", "fulness", "iveness", "ousness", "ations", "nesses",
    "ation", "ments", "ities", "ingly", "ively", "ional", "ness", "ment",
    "ings", "ible", "able", "ance", "ence", "ists", "ized", "izes", "ated",
    "ates", "ity", "ive", "ize", "ing", "ist", "ism", "ies", "ied", "ate",
    "ous", "ful", "ial", "al", "ed", "er", "ly", "es", "s", "e", "y",
)


def is_back_matter(section_name: str) -> bool:
    """True for sections that hold no article content (references, funding ...).

    Examples
    --------
    >>> is_back_matter("References"), is_back_matter("Conflict of Interest"), is_back_matter("Results")
    (True, True, False)
    """
    return bool(_BACK_MATTER.match(section_name.strip()))


def _is_body(section_name: str) -> bool:
    """True for sections whose paragraphs may restate each other."""
    return not (is_back_matter(section_name) or _HEADINGS.match(section_name.strip()))


def _stem(word: str) -> str:
    """Light suffix stripping, then truncation to 7 characters.

    Examples
    --------
    >>> _stem("desensitization") == _stem("desensitize")
    True
    >>> _stem("infusions") == _stem("infusion")
    True
    """
    w = word.casefold().strip("-'")
    if w.endswith("'s"):
        w = w[:-2]
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    return w[:7]


def content_tokens(text: str) -> list[str]:
    """Stems of the content words of ``text`` (citations and stop words out).

    Examples
    --------
    >>> content_tokens("The infusions reduced opioid requirements [3].")
    ['infusio', 'reduc', 'opioid', 'require']
    """
    out = []
    for w in _WORD.findall(_CITE.sub(" ", text)):
        for part in w.split("-"):
            p = part.casefold().strip("'")
            if len(p) > 2 and p not in _STOP:
                out.append(_stem(p))
    return out


def _char_grams(tokens: Sequence[str], n: int = 4) -> list[str]:
    grams = []
    for t in tokens:
        padded = f"_{t}_"
        if len(padded) <= n:
            grams.append(padded)
        else:
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def _tfidf(docs: Sequence[Counter], *, smooth: bool = True):
    """L2-normalised TF-IDF rows (sublinear tf) as a CSR matrix.

    With ``smooth`` the idf is ``log((1+n)/(1+df)) + 1``; without it a term
    present in every row weighs nothing (rows may then be all zero).
    """
    from scipy.sparse import csr_matrix

    n = len(docs)
    df: Counter = Counter()
    for d in docs:
        df.update(d.keys())
    vocab = {t: i for i, t in enumerate(sorted(df))}
    rows, cols, vals = [], [], []
    for r, d in enumerate(docs):
        vec = [
            (vocab[t], (1.0 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + (1.0 if smooth else 0.0)))
            for t, c in d.items()
        ]
        norm = math.sqrt(sum(v * v for _, v in vec)) or 1.0
        for j, v in vec:
            if v <= 0.0:
                continue
            rows.append(r)
            cols.append(j)
            vals.append(v / norm)
    return csr_matrix((vals, (rows, cols)), shape=(n, max(len(vocab), 1)))


@dataclass(frozen=True, slots=True)
class _ParagraphFeatures:
    """Feature rows (sparse TF-IDF matrices) of the paragraphs of one article."""

    keys: list  # (section, index) per row
    words: object
    chars: object
    concepts: object
    has_concepts: object
    citations: list
    n_stems: list

    def scores(self, rows_a: Sequence[int], rows_b: Sequence[int]):
        """Combined content scores of paragraphs ``rows_a`` x ``rows_b``.

        Lexical signals (stem TF-IDF cosine and character 4-gram TF-IDF
        cosine) carry half the weight each; when both paragraphs have
        informative concepts (not named in every paragraph), concept cosine
        takes a quarter of the score; a shared
        citation adds 0.1. Scores lie in [0, 1.1].
        """
        import numpy as np

        wa, wb = self.words[rows_a], self.words[rows_b]
        ca, cb = self.chars[rows_a], self.chars[rows_b]
        lex = 0.5 * (wa @ wb.T).toarray() + 0.5 * (ca @ cb.T).toarray()
        con = (self.concepts[rows_a] @ self.concepts[rows_b].T).toarray()
        both = np.outer(self.has_concepts[rows_a], self.has_concepts[rows_b])
        score = np.where(both, 0.75 * lex + 0.25 * con, lex)
        for i, ra in enumerate(rows_a):
            if self.citations[ra]:
                for j, rb in enumerate(rows_b):
                    if self.citations[ra] & self.citations[rb]:
                        score[i, j] += 0.1
        return score


def _paragraph_features(
    article: Article, mentions: Sequence[Mention], claims: Sequence[Claim]
) -> _ParagraphFeatures:
    """Build the feature rows of every body paragraph of ``article``."""
    import numpy as np

    spans = []
    for sec in article.sections:
        if not _is_body(sec.name):
            continue
        for p in sec.paragraphs:
            spans.append((sec.name, p.index, p.start, p.end, p.citations))
    concept_sets: list[set[str]] = [set() for _ in spans]
    bounds = sorted((s[2], s[3], i) for i, s in enumerate(spans))
    starts = [b[0] for b in bounds]
    for m in mentions:
        k = bisect_right(starts, m.start) - 1
        if k >= 0 and m.start < bounds[k][1]:
            concept_sets[bounds[k][2]].add(m.entity().key())
    where = {(s[0], s[1]): i for i, s in enumerate(spans)}
    for c in claims:
        keys = {e.key() for slot in _SLOTS for e in getattr(c, slot)}
        for ev in c.evidence:
            i = where.get((ev.section, ev.paragraph))
            if i is not None and ev.doc_id in ("", article.doc_id):
                concept_sets[i] |= keys
    toks = [content_tokens(article.text[s[2] : s[3]]) for s in spans]
    # a concept named in every paragraph (the article's drug) says nothing
    concepts = _tfidf([Counter(c) for c in concept_sets], smooth=False)
    return _ParagraphFeatures(
        keys=[(s[0], s[1]) for s in spans],
        words=_tfidf([Counter(t) for t in toks]),
        chars=_tfidf([Counter(_char_grams(t)) for t in toks]),
        concepts=concepts,
        has_concepts=np.asarray(concepts.getnnz(axis=1) > 0, dtype=bool),
        citations=[frozenset(s[4]) for s in spans],
        n_stems=[len(set(t)) for t in toks],
    )


def _section_pairs(feats: _ParagraphFeatures) -> list[tuple[float, tuple[str, int], tuple[str, int]]]:
    """One-to-one matches between every two sections, with their scores."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    by_sec: dict[str, list[int]] = defaultdict(list)
    for row, (sec, _idx) in enumerate(feats.keys):
        if feats.n_stems[row] >= MIN_PARAGRAPH_STEMS:
            by_sec[sec].append(row)
    names = sorted(by_sec)
    found = []
    for i, sa in enumerate(names):
        for sb in names[i + 1 :]:
            ra, rb = by_sec[sa], by_sec[sb]
            sim = feats.scores(ra, rb)
            rows, cols = linear_sum_assignment(-sim)
            for r, c in zip(rows.tolist(), cols.tolist()):
                s = float(sim[r, c])
                if s < PARAGRAPH_MATCH_THRESHOLD:
                    continue
                rival = max(np.delete(sim[r], c).max(initial=0.0), np.delete(sim[:, c], r).max(initial=0.0))
                if s - float(rival) < PARAGRAPH_MATCH_MARGIN:
                    continue
                found.append((s, feats.keys[ra[r]], feats.keys[rb[c]]))
    return found


def group_paragraphs(
    article: Article, mentions: Sequence[Mention], claims: Sequence[Claim]
) -> list[tuple[tuple[str, int], ...]]:
    """Group the paragraphs of ``article`` that state the same content.

    Parameters
    ----------
    article : Article
        The article, with sections and paragraphs.
    mentions : sequence of Mention
        Its mentions (their concept keys are one signal; may be empty).
    claims : sequence of Claim
        Its claims before merging (their evidence paragraphs and concept
        keys are one signal; may be empty).

    Returns
    -------
    list of tuple of (str, int)
        Groups of ``(section name, paragraph index)``, each sorted by
        section position in the article then index, the groups sorted by
        their first member. A paragraph repeating nothing is in no group; a
        paragraph is in at most one group; a group holds at most one
        paragraph per section.

    Examples
    --------
    >>> from extractor.model import Article, Section, Paragraph
    >>> a_txt = "Aspirin inhibits cyclooxygenase enzymes and reduces platelet aggregation in stroke patients today."
    >>> b_txt = "In stroke patients, aspirin reduces platelet aggregation by inhibiting the cyclooxygenase enzymes."
    >>> text = a_txt + "\\n\\n" + b_txt
    >>> art = Article("d", "d.txt", "text", "", text, sections=(
    ...     Section("Introduction", 0, len(a_txt), (Paragraph(1, 0, len(a_txt)),)),
    ...     Section("Discussion", len(a_txt) + 2, len(text), (Paragraph(1, len(a_txt) + 2, len(text)),))))
    >>> group_paragraphs(art, [], [])
    [(('Introduction', 1), ('Discussion', 1))]
    """
    body = {s.name for s in article.sections if s.paragraphs and _is_body(s.name)}
    if len(body) < 2:
        return []  # pairs are only made across sections (an abstract alone has none)
    pairs = _section_pairs(_paragraph_features(article, mentions, claims))
    order = {s.name: i for i, s in enumerate(article.sections)}
    # best pairs first; ties broken by position for determinism
    pairs.sort(key=lambda t: (-round(t[0], 9), order[t[1][0]], t[1][1], order[t[2][0]], t[2][1]))
    group_of: dict[tuple[str, int], int] = {}
    groups: dict[int, set[tuple[str, int]]] = {}
    next_id = 0
    for _score, kx, ky in pairs:
        gx, gy = group_of.get(kx), group_of.get(ky)
        mx = groups[gx] if gx is not None else {kx}
        my = groups[gy] if gy is not None else {ky}
        if {s for s, _ in mx} & {s for s, _ in my}:
            continue  # would put two paragraphs of one section in a group
        for g in {gx, gy} - {None}:
            del groups[g]
        groups[next_id] = mx | my
        for k in mx | my:
            group_of[k] = next_id
        next_id += 1
    result = [tuple(sorted(g, key=lambda k: (order.get(k[0], 1 << 30), k[0], k[1]))) for g in groups.values()]
    result.sort(key=lambda g: [(order.get(s, 1 << 30), s, i) for s, i in g])
    log.debug("%s: %d paragraph groups from %d candidate pairs", article.doc_id, len(result), len(pairs))
    return result


# ------------------------------------------------------------------ claims


def claim_id_for(claim: Claim) -> str:
    """The content-hash id of ``claim`` (from :meth:`Claim.key`, never random).

    Examples
    --------
    >>> from extractor.model import Entity, EntityType
    >>> c = Claim("", "t", drug=(Entity("aspirin", None, EntityType.DRUG),))
    >>> claim_id_for(c) == claim_id_for(replace(c, text="other"))
    True
    """
    return _id_of_key(claim.key())


def _id_of_key(key: tuple) -> str:
    parts = ["|".join(slot) for slot in key[:-1]]
    return "c" + content_hash(*parts, "negated" if key[-1] else "", length=12)


def _evidence_order(e: Evidence) -> tuple:
    return (*e.sort_key(), e.section, e.paragraph, e.citations, e.sentence_index, e.reader)


def _pick(counter: Counter):
    """Most common value, ties broken by the smallest string form."""
    if len(counter) == 1:
        return next(iter(counter))
    return min(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]


def _canonical(c: Claim, key: tuple) -> bool:
    """True when ``c`` already has sorted unique slots and sorted unique evidence."""
    for n, slot in enumerate(_SLOTS):
        if tuple(e.key() for e in getattr(c, slot)) != key[n]:
            return False
    ev = c.evidence
    return all(_evidence_order(a) < _evidence_order(b) for a, b in zip(ev, ev[1:]))


def _fold(members: Sequence[Claim], key: tuple | None = None) -> Claim:
    """One claim from ``members`` (same ``key``, or near-duplicates when
    ``key`` is None): slot concepts united, names by vote, evidence merged
    and sorted, id from the key."""
    if len(members) == 1 and key is not None and _canonical(members[0], key):
        c = members[0]
        cid = _id_of_key(key)
        return c if c.claim_id == cid else replace(c, claim_id=cid)
    slots: dict[str, tuple[Entity, ...]] = {}
    for slot in _SLOTS:
        names: dict[str, Counter] = defaultdict(Counter)
        types: dict[str, Counter] = defaultdict(Counter)
        ids: dict[str, str | None] = {}
        for c in members:
            weight = max(len(c.evidence), 1)
            for e in getattr(c, slot):
                k = e.key()
                names[k][e.name] += weight
                types[k][e.type] += weight
                ids[k] = e.id
        slots[slot] = tuple(Entity(_pick(names[k]), ids[k], _pick(types[k])) for k in sorted(names))
    if len(members) == 1 and len(members[0].evidence) <= 1:
        evidence = members[0].evidence
    else:
        evidence = tuple(sorted(set(e for c in members for e in c.evidence), key=_evidence_order))

    def richness(c: Claim) -> tuple:
        n = sum(len(getattr(c, s)) for s in _SLOTS)
        return (-n, len(c.text) if c.text else 1 << 30, c.text)

    text = min(members, key=richness).text if len(members) > 1 else members[0].text
    if key is None:
        key = replace(members[0], **slots).key()
    return Claim(
        claim_id=_id_of_key(key),
        text=text,
        hedged=all(c.hedged for c in members),
        negated=members[0].negated,
        evidence=evidence,
        **slots,
    )


def _fold_by_key(claims: Iterable[Claim]) -> tuple[list[Claim], list[tuple]]:
    """Claims folded per key, in the order of their ids (input-order free),
    and their keys."""
    by_key: dict[tuple, list[Claim]] = defaultdict(list)
    for c in claims:
        by_key[c.key()].append(c)
    # tuples compare the keys only when two ids collide
    ordered = sorted((_id_of_key(k), k) for k in by_key)
    return [_fold(by_key[k], k) for _id, k in ordered], [k for _id, k in ordered]


def _concept_tokens(key: tuple) -> frozenset[str]:
    """(slot, concept) tokens of the non-drug slots of a claim key."""
    return frozenset(f"{n}\x1f{k}" for n in range(1, len(_SLOTS)) for k in key[n])


def _near_duplicate_components(keys: Sequence[tuple], threshold: float) -> list[list[int]]:
    """Indices of claim ``keys`` grouped by near-duplicate slot concept sets:
    blocked by (drug keys, negated), joined exactly on the Jaccard of their
    (slot, concept) sets by :func:`~extractor.similarity_join.similar_components`."""
    return similar_components([_concept_tokens(k) for k in keys], [(k[0], k[-1]) for k in keys], threshold)


def merge_claims(claims: Iterable[Claim], *, threshold: float = NEAR_DUPLICATE_JACCARD) -> list[Claim]:
    """One claim per key over sections and documents, near-duplicates folded.

    Parameters
    ----------
    claims : iterable of Claim
        Claims of one or many documents, in any order.
    threshold : float, optional
        Jaccard similarity of the (slot, concept) sets from which two claims
        about the same drug(s), both negated or both not, are one claim.
        ``1.0`` keeps exact-key merging only.

    Returns
    -------
    list of Claim
        No two with the same :meth:`Claim.key`; each claim's evidence is the
        union of its restatements' evidence, deduplicated and sorted;
        ``claim_id`` is :func:`claim_id_for`; sorted by first evidence, then
        id. The same claims, ids and order for any input order.

    Examples
    --------
    >>> from extractor.model import Entity, EntityType, Evidence
    >>> d = Entity("aspirin", None, EntityType.DRUG)
    >>> pain = Entity("pain", None, EntityType.CONDITION)
    >>> a = Claim("", "Aspirin eases pain.", drug=(d,), condition=(pain,),
    ...           evidence=(Evidence("x", "Introduction", 1, "Aspirin eases pain.", 0, 19),))
    >>> b = replace(a, evidence=(Evidence("y", "Results", 2, "Aspirin eases pain.", 5, 24),))
    >>> [len(c.evidence) for c in merge_claims([a, b])]
    [2]
    """
    with gc_paused():  # many small acyclic objects: the collector's passes only cost
        return _merge_claims(claims, threshold)


def _merge_claims(claims: Iterable[Claim], threshold: float) -> list[Claim]:
    exact, keys = _fold_by_key(claims)
    merged = exact
    if threshold < 1.0 and len(exact) > 1:
        comps = _near_duplicate_components(keys, threshold)
        folded = [_fold([exact[i] for i in comp]) for comp in comps if len(comp) > 1]
        if folded:
            # a union of slots may equal the key of a claim outside its component
            by_key: dict[tuple, list[Claim]] = defaultdict(list)
            for comp in comps:
                if len(comp) == 1:
                    by_key[keys[comp[0]]].append(exact[comp[0]])
            for c in folded:
                by_key[c.key()].append(c)
            merged = [v[0] if len(v) == 1 else _fold(v, k) for k, v in by_key.items()]
    merged.sort(key=lambda c: (_evidence_order(c.evidence[0]) if c.evidence else (), c.claim_id))
    log.debug("merge_claims: %d exact-key claims, %d after near-duplicate merging", len(exact), len(merged))
    return merged
