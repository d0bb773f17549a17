"""Cue lexicons and scopes: negation, hedging, direction and relation triggers.

Input: the text of one sentence (and token spans of the two arguments of a
candidate relation). Output: :class:`Token` lists, :class:`Cue` matches and
per-relation judgements (:func:`negation_for`, :func:`hedge_for`,
:func:`direction_for`, and :func:`judge_pair`, the scoring function that
turns located cues into a relation class, predicate and strength, with
:func:`confidence_score`).

The lexicons are general to pharmacology writing (NegEx-style triggers,
modal/speculative hedges, change verbs, treatment and adverse-effect
framings); none names a drug, a condition or the wording of one article.
Everything is dependency-free and deterministic: a regex tokenizer and
prefix patterns (``reduc*`` matches *reduce*, *reduced*, *reduction* ...).

Examples
--------
>>> toks = tokenize("Drug A did not reduce pain.")
>>> [t.lower for t in toks][:4]
['drug', 'a', 'did', 'not']
>>> [c.label for c in find_cues(toks, NEGATION)]
['did not']
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

from extractor.model import Direction, EntityType, RelationClass

__all__ = [
    "Token",
    "Cue",
    "CueEntry",
    "tokenize",
    "find_cues",
    "tokens_in",
    "NEGATION",
    "PSEUDO_NEGATION",
    "HEDGE",
    "TERMINATORS",
    "HEDGE_TERMINATORS",
    "DECREASE",
    "INCREASE",
    "TREAT",
    "ADVERSE",
    "MECHANISM",
    "COMPARATOR",
    "negation_for",
    "hedge_for",
    "direction_for",
    "Judgement",
    "judge_pair",
    "confidence_score",
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


def _entries(spec: str, strength: float = 1.0) -> tuple[CueEntry, ...]:
    """``"a|b=label|c"`` -> entries; ``pattern=label`` sets the label."""
    out = []
    for item in spec.split("|"):
        item = item.strip()
        if not item:
            continue
        pattern, _, label = item.partition("=")
        out.append(CueEntry(pattern.strip(), (label or pattern.replace("*", "")).strip(), strength))
    return tuple(out)


# ------------------------------------------------------------------ lexicons

#: NegEx-style negation triggers (scope: following tokens up to a terminator).
NEGATION = _entries(
    "no|not|without|never|neither|nor|cannot|absence of|absent|lack of|lacked|lacks|"
    "failed to|fails to|fail to|did not|does not|do not|was not|were not|is not|are not|"
    "no evidence of|no evidence for|no significant|not associated|unrelated to|free of|"
    "ruled out|rule out|devoid of|none of"
)
#: Phrases that contain a negation word but do not negate.
PSEUDO_NEGATION = _entries(
    "not only|no longer|not necessarily|whether or not|not limited to|but not limited to|"
    "no doubt|not clear|not yet|not known|not well|if not|not been fully|cannot be excluded|"
    "cannot be ruled out|not always"
)
#: Speculation / hedging cues with their strength.
HEDGE = (
    _entries("may|might|could|possibl*=possible|potential*=potential|perhaps|putative|"
             "suggest*=suggest|hypothes*=hypothesis|presum*=presumably|unclear|uncertain*=uncertain|"
             "likely|unlikely|appear*=appear|seem*=seem|speculat*=speculate", 0.8)
    + _entries("investigat*=investigated|explor*=explored|promis*=promise|being evaluated|"
               "being studied|being assessed|under investigation|under evaluation|emerging|"
               "preliminary|warrant*=warrant|propos*=proposed|candidate|rationale", 0.6)
)
#: Words and marks that close the scope of a negation or hedge.
TERMINATORS = frozenset(
    "; : but however although though whereas while yet except which who that".split()
)
#: Terminators of a hedge scope ("suggest that ..." stays in scope).
HEDGE_TERMINATORS = TERMINATORS - {"that", "which", "who"}
#: Cues of a decrease of an outcome.
DECREASE = _entries(
    "reduc*=reduce|decreas*=decrease|lower*=lower|spar*=spare|attenuat*=attenuate|diminish*=diminish|"
    "minimi*=minimize|less|fewer|declin*=decline|drop*=drop|suppress*=suppress|alleviat*=alleviate|"
    "reliev*=relieve|lessen*=lessen|curb*=curb|cut|limit*=limit|abolish*=abolish|prevent*=prevent|"
    "mitigat*=mitigate|inhibit*=inhibit|shorten*=shorten|fall*=fall"
)
#: Cues of an increase of an outcome.
INCREASE = _entries(
    "improv*=improve|increas*=increase|enhanc*=enhance|relief|boost*=boost|elevat*=elevate|"
    "rais*=raise|restor*=restore|achiev*=achieve|facilitat*=facilitate|promot*=promote|"
    "accelerat*=accelerate|augment*=augment|greater|higher|gain*=gain|better|prolong*=prolong|"
    "ensur*=ensure|provid*=provide|superior"
)
#: Cues that a condition is treated / managed / prevented / studied.
TREAT = (
    _entries("treat*=treats|therap*=treats|efficac*=treats|effective*=treats|effectiveness=treats|"
             "benefit*=treats|remission=treats|cure*=treats|curative=treats|indicat*=treats|"
             "relief=treats|reliev*=treats|alleviat*=treats|improv*=treats|ameliorat*=treats|"
             "protect*=prevents|prevent*=prevents|prophyla*=prevents|attenuat*=treats|"
             "reversed=treats|antagoniz*=treats|counteract*=treats|"
             "manag*=manages|control*=manages|option=treats|application*=treats|"
             "utility=treats|role in=treats|used for=treats|use in=treats|adjunct=treats|"
             "address*=treats|combat*=treats|agent for=treats|tool for=treats|first - line=treats|"
             "drug of choice=treats|"
             "reduc* the risk of=prevents|reduc* risk of=prevents|lower* the risk of=prevents|"
             "decreas* the risk of=prevents|reduc* the incidence of=prevents|"
             "reduc* the incidence=prevents|decreas* the incidence of=prevents", 1.0)
    + _entries("investigat*=investigated_for|explor*=investigated_for|studied=investigated_for|"
               "trial*=investigated_for|evaluat*=investigated_for|promis*=investigated_for|"
               "potential=investigated_for|research*=investigated_for|studies=investigated_for|"
               "candidate for=investigated_for", 0.5)
    # administration, not indication ("patients treated with X developed Y"):
    # these shadow "treat*" and are too weak to make a treats reading
    + _entries("treated with=investigated_for|treatment with=investigated_for|"
               "therapy with=investigated_for|treated by=investigated_for|"
               "treatment including=investigated_for|receiving=investigated_for", 0.2)
)
#: Cues that a condition is framed as an adverse effect of the drug.
ADVERSE = (
    _entries("induc*=causes|caus*=causes|side effect*=causes|side - effect*=causes|"
             "adverse=causes|toxicit*=causes|toxic=causes|poisoning=causes|overdos*=causes|"
             "intoxicat*=causes|complication*=causes|provok*=causes|precipitat*=causes|"
             "develop*=causes|produc*=causes|evok*=causes|elicit*=causes|resulted in=causes|"
             "result in=causes|led to=causes|lead to=causes|secondary to=causes|due to=causes|"
             "withdrawal=causes|abuse=causes|exacerbat*=causes|worsen*=causes|aggravat*=causes|"
             "safety=risks|risk*=risks|tolerability=risks|hazard*=risks|sequelae=causes|"
             "limited by=risks", 1.0)
    + _entries("following=causes|after=causes|associated with=risks|incidence=risks|"
               "reported=causes|occurred=causes|experienced=causes", 0.5)
)
#: Administration phrases that state a treatment when they follow the
#: condition directly ("hypertension treated with X", "seizures controlled
#: with X"), unlike "patients treated with X developed Y".
TREATED_WITH = _entries(
    "treated with|treated by|treated successfully with|successfully treated with|managed with|"
    "controlled with|controlled by|responded to|responding to|responsive to", 1.0
)
#: Mechanism / target predicates.
MECHANISM = _entries(
    "antagon*=antagonizes|block*=inhibits|inhibit*=inhibits|suppress*=inhibits|"
    "agonis*=agonizes|agoniz*=agonizes|agonist*=agonizes|activat*=agonizes|stimulat*=agonizes|"
    "modulat*=modulates|desensiti*=modulates|attenuat*=modulates|mitigat*=modulates|"
    "through=acts_through|via=acts_through|mediat*=acts_through|interact*=acts_through|"
    "bind*=acts_through|target*=acts_through|mechanism*=acts_through|acts on=acts_through"
)
#: Phrases that put a drug in a comparator role (weaker link to the object).
COMPARATOR = _entries(
    "compared with|compared to|versus|vs|than|instead of|rather than|unlike|relative to|"
    "placebo|control group|switched from"
)


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
    >>> [(c.label, c.start) for c in find_cues(toks, HEDGE)]
    [('potential', 1)]
    """
    n = len(tokens)
    if hi is None or hi > n:
        hi = n
    lo = max(lo, 0)
    if lo >= hi:
        return []
    return _matches(tokens, lexicon, _positions_of(tokens, lexicon), lo, hi)


