"""Tests of extractor.dedup: paragraph groups and claim merging."""

from __future__ import annotations

import importlib.util
import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from extractor.claims import build_claims
from extractor.dedup import claim_id_for, group_paragraphs, merge_claims
from extractor.io.jsonio import claim_to_dict
from extractor.model import Article, Claim, Entity, EntityType, Evidence

FIX = Path(__file__).parent / "fixtures" / "seed_variants"
_spec = importlib.util.spec_from_file_location("seed_articles", FIX / "articles.py")
seed_articles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(seed_articles)
EXPECTED = json.loads((FIX / "expected_pairs.json").read_text(encoding="utf-8"))
VARIANTS = sorted(EXPECTED)


def _load(name: str) -> Article:
    return seed_articles.parse_markdown((FIX / name).read_text(encoding="utf-8"), Path(name).stem)


def _pairs(groups) -> set[frozenset]:
    out = set()
    for g in groups:
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                if "Conclusion" not in (g[i][0], g[j][0]):
                    out.add(frozenset((tuple(g[i]), tuple(g[j]))))
    return out


def _expected(name: str) -> set[frozenset]:
    return {frozenset((tuple(a), tuple(b))) for a, b in EXPECTED[name]}


def _check_shape(groups) -> None:
    seen = set()
    for g in groups:
        assert len(g) >= 2
        assert len({s for s, _ in g}) == len(g), f"two paragraphs of one section in {g}"
        assert not seen & set(g), "a paragraph is in two groups"
        seen |= set(g)
    assert groups == sorted(groups, key=lambda g: [({"Introduction": 0, "Description": 1}.get(s, 2), i) for s, i in g])


@pytest.mark.parametrize("name", VARIANTS)
def test_lexical_signal_alone_finds_exactly_the_ten_pairs(name):
    art = _load(name)
    groups = group_paragraphs(art, [], [])
    assert _pairs(groups) == _expected(name)
    _check_shape(groups)


@pytest.mark.parametrize("name", VARIANTS)
def test_with_mentions_and_claims_finds_exactly_the_ten_pairs(name):
    art = _load(name)
    mentions = seed_articles.lexicon_mentions(art)
    claims = build_claims(art, mentions, seed_articles.cooccurrence_relations(art, mentions))
    groups = group_paragraphs(art, mentions, claims)
    assert _pairs(groups) == _expected(name)
    _check_shape(groups)


def test_citations_are_not_needed_and_order_is_not_used():
    plain = group_paragraphs(_load("seed_nocite.md"), [], [])
    shuffled = group_paragraphs(_load("seed_shuffled_nocite.md"), [], [])
    assert len(_pairs(plain)) == len(_pairs(shuffled)) == 10
    assert _pairs(plain) != _pairs(shuffled)  # the matches follow the content, not the position


def _two_section_article(a: str, b: str) -> Article:
    text = "## Introduction\n\n" + a + "\n\n## Discussion\n\n" + b + "\n"
    return seed_articles.parse_markdown(text, "two")


def test_different_topics_sharing_a_drug_are_not_merged():
    a = (
        "Ketamine given as a single subanesthetic infusion produced a rapid antidepressant response "
        "in adults with treatment-resistant major depression, with remission within twenty-four hours "
        "in a third of participants and suicidal ideation falling within hours of dosing [1]."
    )
    b = (
        "In paediatric emergency departments ketamine remains the preferred agent for procedural "
        "sedation during fracture reduction and laceration repair, although vomiting and emergence "
        "reactions occur in a minority of children and airway events are rare [2]."
    )
    art = _two_section_article(a, b)
    mentions = seed_articles.lexicon_mentions(art)
    assert group_paragraphs(art, mentions, []) == []


def test_restated_paragraph_pair_is_merged():
    a = (
        "Intrathecal morphine after caesarean delivery lowered pain scores during the first day and "
        "reduced the need for rescue analgesics, while pruritus and nausea were its common adverse effects."
    )
    b = (
        "After caesarean delivery, intrathecal morphine reduced rescue analgesic needs and lowered first-day "
        "pain scores; its common adverse effects were nausea and pruritus."
    )
    art = _two_section_article(a, b)
    assert group_paragraphs(art, [], []) == [(("Introduction", 1), ("Discussion", 1))]


def test_back_matter_and_short_paragraphs_are_never_grouped():
    art = _load("seed.md")
    groups = group_paragraphs(art, [], [])
    members = {s for g in groups for s, _ in g}
    assert members <= {"Introduction", "Description", "Conclusion"}


def test_grouping_ignores_mention_order():
    art = _load("seed_shuffled.md")
    mentions = seed_articles.lexicon_mentions(art)
    rev = list(reversed(mentions))
    assert group_paragraphs(art, mentions, []) == group_paragraphs(art, rev, [])


# ------------------------------------------------------------------ claims

KET = Entity("ketamine", "MESH:D007649", EntityType.DRUG)
MOR = Entity("morphine", "MESH:D009020", EntityType.DRUG)
NMDA = Entity("NMDA receptor", "MESH:D016194", EntityType.MECHANISM)
CRPS = Entity("CRPS", "MESH:D020918", EntityType.CONDITION)
PAIN = Entity("chronic pain", "MESH:D059350", EntityType.CONDITION)
OPI = Entity("opioid consumption", None, EntityType.OUTCOME)
HAL = Entity("hallucinations", "MESH:D006212", EntityType.ADVERSE_EFFECT)


def _ev(doc, section, para, start, cites=()):
    return Evidence(doc, section, para, f"sentence {doc} {start}", start, start + 10, tuple(cites))


