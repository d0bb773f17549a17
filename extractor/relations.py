"""Relation stage: typed drug relations, one per supporting sentence.

Input: an :class:`~extractor.model.Article` with sentences and the typed,
linked :class:`~extractor.model.Mention` records of the NER stage.
Output: :class:`~extractor.model.Relation` records with the drug as subject
(one per supporting sentence; :func:`merge_relations` folds them into one per
:meth:`Relation.key`).

How a relation is found
-----------------------
* **Pairs.** In each sentence every Drug mention is paired with every
  Mechanism / Target / Condition / Outcome / AdverseEffect mention. Each
  object keeps the drug(s) that best fit it: near it, not separated from it by
  another drug, not in a comparator role ("compared with X"), not a
  complement of an outcome ("consumption of X"); coordinated drugs
  ("X and Y reduced Z") share it. Coordinated objects ("X, Y and Z") share
  the cues of their list. These roles are judged in
  :mod:`extractor.sentence_roles`.
* **Implicit subjects.** A sentence without a usable drug ("It reduced ...",
  "Studies in this area ...") takes the most recent drug of its paragraph,
  else the section's, else the document's dominant drug (by mention count;
  without an anaphor only when it is named twice as often as any other).
* **Class and predicate** come from cue lexicons (:mod:`extractor.cues`)
  weighted by where the cue stands (inside or next to the object, between the
  pair, around it): mechanism (antagonizes, inhibits, agonizes, modulates,
  acts_through), treats (treats, manages, prevents, investigated_for),
  adverse (causes, risks), outcome with direction (decreases, increases,
  affects), else association.
* **Negation and hedging** per relation (NegEx-style scopes), and a
  confidence in [0, 1] from cue strength, distance, subject resolution and
  hedging.
* **Document level** (:mod:`extractor.relation_document`). For linked drug
  x disease pairs the learned model of :mod:`extractor.relation_model` gates
  adverse readings (below its threshold they become associations, which the
  pipeline reports only with ``--associations``; strongly cued adverse
  effects need 0.4 of it, strongly cued conditions 0.7, an explicit
  "X-induced Y" / "Y due to X" / "X can cause Y" 0.2, and a condition the
  text names an adverse effect, "Y side effects", nothing; negated readings
  are not gated) and adds ``induces`` (adverse)
  or ``treats`` relations supported by the sentences where both occur; a
  pair that no sentence types gets ``treats`` when treatment cues around it
  outweigh adverse ones, and a pair read as adverse is not also reported as
  treated. A relief verb between a drug and a condition ("X reduced Y",
  "Y was attenuated by X") states a treatment. Sentences without a drug
  state a treatment of a condition for the salient drug only through an
  anaphor ("It improved ..."); the salient drug is one named earlier in the
  document, never later.
"""

from __future__ import annotations

import bisect
import logging
from collections import Counter, defaultdict
from typing import Sequence

from extractor.cues import (
    Reading,
    Token,
    confidence_score,
    hedge_for,
    judge_pair,
    negation_for,
    tokenize,
)
from extractor.model import (
    TITLE_SECTION,
    Article,
    Entity,
    EntityType,
    Evidence,
    Mention,
    Relation,
    RelationClass,
)
from extractor.relation_document import DISEASE_TYPES as _DISEASE_TYPES
from extractor.relation_document import apply_document_model
from extractor.relation_merge import merge_relations
from extractor.relation_model import RelationModel
from extractor.relation_model import load_relation_model as _load_model
from extractor.sentence_roles import (
    ANAPHOR_DETERMINERS,
    ANAPHOR_NOUNS,
    ANAPHORS,
    NOT_ANAPHORIC_NEXT,
    SentenceView,
    choose_subjects,
    clause_subject,
    comparator,
    complement_drug,
    coordination_lists,
    for_before,
    list_span,
    modifies_condition,
    object_between,
    population,
    predicate_nominal,
    span_of,
    spared,
)

__all__ = [
    "extract_relations",
    "merge_relations",
    "load_relation_model",
    "sentence_relations",
    "OBJECT_TYPES",
]

