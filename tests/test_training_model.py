"""The shipped NER model (extractor/data/ner_model) and the tokenizer it runs on.

Since v5 the model is trained on ``extractor.dictionary_ner.dictionary_tokenizer``,
the tokenizer ``extractor.ner.build_pipeline`` runs it on: the serialised
tokenizer must reload with plain ``spacy.load`` and split exactly like it, and
hyphenated agents ("Levodopa-induced") must come out as the bare name.
Skipped, with the reason, when the model is not built (training/train_ner.sh).
"""

from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")
pytest.importorskip("scispacy")

MODEL_DIR = Path(__file__).resolve().parents[1] / "extractor" / "data" / "ner_model"

pytestmark = pytest.mark.skipif(
    not (MODEL_DIR / "config.cfg").is_file(),
    reason=f"NER model not built: run training/train_ner.sh to create {MODEL_DIR}",
)

TRICKY = [
    "Cisplatin-induced nephrotoxicity (CIN) was reduced by Mg2+ (p<0.05).",
    "IL-2 and TNF-alpha levels rose in 5-FU/LV-treated mice given 2.5 mg/kg i.v. e.g. twice.",
    "N-[4-(5-nitro-2-furyl)-2-thiazolyl]formamide, Na+/K+-ATPase and [3H]dopamine at 37°C.",
    "(NTG)-induced headache and paclitaxel/carboplatin-related neuropathy, cf. Fig. 2.",
]


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(MODEL_DIR)


@pytest.fixture(scope="module")
def pipeline_tokens():
    from extractor.dictionary_ner import dictionary_tokenizer

    ref = spacy.blank("en")
    ref.tokenizer = dictionary_tokenizer(ref)
    return lambda text: [t.text for t in ref.make_doc(text)]


@pytest.mark.parametrize("text", TRICKY)
def test_shipped_tokenizer_is_the_pipeline_tokenizer(nlp, pipeline_tokens, text):
    assert [t.text for t in nlp.make_doc(text)] == pipeline_tokens(text)


def test_meta_names_the_training_tokenizer(nlp):
    assert "dictionary_tokenizer" in nlp.meta["description"]
    assert nlp.config["initialize"]["before_init"] is None  # no training code needed to load


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
