"""Merging of relations: one relation per meaning, with all its evidence.

Input
    :class:`~extractor.model.Relation` records, one per supporting sentence,
    from any number of documents, in any order.
Output
    One relation per :meth:`Relation.key` (subject, predicate, object,
    negated), evidence merged and sorted, in key order: the lines of
    ``triples.jsonl``. Linear in the number of relations (a dict of groups).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from typing import Iterable

from extractor.model import Entity, EntityType, Evidence, Relation, RelationClass  # noqa: F401 (doctest)

__all__ = ["merge_relations"]


def merge_relations(relations: Iterable[Relation]) -> list[Relation]:
    """One relation per :meth:`Relation.key`, evidence merged.

    Evidence is de-duplicated and sorted by :meth:`Evidence.sort_key`;
    ``hedged`` holds only when every piece of evidence was hedged;
    confidences combine by noisy-or; class, direction and names take the
    most frequent value (ties broken by value), so the result does not
    depend on input order. Output is sorted by key.

    Examples
    --------
    >>> e1 = Evidence("d", "S", 1, "a", 0, 1)
    >>> e2 = Evidence("d", "S", 1, "b", 2, 3)
    >>> drug = Entity("x", "MESH:1", EntityType.DRUG)
    >>> cond = Entity("y", "MESH:2", EntityType.CONDITION)
    >>> rs = [Relation(drug, "treats", RelationClass.TREATS, cond, confidence=0.5, evidence=(e,))
    ...       for e in (e2, e1)]
    >>> m = merge_relations(rs)
    >>> len(m), len(m[0].evidence), m[0].confidence
    (1, 2, 0.75)
    """
    relations = _specific_mechanisms(list(relations))
    groups: dict[tuple, list[Relation]] = defaultdict(list)
    for r in relations:
        groups[r.key()].append(r)
    out = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2], k[3])):
        rs = groups[key]
        if len(rs) == 1:  # the common case: nothing to vote on
            r = rs[0]
            out.append(
                Relation(
                    subject=r.subject,
                    predicate=key[1],
                    relation_class=r.relation_class,
                    object=r.object,
                    negated=key[3],
                    hedged=bool(r.hedged),
                    confidence=round(1.0 - (1.0 - min(max(r.confidence, 0.0), 1.0)), 4),
                    direction=r.direction,
                    evidence=tuple(sorted(set(r.evidence), key=_evidence_order)),
                )
            )
            continue
        evidence = sorted({e for r in rs for e in r.evidence}, key=_evidence_order)
        miss = 1.0
        for c in sorted(r.confidence for r in rs):
            miss *= 1.0 - min(max(c, 0.0), 1.0)
        out.append(
            Relation(
                subject=_vote([r.subject for r in rs], lambda e: (e.name, e.id or "", str(e.type))),
                predicate=key[1],
                relation_class=_vote([r.relation_class for r in rs], str),
                object=_vote([r.object for r in rs], lambda e: (e.name, e.id or "", str(e.type))),
                negated=key[3],
                hedged=all(r.hedged for r in rs),
                confidence=round(1.0 - miss, 4),
                direction=_vote([r.direction for r in rs if r.direction is not None], str)
                if any(r.direction is not None for r in rs)
                else None,
                evidence=tuple(evidence),
            )
        )
    return out


#: The mechanism predicate of a sentence that names no action ("X acts
#: through the NMDA receptor"; "through NMDA receptor antagonism").
_GENERIC_MECHANISM = "acts_through"


def _specific_mechanisms(relations: list[Relation]) -> list[Relation]:
    """The generic mechanism predicate of a drug-target pair takes the one
    specific predicate other sentences state for it ("X inhibits COX-2" and
    "X works through COX-2" are one relation, "inhibits"); with several
    specific predicates the generic one stays apart."""
    specific: dict[tuple, set[str]] = defaultdict(set)
    for r in relations:
        if r.relation_class == RelationClass.MECHANISM and r.predicate != _GENERIC_MECHANISM:
            specific[(r.subject.key(), r.object.key(), r.negated)].add(r.predicate)
    if not specific:
        return relations
    out = []
    for r in relations:
        if r.relation_class == RelationClass.MECHANISM and r.predicate == _GENERIC_MECHANISM:
            preds = specific.get((r.subject.key(), r.object.key(), r.negated), ())
            if len(preds) == 1:
                r = replace(r, predicate=next(iter(preds)))
        out.append(r)
    return out


def _evidence_order(e: Evidence) -> tuple:
    return (e.sort_key(), e.section, e.paragraph, e.citations, e.sentence_index, e.reader)


def _vote(values, order):
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], order(v)))
