"""Numeric in-text citation markers.

Input: a text string. Output: :class:`CitationMarker` records (span and the
cited reference numbers, ranges expanded), or the sorted unique numbers of a
span. Recognised forms: ``[1]``, ``[1,2]``, ``[1-3]``, ``[1–3]``,
``[1•, 2]``, ``[1, 3-5]``, ``[1;2]``. Brackets holding anything else
(``[2.5 mg]``, ``[95% CI]``, ``[2020]``) are not citations. Author-year and
superscript citations are out of scope.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

__all__ = ["CitationMarker", "find_citations", "paragraph_citations", "MAX_RANGE"]

log = logging.getLogger(__name__)

#: Longest range expanded (``[1-50]``); longer ranges keep only their ends.
MAX_RANGE = 50
#: Numbers above this are taken for years or quantities, not references.
_MAX_NUMBER = 999

_MARK = "•*†‡§¶'’"
_ITEM = rf"\d{{1,4}}[{_MARK}]?(?:\s*[-–—]\s*\d{{1,4}}[{_MARK}]?)?"
_BRACKET = re.compile(rf"\[\s*({_ITEM}(?:\s*[,;]\s*{_ITEM})*)\s*\]")
_RANGE = re.compile(rf"(\d+)[{_MARK}]?\s*[-–—]\s*(\d+)")


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


def find_citations(text: str) -> list[CitationMarker]:
    """Find numeric citation markers in ``text``, in text order.

    Examples
    --------
    >>> [m.numbers for m in find_citations("as shown [1, 3-5] and [2•, 7]")]
    [('1', '3', '4', '5'), ('2', '7')]
    >>> find_citations("a dose [2.5 mg] in [2020]")
    []
    """
    found: list[CitationMarker] = []
    if "[" not in text:
        return found
    for m in _BRACKET.finditer(text):
        numbers = _expand(m.group(1))
        if numbers:
            found.append(CitationMarker(m.start(), m.end(), numbers))
    return found


def paragraph_citations(text: str) -> tuple[str, ...]:
    """Sorted (numerically) unique reference numbers cited in ``text``.

    Examples
    --------
    >>> paragraph_citations("x [10]. y [2, 3]. z [2].")
    ('2', '3', '10')
    """
    nums = {n for m in find_citations(text) for n in m.numbers}
    return tuple(sorted(nums, key=int))
