"""Claim assembly: typed binary relations to n-ary claims.

Input: an :class:`~extractor.model.Article` (sections, paragraphs,
sentences), its :class:`~extractor.model.Mention` records and its merged
:class:`~extractor.model.Relation` records (each with one
:class:`~extractor.model.Evidence` per supporting sentence).

Output: :class:`~extractor.model.Claim` records, drug - mechanism - condition -
outcome (+ adverse). A paragraph states one finding about a drug, so the
relations of one drug in one paragraph (same polarity) become one claim whose
slots gather the relations' objects; relations whose evidence has no paragraph
become one claim per sentence. Evidence in back matter (references,
acknowledgements, funding ...) is not a claim of the article. Each claim keeps

- ``text``: a representative sentence, quoted verbatim: the supporting
  sentence that names the most of the claim's objects, the shortest on ties;
- ``hedged``: every supporting relation is hedged; ``negated``: the relations
  are negated (negated and affirmed statements are separate claims);
- ``evidence``: one record per supporting sentence, its citations (or, when
  the sentence cites nothing, its paragraph's citations);
- ``claim_id``: :func:`extractor.dedup.claim_id_for`, a content hash of
  :meth:`~extractor.model.Claim.key`.

Claims are not merged here: restatements across sections and documents are
folded by :func:`extractor.dedup.merge_claims`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import replace
from typing import Sequence

from extractor.dedup import claim_id_for, is_back_matter
from extractor.model import (
    Article,
    Claim,
    Entity,
    EntityType,
    Evidence,
    Mention,
    Relation,
    RelationClass,
)

__all__ = ["SLOT_OF_CLASS", "SLOT_OF_TYPE", "build_claims", "slot_for"]

log = logging.getLogger(__name__)

#: Claim slot filled by the object of a relation of each class.
SLOT_OF_CLASS: dict[RelationClass, str] = {
    RelationClass.TREATS: "condition",
    RelationClass.MECHANISM: "mechanism",
    RelationClass.OUTCOME: "outcome",
    RelationClass.ADVERSE: "adverse",
}

#: Claim slot of an object by entity type (``association`` relations).
SLOT_OF_TYPE: dict[EntityType, str] = {
    EntityType.MECHANISM: "mechanism",
    EntityType.TARGET: "mechanism",
    EntityType.CONDITION: "condition",
    EntityType.OUTCOME: "outcome",
    EntityType.ADVERSE_EFFECT: "adverse",
}

_OBJECT_SLOTS = ("mechanism", "condition", "outcome", "adverse")


def slot_for(relation: Relation) -> str | None:
    """The claim slot that the object of ``relation`` fills, or None.

    Examples
    --------
    >>> from extractor.model import Entity, EntityType, Relation, RelationClass
    >>> d = Entity("aspirin", None, EntityType.DRUG)
    >>> o = Entity("headache", None, EntityType.CONDITION)
    >>> slot_for(Relation(d, "treats", RelationClass.TREATS, o))
    'condition'
    >>> slot_for(Relation(d, "associated", RelationClass.ASSOCIATION, o))
    'condition'
    """
    slot = SLOT_OF_CLASS.get(relation.relation_class)
    return slot if slot is not None else SLOT_OF_TYPE.get(relation.object.type)


def _oriented(relation: Relation) -> Relation | None:
    """``relation`` with the drug as subject, or None when no drug is in it."""
    if relation.subject.type == EntityType.DRUG:
        return relation
    if relation.object.type == EntityType.DRUG:
        return replace(relation, subject=relation.object, object=relation.subject)
    return None


def _paragraph_citations(article: Article) -> dict[tuple[str, int], tuple[str, ...]]:
    return {(s.name, p.index): p.citations for s in article.sections for p in s.paragraphs}


def build_claims(
    article: Article, mentions: Sequence[Mention], relations: Sequence[Relation]
) -> list[Claim]:
    """Assemble the n-ary claims of one article from its relations.

    Parameters
    ----------
    article : Article
        The article (its sections give paragraph citations).
    mentions : sequence of Mention
        Its mentions (accepted for the pipeline contract; the relations
        already carry the entities).
    relations : sequence of Relation
        Its relations, merged or not; only evidence of this article is used.

    Returns
    -------
    list of Claim
        One claim per (paragraph, drug, polarity) with at least one object,
        sorted by position of first evidence, then id. Not yet merged.

    Examples
    --------
    >>> from extractor.model import Entity, EntityType, Evidence, Relation, RelationClass
    >>> d = Entity("aspirin", None, EntityType.DRUG)
    >>> s1 = "Aspirin treats headache."
    >>> s2 = "Aspirin inhibits cyclooxygenase and may cause gastric bleeding."
    >>> art = Article("a", "a.txt", "text", "", s1 + " " + s2)
    >>> ev1 = Evidence("a", "Results", 1, s1, 0, len(s1))
    >>> ev2 = Evidence("a", "Results", 1, s2, len(s1) + 1, len(s1) + 1 + len(s2))
    >>> rels = [
    ...     Relation(d, "treats", RelationClass.TREATS, Entity("headache", None, EntityType.CONDITION), evidence=(ev1,)),
    ...     Relation(d, "inhibits", RelationClass.MECHANISM, Entity("cyclooxygenase", None, EntityType.MECHANISM), evidence=(ev2,)),
    ...     Relation(d, "causes", RelationClass.ADVERSE, Entity("gastric bleeding", None, EntityType.ADVERSE_EFFECT),
    ...              hedged=True, evidence=(ev2,))]
    >>> [c] = build_claims(art, [], rels)
    >>> [e.name for e in c.condition], [e.name for e in c.mechanism], [e.name for e in c.adverse]
    (['headache'], ['cyclooxygenase'], ['gastric bleeding'])
    >>> c.text == s2, len(c.evidence)
    (True, 2)
    """
    para_cites = _paragraph_citations(article)
    units: dict[tuple, list[tuple[Relation, Evidence]]] = defaultdict(list)
    skipped = 0
    for rel in relations:
        r = _oriented(rel)
        slot = slot_for(r) if r is not None else None
        if r is None or slot is None:
            skipped += 1
            continue
        for ev in r.evidence:
            if (ev.doc_id and ev.doc_id != article.doc_id) or is_back_matter(ev.section):
                continue
            unit = (ev.section, ev.paragraph) if ev.paragraph >= 1 else (ev.section, -1 - ev.start)
            units[(unit, r.subject.key(), r.negated)].append((r, ev))
    if skipped:
        log.debug("%s: %d relations without a drug or a claim slot", article.doc_id, skipped)

    claims: list[Claim] = []
    for (unit, _drug, negated), items in units.items():
        drugs: dict[str, Entity] = {}
        slots: dict[str, dict[str, Entity]] = {s: {} for s in _OBJECT_SLOTS}
        per_sentence: dict[tuple, set[str]] = defaultdict(set)
        evidence: dict[tuple, Evidence] = {}
        for r, ev in items:
            drugs.setdefault(r.subject.key(), r.subject)
            slot = slot_for(r)
            slots[slot].setdefault(r.object.key(), r.object)
            span = (ev.start, ev.end)
            per_sentence[span].add(r.object.key())
            if span not in evidence:
                cites = ev.citations or (para_cites.get(unit, ()) if unit[1] >= 1 else ())
                evidence[span] = replace(ev, doc_id=ev.doc_id or article.doc_id, citations=tuple(cites))
        best = min(evidence, key=lambda sp: (-len(per_sentence[sp]), sp[1] - sp[0], sp))
        claim = Claim(
            claim_id="",
            text=evidence[best].sentence,
            drug=tuple(drugs[k] for k in sorted(drugs)),
            hedged=all(r.hedged for r, _ev in items),
            negated=negated,
            evidence=tuple(evidence[sp] for sp in sorted(evidence)),
            **{s: tuple(v[k] for k in sorted(v)) for s, v in slots.items()},
        )
        claims.append(replace(claim, claim_id=claim_id_for(claim)))
    claims.sort(key=lambda c: (c.evidence[0].start, c.evidence[0].end, c.claim_id))
    log.debug("%s: %d claims from %d relations", article.doc_id, len(claims), len(relations))
    return claims
