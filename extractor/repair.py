"""Repairs of text-extraction artefacts (PDF, copy-paste, hard-wrapped text).

Input: raw paragraph blocks (strings that may hold line breaks). Output:
clean one-line paragraph strings. All functions are pure.

* :func:`normalize_unicode` -- NFC, ligatures, non-breaking / zero-width
  spaces, soft hyphens.
* :func:`dehyphenate` -- words split across a line break (``analge-\\nsia``).
* :func:`join_lines` -- soft line breaks inside a paragraph become spaces.
* :func:`merge_broken_paragraphs` -- a paragraph broken by a page break (it
  ends mid-sentence and the next block continues it) becomes one.
* :func:`split_wrapped_block` -- a block of wrapped lines with no blank lines
  between paragraphs (PDF text) split at short sentence-final lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "normalize_unicode",
    "dehyphenate",
    "join_lines",
    "repair_block",
    "is_continuation",
    "merge_broken_paragraphs",
    "split_wrapped_block",
    "word_vocabulary",
    "replace_surrogates",
]

_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
    "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st",
}
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_LIG_RE = re.compile("[" + "".join(_LIGATURES) + "]")


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """Replace lone surrogates (not encodable as UTF-8) by U+FFFD.

    One character for one, so offsets into ``text`` still hold.

    Examples
    --------
    >>> replace_surrogates("a\\ud800b") == "a\\ufffdb"
    True
    """
    return _SURROGATE.sub("\ufffd", text)


def normalize_unicode(text: str) -> str:
    """NFC-normalise and replace ligatures, odd spaces and lone surrogates.

    Ligatures and invisible characters are handled before NFC so that the
    result is already normal (``normalize_unicode`` is idempotent).

    Examples
    --------
    >>> normalize_unicode("e\\ufb03cacy\\u00a0of 5\\u202fmg")
    'efficacy of 5 mg'
    >>> normalize_unicode("e\\u200b\\u0301") == "\\u00e9"
    True
    """
    text = replace_surrogates(text)
    text = _LIG_RE.sub(lambda m: _LIGATURES[m.group()], text)
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text)


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
# Anchored at a token start: unanchored, a long run of non-space characters
# was scanned again from each of its positions (quadratic).
_BROKEN_WORD = re.compile(r"(?<!\S)\S+-[ \t]*\n[ \t]*\S+")


def word_vocabulary(text: str) -> frozenset[str]:
    """Lower-cased words of ``text`` (hyphenated forms and their parts).

    Used by :func:`dehyphenate` to decide whether a split word is one word
    (``analgesia``) or a hyphenated compound (``opioid-sparing``).
    """
    words: set[str] = set()
    for w in _WORD.findall(_BROKEN_WORD.sub(" ", text)):
        lw = w.lower()
        words.add(lw)
        if "-" in lw:
            words.update(p for p in lw.split("-") if p)
    return frozenset(words)


_HYPHEN_BREAK = re.compile(r"(?<![A-Za-z0-9-])([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)-[ \t]*\n[ \t]*([a-z][A-Za-z0-9]*)")
# Fragments that end a word but are not words themselves.
_SUFFIXES = frozenset(
    "tion tions sion sions ment ments ness ity ities ing ings ed ly ia ic ical ics al ally ive "
    "ous ance ence ant ent ism ist ists ize ized ise able ible ure ures ory ary ery ogy ology "
    "sia sis ses ter ters tic tics ble ple cal".split()
)


def dehyphenate(text: str, vocabulary: Iterable[str] | None = None) -> str:
    """Join words hyphenated across a line break.

    The hyphen is kept when the left part already holds a hyphen or is not
    a plain lower-case word (``N-methyl-D-\\naspartate``), when the hyphenated
    form occurs in ``vocabulary``, or when both parts are words of
    ``vocabulary`` and the joined form is not; otherwise it is dropped.

    Examples
    --------
    >>> dehyphenate("effective analge-\\nsia")
    'effective analgesia'
    >>> dehyphenate("opioid-\\nsparing effects", {"opioid", "sparing"})
    'opioid-sparing effects'
    >>> dehyphenate("N-methyl-D-\\naspartate")
    'N-methyl-D-aspartate'
    """
    if "-" not in text or "\n" not in text:
        return text
    vocab = frozenset(vocabulary) if vocabulary is not None else word_vocabulary(text)

    def fix(m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        last = left.rsplit("-", 1)[-1]
        joined = (last + right).lower()
        hyphened = f"{last}-{right}".lower()
        keep = (
            "-" in left
            or not last.isalpha()
            or (last.isupper() and len(last) > 1)
            or len(last) == 1
            or hyphened in vocab
            or (joined not in vocab and last.lower() in vocab and right.lower() in vocab
                and right.lower() not in _SUFFIXES)
        )
        return f"{left}-{right}" if keep else f"{left}{right}"

    return _HYPHEN_BREAK.sub(fix, text)


def join_lines(text: str) -> str:
    """Collapse soft line breaks and runs of white space into one space.

    Examples
    --------
    >>> join_lines("  one\\n two   three \\n")
    'one two three'
    """
    return " ".join(text.split())


def repair_block(block: str, vocabulary: Iterable[str] | None = None) -> str:
    """Full repair of one paragraph block: unicode, hyphenation, line joins.

    Examples
    --------
    >>> repair_block("The analge-\\nsic\\u00a0effect\\nlasts.")
    'The analgesic effect lasts.'
    """
    return join_lines(dehyphenate(normalize_unicode(block), vocabulary))


_FINAL = re.compile(r"""[.!?:;][)\]"'”’]*(?:\s*\[[^\]]{1,40}\])?$|\[[\d,;\s–-]+\]$""")
_FUNCTION_END = re.compile(
    r"\b(?:a|an|the|of|and|or|to|in|on|at|by|for|with|from|as|is|are|was|were|be|been|"
    r"that|which|than|such|its|their|this|these|but|into|through|via|without|including)$",
    re.IGNORECASE,
)


