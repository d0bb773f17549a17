"""Entity stage: typed, MeSH-linked mentions of an article.

Input: an :class:`~extractor.model.Article` with sentences and the pipeline
from :func:`build_pipeline`. Output: :class:`~extractor.model.Mention`
records (Drug, Mechanism, Condition, Outcome, AdverseEffect, Target,
Population) sorted by ``(start, end)``, without overlaps, linked to MeSH
(``MESH:D...``) or unlinked (``id`` None).

The pipeline (built once per run):

* default: the bundled statistical NER (``extractor/data/ner_model``,
  labels ``Chemical``/``Disease``) when it exists, on the dictionary
  tokenizer; lexicon Drug/Condition matches decide where both apply, the
  model fills the gaps (unlinked model spans must look like a name:
  :func:`~extractor.normalize.looks_like_entity`);
* ``settings.fast`` or no bundled model: a blank English pipeline with
  scispacy's tokenizer and dictionary NER over the lexicon;
* ``settings.model``: a user's spaCy/scispacy NER model, labels mapped;

followed by scispacy's ``AbbreviationDetector`` (as ``abbreviation_detector``,
skipped on Docs without a "(" token; its definitions apply to
the whole article, see :mod:`extractor.abbreviations`), ``extractor_dictionary_ner``
(:mod:`extractor.dictionary_ner`, re-exported here; curated
Mechanism / Outcome / AdverseEffect / Target / Population phrases, plus
Drug / Condition terms in fast mode) and ``extractor_mention_resolver``
(links statistical mentions, trusting the lexicon's type for a surface
form it knows exactly; builds mechanism phrases such as "NMDA receptor
antagonism"; retypes conditions in an adverse context; resolves overlaps:
the longest candidate wins). :func:`find_mentions` trims a statistical
mention such as "levodopa-induced" (one token for scispacy's tokenizer) to
its agent and applies the article's abbreviation definitions (plus
"linked mention (SF)" definitions the letter-matching detector misses),
then tags every other occurrence of a tagged surface form and links an
unlinked mention like the linked mentions of its surface form (consistency).
In default mode a one-word disease adjective ("hemorrhagic") that only the
dictionary tags is dropped. Drug concepts
that name proteins, enzymes, receptors or peptide hormones are typed Target;
generic category phrases ("treatment response") are never mentions;
coordinated modifiers share a head ("acute and chronic pain" -> "acute" is
Acute Pain). Both factories are registered under the entry point group
``spacy_factories``.

Examples
--------
>>> from extractor.config import Settings
>>> nlp = build_pipeline(Settings(fast=True))  # doctest: +SKIP
>>> find_mentions(article, nlp, Settings(fast=True))  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import logging
import re
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor.config import Settings
from extractor.dictionary_ner import (  # re-exported: the entry point names extractor.ner
    CURATED,
    DICT_KEY,
    DictionaryNER,
    dictionary_tokenizer,
    make_dictionary_ner,
    token_texts,
)
from extractor.errors import ModelNotFoundError
from extractor.lexicon import MATCH_TYPES, Lexicon, load_lexicon, normalize_key
from extractor.model import Article, EntityType, Mention
from extractor.normalize import (
    ACCEPT,
    Linker,
    is_generic,
    looks_like_entity,
    mention_type,
)

if TYPE_CHECKING:
    from extractor.sentences import ParagraphDoc

__all__ = [
    "build_pipeline",
    "find_mentions",
    "DictionaryNER",
    "MentionResolver",
    "make_dictionary_ner",
    "make_mention_resolver",
    "MODEL_DIR",
    "resolve_overlaps",
    "dictionary_tokenizer",
]

log = logging.getLogger(__name__)

#: Where the trainer ships the statistical NER.
MODEL_DIR = Path(__file__).resolve().parent / "data" / "ner_model"
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
        text = doc.text  # Doc.text joins every token: once per doc
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


# ------------------------------------------------------------------ pipeline


def _load_model(name: str) -> Language:
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotFoundError(
            f"model '{name}' not installed", stage="nlp",
            fix=f"install it (pip install {name}, or the model's wheel URL) or drop --model",
        ) from exc
    for pipe in list(nlp.pipe_names):
        if pipe not in ("ner", "tok2vec", "abbreviation_detector"):
            nlp.disable_pipe(pipe)
    return nlp


def build_pipeline(settings: Settings, *, lexicon_path: str = "", concepts_dir: str = "") -> Language:
    """The entity pipeline for ``settings`` (build once, reuse).

    Parameters
    ----------
    settings : Settings
        ``model`` (a user's spaCy model), ``fast`` (dictionary NER only).
    lexicon_path, concepts_dir : str
        Other lexicon / curated vocabulary (tests); empty: bundled.

    Raises
    ------
    ModelNotFoundError
        ``settings.model`` is not installed.
    """
    import scispacy.abbreviation  # noqa: F401  (registers "abbreviation_detector")

    import extractor.abbreviations  # noqa: F401  (registers "extractor_abbreviation_detector")
    import spacy

    types = sorted(MATCH_TYPES)  # lexicon Drug/Condition terms fill the statistical NER's gaps
    gap_fill = ""
    if settings.model:
        nlp = _load_model(settings.model)
    elif not settings.fast and (MODEL_DIR / "config.cfg").exists():
        nlp = spacy.load(MODEL_DIR)
        # the model's tokenizer plus hyphen splits: lexicon terms inside "(EMB)-induced" match
        nlp.tokenizer = dictionary_tokenizer(nlp)
        gap_fill = "lexicon"
    else:
        nlp = spacy.blank("en")
        nlp.tokenizer = dictionary_tokenizer(nlp)
    nlp.max_length = max(nlp.max_length, settings.limits.max_chars + 1)
    cfg = {"lexicon_path": lexicon_path, "concepts_dir": concepts_dir}
    if "abbreviation_detector" not in nlp.pipe_names:
        # scispacy's detector, skipped on Docs without a "(" token
        nlp.add_pipe("extractor_abbreviation_detector", name="abbreviation_detector")
    nlp.add_pipe("extractor_dictionary_ner", config={**cfg, "types": types})
    nlp.add_pipe("extractor_mention_resolver", config={**cfg, "gap_fill": gap_fill})
    return nlp


def _pieces(article: Article, limit: int, sentences: Sequence | None = None):
    """(text, offset, sentence index) of the sentences (default: all of the
    article's), long ones chunked; without sentences, of the lines."""
    sents = article.sentences if sentences is None else sentences
    spans = [(s.start, s.end, i) for i, s in enumerate(sents)]
    if not spans and sentences is None:
        pos = 0
        for line in article.text.split("\n"):
            spans.append((pos, pos + len(line), -1))
            pos += len(line) + 1
    for start, end, idx in spans:
        while end - start > limit:
            cut = article.text.rfind(" ", start + limit // 2, start + limit)
            cut = cut if cut > start else start + limit
            yield article.text[start:cut], start, idx
            start = cut
        if article.text[start:end].strip():
            yield article.text[start:end], start, idx


def _link_like_peers(mentions: list[Mention]) -> list[Mention]:
    """Consistency: an unlinked mention whose surface form is linked to one
    concept elsewhere in the article (same type) takes that link
    ("STZ-induced" trimmed to "STZ" after "streptozocin (STZ)")."""
    links: dict[tuple[str, EntityType], set[tuple[str, str]]] = {}
    for m in mentions:
        if m.id:
            links.setdefault((m.text, m.type), set()).add((m.id, m.name or ""))
    if not links:
        return mentions
    out = []
    for m in mentions:
        peers = links.get((m.text, m.type)) if m.id is None else None
        if peers and len(peers) == 1:
            cid, name = next(iter(peers))
            m = replace(m, id=cid, name=name)
        out.append(m)
    return out


def _paragraph_inputs(article: Article, paragraphs: Sequence[ParagraphDoc], limit: int):
    """(Doc or text, offset) to run the pipeline on: each paragraph's Doc,
    its sentence spans in ``user_data``; a paragraph longer than ``limit``
    characters as its sentences (pieces, as without paragraphs), so that no
    component sees an unbounded Doc."""
    sents = article.sentences
    starts = [s.start for s in sents]
    for p in paragraphs:
        text = p.doc.text
        i = bisect.bisect_left(starts, p.start)
        j = bisect.bisect_left(starts, p.start + len(text), lo=i)
        if len(text) > limit:
            for piece, off, _ in _pieces(article, limit, sents[i:j]):
                yield piece, off
            continue
        p.doc.user_data[SENTENCES_KEY] = [(s.start - p.start, s.end - p.start) for s in sents[i:j]]
        yield p.doc, p.start


def _sentence_index(starts: Sequence[int], pos: int) -> int:
    """Index of the sentence holding ``pos`` (-1 without sentences)."""
    return max(bisect.bisect_right(starts, pos) - 1, 0) if starts else -1


def _inside_one_sentence(bounds: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(bounds, (start, float("inf"))) - 1
    return i >= 0 and bounds[i][0] <= start and end <= bounds[i][1]


def find_mentions(
    article: Article, nlp: Language, settings: Settings, paragraphs: Sequence[ParagraphDoc] | None = None
) -> list[Mention]:
    """Typed, linked mentions of ``article``.

    Parameters
    ----------
    article : Article
        With sentences (without, each line is processed as one sentence).
    nlp : Language
        From :func:`build_pipeline`.
    settings : Settings
        ``limits.max_sentence_chars`` bounds the pieces given to the pipeline.
    paragraphs : sequence of ParagraphDoc, optional
        The article's paragraphs tokenized by ``nlp.tokenizer``
        (:func:`~extractor.sentences.paragraph_docs`): the pipeline runs on
        these Docs instead of tokenizing each sentence again (a paragraph
        longer than ``limits.max_sentence_chars`` still goes by sentence). Only for
        pipelines whose components do not need sentence Docs (the dictionary
        pipeline of ``--fast``): contexts, abbreviation definitions and
        mentions are kept within one sentence, as with sentence Docs.

    Returns
    -------
    list of Mention
        Sorted by ``(start, end)``, non-overlapping.
    """
    from extractor.abbreviations import (
        apply_abbreviations,
        complete_sites,
        definitions_in_doc,
        find_abbreviations,
        mention_definitions,
        propagate_surface_forms,
    )

    resolver: MentionResolver = nlp.get_pipe("extractor_mention_resolver")
    lex = resolver.lexicon
    has_detector = "abbreviation_detector" in nlp.pipe_names
    sent_starts = [s.start for s in article.sentences]
    limit = max(50, settings.limits.max_sentence_chars)
    if paragraphs and article.sentences:
        inputs = list(_paragraph_inputs(article, paragraphs, limit))
    else:
        inputs = [(text, off) for text, off, _ in _pieces(article, limit)]
    mentions: list[Mention] = []
    found = []
    with warnings.catch_warnings():  # scispacy's global matcher may be empty (W036)
        warnings.filterwarnings("ignore", message=r".*W036")
        docs = list(nlp.pipe((x[0] for x in inputs), batch_size=64))
    for doc, (_text, off) in zip(docs, inputs):
        bounds = doc.user_data.get(SENTENCES_KEY)
        if has_detector:
            defs = definitions_in_doc(doc, off)
            if bounds is not None:  # a definition does not reach into the previous sentence
                defs = [a for a in defs if _inside_one_sentence(bounds, min(a.long_start, a.short_start) - off,
                                                                max(a.long_end, a.short_end) - off)]
            found.extend(defs)
        for sp in doc.spans[resolver.out_key]:
            if bounds is not None and not _inside_one_sentence(bounds, sp.start_char, sp.end_char):
                continue
            c = lex.concepts.get(sp.kb_id_) if sp.kb_id_ else None
            s, e = off + sp.start_char, off + sp.end_char
            idx = _sentence_index(sent_starts, s)
            if sp.id_ == "ner":
                # "[3H]nicotine" -> "nicotine"; "AmB." -> "AmB"
                lab = _RADIOLABEL.match(sp.text)
                if lab:
                    s += lab.end()
                while e - s > 2 and article.text[e - 1] in ".-,;:" and article.text[e - 2].isalnum():
                    e -= 1
            m = _AFFIXED.match(article.text[s:e])
            if m and c is None:
                # "levodopa-induced" is one token for some tokenizers: keep the agent
                e = s + m.end(1)
                c = resolver.linker.link(m.group(1), ACCEPT.get(sp.label_))
            mentions.append(
                Mention(
                    s, e, article.text[s:e], EntityType(sp.label_),
                    c.curie if c else None, c.name if c else article.text[s:e], idx, sp.id_ or "ner",
                )
            )
    if has_detector:
        abbreviations = complete_sites(article.text, found)
    else:
        abbreviations = find_abbreviations(article.text, nlp) if "(" in article.text else []
    if "(" in article.text:
        extra = mention_definitions(article.text, mentions, abbreviations)
        if extra:
            abbreviations = sorted([*abbreviations, *extra], key=lambda a: (a.short_start, a.short))
    if abbreviations:
        starts = [s.start for s in article.sentences]
        mentions = apply_abbreviations(article.text, mentions, abbreviations, resolver.linker, starts)
    mentions = propagate_surface_forms(article.text, mentions, [s.start for s in article.sentences])
    mentions = _link_like_peers(mentions)
    ordered = sorted(set(mentions), key=lambda m: (m.start, m.end, str(m.type), m.id or "", m.name or "", m.source))
    kept = resolve_overlaps(
        ordered, key=lambda m: (m.start, m.end, _PRIORITY.get(m.source, 0), m.type != EntityType.CONDITION)
    )
    return sorted(kept, key=lambda m: (m.start, m.end, str(m.type)))
