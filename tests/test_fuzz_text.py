"""Property-based tests of the text stages: sentence splitting, citation
markers, reference parsing and the repair functions.

Arbitrary Unicode (lone surrogates included) and near-valid prose never
raise, spans stay inside the text with start <= end, citations are digit
strings, and the repair functions keep the words of their input.

Profiles: see tests/conftest.py (``--hypothesis-profile=long`` for more).
"""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from extractor.citations import MAX_RANGE, find_citations, paragraph_citations
from extractor.io.readers.text import parse_text
from extractor.references import (
    parse_reference,
    parse_reference_list,
    split_reference_entries,
)
from extractor.repair import (
    dehyphenate,
    is_continuation,
    join_lines,
    merge_broken_paragraphs,
    normalize_unicode,
    repair_block,
    split_wrapped_block,
)
from extractor.sentences import segment_article, sentence_starts

DIGITS = re.compile(r"[0-9]+")
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=1500)
PIECES = ["The", "drug", "reduced", "pain", ".", "!", "?", "et al.", "Fig. 2", "e.g.", "i.v.",
          "2.5 mg", "J. A. Smith", "(p < 0.05)", "[1]", "[1, 3-5]", "[2–4]", "[1-999]", "[0]",
          "[2020]", "[", "]", "”", "\"", ")", "…", "1.", "vs.", "analge-\nsia", "\n", "\n\n",
          "ﬁ", "\u00ad", "\u200b", "é", "e\u0301", "\u202e", "漢字。", "مرحبا", "🙂", "\ud800"]
PROSE = st.lists(st.sampled_from(PIECES), max_size=120).map(" ".join)
TEXTS = st.one_of(ANY_TEXT, PROSE)


# ----------------------------------------------------------------- citations


def _check_markers(text: str) -> None:
    markers = find_citations(text)
    last = 0
    for m in markers:
        assert last <= m.start < m.end <= len(text)
        assert text[m.start] == "[" and text[m.end - 1] == "]"
        assert m.numbers and all(DIGITS.fullmatch(n) and 1 <= int(n) <= 999 for n in m.numbers)
        assert len(m.numbers) <= MAX_RANGE * (text.count(",", m.start, m.end) + text.count(";", m.start, m.end) + 1)
        last = m.end
    nums = paragraph_citations(text)
    assert list(nums) == sorted(set(nums), key=int)
    assert all(DIGITS.fullmatch(n) for n in nums)


@given(text=TEXTS)
@example(text="[١٢]")  # Arabic-Indic digits are not citation numbers
@example(text="[²]")
@example(text="[1-3-5]")
@example(text="[" + "1," * 5000 + "]")
def test_find_citations_properties(text):
    _check_markers(text)


@given(nums=st.lists(st.integers(0, 20_000), min_size=1, max_size=8),
       sep=st.sampled_from([",", ", ", ";", " ; "]), rng=st.booleans())
def test_find_citations_structured(nums, sep, rng):
    body = sep.join(f"{a}-{b}" if rng and i % 2 else str(a)
                    for i, (a, b) in enumerate(zip(nums, nums[1:] + nums[:1])))
    _check_markers(f"as shown [{body}] here")


# ---------------------------------------------------------------- references


@given(entry=TEXTS)
@example(entry='1. "')
@example(entry='Smith, J. "Title." *J* 15 (2022):1-2.')
def test_parse_reference_properties(entry):
    ref = parse_reference(entry, "7")
    for name in ("n", "text", "title", "journal", "year", "volume", "pages", "doi"):
        assert isinstance(getattr(ref, name), str), name
    assert "\n" not in ref.text
    assert ref.year == "" or re.fullmatch(r"[0-9]{4}", ref.year)
    assert all(isinstance(a, str) and a for a in ref.authors)


@given(lines=st.lists(TEXTS, max_size=30))
def test_split_reference_entries_keeps_words(lines):
    entries = split_reference_entries(lines)
    assert all(e and e == e.strip() for e in entries)
    assert " ".join(entries).split() == " ".join(lines).split()
    refs = parse_reference_list("\n".join(lines))
    assert all(DIGITS.fullmatch(r.n) for r in refs)


# -------------------------------------------------------------------- repair


def _letters(s: str) -> str:
    return re.sub(r"[\s-]", "", s)


@given(text=TEXTS)
@example(text="e\u200b\u0301")  # an invisible character between a letter and its accent
@example(text="\ufb01\u0301")
def test_normalize_unicode_idempotent(text):
    once = normalize_unicode(text)
    assert normalize_unicode(once) == once


