"""Faster forms of entity-stage helpers give the same results as the simple
definitions they replace (regular expressions, pairwise overlap checks)."""

import functools
import re
from pathlib import Path

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.abbreviations import _word_sites, propagate_surface_forms
from extractor.model import EntityType, Mention

ROOT = Path(__file__).resolve().parents[1]
_ALPHABET = st.sampled_from(list("ab- _(é1."))


def _regex_sites(text: str, word: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text)]


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=30), st.text(_ALPHABET, min_size=1, max_size=4))
def test_word_sites_equal_the_regular_expression(text, word):
    assert _word_sites(text, word) == _regex_sites(text, word)


def _mention(text: str, start: int, end: int) -> Mention:
    return Mention(start, end, text[start:end], EntityType.CONDITION, "MESH:D000001", "X", 0, "ner")


def test_longest_surface_form_wins_where_two_start_together():
    text = "renal failure, failure. Later renal failure and failure again."
    mentions = [_mention(text, 0, 13), _mention(text, 15, 22)]
    out = propagate_surface_forms(text, mentions)
    added = sorted((m.start, m.end) for m in out if m.source == "consistency")
    assert added == [(30, 43), (48, 55)]


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("ab -")), max_size=40))
def test_propagation_matches_a_regex_alternation(text):
    forms = ["aba", "abab", "ba b"]  # propagated forms have at least three characters
    mentions = []
    for f in forms:  # a mention of each form placed after the text
        start = len(text) + 1 + sum(len(x) + 1 for x in forms[: forms.index(f)])
        mentions.append(Mention(start, start + len(f), f, EntityType.DRUG, "MESH:D1", f, 0, "ner"))
    full = text + " " + " ".join(forms)
    got = sorted((m.start, m.end) for m in propagate_surface_forms(full, mentions) if m.source == "consistency")
    ordered = sorted(forms, key=lambda f: (-len(f), f))
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in ordered) + r")(?![\w-])")
    taken = [(m.start, m.end) for m in mentions]
    want = sorted(
        x.span() for x in pattern.finditer(full)
        if not any(s < x.end() and x.start() < e for s, e in taken)
    )
    assert got == want


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6), st.integers(0, 2), st.integers(0, 1)), max_size=25))
def test_resolve_overlaps_equals_the_pairwise_rule(raw):
    from extractor.ner import resolve_overlaps

    items = [(s, s + n, p, t) for s, n, p, t in raw]
    ranked = sorted(items, key=lambda x: (-(x[1] - x[0]), -x[2], -x[3], x[0]))
    taken, want = [], []
    for it in ranked:  # the quadratic definition
        if not any(it[0] < te and ts < it[1] for ts, te in taken):
            taken.append(it[:2])
            want.append(it)
    assert resolve_overlaps(items, key=lambda x: x) == sorted(want, key=lambda x: (x[0], x[1]))


def test_fast_mode_tokenizes_each_paragraph_once_with_the_same_mentions(fast_extractor, seed_path, articles_dir):
    """--fast runs the dictionary pipeline on the segmenter's paragraph Docs:
    the mentions equal those of sentence-by-sentence processing."""
    from extractor.io.readers import read_path
    from extractor.ner import find_mentions
    from extractor.sentences import paragraph_docs, segment_article

    ex = fast_extractor
    assert ex.shares_tokens
    articles = [*read_path(seed_path), *read_path(ROOT / "corpus" / "bc5cdr_dev_sample.pubtator")]
    assert len(articles) > 3
    for article in articles:
        paragraphs = paragraph_docs(article, ex.nlp.tokenizer)
        article = segment_article(article, ex.segmenter, paragraphs=paragraphs)
        by_sentence = find_mentions(article, ex.nlp, ex.settings)
        assert by_sentence, article.doc_id
        assert find_mentions(article, ex.nlp, ex.settings, paragraphs) == by_sentence, article.doc_id
    # and the run uses it: the document's mentions are those of the sentence path
    result = ex.process(articles[0])
    assert list(result.mentions) == find_mentions(result.article, ex.nlp, ex.settings)


