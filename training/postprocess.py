"""Character-level clean-up of NER spans that the tokenizer cannot express.

Input: the article text and one entity's character span and label.
Output: zero or more narrowed ``(start, end)`` spans for that label.

scispacy's ``combined_rule_tokenizer`` keeps a hyphen or slash between
letters inside one token, so in "lidocaine-induced seizures" the chemical can
only be tagged as the whole token "lidocaine-induced", and "CPA/EE" or
"cisapride-diltiazem" only as one span. The model is trained on such expanded
spans (``training/convert.py``); :func:`refine_span` maps a predicted span
back to the entities inside it with generic English morphology only (no
entity names):

* a trailing hyphenated participle or adjective is cut ("-induced",
  "-treated", "-related", "-free", ...);
* a leading hyphenated modifier is cut ("non-", "low-", "high-", "pre-" ...);
* enclosing brackets are stripped ("(NMDA)");
* one token joining two words by "/" or "-" is split into two mentions, unless
  the first part is a chemical prefix ("alpha-", "trans-", "L-" ...).

The project's NER stage (``extractor/ner.py``) should apply it when turning
``doc.ents`` into mentions; ``training/eval_dev.py`` measures its effect.
"""

from __future__ import annotations

import re

__all__ = ["trim_span", "refine_span"]

# adjectives that attach to a noun with a hyphen and are never part of a name
_ADJ = (
    "like|free|dependent|independent|resistant|sensitive|specific|positive|negative|"
    "prone|naive|rich|poor|deficient|devoid|avid|responsive|refractory|tolerant|"
    "intolerant|sparing|predominant|dominant|only|exposure|users?|abusers?|therapy|"
    "treatment|group|patients|levels?|use|type|precursors?|side|induction"
)
_SUFFIX = re.compile(rf"-(?:[a-z]{{2,}}(?:ed|ing)|{_ADJ})$")
_MODIFIER = re.compile(r"^(?:non|low|high|normal|pre|post|free|total|plasma|serum)-(?=[A-Za-z])", re.I)
# first parts after which "A-B" is one chemical name
_CHEM_PREFIX = {
    "alpha", "beta", "gamma", "delta", "epsilon", "omega", "kappa", "mu", "para", "meta",
    "ortho", "cis", "trans", "iso", "neo", "nor", "des", "aryl", "alkyl", "methyl", "ethyl",
    "acetyl", "amino", "hydroxy", "nitro", "chloro", "fluoro", "bromo", "iodo", "oxo", "tert",
    "sec", "dextro", "levo", "all", "interferon", "interleukin", "insulin", "immunoglobulin",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z]+")
_UNITS = {"min", "h", "hr", "day", "d", "l", "ml", "kg", "g", "mg", "dl", "s", "wk", "week", "m2"}


def trim_span(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """Narrow ``text[start:end]`` by hyphen-attached affixes and brackets.

    Parameters
    ----------
    text : str
        The document text the offsets point into.
    start, end : int
        Character span of the predicted entity (end exclusive).
    label : str
        ``Chemical`` or ``Disease``.

    Returns
    -------
    tuple of int
        The new ``(start, end)``; unchanged when no rule applies.

    Examples
    --------
    >>> trim_span("Lidocaine-induced seizures", 0, 17, "Chemical")
    (0, 9)
    >>> trim_span("5-fluorouracil", 0, 14, "Chemical")
    (0, 14)
    >>> trim_span("non-steroidal drugs", 0, 19, "Chemical")
    (0, 19)
    >>> trim_span("low-sodium diet", 0, 10, "Chemical")
    (4, 10)
    >>> trim_span("receptor (NMDA) antagonists", 9, 15, "Chemical")
    (10, 14)
    """
    span = text[start:end]
    if len(span) > 2 and span[0] + span[-1] in ("()", "[]") and span[1:-1].count("(") == span[1:-1].count(")"):
        start, end = start + 1, end - 1
        span = text[start:end]
    m = _SUFFIX.search(span)
    # keep at least 2 characters, and never cut inside a bracketed name
    if m and m.start() >= 2 and span.count("(") == span[: m.start()].count("("):
        end = start + m.start()
        span = text[start:end]
    # "non-X", "low-X" for one word X: the modifier is no part of the name;
    # multi-word spans ("non-steroidal anti-inflammatory drugs") are names
    p = _MODIFIER.match(span)
    if p and len(span) - p.end() >= 3 and " " not in span:
        start += p.end()
    return start, end


def refine_span(text: str, start: int, end: int, label: str) -> list[tuple[int, int]]:
    """Trim a predicted span and split one token joining two names.

    Parameters
    ----------
    text : str
        The document text the offsets point into.
    start, end : int
        Character span of the predicted entity (end exclusive).
    label : str
        ``Chemical`` or ``Disease``.

    Returns
    -------
    list of tuple of int
        One or two ``(start, end)`` spans, in text order.

    Examples
    --------
    >>> t = "CPA/EE and cisapride-diltiazem, beta-lactam, 5 mg/min"
    >>> [t[s:e] for s, e in refine_span(t, 0, 6, "Chemical")]
    ['CPA', 'EE']
    >>> [t[s:e] for s, e in refine_span(t, 11, 30, "Chemical")]
    ['cisapride', 'diltiazem']
    >>> [t[s:e] for s, e in refine_span(t, 32, 43, "Chemical")]
    ['beta-lactam']
    >>> [t[s:e] for s, e in refine_span(t, 47, 53, "Chemical")]
    ['mg/min']
    """
    start, end = trim_span(text, start, end, label)
    span = text[start:end]
    m = re.fullmatch(r"([A-Za-z][A-Za-z0-9]*)([/-])([A-Za-z][A-Za-z0-9]*)", span)
    if m:
        a, sep, b = m.groups()
        words = _WORD.fullmatch(a) and _WORD.fullmatch(b)
        if sep == "/":
            ok = words and b.lower() not in _UNITS and a.lower() not in _UNITS
        else:
            # "A-B" of two real words (>= 4 letters each), e.g. two drugs
            ok = words and len(a) >= 4 and len(b) >= 4 and a.lower() not in _CHEM_PREFIX
        if ok:
            cut = start + len(a)
            return [(start, cut), (cut + 1, end)]
    return [(start, end)] if end > start else []
