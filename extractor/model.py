"""Typed records passed between the stages of ``extractor``.

Readers return :class:`Article`; the sentence stage fills its ``sentences``;
the NLP stage returns :class:`Mention` records; the relation stage returns
:class:`Relation` records (one per supporting sentence, later merged); the
claim stage returns :class:`Claim` records; :class:`DocumentResult` bundles
everything known about one article. Dicts appear only at the JSON boundary
(:mod:`extractor.io.jsonio`).

Identity follows INDRA: a record's *meaning* (:meth:`Relation.key`,
:meth:`Claim.key`) is kept apart from its provenance (:class:`Evidence`), and
an entity is identified by its ontology id before its name.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from enum import Enum

__all__ = [
    "SCHEMA_VERSION",
    "StrEnum",
    "EntityType",
    "RelationClass",
    "Direction",
    "Reference",
    "Paragraph",
    "Section",
    "TITLE_SECTION",
    "Sentence",
    "Metadata",
    "Annotation",
    "Article",
    "Mention",
    "Entity",
    "Evidence",
    "Relation",
    "Claim",
    "DocumentResult",
    "content_hash",
    "normalize_name",
]

#: Version of the output contract (``report.json`` carries it).
SCHEMA_VERSION = "1.0"

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - Python 3.10

    class StrEnum(str, Enum):
        """``enum.StrEnum`` for Python 3.10."""

        def __str__(self) -> str:
            return str(self.value)


class EntityType(StrEnum):
    """Types of mentions (``type`` field of the contract)."""

    DRUG = "Drug"
    MECHANISM = "Mechanism"
    CONDITION = "Condition"
    OUTCOME = "Outcome"
    ADVERSE_EFFECT = "AdverseEffect"
    TARGET = "Target"
    POPULATION = "Population"


class RelationClass(StrEnum):
    """Coarse relation classes of ``triples.jsonl``."""

    TREATS = "treats"
    MECHANISM = "mechanism"
    OUTCOME = "outcome"
    ADVERSE = "adverse"
    ASSOCIATION = "association"


class Direction(StrEnum):
    """Direction of an ``outcome`` relation."""

    INCREASE = "increase"
    DECREASE = "decrease"


def content_hash(*parts: str, length: int = 16) -> str:
    """Return a short stable hex digest of ``parts``.

    Examples
    --------
    >>> content_hash("a", "b") == content_hash("a", "b")
    True
    >>> len(content_hash("x"))
    16
    """
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def normalize_name(name: str) -> str:
    """Casefold and collapse whitespace: the fallback identity of a concept.

    Examples
    --------
    >>> normalize_name("  NMDA   Receptor ")
    'nmda receptor'
    """
    return " ".join(name.casefold().split())


# --------------------------------------------------------------------- article


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of the reference list."""

    n: str
    text: str
    authors: tuple[str, ...] = ()
    title: str = ""
    journal: str = ""
    year: str = ""
    volume: str = ""
    pages: str = ""
    doi: str = ""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph: character span into ``Article.text`` and its citations.

    ``index`` counts from 1 within its section.
    """

    index: int
    start: int
    end: int
    citations: tuple[str, ...] = ()


#: Name of the section that holds an article's title as its single paragraph.
TITLE_SECTION = "Title"


@dataclass(frozen=True, slots=True)
class Section:
    """A titled section of the article body (or front/back matter)."""

    name: str
    start: int
    end: int
    paragraphs: tuple[Paragraph, ...] = ()


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: span into ``Article.text``, its section and paragraph."""

    start: int
    end: int
    section: str
    paragraph: int
    citations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Metadata:
    """Bibliographic metadata of an article."""

    authors: tuple[str, ...] = ()
    journal: str | None = None
    year: str | None = None
    doi: str | None = None
    pmid: str | None = None
    affiliations: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Annotation:
    """A mention annotated in the input itself (PubTator). Read, kept for
    evaluation, never used as a prediction."""

    start: int
    end: int
    text: str
    type: str
    id: str | None


