"""Abbreviations: document-wide definitions and their propagation to mentions.

Input: an article's text, the entity pipeline (for its tokenizer and
scispacy's ``abbreviation_detector``), and the mentions found sentence by
sentence. Output: the definitions (:class:`Abbreviation`) and the mentions
with every short form typed and linked like its long form.

A definition anywhere in the article applies to the whole article:
"Complex regional pain syndrome (CRPS)" makes every "CRPS" a Condition
``MESH:D020918``. A long form with the short form inside parentheses,
"N-methyl-D-aspartate (NMDA) receptor", becomes one mention linked as
"N-methyl-D-aspartate receptor". A short form whose long form is not an
entity drops dictionary hits of that short form (an abbreviation that
means something else in this article).

Examples
--------
>>> a = Abbreviation("CRPS", "complex regional pain syndrome", 32, 36, 0, 30)
>>> a.short, a.long_end
('CRPS', 30)
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, replace
from typing import Container, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor.lexicon import MATCH_TYPES, normalize_key
from extractor.model import EntityType, Mention
from extractor.normalize import Linker, chemical_shaped, looks_like_entity, mention_type
from extractor.sentences import sentence_index

__all__ = [
    "Abbreviation",
    "find_abbreviations",
    "definitions_in_doc",
    "complete_sites",
    "mention_definitions",
    "apply_abbreviations",
    "propagate_surface_forms",
    "ParenthesisGatedDetector",
    "make_abbreviation_detector",
]

log = logging.getLogger(__name__)

_CHUNK = 100_000


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """One definition ``long (short)``: texts and character offsets."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


def _detector(nlp):
    """(tokenizing pipeline, detector) for ``nlp``, made once and kept on it.

    Definitions are found on a hyphen-splitting tokenization (so that
    "(NTG)-induced" has a closing parenthesis token) whatever the NER's
    tokenizer is.
    """
    pair = getattr(nlp, "_extractor_abbreviations", None)
    if pair is None:
        from extractor.tokenizer import blank_english

        tok_nlp = blank_english()
        tok_nlp.max_length = max(tok_nlp.max_length, _CHUNK * 2)
        pair = (tok_nlp, ParenthesisGatedDetector(tok_nlp))
        nlp._extractor_abbreviations = pair
    return pair