def _terminator_between(
    tokens: Sequence[Token], a: int, b: int, terminators: frozenset[str] = TERMINATORS
) -> bool:
    return any(tokens[k].lower in terminators for k in range(max(a, 0), min(b, len(tokens))))


def negation_for(
    tokens: Sequence[Token], first: tuple[int, int], second: tuple[int, int], window: int = 6
) -> Cue | None:
    """The negation cue whose scope covers a relation, or None.

    The relation spans tokens ``first`` then ``second`` (each ``[i, j)``,
    ``first`` earlier). A cue negates it when it lies between the two
    arguments, or at most ``window`` tokens before the first with no scope
    terminator in between (NegEx). Pseudo-negations ("not only", "no longer")
    never negate.

    Examples
    --------
    >>> t = tokenize("Drug A did not reduce pain")
    >>> negation_for(t, (0, 2), (5, 6)).label
    'did not'
    >>> negation_for(tokenize("Drug A reduced pain, not fever"), (0, 2), (3, 4)) is None
    True
    """
    lo = max(0, first[0] - window)
    cues = find_cues(tokens, NEGATION, lo, second[0])
    if not cues:
        return None
    pseudo_toks = {k for c in find_cues(tokens, PSEUDO_NEGATION) for k in range(c.start, c.end)}
    for c in cues:
        if c.start in pseudo_toks:
            continue
        if first[1] <= c.start < second[0]:
            if not _terminator_between(tokens, c.end, second[0]):
                return c
        elif c.end <= first[0] and not _terminator_between(tokens, c.end, first[0]):
            return c
    return None