def is_continuation(prev: str, nxt: str) -> bool:
    """Whether block ``nxt`` continues block ``prev`` across a page break.

    True when ``prev`` does not end a sentence and either ``nxt`` starts in
    lower case or ``prev`` ends with a hyphen, comma or function word.

    Examples
    --------
    >>> is_continuation("Its safety in these settings is", "crucial for its adoption.")
    True
    >>> is_continuation("It ends here.", "and more")
    False
    >>> is_continuation("Results", "The dose was 5 mg.")
    False
    """
    p, n = prev.rstrip(), nxt.lstrip()
    if not p or not n or _FINAL.search(p):
        return False
    if len(p.split()) < 3:  # a heading or a label, not a broken sentence
        return False
    if n[0].islower():
        return True
    return (p.endswith((",", "-")) or bool(_FUNCTION_END.search(p))) and n[0].isalnum()


def merge_broken_paragraphs(paragraphs: list[str]) -> list[str]:
    """Merge paragraphs that a page break split in two.

    Examples
    --------
    >>> merge_broken_paragraphs(["A safe drug is", "crucial here.", "Next one."])
    ['A safe drug is crucial here.', 'Next one.']
    >>> merge_broken_paragraphs(["Pain relief was analge-", "sic in all."])
    ['Pain relief was analgesic in all.']
    """
    out: list[str] = []
    for p in paragraphs:
        if out and is_continuation(out[-1], p):
            prev = out[-1].rstrip()
            if prev.endswith("-") and p.lstrip()[:1].islower():
                out[-1] = dehyphenate(prev + "\n" + p.lstrip())
            else:
                out[-1] = prev + " " + p.lstrip()
        else:
            out.append(p)
    return out


_SENT_END_LINE = re.compile(r"""[.!?][)\]"'”’]*(?:\s*\[[^\]]{1,40}\])?\s*$""")


def split_wrapped_block(block: str, ratio: float = 0.8) -> list[str]:
    """Split a block of wrapped lines at paragraph ends.

    A line that ends a sentence and is clearly shorter than the block's
    full line width ends a paragraph (the usual look of PDF text, which has
    no blank line between paragraphs). Blocks of fewer than four lines are
    returned whole.

    Examples
    --------
    >>> block = ("The first paragraph has a long line here\\n"
    ...          "and another long line of words here\\nshort end.\\n"
    ...          "The second one starts a long line here\\nand ends.")
    >>> len(split_wrapped_block(block))
    2
    """
    lines = block.split("\n")
    if len(lines) < 4:
        return [block]
    widths = sorted(len(ln.rstrip()) for ln in lines)
    full = widths[int(len(widths) * 0.75)]
    if full < 30:
        return [block]
    out: list[list[str]] = [[]]
    for i, ln in enumerate(lines):
        out[-1].append(ln)
        if i == len(lines) - 1 or not _SENT_END_LINE.search(ln):
            continue
        width = len(ln.rstrip())
        nxt = lines[i + 1].strip()
        first = nxt.split()[0] if nxt else ""
        # short line, or the next line's first word would have fitted on it
        if width < ratio * full or (first[:1].isupper() and width + 1 + len(first) < 0.92 * full):
            out.append([])
    return ["\n".join(p) for p in out if any(x.strip() for x in p)]
