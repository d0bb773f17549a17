"""Document-level pass of the relation stage: the learned CID model over a document.

Input: the per-document context of :mod:`extractor.relations` (sentences,
typed linked mentions, sentence tokens, evidence), the sentence-level
relations with their readings (cue strength, explicit causal construction), and a
:class:`~extractor.relation_model.RelationModel`. Output: the sentence-level
:class:`~extractor.model.Relation` records, with adverse readings of linked
drug-disease pairs that the model does not support demoted to associations,
followed by document-level ``induces`` (adverse) / ``treats`` relations for
the pairs the model relates and no sentence states (their evidence: the
sentences where both concepts occur, else the first sentence of each).

Called by :func:`extractor.relations.extract_relations`; the thresholds
below were tuned on BC5CDR dev and BioRED dev (see their comments).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from extractor.model import Entity, EntityType, Relation, RelationClass
from extractor.relation_model import DocView, PairMention, PairPrediction, RelationModel

if TYPE_CHECKING:
    from extractor.cues import Reading
    from extractor.relations import _DocContext

__all__ = [
    "DISEASE_TYPES",
    "document_view",
    "apply_document_model",
]

#: Mention types of the disease side of a drug-disease pair.
DISEASE_TYPES = frozenset({EntityType.CONDITION, EntityType.ADVERSE_EFFECT})


#: Cue strength of a strongly cued sentence-level reading.
_STRONG_CUE = 1.0
#: Cue strength from which a sentence-level treatment reading is trusted over
#: the document model's "induces" (0.8: a relief verb between the drug and the
#: condition, "X reduced Y", :func:`extractor.cues.judge_pair`).
_TRUSTED_TREATMENT = 0.8
#: Fraction of the model threshold that a strongly cued sentence-level
#: adverse-effect reading must reach to stay adverse (round 2, BC5CDR dev end
#: to end: 0 (no gate) 0.444, 0.5 0.449, 1.0 0.453, 1.0 loses a stated
#: adverse effect of the seed article; round 4, model with CID priors:
#: 0.3 0.496 / BioRED typed 0.390, 0.4 0.498 / 0.390, 0.5 0.498 / 0.383 and
#: 0.5 loses that adverse effect again).
_STRONG_ADVERSE_GATE = 0.4
#: The same fraction for a strongly cued adverse reading of a condition
#: ("X-induced hepatitis"). Round 5, dev splits end to end (BC5CDR CID /
#: BioRED typed): 1.0 (none) 0.494 / 0.450, 0.8 0.500 / 0.445,
#: 0.7 0.504 / 0.452, 0.65 0.504 / 0.451, 0.6 0.500 / 0.451, 0.5 0.497 / 0.449.
_STRONG_CONDITION_GATE = 0.7
#: The fraction for an adverse reading stated by an explicit causal
#: construction, "X-induced Y" or "Y due to X" (round 5, BC5CDR CID / BioRED
#: typed: 1.0 0.499 / 0.459, 0.7 (as other strong cues) 0.503 / 0.458,
#: 0.4 0.504 / 0.465, 0.3 0.505 / 0.469, 0.2 0.505 / 0.469, 0 0.505 / 0.465).
#: Round 6, with "X (can) cause(s) Y" explicit too: 0.3 0.515 / 0.471,
#: 0.2 0.516 / 0.471, 0.1 0.514 / 0.468, 0 0.515 / 0.466. (No gate at all
#: for full-text articles was tried and dropped: a title's "X for pain
#: after surgery" became "X causes postoperative pain".) Round 8: in a
#: full-text article explicit and strongly cued readings, and adverse
#: readings under a safety heading, are not gated (abstracts unchanged by
#: construction): in review probes the model, trained on abstracts, demoted
#: stated harms ("carry boxed warnings for tendinitis": p 0.05-0.09).
_EXPLICIT_CAUSE_GATE = 0.2
#: The fraction for an adverse reading of an object that the text names an
#: adverse effect ("cardiovascular side effects", "adverse events, including
#: hallucinations"; :func:`extractor.cues.named_as_effect`): the sentence
#: says so, the model (trained on abstracts) is not asked. Round 6: rare in
#: abstracts (BC5CDR dev CID 0.514 at 0.3 and at 0, 3 and 5 more pairs, none
#: right; BioRED typed 0.472 at both), common in reviews: the seed rewritten
#: about each of 16 other drugs lost "drug risks cardiovascular disease" for 4
#: of them before (model probability 0.09-0.13 against a gate of 0.14), for 1
#: (--fast, 0.094) at 0.3, for none at 0.
_NAMED_EFFECT_GATE = 0.0


#: A pair below the model's document threshold that no sentence types gets a
#: document-level "treats" when the strong treatment cues around it (in the
#: sentences where both occur, :func:`extractor.relation_model.framing_cues`)
#: outweigh the adverse ones by more than this margin (BioRED dev, gold
#: mentions, typed F1: no rule 0.453, margin 1 0.450, margin 0 0.470); the
#: relation gets a fixed, middling confidence. (The same vote for "induces"
#: lowered BC5CDR dev CID F1 and was left out.)
_DOC_TREATS_MARGIN = 0.0
_DOC_TREATS_CONFIDENCE = 0.5


#: Section headings of an article that name what they list adverse effects.
_SAFETY_SECTION = re.compile(r"safety|adverse|side[ -]effect|tolerab|toxicit|complication|harm", re.IGNORECASE)


def _linked_pair(r: Relation) -> tuple[str, str] | None:
    if r.subject.id and r.object.id and r.object.type in DISEASE_TYPES:
        return r.subject.id, r.object.id
    return None


def document_view(ctx: _DocContext) -> tuple[DocView, dict[tuple[str, str], Entity]] | None:
    """The model's view of the document (linked drug and disease mentions)
    and the entity of each (kind, id); None without both kinds.

    Parameters
    ----------
    ctx : _DocContext
        The per-document context of :mod:`extractor.relations`.

    Returns
    -------
    tuple of (DocView, dict) or None
        The view, and the entity of each ``("chem" | "dis", id)`` (a
        Condition reading of an id wins over an AdverseEffect one).
    """
    article = ctx.article
    pms, ents = [], {}
    for si in sorted(ctx.by_sentence):
        for m in ctx.by_sentence[si]:
            if not m.id:
                continue
            kind = "chem" if m.type == EntityType.DRUG else "dis" if m.type in DISEASE_TYPES else None
            if kind is None:
                continue
            pms.append(PairMention(m.start, m.end, kind, (m.id,)))
            e = m.entity()
            prev = ents.get((kind, m.id))
            if prev is None or (e.type == EntityType.CONDITION and prev.type != EntityType.CONDITION):
                ents[(kind, m.id)] = e
    if not any(p.kind == "chem" for p in pms) or not any(p.kind == "dis" for p in pms):
        return None
    pms.sort(key=lambda p: (p.start, p.end, p.kind, p.ids))
    title_end = len(article.title) if article.title and article.text.startswith(article.title) else 0
    view = DocView(
        text=article.text,
        sentences=tuple((s.start, s.end) for s in ctx.sentences),
        title_end=title_end,
        mentions=tuple(pms),
    )
    return view, ents


def apply_document_model(
    ctx: _DocContext, sentence_rels: list[tuple[Relation, Reading]], model: RelationModel
) -> list[Relation]:
    """Gate sentence-level drug-disease relations with the learned model and
    add document-level ones for related pairs no sentence states.

    Parameters
    ----------
    ctx : _DocContext
        The per-document context of :mod:`extractor.relations` (its sentence
        tokens are shared with the model).
    sentence_rels : list of (Relation, Reading)
        The sentence-level relations, each with its reading: cue strength,
        whether an explicit causal construction states it, whether the text
        names its object an adverse effect.
    model : RelationModel
        The document-level CID model.

    Returns
    -------
    list of Relation
        The sentence-level relations (some demoted to associations) in their
        order, then the document-level ones sorted by (chemical, disease) id.
    """
    built = document_view(ctx)
    rels = [r for r, _ in sentence_rels]
    if built is None:
        return rels
    view, ents = built
    preds = {(p.chem_id, p.dis_id): p for p in model.predict(view, ctx.tokens)}
    out: list[Relation] = []
    stated: dict[tuple[str, str], set[tuple[RelationClass, bool, float]]] = defaultdict(set)
    # a full-text article (with a reference list), not an abstract: the model
    # learned from abstracts, where every co-occurrence is close to the claim
    full_text = len(ctx.article.references) >= 2

    def subjects(si: int) -> set[str]:
        return {d.id for d in ctx.subject_drugs.get(si, ()) if d.id}

    # conditions a sentence gives another role ("in patients with Y"): no
    # drug of it treats them by a vote of the cues around them
    role_objects: set[str] = set()
    for r, (strength, explicit, named, role) in sentence_rels:
        pair = _linked_pair(r)
        p = preds.get(pair) if pair else None
        # the model learned "induces": below its threshold an adverse reading
        # of a linked drug-disease pair is demoted to an association; a
        # strongly cued reading needs only a fraction of it; a negated one
        # ("X did not increase the risk of Y") is kept: the model only
        # learned what drugs do cause
        gate = model.threshold
        if named:
            gate *= _NAMED_EFFECT_GATE
        elif full_text and (
            explicit or strength >= _STRONG_CUE or (r.evidence and _SAFETY_SECTION.search(r.evidence[0].section))
        ):
            # an article states its claims where it cites them: an explicit
            # ("X causes Y") or strongly cued ("X carries warnings for Y")
            # statement, or one under a "Safety" heading, needs no model
            # trained on abstracts
            gate = 0.0
        elif explicit:
            gate *= _EXPLICIT_CAUSE_GATE
        elif strength >= _STRONG_CUE:
            if r.object.type == EntityType.ADVERSE_EFFECT:
                gate *= _STRONG_ADVERSE_GATE
            elif r.object.type == EntityType.CONDITION:
                gate *= _STRONG_CONDITION_GATE
        if p is not None and r.relation_class == RelationClass.ADVERSE and not r.negated and p.probability < gate:
            r = replace(r, predicate="associated_with", relation_class=RelationClass.ASSOCIATION)
        if pair:
            stated[pair].add((r.relation_class, r.negated, strength))
            if role:
                role_objects.add(pair[1])
        out.append(r)
    for key in sorted(preds):
        p = preds[key]
        said = stated.get(key, set())
        if any(neg for _, neg, _ in said):
            continue
        if full_text and not any(p.chem_id in subjects(si) for si in p.cooccur):
            # in an article, a pair never named in one sentence is no claim, and
            # where both occur the drug may be only a comparator or part of
            # another phrase ("compared with propofol", "platinum-based")
            continue
        if p.probability < model.document_threshold:
            # no sentence types the pair: the cues around it in the sentences
            # where both occur may still frame it as a treatment
            typed = any(c in (RelationClass.TREATS, RelationClass.ADVERSE) for c, _, _ in said)
            if (
                p.cooccur and not typed and key[1] not in role_objects and p.treat_cues >= 1.0
                and p.treat_cues > p.adverse_cues + _DOC_TREATS_MARGIN
            ):
                out.append(_document_relation(ctx, ents, p, True, _DOC_TREATS_CONFIDENCE))
            continue
        if any(c == RelationClass.ADVERSE for c, _, _ in said):
            continue  # already stated sentence by sentence
        if any(c == RelationClass.TREATS and cue >= _TRUSTED_TREATMENT for c, _, cue in said):
            continue  # never contradict a sentence that states a treatment
        treats = p.framing == "treats"
        if treats and any(c == RelationClass.TREATS for c, _, _ in said):
            continue  # already stated sentence by sentence
        out.append(_document_relation(ctx, ents, p, treats))
    return _adverse_over_treats(out)


def _adverse_over_treats(rels: list[Relation]) -> list[Relation]:
    """Drop the treatment readings of a drug-disease pair that the document
    also states as adverse (an "X-induced Y" phrase is explicit; the treats
    reading of the same pair comes from weaker cues such as "treatment with
    X"). Measured on the dev splits: of the pairs read both ways, the adverse
    reading is right for 6 of 10 (BioRED) and 53 of 86 (BC5CDR), the
    treatment for 1 of 10 (BioRED)."""
    adverse = {
        pair for r in rels
        if r.relation_class == RelationClass.ADVERSE and not r.negated and (pair := _linked_pair(r))
    }
    if not adverse:
        return rels
    return [
        r for r in rels
        if not (r.relation_class == RelationClass.TREATS and not r.negated and _linked_pair(r) in adverse)
    ]


def _document_relation(
    ctx: _DocContext, ents: dict, p: PairPrediction, treats: bool, confidence: float | None = None
) -> Relation:
    """A document-level ``treats`` / ``induces`` relation of prediction ``p``
    (evidence: the sentences where both occur, else the first of each;
    confidence: the model's probability unless given)."""
    sents = p.cooccur or tuple(sorted({p.first_chem_sentence, p.first_dis_sentence}))
    return Relation(
        subject=ents[("chem", p.chem_id)],
        predicate="treats" if treats else "induces",
        relation_class=RelationClass.TREATS if treats else RelationClass.ADVERSE,
        object=ents[("dis", p.dis_id)],
        confidence=round(p.probability if confidence is None else confidence, 4),
        evidence=tuple(ctx.evidence(si) for si in sents),
    )
