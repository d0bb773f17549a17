"""Sentence segmentation of an article, paragraph by paragraph.

Input: an :class:`~extractor.model.Article` from a reader and the segmenter
of :func:`make_segmenter`. Output: the same article with ``sentences``
filled: one :class:`~extractor.model.Sentence` (span into ``text``,
section, paragraph index, cited reference numbers) per sentence of each
paragraph of each section (the ``Title`` section included; the
``References`` section skipped by default: its entries are not prose).

The segmenter is a blank English spaCy pipeline with the project's
tokenizer (scispacy's ``combined_rule_tokenizer`` plus hyphen splits,
:mod:`extractor.tokenizer`) and one component, ``extractor_sentencizer``: a
rule-based splitter that ends a sentence at ``.``, ``!`` or ``?`` (with any
closing brackets or quotes and a following citation such as ``[1]``) when
the next token can start a sentence, and that does not split after
abbreviations (``et al.``, ``Fig.``, ``e.g.``, ``i.e.``, ``vs.``), initials
(``J. A. Smith``), or inside decimals (``2.5 mg``). Sentences never cross a
paragraph boundary because each paragraph is its own ``Doc``.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from extractor.citations import CitationStyle, citation_style, paragraph_citations
from extractor.model import TITLE_SECTION, Article, Sentence
from extractor.repair import replace_surrogates

__all__ = [
    "make_segmenter", "segment_article", "paragraph_docs", "ParagraphDoc", "sentence_starts",
    "RuleSentencizer", "ABBREVIATIONS", "TEXT_KEY", "sentence_index", "article_citation_style",
]

log = logging.getLogger(__name__)

#: ``doc.user_data`` key of a paragraph Doc's text (``Doc.text`` joins every token).
TEXT_KEY = "extractor_text"

#: Lower-cased words that a full stop follows without ending the sentence.
ABBREVIATIONS: frozenset[str] = frozenset(
    "al fig figs eq eqs ref refs vol vols no nos approx ca cf vs v e.g i.e i.v i.m s.c "
    "p.o viz dr mr mrs ms prof st jan feb mar apr jun jul aug sep sept oct nov dec pp "
    "ed eds resp sp spp inc ltd co dept univ et tab suppl chap sect sec incl esp "
    "proc nat natl acad sci p"
    .split()
)
_TERMINAL = {".", "!", "?", "…", "...", "?!", "!?"}
_CLOSERS = {")", "]", '"', "'", "”", "’", "»", "}"}
_CITE_INNER = re.compile(r"^[\d,;–—•*-]+$")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.){1,}[A-Za-z]\.?$")
_INITIAL = re.compile(r"^[A-Z]\.?$")
_CANDIDATE = re.compile(r"[.!?…]+")
_TITLE_WORD = re.compile(r"^[A-Z][a-z'’-]+$")


def sentence_index(starts: Sequence[int], pos: int) -> int:
    """Index of the sentence holding character ``pos``, given the sorted
    sentence start offsets (-1 without sentences or before the first).

    Examples
    --------
    >>> sentence_index([0, 10, 25], 12), sentence_index([], 3)
    (1, -1)
    """
    return bisect.bisect_right(starts, pos) - 1 if starts else -1


def _can_start(word: str) -> bool:
    c = word[0]
    return not c.islower() and c not in ".,;:!?)]}%/-"


def _is_initial_context(words: Sequence[str], i: int) -> bool:
    """Whether the initial at ``i`` is part of a name (``J. A. Smith``)."""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    prev = words[i - 1] if i > 0 else ""
    if _INITIAL.match(nxt) and nxt.endswith("."):
        return True
    return i == 0 or bool(_TITLE_WORD.match(prev)) or bool(_INITIAL.match(prev)) or \
        prev.lower() in {"by", "and", ",", "&", "with", "from"}


def sentence_starts(
    words: Sequence[str],
    spaces: Sequence[bool] | None = None,
    candidates: Iterable[int] | None = None,
) -> list[int]:
    """Indices of the tokens that start a sentence (0 always included).

    Parameters
    ----------
    words : sequence of str
        Token texts.
    spaces : sequence of bool, optional
        Whether each token is followed by white space (tells a closing quote
        from an opening one).
    candidates : iterable of int, optional
        Sorted indices of the tokens that may end a sentence (those holding
        ``.``, ``!``, ``?``); all tokens when omitted. Lets the component
        look only at a few tokens of a long document.

    Examples
    --------
    >>> w = "Smith et al. showed it [ 1 ] . Fig. 1 shows 2.5 mg vs. 5 mg . Next".split()
    >>> [w[i] for i in sentence_starts(w)]
    ['Smith', 'Fig.', 'Next']
    >>> w = ["It", "ended", "(", "CRPS", ")", ".", "By", "J.", "A.", "Smith", "."]
    >>> [w[i] for i in sentence_starts(w)]
    ['It', 'By']
    """
    n = len(words)
    if spaces is None:
        spaces = [True] * n
    starts = [0] if n else []
    last = -1
    for i in (range(n) if candidates is None else candidates):
        if i <= last or i >= n:
            continue
        w = words[i]
        end = -1
        if w in _TERMINAL:
            prev = words[i - 1].lower().rsplit("/", 1)[-1] if i else ""
            nxt = words[i + 1] if i + 1 < n else ""
            if w == "." and i + 1 < n and not spaces[i] and nxt[:1].isalnum():
                continue  # "0.96" or "i.v" cut by the tokenizer: not an end
            if w == "." and i and words[i - 1].isdigit() and (
                i - 1 == starts[-1] or (nxt.isdigit() and len(words[i - 1]) <= 3)
            ):
                continue  # list number "1. The ..." or a decimal written "16. 7"
            if not (w == "." and i and (prev in ABBREVIATIONS or (_INITIAL.match(words[i - 1])
                                                                 and _is_initial_context(words, i - 1)))):
                end = i
        elif len(w) > 1 and w.endswith(".") and not w[:-1].replace(".", "").isdigit():
            base = w[:-1]
            if base.lower() in ABBREVIATIONS or _DOTTED.match(w):
                end = -1
            elif _INITIAL.match(w):
                end = -1 if _is_initial_context(words, i) else i
            else:
                end = i
        if end < 0:
            continue
        j = end + 1
        while j < n and words[j] in _CLOSERS and not spaces[j - 1]:
            j += 1
        if j < n and words[j] == "[":
            k = j + 1
            while k < n and k - j < 16 and _CITE_INNER.match(words[k]):
                k += 1
            if k < n and words[k] == "]" and k > j + 1:
                j = k + 1
                if j < n and words[j] in {".", ","}:
                    j += 1
        if j < n and _can_start(words[j]):
            starts.append(j)
            last = j - 1
    return starts


class RuleSentencizer:
    """spaCy component that sets ``Token.is_sent_start`` by :func:`sentence_starts`."""

    def __init__(self, *, name: str = "extractor_sentencizer") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        arr = numpy.full((n, 1), -1, dtype="int64")
        arr[_doc_starts(doc, doc.text), 0] = 1
        doc.from_array([SENT_START], arr.astype("uint64"))
        return doc


def _doc_starts(doc: Doc, text: str, idx: numpy.ndarray | None = None) -> list[int]:
    """Sentence-start token indices of ``doc`` whose text is ``text``.

    Only tokens holding ``.``, ``!`` or ``?`` are looked at (found with a
    regular expression on ``text`` and the token offsets as an array), so the
    cost stays near that of the tokenizer.
    """
    if idx is None:
        idx = doc.to_array([IDX]).astype("int64")
    positions = [m.start() for m in _CANDIDATE.finditer(text)]
    cands = sorted(set(numpy.searchsorted(idx, positions, side="right").tolist()))
    return sentence_starts(_Words(doc), _Spaces(doc), [c - 1 for c in cands if c > 0])


class _Words:
    """Token texts of a Doc, read on demand."""

    __slots__ = ("doc",)

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    def __len__(self) -> int:
        return len(self.doc)

    def __getitem__(self, i: int) -> str:
        return self.doc[i].text


class _Spaces(_Words):
    def __getitem__(self, i: int) -> bool:  # type: ignore[override]
        return bool(self.doc[i].whitespace_)


@Language.factory("extractor_sentencizer", assigns=["token.is_sent_start", "doc.sents"])
def make_extractor_sentencizer(nlp: Language, name: str) -> RuleSentencizer:
    """Factory of :class:`RuleSentencizer`."""
    return RuleSentencizer(name=name)


def make_segmenter(max_length: int = 10_000_000, tokenizer=None) -> Language:
    """Build the segmenter: blank English, the project's tokenizer
    (:func:`~extractor.tokenizer.dictionary_tokenizer`), our splitter.

    Build it once and reuse it (the :class:`~extractor.pipeline.Extractor`
    caches it). ``tokenizer``: an existing tokenizer of the same rules to
    share (the ``--fast`` pipeline's), instead of building one.

    Examples
    --------
    >>> nlp = make_segmenter()
    >>> [s.text for s in nlp("Smith et al. found it (p < 0.05) [1]. Fig. 2 shows more.").sents]
    ['Smith et al. found it (p < 0.05) [1].', 'Fig. 2 shows more.']
    """
    from extractor.tokenizer import blank_english

    nlp = blank_english(tokenizer)
    nlp.add_pipe("extractor_sentencizer")
    nlp.max_length = max_length
    return nlp


@dataclass(frozen=True, slots=True)
class ParagraphDoc:
    """One tokenized paragraph: its section, index, start offset in the
    article text, its text (``doc.text``, kept: joining the tokens again
    costs) and the spaCy ``Doc`` of it."""

    section: str
    paragraph: int
    start: int
    text: str
    doc: Doc


def paragraph_docs(
    article: Article,
    tokenizer,
    *,
    skip_sections: Iterable[str] = ("References",),
    batch_size: int = 64,
) -> list[ParagraphDoc]:
    """The paragraphs of ``article`` tokenized by ``tokenizer`` (skipping
    ``skip_sections``), for :func:`segment_article` and, in the fast
    pipeline, for the entity stage (one tokenization serves both).

    Lone surrogates (which cannot be tokenized) are replaced by a
    same-length placeholder, so offsets still point into ``article.text``.
    """
    skip = set(skip_sections)
    jobs = [(sec.name, p) for sec in article.sections if sec.name not in skip for p in sec.paragraphs]
    texts = [replace_surrogates(article.text[p.start:p.end]) for _, p in jobs]
    docs = tokenizer.pipe(texts, batch_size=batch_size)
    out = []
    for (name, p), text, doc in zip(jobs, texts, docs):
        doc.user_data[TEXT_KEY] = text
        out.append(ParagraphDoc(name, p.index, p.start, text, doc))
    return out


def _spans(doc: Doc, text: str) -> Iterable[tuple[int, int]]:
    """Character spans of the sentences of ``doc`` (white space trimmed)."""
    if not len(doc):
        return
    idx = doc.to_array([IDX]).astype("int64")
    chars = idx[_doc_starts(doc, text, idx)].tolist() + [len(text)]
    for s, e in zip(chars, chars[1:]):
        chunk = text[s:e]
        stripped = chunk.strip()
        if stripped:
            s += len(chunk) - len(chunk.lstrip())
            yield s, s + len(stripped)


def article_citation_style(article: Article) -> CitationStyle:
    """The citation style of ``article`` (:func:`extractor.citations.citation_style`
    of its paragraphs below the title and its reference list)."""
    if len(article.references) < 2:
        return "brackets"
    return citation_style(
        (article.text[p.start : p.end] for sec in article.sections if sec.name != TITLE_SECTION for p in sec.paragraphs),
        len(article.references),
    )


def segment_article(
    article: Article,
    segmenter: Language,
    *,
    skip_sections: Iterable[str] = ("References",),
    batch_size: int = 64,
    paragraphs: Sequence[ParagraphDoc] | None = None,
) -> Article:
    """Return ``article`` with its sentences (in text order).

    Parameters
    ----------
    article : Article
        From a reader.
    segmenter : Language
        From :func:`make_segmenter`.
    skip_sections : iterable of str
        Sections left without sentences (reference entries are not prose).
    batch_size : int
        Paragraphs per ``nlp.pipe`` batch.
    paragraphs : sequence of ParagraphDoc, optional
        The article's paragraphs already tokenized by the segmenter's
        tokenizer rules (:func:`paragraph_docs`); by default they are
        tokenized here.

    Examples
    --------
    >>> from extractor.io.readers.text import parse_text
    >>> a = parse_text("T\\n\\nResults\\n\\nIt works [1]. So does e.g. Fig. 2.\\n\\nMore.")
    >>> a = segment_article(a, make_segmenter())
    >>> [(a.text[s.start:s.end], s.section, s.paragraph, s.citations) for s in a.sentences][1:3]
    [('It works [1].', 'Results', 1, ('1',)), ('So does e.g. Fig. 2.', 'Results', 1, ())]
    """
    if paragraphs is None:
        # the tokenizer plus the splitter's rule (what the extractor_sentencizer
        # component computes), without building Doc.text or Doc.sents per token
        paragraphs = paragraph_docs(article, segmenter.tokenizer, skip_sections=skip_sections, batch_size=batch_size)
    style = article_citation_style(article)
    sentences: list[Sentence] = []
    for para in paragraphs:
        text = para.text
        for s, e in _spans(para.doc, text):
            sentences.append(Sentence(para.start + s, para.start + e, para.section, para.paragraph,
                                      paragraph_citations(text[s:e], style)))
    sentences.sort(key=lambda x: (x.start, x.end))
    return replace(article, sentences=tuple(sentences))
