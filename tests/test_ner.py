"""The entity stage: typed, linked, non-overlapping mentions."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from extractor.config import Limits, Settings
from extractor.errors import ModelNotFoundError
from extractor.model import Article, EntityType, Mention, Sentence
from extractor.ner import build_pipeline, find_mentions


def make_article(text: str, doc_id: str = "t") -> Article:
    """An Article whose sentences are split at '. ' before a capital."""
    sents, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z0-9(])", text):
        sents.append(Sentence(start, m.start(), "Body", 1))
        start = m.end()
    sents.append(Sentence(start, len(text), "Body", 1))
    return Article(doc_id=doc_id, source="", format="text", title="", text=text, sentences=tuple(sents))


FAST = Settings(fast=True)
SEED = Path("/work/shared/seeds/ketamine_perioperative_pain_sharma2025.txt")
REPO_SEED = Path(__file__).resolve().parents[1] / "corpus" / SEED.name


@pytest.fixture(scope="session")
def nlp():
    return build_pipeline(FAST)


def found(nlp, text, settings=FAST):
    return find_mentions(make_article(text), nlp, settings)


def typed(mentions):
    return {(m.text, str(m.type), m.id) for m in mentions}


def check_invariants(text, mentions):
    assert mentions == sorted(mentions, key=lambda m: (m.start, m.end))
    for a, b in zip(mentions, mentions[1:]):
        assert a.end <= b.start, (a, b)
    for m in mentions:
        assert m.text == text[m.start : m.end]
        assert m.id is None or m.id.startswith("MESH:")


def test_mechanism_phrase_with_another_drug(nlp):
    text = "Memantine, an NMDA receptor antagonist, is used in Alzheimer disease."
    ms = found(nlp, text)
    check_invariants(text, ms)
    got = typed(ms)
    assert ("Memantine", "Drug", "MESH:D008559") in got
    assert ("NMDA receptor antagonist", "Mechanism", "MESH:D016194") in got
    assert any(t == "Condition" and i == "MESH:D000544" for _, t, i in got)


@pytest.mark.parametrize(
    "text, phrase, mesh",
    [
        ("Naloxone acts through blockade of the mu-opioid receptor.", "blockade of the mu-opioid receptor", "MESH:D017450"),
        ("Celecoxib relieves pain by COX-2 inhibition.", "COX-2 inhibition", "MESH:D051546"),
        ("Diazepam enhances GABA-A receptor modulation in the cortex.", "GABA-A receptor modulation", "MESH:D011963"),
        ("Magnesium exerts NMDA antagonism at high doses.", "NMDA antagonism", "MESH:D016194"),
        ("Pregabalin may reduce central sensitization after nerve injury.", "central sensitization", "MESH:D059333"),
    ],
)
def test_mechanisms_in_general_sentences(nlp, text, phrase, mesh):
    ms = found(nlp, text)
    hits = [m for m in ms if m.text == phrase]
    assert hits and hits[0].type == EntityType.MECHANISM and hits[0].id == mesh


def test_general_words_are_not_mentions(nlp):
    text = "Patients were followed for a long time in this research; all of them may do so again."
    assert found(nlp, text) == []


def test_outcomes(nlp):
    ms = found(nlp, "Gabapentin reduced opioid consumption and improved quality of life and sleep quality.")
    got = typed(ms)
    assert ("opioid consumption", "Outcome", None) in got
    assert ("quality of life", "Outcome", "MESH:D011788") in got
    assert ("Gabapentin", "Drug") in {(t, ty) for t, ty, _ in got}


def test_adverse_effects_in_context(nlp):
    text = "Duloxetine caused side effects such as nausea and dizziness in some patients."
    ms = found(nlp, text)
    got = typed(ms)
    assert ("nausea", "AdverseEffect", "MESH:D009325") in got
    assert ("dizziness", "AdverseEffect", "MESH:D004244") in got
    # the same condition outside an adverse context stays a Condition
    ms = found(nlp, "Ondansetron is used to treat nausea.")
    assert ("nausea", "Condition", "MESH:D009325") in typed(ms)


def test_induced_and_system_level_adverse_effects(nlp):
    ms = found(nlp, "Cisplatin-induced nephrotoxicity and hepatic and renal adverse effects were common.")
    got = typed(ms)
    assert ("renal adverse effects", "AdverseEffect", "MESH:D007674") in got
    assert ("hepatic", "AdverseEffect", "MESH:D008107") in got
    ms = found(nlp, "Lithium may cause gastrointestinal and urinary tract problems.")
    got = typed(ms)
    assert ("urinary tract problems", "AdverseEffect", "MESH:D014570") in got
    assert ("gastrointestinal", "AdverseEffect", "MESH:D005767") in got


def test_conditions_with_modifiers(nlp):
    ms = found(nlp, "Lidocaine infusions were tried for refractory neuropathic pain and fibromyalgia.")
    ids = {m.id for m in ms if m.type == EntityType.CONDITION}
    assert {"MESH:D009437", "MESH:D005356"} <= ids


def test_seed_article_key_concepts(nlp):
    path = REPO_SEED if REPO_SEED.exists() else SEED
    if not path.exists():
        pytest.skip("seed article not available")
    text = path.read_text(encoding="utf-8")
    ms = find_mentions(make_article(text), nlp, FAST)
    check_invariants(text, ms)
    ids = {m.id for m in ms}
    for mesh in ("MESH:D007649", "MESH:D016194", "MESH:D020918", "MESH:D009437", "MESH:D059350"):
        assert mesh in ids
    assert "MESH:D018691" not in ids
    crps = [m for m in ms if m.text == "CRPS"]
    assert crps and all(m.id == "MESH:D020918" and m.type == EntityType.CONDITION for m in crps)
    kinds = {str(m.type) for m in ms}
    assert {"Drug", "Mechanism", "Condition", "Outcome", "AdverseEffect"} <= kinds


def test_long_sentence_and_non_latin_text(nlp):
    words = ("ketamine reduces pain " * 1700).split()  # ~5,100 tokens, one sentence
    text = " ".join(words) + "."
    settings = Settings(fast=True, limits=Limits(max_sentence_chars=2000))
    ms = find_mentions(make_article(text), nlp, settings)
    check_invariants(text, ms)
    assert sum(m.id == "MESH:D007649" for m in ms) == 1700
    text = "氯胺酮用于治疗慢性疼痛。Кетамин снижает боль. ketamine 😀 ‮ reversed\u0000 text."
    ms = find_mentions(make_article(text), nlp, FAST)
    check_invariants(text, ms)
    assert [m.id for m in ms] == ["MESH:D007649"]


def test_empty_and_sentence_less_articles(nlp):
    assert find_mentions(make_article(""), nlp, FAST) == []
    from extractor.model import Article

    art = Article("x", "", "text", "", "Morphine relieves pain.\nNaloxone reverses it.")
    ms = find_mentions(art, nlp, FAST)
    assert {m.id for m in ms} >= {"MESH:D009020", "MESH:D009270"}
    assert all(m.sentence == -1 for m in ms)


def test_deterministic(nlp):
    text = "Ketamine (KET) and memantine block NMDA receptors; KET causes hallucinations."
    assert found(nlp, text) == found(nlp, text)


def test_missing_user_model_is_a_clear_error():
    with pytest.raises(ModelNotFoundError, match="model 'en_no_such_model' not installed"):
        build_pipeline(Settings(model="en_no_such_model"))


def test_cold_start_measured(record_property):
    import subprocess
    import sys

    code = (
        "import time; t=time.perf_counter(); from extractor.config import Settings; "
        "from extractor.ner import build_pipeline; build_pipeline(Settings(fast=True)); "
        "print(round(time.perf_counter()-t, 3))"
    )
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    record_property("cold_start_s", out.stdout.strip())
    record_property("process_s", round(time.perf_counter() - t, 3))
    print(f"cold start (import + build_pipeline, fast): {out.stdout.strip()}s")


@pytest.mark.slow
def test_default_mode_with_bundled_model():
    from extractor.ner import MODEL_DIR

    if not (MODEL_DIR / "config.cfg").exists():
        pytest.skip("no bundled statistical NER model")
    settings = Settings()
    nlp = build_pipeline(settings)
    assert "ner" in nlp.pipe_names
    text = (
        "Complex regional pain syndrome (CRPS) was treated with low-dose ketamine infusions. "
        "Ketamine, an NMDA receptor antagonist, reduced opioid consumption; "
        "side effects such as hallucinations were rare in CRPS patients."
    )
    ms = find_mentions(make_article(text), nlp, settings)
    check_invariants(text, ms)
    got = {(str(m.type), m.id) for m in ms}
    assert ("Drug", "MESH:D007649") in got
    assert ("Condition", "MESH:D020918") in got
    assert ("Mechanism", "MESH:D016194") in got
    assert ("Outcome", None) in got
    assert [m.id for m in ms if m.text == "CRPS"] == ["MESH:D020918", "MESH:D020918"]


def test_statistical_ner_path_with_a_stand_in_model():
    """The default-mode path (doc.ents from a statistical NER) with an
    entity ruler standing in for the model: labels mapped, spans linked,
    "X-induced" tokens trimmed to the agent, wrong-class labels corrected."""
    import scispacy.abbreviation  # noqa: F401  (registers "abbreviation_detector")
    import spacy
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = combined_rule_tokenizer(nlp)  # keeps "levodopa-induced" as one token
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "Chemical", "pattern": [{"LOWER": "levodopa-induced"}]},
            {"label": "Disease", "pattern": [{"LOWER": "dyskinesias"}]},
            {"label": "Chemical", "pattern": [{"LOWER": "epilepsy"}]},
            {"label": "Chemical", "pattern": [{"LOWER": "zorbitrex"}]},
        ]
    )
    nlp.add_pipe("abbreviation_detector")
    nlp.add_pipe("extractor_dictionary_ner")
    nlp.add_pipe("extractor_mention_resolver")
    text = "Levodopa-induced dyskinesias and epilepsy were treated with zorbitrex."
    ms = find_mentions(make_article(text), nlp, Settings())
    check_invariants(text, ms)
    got = {(m.text, str(m.type), m.id) for m in ms}
    assert ("Levodopa", "Drug", "MESH:D007980") in got
    assert ("dyskinesias", "Condition", "MESH:D004409") in got
    assert ("epilepsy", "Condition", "MESH:D004827") in got
    assert ("zorbitrex", "Drug", None) in got  # unknown to the lexicon: kept, unlinked


# ------------------------------------------------------------------ round 2: general fixes


@pytest.mark.parametrize(
    "text, first, first_id, second, second_id",
    [
        ("Cisplatin caused renal and hepatic failure in two patients.",
         "renal", "MESH:D051437", "hepatic failure", "MESH:D017093"),
        ("Topiramate is used in focal and generalized epilepsy.",
         "focal", "MESH:D004828", "generalized epilepsy", "MESH:D004829"),
    ],
)
def test_coordination_ellipsis_links_both_conditions(nlp, text, first, first_id, second, second_id):
    """"renal and hepatic failure": both concepts are found, the first
    modifier standing for the shared head."""
    ms = found(nlp, text)
    check_invariants(text, ms)
    got = {(m.text, m.id) for m in ms if m.type in (EntityType.CONDITION, EntityType.ADVERSE_EFFECT)}
    assert (first, first_id) in got
    assert (second, second_id) in got


def test_coordination_needs_a_known_combined_concept(nlp):
    """A modifier whose combination with the head names no concept is no mention."""
    ms = found(nlp, "Topiramate is used in young and generalized epilepsy.")
    assert not [m for m in ms if m.text == "young"]


def test_proteins_and_peptide_hormones_are_targets_not_drugs(nlp):
    text = (
        "Vasoactive intestinal peptide (VIP) levels rose after capsaicin, "
        "and VIP release was blocked by atropine."
    )
    ms = found(nlp, text)
    check_invariants(text, ms)
    vip = [m for m in ms if m.text in ("VIP", "Vasoactive intestinal peptide")]
    assert len(vip) == 3 and {m.type for m in vip} == {EntityType.TARGET}
    assert {m.id for m in vip} == {"MESH:D014660"}
    drugs = {m.text for m in ms if m.type == EntityType.DRUG}
    assert drugs == {"capsaicin", "atropine"}


def test_generic_category_words_are_not_mentions(nlp):
    text = (
        "Patient-reported outcomes and treatment response improved with duloxetine, "
        "acting on downstream signaling pathways; dose-related side effects were mild."
    )
    ms = found(nlp, text)
    assert [(m.text, str(m.type)) for m in ms] == [("duloxetine", "Drug")]


def test_consistency_propagation_tags_every_occurrence():
    """A surface the NER tags once is tagged wherever it occurs in the article."""
    import scispacy.abbreviation  # noqa: F401
    import spacy
    from spacy.language import Language
    from spacy.tokens import Span

    @Language.component("test_first_token_chemical", assigns=["doc.ents"])
    def first_token(doc):  # a stand-in model that only sees a sentence's first word
        doc.ents = [Span(doc, 1, 2, label="Chemical")] if len(doc) > 1 and doc[1].text == "zorbitrex" else []
        return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("test_first_token_chemical")
    nlp.add_pipe("abbreviation_detector")
    nlp.add_pipe("extractor_dictionary_ner")
    nlp.add_pipe("extractor_mention_resolver")
    text = "Oral zorbitrex was given daily. Later, zorbitrex levels fell and zorbitrex-treated rats recovered."
    ms = find_mentions(make_article(text), nlp, Settings())
    check_invariants(text, ms)
    z = [m for m in ms if m.text.startswith("zorbitrex")]
    assert [m.start for m in z] == [5, 39]  # "zorbitrex-treated" is a different surface
    assert {(m.type, m.source) for m in z[1:]} == {(EntityType.DRUG, "consistency")}


def test_statistical_junk_is_filtered_and_names_kept():
    """Unlinked model mentions that are verbs or fragments are dropped; those
    shaped like names are kept."""
    import scispacy.abbreviation  # noqa: F401
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "Disease", "pattern": [{"LOWER": "emerges"}]},
            {"label": "Disease", "pattern": [{"LOWER": "impairment"}, {"LOWER": "of"}]},
            {"label": "Disease", "pattern": [{"LOWER": "visual"}, {"LOWER": "deficits"}]},
            {"label": "Chemical", "pattern": [{"LOWER": "zorbitrex"}]},
            {"label": "Chemical", "pattern": [{"LOWER": "economic"}]},
            {"label": "Chemical", "pattern": [{"LOWER": "accumulate"}]},
            {"label": "Chemical", "pattern": [{"LOWER": "borderline"}]},
            {"label": "Chemical", "pattern": [{"LOWER": "guideline"}]},
            {"label": "Disease", "pattern": [{"LOWER": "decreases"}, {"LOWER": "blood"}, {"LOWER": "loss"}]},
        ]
    )
    nlp.add_pipe("abbreviation_detector")
    nlp.add_pipe("extractor_dictionary_ner")
    nlp.add_pipe("extractor_mention_resolver")
    text = ("Visual deficits emerges after zorbitrex; impairment of economic activity followed. "
            "Zorbitrex can accumulate in fat. Zorbitrex decreases blood loss. Guideline: borderline values.")
    got = {m.text for m in find_mentions(make_article(text), nlp, Settings())}
    assert {"Visual deficits", "zorbitrex", "blood loss"} <= got  # the verb is no part of the name
    # a word after a modal is a verb, whatever its chemical-looking suffix ("-ate")
    assert not got & {"emerges", "impairment of", "economic", "accumulate", "borderline", "Guideline"}


def test_abbreviation_inside_mechanism_span_with_bundled_model():
    """"N-methyl-D-aspartate (NMDA) receptor" is one Mechanism in default mode
    too, never a Drug plus "NMDA) receptor"."""
    from extractor.ner import MODEL_DIR

    if not (MODEL_DIR / "config.cfg").exists():
        pytest.skip("no bundled statistical NER model")
    nlp = build_pipeline(Settings())
    for text in (
        "Memantine, an antagonist of the N-methyl-D-aspartate (NMDA) receptor, slows Alzheimer disease.",
        "Dextromethorphan acts at the N-methyl-D-aspartate (NMDA) receptor. The NMDA receptor mediates pain.",
    ):
        ms = find_mentions(make_article(text), nlp, Settings())
        check_invariants(text, ms)
        whole = [m for m in ms if m.text == "N-methyl-D-aspartate (NMDA) receptor"]
        assert [(m.type, m.id) for m in whole] == [(EntityType.MECHANISM, "MESH:D016194")]
        assert not [m for m in ms if m.text.startswith(("N-methyl", "NMDA)")) and m not in whole]


def test_dictionary_ner_moved_but_still_importable_from_ner():
    # the spaCy entry point names extractor.ner:make_dictionary_ner
    import extractor.dictionary_ner as dn
    import extractor.ner as ner

    assert ner.make_dictionary_ner is dn.make_dictionary_ner
    assert ner.DictionaryNER is dn.DictionaryNER and ner.dictionary_tokenizer is dn.dictionary_tokenizer
    text = Path(__file__).resolve().parents[1].joinpath("pyproject.toml").read_text(encoding="utf-8")
    target = re.search(r'extractor_dictionary_ner\s*=\s*"([\w.]+):(\w+)"', text)
    assert target is not None
    import importlib

    assert getattr(importlib.import_module(target.group(1)), target.group(2)) is dn.make_dictionary_ner


def test_unlinked_mention_takes_the_link_of_its_surface_form_elsewhere():
    from extractor.ner import _link_like_peers

    a = Mention(0, 3, "STZ", EntityType.DRUG, "MESH:D013311", "Streptozocin", 0, "abbreviation")
    b = Mention(20, 23, "STZ", EntityType.DRUG, None, "STZ", 1, "ner")
    c = Mention(30, 33, "XYZ", EntityType.DRUG, None, "XYZ", 1, "ner")
    out = _link_like_peers([a, b, c])
    assert [(m.text, m.id) for m in out] == [("STZ", "MESH:D013311"), ("STZ", "MESH:D013311"), ("XYZ", None)]
    # two different links for one surface form: ambiguous, left alone
    d = Mention(40, 43, "STZ", EntityType.DRUG, "MESH:D000001", "Other", 1, "lexicon")
    assert _link_like_peers([a, b, d])[1].id is None


def test_disease_adjective_only_the_dictionary_tags_is_no_mention():
    # default mode: "hemorrhagic" in "hemorrhagic myocarditis" modifies the
    # disease the statistical NER found; where the NER tags it, it stays
    import spacy
    from spacy.tokens import Span

    from extractor.dictionary_ner import DictionaryNER
    from extractor.lexicon import Lexicon
    from extractor.ner import OUT_KEY, MentionResolver

    lex = Lexicon.from_kb([
        {"concept_id": "D006470", "canonical_name": "Hemorrhage", "types": ["Condition"], "aliases": ["hemorrhagic"]},
        {"concept_id": "D009205", "canonical_name": "Myocarditis", "types": ["Condition"], "aliases": ["myocarditis"]},
    ])
    doc = spacy.blank("en")("Hemorrhagic myocarditis ; hemorrhagic was coded")
    doc = DictionaryNER(lexicon=lex, types=["Condition"])(doc)
    doc.ents = [Span(doc, 1, 2, label="Disease"), Span(doc, 3, 4, label="Disease")]
    res = MentionResolver(lexicon=lex, label_map={"Disease": "Condition"}, use_ents=True, gap_fill="lexicon")
    got = [(sp.start, sp.text) for sp in res(doc).spans[OUT_KEY]]
    assert got == [(1, "myocarditis"), (3, "hemorrhagic")]