def hedge_for(
    tokens: Sequence[Token], first: tuple[int, int], second: tuple[int, int], window: int = 8
) -> float:
    """Hedging strength in [0, 1] of a relation spanning ``first``..``second``.

    Counts hedge cues between the arguments, inside them, or up to
    ``window`` tokens around them without crossing a scope terminator.

    Examples
    --------
    >>> t = tokenize("Drug B may prevent migraine")
    >>> hedge_for(t, (0, 2), (4, 5))
    0.8
    >>> hedge_for(tokenize("Drug B prevents migraine"), (0, 2), (3, 4))
    0.0
    """
    lo = max(0, first[0] - window)
    hi = min(len(tokens), second[1] + window)
    best = 0.0
    for c in find_cues(tokens, HEDGE, lo, hi):
        if c.end <= first[0]:
            if _terminator_between(tokens, c.end, first[0], HEDGE_TERMINATORS):
                continue
        elif c.start >= second[1]:
            if _terminator_between(tokens, second[1], c.start, HEDGE_TERMINATORS):
                continue
        elif first[1] <= c.start < second[0] and _terminator_between(tokens, c.end, second[0], HEDGE_TERMINATORS):
            continue
        best = max(best, c.strength)
    return best


def direction_for(
    tokens: Sequence[Token], obj: tuple[int, int], lo: int, window: int = 5, right: bool = True
) -> tuple[str | None, Cue | None]:
    """Direction (``"increase"``, ``"decrease"`` or None) of a change in the
    outcome at tokens ``obj``.

    Looks inside the outcome phrase first, then leftwards from it (nearest
    cue wins) down to token ``lo`` but at most ``window`` tokens away, then
    a participle one or two tokens to its right ("pain was reduced") unless
    ``right`` is False.

    Examples
    --------
    >>> t = tokenize("Drug C reduced opioid consumption")
    >>> direction_for(t, (3, 5), 0)[0]
    'decrease'
    >>> direction_for(tokenize("Drug C improved sleep quality"), (3, 5), 0)[0]
    'increase'
    """
    cands: list[tuple[int, str, Cue]] = []
    for name, lex in (("decrease", DECREASE), ("increase", INCREASE)):
        for c in find_cues(tokens, lex, obj[0], obj[1]):
            cands.append((0, name, c))
        for c in find_cues(tokens, lex, max(lo, obj[0] - window), obj[0]):
            cands.append((obj[0] - c.end + 1, name, c))
        for c in find_cues(tokens, lex, obj[1], min(len(tokens), obj[1] + 3) if right else obj[1]):
            # only a participle after the outcome ("pain was reduced")
            if tokens[c.start].lower.endswith("ed"):
                cands.append((c.start - obj[1] + 2, name, c))
    if not cands:
        return None, None
    cands.sort(key=lambda x: (x[0], x[2].start, x[1]))
    return cands[0][1], cands[0][2]