def test_paragraph_mentions_carry_their_sentence(fast_extractor):
    """Mentions found on a paragraph Doc know their sentence; a dictionary
    match never spans two sentences."""
    from extractor.io.readers.text import parse_text
    from extractor.ner import find_mentions
    from extractor.sentences import paragraph_docs, segment_article

    ex = fast_extractor
    article = parse_text("T\n\nResults\n\nRash was induced by aspirin. Asthma improved. Aspirin helped.")
    paragraphs = paragraph_docs(article, ex.nlp.tokenizer)
    article = segment_article(article, ex.segmenter, paragraphs=paragraphs)
    mentions = find_mentions(article, ex.nlp, ex.settings, paragraphs)
    where = {m.text: m.sentence for m in mentions}
    first = where["Rash"]
    assert article.text[article.sentences[first].start:].startswith("Rash")
    assert where["aspirin"] == first and where["Asthma"] == first + 1 and where["Aspirin"] == first + 2
    for m in mentions:
        s = article.sentences[m.sentence]
        assert s.start <= m.start and m.end <= s.end


@pytest.mark.filterwarnings("ignore:.*W036")  # scispacy's own detector on Docs without definitions
def test_gated_abbreviation_detector_equals_scispacys(seed_path):
    """Skipping Docs without a "(" token loses no definition."""
    import spacy
    from scispacy.abbreviation import AbbreviationDetector

    from extractor.abbreviations import ParenthesisGatedDetector
    from extractor.io.readers import read_path
    from extractor.tokenizer import dictionary_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = dictionary_tokenizer(nlp)
    gated, plain = ParenthesisGatedDetector(nlp), AbbreviationDetector(nlp)
    articles = [*read_path(seed_path), *read_path(ROOT / "corpus" / "bc5cdr_dev_sample.pubtator")]
    lines = [line for a in articles for line in a.text.split("\n") if line.strip()]
    found = 0
    for line in lines:
        a = sorted((s.start, s.end, s._.long_form.start, s._.long_form.end)
                   for s in gated(nlp.make_doc(line))._.abbreviations)
        b = sorted((s.start, s.end, s._.long_form.start, s._.long_form.end)
                   for s in plain(nlp.make_doc(line))._.abbreviations)
        assert a == b, line
        found += len(a)
    assert found > 5


@functools.lru_cache(maxsize=1)
def _gated():
    import spacy

    from scispacy.abbreviation import AbbreviationDetector

    from extractor.abbreviations import ParenthesisGatedDetector

    nlp = spacy.blank("en")
    return nlp, ParenthesisGatedDetector(nlp), AbbreviationDetector(nlp)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["(", ")", "a", "b", "CKD", "-"]), max_size=40))
def test_bracket_scan_lists_what_scispacys_matcher_keeps(words):
    """The linear scan gives scispacy's parenthesis-matcher output, in its
    order, restricted to what its filter keeps (at most 8 inner tokens)."""
    from spacy.tokens import Doc

    nlp, gated, scispacy_detector = _gated()
    doc = Doc(nlp.vocab, words=words)
    want = [(s, e) for _, s, e in scispacy_detector.matcher(doc) if e - s - 2 <= gated.MAX_INSIDE]
    assert [(s, e) for _, s, e in gated.bracket_matches(doc)] == want


@pytest.mark.filterwarnings("ignore:.*W036")  # scispacy's global matcher on a Doc without definitions
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["(", ")", "chronic", "kidney", "disease", "CKD", "C", "-", "KD", "cd", "."]), max_size=40))
def test_short_form_occurrences_are_scispacys(words):
    """Definitions and the other occurrences of each short form are those
    of scispacy's ``find_matches_for`` (its global ``Matcher``), in its order."""
    from scispacy.abbreviation import filter_matches
    from spacy.tokens import Doc

    nlp, gated, scispacy_detector = _gated()
    doc = Doc(nlp.vocab, words=words)
    filtered = filter_matches([(m, s + 1, e - 1) for m, s, e in gated.bracket_matches(doc)], doc)

    def spans(found):
        return [((lf.start, lf.end), sorted((s.start, s.end) for s in shorts)) for lf, shorts in found]

    assert spans(gated.find_matches_for(filtered, doc)) == spans(scispacy_detector.find_matches_for(filtered, doc))