@dataclass(frozen=True, slots=True)
class Article:
    """What a reader returns: the text and its structure.

    All offsets are character offsets into ``text``, end exclusive.
    ``sentences`` is empty until the sentence stage has run.
    """

    doc_id: str
    source: str
    format: str
    title: str
    text: str
    metadata: Metadata = field(default_factory=Metadata)
    sections: tuple[Section, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    references: tuple[Reference, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    gold_relations: tuple[tuple[str, str, str], ...] = ()

    def paragraph_text(self, section: Section, paragraph: Paragraph) -> str:
        """Return the text of ``paragraph`` in ``section``."""
        return self.text[paragraph.start : paragraph.end]


# --------------------------------------------------------------------- entities


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention found in the text.

    ``id`` is a CURIE such as ``MESH:D007649`` or None; ``name`` is the
    concept's preferred name (or the surface text when unlinked).
    ``sentence`` indexes ``Article.sentences`` (-1 when unknown).
    ``source`` says which component found it (``ner``, ``lexicon``,
    ``abbreviation`` ...).
    """

    start: int
    end: int
    text: str
    type: EntityType
    id: str | None = None
    name: str | None = None
    sentence: int = -1
    source: str = ""

    def entity(self) -> "Entity":
        """The concept this mention refers to."""
        return Entity(name=self.name or self.text, id=self.id, type=self.type)


@dataclass(frozen=True, slots=True)
class Entity:
    """A concept: identity by ``id`` when linked, else by normalised name."""

    name: str
    id: str | None
    type: EntityType

    def key(self) -> str:
        """Identity key: the id, else the casefolded name."""
        return self.id or "name:" + normalize_name(self.name)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Provenance of a relation or claim: one sentence of one document."""

    doc_id: str
    section: str
    paragraph: int
    sentence: str
    start: int
    end: int
    citations: tuple[str, ...] = ()
    sentence_index: int = -1
    reader: str = ""

    def sort_key(self) -> tuple:
        """Order evidence by document then position."""
        return (self.doc_id, self.start, self.end, self.sentence)


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed binary relation with its evidence (a line of triples.jsonl)."""

    subject: Entity
    predicate: str
    relation_class: RelationClass
    object: Entity
    negated: bool = False
    hedged: bool = False
    confidence: float = 0.5
    direction: Direction | None = None
    evidence: tuple[Evidence, ...] = ()

    def key(self) -> tuple[str, str, str, bool]:
        """What the relation means, without its evidence."""
        return (self.subject.key(), self.predicate, self.object.key(), self.negated)

    @property
    def biolink_predicate(self) -> str:
        """The Biolink predicate of the relation class."""
        return BIOLINK_PREDICATES[self.relation_class]


#: Relation class to Biolink predicate.
BIOLINK_PREDICATES: dict[RelationClass, str] = {
    RelationClass.TREATS: "biolink:treats",
    RelationClass.MECHANISM: "biolink:affects",
    RelationClass.OUTCOME: "biolink:affects",
    RelationClass.ADVERSE: "biolink:causes",
    RelationClass.ASSOCIATION: "biolink:related_to",
}


@dataclass(frozen=True, slots=True)
class Claim:
    """An n-ary claim: drug - mechanism - condition - outcome (+ adverse).

    ``claim_id`` is derived from :meth:`key` (a content hash), never random.
    """

    claim_id: str
    text: str
    drug: tuple[Entity, ...] = ()
    mechanism: tuple[Entity, ...] = ()
    condition: tuple[Entity, ...] = ()
    outcome: tuple[Entity, ...] = ()
    adverse: tuple[Entity, ...] = ()
    hedged: bool = False
    negated: bool = False
    evidence: tuple[Evidence, ...] = ()

    def key(self) -> tuple:
        """What the claim says, by concept keys, without its evidence."""

        def slot(items: tuple[Entity, ...]) -> tuple[str, ...]:
            return tuple(sorted({e.key() for e in items}))

        return (
            slot(self.drug),
            slot(self.mechanism),
            slot(self.condition),
            slot(self.outcome),
            slot(self.adverse),
            self.negated,
        )


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Everything extracted from one article."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    claims: tuple[Claim, ...] = ()
    paragraph_groups: tuple[tuple[tuple[str, int], ...], ...] = ()
