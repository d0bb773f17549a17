"""Explicit adverse-effect constructions: when a sentence itself says that a
drug causes a condition, whatever a learned model thinks of the pair.

Input: the cue tokens of a sentence (:func:`extractor.cue_index.tokenize`),
the token span of the drug (or its anaphor) and of the condition list.
Output: whether an explicit causal construction ties them
(:func:`explicit_cause`: "X-induced Y", "Y due to X", "X can cause Y") and
whether the text names the condition an adverse effect as such
(:func:`named_as_effect`: "Y side effects", "adverse events, including Y",
"the adverse effects of X are Y"). Used by :func:`extractor.cues.judge_pair`;
the relation stage trusts these readings over the document model
(:mod:`extractor.relation_document`).
"""

from __future__ import annotations

from typing import Sequence

from extractor.cue_index import Token, cue_entries, find_cues, tokenize  # noqa: F401 (tokenize: the doctests)

__all__ = ["explicit_cause", "named_as_effect", "POPULATION_NOUNS", "CLAUSE_BREAKS"]

#: Words that open another clause ("X lowers the risk of Y but increases the
#: risk of Z", "X has anti-inflammatory effects, whereas Y ...").
CLAUSE_BREAKS = frozenset("but whereas while although though unlike ;".split())

#: Phrases right after a condition that name its cause ("rhabdomyolysis due to
#: furosemide", "the hepatotoxic effects of carbon tetrachloride").
_CAUSED_BY = cue_entries(
    "induced by|caused by|due to|secondary to|attributed to|attributable to|effects of|effect of|"
    "toxicity of|toxicities of"
)


#: Nouns that name an adverse effect as such ("cardiovascular side effects",
#: "adverse events, including hallucinations").
_EFFECT_NOUNS = cue_entries(
    "side effect*|side - effect*|adverse effect*|adverse event*|adverse reaction*|adverse drug reaction*|"
    "toxic effect*|undesirable effect*|unwanted effect*|harms"
)
#: Words allowed between such a noun and the list it introduces.
_INTRODUCING = frozenset(
    ", : ( such as including include includes included like e.g. e.g eg notably especially particularly "
    "mainly mostly namely but not limited to are were is was".split()
)
#: Words allowed between a condition and an effect noun that names it the
#: drug's ("nausea is one of the most common side effects of X").
_NAMING = frozenset(
    ", is are was were remains remain the a an one of most more common commonly frequent frequently "
    "reported serious major main known rare principal primary typical notable dose - limiting".split()
)


def named_as_effect(
    tokens: Sequence[Token], lst: tuple[int, int], subj: tuple[int, int] | None = None
) -> bool:
    """Whether the text names the condition list ``lst`` (token range) an
    adverse effect as such: an effect noun ending it or right after it
    ("psychotomimetic and cardiovascular side effects") or introducing it
    ("side effects such as hallucinations", "adverse events, including but
    not limited to hallucinations", and with the drug ``subj`` named in
    between, "the adverse effects of X are nausea and insomnia").

    Examples
    --------
    >>> t = tokenize("potential cardiovascular side effects")
    >>> named_as_effect(t, (1, 2)), named_as_effect(t, (0, 1))
    (True, False)
    >>> t = tokenize("adverse events, including but not limited to hallucinations")
    >>> named_as_effect(t, (8, 9))
    True
    >>> t = tokenize("the most frequent adverse effects of drugol are nausea and insomnia")
    >>> named_as_effect(t, (8, 11), (6, 7)), named_as_effect(t, (8, 11))
    (True, False)
    >>> t = tokenize("nausea is one of the most common adverse effects of drugol")
    >>> named_as_effect(t, (0, 1), (10, 11)), named_as_effect(t, (0, 1))
    (True, False)
    """
    if subj is not None and subj[0] >= lst[1]:
        # "Y is the most common adverse effect of X", "Y, a known side effect of X"
        k = lst[1]
        while k < subj[0] and k - lst[1] < 8 and tokens[k].lower in _NAMING:
            k += 1
        for c in find_cues(tokens, _EFFECT_NOUNS, k, subj[0]):
            rest = [t.lower for t in tokens[c.end : subj[0]]]
            if c.start == k and rest in (["of"], ["with"], ["of", "the"], ["with", "the"]):
                return True
    after = find_cues(tokens, _EFFECT_NOUNS, lst[0], min(len(tokens), lst[1] + 4))
    if any(c.start == lst[1] or (c.end == lst[1] and c.start > lst[0]) for c in after):
        return True
    j = lst[0]
    while j > 0 and lst[0] - j < 8 and tokens[j - 1].lower in _INTRODUCING:
        j -= 1
    if subj is not None and j == subj[1] and subj[0] >= 1 and tokens[subj[0] - 1].lower == "of":
        j = subj[0] - 1  # "<effects> of X are Y"
    if j == lst[0]:
        return False  # "adverse effects hallucinations": no introduction
    before = find_cues(tokens, _EFFECT_NOUNS, max(0, j - 4), j)
    return any(c.end == j for c in before)


#: Words allowed between a drug and its causal verb ("X can also cause Y").
_MODALS = frozenset("can may might could will would did does do also often frequently rarely commonly".split())
#: Nouns for the people or animals studied ("patients with X", "X patients").
POPULATION_NOUNS = frozenset(
    "patient patients subject subjects individual individuals people persons children adults women men "
    "infants volunteers cases rats mice animals users".split()
)
#: Words before a condition that make it no object of the causal verb ("X
#: can cause Y, particularly in patients with Z").
_NOT_OBJECT = POPULATION_NOUNS | {"in", "among"}
#: Causal verbs that make "X <verb> Y" an explicit causal construction.
_CAUSE_VERBS = frozenset("cause causes caused produce produces produced provoke provokes provoked".split())


def explicit_cause(tokens: Sequence[Token], subj: tuple[int, int], lst: tuple[int, int], before: bool) -> bool:
    """Whether the drug is tied to the condition by an explicit causal
    construction: "X-induced Y" (the drug right before "-induced", the
    condition within three words), "X (can) cause(s) / produce(s) Y" (the
    drug or its anaphor right before the verb, the condition within eight
    words: "It also causes neurologic depression, cyanosis, and cardiac
    arrhythmia"; BC5CDR dev CID +2 pairs right, +1 wrong, BioRED unchanged)
    or "Y induced by / due to X" (the phrase right after the condition, the
    drug within two words)."""
    if before:
        j = subj[1]
        if j < len(tokens) and tokens[j].text == "-":
            j += 1
        if j < len(tokens) and tokens[j].lower.startswith("induc") and lst[0] - j - 1 <= 3:
            return True
        if j == subj[1]:  # "X (can) cause(s) Y": the drug (or its anaphor) is the verb's subject
            while j < len(tokens) and tokens[j].lower in _MODALS:
                j += 1
            return (
                j < len(tokens) and tokens[j].lower in _CAUSE_VERBS and lst[0] - j - 1 <= 8
                and not any(t.lower in _NOT_OBJECT for t in tokens[j + 1 : lst[0]])
                # "X produces analgesia and dampens inflammation": another verb governs the object
                and not any(t.lower in ("and", "but", "while", "whereas") for t in tokens[j + 1 : lst[0]])
            )
        return False
    hits = find_cues(tokens, _CAUSED_BY, lst[1], min(subj[0], lst[1] + 3))
    return any(c.start <= lst[1] + 1 and subj[0] - c.end <= 2 for c in hits)