# ------------------------------------------------------------------ pair scoring


@dataclass(frozen=True, slots=True)
class Judgement:
    """Class, predicate, direction and cue strength of a drug-object pair."""

    cls: RelationClass
    predicate: str
    direction: Direction | None
    strength: float


def _weighted(cues: Iterable[tuple[Cue, float]]) -> tuple[float, Cue | None, float]:
    """Total weighted strength, the best cue and its weighted strength."""
    best, total = None, 0.0
    for c, w in cues:
        s = c.strength * w
        total += s
        if best is None or s > best[0] or (s == best[0] and c.start < best[1].start):
            best = (s, c)
    return total, (best[1] if best else None), (best[0] if best else 0.0)


#: Treatment cues weaker than this (administration phrases) never make a
#: treats reading on their own.
_MIN_TREAT = 0.5
#: Largest number of tokens between a condition and a following
#: :data:`TREATED_WITH` phrase that makes it a treatment of the condition.
_TREATED_WITH_GAP = 1


def _strength(total: float, best: float) -> float:
    """Cue strength in [0, 1]: one explicit cue in place gives 1; weak or
    distant cues add up more slowly."""
    return min(1.0, 0.7 * best + 0.3 * total)


def _located(tokens: Sequence[Token], lex, zones) -> list[tuple[Cue, float]]:
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


