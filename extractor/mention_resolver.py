"""Mention resolver stage: candidate spans of one Doc -> resolved mentions.

Input: a spaCy ``Doc`` with the statistical NER's ``doc.ents`` (when the
pipeline has one) and the dictionary NER's ``doc.spans[DICT_KEY]``
(:mod:`extractor.dictionary_ner`). Output: ``doc.spans[OUT_KEY]``, one
span per resolved mention (``label_`` = mention type, ``kb_id_`` = concept
key, ``id_`` = source: ``ner``, ``lexicon``, ``curated``, ``pattern``).

:class:`MentionResolver` links statistical mentions (trusting the lexicon's
type for a surface form it knows exactly), builds mechanism phrases such as
"NMDA receptor antagonism", types drug concepts that name proteins,
enzymes or receptors as Target, shares a head between coordinated
modifiers ("acute and chronic pain"), retypes conditions in an adverse
context (kept within the mention's sentence when the Doc is a paragraph,
``doc.user_data[SENTENCES_KEY]``) and resolves overlaps
(:func:`resolve_overlaps`: the longest candidate wins). The factory
``extractor_mention_resolver`` is registered under the entry point group
``spacy_factories``; :mod:`extractor.ner` builds the pipeline around it.

Examples
--------
>>> resolve_overlaps([(0, 4, 1, 0), (2, 3, 1, 0)], key=lambda x: x)
[(0, 4, 1, 0)]
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor.dictionary_ner import CURATED, DICT_KEY, token_texts
from extractor.lexicon import MATCH_TYPES, Lexicon, load_lexicon, normalize_key
from extractor.normalize import ACCEPT, Linker, is_generic, looks_like_entity, mention_type
from extractor.sentences import TEXT_KEY

__all__ = [
    "MentionResolver",
    "make_mention_resolver",
    "resolve_overlaps",
    "LABEL_MAP",
    "OUT_KEY",
    "SENTENCES_KEY",
]

log = logging.getLogger(__name__)

#: ``doc.spans`` key of the resolved mentions.
OUT_KEY = "extractor_mentions"
#: ``doc.user_data`` key: the ``(start, end)`` character spans of the
#: sentences of a paragraph ``Doc`` (contexts stay within a sentence).
SENTENCES_KEY = "extractor_sentences"
_CURATED = CURATED
#: Statistical NER labels of known models to mention types ("" = type from linking).
LABEL_MAP = {
    "Chemical": "Drug", "CHEMICAL": "Drug", "Disease": "Condition", "DISEASE": "Condition",
    "ChemicalEntity": "Drug", "DiseaseOrPhenotypicFeature": "Condition", "ENTITY": "",
}
_PRIORITY = {"abbreviation": 4, "pattern": 3, "curated": 3, "ner": 2, "lexicon": 1}
_ACTIONS = frozenset(
    """antagonism antagonist antagonists agonism agonist agonists blockade blocker blockers block
    blocking inhibition inhibitor inhibitors modulation modulator modulators activation activator
    activators stimulation binding signaling signalling pathway pathways desensitization
    downregulation upregulation occupancy""".split()
)
_ABSTRACT_ACTIONS = frozenset("antagonism agonism blockade inhibition modulation activation".split())
_LEFT_ACTIONS = frozenset(
    """inhibition blockade antagonism activation modulation stimulation inhibiting blocking
    antagonizing antagonising activating modulating stimulating interaction interactions
    targeting""".split()
)
_DESENSITIZE = re.compile(
    r"\b(?:desensiti[sz](?:e|es|ed|ing|ation)|sensiti[sz]ation|hyperexcitability|dampen(?:s|ed|ing)?)\s+"
    r"(?:of\s+)?(?:the\s+)?(?:[A-Za-z-]+\s+){0,3}?(?:pathways?|circuits?|circuitry|signaling|signalling)\b",
    re.I,
)
_AE_LEFT = re.compile(
    r"(?:side[- ]effects?|adverse(?:\s+drug)?\s+(?:events?|effects?|reactions?|outcomes?)|complications?|"
    r"toxicit(?:y|ies)|risks?\s+of|incidence\s+of|occurrence\s+of|induced|caused|provoked)"
    r"(?:\s*(?:,|:|\(|such\s+as|including|like|e\.g\.,?|i\.e\.,?|especially|particularly|notably|"
    r"mainly|mostly|were|was|are|is|included|include|consisted\s+of|of|as)\s*)*"
    r"(?:[\w'-]+(?:\s+[\w'-]+){0,3}\s*(?:,\s*and|,\s*or|,|and|or)\s*){0,6}$",
    re.I,
)
_AFFIXED = re.compile(
    r"^(.*?\w)-(?:induced|treated|related|associated|mediated|dependent|based|exposed|evoked|"
    r"stimulated|sensitive|resistant|containing|loaded|free|like|type|positive|negative|naive|naïve)$",
    re.I,
)
#: Types whose head a coordinated modifier may share, and the concept types it may link to.
_ELLIPSIS = {
    "AdverseEffect": frozenset({"AdverseEffect"}),
    "Condition": frozenset({"Condition", "AdverseEffect"}),
}
_EDGE_WORDS = frozenset("of the and or with in on at to for by from - / , ;".split())
_RADIOLABEL = re.compile(r"^\[[^\]\s]{1,8}\]-?(?=\w)")
_WORD = re.compile(r"^[A-Za-z][A-Za-z-]*$")
_ADJECTIVE = re.compile(r"[a-z](?:ic|ian)$")


def _modifier(text: str) -> bool:
    """A word or two that may be a coordinated modifier ("acute", "renal")."""
    return all(_WORD.match(w) for w in text.split()) and not is_generic(text)


#: A causal verb right before a word ("may cause sedation", "leads to dissociation").
_CAUSE_LEFT = re.compile(
    r"\b(?:caus(?:e|es|ed|ing)|produc(?:e|es|ed|ing)|induc(?:e|es|ed|ing)|provok(?:e|es|ed|ing)|"
    r"lead(?:s|ing)?\s+to|led\s+to|result(?:s|ed|ing)?\s+in)\s+(?:[\w-]+\s+){0,2}$",
    re.I,
)
#: Words right before a verb ("can accumulate", "did not metabolize"): an
#: unlinked lower-case word after one of them is no entity. (Not "to":
#: "switched to zorbitrex".)
_BEFORE_VERB = frozenset("can cannot may might could will would shall should must does did do not".split())
#: Verbs the statistical NER sometimes takes into a span's start.
_LEADING_VERBS = frozenset(
    """reduces reduced decreases decreased increases increased lowers lowered causes caused induces
    induced prevents prevented improves improved treats treated attenuates attenuated alleviates
    alleviated limits limited limiting worsens worsened relieves relieved""".split()
)
_AE_RIGHT = re.compile(r"^\s*(?:(?:was|were|is|are)\s+)?(?:induced|caused|precipitated|triggered)\s+by\b", re.I)


# ------------------------------------------------------------------ resolver


@dataclass(frozen=True, slots=True)
class _Cand:
    start: int  # token offsets
    end: int
    type: str
    ckey: str
    source: str


class MentionResolver:
    """Link statistical mentions, build mechanism phrases, retype adverse
    effects and resolve overlaps; writes ``doc.spans[out_key]``.

    Parameters
    ----------
    lexicon : Lexicon
        The concept dictionary (built once).
    label_map : dict
        Statistical NER label -> mention type (``""``: type of the linked concept).
    dict_key, out_key : str
        ``doc.spans`` keys read and written.
    use_ents : bool
        Read ``doc.ents`` (False when the pipeline has no statistical NER).
    gap_fill : str
        ``""``: the longest of overlapping Drug/Condition candidates wins;
        ``"lexicon"`` / ``"ner"``: that source decides, the other only fills
        its gaps.
    """

    def __init__(
        self,
        *,
        lexicon: Lexicon,
        label_map: dict[str, str],
        dict_key: str = DICT_KEY,
        out_key: str = OUT_KEY,
        use_ents: bool = True,
        gap_fill: str = "",
    ) -> None:
        self.lexicon = lexicon
        self.gap_fill = gap_fill
        self.use_ents = use_ents
        self.linker = Linker(lexicon)
        self.label_map = dict(label_map)
        self.dict_key = dict_key
        self.out_key = out_key
        self._targets: dict[str, bool] = {}

    def _concept_of(self, key: str, types: frozenset[str]) -> str | None:
        for ck in self.lexicon.keys_for(key):
            c = self.lexicon.concepts.get(ck)
            if c is not None and c.type in types:
                return ck
        return None

    def candidates(self, doc: Doc, text: str | None = None) -> list[_Cand]:
        """Every candidate mention of ``doc`` (whose text is ``text``, default
        ``doc.text``) before overlap resolution."""
        text = doc.text if text is None else text
        cands = []
        for ent in doc.ents if self.use_ents else ():
            typ = self.label_map.get(ent.label_)
            if typ is None:
                continue
            if len(ent) > 1 and ent[0].lower_ in _LEADING_VERBS:
                ent = ent[1:]  # "decreases blood loss": the verb is no part of the name
            c = self.linker.link(ent.text, ACCEPT.get(typ) if typ else None)
            if c is None and typ:
                # a surface form the lexicon knows exactly, as another type: trust the lexicon
                exact = self.linker.lookup_key(normalize_key(ent.text), None, ent.text)
                if exact is not None and exact.type in MATCH_TYPES:
                    c, typ = exact, exact.type
            if not typ:
                if c is None or c.type not in MATCH_TYPES:
                    continue
                typ = c.type
            affixed = _AFFIXED.match(ent.text)
            agent = affixed.group(1) if affixed else ent.text
            if self._fragment(ent):
                continue  # "impairment of", "PPA/": a fragment of a longer phrase
            if c is None and len(ent) == 1 and ent.text.islower() and ent.start and doc[ent.start - 1].lower_ in _BEFORE_VERB:
                continue  # "methadone can accumulate": a verb, whatever its chemical-looking suffix
            if c is None and not (affixed and self.linker.link(agent, ACCEPT.get(typ))) and not looks_like_entity(
                agent, typ
            ):
                continue  # unlinked and not shaped like a name: a verb, a function word, a fragment
            if c is not None and c.type == "Other" and self._known_other(ent.text):
                continue  # the lexicon knows this exact surface as a non-entity (anatomy, process)
            ck = self._ckey(c)
            cands.append(_Cand(ent.start, ent.end, typ, ck, "ner"))
        for sp in doc.spans.get(self.dict_key, []):
            src = "curated" if sp.label_ in _CURATED else "lexicon"
            cands.append(_Cand(sp.start, sp.end, sp.label_, sp.kb_id_, src))
        cands = [self._as_target(c) for c in cands]
        cands.extend(self._mechanism_phrases(doc, text, cands))
        cands.extend(self._contextual_effects(doc, text))
        cands.extend(self._coordinated_effects(doc, cands))
        return [c for c in cands if not is_generic(doc[c.start : c.end].text)]

    def _as_target(self, c: _Cand) -> _Cand:
        """A Drug candidate linked to a protein, enzyme, receptor, peptide
        hormone or gene is a Target."""
        if c.type != "Drug" or not c.ckey:
            return c
        hit = self._targets.get(c.ckey)
        if hit is None:
            concept = self.lexicon.concepts.get(c.ckey)
            hit = self._targets[c.ckey] = concept is not None and mention_type(concept) == "Target"
        return _Cand(c.start, c.end, "Target", c.ckey, c.source) if hit else c

    @staticmethod
    def _fragment(ent: Span) -> bool:
        """Whether a statistical span starts or ends with a function word or a dash."""
        first, last = ent[0].lower_, ent[-1].lower_
        return first in _EDGE_WORDS or last in _EDGE_WORDS

    def _known_other(self, text: str) -> bool:
        keys = self.lexicon.keys_for(normalize_key(text))
        c = self.lexicon.concepts.get(keys[0]) if keys else None
        return c is not None and c.type == "Other"

    def _ckey(self, c) -> str:
        if c is None:
            return ""
        for k in (c.id, f"{c.type}:{c.id}" if c.id else f"{c.type}:~{c.name}", "~" + c.name):
            if k and self.lexicon.concepts.get(k) == c:
                return k
        return c.id or ""

    def _mechanism_phrases(self, doc: Doc, text: str, cands: list[_Cand]) -> list[_Cand]:
        out = []
        lower = [t.lower() for t in token_texts(doc)]
        mech = frozenset({"Mechanism", "Target"})
        for c in cands:
            ck, start, end = c.ckey, c.start, c.end
            if c.type not in mech:
                if c.type != "Drug" or end >= len(doc) or lower[end] not in _ABSTRACT_ACTIONS:
                    continue
                ck = self._concept_of(normalize_key(doc[start:end].text) + " receptor", mech)
                if ck is None:
                    continue
            j = end
            if j < len(doc) and lower[j] in ("receptor", "receptors"):
                j += 1
            while j < len(doc) and lower[j] == "-":
                j += 1
            if j < len(doc) and lower[j] in _ACTIONS:
                end = j + 1
            i = start
            if i >= 2 and lower[i - 1] == "the":
                i -= 1
            if i >= 2 and lower[i - 1] in ("of", "with", "on", "at") and lower[i - 2] in _LEFT_ACTIONS:
                start = i - 2
            if (start, end) != (c.start, c.end):
                out.append(_Cand(start, end, "Mechanism", ck, "pattern"))
        for m in _DESENSITIZE.finditer(text):
            sp = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if sp is not None:
                out.append(_Cand(sp.start, sp.end, "Mechanism", "", "pattern"))
        return out

    def _coordinated_effects(self, doc: Doc, cands: list[_Cand]) -> list[_Cand]:
        """Coordination ellipsis: in "renal and hepatic side effects" or
        "acute and chronic kidney disease" the first modifier shares the head
        of the second ("renal" is a mention of the renal side effects)."""
        out = []
        for c in cands:
            if c.type not in _ELLIPSIS or c.end - c.start < 2:
                continue
            accept = _ELLIPSIS[c.type]
            tails = [doc[k : c.end].text for k in range(c.start + 1, c.end)]
            i = c.start
            while i > 0 and doc[i - 1].lower_ in ("and", "or", ",", "/"):
                k = i - 1
                while k > 0 and doc[k - 1].lower_ in ("and", "or", ",", "/"):
                    k -= 1
                found = None
                for width in (1, 2):
                    if k - width < 0 or found:
                        break
                    adj = doc[k - width : k]
                    for tail in tails:
                        key = normalize_key(adj.text + " " + tail)
                        ck = self._concept_of(key, accept) if _modifier(adj.text) else None
                        if ck:
                            found = (k - width, k, ck)
                            break
                if not found:
                    break
                out.append(_Cand(found[0], found[1], c.type, found[2], "pattern"))
                i = found[0]
        return out

    def _contextual_effects(self, doc: Doc, text: str) -> list[_Cand]:
        """Words of the lexicon's context-only vocabulary ("sedation") where
        the text names an adverse effect before them in their sentence
        ("side effects such as dizziness and sedation", "may cause
        sedation"): AdverseEffect mentions."""
        terms = self.lexicon.context_terms
        low = text.lower()
        if not terms or not any(t in low for t in terms):
            return []
        out = []
        bounds = doc.user_data.get(SENTENCES_KEY)
        for tok in doc:
            ck = terms.get(tok.lower_)
            if ck is None:
                continue
            sc = tok.idx
            lo = max(0, sc - 120)
            if bounds:
                lo = max(lo, bounds[max(bisect.bisect_right(bounds, (sc, len(text) + 1)) - 1, 0)][0])
            left = text[lo:sc]
            if _AE_LEFT.search(left) or _CAUSE_LEFT.search(left):
                out.append(_Cand(tok.i, tok.i + 1, "AdverseEffect", ck, "curated"))
        return out

    def _retype(self, doc: Doc, text: str, c: _Cand) -> _Cand:
        if c.type != "Condition":
            return c
        sc, ec = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])
        lo, hi = max(0, sc - 120), ec + 40
        bounds = doc.user_data.get(SENTENCES_KEY)
        if bounds:  # a paragraph: the context stays within the mention's sentence
            s, e = bounds[max(bisect.bisect_right(bounds, (sc, len(text) + 1)) - 1, 0)]
            lo, hi = max(lo, s), min(hi, e)
        if _AE_LEFT.search(text[lo:sc]) or _AE_RIGHT.match(text[ec:hi]):
            return _Cand(c.start, c.end, "AdverseEffect", c.ckey, c.source)
        return c

    def __call__(self, doc: Doc) -> Doc:
        # Doc.text joins every token: once per doc, or the paragraph's own text
        text = doc.user_data.get(TEXT_KEY) or doc.text
        cands = [self._retype(doc, text, c) for c in self.candidates(doc, text)]
        if self.use_ents:
            # "hemorrhagic", "parkinsonian", "antiemetic": an adjective that only
            # the dictionary tags (the statistical NER does not) modifies another noun
            ents = [(e.start, e.end) for e in doc.ents]
            cands = [
                c for c in cands
                if not (c.source == "lexicon" and c.end - c.start == 1 and _ADJECTIVE.search(doc[c.start].text)
                        and not any(c.start < e and s < c.end for s, e in ents))
            ]
        if self.gap_fill:
            # one source decides Drug/Condition spans, the other only fills its gaps
            boss = "lexicon" if self.gap_fill == "lexicon" else "ner"
            other = "ner" if boss == "lexicon" else "lexicon"
            spans = [(c.start, c.end) for c in cands if c.source == boss]
            cands = [
                c for c in cands
                if c.source != other or not any(c.start < e and s < c.end for s, e in spans)
            ]
        kept = resolve_overlaps(
            cands, key=lambda c: (c.start, c.end, _PRIORITY.get(c.source, 0), c.type != "Condition")
        )
        doc.spans[self.out_key] = [
            Span(doc, c.start, c.end, label=c.type, kb_id=c.ckey, span_id=c.source) for c in kept
        ]
        return doc