log = logging.getLogger(__name__)

#: Mention types that can be the object of a drug relation.
OBJECT_TYPES = frozenset(
    {
        EntityType.MECHANISM,
        EntityType.TARGET,
        EntityType.CONDITION,
        EntityType.OUTCOME,
        EntityType.ADVERSE_EFFECT,
    }
)


def _is_object(m: Mention) -> bool:
    """Objects: the OBJECT_TYPES, and populations linked to a condition
    concept ("opioid-tolerant patients", "diabetic patients")."""
    return m.type in OBJECT_TYPES or (m.type == EntityType.POPULATION and m.id is not None)

#: A sentence without a drug states that the salient drug treats a
#: condition only when an anaphor ("it", "the drug") points to the drug
#: ("Surgery improved PD" is not about the drug of the previous sentence;
#: BioRED dev, gold mentions, typed F1 0.439 -> 0.453, BC5CDR dev and the
#: seed article unchanged).
_IMPLICIT_NEEDS_ANAPHOR = True
#: A treatment reading this weak (only cues outside the pair, such as a verb
#: before a ";") does not stand for "patients with Y": Y says who.
_WEAK_TREATMENT = 0.5
def load_relation_model() -> RelationModel:
    """The shipped CID relation model, loaded once per process (cached)."""
    return _load_model()


# ------------------------------------------------------------------ context


class _Tally:
    """For every prefix of ``items`` ((start, concept key) in text order):
    the key named most (ties: named first in the document, then the key)
    with its count and the count of the runner-up. Built in one pass, so
    that an implicit subject costs a bisection, not a count over the
    document.

    Examples
    --------
    >>> t = _Tally([(0, "a"), (5, "b"), (9, "b")], {"a": 0, "b": 5})
    >>> t.before(0), t.before(6), t.before(10)
    (None, ('a', 1, 1), ('b', 2, 1))
    """

    def __init__(self, items: Sequence[tuple[int, str]], first_seen: dict[str, int]) -> None:
        self.starts = [st for st, _ in items]
        self.best: list[tuple[str, int, int]] = []
        counts: Counter[str] = Counter()
        leader: str | None = None
        runner: str | None = None

        def rank(k: str) -> tuple:
            return (-counts[k], first_seen[k], k)

        for _, k in items:
            counts[k] += 1
            if leader is None:
                leader = k
            elif k != leader:
                if rank(k) < rank(leader):
                    leader, runner = k, leader
                elif runner is None or k == runner or rank(k) < rank(runner):
                    runner = k
            self.best.append((leader, counts[leader], counts[runner] if runner else 0))

    def before(self, pos: int) -> tuple[str, int, int] | None:
        """``(leader, its count, runner-up's count)`` of the items starting before ``pos``."""
        i = bisect.bisect_left(self.starts, pos)
        return self.best[i - 1] if i else None


