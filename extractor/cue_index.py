"""Cue look-up: the tokenizer and the lexicon matcher behind the cue judgements.

Input: the text of one sentence, and lexicons of :class:`CueEntry` patterns
(space-separated tokens, ``*`` = prefix: ``reduc*`` matches *reduce*,
*reduced*, *reduction* ...). Output: :class:`Token` lists
(:func:`tokenize`), token ranges of character spans (:func:`tokens_in`) and
the longest, non-overlapping :class:`Cue` matches of a lexicon
(:func:`find_cues`, :func:`locate_cues`).

The vocabularies themselves and the judgements made from the matches
(negation, hedging, direction, relation class) are in :mod:`extractor.cues`.
Everything is dependency-free and deterministic: a regex tokenizer, and
per-lexicon and per-token-list look-up tables built once and remembered
(token lists are not modified in place).

Examples
--------
>>> toks = tokenize("Drug A did not reduce pain.")
>>> [t.lower for t in toks][:4]
['drug', 'a', 'did', 'not']
>>> [c.label for c in find_cues(toks, cue_entries("not|did not|reduc*=reduce"))]
['did not', 'reduce']
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

__all__ = [
    "Token",
    "Cue",
    "CueEntry",
    "tokenize",
    "tokens_in",
    "cue_entries",
    "find_cues",
    "locate_cues",
]

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?|[^\sA-Za-z0-9]")


class Token(NamedTuple):
    """A token: surface text, lower-cased text and character span.

    Immutable (a named tuple: built several times faster than a frozen
    dataclass, and the relation stage builds hundreds of thousands).
    """

    text: str
    lower: str
    start: int
    end: int


_new_token = tuple.__new__


@dataclass(frozen=True, slots=True)
class CueEntry:
    """A lexicon entry: space-separated token patterns (``*`` = prefix),
    the label reported when it matches and its strength in [0, 1]."""

    pattern: str
    label: str
    strength: float = 1.0


@dataclass(frozen=True, slots=True)
class Cue:
    """A lexicon entry matched at tokens ``[start, end)``."""

    label: str
    start: int
    end: int
    strength: float


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split ``text`` into word and punctuation tokens (hyphens split).

    Parameters
    ----------
    text : str
        The text (usually one sentence).
    offset : int
        Added to every character offset (to point into the article text).

    Examples
    --------
    >>> [t.text for t in tokenize("drug-induced rash")]
    ['drug', '-', 'induced', 'rash']
    """
    low = text.lower().replace("\u2019", "'")
    if len(low) != len(text) or "\u03a3" in text:
        # a character whose lower case is longer, or a capital sigma (its
        # lower case depends on the context): lower-case token by token
        return [
            _new_token(Token, (m.group(0), m.group(0).lower().replace("\u2019", "'"), m.start() + offset, m.end() + offset))
            for m in _TOKEN_RE.finditer(text)
        ]
    out = []
    for m in _TOKEN_RE.finditer(text):
        a, b = m.span()
        out.append(_new_token(Token, (text[a:b], low[a:b], a + offset, b + offset)))
    return out


#: Character starts and ends of recently seen token lists: id -> (tokens,
#: length, starts, ends).
_SPANS: dict[int, tuple] = {}
_SPANS_MAX = 256