@given(text=TEXTS)
def test_repairs_keep_words(text):
    text = normalize_unicode(text)
    assert _letters(dehyphenate(text)) == _letters(text)
    assert _letters(join_lines(text)) == _letters(text)
    block = repair_block(text)
    assert "\n" not in block and "  " not in block and block == block.strip()
    assert isinstance(is_continuation(text, text[::-1]), bool)


@given(paras=st.lists(TEXTS, max_size=12))
def test_merge_broken_paragraphs_keeps_words(paras):
    paras = [join_lines(normalize_unicode(p)) for p in paras]
    merged = merge_broken_paragraphs(paras)
    assert len(merged) <= len(paras)
    assert _letters("".join(merged)) == _letters("".join(paras))


@given(lines=st.lists(st.one_of(st.sampled_from(["Short end.", "", "x" * 80 + ".", "y" * 60]),
                                PROSE), max_size=40))
def test_split_wrapped_block_keeps_lines(lines):
    block = "\n".join(lines)
    pieces = split_wrapped_block(block)
    assert [ln for p in pieces for ln in p.split("\n") if ln.strip()] == \
        [ln for ln in block.split("\n") if ln.strip()] or pieces == [block]


# ----------------------------------------------------------------- sentences


@given(words=st.lists(st.sampled_from(["a", ".", "Fig.", "J.", "A.", "[", "1", "]", "!", "?", ")",
                                       "”", "et", "al.", "2.", "5", "The", "x."]), max_size=80),
       spaces=st.data())
def test_sentence_starts_properties(words, spaces):
    sp = spaces.draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    starts = sentence_starts(words, sp)
    assert starts == sorted(set(starts))
    assert (starts[:1] == [0]) if words else starts == []
    assert all(0 <= i < len(words) for i in starts)


@given(text=TEXTS)
@example(text="T\n\nResults\n\n" + "word " * 3000 + ".")
@example(text="\u202eRTL. \u0645\u0631\u062d\u0628\u0627. 漢字。テスト. 🙂🙂. e\u0301\u0301\u0301.")
def test_segment_article_properties(text, segmenter, check_article):
    article = segment_article(parse_text(text), segmenter)
    check_article(article)
    prev_end = 0
    paras = [p for sec in article.sections if sec.name != "References" for p in sec.paragraphs]
    for s in article.sentences:
        chunk = article.text[s.start:s.end]
        assert chunk and chunk == chunk.strip(), repr(chunk)
        assert s.start >= prev_end, "sentences overlap"
        prev_end = s.end
        assert any(p.start <= s.start and s.end <= p.end for p in paras), "sentence crosses a paragraph"
        assert s.citations == paragraph_citations(chunk)
    # every non-space character of a paragraph is in exactly one sentence
    def ink(a: int, b: int) -> int:
        return len("".join(article.text[a:b].split()))

    assert sum(ink(s.start, s.end) for s in article.sentences) == sum(ink(p.start, p.end) for p in paras)


# ------------------------------------------------------- the whole document

_DOC_PIECES = PIECES + [
    "aspirin", "Aspirin (ASA)", "ASA", "chronic kidney disease (CKD)", "CKD", "-induced", "levodopa-induced",
    "dyskinesia", "haloperidol", "caused", "nausea", "and", "or", ",", "(", "(NTG)-induced", "headache",
    "NMDA receptor antagonism", "did not", "may", "it", "This drug", "paclitaxel/carboplatin", "neuropathy",
]
DOC_TEXTS = st.one_of(
    st.lists(st.sampled_from(_DOC_PIECES), max_size=150).map(" ".join),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=600),
)


@given(text=DOC_TEXTS)
@example(text="Aspirin (ASA) helped. ASA (\ud800) caused nausea. " * 3)
def test_fast_pipeline_on_any_text(text, fast_extractor, check_article):
    """The fast pipeline (paragraph Docs shared by the segmenter and the
    entity stage) never raises; every mention is the text at its offsets,
    inside one sentence; mentions do not overlap; evidence points at the
    document's own sentences."""
    result = fast_extractor.process(parse_text("Title\n\nResults\n\n" + text + "\n"))
    article = result.article
    check_article(article)
    last_end = -1
    for m in result.mentions:
        assert m.text == article.text[m.start:m.end] and m.start < m.end
        assert m.start >= last_end
        last_end = m.end
        s = article.sentences[m.sentence]
        assert s.start <= m.start and m.end <= s.end
    sentences = {article.text[s.start:s.end] for s in article.sentences}
    for r in result.relations:
        assert all(e.sentence in sentences for e in r.evidence)