class _DocContext:
    """Per-document lookups: sentences, mentions, paragraphs, salience."""

    def __init__(self, article: Article, mentions: Sequence[Mention]) -> None:
        self.article = article
        self.sentences = article.sentences
        starts = [s.start for s in self.sentences]
        self.by_sentence: dict[int, list[Mention]] = defaultdict(list)
        for m in mentions:
            si = m.sentence
            if not (0 <= si < len(self.sentences)) or not (
                self.sentences[si].start <= m.start < self.sentences[si].end
            ):
                si = _locate(starts, self.sentences, m.start)
            if si >= 0:
                self.by_sentence[si].append(m)
        for si in self.by_sentence:
            self.by_sentence[si].sort(key=lambda m: (m.start, -m.end, str(m.type), m.id or "", m.text))
        self.paragraph_citations: dict[tuple[str, int], tuple[str, ...]] = {}
        for sec in article.sections:
            for p in sec.paragraphs:
                self.paragraph_citations.setdefault((sec.name, p.index), tuple(p.citations))
        #: (start, concept key) of every usable subject, in text order: of the
        #: document and of each section
        self._drug_starts: list[tuple[int, str]] = []
        self._section_starts: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._first_seen: dict[str, int] = {}
        self._tallies: dict[str | None, _Tally] = {}
        self._entity: dict[str, Entity] = {}
        self.subject_drugs: dict[int, list[Mention]] = {}
        #: tokens of the sentences with mentions (shared with the document model)
        self.tokens: dict[int, list[Token]] = {}
        self._evidence: dict[int, Evidence] = {}
        self._mention_entity: dict[int, Entity] = {}

    def register_subjects(self, si: int, drugs: list[Mention]) -> None:
        """Record the drugs usable as subjects in sentence ``si`` (salience)."""
        self.subject_drugs[si] = drugs
        sec = self.sentences[si].section
        for d in drugs:
            e = self.entity(d)
            k = e.key()
            self._drug_starts.append((d.start, k))
            self._section_starts[sec].append((d.start, k))
            self._first_seen.setdefault(k, d.start)
            self._entity.setdefault(k, e)
        self._tallies.clear()

    def _tally(self, section: str | None) -> "_Tally":
        """The running tally of the section's (or, for None, the document's) subjects."""
        t = self._tallies.get(section)
        if t is None:
            items = self._drug_starts if section is None else self._section_starts.get(section, [])
            t = self._tallies[section] = _Tally(items, self._first_seen)
        return t

    def salient_drug(self, si: int, anaphor: bool = True) -> Entity | None:
        """The drug an implicit subject of sentence ``si`` refers to: the last
        subject of the paragraph so far, else the drug named most in the
        section before it, else the one named most in the document before
        it; without an ``anaphor`` ("it", "the drug") in the sentence, only
        when it is named at least twice as often as any other drug (in a
        review of two drugs, a background section naming neither is about
        neither)."""
        sent = self.sentences[si]
        for j in range(si - 1, -1, -1):
            prev = self.sentences[j]
            if prev.section != sent.section or prev.paragraph != sent.paragraph:
                break
            drugs = self.subject_drugs.get(j) or []
            if drugs:
                return self.entity(drugs[-1])
        for section in (sent.section, None):
            # an implicit subject refers back: drugs named before this sentence only
            best = self._tally(section).before(sent.start)
            if best is not None:
                leader, n_first, n_second = best
                if section is None and not anaphor and n_second and n_first < 2 * n_second:
                    return None
                return self._entity[leader]
        return None

    def evidence(self, si: int) -> Evidence:
        """The evidence of sentence ``si`` (built once per sentence)."""
        ev = self._evidence.get(si)
        if ev is None:
            ev = self._evidence[si] = self._build_evidence(si)
        return ev

    def entity(self, m: Mention) -> Entity:
        """``m.entity()``, built once per mention."""
        e = self._mention_entity.get(id(m))
        if e is None:
            e = self._mention_entity[id(m)] = m.entity()
        return e

    def _build_evidence(self, si: int) -> Evidence:
        s = self.sentences[si]
        cites = tuple(s.citations) or self.paragraph_citations.get((s.section, s.paragraph), ())
        return Evidence(
            doc_id=self.article.doc_id,
            section=s.section,
            paragraph=s.paragraph,
            sentence=self.article.text[s.start : s.end],
            start=s.start,
            end=s.end,
            citations=cites,
            sentence_index=si,
            reader=self.article.format,
        )


def _locate(starts: list[int], sentences, pos: int) -> int:
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and sentences[i].start <= pos < sentences[i].end:
        return i
    return -1


# ------------------------------------------------------------------ sentence level


def sentence_relations(article: Article, mentions: Sequence[Mention]) -> list[Relation]:
    """Sentence-level relations only (no document-level model).

    Parameters
    ----------
    article : Article
        The article, with ``sentences`` filled.
    mentions : Sequence[Mention]
        Its mentions.

    Returns
    -------
    list of Relation
        One relation per (subject, predicate, object, negated) per sentence,
        in document order.
    """
    ctx = _DocContext(article, mentions)
    return [r for r, _ in _sentence_level(ctx)]


