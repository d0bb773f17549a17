"""Numeric in-text citation markers.

Input: a text string and the article's citation style. Output:
:class:`CitationMarker` records (span and the cited reference numbers,
ranges expanded), or the sorted unique numbers of a span.

Three numeric styles are read:

- ``brackets`` (the default): ``[1]``, ``[1,2]``, ``[1-3]``, ``[1–3]``,
  ``[1•, 2]``, ``[1, 3-5]``, ``[1;2]``. Brackets holding anything else
  (``[2.5 mg]``, ``[95% CI]``, ``[2020]``) are not citations.
- ``parentheses``: ``(1)``, ``(1, 2)``, ``(3-5)``.
- ``superscript``: Unicode superscript digits, ``pain¹``, ``pain¹˒²``, ``pain¹⁻³``.

Parentheses and superscripts also hold other things (enumerations, "(n =
5)", m²), so :func:`citation_style` takes them for citations only in an
article with a numbered reference list that has no bracket citations and
whose markers of that style cite the references the way numeric styles
number them: most references, first cited in ascending order. Author-year
citations are out of scope.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from typing import Iterable, Literal

#: How an article marks its citations (see the module docstring).
CitationStyle = Literal["brackets", "parentheses", "superscript"]

__all__ = [
    "CitationMarker",
    "CitationStyle",
    "find_citations",
    "paragraph_citations",
    "citation_style",
    "MAX_RANGE",
]

log = logging.getLogger(__name__)

#: Longest range expanded (``[1-50]``); longer ranges keep only their ends.
MAX_RANGE = 50
#: Numbers above this are taken for years or quantities, not references.
_MAX_NUMBER = 999

_MARK = "•*†‡§¶'’"
_ITEM = rf"\d{{1,4}}[{_MARK}]?(?:\s*[-–—]\s*\d{{1,4}}[{_MARK}]?)?"
_BRACKET = re.compile(rf"\[\s*({_ITEM}(?:\s*[,;]\s*{_ITEM})*)\s*\]")
_RANGE = re.compile(rf"(\d+)[{_MARK}]?\s*[-–—]\s*(\d+)")
_PLAIN_ITEM = r"\d{1,3}(?:\s*[-–—]\s*\d{1,3})?"
_PAREN = re.compile(rf"\(\s*({_PLAIN_ITEM}(?:\s*[,;]\s*{_PLAIN_ITEM})*)\s*\)")
_SUP_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP = re.compile(rf"[{_SUP_DIGITS}]{{1,3}}(?:[˒,⁻–—-][{_SUP_DIGITS}]{{1,3}})*")
_FROM_SUP = str.maketrans(_SUP_DIGITS + "˒⁻", "0123456789,-")
#: Share of the reference list that markers of a style must cite, and share
#: of their first citations that must come in ascending order, for
#: :func:`citation_style` to take them for citations.
_MIN_COVERAGE = 0.5
_MIN_ASCENDING = 0.8


@dataclass(frozen=True, slots=True)
class CitationMarker:
    """One bracketed citation marker: span into the text and the numbers."""

    start: int
    end: int
    numbers: tuple[str, ...]


def _expand(content: str) -> tuple[str, ...] | None:
    out: list[int] = []
    for item in re.split(r"\s*[,;]\s*", content.strip()):
        m = _RANGE.fullmatch(item)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > b or b > _MAX_NUMBER or a == 0:
                return None
            if b - a + 1 > MAX_RANGE:
                log.debug("citation range %d-%d longer than %d: ends kept", a, b, MAX_RANGE)
                out.extend((a, b))
            else:
                out.extend(range(a, b + 1))
        else:
            n = int(item.rstrip(_MARK))
            if n == 0 or n > _MAX_NUMBER:
                return None
            out.append(n)
    return tuple(str(n) for n in out)


def find_citations(text: str, style: CitationStyle = "brackets") -> list[CitationMarker]:
    """Find numeric citation markers of ``style`` in ``text``, in text order.

    Examples
    --------
    >>> [m.numbers for m in find_citations("as shown [1, 3-5] and [2•, 7]")]
    [('1', '3', '4', '5'), ('2', '7')]
    >>> find_citations("a dose [2.5 mg] in [2020]")
    []
    >>> [m.numbers for m in find_citations("pain (1, 3-4) and nausea¹⁻²", "parentheses")]
    [('1', '3', '4')]
    >>> [m.numbers for m in find_citations("pain (1, 3-4) and nausea¹⁻² in 5 m² at 10⁶", "superscript")]
    [('1', '2')]
    """
    found: list[CitationMarker] = []
    if style == "superscript":
        for m in _SUP.finditer(text):
            numbers = _expand(m.group(0).translate(_FROM_SUP))
            if numbers and m.start() and _after_word(text, m.start()):
                found.append(CitationMarker(m.start(), m.end(), numbers))
        return found
    opener, pattern = ("(", _PAREN) if style == "parentheses" else ("[", _BRACKET)
    if opener not in text:
        return found
    for m in pattern.finditer(text):
        numbers = _expand(m.group(1))
        if numbers:
            found.append(CitationMarker(m.start(), m.end(), numbers))
    return found


#: Units whose superscript is a power, not a citation ("5 m²").
_UNITS = frozenset("m cm mm km µm μm nm dm ft in s ms h l dl ml g kg mg".split())
_WORD_BEFORE = re.compile(r"(\w+)[.,;:)\]]?$")


def _after_word(text: str, i: int) -> bool:
    """Whether a superscript at ``i`` follows a word (or its closing
    punctuation) that is neither a number nor a unit."""
    m = _WORD_BEFORE.search(text, max(0, i - 40), i)
    return bool(m) and not m.group(1).isdigit() and m.group(1).lower() not in _UNITS


def _ascending_share(firsts: list[int]) -> float:
    """Share of ``firsts`` in their longest non-decreasing subsequence."""
    tails: list[int] = []
    for x in firsts:
        i = bisect.bisect_right(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails) / len(firsts) if firsts else 0.0


def citation_style(paragraphs: Iterable[str], n_references: int) -> CitationStyle:
    """The citation style of an article: its body ``paragraphs`` and the
    number of entries in its reference list.

    Brackets unless the article has no bracket citations, has at least two
    references, and the markers of one other style cite at least half of
    the references with their first citations in ascending order (numeric
    styles number references in order of first citation). Enumerations
    ("(1) ... (2) ...") cite too few references to pass.

    Examples
    --------
    >>> body = ["Drug A helps (1). It also (2, 3) works.", "Drug B harms (4).", "Steps: (1) mix, (2) stir."]
    >>> citation_style(body, 4), citation_style(body, 30), citation_style(["As shown [1]."], 4)
    ('parentheses', 'brackets', 'brackets')
    """
    texts = list(paragraphs)
    if n_references < 2 or any(find_citations(t) for t in texts):
        return "brackets"
    for style in ("parentheses", "superscript"):
        firsts: list[int] = []
        seen: set[int] = set()
        for t in texts:
            for m in find_citations(t, style):
                for n in map(int, m.numbers):
                    if n <= n_references and n not in seen:
                        seen.add(n)
                        firsts.append(n)
        if len(seen) >= max(2, _MIN_COVERAGE * n_references) and _ascending_share(firsts) >= _MIN_ASCENDING:
            return style
    return "brackets"


def paragraph_citations(text: str, style: CitationStyle = "brackets") -> tuple[str, ...]:
    """Sorted (numerically) unique reference numbers cited in ``text``.

    Examples
    --------
    >>> paragraph_citations("x [10]. y [2, 3]. z [2].")
    ('2', '3', '10')
    """
    nums = {n for m in find_citations(text, style) for n in m.numbers}
    return tuple(sorted(nums, key=int))
