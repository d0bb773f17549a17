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


@pytest.mark.parametrize(
    "forms, mesh",
    [
        (["sildenafil", "Viagra", "sildenafil citrate"], "D000068677"),  # descriptor "Sildenafil Citrate"
        (["imatinib", "Gleevec"], "D000068877"),  # "Imatinib Mesylate"
        (["quetiapine", "Seroquel"], "D000069348"),  # "Quetiapine Fumarate"
    ],
)
def test_drug_named_by_its_salt_descriptor(linker, forms, mesh):
    """A drug whose MeSH descriptor is named as a salt links to it by its bare name."""
    assert {link_id(linker, f, "Drug") for f in forms} == {mesh}


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
     ("Haloperidol", False), ("Glutamic Acid", False), ("Lithium Carbonate", False),
     ("Troponin I", True), ("Fibrinogen", True), ("Electron Transport Complex IV", True),
     ("Cytochrome P-450 CYP1A2", True), ("Integrins", True), ("Complement C3", True),
     ("Tissue Plasminogen Activator", False), ("Dactinomycin", False), ("Actinomycin D", False),
     ("Ovalbumin", True), ("Connexins", True), ("beta Catenin", True), ("Synaptophysin", True),
     ("Cystic Fibrosis Transmembrane Conductance Regulator", True), ("MicroRNAs", True), ("Codon", True),
     ("Oxycodone", False), ("Physostigmine", False), ("Albuterol", False)],
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


# ------------------------------------------------------------ round 3 normalisations


@pytest.mark.parametrize(
    "text, mesh",
    [
        ("renal disease", "D007674"),  # renal -> kidney: Kidney Diseases
        ("severe renal involvement", "D007674"),
        ("chronic renal disease", "D051436"),  # longest match first: Renal Insufficiency, Chronic
        ("neurological dysfunctions", "D009422"),  # Nervous System Diseases
        ("cerebral lesions", "D001927"),  # Brain Diseases
        ("visual deficits", "D014786"),  # Vision Disorders
        ("hematological abnormalities", "D006402"),
        ("cardiac abnormalities", "D006331"),
        ("psychomotor retardation", "D011596"),  # word kept as is: Psychomotor Disorders
    ],
)
def test_organ_adjective_names_the_organ_disease_category(linker, text, mesh):
    assert link_id(linker, text, "Condition") == mesh


def test_organ_category_only_for_disorder_heads(linker):
    # "renal function" is no disorder; a Drug mention never gets a disease category
    assert link_id(linker, "renal function", "Condition") != "D007674"
    assert link_id(linker, "renal disease", "Drug") is None


@pytest.mark.parametrize(
    "text, parent",
    [
        ("haloperidol decanoate", "D006220"),
        ("doxorubicin HCl", "D004317"),
        ("warfarin sodium", "D014859"),
        ("fluphenazine enanthate", "D005476"),
        ("morphine sulphate", "D009020"),  # British sulph- too
    ],
)
def test_salt_or_ester_without_own_concept_links_to_the_drug(linker, text, parent):
    assert link_id(linker, text, "Drug") == parent


def test_salt_with_own_concept_keeps_it(linker):
    assert link_id(linker, "medroxyprogesterone acetate", "Drug") == "D017258"
    assert link_id(linker, "potassium chloride", "Drug") == "D011189"
    # a salt word alone is no fallback head for an unknown compound
    assert link_id(linker, "zorbitrexyl sulphate", "Drug") is None


def test_disorder_phrase_never_falls_back_to_a_non_disease(linker):
    # Appetite, HIV (the virus) and Wounds and Injuries are not what these name
    assert link_id(linker, "loss of appetite", "Condition") != "D001066"
    assert link_id(linker, "HIV disease", "Condition") != "D006678"
    assert link_id(linker, "bile duct injury", "Condition") != "D014947"


def test_british_ise_and_sulph_spellings_link_like_american(linker):
    from extractor.lexicon import normalize_key

    assert normalize_key("Sensitisation, hospitalised, analysed") == "sensitization hospitalized analyzed"
    assert normalize_key("promise, exercise, otherwise, disease") == "promise exercise otherwise disease"
    assert link_id(linker, "sulphasalazine", "Drug") == link_id(linker, "sulfasalazine", "Drug") is not None


def test_chemical_descriptor_without_synonym_source_is_a_drug():
    from extractor.lexicon_build import qualifier_type

    # MeSH allows "pharmacology" / "administration & dosage" only on chemicals
    assert qualifier_type("Ammonia", {"Q000494", "Q000097"}) == "Drug"
    assert qualifier_type("Lipids", {"Q000494"}) == "Other"  # a plural class name stays Other
    assert qualifier_type("Hip Fractures", {"Q000209", "Q000175"}) == "Other"
    lex = load_lexicon()
    assert [c.type for c in lex.lookup("acrolein")][:1] == ["Drug"]


@pytest.mark.parametrize(
    "text, mesh",
    [
        ("impairment of memory", "D008569"),  # Memory Disorders
        ("loss of hearing", "D034381"),  # Hearing Loss
        ("injury to the kidney", "D007674"),
        ("disorders of the liver", "D008107"),
    ],
)
def test_inverted_disorder_phrase(linker, text, mesh):
    assert link_id(linker, text, "Condition") == mesh