def _sentence_level(ctx: _DocContext) -> list[tuple[Relation, Reading]]:
    views: list[SentenceView | None] = []
    for si, s in enumerate(ctx.sentences):
        ms = ctx.by_sentence.get(si, [])
        if not ms:
            views.append(None)
            ctx.register_subjects(si, [])
            continue
        text = ctx.article.text[s.start : s.end]
        sv = SentenceView(si, text, tokenize(text, offset=s.start), ms)
        ctx.tokens[si] = sv.tokens
        views.append(sv)
        objects = [m for m in ms if _is_object(m)]
        drugs = [m for m in ms if m.type == EntityType.DRUG]
        complements = [d for d in drugs if complement_drug(sv, d, objects)]
        if complements and len(drugs) > 1:
            # "the release of glutamate and substance P": the whole list completes the noun
            lists = coordination_lists(sv, s.start, drugs)
            firsts = {id(d) for d in complements}
            complements += [d for d in drugs if id(lists[d][0]) in firsts and d not in complements]
        subj = [d for d in drugs if d not in complements and not comparator(sv, d)]
        nominal = {ctx.entity(d).key() for d in subj if predicate_nominal(sv, d, subj)}
        if nominal:  # "X is a <class> (<ABBR>) ...": neither the class nor its abbreviation
            subj = [d for d in subj if ctx.entity(d).key() not in nominal or d is subj[0]]
        ctx.register_subjects(si, subj)
    out: list[tuple[Relation, Reading]] = []
    for sv in views:
        if sv is None:
            continue
        out.extend(_relations_in(ctx, sv))
    return out


