"""Sentence segmentation."""

from __future__ import annotations

import time

import pytest
from spacy.language import Language

from extractor.io.readers import read_path
from extractor.io.readers.text import parse_text
from extractor.model import Article, Paragraph, Section
from extractor.sentences import segment_article, sentence_starts


def _split(nlp, text):
    return [s.text for s in nlp(text).sents]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Smith et al. reported it. Others did not.", ["Smith et al. reported it.", "Others did not."]),
        ("As shown in Fig. 1 the dose fell. Then it rose.", ["As shown in Fig. 1 the dose fell.", "Then it rose."]),
        ("Opioids, e.g. morphine, help. So do others.", ["Opioids, e.g. morphine, help.", "So do others."]),
        ("NMDA antagonists, i.e. ketamine, work. Yes.", ["NMDA antagonists, i.e. ketamine, work.", "Yes."]),
        ("Ketamine vs. placebo was tested. It won.", ["Ketamine vs. placebo was tested.", "It won."]),
        ("A dose of 2.5 mg was used. Then 0.5 mg/kg.", ["A dose of 2.5 mg was used.", "Then 0.5 mg/kg."]),
        ("It reduces pain [1]. It is safe [2, 3].", ["It reduces pain [1].", "It is safe [2, 3]."]),
        ("It helps in pain (CRPS). Another one.", ["It helps in pain (CRPS).", "Another one."]),
        ("Work by J. A. Smith showed it. Next.", ["Work by J. A. Smith showed it.", "Next."]),
        ("It was cited. [4] Then more.", ["It was cited. [4]", "Then more."]),
        ('He said "stop." Then left!', ['He said "stop."', "Then left!"]),
        ("Is it safe? Yes! It is.", ["Is it safe?", "Yes!", "It is."]),
        ("It was given i.v. to all. Done.", ["It was given i.v. to all.", "Done."]),
        ("Values were high. p-values were low.", ["Values were high. p-values were low."]),
        ("RR 0.93 (95% CI 0.91-0.96). Next one.", ["RR 0.93 (95% CI 0.91-0.96).", "Next one."]),
        ("Rats were used. 1. Studies were done. 2. More.", ["Rats were used.", "1. Studies were done.", "2. More."]),
        ("It fell from 16. 7 to 6. 2 times.", ["It fell from 16. 7 to 6. 2 times."]),
        ("Given (50 mg/kg/i.v.). Then it fell.", ["Given (50 mg/kg/i.v.).", "Then it fell."]),
    ],
)
def test_split_cases(segmenter, text, expected):
    assert _split(segmenter, text) == expected


def test_segmenter_is_tokenizer_plus_splitter(segmenter):
    assert isinstance(segmenter, Language)
    assert segmenter.pipe_names == ["extractor_sentencizer"]
    # the project's tokenizer (the entity stage's): hyphens between words split
    assert [t.text for t in segmenter("N-methyl-D-aspartate (NMDA)")][:3] == ["N", "-", "methyl"]


@pytest.mark.parametrize(
    "text",
    [
        "Primers cover the 3.5-kilobase exon 11 of BRCA1. Mutations were rare.",
        "Period 1 ran from May 1, 1999-Nov. 30, 2002 (period 2). Mutations were rare.",
    ],
)
def test_hyphenated_numbers_and_dates_do_not_end_a_sentence(segmenter, text):
    assert [s.text for s in segmenter(text).sents][-1] == "Mutations were rare."
    assert len(list(segmenter(text).sents)) == 2


def test_sentence_starts_pure():
    words = ["It", "works", "[", "1", "]", ".", "Next", "one", "."]
    assert sentence_starts(words) == [0, 6]
    assert sentence_starts([]) == []


def test_seed_sentences_cover_paragraphs_and_carry_citations(seed_path, segmenter):
    [a] = read_path(seed_path)
    a = segment_article(a, segmenter)
    by_para: dict[tuple[str, int], list] = {}
    for s in a.sentences:
        by_para.setdefault((s.section, s.paragraph), []).append(s)
        chunk = a.text[s.start:s.end]
        assert chunk == chunk.strip() and chunk
    for sec in a.sections:
        for p in sec.paragraphs:
            if sec.name == "References":
                assert (sec.name, p.index) not in by_para
                continue
            sents = by_para[(sec.name, p.index)]
            # sentences stay inside their paragraph and cover it
            assert sents[0].start == p.start and sents[-1].end == p.end
            assert all(p.start <= s.start < s.end <= p.end for s in sents)
            assert tuple(sorted({c for s in sents for c in s.citations}, key=int)) == p.citations
    intro = [s for s in a.sentences if s.section == "Introduction" and s.paragraph == 1]
    assert len(intro) == 3 and intro[-1].citations == ("1",) and intro[0].citations == ()
    title = [s for s in a.sentences if s.section == "Title"]
    assert len(title) == 1 and a.text[title[0].start:title[0].end] == a.title
    assert list(a.sentences) == sorted(a.sentences, key=lambda s: s.start)


def test_pubtator_title_is_a_sentence(articles_dir, segmenter):
    a = segment_article(read_path(articles_dir / "bc5cdr_dev_3docs.pubtator")[0], segmenter)
    first = a.sentences[0]
    assert (first.section, first.paragraph, first.start, first.end) == ("Title", 1, 0, len(a.title))
    # every annotation lies inside one sentence
    for ann in a.annotations:
        assert any(s.start <= ann.start and ann.end <= s.end for s in a.sentences)


def test_sentences_never_cross_paragraphs(segmenter):
    a = parse_text("T\n\nResults\n\nIt ends without a stop\n\nAnd this starts anew.")
    a = segment_article(a, segmenter)
    body = [a.text[s.start:s.end] for s in a.sentences if s.section == "Results"]
    assert body == ["It ends without a stop", "And this starts anew."]


def test_long_sentence_and_long_paragraph(segmenter):
    long_sentence = " ".join(["ketamine reduces pain"] * 1700) + "."  # ~5,100 tokens
    text = long_sentence + " " + "Short one. " * 2000
    para = Paragraph(1, 0, len(text.rstrip()))
    a = Article("x", "", "text", "", text.rstrip(), sections=(Section("Body", 0, para.end, (para,)),))
    t0 = time.perf_counter()
    a = segment_article(a, segmenter)
    assert time.perf_counter() - t0 < 10
    assert a.text[a.sentences[0].start:a.sentences[0].end] == long_sentence
    assert len(a.sentences) == 2001


def test_deterministic(seed_path, segmenter):
    [a] = read_path(seed_path)
    assert segment_article(a, segmenter) == segment_article(a, segmenter)


def test_blank_english_tokenizes_as_the_dictionary_tokenizer_on_spacy_blank():
    """The pipelines' blank English (no default tokenizer built first)
    splits text exactly as the dictionary tokenizer built the older way."""
    import spacy

    from extractor.tokenizer import blank_english, dictionary_tokenizer

    text = ("Levodopa-induced dyskinesia (LID)-like, 3.5-kilobase exon; e.g. 10 mg/kg i.v. at 37°C, "
            "paclitaxel/carboplatin vs. don't http://x.org/a-b 1999-Nov. 30 [1], [2-4].")
    old = spacy.blank("en")
    old.tokenizer = dictionary_tokenizer(old)
    expected = [t.text for t in old(text)]
    assert [t.text for t in blank_english()(text)] == expected
    shared = blank_english(old.tokenizer)
    assert shared.tokenizer is old.tokenizer
    assert [t.text for t in shared(text)] == expected