def resolve_overlaps(items: Iterable, key) -> list:
    """Keep the longest of overlapping items (ties: higher priority, then
    earlier); ``key(item) -> (start, end, priority, tiebreak)``. Result sorted
    by ``(start, end)``. ``O(n log n)``: the kept spans are disjoint, so only
    the kept span starting last before an item's end can overlap it.

    Examples
    --------
    >>> resolve_overlaps([(0, 5, 1, 0), (2, 9, 1, 0), (10, 12, 1, 0)], key=lambda x: x)
    [(2, 9, 1, 0), (10, 12, 1, 0)]
    """
    keyed = [(key(x), x) for x in items]
    keyed.sort(key=lambda kx: (-(kx[0][1] - kx[0][0]), -kx[0][2], -kx[0][3], kx[0][0]))
    starts: list[int] = []
    ends: list[int] = []
    kept = []
    for k, it in keyed:
        s, e = k[0], k[1]
        i = bisect.bisect_left(starts, e)  # kept spans starting before e: starts[:i]
        if i and ends[i - 1] > s:
            continue
        starts.insert(i, s)
        ends.insert(i, e)
        kept.append(it)
    return sorted(kept, key=lambda x: (key(x)[0], key(x)[1]))


@Language.factory(
    "extractor_mention_resolver",
    assigns=["doc.spans"],
    requires=["doc.spans"],
    default_config={
        "lexicon_path": "", "concepts_dir": "", "label_map": LABEL_MAP,
        "dict_key": DICT_KEY, "out_key": OUT_KEY, "gap_fill": "",
    },
)
def make_mention_resolver(
    nlp: Language, name: str, lexicon_path: str, concepts_dir: str, label_map: dict[str, str],
    dict_key: str, out_key: str, gap_fill: str,
) -> MentionResolver:
    """Factory of :class:`MentionResolver` (empty paths: the bundled lexicon)."""
    lex = load_lexicon(lexicon_path or None, concepts_dir or None)
    use_ents = any(nlp.get_pipe_meta(p).assigns and "doc.ents" in nlp.get_pipe_meta(p).assigns
                   for p in nlp.pipe_names)
    return MentionResolver(
        lexicon=lex, label_map=label_map, dict_key=dict_key, out_key=out_key, use_ents=use_ents,
        gap_fill=gap_fill,
    )
