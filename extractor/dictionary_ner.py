"""Dictionary NER stage: longest-match lexicon terms as spaCy spans.

Input: a spaCy :class:`~spacy.tokens.Doc` tokenised by
:func:`dictionary_tokenizer` and a :class:`~extractor.lexicon.Lexicon`.
Output: ``doc.spans[spans_key]``, one :class:`~spacy.tokens.Span` per
longest, left-to-right, non-overlapping match of a lexicon term of the
requested concept types (``label_`` = concept type, ``kb_id_`` = concept key).
Matching is on normalised keys (:func:`~extractor.lexicon.normalize_key`:
case, hyphens, British spellings, Greek letters) with a singular fallback
(:func:`~extractor.lexicon.singular_key`); tokens without letters or digits
such as "-" or "'s" may sit inside a match. The factory
``extractor_dictionary_ner`` is registered under the entry point group
``spacy_factories`` (also importable from :mod:`extractor.ner`).

Examples
--------
>>> import spacy
>>> lex = Lexicon.from_kb([{"concept_id": "D006261", "canonical_name": "Headache",
...     "aliases": ["cephalalgia"], "types": ["Condition"]}])
>>> doc = DictionaryNER(lexicon=lex, types=["Condition"])(spacy.blank("en")("Severe cephalalgias."))
>>> [(sp.text, sp.label_, sp.kb_id_) for sp in doc.spans[DICT_KEY]]
[('cephalalgias', 'Condition', 'D006261')]
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from extractor.lexicon import (
    Lexicon,
    cased_key,
    load_lexicon,
    normalize_key,
    singular_key,
)
from extractor.tokenizer import dictionary_tokenizer  # re-exported (older import path)

__all__ = ["CURATED", "DICT_KEY", "DictionaryNER", "dictionary_tokenizer", "make_dictionary_ner", "token_texts"]

DICT_KEY = "extractor_dictionary"
#: Curated (non Drug/Condition) mention types matched by default.
CURATED = ("Mechanism", "Outcome", "AdverseEffect", "Target", "Population")
#: Tokens without letters or digits that a dictionary match may span.
_SKIPPABLE = frozenset({"-", "–", "‐", "'s", "’s", "'S", "/", "'", "’", "+"})


def token_texts(doc: Doc) -> list[str]:
    """Token texts of ``doc``, computed once per doc (token objects are slow)."""
    texts = doc.user_data.get("extractor_texts")
    if texts is None or len(texts) != len(doc):
        strings = doc.vocab.strings  # token ids to texts: no Token objects made
        texts = doc.user_data["extractor_texts"] = [strings[h] for h in doc.to_array(ORTH).tolist()]
    return texts


class DictionaryNER:
    """Longest-match dictionary NER over the lexicon (token based).

    Parameters
    ----------
    lexicon : Lexicon
        The concept dictionary (built once).
    types : sequence of str
        Concept types matched in free text.
    spans_key : str
        ``doc.spans`` key written.
    max_words : int
        Longest term considered, in words.
    """

    def __init__(
        self, *, lexicon: Lexicon, types: Sequence[str], spans_key: str = DICT_KEY, max_words: int = 10
    ) -> None:
        self.lexicon = lexicon
        self.types = frozenset(types)
        self.spans_key = spans_key
        self.max_words = max_words
        # key -> (concept key, type) or None, filled on first use (a cold start
        # would otherwise type every term of the lexicon)
        self._entries: dict[str, tuple[str, str] | None] = {}
        prefixes: set[str] = set()
        for key in lexicon.terms:
            i = key.find(" ")
            if i < 0 or key.count(" ") >= max_words:
                continue
            while i > 0:
                prefixes.add(key[:i])
                i = key.find(" ", i + 1)
        self._prefixes = frozenset(prefixes)
        self._token_keys: dict[str, str] = {}
        self._resolved: dict[str, tuple[str | None, tuple[str, str] | None, bool]] = {}
        # token text -> (key, matched key, entry, may grow): one look-up per token
        self._token_info: dict[str, tuple[str, str | None, tuple[str, str] | None, bool]] = {}

    def _entry(self, key: str) -> tuple[str, str] | None:
        """``(concept key, type)`` matched for a normalised key, or None."""
        try:
            return self._entries[key]
        except KeyError:
            pass
        hit = None
        if key not in self.lexicon.nomatch:
            for ck in self.lexicon.keys_for(key):
                c = self.lexicon.concepts.get(ck)
                if c is not None and c.type in self.types:
                    hit = (ck, c.type)
                    break
        if len(self._entries) < 1_000_000:
            self._entries[key] = hit
        return hit

    def _resolve(self, key: str) -> tuple[str | None, tuple[str, str] | None, bool]:
        """``(matched key, entry, may grow)`` for a normalised key: the key or
        its singular, its ``(concept key, type)`` or None, and whether a longer
        term starts with it (memoised: most words are looked up many times)."""
        try:
            return self._resolved[key]
        except KeyError:
            pass
        hit, found = key, self._entry(key)
        if found is None:
            hit = singular_key(key)
            found = self._entry(hit) if hit else None
        out = (hit, found, key in self._prefixes)
        if len(self._resolved) < 1_000_000:
            self._resolved[key] = out
        return out

    def _key(self, text: str) -> str:
        k = self._token_keys.get(text)
        if k is None:
            k = "" if text in ("'s", "’s", "'S") else normalize_key(text)
            if len(self._token_keys) < 500_000:
                self._token_keys[text] = k
        return k

    def _info(self, text: str) -> tuple[str, str | None, tuple[str, str] | None, bool]:
        """``(key, matched key, entry, may grow)`` of one token's text (see
        :meth:`_key` and :meth:`_resolve`), memoised."""
        key = self._key(text)
        out = (key, *self._resolve(key)) if key else (key, None, None, False)
        if len(self._token_info) < 500_000:
            self._token_info[text] = out
        return out

    def match(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        """``(start token, end token, concept key, type)`` of the longest
        matches, left to right, non-overlapping."""
        texts = token_texts(doc)
        known, info = self._token_info, self._info
        infos = [known.get(t) or info(t) for t in texts]
        resolve, cased = self._resolve, self.lexicon.cased
        out = []
        n = len(infos)
        i = 0
        while i < n:
            key, hit, found, longer = infos[i]
            if not key or (found is None and not longer):
                i += 1  # most tokens: no term is or starts with this word
                continue
            best = None
            cur = ""
            j = i
            while j < n:
                key = infos[j][0]
                if not key and texts[j] not in _SKIPPABLE:
                    break
                if key:
                    if cur:
                        cur = cur + " " + key
                        hit, found, longer = resolve(cur)
                    else:
                        cur = key
                        hit, found, longer = infos[j][1:]
                    if found is not None:
                        if hit in cased and cased_key(doc[i : j + 1].text) not in cased[hit]:
                            pass
                        else:
                            best = (i, j + 1, *found)
                    if not longer:
                        break
                j += 1
            if best:
                out.append(best)
                i = best[1]
            else:
                i += 1
        return out

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.spans_key] = [
            Span(doc, s, e, label=typ, kb_id=ck) for s, e, ck, typ in self.match(doc)
        ]
        return doc


@Language.factory(
    "extractor_dictionary_ner",
    assigns=["doc.spans"],
    default_config={"lexicon_path": "", "concepts_dir": "", "types": list(CURATED), "spans_key": DICT_KEY},
)
def make_dictionary_ner(
    nlp: Language, name: str, lexicon_path: str, concepts_dir: str, types: list[str], spans_key: str
) -> DictionaryNER:
    """Factory of :class:`DictionaryNER` (empty paths: the bundled lexicon)."""
    lex = load_lexicon(lexicon_path or None, concepts_dir or None)
    return DictionaryNER(lexicon=lex, types=types, spans_key=spans_key)
