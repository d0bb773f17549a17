"""Linking a mention string to a MeSH concept (extractor.normalize)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.lexicon import Lexicon, load_lexicon
from extractor.normalize import ACCEPT, Linker


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(load_lexicon())


def link_id(linker: Linker, text: str, typ: str | None = None) -> str | None:
    c = linker.link(text, ACCEPT[typ] if typ else None)
    return c.id if c else None


@pytest.mark.parametrize(
    "text, typ, mesh",
    [
        ("ketamine", "Drug", "D007649"),
        ("Ketamine's", "Drug", "D007649"),
        ("low-dose ketamine infusions", "Drug", "D007649"),
        ("sub-anesthetic doses of ketamine", "Drug", "D007649"),
        ("intravenous morphine administration", "Drug", "D009020"),
        ("memantine treatment", "Drug", "D008559"),
        ("refractory chronic pain syndromes", "Condition", "D059350"),
        ("recalcitrant chronic pain conditions", "Condition", "D059350"),
        ("acute pain states", "Condition", "D059787"),
        ("acute postoperative pain", "Condition", "D010149"),
        ("neuropathic pain", "Condition", "D009437"),
        ("complex regional pain syndromes", "Condition", "D020918"),
        ("opioid tolerance", "Condition", "D004361"),
        ("N-methyl-D-aspartate receptor", "Mechanism", "D016194"),
        ("mu-opioid receptors", "Mechanism", "D017450"),
        ("COX-2", "Mechanism", "D051546"),
    ],
)
def test_cascade(linker, text, typ, mesh):
    assert link_id(linker, text, typ) == mesh


def test_one_concept_many_surfaces(linker):
    forms = ["ketamine", "Ketamine", "ketamine's", "ketamine infusion", "Ketalar", "ketamine hydrochloride"]
    assert {link_id(linker, f, "Drug") for f in forms} == {"D007649"}


def test_ketamine_wrong_id_trap(linker):
    assert link_id(linker, "ketamine", "Drug") != "D018691"
    assert link_id(linker, "memantine", "Drug") != "D018691"


def test_type_filter(linker):
    # a Chemical mention must not link to a disease
    assert linker.link("hypertension", ACCEPT["Drug"]) is None or linker.link(
        "hypertension", ACCEPT["Drug"]
    ).type != "Condition"
    assert link_id(linker, "hypertension", "Condition") == "D006973"


def test_unknown_strings_stay_unlinked(linker):
    assert linker.link("the quick brown fox") is None
    assert linker.link("") is None
    assert linker.link("患者の痛み") is None


def test_mini_lexicon_fixture():
    lex = Lexicon.from_jsonl(Path(__file__).parent / "fixtures" / "mini_lexicon.jsonl")
    linker = Linker(lex)
    assert linker.link("low-dose gabapentin").id == "D000077206"
    assert linker.link("Namenda therapy").id == "D008559"
    assert linker.link("doses of memantine").name == "Memantine"


@pytest.mark.parametrize(
    "text, generic",
    [("patient-reported outcomes", True), ("treatment response", True), ("outcomes", True),
     ("downstream signaling pathways", True), ("therapy", True), ("effects", True),
     ("opioid consumption", False), ("quality of life", False), ("renal failure", False)],
)
def test_generic_terms(text, generic):
    from extractor.normalize import is_generic

    assert is_generic(text) is generic


@pytest.mark.parametrize(
    "name, target",
    [("Vasoactive Intestinal Peptide", True), ("Glutamate Decarboxylase", True),
     ("Receptors, N-Methyl-D-Aspartate", True), ("Tumor Necrosis Factor-alpha", True),
     ("Parathyroid Hormone", True), ("Adrenal Cortex Hormones", False), ("Thyroid Hormones", False),
     ("Haloperidol", False), ("Glutamic Acid", False), ("Lithium Carbonate", False)],
)
def test_gene_products_are_targets(name, target):
    from extractor.normalize import is_gene_product

    assert is_gene_product(name) is target


@pytest.mark.parametrize(
    "text, typ, ok",
    [("emerges", "Condition", False), ("impairment of", "Condition", False),
     ("visual deficits", "Condition", True), ("hypomagnesemia", "Condition", True),
     ("loreclezole", "Drug", True), ("SKF 38393", "Drug", True), ("California", "Drug", False),
     ("economic", "Drug", False), ("-acid", "Drug", False), ("[Ca(2+)](i", "Drug", False)],
)
def test_entity_shape(text, typ, ok):
    from extractor.normalize import looks_like_entity

    assert looks_like_entity(text, typ) is ok
