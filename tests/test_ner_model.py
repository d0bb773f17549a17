"""Tests of the shipped Chemical/Disease NER pipeline (extractor/data/ner_model).

Since v5 the model is trained on the pipeline's own tokenizer
(:func:`extractor.tokenizer.dictionary_tokenizer`): the serialised tokenizer
must reload with plain ``spacy.load`` and split exactly like it, and
hyphenated agents ("Levodopa-induced") come out as the bare name. The model
is built by ``training/train_ner.sh``; every test is skipped, with the
reason, when the directory is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

MODEL_DIR = Path(__file__).resolve().parents[1] / "extractor" / "data" / "ner_model"

pytestmark = pytest.mark.skipif(
    not (MODEL_DIR / "config.cfg").is_file(),
    reason=f"NER model not built: run training/train_ner.sh to create {MODEL_DIR}",
)

TRICKY = [
    "Cisplatin-induced nephrotoxicity (CIN) was reduced by Mg2+ (p<0.05).",
    "IL-2 and TNF-alpha levels rose in 5-FU/LV-treated mice given 2.5 mg/kg i.v. e.g. twice.",
    "N-[4-(5-nitro-2-furyl)-2-thiazolyl]formamide, Na+/K+-ATPase and [3H]dopamine at 37°C.",
    "Fig. 2 shows the dose-response (n=12; approx. 3x) vs. placebo, cf. Table 1.",
    "(NTG)-induced headache and paclitaxel/carboplatin-related neuropathy, cf. Fig. 2.",
]


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(MODEL_DIR)


@pytest.fixture(scope="module")
def pipeline_tokenizer_nlp():
    pytest.importorskip("scispacy.custom_tokenizer")
    from extractor.tokenizer import dictionary_tokenizer

    ref = spacy.blank("en")
    ref.tokenizer = dictionary_tokenizer(ref)
    return ref


def test_labels_and_components(nlp):
    assert set(nlp.get_pipe("ner").labels) == {"Chemical", "Disease"}
    assert nlp.pipe_names == ["tok2vec", "ner"]


def test_loads_without_training_code(nlp):
    # the training-only tokenizer callback must not be needed to load the model
    assert nlp.config["initialize"]["before_init"] is None
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "spacy.Tokenizer.v1"


@pytest.mark.parametrize("text", TRICKY)
def test_tokenizer_equals_pipeline_tokenizer(nlp, pipeline_tokenizer_nlp, text):
    # trained (v5+) on extractor.tokenizer.dictionary_tokenizer, the tokenizer build_pipeline uses
    assert [t.text for t in nlp.make_doc(text)] == [t.text for t in pipeline_tokenizer_nlp.make_doc(text)]


def test_tags_unseen_chemicals_and_diseases(nlp):
    doc = nlp("Cisplatin-induced nephrotoxicity was reduced by magnesium.")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("magnesium", "Chemical") in ents
    assert ("nephrotoxicity", "Disease") in ents
    # the tokenizer splits "Cisplatin-induced"; the model tags the bare chemical
    assert ("Cisplatin", "Chemical") in ents


def test_tags_entities_in_plain_sentence(nlp):
    doc = nlp(
        "Patients with rheumatoid arthritis treated with methotrexate developed "
        "hepatotoxicity, while those given aspirin had gastric ulcers."
    )
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("methotrexate") == "Chemical"
    assert labels.get("aspirin") == "Chemical"
    assert labels.get("rheumatoid arthritis") == "Disease"
    assert labels.get("hepatotoxicity") == "Disease"
    assert "Patients" not in labels


EVERYDAY = [
    "The committee met on Tuesday and approved the budget for the next year.",
    "The weather was sunny and the children played in the park all afternoon.",
    "We thank the reviewers for their comments on the manuscript.",
    "She drove to Boston in March to visit her brother and his family.",
    "The software update fixed several bugs in the user interface.",
]


def test_few_entities_in_text_without_any(nlp):
    # general-domain sentences hold no chemical or disease; the model is allowed
    # one stray capitalised word (it tags "Tuesday" today: a known weakness)
    found = [(e.text, e.label_) for doc in nlp.pipe(EVERYDAY) for e in doc.ents]
    assert len(found) <= 1, found


def test_deterministic(nlp):
    text = "Haloperidol caused tardive dyskinesia in two of ten schizophrenic patients."
    first = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    again = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    assert first == again and first


def test_model_is_small():
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 20_000_000


def test_meta_names_the_training_tokenizer(nlp):
    assert "dictionary_tokenizer" in nlp.meta["description"]


def test_induced_agents_are_tagged_without_the_suffix(nlp):
    doc = nlp("Levodopa-induced dyskinesia and cisplatin-induced nephrotoxicity were reported.")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Levodopa", "Chemical") in ents and ("cisplatin", "Chemical") in ents
    assert ("dyskinesia", "Disease") in ents and ("nephrotoxicity", "Disease") in ents


def test_build_pipeline_runs_the_model_on_its_own_tokens(nlp):
    from extractor.config import Settings
    from extractor.ner import build_pipeline

    full = build_pipeline(Settings())
    assert "ner" in full.pipe_names
    for text in TRICKY:
        assert [t.text for t in full.make_doc(text)] == [t.text for t in nlp.make_doc(text)]
