"""Connects the stages; does no I/O.

Per document::

    Article (reader)
      -> segment_article      sentences.py     sentences with section/paragraph/citations
      -> find_mentions        ner.py           typed, MeSH-linked mentions (abbreviations resolved)
      -> extract_relations    relations.py     typed relations, one per supporting sentence
      -> build_claims         claims.py        n-ary claims per sentence/paragraph
      -> group_paragraphs     dedup.py         paragraphs that restate each other
      -> merge_claims         dedup.py         one claim per key, evidence merged
    = DocumentResult

Over the run::

    merge_relations (relations.py) and merge_claims (dedup.py) over all documents
    = CorpusResult, from which the exporters write triples, claims, summaries,
      KGX and graph.html.

The heavy resources (spaCy pipeline, lexicon, relation model) are built once
per :class:`Extractor`, lazily, and reused for every document.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from extractor.config import Settings
from extractor.model import Article, Claim, DocumentResult, Relation, RelationClass

__all__ = ["Extractor", "CorpusResult", "merge_results"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CorpusResult:
    """Relations and claims merged over every document of a run."""

    relations: tuple[Relation, ...]
    claims: tuple[Claim, ...]


class Extractor:
    """Runs the per-document stages with resources built once.

    Parameters
    ----------
    settings : Settings
        Run options (model, fast mode, limits).

    Examples
    --------
    >>> ex = Extractor(Settings(fast=True))  # doctest: +SKIP
    >>> result = ex.process(article)  # doctest: +SKIP
    """

    #: Names of the per-document stages, in order (keys of :attr:`stage_seconds`).
    STAGES = ("segment", "ner", "relations", "claims", "dedup")

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._segmenter = None
        self._nlp = None
        #: Seconds spent in each stage (:attr:`STAGES`) over every
        #: :meth:`process` call of this extractor; the runner reports them
        #: in ``report.json`` (``timings`` -> ``stage:<name>``).
        self.stage_seconds: Counter = Counter()

    @property
    def segmenter(self):
        """The sentence segmenter (the project's tokenizer + our splitter)."""
        if self._segmenter is None:
            from extractor.sentences import make_segmenter

            # the fast pipeline's tokenizer has the segmenter's rules: share it
            self._segmenter = make_segmenter(tokenizer=self.nlp.tokenizer if self.shares_tokens else None)
        return self._segmenter

    @property
    def nlp(self):
        """The entity pipeline (built on first use)."""
        if self._nlp is None:
            from extractor.ner import build_pipeline

            self._nlp = build_pipeline(self.settings)
        return self._nlp

    @property
    def shares_tokens(self) -> bool:
        """Whether the entity pipeline may run on the segmenter's paragraph
        Docs: the ``--fast`` dictionary pipeline (the statistical NER keeps
        its sentence Docs)."""
        return self.settings.fast and not self.settings.model

    def warm_up(self, *, before_fork: bool = False) -> None:
        """Build every heavy resource now: the pipelines and the relation
        model. ``before_fork``: also import the numerical libraries that
        paragraph de-duplication imports on the first article with two body
        sections (about 0.2 s), so that forked workers share them; a single
        process imports them only if it meets such an article (abstracts
        never do)."""
        _ = self.segmenter, self.nlp
        if before_fork:
            import scipy.optimize  # noqa: F401
            import scipy.sparse  # noqa: F401

        from extractor.relations import load_relation_model

        load_relation_model()

    def process(self, article: Article) -> DocumentResult:
        """Run every per-document stage on ``article``."""
        from extractor.claims import build_claims
        from extractor.dedup import group_paragraphs, merge_claims
        from extractor.ner import find_mentions
        from extractor.relations import extract_relations, merge_relations
        from extractor.sentences import paragraph_docs, segment_article

        clock = time.perf_counter
        spent = self.stage_seconds
        t0 = clock()
        paragraphs = None
        if self.shares_tokens:  # one tokenization of each paragraph serves both stages
            paragraphs = paragraph_docs(article, self.nlp.tokenizer)
        if not article.sentences:
            article = segment_article(article, self.segmenter, paragraphs=paragraphs)
        t1 = clock()
        mentions = find_mentions(article, self.nlp, self.settings, paragraphs)
        t2 = clock()
        relations = merge_relations(extract_relations(article, mentions))
        if not self.settings.associations:  # co-mentions without a typed reading
            relations = [r for r in relations if r.relation_class != RelationClass.ASSOCIATION]
        t3 = clock()
        claims = build_claims(article, mentions, relations)
        t4 = clock()
        groups = group_paragraphs(article, mentions, claims)
        claims = merge_claims(claims)
        t5 = clock()
        spent["segment"] += t1 - t0
        spent["ner"] += t2 - t1
        spent["relations"] += t3 - t2
        spent["claims"] += t4 - t3
        spent["dedup"] += t5 - t4
        log.debug(
            "%s: %d sentences, %d mentions, %d relations, %d claims",
            article.doc_id,
            len(article.sentences),
            len(mentions),
            len(relations),
            len(claims),
        )
        return DocumentResult(
            article=article,
            mentions=tuple(mentions),
            relations=tuple(relations),
            claims=tuple(claims),
            paragraph_groups=tuple(groups),
        )


def merge_results(results: Iterable[DocumentResult]) -> CorpusResult:
    """Merge relations and claims of many documents (order-independent)."""
    from extractor.dedup import merge_claims
    from extractor.relations import merge_relations

    relations: list[Relation] = []
    claims: list[Claim] = []
    for r in results:
        relations.extend(r.relations)
        claims.extend(r.claims)
    return CorpusResult(relations=tuple(merge_relations(relations)), claims=tuple(merge_claims(claims)))
