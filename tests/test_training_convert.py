"""Tests of the NER training-data conversion (training/convert.py, training/functions.py).

The shipped model is trained on the tokens the pipeline gives it
(``extractor.tokenizer.dictionary_tokenizer``): these tests check that
PubTator mentions such as "Levodopa" in "Levodopa-induced" become exact
training spans with that tokenizer (they had to be expanded with scispacy's).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")
pytest.importorskip("scispacy")

TRAINING = Path(__file__).resolve().parents[1] / "training"
sys.path.insert(0, str(TRAINING))

import convert  # noqa: E402

TITLE = "Levodopa-induced dyskinesia in paclitaxel/carboplatin-treated patients."
ABSTRACT = "Cisplatin-induced nephrotoxicity was reduced by magnesium."


def _pubtator(path: Path, pmid: str = "111", extra: str = "") -> Path:
    text = TITLE + " " + ABSTRACT
    rows = [f"{pmid}|t|{TITLE}", f"{pmid}|a|{ABSTRACT}"]
    for word, label in [("Levodopa", "Chemical"), ("dyskinesia", "Disease"), ("paclitaxel", "Chemical"),
                        ("carboplatin", "Chemical"), ("Cisplatin", "Chemical"),
                        ("nephrotoxicity", "Disease"), ("magnesium", "Chemical")]:
        s = text.index(word)
        rows.append(f"{pmid}\t{s}\t{s + len(word)}\t{word}\t{label}\tMESH:D000000")
    path.write_text("\n".join(rows) + "\n\n" + extra, encoding="utf-8")
    return path


def _ents(dest: Path) -> list[tuple[str, str]]:
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(dest).get_docs(nlp.vocab))
    return [(e.text, e.label_) for d in docs for e in d.ents]


def test_dictionary_tokenizer_aligns_hyphen_and_slash_mentions(tmp_path):
    src = _pubtator(tmp_path / "in.txt")
    stats = convert.convert(src, tmp_path / "out.spacy", set(), "dictionary")
    assert stats["misaligned"] == 0 and stats["entities"] == 7
    ents = _ents(tmp_path / "out.spacy")
    assert ("Levodopa", "Chemical") in ents and ("Cisplatin", "Chemical") in ents
    assert ("paclitaxel", "Chemical") in ents and ("carboplatin", "Chemical") in ents


def test_scispacy_tokenizer_expands_mentions_inside_tokens(tmp_path):
    src = _pubtator(tmp_path / "in.txt")
    stats = convert.convert(src, tmp_path / "out.spacy", set(), "scispacy")
    assert stats["misaligned"] >= 2  # "Levodopa-induced", "Cisplatin-induced" are single tokens
    texts = [t for t, _ in _ents(tmp_path / "out.spacy")]
    assert "Levodopa-induced" in texts and "Levodopa" not in texts


def test_excluded_pmids_are_left_out(tmp_path):
    src = _pubtator(tmp_path / "in.txt")
    stats = convert.convert(src, tmp_path / "out.spacy", {"111"}, "dictionary")
    assert stats["docs"] == 0 and stats["excluded"] == 1 and _ents(tmp_path / "out.spacy") == []


def test_wrong_offsets_are_reported_with_the_file(tmp_path):
    src = tmp_path / "bad.txt"
    src.write_text(f"9|t|{TITLE}\n9|a|{ABSTRACT}\n9\t0\t5\tAspirin\tChemical\tD001241\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.txt"):
        convert.read_pubtator(src)


def test_unknown_tokenizer_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="unknown tokenizer"):
        convert.convert(_pubtator(tmp_path / "in.txt"), tmp_path / "o.spacy", set(), "whitespace")


def test_training_callback_installs_the_pipeline_tokenizer():
    import functions  # noqa: F401  (registers the callbacks)

    from extractor.tokenizer import dictionary_tokenizer

    install = spacy.registry.callbacks.get("extractor_dictionary_tokenizer.v1")()
    nlp = install(spacy.blank("en"))
    ref = spacy.blank("en")
    ref.tokenizer = dictionary_tokenizer(ref)
    text = TITLE + " (NTG)-induced headache, 5-FU/LV and Na+/K+-ATPase."
    assert [t.text for t in nlp.make_doc(text)] == [t.text for t in ref.make_doc(text)]
    assert "Levodopa" in [t.text for t in nlp.make_doc(text)]