def _chunks(text: str, size: int = _CHUNK):
    """Yield (offset, piece) of at most ``size`` chars, cut at line ends."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


def find_abbreviations(text: str, nlp) -> list[Abbreviation]:
    """Definitions of ``text`` found by scispacy's Schwartz-Hearst detector.

    Parameters
    ----------
    text : str
        The whole article text.
    nlp : Language
        The entity pipeline; a tokenizer and scispacy ``AbbreviationDetector``
        for definitions are made once and kept on it.

    Returns
    -------
    list of Abbreviation
        Every definition site, in text order (a short form may be defined
        more than once; :func:`apply_abbreviations` uses the first that is
        an entity).
    """
    tok_nlp, det = _detector(nlp)
    found: list[Abbreviation] = []
    for off, piece in _chunks(text):
        found.extend(definitions_in_doc(det(tok_nlp.make_doc(piece)), off))
    return complete_sites(text, found)


def definitions_in_doc(doc, offset: int = 0) -> list[Abbreviation]:
    """Definition sites in a doc processed by scispacy's detector
    (``doc._.abbreviations``), with offsets shifted by ``offset``."""
    out = []
    for short in getattr(doc._, "abbreviations", None) or ():
        long = short._.long_form
        if long is None or not (
            0 <= short.start_char - long.end_char <= 3 or 0 <= long.start_char - short.end_char <= 3
        ):
            continue  # a later occurrence, not the definition
        sf = short.text
        if len(sf) < 2 or not any(ch.isalpha() for ch in sf):
            continue
        out.append(
            Abbreviation(
                sf, long.text, offset + short.start_char, offset + short.end_char,
                offset + long.start_char, offset + long.end_char,
            )
        )
    return out


def complete_sites(text: str, found: Sequence[Abbreviation]) -> list[Abbreviation]:
    """``found`` plus the other ``long (short)`` sites of the same pairs
    (scispacy keeps one site per long form), deduplicated, in text order."""
    sites = {(a.short, a.short_start): a for a in found}
    folded = text.lower() if text.isascii() else None
    for short, long in sorted({(a.short, a.long) for a in found}):
        if folded is not None and folded.count(long.lower()) < 2:
            continue  # the long form occurs once: that site is found already
        pat = re.compile(r"(?<!\w)" + re.escape(long) + r"\s*\(\s*(" + re.escape(short) + r")\s*\)", re.I)
        for m in pat.finditer(text):
            if m.group(1) == short and (short, m.start(1)) not in sites:
                sites[(short, m.start(1))] = Abbreviation(
                    short, text[m.start() : m.start() + len(long)], m.start(1), m.end(1),
                    m.start(), m.start() + len(long),
                )
    return sorted(sites.values(), key=lambda a: (a.short_start, a.short))


#: ``(SF)``, ``(SF;`` / ``(SF:`` / ``(SF,`` right after a mention: a short-form candidate.
_AFTER_MENTION = re.compile(r"\s?\(([A-Za-z][A-Za-z0-9-]{1,9})(?:\)|[;:,]\s)")


def mention_definitions(
    text: str, mentions: Sequence[Mention], known: Sequence[Abbreviation] = ()
) -> list[Abbreviation]:
    """Definitions that the letter-matching detector misses but a linked
    mention makes plain: "cyclosporine (CSA)", "isoproterenol (ISPH)",
    "diethylnitrosamine (DEN: 10 mg/kg)", "acute myeloid leukemia (AML; n = 7)".

    A Drug or Condition mention with an id, followed by a parenthesis that
    opens with an acronym-like token (2-10 characters, an upper-case letter,
    starting with the mention's first letter) defines that token, unless the
    token is defined already.

    Examples
    --------
    >>> m = Mention(0, 12, "cyclosporine", EntityType.DRUG, "MESH:D016572", "Cyclosporine", 0, "ner")
    >>> [(a.short, a.long) for a in mention_definitions("cyclosporine (CSA) and CSA", [m])]
    [('CSA', 'cyclosporine')]
    """
    defined = {a.short for a in known}
    out = []
    for m in mentions:
        if m.id is None or m.type not in (EntityType.DRUG, EntityType.CONDITION, EntityType.ADVERSE_EFFECT):
            continue
        x = _AFTER_MENTION.match(text, m.end)
        if x is None:
            continue
        sf = x.group(1)
        if sf in defined or not any(ch.isupper() for ch in sf) or sf.casefold() == m.text.casefold():
            continue
        first = next((ch for ch in m.text if ch.isalpha()), "")
        if sf[0].casefold() != first.casefold():
            continue
        defined.add(sf)
        out.append(Abbreviation(sf, m.text, x.start(1), x.end(1), m.start, m.end))
    return out


def _is_word_char(ch: str) -> bool:
    """``\\w`` or ``-`` (what a term may not touch)."""
    return ch.isalnum() or ch in "_-"


def _word_sites(text: str, word: str, *, overlapping: bool = False) -> list[tuple[int, int]]:
    """Spans of ``word`` in ``text`` not touching a word character or a
    hyphen on either side (like ``(?<![\\w-])word(?![\\w-])``).

    Examples
    --------
    >>> _word_sites("CSA, pre-CSA and CSAs; CSA", "CSA")
    [(0, 3), (23, 26)]
    """
    out = []
    n = len(word)
    i = text.find(word) if n else -1
    while i >= 0:
        e = i + n
        if (i == 0 or not _is_word_char(text[i - 1])) and (e == len(text) or not _is_word_char(text[e])):
            out.append((i, e))
            i = text.find(word, i + 1 if overlapping else e)
        else:
            i = text.find(word, i + 1)
    return out


def apply_abbreviations(
    text: str,
    mentions: list[Mention],
    abbreviations: Sequence[Abbreviation],
    linker: Linker,
    sentence_starts: Sequence[int] = (),
) -> list[Mention]:
    """Type and link every short form like its long form.

    Parameters
    ----------
    text : str
        The article text the offsets point into.
    mentions : list of Mention
        Mentions found sentence by sentence.
    abbreviations : sequence of Abbreviation
        Definitions from :func:`find_abbreviations`.
    linker : Linker
        Links a long form that no mention covers.
    sentence_starts : sequence of int
        Start offsets of the sentences (to set ``Mention.sentence``).

    Returns
    -------
    list of Mention
        The input mentions plus short-form, long-form and
        ``long (short) head`` mentions (overlaps are left to the caller).
    """
    out = list(mentions)
    done: set[str] = set()
    # mentions by start, to find those overlapping a long form without a scan per definition
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    starts = [mentions[i].start for i in order]
    longest = max((m.end - m.start for m in mentions), default=0)
    last_site = {}
    for ab in abbreviations:
        last_site[ab.short] = max(last_site.get(ab.short, -1), ab.short_start)
    for ab in abbreviations:
        lo = bisect.bisect_left(starts, ab.long_start - longest)
        hi = bisect.bisect_right(starts, ab.long_end)
        covering = [
            mentions[i] for i in sorted(order[lo:hi])
            if mentions[i].start <= ab.long_start < mentions[i].end or ab.long_start <= mentions[i].start < ab.long_end
        ]
        exact = [m for m in covering if m.start == ab.long_start and m.end == ab.long_end]
        best = exact[0] if exact else None
        if best is None:
            concept = linker.link(ab.long)
            if concept is not None and concept.type in MATCH_TYPES:
                best = Mention(
                    ab.long_start, ab.long_end, ab.long, EntityType(mention_type(concept)),
                    concept.curie, concept.name, sentence_index(sentence_starts, ab.long_start),
                    "abbreviation",
                )
                out.append(best)
        if best is None and covering:
            # the long form's last mention (e.g. "...pain syndrome" inside a longer phrase)
            tail = [m for m in covering if m.end == ab.long_end]
            best = tail[0] if tail else None
        inside = [m for m in covering if ab.long_start <= m.start and m.end <= ab.long_end]
        if best is None and inside and len(inside) == len(covering) and len(ab.long.split()) <= 6:
            # "pregnenolone sulphate (PREGS)": a Drug/Condition mention inside an unlinked long form
            typ = inside[-1].type
            head = ab.long.split()[-1]
            if (typ == EntityType.DRUG and chemical_shaped(head)) or (
                typ == EntityType.CONDITION and looks_like_entity(head, str(typ))
            ):
                best = Mention(
                    ab.long_start, ab.long_end, ab.long, typ, None, ab.long,
                    sentence_index(sentence_starts, ab.long_start), "abbreviation",
                )
                out.append(best)
        # "long (short) head": N-methyl-D-aspartate (NMDA) receptor
        after = text[ab.short_end : ab.short_end + 60]
        m = re.match(r"\)\s+([A-Za-z][\w-]*)(?:\s+([A-Za-z][\w-]*))?", after)
        if m:
            heads = [(2, m.group(1) + " " + m.group(2))] if m.group(2) else []
            for group, head in heads + [(1, m.group(1))]:
                concept = linker.lookup_key(normalize_key(ab.long + " " + head), None)
                if concept is not None and concept.type in MATCH_TYPES:
                    end = ab.short_end + m.end(group)
                    out.append(
                        Mention(
                            ab.long_start, end, text[ab.long_start : end], EntityType(mention_type(concept)),
                            concept.curie, concept.name, sentence_index(sentence_starts, ab.long_start),
                            "abbreviation",
                        )
                    )
                    break
        if ab.short in done or (best is None and last_site[ab.short] > ab.short_start):
            continue  # propagated already, or a later definition may be an entity
        done.add(ab.short)
        spans = _word_sites(text, ab.short)
        number = _other_number(ab.short)
        if number and number not in last_site:  # "SNP" of a text that defines "SNPs"
            spans = sorted(spans + _word_sites(text, number))
        if best is None:
            # defined as something that is not an entity: drop its dictionary hits
            drop = set(spans)
            out = [x for x in out if (x.start, x.end) not in drop or x.source == "abbreviation"]
            continue
        taken = set(spans)
        out = [x for x in out if (x.start, x.end) not in taken]
        for s, e in spans:
            out.append(
                replace(
                    best, start=s, end=e, text=text[s:e],
                    sentence=sentence_index(sentence_starts, s), source="abbreviation",
                )
            )
    return out


def _other_number(short: str) -> str | None:
    """The plural of a short form, or its singular ("SNP" <-> "SNPs"), for
    short forms of capitals and digits; None otherwise.

    Examples
    --------
    >>> _other_number("SNPs"), _other_number("NSAID"), _other_number("Ca")
    ('SNP', 'NSAIDs', None)
    """
    base = short[:-1] if short.endswith("s") else short
    if len(base) < 2 or not all(ch.isupper() or ch.isdigit() for ch in base):
        return None
    return base if short.endswith("s") else short + "s"


#: Mentions that name their concept by themselves (not ellipsis or pattern pieces).
_SOURCES = frozenset({"ner", "lexicon", "curated"})
_PROPAGATED = frozenset({EntityType.DRUG, EntityType.CONDITION, EntityType.ADVERSE_EFFECT, EntityType.TARGET})


def propagate_surface_forms(
    text: str, mentions: list[Mention], sentence_starts: Sequence[int] = (), in_context: Container[str] = ()
) -> list[Mention]:
    """Consistency: a surface form tagged once in a document is tagged
    wherever else it occurs there, with the same type and id.

    Only Drug, Condition, AdverseEffect and Target mentions of at least three
    characters that are not acronyms, found by the NER or the dictionary,
    are propagated, only where no mention overlaps the
    occurrence, and the first mention of a surface (in text order) decides.

    Parameters
    ----------
    text : str
        The article text.
    mentions : list of Mention
        The mentions found so far (any order).
    sentence_starts : sequence of int
        Sentence start offsets (for ``Mention.sentence``).
    in_context : container of str
        Lower-case surfaces that are mentions only in their own context
        (``Lexicon.context_terms``): never propagated.

    Returns
    -------
    list of Mention
        ``mentions`` plus the new ones (source ``consistency``).

    Examples
    --------
    >>> m = Mention(0, 9, "cisplatin", EntityType.DRUG, "MESH:D002945", "Cisplatin", 0, "ner")
    >>> [x.start for x in propagate_surface_forms("cisplatin and more cisplatin", [m])]
    [0, 19]
    """
    first: dict[str, Mention] = {}
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        if (
            m.type in _PROPAGATED and m.source in _SOURCES and len(m.text) >= 3 and any(ch.isalpha() for ch in m.text)
            and sum(ch.isupper() for ch in m.text) < 2  # acronyms: the abbreviation rules decide
            and m.text.lower() not in in_context
        ):
            first.setdefault(m.text, m)
    if not first:
        return list(mentions)
    taken = sorted((m.start, m.end) for m in mentions)
    starts = [s for s, _ in taken]
    out = list(mentions)
    forms = sorted(first, key=lambda f: (-len(f), f))
    # leftmost first; at one position the longest form (as a regular
    # expression alternation of the forms would, without compiling one per document)
    sites = sorted((s, rank, e) for rank, f in enumerate(forms) for s, e in _word_sites(text, f, overlapping=True))
    end = 0
    for s, rank, e in sites:
        if s < end:
            continue
        end = e
        i = bisect.bisect_left(starts, e)
        if any(ts < e and s < te for ts, te in taken[max(0, i - 50) : i]):
            continue
        out.append(
            replace(first[forms[rank]], start=s, end=e, text=text[s:e],
                    sentence=sentence_index(sentence_starts, s), source="consistency")
        )
    return out


class ParenthesisGatedDetector:
    """scispacy's ``AbbreviationDetector`` (Schwartz-Hearst), run only on
    Docs with a ``(`` token, with its parenthesis matcher replaced by a
    linear scan.

    scispacy matches ``( ... )`` with a spaCy ``Matcher`` pattern of one or
    more tokens between the brackets, which keeps a state open from every
    ``(`` to the end of the Doc (quadratic in a long paragraph), then keeps
    only the matches of at most 8 inner tokens (``filter_matches``). The scan
    here lists exactly those matches, in the matcher's order (by end, then
    the later start first); scispacy's own ``filter_matches`` and
    ``find_abbreviation`` do the rest, as in its ``__call__``, and
    :meth:`find_matches_for` finds the other occurrences of each short form
    without scispacy's global ``Matcher``. A Doc without a ``(`` (most
    sentences and titles) has no definition and is left as it is.

    Parameters
    ----------
    nlp : Language
        The pipeline (vocabulary) the detector is built for.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("extractor_abbreviation_detector", name="abbreviation_detector")
    >>> doc = nlp("Chronic kidney disease (CKD) was treated.")
    >>> [(a.text, a._.long_form.text) for a in doc._.abbreviations]
    [('CKD', 'Chronic kidney disease')]
    >>> nlp("No definition here.")._.abbreviations
    []
    """

    #: Most tokens between the brackets that scispacy's filter keeps.
    MAX_INSIDE = 8

    def __init__(self, nlp: Language) -> None:
        # the extensions scispacy's AbbreviationDetector sets, set the same way
        Doc.set_extension("abbreviations", default=[], force=True)
        Span.set_extension("long_form", default=None, force=True)
        self.paren = nlp.vocab.strings.add("(")
        self.close = nlp.vocab.strings.add(")")
        self.match_id = nlp.vocab.strings.add("parenthesis")

    def bracket_matches(self, doc) -> list[tuple[int, int, int]]:
        """``(match id, start, end)`` of every ``( ... )`` with 1 to
        :attr:`MAX_INSIDE` tokens inside, ordered like spaCy's ``Matcher``."""
        from spacy.attrs import ORTH

        orth = doc.to_array(ORTH) if len(doc) else None
        if orth is None:
            return []
        opens = (orth == self.paren).nonzero()[0].tolist()
        if not opens:
            return []
        closes = (orth == self.close).nonzero()[0].tolist()
        out = []
        for i in opens:
            k = bisect.bisect_left(closes, i + 2)
            while k < len(closes) and closes[k] - i - 1 <= self.MAX_INSIDE:
                out.append((self.match_id, i, closes[k] + 1))
                k += 1
        out.sort(key=lambda m: (m[2], -m[1]))
        return out

    def find_matches_for(self, filtered, doc) -> list[tuple[Span, set[Span]]]:
        """scispacy's ``AbbreviationDetector.find_matches_for`` without its
        global ``Matcher``: each definition (Schwartz & Hearst, scispacy's
        ``find_abbreviation``) with every occurrence of its short form in
        ``doc``. Adding a pattern to a ``Matcher`` validates it and running
        the matcher walks the whole doc per call; here one array of token
        ids is scanned per short form."""
        from scispacy.abbreviation import find_abbreviation
        from spacy.attrs import ORTH

        rules: list[tuple[Span, Span]] = []
        seen_long: set[str] = set()
        seen_short: set[str] = set()
        for long_candidate, short_candidate in filtered:
            short, long = find_abbreviation(long_candidate, short_candidate)
            if long is None or long.text in seen_long or short.text in seen_short:
                continue
            seen_long.add(long.text)
            seen_short.add(short.text)
            rules.append((long, short))
        if not rules:
            return []
        orth = doc.to_array(ORTH)
        out = []
        for long, short in rules:
            found = {short}
            pattern = orth[short.start : short.end]
            n = len(pattern)
            for start in (orth[: len(orth) - n + 1] == pattern[0]).nonzero()[0].tolist():
                if (orth[start : start + n] == pattern).all():
                    found.add(doc[start : start + n])
            out.append((long, found))
        return out

    def __call__(self, doc):
        from scispacy.abbreviation import filter_matches

        matches = self.bracket_matches(doc)
        if not matches:
            return doc
        filtered = filter_matches([(m, s + 1, e - 1) for m, s, e in matches], doc)
        for long_form, short_forms in self.find_matches_for(filtered, doc):
            for short in short_forms:
                short._.long_form = long_form
                doc._.abbreviations.append(short)
        return doc


@Language.factory("extractor_abbreviation_detector", assigns=["doc._.abbreviations"])
def make_abbreviation_detector(nlp: Language, name: str) -> ParenthesisGatedDetector:
    """Factory of :class:`ParenthesisGatedDetector`."""
    return ParenthesisGatedDetector(nlp)
