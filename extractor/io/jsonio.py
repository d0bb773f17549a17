"""JSON boundary: records of :mod:`extractor.model` to and from plain dicts.

The dict shapes are those of ``shared/CONTRACT.md`` (documents, triples,
claims). ``*_to_dict`` and ``*_from_dict`` are symmetric pairs; ``dumps``
gives the canonical bytes (same input, same bytes out) and ``loads`` reads
them back. Compact JSON goes through ``orjson`` (about 10x faster than the
standard library, which matters when a run writes thousands of records).

Examples
--------
>>> from extractor.model import Entity, EntityType
>>> d = entity_to_dict(Entity("ketamine", "MESH:D007649", EntityType.DRUG))
>>> entity_from_dict(d).id
'MESH:D007649'
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from extractor.model import (
    Annotation,
    Article,
    Claim,
    Direction,
    DocumentResult,
    Entity,
    EntityType,
    Evidence,
    Mention,
    Metadata,
    Paragraph,
    Reference,
    Relation,
    RelationClass,
    Section,
    Sentence,
)

__all__ = [
    "dumps",
    "loads",
    "entity_to_dict",
    "entity_from_dict",
    "evidence_to_dict",
    "evidence_from_dict",
    "relation_to_dict",
    "relation_from_dict",
    "claim_to_dict",
    "claim_from_dict",
    "document_to_dict",
    "document_from_dict",
]


def dumps(obj: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """Serialise ``obj`` canonically (UTF-8 text, stable separators).

    Compact output (``indent=None``) has no spaces; keys keep their
    insertion order unless ``sort_keys``. Floats are written as the shortest
    text that reads back to the same number (``1e-5`` style exponents).

    Examples
    --------
    >>> dumps({"a": "x\u2028y"})
    '{"a":"x\\\\u2028y"}'
    >>> dumps({"b": 1, "a": [0.5, None]}, sort_keys=True)
    '{"a":[0.5,null],"b":1}'
    """
    if indent is None:
        option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_SORT_KEYS if sort_keys else 0)
        text = orjson.dumps(obj, option=option).decode("utf-8")
    else:  # human-facing files (report.json): the standard library's layout
        text = json.dumps(obj, ensure_ascii=False, indent=indent, sort_keys=sort_keys, check_circular=False)
    # U+2028/U+2029 are line breaks for str.splitlines() and for JavaScript:
    # keep a JSON Lines record on one line whatever reads it.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def loads(text: str | bytes) -> Any:
    """Parse one JSON value (the inverse of :func:`dumps`).

    Raises
    ------
    ValueError
        On invalid JSON (``orjson.JSONDecodeError`` is a ``json.JSONDecodeError``).
    """
    return orjson.loads(text)


# ------------------------------------------------------------------ entities


def entity_to_dict(e: Entity) -> dict:
    return {"name": e.name, "id": e.id, "type": str(e.type)}


def entity_from_dict(d: dict) -> Entity:
    return Entity(name=d["name"], id=d.get("id"), type=EntityType(d.get("type", "Drug")))


def evidence_to_dict(e: Evidence) -> dict:
    return {
        "doc_id": e.doc_id,
        "section": e.section,
        "paragraph": e.paragraph,
        "sentence": e.sentence,
        "start": e.start,
        "end": e.end,
        "citations": list(e.citations),
        "sentence_index": e.sentence_index,
        "reader": e.reader,
    }


def evidence_from_dict(d: dict) -> Evidence:
    return Evidence(
        doc_id=str(d["doc_id"]),
        section=d.get("section", ""),
        paragraph=int(d.get("paragraph", 0)),
        sentence=d.get("sentence", ""),
        start=int(d.get("start", 0)),
        end=int(d.get("end", 0)),
        citations=tuple(str(c) for c in d.get("citations", ())),
        sentence_index=int(d.get("sentence_index", -1)),
        reader=d.get("reader", ""),
    )


# ------------------------------------------------------------------ relations


def relation_to_dict(r: Relation) -> dict:
    return {
        "type": "Relation",
        "subject": entity_to_dict(r.subject),
        "predicate": r.predicate,
        "relation_class": str(r.relation_class),
        "biolink_predicate": r.biolink_predicate,
        "object": entity_to_dict(r.object),
        "direction": str(r.direction) if r.direction else None,
        "negated": r.negated,
        "hedged": r.hedged,
        "confidence": round(float(r.confidence), 4),
        "evidence_count": len(r.evidence),
        "evidence": [evidence_to_dict(e) for e in r.evidence],
    }


def relation_from_dict(d: dict) -> Relation:
    return Relation(
        subject=entity_from_dict(d["subject"]),
        predicate=d["predicate"],
        relation_class=RelationClass(d["relation_class"]),
        object=entity_from_dict(d["object"]),
        negated=bool(d.get("negated", False)),
        hedged=bool(d.get("hedged", False)),
        confidence=float(d.get("confidence", 0.5)),
        direction=Direction(d["direction"]) if d.get("direction") else None,
        evidence=tuple(evidence_from_dict(e) for e in d.get("evidence", ())),
    )


# ------------------------------------------------------------------ claims

_SLOTS = ("drug", "mechanism", "condition", "outcome", "adverse")


def claim_to_dict(c: Claim) -> dict:
    d: dict[str, Any] = {"type": "Claim", "claim_id": c.claim_id, "text": c.text}
    for slot in _SLOTS:
        d[slot] = [{"name": e.name, "id": e.id, "type": str(e.type)} for e in getattr(c, slot)]
    d["hedged"] = c.hedged
    d["negated"] = c.negated
    d["evidence_count"] = len(c.evidence)
    d["documents"] = sorted({e.doc_id for e in c.evidence})
    d["evidence"] = [evidence_to_dict(e) for e in c.evidence]
    return d


def claim_from_dict(d: dict) -> Claim:
    slots = {s: tuple(entity_from_dict(e) for e in d.get(s, ())) for s in _SLOTS}
    return Claim(
        claim_id=d["claim_id"],
        text=d.get("text", ""),
        hedged=bool(d.get("hedged", False)),
        negated=bool(d.get("negated", False)),
        evidence=tuple(evidence_from_dict(e) for e in d.get("evidence", ())),
        **slots,
    )


# ------------------------------------------------------------------ documents


def _reference_to_dict(r: Reference) -> dict:
    return {
        "n": r.n,
        "text": r.text,
        "authors": list(r.authors),
        "title": r.title,
        "journal": r.journal,
        "year": r.year,
        "volume": r.volume,
        "pages": r.pages,
        "doi": r.doi,
    }


def document_to_dict(result: DocumentResult) -> dict:
    """The ``documents/<doc_id>.json`` record of one article."""
    a = result.article
    m = a.metadata
    return {
        "type": "Document",
        "doc_id": a.doc_id,
        "source": a.source,
        "format": a.format,
        "title": a.title,
        "metadata": {
            "authors": list(m.authors),
            "journal": m.journal,
            "year": m.year,
            "doi": m.doi,
            "pmid": m.pmid,
            "affiliations": list(m.affiliations),
            "keywords": list(m.keywords),
        },
        "text": a.text,
        "sections": [
            {
                "name": s.name,
                "start": s.start,
                "end": s.end,
                "paragraphs": [
                    {"index": p.index, "start": p.start, "end": p.end, "citations": list(p.citations)}
                    for p in s.paragraphs
                ],
            }
            for s in a.sections
        ],
        "sentences": [
            {
                "start": s.start,
                "end": s.end,
                "section": s.section,
                "paragraph": s.paragraph,
                "citations": list(s.citations),
            }
            for s in a.sentences
        ],
        "mentions": [
            {
                "start": x.start,
                "end": x.end,
                "text": x.text,
                "type": str(x.type),
                "id": x.id,
                "name": x.name,
                "sentence": x.sentence,
                "source": x.source,
            }
            for x in result.mentions
        ],
        "paragraph_groups": [[[sec, idx] for sec, idx in g] for g in result.paragraph_groups],
        "references": [_reference_to_dict(r) for r in a.references],
        "annotations": [
            {"start": x.start, "end": x.end, "text": x.text, "type": x.type, "id": x.id}
            for x in a.annotations
        ],
    }


def document_from_dict(d: dict) -> DocumentResult:
    """Inverse of :func:`document_to_dict` (relations and claims live in
    ``triples.jsonl`` / ``claims.jsonl``, not here)."""
    md = d.get("metadata", {})
    article = Article(
        doc_id=d["doc_id"],
        source=d.get("source", ""),
        format=d.get("format", ""),
        title=d.get("title", ""),
        text=d.get("text", ""),
        metadata=Metadata(
            authors=tuple(md.get("authors", ())),
            journal=md.get("journal"),
            year=md.get("year"),
            doi=md.get("doi"),
            pmid=md.get("pmid"),
            affiliations=tuple(md.get("affiliations", ())),
            keywords=tuple(md.get("keywords", ())),
        ),
        sections=tuple(
            Section(
                name=s["name"],
                start=s["start"],
                end=s["end"],
                paragraphs=tuple(
                    Paragraph(p["index"], p["start"], p["end"], tuple(p.get("citations", ())))
                    for p in s.get("paragraphs", ())
                ),
            )
            for s in d.get("sections", ())
        ),
        sentences=tuple(
            Sentence(s["start"], s["end"], s["section"], s["paragraph"], tuple(s.get("citations", ())))
            for s in d.get("sentences", ())
        ),
        references=tuple(
            Reference(
                n=r["n"],
                text=r.get("text", ""),
                authors=tuple(r.get("authors", ())),
                title=r.get("title", ""),
                journal=r.get("journal", ""),
                year=r.get("year", ""),
                volume=r.get("volume", ""),
                pages=r.get("pages", ""),
                doi=r.get("doi", ""),
            )
            for r in d.get("references", ())
        ),
        annotations=tuple(
            Annotation(a["start"], a["end"], a["text"], a["type"], a.get("id"))
            for a in d.get("annotations", ())
        ),
    )
    mentions = tuple(
        Mention(
            start=x["start"],
            end=x["end"],
            text=x["text"],
            type=EntityType(x["type"]),
            id=x.get("id"),
            name=x.get("name"),
            sentence=x.get("sentence", -1),
            source=x.get("source", ""),
        )
        for x in d.get("mentions", ())
    )
    groups = tuple(tuple((sec, int(idx)) for sec, idx in g) for g in d.get("paragraph_groups", ()))
    return DocumentResult(article=article, mentions=mentions, paragraph_groups=groups)
