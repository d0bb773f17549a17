"""Entity stage: typed, MeSH-linked mentions of an article.

Input: an :class:`~extractor.model.Article` with sentences and the pipeline
from :func:`build_pipeline`. Output: :class:`~extractor.model.Mention`
records (Drug, Mechanism, Condition, Outcome, AdverseEffect, Target,
Population) sorted by ``(start, end)``, without overlaps, linked to MeSH
(``MESH:D...``) or unlinked (``id`` None).

The pipeline (built once per run):

* default: the bundled statistical NER (``extractor/data/ner_model``,
  labels ``Chemical``/``Disease``) when it exists, on the project's
  tokenizer (:mod:`extractor.tokenizer`); lexicon Drug/Condition matches
  decide where both apply, the model fills the gaps (unlinked model spans
  must look like a name: :func:`~extractor.normalize.looks_like_entity`);
* ``settings.fast`` or no bundled model: a blank English pipeline with
  the same tokenizer and dictionary NER over the lexicon;
* ``settings.model``: a user's spaCy/scispacy NER model, labels mapped;

followed by scispacy's ``AbbreviationDetector`` (as ``abbreviation_detector``,
skipped on Docs without a "(" token, parentheses found by a linear scan; its
definitions apply to the whole article, see :mod:`extractor.abbreviations`),
``extractor_dictionary_ner``
(:mod:`extractor.dictionary_ner`: curated Mechanism / Outcome /
AdverseEffect / Target / Population phrases, plus Drug / Condition terms)
and ``extractor_mention_resolver`` (:mod:`extractor.mention_resolver`:
linking, mechanism phrases, Target typing, coordinated modifiers, adverse
retyping, overlaps). The pipeline runs on sentence Docs, or in fast mode on
the segmenter's paragraph Docs (one tokenization per paragraph).

:func:`find_mentions` trims a statistical mention such as
"levodopa-induced" to its agent and applies the article's abbreviation
definitions (plus "linked mention (SF)" definitions the letter-matching
detector misses), then tags every other occurrence of a tagged surface form
and links an unlinked mention like the linked mentions of its surface form
(consistency). In default mode a one-word disease adjective ("hemorrhagic")
that only the dictionary tags is dropped.

Examples
--------
>>> from extractor.config import Settings
>>> nlp = build_pipeline(Settings(fast=True))  # doctest: +SKIP
>>> find_mentions(article, nlp, Settings(fast=True))  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import logging
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from spacy.language import Language

from extractor.config import Settings
from extractor.dictionary_ner import (  # re-exported: older import paths
    DictionaryNER,
    dictionary_tokenizer,
    make_dictionary_ner,
)
from extractor.errors import ModelNotFoundError
from extractor.lexicon import MATCH_TYPES
from extractor.mention_resolver import (  # re-exported: older import paths
    _AFFIXED,
    _PRIORITY,
    _RADIOLABEL,
    OUT_KEY,
    SENTENCES_KEY,
    MentionResolver,
    make_mention_resolver,
    resolve_overlaps,
)
from extractor.model import Article, EntityType, Mention
from extractor.normalize import ACCEPT
from extractor.sentences import ParagraphDoc, sentence_index
from extractor.sequence_context import names_a_residue
from extractor.tokenizer import blank_english

__all__ = [
    "build_pipeline",
    "find_mentions",
    "DictionaryNER",
    "MentionResolver",
    "make_dictionary_ner",
    "make_mention_resolver",
    "MODEL_DIR",
    "OUT_KEY",
    "resolve_overlaps",
    "dictionary_tokenizer",
]

log = logging.getLogger(__name__)

#: Where the trainer ships the statistical NER.
MODEL_DIR = Path(__file__).resolve().parent / "data" / "ner_model"
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
        nlp = blank_english()
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
        text = p.text
        i = bisect.bisect_left(starts, p.start)
        j = bisect.bisect_left(starts, p.start + len(text), lo=i)
        if len(text) > limit:
            for piece, off, _ in _pieces(article, limit, sents[i:j]):
                yield piece, off
            continue
        p.doc.user_data[SENTENCES_KEY] = [(s.start - p.start, s.end - p.start) for s in sents[i:j]]
        yield p.doc, p.start


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
            idx = sentence_index(sent_starts, s)
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
    mentions = propagate_surface_forms(
        article.text, mentions, [s.start for s in article.sentences], in_context=lex.context_terms
    )
    mentions = _link_like_peers(mentions)
    # "arginine 150 proline", "single nucleotide polymorphism": sequence notation, no chemical
    mentions = [m for m in mentions if m.type != EntityType.DRUG or not names_a_residue(article.text, m.start, m.end)]
    ordered = sorted(set(mentions), key=lambda m: (m.start, m.end, str(m.type), m.id or "", m.name or "", m.source))
    kept = resolve_overlaps(
        ordered, key=lambda m: (m.start, m.end, _PRIORITY.get(m.source, 0), m.type != EntityType.CONDITION)
    )
    return sorted(kept, key=lambda m: (m.start, m.end, str(m.type)))