def _relations_in(ctx: _DocContext, sv: SentenceView) -> list[tuple[Relation, Reading]]:
    s = ctx.sentences[sv.index]
    objects = [m for m in sv.mentions if _is_object(m)]
    if not objects:
        return []
    subj = ctx.subject_drugs.get(sv.index, [])
    toks = sv.tokens
    by_type: dict[str, list[Mention]] = defaultdict(list)
    for o in objects:
        by_type["disease" if o.type in _DISEASE_TYPES else str(o.type)].append(o)
    lists: dict[Mention, tuple[Mention, Mention]] = {}
    for group in by_type.values():
        lists.update(coordination_lists(sv, s.start, group))
    coord_drugs = coordination_lists(sv, s.start, subj) if subj else {}
    anchor = (0, 0)
    if not subj:
        for k, t in enumerate(toks):
            if t.lower in ANAPHORS and not (k + 1 < len(toks) and toks[k + 1].lower in NOT_ANAPHORIC_NEXT):
                anchor = (k, k + 1)
                break
            if t.lower in ANAPHOR_DETERMINERS and k + 1 < len(toks) and toks[k + 1].lower in ANAPHOR_NOUNS:
                anchor = (k, k + 2)
                break
    implicit_entity = None if subj else ctx.salient_drug(sv.index, anaphor=anchor != (0, 0))
    if not subj and implicit_entity is None:
        return []
    evidence = ctx.evidence(sv.index)
    out = []
    for o in objects:
        ospan = span_of(sv, o)
        first_m, last_m = lists[o]
        lspan = (span_of(sv, first_m)[0], span_of(sv, last_m)[1])
        pairs: list[tuple[Entity, tuple[int, int], bool]] = []
        if subj:
            for d in choose_subjects(sv, subj, o, coord_drugs):
                first_d, last_d = coord_drugs[d]
                dspan = list_span(sv, span_of(sv, d), span_of(sv, first_d), span_of(sv, last_d), lspan)
                pairs.append((ctx.entity(d), clause_subject(toks, dspan, lspan), False))
        else:
            a = anchor if anchor[1] <= lspan[0] else (0, 0)
            pairs.append((implicit_entity, a, True))
        for ent, dspan, implicit in pairs:
            j = judge_pair(toks, dspan, ospan, lspan, o.type)
            first, second = (dspan, lspan) if dspan[0] <= lspan[0] else (lspan, dspan)
            neg = negation_for(toks, first, second) is not None or spared(toks, o, lspan)
            hedge = hedge_for(toks, first, second)
            dist = max(0, second[0] - first[1])
            pred = j.predicate
            cls = j.cls
            # "avoided in patients with Y": Y says who, whatever else the sentence does
            role = cls == RelationClass.ASSOCIATION and o.type == EntityType.CONDITION and population(toks, lspan)
            if (
                implicit and anchor == (0, 0) and cls == RelationClass.TREATS
                and o.type == EntityType.CONDITION and _IMPLICIT_NEEDS_ANAPHOR
            ):
                continue
            if (
                cls == RelationClass.ADVERSE and o.type in (EntityType.CONDITION, EntityType.ADVERSE_EFFECT)
                and not j.explicit and population(toks, lspan)
            ):
                # "patients with rheumatoid arthritis developed proteinuria after X": who was treated
                cls, pred = RelationClass.ASSOCIATION, "associated_with"
                role = True
            if (
                cls == RelationClass.TREATS and o.type == EntityType.CONDITION and population(toks, lspan)
                and (object_between(sv, objects, dspan, lspan) or j.strength < _WEAK_TREATMENT)
            ):
                # "X reduces pain in cancer patients": pain is treated, cancer says who;
                # so does "X should be avoided in patients with Y" after a distant cue
                cls, pred = RelationClass.ASSOCIATION, "associated_with"
                role = True
            if cls == RelationClass.TREATS and o.type == EntityType.CONDITION and modifies_condition(sv, objects, o):
                # "X for diabetic neuropathic pain": the pain is treated, not diabetes
                cls, pred = RelationClass.ASSOCIATION, "associated_with"
                role = True
            if (
                (cls == RelationClass.ASSOCIATION or (cls == RelationClass.ADVERSE and j.strength < 1.0))
                and o.type == EntityType.CONDITION and not implicit
                and s.section == TITLE_SECTION and for_before(toks, dspan, lspan)
            ):
                # a title's "X for Y", "X versus Z for Y": what X is for (over a weak
                # adverse cue such as "for pain after surgery"; dev splits unchanged)
                cls, pred = RelationClass.TREATS, "treats"
            if cls == RelationClass.ADVERSE and hedge > 0 and pred == "causes":
                pred = "risks"
            out.append((
                Relation(
                    subject=ent,
                    predicate=pred,
                    relation_class=cls,
                    object=ctx.entity(o),
                    negated=neg,
                    hedged=hedge > 0,
                    confidence=confidence_score(j.strength, dist, hedge, implicit),
                    direction=j.direction,
                    evidence=(evidence,),
                ),
                Reading(j.strength, j.explicit, j.named, role),
            ))
    return out


def extract_relations(article: Article, mentions: Sequence[Mention]) -> list[Relation]:
    """Typed drug relations of ``article``, one per supporting sentence.

    Parameters
    ----------
    article : Article
        The article with ``sentences`` filled by the sentence stage.
    mentions : Sequence[Mention]
        Typed, linked mentions of the NER stage.

    Returns
    -------
    list of Relation
        Sentence-level relations (each with exactly one :class:`Evidence`)
        followed by document-level relations of the learned model (evidence:
        the sentences where both concepts occur, else the first sentence of
        each). Pass them to
        :func:`merge_relations`.

    Examples
    --------
    >>> from extractor.model import Sentence
    >>> text = "Drugol reduced seizure frequency."
    >>> art = Article("d", "d.txt", "text", "", text, sentences=(Sentence(0, len(text), "Body", 1),))
    >>> ms = [Mention(0, 6, "Drugol", EntityType.DRUG), Mention(15, 32, "seizure frequency", EntityType.OUTCOME)]
    >>> r = extract_relations(art, ms)[0]
    >>> r.predicate, str(r.direction)
    ('decreases', 'decrease')
    """
    if not article.sentences:
        log.debug("%s: no sentences, no relations", article.doc_id)
        return []
    ctx = _DocContext(article, mentions)
    return apply_document_model(ctx, _sentence_level(ctx), load_relation_model())
