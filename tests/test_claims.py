"""Tests of extractor.claims.build_claims."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

from extractor.claims import build_claims
from extractor.dedup import claim_id_for
from extractor.model import Article, Entity, EntityType, Evidence, Paragraph, Relation, RelationClass, Section

FIX = Path(__file__).parent / "fixtures" / "seed_variants"
_spec = importlib.util.spec_from_file_location("seed_articles", FIX / "articles.py")
seed_articles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(seed_articles)


def _seed():
    art = seed_articles.parse_markdown((FIX / "seed.md").read_text(encoding="utf-8"), "seed")
    mentions = seed_articles.lexicon_mentions(art)
    return art, mentions, seed_articles.cooccurrence_relations(art, mentions)


def _names(entities):
    return {e.name for e in entities}


def test_one_claim_per_paragraph_gathering_its_objects():
    art, mentions, relations = _seed()
    claims = build_claims(art, mentions, relations)
    paras = [{(e.section, e.paragraph) for e in c.evidence} for c in claims]
    assert all(len(p) == 1 for p in paras), "a claim comes from one paragraph"
    assert len({frozenset(p) for p in paras}) == len(claims), "one claim per paragraph and drug"
    first = next(c for c, p in zip(claims, paras) if p == {("Introduction", 1)})
    assert _names(first.mechanism) == {"Receptors, N-Methyl-D-Aspartate"}
    assert {"Complex Regional Pain Syndromes", "Neuralgia", "Chronic Pain", "Drug Tolerance"} <= _names(first.condition)
    assert "opioid consumption" in _names(first.outcome)
    assert _names(first.adverse) == {"psychotomimetic effects", "Cardiovascular Diseases"}
    # the paragraph's citation reaches every evidence sentence of its claim
    assert all(e.citations == ("1",) for e in first.evidence)


def test_text_is_a_verbatim_sentence_of_the_claim_and_ids_are_content_hashes():
    art, mentions, relations = _seed()
    claims = build_claims(art, mentions, relations)
    for c in claims:
        assert c.text in {e.sentence for e in c.evidence}
        assert c.text in art.text
        assert c.claim_id == claim_id_for(c)
    shuffled = list(relations)
    random.Random(3).shuffle(shuffled)
    assert build_claims(art, list(reversed(mentions)), shuffled) == claims


def test_back_matter_gives_no_claim():
    art, mentions, relations = _seed()
    claims = build_claims(art, mentions, relations)
    assert not {e.section for c in claims for e in c.evidence} & {"References", "Acknowledgement"}
    assert any("Ketamine" in art.text[p.start : p.end] for s in art.sections if s.name == "References" for p in s.paragraphs)


D1 = Entity("aspirin", "MESH:D001241", EntityType.DRUG)
D2 = Entity("clopidogrel", "MESH:D000077144", EntityType.DRUG)
STROKE = Entity("stroke", "MESH:D020521", EntityType.CONDITION)
BLEED = Entity("bleeding", "MESH:D006470", EntityType.ADVERSE_EFFECT)
COX = Entity("cyclooxygenase", None, EntityType.MECHANISM)


def _article():
    s1 = "Aspirin and clopidogrel prevent stroke [4]."
    s2 = "Aspirin did not cause bleeding."
    s3 = "Aspirin inhibits cyclooxygenase."
    text = f"{s1} {s2}\n\n{s3}"
    p1 = Paragraph(1, 0, len(s1) + 1 + len(s2), ("4",))
    p2 = Paragraph(2, p1.end + 2, len(text))
    art = Article("a", "a.txt", "text", "T", text, sections=(Section("Results", 0, len(text), (p1, p2)),))
    ev = [
        Evidence("a", "Results", 1, s1, 0, len(s1), ("4",)),
        Evidence("a", "Results", 1, s2, len(s1) + 1, p1.end),
        Evidence("a", "Results", 2, s3, p2.start, p2.end),
    ]
    return art, ev


def test_drugs_polarity_and_orientation():
    art, ev = _article()
    rels = [
        Relation(D1, "prevents", RelationClass.TREATS, STROKE, hedged=True, evidence=(ev[0],)),
        # drug as object: oriented to the drug
        Relation(STROKE, "treated_by", RelationClass.ASSOCIATION, D2, evidence=(ev[0],)),
        Relation(D1, "causes", RelationClass.ADVERSE, BLEED, negated=True, evidence=(ev[1],)),
        Relation(D1, "inhibits", RelationClass.MECHANISM, COX, evidence=(ev[2],)),
        # no drug in it: no claim
        Relation(STROKE, "associated", RelationClass.ASSOCIATION, BLEED, evidence=(ev[1],)),
    ]
    claims = build_claims(art, [], rels)
    by = {(c.drug[0].name, c.negated, c.evidence[0].paragraph): c for c in claims}
    assert set(by) == {("aspirin", False, 1), ("clopidogrel", False, 1), ("aspirin", True, 1), ("aspirin", False, 2)}
    assert by[("aspirin", False, 1)].hedged and not by[("aspirin", False, 2)].hedged
    assert by[("clopidogrel", False, 1)].condition == (STROKE,)
    neg = by[("aspirin", True, 1)]
    assert neg.adverse == (BLEED,) and neg.evidence[0].citations == ("4",)
    assert by[("aspirin", False, 2)].mechanism == (COX,)


def test_evidence_of_other_documents_is_ignored_and_sentence_units_without_paragraph():
    art, ev = _article()
    other = Evidence("zzz", "Results", 1, "x", 0, 1)
    loose = Evidence("a", "Abstract", 0, ev[2].sentence, ev[2].start, ev[2].end)
    rels = [
        Relation(D1, "inhibits", RelationClass.MECHANISM, COX, evidence=(other, loose)),
    ]
    [c] = build_claims(art, [], rels)
    assert [e.doc_id for e in c.evidence] == ["a"] and c.text == ev[2].sentence
