"""What the graph keeps of one document: its per-document graph record.

Input: a :class:`~extractor.model.DocumentResult`. Output: a JSON-ready dict
(concept rows with mention counts, title, PMID, DOI, cited references) that
the batch runner stores in its journal and :class:`extractor.graph.GraphBuilder`
merges at the end of a run. Kept apart from :mod:`extractor.graph` so that
processing a document does not import networkx.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from extractor.model import DocumentResult

__all__ = ["graph_record"]

#: Longest title / reference text kept per document (characters).
_MAX_LABEL = 300


def _clean(text: str | None, limit: int = _MAX_LABEL) -> str:
    """Collapse whitespace and cut ``text`` to ``limit`` characters."""
    s = " ".join((text or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "\u2026"


def graph_record(result: DocumentResult) -> dict[str, Any]:
    """What the graph keeps of one document, JSON-ready: per concept key,
    name, surface form, type and id the number of mentions; the title, PMID,
    DOI and the references that its relation and claim evidence cites.

    Examples
    --------
    >>> from extractor.model import Article, Mention, EntityType
    >>> m = Mention(0, 3, "CKD", EntityType.CONDITION, "MESH:D051436", "Renal Insufficiency, Chronic")
    >>> r = DocumentResult(Article("d", "d.txt", "text", "T", "CKD"), mentions=(m, m))
    >>> graph_record(r)["concepts"]
    [['MESH:D051436', 'Renal Insufficiency, Chronic', 'CKD', 'Condition', 'MESH:D051436', 2]]
    """
    article = result.article
    rows: Counter = Counter()
    for m in result.mentions:
        entity = m.entity()
        rows[(entity.key(), _clean(entity.name), _clean(m.text), str(m.type), m.id or "")] += 1
    cited: set[str] = set()
    for item in (*result.relations, *result.claims):
        for ev in item.evidence:
            cited.update(str(c) for c in ev.citations)
    md = article.metadata
    return {
        "concepts": [[*row, n] for row, n in sorted(rows.items())],
        "title": _clean(article.title),
        "pmid": md.pmid or None,
        "doi": md.doi or None,
        "references": {
            str(r.n): _clean(r.text or ", ".join(x for x in (r.title, r.journal, r.year) if x))
            for r in article.references
            if str(r.n) in cited
        },
    }