def _claim(drug, evidence, negated=False, **slots):
    c = Claim("", evidence[0].sentence, drug=(drug,), negated=negated, evidence=tuple(evidence), **slots)
    return replace(c, claim_id=claim_id_for(c))


def _corpus():
    return [
        _claim(KET, [_ev("d1", "Introduction", 1, 0, ["1"])], mechanism=(NMDA,), condition=(PAIN,)),
        _claim(KET, [_ev("d1", "Description", 1, 500, ["1"])], mechanism=(NMDA,), condition=(PAIN,)),
        _claim(KET, [_ev("d2", "Results", 3, 40, ["7"])], mechanism=(NMDA,), condition=(PAIN,)),
        # same evidence twice: counted once
        _claim(KET, [_ev("d2", "Results", 3, 40, ["7"])], mechanism=(NMDA,), condition=(PAIN,)),
        _claim(KET, [_ev("d1", "Introduction", 8, 900)], adverse=(HAL,)),
        _claim(KET, [_ev("d1", "Introduction", 9, 990)], adverse=(HAL,), negated=True),
        _claim(MOR, [_ev("d3", "Methods", 2, 10)], mechanism=(NMDA,), condition=(PAIN,)),
        # same concept by id under another name
        _claim(KET, [_ev("d3", "Discussion", 4, 700)], adverse=(replace(HAL, name="Hallucination"),)),
    ]


def test_one_claim_per_key_with_evidence_merged():
    merged = merge_claims(_corpus())
    keys = [c.key() for c in merged]
    assert len(keys) == len(set(keys)) == 4
    nmda = next(c for c in merged if c.drug == (KET,) and c.mechanism)
    assert len(nmda.evidence) == 3
    assert {e.doc_id for e in nmda.evidence} == {"d1", "d2"}
    assert list(nmda.evidence) == sorted(nmda.evidence, key=lambda e: e.sort_key())
    hal = next(c for c in merged if c.adverse and not c.negated)
    assert len(hal.evidence) == 2 and hal.adverse[0].name in ("hallucinations", "Hallucination")
    assert any(c.negated for c in merged), "negated claim kept apart"
    dicts = [claim_to_dict(c) for c in merged]
    assert all(d["evidence_count"] == len(d["evidence"]) for d in dicts)


def test_ids_and_order_do_not_depend_on_input_order():
    base = merge_claims(_corpus())
    for seed in range(5):
        shuffled = _corpus()
        random.Random(seed).shuffle(shuffled)
        again = merge_claims(shuffled)
        assert again == base
    assert [c.claim_id for c in base] == [claim_id_for(c) for c in base]
    assert len({c.claim_id for c in base}) == len(base)


def test_near_duplicates_fold_but_distinct_claims_stay():
    a = _claim(KET, [_ev("d1", "Results", 1, 0)], mechanism=(NMDA,), condition=(PAIN, CRPS), outcome=(OPI,))
    b = _claim(KET, [_ev("d2", "Results", 1, 0)], mechanism=(NMDA,), condition=(PAIN, CRPS), outcome=(OPI,), adverse=(HAL,))
    other = _claim(KET, [_ev("d3", "Results", 1, 0)], condition=(CRPS,), adverse=(HAL,))
    merged = merge_claims([a, b, other])
    assert len(merged) == 2
    big = next(c for c in merged if c.mechanism)
    assert len(big.evidence) == 2 and big.adverse == (HAL,)
    # exact-key merging only when asked
    assert len(merge_claims([a, b, other], threshold=1.0)) == 3
    # another drug is another block
    c = _claim(MOR, [_ev("d4", "Results", 1, 0)], mechanism=(NMDA,), condition=(PAIN, CRPS), outcome=(OPI,))
    assert len(merge_claims([a, c])) == 2


def test_seed_claims_have_unique_keys_after_merging():
    art = _load("seed.md")
    mentions = seed_articles.lexicon_mentions(art)
    claims = build_claims(art, mentions, seed_articles.cooccurrence_relations(art, mentions))
    merged = merge_claims(claims)
    assert len(merged) < len(claims)
    assert len({c.key() for c in merged}) == len(merged)
    assert sum(len(c.evidence) for c in merged) == len({e for c in claims for e in c.evidence})


def _brute_components(claims, t):
    from extractor.dedup import _concept_tokens

    toks = [_concept_tokens(c.key()) for c in claims]
    parent = list(range(len(claims)))

    def root(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            same_block = (claims[i].key()[0], claims[i].negated) == (claims[j].key()[0], claims[j].negated)
            a, b = toks[i], toks[j]
            if same_block and a and b and len(a & b) / len(a | b) >= t - 1e-9:
                parent[max(root(i), root(j))] = min(root(i), root(j))
    return sorted(sorted(i for i in range(len(claims)) if root(i) == r) for r in {root(i) for i in range(len(claims))})


@pytest.mark.parametrize("threshold", [0.75, 0.6])
def test_near_duplicate_candidates_match_brute_force(threshold):
    from extractor.dedup import _fold_by_key, _near_duplicate_components

    rng = random.Random(11)
    pool = [Entity(f"c{k}", f"X:{k}", EntityType.CONDITION) for k in range(30)]
    claims = []
    for n in range(400):
        size = rng.choice([1, 2, 3, 3, 4, 4, 5, 7, 9, 13, 14, 16])
        base = rng.sample(pool[: 8 + size], size)  # overlapping sets, some large
        drug = KET if rng.random() < 0.8 else MOR
        claims.append(_claim(drug, [_ev("d", "Results", 1, n)], condition=tuple(base), negated=rng.random() < 0.1))
    exact, keys = _fold_by_key(claims)
    assert sorted(_near_duplicate_components(keys, threshold)) == _brute_components(exact, threshold)