def tokens_in(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    """Token index range ``[i, j)`` covering characters ``[start, end)``.

    Returns ``(i, i)`` (empty) when no token overlaps the span. ``tokens``
    are in text order (as :func:`tokenize` returns them); the offsets of a
    token list are looked up once and remembered for the next calls.

    Examples
    --------
    >>> tokens_in(tokenize("drug-induced rash"), 5, 17)
    (2, 4)
    """
    hit = _SPANS.get(id(tokens))
    if hit is None or hit[0] is not tokens or hit[1] != len(tokens):
        if len(_SPANS) >= _SPANS_MAX:
            del _SPANS[next(iter(_SPANS))]
        hit = (tokens, len(tokens), [t.start for t in tokens], [t.end for t in tokens])
        _SPANS[id(tokens)] = hit
    i = bisect.bisect_right(hit[3], start)  # first token ending after start
    return i, bisect.bisect_left(hit[2], end, i)  # first token from i starting at or after end


def cue_entries(spec: str, strength: float = 1.0) -> tuple[CueEntry, ...]:
    """A lexicon from ``"a|b=label|c"``: one entry per ``|``-separated
    pattern, labelled by the pattern without ``*`` unless ``pattern=label``
    sets the label; every entry gets ``strength``.

    Examples
    --------
    >>> [(e.pattern, e.label) for e in cue_entries("reduc*=reduce|did not")]
    [('reduc*', 'reduce'), ('did not', 'did not')]
    """
    out = []
    for item in spec.split("|"):
        item = item.strip()
        if not item:
            continue
        pattern, _, label = item.partition("=")
        out.append(CueEntry(pattern.strip(), (label or pattern.replace("*", "")).strip(), strength))
    return tuple(out)


# ------------------------------------------------------------------ lexicon matching


def _match(tokens: Sequence[Token], i: int, parts: Sequence[str]) -> bool:
    if i + len(parts) > len(tokens):
        return False
    for k, p in enumerate(parts):
        w = tokens[i + k].lower
        if p.endswith("*"):
            if not w.startswith(p[:-1]):
                return False
        elif w != p:
            return False
    return True


_SPLIT_CACHE: dict[str, tuple[str, ...]] = {}


def _parts(pattern: str) -> tuple[str, ...]:
    p = _SPLIT_CACHE.get(pattern)
    if p is None:
        p = tuple(pattern.split())
        _SPLIT_CACHE[pattern] = p
    return p


_INDEX_CACHE: dict[int, tuple] = {}
#: Largest number of distinct words remembered per lexicon.
_MEMO_MAX = 50_000


def _index(lexicon: Sequence[CueEntry]) -> tuple[dict, dict, dict]:
    """Per-lexicon look-up tables, built once: exact first words, wildcard
    first-word stems keyed by their first (up to) three characters, and a
    memo of the candidates of each word seen."""
    hit = _INDEX_CACHE.get(id(lexicon))
    if hit is not None and hit[0] is lexicon:
        return hit[1], hit[2], hit[3]
    exact: dict[str, list] = {}
    wild: dict[str, list] = {}
    for order, e in enumerate(lexicon):
        parts = _parts(e.pattern)
        if not parts:
            continue
        if parts[0].endswith("*"):
            stem = parts[0][:-1]
            wild.setdefault(stem[:3], []).append((order, stem, parts, e))
        else:
            exact.setdefault(parts[0], []).append((order, parts, e))
    memo: dict[str, tuple] = {}
    _INDEX_CACHE[id(lexicon)] = (lexicon, exact, wild, memo)
    return exact, wild, memo


def _candidates(exact: dict, wild: dict, memo: dict, word: str) -> tuple:
    """Entries whose first pattern token matches ``word``, as ``(parts,
    entry)`` in lexicon order (so ties resolve as in a linear scan); the
    tables come from :func:`_index` and the result is memoised there."""
    found = list(exact.get(word, ()))
    for k in range(1, min(len(word), 3) + 1):
        for order, stem, parts, e in wild.get(word[:k], ()):
            if word.startswith(stem) and (len(stem) >= 3 or len(stem) == k):
                found.append((order, parts, e))
    cands = tuple((parts, e) for _order, parts, e in sorted(found, key=lambda f: f[0]))
    if len(memo) < _MEMO_MAX:
        memo[word] = cands
    return cands


#: Lexicons seen by :func:`find_cues`, in order (index = lexicon number).
_LEXICONS: list[Sequence[CueEntry]] = []
_LEXICON_NO: dict[int, int] = {}
#: Word -> numbers of the lexicons with an entry whose first pattern token
#: matches it (cleared when a new lexicon is seen).
_WORD_HITS: dict[str, tuple[int, ...]] = {}
#: Recently seen token lists: id -> (tokens, length, number of lexicons,
#: positions per lexicon number). Holding the list keeps its id from being
#: reused while the entry lives.
_LIST_HITS: dict[int, tuple] = {}
#: How many token lists are remembered.
_LIST_HITS_MAX = 256
#: How many lexicons are registered before the registry starts over.
_LEXICONS_MAX = 64


#: First words of the entries of all registered lexicons: word -> lexicon
#: numbers, and wildcard stems by their first (up to) three characters.
_ALL_EXACT: dict[str, set[int]] = {}
_ALL_WILD: dict[str, list[tuple[str, int]]] = {}


def _lexicon_no(lexicon: Sequence[CueEntry]) -> int:
    """The number of ``lexicon`` (registered on first use)."""
    no = _LEXICON_NO.get(id(lexicon))
    if no is not None and _LEXICONS[no] is lexicon:
        return no
    if len(_LEXICONS) >= _LEXICONS_MAX:  # many throw-away lexicons: start over
        _LEXICONS.clear()
        _LEXICON_NO.clear()
        _LIST_HITS.clear()
        _ALL_EXACT.clear()
        _ALL_WILD.clear()
    _LEXICONS.append(lexicon)
    no = len(_LEXICONS) - 1
    _LEXICON_NO[id(lexicon)] = no
    for e in lexicon:
        parts = _parts(e.pattern)
        if not parts:
            continue
        if parts[0].endswith("*"):
            stem = parts[0][:-1]
            _ALL_WILD.setdefault(stem[:3], []).append((stem, no))
        else:
            _ALL_EXACT.setdefault(parts[0], set()).add(no)
    _WORD_HITS.clear()
    return no


def _word_hits(word: str) -> tuple[int, ...]:
    """Numbers of the lexicons with an entry whose first pattern token
    matches ``word`` (as :func:`_candidates` would find it)."""
    hits = _WORD_HITS.get(word)
    if hits is None:
        found = set(_ALL_EXACT.get(word, ()))
        for k in range(1, min(len(word), 3) + 1):
            for stem, no in _ALL_WILD.get(word[:k], ()):
                if word.startswith(stem):
                    found.add(no)
        hits = tuple(sorted(found))
        if len(_WORD_HITS) < _MEMO_MAX:
            _WORD_HITS[word] = hits
    return hits


def _list_hits(tokens: Sequence[Token]) -> tuple:
    """Positions of ``tokens`` where each lexicon may match (by lexicon
    number): one pass per token list for all lexicons, remembered for the
    next calls (token lists are not modified in place)."""
    table: dict[int, list[int]] = {}
    get = _WORD_HITS.get
    for i, t in enumerate(tokens):
        hs = get(t.lower)
        if hs is None:
            hs = _word_hits(t.lower)
        for h in hs:
            if h in table:
                table[h].append(i)
            else:
                table[h] = [i]
    if len(_LIST_HITS) >= _LIST_HITS_MAX:
        del _LIST_HITS[next(iter(_LIST_HITS))]
    hit = (tokens, len(tokens), len(_LEXICONS), table)
    _LIST_HITS[id(tokens)] = hit
    return hit


def _positions_of(tokens: Sequence[Token], lexicon: Sequence[CueEntry]) -> list[int]:
    """Sorted positions of ``tokens`` where an entry of ``lexicon`` may start."""
    no = _LEXICON_NO.get(id(lexicon))
    if no is None or _LEXICONS[no] is not lexicon:
        no = _lexicon_no(lexicon)
    hit = _LIST_HITS.get(id(tokens))
    if hit is None or hit[0] is not tokens or hit[1] != len(tokens) or hit[2] != len(_LEXICONS):
        hit = _list_hits(tokens)
    return hit[3].get(no) or []


def _matches(
    tokens: Sequence[Token], lexicon: Sequence[CueEntry], positions: list[int], lo: int, hi: int
) -> list[Cue]:
    """:func:`find_cues` over ``tokens[lo:hi]`` (``0 <= lo < hi <= len``)
    given the candidate ``positions`` of ``lexicon``."""
    out: list[Cue] = []
    if not positions or positions[-1] < lo or positions[0] >= hi:
        return out
    exact, wild, memo = _index(lexicon)
    nxt = lo
    for k in range(bisect.bisect_left(positions, lo), len(positions)):
        i = positions[k]
        if i >= hi:
            break
        if i < nxt:
            continue
        word = tokens[i].lower
        cands = memo.get(word)
        if cands is None:
            cands = _candidates(exact, wild, memo, word)
        best: tuple[int, CueEntry] | None = None
        for parts, e in cands:
            n_parts = len(parts)
            if i + n_parts <= hi and (best is None or n_parts > best[0]) and (
                n_parts == 1 or _match(tokens, i, parts)
            ):
                best = (n_parts, e)
        if best is not None:
            out.append(Cue(best[1].label, i, i + best[0], best[1].strength))
            nxt = i + best[0]
    return out


def find_cues(
    tokens: Sequence[Token], lexicon: Sequence[CueEntry], lo: int = 0, hi: int | None = None
) -> list[Cue]:
    """All longest, non-overlapping matches of ``lexicon`` in ``tokens[lo:hi]``
    (scanning left to right from ``lo``).

    The positions where a lexicon may match are looked up once per token
    list (for all lexicons) and remembered for the next calls (token lists
    are not modified in place).

    Examples
    --------
    >>> toks = tokenize("a potential risk of nausea")
    >>> [(c.label, c.start) for c in find_cues(toks, cue_entries("potential*=potential|risk of"))]
    [('potential', 1), ('risk of', 2)]
    """
    n = len(tokens)
    if hi is None or hi > n:
        hi = n
    lo = max(lo, 0)
    if lo >= hi:
        return []
    return _matches(tokens, lexicon, _positions_of(tokens, lexicon), lo, hi)


def locate_cues(
    tokens: Sequence[Token], lex: Sequence[CueEntry], zones: Iterable[tuple[int, int, float]]
) -> list[tuple[Cue, float]]:
    """The matches of ``lex`` in each zone ``(lo, hi, weight)`` of ``tokens``
    (:func:`find_cues` over ``tokens[lo:hi]``), each with the weight of the
    first zone it is found in (a cue at the same start with the same label
    counts once), zones in the given order.

    Examples
    --------
    >>> toks = tokenize("x reduced y and reduced z")
    >>> [(c.start, w) for c, w in locate_cues(toks, cue_entries("reduc*"), [(0, 3, 1.0), (0, 6, 0.5)])]
    [(1, 1.0), (4, 0.5)]
    """
    positions = _positions_of(tokens, lex)
    if not positions:
        return []
    out = []
    seen = set()
    n = len(tokens)
    for lo, hi, w in zones:
        lo, hi = max(lo, 0), min(hi, n)
        if hi <= lo:
            continue
        for c in _matches(tokens, lex, positions, lo, hi):
            if (c.start, c.label) not in seen:
                seen.add((c.start, c.label))
                out.append((c, w))
    return out
