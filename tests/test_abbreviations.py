"""Abbreviations defined once apply to the whole article."""

from __future__ import annotations

import re

import pytest

from extractor.abbreviations import (
    Abbreviation,
    apply_abbreviations,
    find_abbreviations,
)
from extractor.config import Settings
from extractor.lexicon import load_lexicon
from extractor.model import Article, EntityType, Mention, Sentence
from extractor.ner import build_pipeline, find_mentions
from extractor.normalize import Linker


def make_article(text: str, doc_id: str = "t") -> Article:
    """An Article whose sentences are split at '. ' before a capital."""
    sents, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z0-9(])", text):
        sents.append(Sentence(start, m.start(), "Body", 1))
        start = m.end()
    sents.append(Sentence(start, len(text), "Body", 1))
    return Article(doc_id=doc_id, source="", format="text", title="", text=text, sentences=tuple(sents))


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(Settings(fast=True))


def by_text(mentions, text):
    return [m for m in mentions if m.text == text]


def test_definition_found(nlp):
    text = "Patients with amyotrophic lateral sclerosis (ALS) were enrolled. ALS progressed."
    abbrs = find_abbreviations(text, nlp)
    assert [(a.short, a.long) for a in abbrs] == [("ALS", "amyotrophic lateral sclerosis")]
    a = abbrs[0]
    assert text[a.short_start : a.short_end] == "ALS"
    assert text[a.long_start : a.long_end] == "amyotrophic lateral sclerosis"


def test_short_form_takes_long_form_concept_across_paragraphs(nlp):
    text = (
        "Complex regional pain syndrome (CRPS) is hard to treat.\n\n"
        "In a second paragraph, CRPS patients received gabapentin. CRPS improved."
    )
    ms = find_mentions(make_article(text), nlp, Settings(fast=True))
    crps = by_text(ms, "CRPS")
    assert len(crps) == 3
    assert {(m.type, m.id) for m in crps} == {(EntityType.CONDITION, "MESH:D020918")}
    assert all(m.sentence >= 0 for m in crps)


def test_short_form_inside_long_form(nlp):
    text = "Memantine blocks the N-methyl-D-aspartate (NMDA) receptor in neurons."
    ms = find_mentions(make_article(text), nlp, Settings(fast=True))
    whole = [m for m in ms if m.text == "N-methyl-D-aspartate (NMDA) receptor"]
    assert len(whole) == 1 and whole[0].id == "MESH:D016194"
    assert whole[0].type == EntityType.MECHANISM
    # nothing else overlaps it
    assert not [m for m in ms if m is not whole[0] and m.start < whole[0].end and whole[0].start < m.end]


def test_other_drug_abbreviation(nlp):
    text = "Valproic acid (VPA) was given. VPA levels were measured; VPA caused hepatotoxicity."
    ms = find_mentions(make_article(text), nlp, Settings(fast=True))
    vpa = by_text(ms, "VPA")
    assert len(vpa) == 3
    assert {m.id for m in vpa} == {"MESH:D014635"}
    assert all(m.type == EntityType.DRUG for m in vpa)


def test_abbreviation_meaning_something_else_drops_dictionary_hits(nlp):
    # "ALL" is a leukaemia abbreviation in the lexicon, but here it is defined otherwise
    text = "We used the Adaptive Learning Loop (ALL) for scheduling. ALL ran nightly."
    ms = find_mentions(make_article(text), nlp, Settings(fast=True))
    assert by_text(ms, "ALL") == []


def test_overlapping_abbreviations_do_not_crash_or_duplicate(nlp):
    text = (
        "Tumor necrosis factor alpha (TNF-alpha) and tumor necrosis factor (TNF) rose. "
        "TNF-alpha and TNF were measured in chronic pain (CP) and CP (chronic pain) patients. "
        "Nonsteroidal anti-inflammatory drugs (NSAIDs (NSAID)) were avoided."
    )
    ms = find_mentions(make_article(text), nlp, Settings(fast=True))
    spans = [(m.start, m.end) for m in ms]
    assert len(spans) == len(set(spans))
    for a, b in zip(ms, ms[1:]):
        assert a.end <= b.start
    assert all(m.text == text[m.start : m.end] for m in ms)


def test_apply_keeps_unrelated_mentions():
    linker = Linker(load_lexicon())
    text = "Gabapentin (GBP) helps. GBP and morphine."
    gbp = Mention(0, 10, "Gabapentin", EntityType.DRUG, "MESH:D000077206", "Gabapentin", 0, "ner")
    morphine = Mention(32, 40, "morphine", EntityType.DRUG, "MESH:D009020", "Morphine", 1, "ner")
    ab = Abbreviation("GBP", "Gabapentin", 12, 15, 0, 10)
    out = apply_abbreviations(text, [gbp, morphine], [ab], linker, [0, 24])
    got = sorted((m.start, m.text, m.id, m.sentence) for m in out)
    assert got == [
        (0, "Gabapentin", "MESH:D000077206", 0),
        (12, "GBP", "MESH:D000077206", 0),
        (24, "GBP", "MESH:D000077206", 1),
        (32, "morphine", "MESH:D009020", 1),
    ]


