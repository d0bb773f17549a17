"""Concept linking: a mention string to a lexicon concept.

Input: a surface string (a mention found by the statistical NER, an
abbreviation's long form, a phrase) and the :class:`~extractor.lexicon.Lexicon`.
Output: the best :class:`~extractor.lexicon.Concept` or None.

The cascade, first hit wins:

1. exact normalised key (case, punctuation, possessive ``'s``, accents,
   Greek letters are normalised by :func:`~extractor.lexicon.normalize_key`),
   then the last word singular;
2. hyphen / space variants (``anti-inflammatory`` = ``antiinflammatory``);
3. generic trailing heads dropped (``ketamine infusions`` -> ``ketamine``,
   ``chronic pain syndromes`` -> ``chronic pain``);
4. ``<dose words> of X`` -> ``X`` (``sub-anesthetic doses of ketamine``);
5. leading modifiers dropped one word at a time (``refractory chronic pain``
   -> ``chronic pain``), down to the head noun.

Ids only come from the lexicon, whose ids come from the MeSH descriptor list.

Examples
--------
>>> from extractor.lexicon import Concept, Lexicon
>>> lex = Lexicon.from_records([Concept("D007649", "Ketamine", "Drug")], {})
>>> Linker(lex).link("low-dose ketamine infusions").name
'Ketamine'
"""

from __future__ import annotations

import logging
import re

from extractor.lexicon import Concept, Lexicon, cased_key, normalize_key, singular_key

__all__ = ["Linker", "ACCEPT", "GENERIC_HEADS"]

log = logging.getLogger(__name__)

#: Concept types acceptable for a mention type (None: any).
ACCEPT: dict[str, frozenset[str] | None] = {
    "Drug": frozenset({"Drug", "Other", "Target", "Mechanism"}),
    "Condition": frozenset({"Condition", "AdverseEffect", "Other"}),
    "AdverseEffect": frozenset({"AdverseEffect", "Condition", "Other"}),
    "Mechanism": frozenset({"Mechanism", "Target", "Other", "Drug"}),
    "Target": frozenset({"Target", "Mechanism", "Other", "Drug"}),
    "Outcome": frozenset({"Outcome", "Other"}),
    "Population": frozenset({"Population", "Other"}),
}

#: Words that head a phrase without changing the concept it names.
GENERIC_HEADS = frozenset(
    """infusion infusions injection injections administration administrations therapy therapies
    treatment treatments dose doses dosing dosage regimen regimens use usage exposure levels level
    concentration concentrations group groups patients patient syndrome syndromes condition
    conditions state states disorder disorders disease diseases symptoms episodes agent agents
    drug drugs medication medications bolus boluses preparation formulation formulations
    application applications protocol protocols trial trials""".split()
)
_OF_HEADS = re.compile(
    r"^(?:(?:low|high|small|large|single|repeated|multiple|sub|anesthetic|anaesthetic|subanesthetic|"
    r"subanaesthetic|analgesic|therapeutic|clinical|standard|increasing|escalating|equal|"
    r"intravenous|oral|\w+ly)\s+)*(?:dose|doses|dosing|administration|infusion|infusions|"
    r"injection|injections|levels|concentrations|use|treatment|amounts|bolus|effects|effect)\s+of\s+(?:the\s+)?"
)


class Linker:
    """Link strings to concepts of one lexicon (memoised).

    Parameters
    ----------
    lexicon : Lexicon
        The concept dictionary.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._memo: dict[tuple[str, frozenset[str] | None], Concept | None] = {}

    def link(self, text: str, accept: frozenset[str] | None = None) -> Concept | None:
        """Best concept for ``text`` whose type is in ``accept`` (None: any).

        Parameters
        ----------
        text : str
            Surface string.
        accept : frozenset of str, optional
            Acceptable concept types, best-ranked candidate first.

        Returns
        -------
        Concept or None
        """
        memo_key = (text, accept)
        if memo_key in self._memo:
            return self._memo[memo_key]
        result = self._link(text, accept)
        if len(self._memo) < 200_000:
            self._memo[memo_key] = result
        return result

    def lookup_key(self, key: str, accept: frozenset[str] | None, surface: str = "") -> Concept | None:
        """Best acceptable concept of an exact key (or its singular)."""
        lex = self.lexicon
        for k in (key, singular_key(key)):
            if not k:
                continue
            keys = lex.keys_for(k)
            if not keys:
                continue
            if surface and k in lex.cased and cased_key(surface) not in lex.cased[k]:
                continue
            for ck in keys:
                c = lex.concepts.get(ck)
                if c is not None and (accept is None or c.type in accept):
                    return c
        return None

    def _link(self, text: str, accept: frozenset[str] | None) -> Concept | None:
        key = normalize_key(text)
        if not key:
            return None
        c = self.lookup_key(key, accept, text)
        if c:
            return c
        words = key.split()
        if len(words) > 1:
            c = self.lookup_key("".join(words), accept)
            if c:
                return c
        # generic trailing heads
        while len(words) > 1 and words[-1] in GENERIC_HEADS:
            words = words[:-1]
            c = self.lookup_key(" ".join(words), accept)
            if c:
                return c
        # "<dose words> of X"
        m = _OF_HEADS.match(key)
        if m and m.end() < len(key):
            c = self._link(key[m.end() :], accept)
            if c:
                return c
        # leading modifiers, down to the head noun
        for i in range(1, len(words)):
            rest = words[i:]
            if len(rest) == 1 and (len(rest[0]) < 5 or rest[0] in GENERIC_HEADS):
                break
            c = self.lookup_key(" ".join(rest), accept)
            if c:
                return c
        return None