def judge_pair(
    tokens: Sequence[Token],
    subj: tuple[int, int],
    obj: tuple[int, int],
    lst: tuple[int, int],
    otype: EntityType,
) -> Judgement:
    """Score the cue lexicons around a drug (tokens ``subj``) and an object
    (tokens ``obj``, inside the coordination list ``lst``) of type ``otype``.

    Cues inside the object or between the pair count fully, next to the
    object on its far side 0.6, around the pair 0.3. Mechanism and Target
    objects give ``mechanism``; Outcome objects ``outcome`` with a
    direction; AdverseEffect objects ``adverse``; conditions ``adverse``
    when adverse cues outweigh treatment cues, else ``treats`` when any
    treatment cue is present, else ``association``.

    Examples
    --------
    >>> t = tokenize("Drugex relieved migraine")
    >>> j = judge_pair(t, (0, 1), (2, 3), (2, 3), EntityType.CONDITION)
    >>> str(j.cls), j.predicate
    ('treats', 'treats')
    """
    n = len(tokens)
    before = subj[1] <= lst[0]
    b_lo, b_hi = (subj[1], lst[0]) if before else (lst[1], subj[0])
    left_lo = max(0, lst[0] - 4) if not before else max(subj[1], lst[0] - 4)
    right_hi = min(n, lst[1] + 4) if before else min(subj[0], lst[1] + 4)
    first = subj if subj[0] <= lst[0] else lst
    second = lst if first is subj else subj
    # cues inside the object or between the pair count fully; next to the
    # object on its far side less; around the whole pair least
    near_lo, near_hi = (left_lo, lst[0]) if not before else (lst[1], right_hi)
    zones = [
        (obj[0], obj[1], 1.0),
        (b_lo, b_hi, 1.0),
        (near_lo, near_hi, 0.6),
        (max(0, first[0] - 6), first[0], 0.3),
        (second[1], min(n, second[1] + 6), 0.3),
    ]
    if otype in (EntityType.MECHANISM, EntityType.TARGET):
        total, best, _ = _weighted(_located(tokens, MECHANISM, zones))
        pred = best.label if best else "acts_through"
        return Judgement(RelationClass.MECHANISM, pred, None, min(1.0, 0.5 + total / 2))
    if otype == EntityType.OUTCOME:
        lo = subj[1] if before else 0
        direction, cue = direction_for(tokens, obj, lo)
        if direction is None and lst[0] < obj[0]:
            # an item of a list takes the change word in front of the list
            direction, cue = direction_for(tokens, (lst[0], lst[0]), lo, right=False)
        if direction == "decrease":
            return Judgement(RelationClass.OUTCOME, "decreases", Direction.DECREASE, 1.0)
        if direction == "increase":
            return Judgement(RelationClass.OUTCOME, "increases", Direction.INCREASE, 1.0)
        return Judgement(RelationClass.OUTCOME, "affects", None, 0.6)
    adv_total, adv_best, adv_top = _weighted(_located(tokens, ADVERSE, zones))
    if otype == EntityType.ADVERSE_EFFECT:
        pred = "risks" if adv_best is not None and adv_best.label == "risks" else "causes"
        return Judgement(RelationClass.ADVERSE, pred, None, min(1.0, 0.6 + adv_total / 2))
    treat_cues = [(c, w) for c, w in _located(tokens, TREAT, zones) if c.strength >= _MIN_TREAT]
    if not before and subj[0] - lst[1] <= _TREATED_WITH_GAP + 4:
        # "<condition> treated with <drug>": the phrase right after the condition
        treat_cues += [
            (Cue("treats", c.start, c.end, c.strength), 1.0)
            for c in find_cues(tokens, TREATED_WITH, lst[1], min(subj[0], lst[1] + _TREATED_WITH_GAP + 4))
            if c.start <= lst[1] + _TREATED_WITH_GAP
        ]
    tr_total, tr_best, tr_top = _weighted(treat_cues)
    if adv_total > tr_total and adv_best is not None:
        return Judgement(RelationClass.ADVERSE, adv_best.label, None, _strength(adv_total, adv_top))
    if tr_best is not None:
        strong = [c for c, w in treat_cues if c.strength >= 1.0]
        label = tr_best.label
        if strong and label == "investigated_for":
            label = max(strong, key=lambda c: (c.strength, -c.start)).label
        return Judgement(RelationClass.TREATS, label, None, _strength(tr_total, tr_top))
    return Judgement(RelationClass.ASSOCIATION, "associated_with", None, 0.3)


def confidence_score(strength: float, distance: int, hedge: float, implicit: bool) -> float:
    """Confidence in [0.05, 0.99] from cue strength, token distance between
    the arguments, hedging strength and whether the subject was implicit.

    Examples
    --------
    >>> confidence_score(1.0, 2, 0.0, False) > confidence_score(1.0, 2, 0.8, False)
    True
    """
    c = 0.35 + 0.55 * strength
    c *= 1.0 / (1.0 + max(0, distance - 4) / 20.0)
    if implicit:
        c *= 0.75
    c *= 1.0 - 0.3 * hedge
    return round(min(0.99, max(0.05, c)), 4)
