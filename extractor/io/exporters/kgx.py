"""KGX exporter: the knowledge graph as KGX JSON Lines.

Input
    A ``networkx.MultiDiGraph`` from :mod:`extractor.graph`.
Output
    ``kgx/nodes.jsonl`` and ``kgx/edges.jsonl``: one Biolink-compliant JSON
    object per line (https://biolink.github.io/kgx/ , "JSON Lines"), sorted
    by id, so the same graph always gives the same bytes.

Nodes: ``id`` (the concept's CURIE, else a stable ``extractor:<hash>`` of
its name key), ``name``, ``category`` (Biolink classes by entity type),
``synonym``, ``provided_by``. Edges: ``id`` (a content hash),
``subject``, ``predicate`` (Biolink), ``object``, ``original_predicate``
(the extractor's verb-level label), ``knowledge_level: not_provided`` and
``agent_type: text_mining_agent`` (as the Biolink registry records for
text-mined assertions), ``primary_knowledge_source: infores:extractor``,
``publications`` (``PMID:...`` / ``doi:...``), ``supporting_text`` (the
evidence sentences), ``negated``, and for outcome relations with a
direction the qualifiers ``qualified_predicate: biolink:causes`` and
``object_direction_qualifier: increased | decreased``.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import networkx as nx

from extractor.errors import InputFormatError
from extractor.io import jsonio
from extractor.model import content_hash

__all__ = [
    "BIOLINK_CATEGORIES",
    "INFORES",
    "kgx_node_id",
    "kgx_records",
    "write_kgx",
    "read_kgx",
]

log = logging.getLogger(__name__)

#: The infores id of this tool (primary knowledge source of every edge).
INFORES = "infores:extractor"

#: Entity type to Biolink categories (most specific first).
BIOLINK_CATEGORIES: dict[str, list[str]] = {
    "Drug": ["biolink:Drug", "biolink:ChemicalEntity"],
    "Mechanism": ["biolink:MolecularActivity", "biolink:BiologicalProcessOrActivity"],
    "Target": ["biolink:Protein"],
    "Condition": ["biolink:Disease", "biolink:DiseaseOrPhenotypicFeature"],
    "AdverseEffect": ["biolink:DiseaseOrPhenotypicFeature"],
    "Outcome": ["biolink:ClinicalFinding", "biolink:PhenotypicFeature"],
    "Population": ["biolink:PopulationOfIndividualOrganisms"],
}
_DEFAULT_CATEGORY = ["biolink:NamedThing"]
_CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*:[^\s\"'<>]+$")
_DIRECTION = {"increase": "increased", "decrease": "decreased"}


def kgx_node_id(key: str, curie: str | None = None) -> str:
    """The KGX id of a node: its CURIE when it has a well-formed one, else a
    stable ``extractor:<hash>`` of its key.

    Examples
    --------
    >>> kgx_node_id("MESH:D007649")
    'MESH:D007649'
    >>> kgx_node_id("name:opioid consumption").startswith("extractor:")
    True
    """
    for cand in (curie, key):
        if cand and not str(cand).startswith("name:") and _CURIE.match(str(cand)):
            return str(cand)
    return "extractor:" + content_hash(str(key))


def _publications(doc_ids: list[str], documents: dict[str, Any]) -> list[str]:
    pubs: set[str] = set()
    for d in doc_ids:
        info = documents.get(d) or {}
        pmid = str(info.get("pmid") or "").strip()
        doi = str(info.get("doi") or "").strip()
        if not pmid and d.isdigit():
            pmid = d  # PubTator input: the doc_id is the PMID
        if pmid.isdigit():
            pubs.add("PMID:" + pmid)
        if doi and re.match(r"^10\.\d{4,9}/\S+$", doi):
            pubs.add("doi:" + doi)
    return sorted(pubs)


def kgx_records(g: nx.MultiDiGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The KGX node and edge records of ``g``, each list sorted by id.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("MESH:D1", name="a", type="Drug"); g.add_node("name:b", name="b", type="Outcome")
    >>> _ = g.add_edge("MESH:D1", "name:b", key="reduces", predicate="reduces", relation_class="outcome",
    ...                biolink_predicate="biolink:affects", direction="decrease", evidence=[])
    >>> nodes, edges = kgx_records(g)
    >>> nodes[0]["category"], edges[0]["object_direction_qualifier"]
    (['biolink:Drug', 'biolink:ChemicalEntity'], 'decreased')
    """
    documents = g.graph.get("documents", {}) or {}
    ids = {n: kgx_node_id(str(n), g.nodes[n].get("curie")) for n in g.nodes}
    nodes: dict[str, dict[str, Any]] = {}
    for n, a in g.nodes(data=True):
        rec = {
            "id": ids[n],
            "name": str(a.get("name") or n),
            "category": list(BIOLINK_CATEGORIES.get(str(a.get("type")), _DEFAULT_CATEGORY)),
            "synonym": sorted({str(s) for s in a.get("synonyms", ())}),
            "provided_by": [INFORES],
            "document_count": int(a.get("document_count", 0) or 0),
            "mention_count": int(a.get("mention_count", 0) or 0),
        }
        if ids[n] in nodes:  # two keys with the same CURIE: keep the better-supported one
            if (nodes[ids[n]]["document_count"], nodes[ids[n]]["name"]) >= (rec["document_count"], rec["name"]):
                continue
        nodes[ids[n]] = rec
    edges: dict[str, dict[str, Any]] = {}
    for u, v, k, a in g.edges(keys=True, data=True):
        evidence = list(a.get("evidence", ()))
        sentences = list(dict.fromkeys(str(e.get("sentence", "")) for e in evidence if e.get("sentence")))
        docs = sorted({str(e.get("doc_id", "")) for e in evidence if e.get("doc_id")})
        eid = "extractor:" + content_hash(ids[u], str(k), ids[v])
        rec: dict[str, Any] = {
            "id": eid,
            "subject": ids[u],
            "predicate": str(a.get("biolink_predicate") or "biolink:related_to"),
            "object": ids[v],
            "original_predicate": str(a.get("predicate") or k),
            "relation_class": str(a.get("relation_class") or "association"),
            "knowledge_level": "not_provided",
            "agent_type": "text_mining_agent",
            "primary_knowledge_source": INFORES,
            "publications": _publications(docs, documents),
            "supporting_text": sentences,
            "negated": bool(a.get("negated", False)),
            "hedged": bool(a.get("hedged", False)),
            "confidence": round(float(a.get("confidence", 0) or 0), 4),
            "evidence_count": int(a.get("evidence_count", len(evidence)) or 0),
        }
        direction = _DIRECTION.get(str(a.get("direction") or ""))
        if direction:
            rec["qualified_predicate"] = "biolink:causes"
            rec["object_direction_qualifier"] = direction
        edges[eid] = rec
    return [nodes[i] for i in sorted(nodes)], [edges[i] for i in sorted(edges)]