def test_repeated_definition_sites(nlp):
    text = (
        "Memantine blocks the N-methyl-D-aspartate (NMDA) receptor. "
        "In the discussion, the N-methyl-D-aspartate (NMDA) receptor is described again."
    )
    ms = find_mentions(make_article(text), nlp, Settings(fast=True))
    whole = [m for m in ms if m.text == "N-methyl-D-aspartate (NMDA) receptor"]
    assert len(whole) == 2
    assert {m.id for m in whole} == {"MESH:D016194"}


def test_unlinked_long_form_with_a_mention_inside_still_defines(nlp):
    """"sodium zorbitrate (SZB)": the long form is no lexicon term but holds
    a Drug mention; every SZB is that Drug, not dropped."""
    text = "Rats received sodium zorbitrate (SZB) daily. SZB reduced seizures."
    ms = find_mentions(make_article(text), nlp, Settings(fast=True))
    szb = by_text(ms, "SZB")
    assert len(szb) == 2 and {m.type for m in szb} == {EntityType.DRUG}


def test_propagate_surface_forms_unit():
    from extractor.abbreviations import propagate_surface_forms

    text = "Cisplatin and ALS. Cisplatin-based, cisplatin, Cisplatin, ALS."
    ms = [
        Mention(0, 9, "Cisplatin", EntityType.DRUG, "MESH:D002945", "Cisplatin", 0, "ner"),
        Mention(14, 17, "ALS", EntityType.CONDITION, "MESH:D000690", "ALS", 0, "ner"),
        Mention(47, 56, "Cisplatin", EntityType.DRUG, "MESH:D002945", "Cisplatin", 1, "lexicon"),
    ]
    out = propagate_surface_forms(text, ms, [0, 19])
    new = sorted((m.start, m.text, m.source) for m in out if m not in ms)
    # exact surface only, never inside a hyphenated word, never over a mention, no acronyms
    assert new == []
    out = propagate_surface_forms(text, ms[:2], [0, 19])
    new = sorted((m.start, m.text, m.source, m.sentence) for m in out if m not in ms)
    assert new == [(47, "Cisplatin", "consistency", 1)]


def test_definition_letter_matching_misses_is_found_after_a_linked_mention(nlp):
    # "CSA" has no "a" in cyclosporine and "(DEN: ...)" carries a dose: the
    # letter-matching detector misses both; the linked mention before them decides
    text = (
        "Rats received cyclosporine (CSA) and diethylnitrosamine (DEN: 10 mg/kg/day). "
        "CSA raised creatinine. DEN caused hepatic nodules."
    )
    ms = find_mentions(make_article(text), nlp, Settings(fast=True))
    got = {(m.text, m.id) for m in ms if m.text in ("CSA", "DEN")}
    assert ("CSA", "MESH:D016572") in got
    assert ("DEN", "MESH:D004052") in got


def test_mention_definitions_unit():
    from extractor.abbreviations import mention_definitions

    text = "isoproterenol (ISPH) and then (n = 7) and saline (0.9%)"
    iso = Mention(0, 13, "isoproterenol", EntityType.DRUG, "MESH:D007545", "Isoproterenol", 0, "ner")
    sal = Mention(40, 46, "saline", EntityType.DRUG, "MESH:D012965", "Sodium Chloride", 0, "ner")
    found = mention_definitions(text, [iso, sal])
    assert [(a.short, a.long, text[a.short_start : a.short_end]) for a in found] == [
        ("ISPH", "isoproterenol", "ISPH")
    ]
    # an unlinked mention or a first-letter mismatch defines nothing
    other = Mention(0, 13, "isoproterenol", EntityType.DRUG, None, "isoproterenol", 0, "ner")
    assert mention_definitions(text, [other]) == []
    assert mention_definitions("haloperidol (XYZ)", [
        Mention(0, 11, "haloperidol", EntityType.DRUG, "MESH:D006220", "Haloperidol", 0, "ner")]) == []


def test_singular_of_a_plural_short_form_follows_its_definition(nlp):
    """A text that defines "SNPs" as polymorphisms does not read its "SNP"
    as the drug the lexicon knows by that abbreviation, and the long form
    (a plural noun holding a chemical word) is no Drug."""
    text = "We genotyped single nucleotide polymorphisms (SNPs) in 300 patients. The C35322T SNP was frequent."
    ms = find_mentions(make_article(text), nlp, Settings(fast=True))
    assert [m.text for m in ms if m.text in ("SNP", "SNPs", "single nucleotide polymorphisms")] == []
    text = "Selective serotonin reuptake inhibitors (SSRIs) were stopped. One SSRI caused hyponatremia."
    ms = find_mentions(make_article(text), nlp, Settings(fast=True))
    (plural,), (singular,) = by_text(ms, "SSRIs"), by_text(ms, "SSRI")
    assert plural.id is not None and (singular.id, singular.type) == (plural.id, plural.type)