def test_dose_of_phrase_is_not_inverted(linker):
    # "<dose> of X" names X (a drug), not a disorder "X dose"
    assert link_id(linker, "high doses of morphine", "Drug") == "D009020"


def test_protein_concepts_are_not_drug_mentions(linker):
    # "troponin I" names a protein: a Target, never a Drug/Chemical mention
    from extractor.normalize import mention_type

    c = linker.link("troponin I", ACCEPT["Drug"])
    assert c is not None and mention_type(c) == "Target"
    assert mention_type(linker.link("haloperidol", ACCEPT["Drug"])) == "Drug"


def test_chemical_name_parts_are_not_dropped_as_modifiers():
    from extractor.lexicon import Concept

    lex = Lexicon.from_records(
        [Concept("D009705", "Nucleosides", "Drug"), Concept("D011691", "Puromycin", "Drug"),
         Concept("D010649", "Phenylalanine", "Drug"), Concept("D007649", "Ketamine", "Drug"),
         Concept("D059350", "Chronic Pain", "Condition")],
        {},
    )
    linker = Linker(lex)
    # a drug name or an "-yl" radical in front names another compound
    assert linker.link("puromycin nucleosides", ACCEPT["Drug"]) is None
    assert linker.link("formyl-methionyl-leucyl-phenylalanine", ACCEPT["Drug"]) is None
    # dose, route and form words are still dropped
    assert linker.link("intravenous racemic ketamine", ACCEPT["Drug"]).id == "D007649"
    assert linker.link("refractory chronic pain", ACCEPT["Condition"]).id == "D059350"


@pytest.mark.parametrize(
    "text, mesh",
    [("insomnia", "D007319"), ("QT prolongation", "D008133"), ("prolonged QTc interval", "D008133"),
     ("prolongation of the QT interval", "D008133"),
     ("discontinuation syndrome", "D013375"), ("hot flushes", "D019584"), ("peripheral oedema", "D004487"),
     ("teratogenicity", "D000014"), ("hypersensitivity reactions", "D006967")],
)
def test_common_adverse_effect_names_the_sources_lack(fast_extractor, text, mesh):
    """Names of common adverse effects that MeSH has as entry terms but the
    bundled synonym sources lack are found in text and linked (curated
    vocabulary, extractor/data/concepts/conditions.tsv)."""
    from extractor.model import Article, Paragraph, Section

    body = f"Drugol can cause {text} in some patients."
    article = Article("d", "", "text", "", body, sections=(Section("Body", 0, len(body), (Paragraph(1, 0, len(body)),)),))
    mentions = fast_extractor.process(article).mentions
    assert f"MESH:{mesh}" in {m.id for m in mentions}, [(m.text, m.id) for m in mentions]


def test_weight_gain_is_the_mesh_condition_not_the_body_weight_outcome(fast_extractor):
    """BC5CDR and BioRED annotate "weight gain" as the disease concept Weight
    Gain (D015430); "body weight" stays an outcome."""
    from extractor.model import Article, Paragraph, Section

    body = "Drugol causes weight gain. Drugol lowered body weight in rats."
    article = Article("d", "", "text", "", body, sections=(Section("Body", 0, len(body), (Paragraph(1, 0, len(body)),)),))
    found = {(m.text, m.type.value, m.id) for m in fast_extractor.process(article).mentions}
    assert ("weight gain", "Condition", "MESH:D015430") in found
    assert ("body weight", "Outcome", "MESH:D001835") in found


@pytest.mark.parametrize(
    ("body", "found"),
    [("The most common side effects were dizziness and sedation.", True),
     ("Drugol may cause sedation.", True),
     ("Drugol provides sedation for MRI.", False),
     # one adverse "sedation" does not make every other "sedation" of the text one
     ("Drugol may cause sedation. Drugam provides sedation for MRI.", 1)],
)
def test_words_that_name_a_harm_or_an_aim_are_adverse_effects_only_in_context(fast_extractor, body, found):
    """"Sedation" is an adverse effect in "may cause sedation", an intended
    state in "sedation for MRI" (context-only vocabulary,
    extractor/data/concepts/adverse_in_context.tsv)."""
    from extractor.model import Article, Paragraph, Section

    article = Article("d", "", "text", "", body, sections=(Section("Body", 0, len(body), (Paragraph(1, 0, len(body)),)),))
    hits = [m for m in fast_extractor.process(article).mentions if m.text == "sedation"]
    assert all(m.id == "MESH:D006970" and str(m.type) == "AdverseEffect" for m in hits)
    assert len(hits) == int(found)


def test_people_groups_are_populations_without_a_mesh_id(fast_extractor):
    """"Elderly patients" is a Population with no MeSH id (a people group is
    never a relation's object); "opioid-tolerant patients" links to Drug
    Tolerance (a state a drug may treat)."""
    from extractor.model import Article, Paragraph, Section

    body = "Drugol helps elderly patients and opioid-tolerant patients."
    article = Article("d", "", "text", "", body, sections=(Section("Body", 0, len(body), (Paragraph(1, 0, len(body)),)),))
    found = {m.text: (str(m.type), m.id) for m in fast_extractor.process(article).mentions}
    assert found["elderly patients"] == ("Population", None)
    assert found["opioid-tolerant patients"] == ("Population", "MESH:D004361")