def _jsonl(records: list[dict[str, Any]]) -> str:
    """JSON Lines; U+2028/U+2029 escaped so that no line-splitting reader
    breaks a record in two."""
    return "".join(jsonio.dumps(r, sort_keys=True) + "\n" for r in records)


def write_kgx(g: nx.MultiDiGraph, folder: Path) -> None:
    """Write ``folder/nodes.jsonl`` and ``folder/edges.jsonl``.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A graph from :class:`extractor.graph.GraphBuilder`.
    folder : Path
        Created when missing (``OUT/kgx``). Files are written atomically.

    Raises
    ------
    ExportError
        When a file cannot be written.
    """
    from extractor.writer import atomic_write_text

    nodes, edges = kgx_records(g)
    folder = Path(folder)
    atomic_write_text(folder / "nodes.jsonl", _jsonl(nodes))
    atomic_write_text(folder / "edges.jsonl", _jsonl(edges))
    log.info("wrote KGX: %d nodes, %d edges to %s", len(nodes), len(edges), folder)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputFormatError(
            "missing KGX file", path=path, stage="kgx", fix="run `extractor run` to write OUT/kgx/"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFormatError(f"cannot read: {exc}", path=path, stage="kgx", fix="rerun `extractor run`") from exc
    rows = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputFormatError(
                f"line {n} is not JSON: {exc.msg}", path=path, stage="kgx", fix="rerun `extractor run`"
            ) from exc
        if not isinstance(row, dict) or "id" not in row:
            raise InputFormatError(
                f"line {n} is not a KGX record with an 'id'", path=path, stage="kgx", fix="rerun `extractor run`"
            )
        rows.append(row)
    return rows


def read_kgx(folder: Path) -> nx.MultiDiGraph:
    """Load ``nodes.jsonl`` / ``edges.jsonl`` from ``folder``.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by KGX id with the record's other fields as attributes;
        edges keyed by edge id with the record's fields (minus ``subject``
        and ``object``).

    Raises
    ------
    InputFormatError
        When a file is missing, a line is not JSON, or an edge names an
        unknown node.
    """
    folder = Path(folder)
    g = nx.MultiDiGraph()
    for rec in _read_jsonl(folder / "nodes.jsonl"):
        g.add_node(rec["id"], **{k: v for k, v in rec.items() if k != "id"})
    for rec in _read_jsonl(folder / "edges.jsonl"):
        s, o = rec.get("subject"), rec.get("object")
        if s not in g or o not in g:
            raise InputFormatError(
                f"edge {rec['id']} names a node missing from nodes.jsonl ({s!r} or {o!r})",
                path=folder / "edges.jsonl",
                stage="kgx",
                fix="write both files from the same graph",
            )
        g.add_edge(s, o, key=rec["id"], **{k: v for k, v in rec.items() if k not in ("subject", "object")})
    return g
