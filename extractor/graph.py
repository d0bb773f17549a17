"""Knowledge-graph stage: extracted relations to a ``networkx.MultiDiGraph``.

Input
    One :class:`~extractor.model.DocumentResult` per article, streamed into
    :meth:`GraphBuilder.add_document` (only per-concept statistics are kept:
    names, surface forms, types, document ids and counts, never the text),
    then the run's merged :class:`~extractor.pipeline.CorpusResult` given to
    :meth:`GraphBuilder.build`.
Output
    A ``networkx.MultiDiGraph`` with one node per concept and one edge per
    relation, which the exporters (``graph.html``, KGX, GraphML) and the
    ``extractor graph`` command read. ``graph.json`` is its node-link form.

Nodes are keyed by the concept's MeSH CURIE, else ``"name:<normalised
name>"`` (:meth:`extractor.model.Entity.key`). Node attributes: ``type``,
``name``, ``curie`` (CURIE or None), ``synonyms`` (sorted surface forms),
``documents`` (sorted doc ids), ``document_count``, ``mention_count``.

Edges are keyed by the relation's predicate (``"not:<predicate>"`` for a
negated relation, so that a finding and its negation between the same two
concepts stay two edges). Edge attributes: ``predicate``,
``relation_class``, ``biolink_predicate``, ``direction``,
``evidence_count``, ``hedged``, ``negated``, ``confidence`` and
``evidence`` (a list of dicts: ``doc_id``, ``section``, ``paragraph``,
``sentence``, ``start``, ``end``, ``citations``).

``graph.graph["documents"]`` maps doc ids to ``title``, ``pmid``, ``doi``
and the ``references`` cited by evidence sentences (``{n: text}``).

Every function returns graphs whose nodes and edges were inserted in sorted
order, so that every export is deterministic.
"""

from __future__ import annotations

import difflib
import logging
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import networkx as nx

from extractor.errors import ConfigError, ExtractorError
from extractor.graph_record import _clean, graph_record  # re-exported (older import path)
from extractor.io.jsonio import evidence_to_dict
from extractor.model import (
    SCHEMA_VERSION,
    Claim,
    DocumentResult,
    Entity,
    EntityType,
    Evidence,
    Relation,
    normalize_name,
)
from extractor.io.exporters.graph_json import (
    graph_to_node_link,
    node_link_to_graph,
    read_graph_json,
    write_graph_json,
)

__all__ = [
    "GraphBuilder",
    "edge_key",
    "merge_graphs",
    "graph_to_node_link",
    "node_link_to_graph",
    "write_graph_json",
    "read_graph_json",
    "focus_subgraph",
    "resolve_concept",
]

log = logging.getLogger(__name__)

#: Most synonyms kept per concept (the most frequent surface forms).
_MAX_SYNONYMS = 100
_TYPE_ORDER = {str(t): i for i, t in enumerate(EntityType)}


def edge_key(relation: Relation) -> str:
    """The edge key of ``relation``: its predicate, prefixed ``not:`` when negated.

    Examples
    --------
    >>> from extractor.model import Entity, EntityType, RelationClass
    >>> a = Entity("a", None, EntityType.DRUG); b = Entity("b", None, EntityType.CONDITION)
    >>> edge_key(Relation(a, "treats", RelationClass.TREATS, b, negated=True))
    'not:treats'
    """
    return ("not:" if relation.negated else "") + relation.predicate


def _evidence_dict(e: Evidence) -> dict[str, Any]:
    """The JSON record of ``e`` without the fields an edge does not show."""
    d = evidence_to_dict(e)
    del d["sentence_index"], d["reader"]
    return d


def _evidence_sort_key(d: dict[str, Any]) -> tuple:
    return (str(d.get("doc_id", "")), int(d.get("start", 0)), int(d.get("end", 0)), str(d.get("sentence", "")))


def _union_evidence(*lists: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Union of evidence dicts (same document, span and sentence = same), sorted."""
    seen: dict[tuple, dict[str, Any]] = {}
    for items in lists:
        for d in items:
            k = _evidence_sort_key(d)
            if k not in seen:
                seen[k] = dict(d, citations=sorted({str(c) for c in d.get("citations", ())}, key=_num_key))
            else:
                cites = set(seen[k]["citations"]) | {str(c) for c in d.get("citations", ())}
                seen[k]["citations"] = sorted(cites, key=_num_key)
    return [seen[k] for k in sorted(seen)]


def _num_key(s: str) -> tuple:
    """Sort citation labels numerically when they are numbers."""
    return (0, int(s), s) if s.isdigit() else (1, 0, s)


def _best(counter: Counter) -> str:
    """Most frequent item, ties broken by the smallest string."""
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _best_type(counter: Counter) -> str:
    return min(counter.items(), key=lambda kv: (-kv[1], _TYPE_ORDER.get(kv[0], 99), kv[0]))[0]


def _synonyms(forms: Counter, name: str) -> list[str]:
    """Distinct surface forms (one spelling per casefolded form), sorted."""
    groups: dict[str, Counter] = {}
    for form, n in forms.items():
        groups.setdefault(normalize_name(form), Counter())[form] += n
    groups.pop(normalize_name(name), None)
    ranked = sorted(groups.values(), key=lambda c: (-sum(c.values()), _best(c)))[:_MAX_SYNONYMS]
    return sorted((_best(c) for c in ranked), key=lambda s: (s.casefold(), s))


@dataclass(slots=True)
class _ConceptStats:
    names: Counter = field(default_factory=Counter)
    forms: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    documents: set = field(default_factory=set)
    mentions: int = 0
    curie: str | None = None


class GraphBuilder:
    """Collects per-concept statistics over a run, then builds the graph.

    Feed every document with :meth:`add_document` (streaming: only names,
    types, counts and document ids are kept), then call :meth:`build` with
    the run's merged relations and claims.

    Examples
    --------
    >>> from extractor.model import Entity, EntityType, Evidence, Relation, RelationClass
    >>> from extractor.pipeline import CorpusResult
    >>> drug = Entity("aspirin", "MESH:D001241", EntityType.DRUG)
    >>> pain = Entity("pain", "MESH:D010146", EntityType.CONDITION)
    >>> ev = Evidence("doc1", "Results", 1, "Aspirin relieved pain.", 0, 22)
    >>> rel = Relation(drug, "treats", RelationClass.TREATS, pain, evidence=(ev,))
    >>> g = GraphBuilder().build(CorpusResult(relations=(rel,), claims=()))
    >>> sorted(g.nodes)
    ['MESH:D001241', 'MESH:D010146']
    >>> g.edges["MESH:D001241", "MESH:D010146", "treats"]["evidence_count"]
    1
    """

    def __init__(self) -> None:
        self._concepts: dict[str, _ConceptStats] = {}
        self._documents: dict[str, dict[str, Any]] = {}

    def _stats(self, key: str) -> _ConceptStats:
        st = self._concepts.get(key)
        if st is None:
            st = self._concepts[key] = _ConceptStats()
        return st

    def add_document(self, result: DocumentResult) -> None:
        """Record the concepts mentioned in one document.

        Parameters
        ----------
        result : DocumentResult
            One processed article. Its text is not kept; only each concept's
            preferred names, surface forms, types, mention count and the
            document id, plus the document's title, PMID, DOI and the
            references its relation evidence cites.
        """
        self.add_record(result.article.doc_id, graph_record(result))

    def add_record(self, doc_id: str, record: Mapping[str, Any]) -> None:
        """Record one document from its :func:`graph_record` (what
        :meth:`add_document` keeps of it; the runner stores it with the
        document's state, so merging does not re-read the documents)."""
        for key, name, form, typ, curie, n in record["concepts"]:
            st = self._stats(key)
            st.names[name] += n
            st.forms[form] += n
            st.types[typ] += n
            st.documents.add(doc_id)
            st.mentions += n
            if curie:
                st.curie = curie
        self._documents[doc_id] = {
            "title": record["title"],
            "pmid": record["pmid"],
            "doi": record["doi"],
            "references": dict(record["references"]),
        }

    def build(self, corpus: Any) -> nx.MultiDiGraph:
        """Build the graph of the run.

        Parameters
        ----------
        corpus : CorpusResult
            The run's merged relations and claims. Every concept of a
            relation or claim becomes a node; every relation an edge.

        Returns
        -------
        networkx.MultiDiGraph
            Nodes and edges inserted in sorted order.
        """
        relations: tuple[Relation, ...] = tuple(corpus.relations)
        claims: tuple[Claim, ...] = tuple(corpus.claims)
        seen_names: dict[str, Counter] = {}
        seen_types: dict[str, Counter] = {}
        evidence_docs: dict[str, set[str]] = {}
        curies: dict[str, str] = {}

        def note(entity: Entity, evidence: Iterable[Evidence]) -> str:
            key = entity.key()
            seen_names.setdefault(key, Counter())[_clean(entity.name)] += 1
            seen_types.setdefault(key, Counter())[str(entity.type)] += 1
            evidence_docs.setdefault(key, set()).update(e.doc_id for e in evidence)
            if entity.id:
                curies[key] = entity.id
            return key

        edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        for r in relations:
            u = note(r.subject, r.evidence)
            v = note(r.object, r.evidence)
            k = edge_key(r)
            attrs = {
                "predicate": r.predicate,
                "relation_class": str(r.relation_class),
                "biolink_predicate": r.biolink_predicate,
                "direction": str(r.direction) if r.direction else None,
                "hedged": bool(r.hedged),
                "negated": bool(r.negated),
                "confidence": round(float(r.confidence), 4),
                "evidence": _union_evidence(_evidence_dict(e) for e in r.evidence),
            }
            if (u, v, k) in edges:
                attrs = _merge_edge_attrs(edges[(u, v, k)], attrs)
            attrs["evidence_count"] = len(attrs["evidence"])
            edges[(u, v, k)] = attrs
        for c in claims:
            for slot in (c.drug, c.mechanism, c.condition, c.outcome, c.adverse):
                for entity in slot:
                    note(entity, c.evidence)

        g = nx.MultiDiGraph()
        used_docs: set[str] = set()
        for key in sorted(seen_names):
            st = self._concepts.get(key)
            names = Counter(seen_names[key])
            types = Counter(seen_types[key])
            forms = Counter(seen_names[key])
            docs = set(evidence_docs.get(key, ()))
            mentions = 0
            curie = curies.get(key)
            if st is not None:
                names = st.names + names
                types = st.types + types
                forms = st.forms + names
                docs |= st.documents
                mentions = st.mentions
                curie = curie or st.curie
            name = _best(names)
            used_docs |= docs
            g.add_node(
                key,
                type=_best_type(types),
                name=name,
                curie=curie,
                synonyms=_synonyms(forms, name),
                documents=sorted(docs),
                document_count=len(docs),
                mention_count=mentions,
            )
        for u, v, k in sorted(edges):
            attrs = edges[(u, v, k)]
            g.add_edge(u, v, key=k, **attrs)
            used_docs.update(e["doc_id"] for e in attrs["evidence"])
        g.graph["schema_version"] = SCHEMA_VERSION
        g.graph["documents"] = {
            d: self._documents.get(d, {"title": "", "pmid": None, "doi": None, "references": {}})
            for d in sorted(used_docs)
        }
        log.debug("graph: %d concepts, %d relations", g.number_of_nodes(), g.number_of_edges())
        return g


# --------------------------------------------------------------------- merging


def _merge_edge_attrs(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """One edge from two copies of the same (u, v, key) edge."""
    evidence = _union_evidence(a.get("evidence", ()), b.get("evidence", ()))
    directions = sorted(d for d in (a.get("direction"), b.get("direction")) if d)
    out = dict(a)
    out.update(
        evidence=evidence,
        evidence_count=len(evidence),
        confidence=round(max(float(a.get("confidence", 0)), float(b.get("confidence", 0))), 4),
        hedged=bool(a.get("hedged")) and bool(b.get("hedged")),
        direction=directions[0] if directions else None,
    )
    return out


def merge_graphs(graphs: Iterable[nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """Merge the graphs of several runs into one.

    Nodes are united by key: synonyms and document ids are united, the name
    and type come from the copy seen in most documents. Edges are merged by
    ``(u, v, key)`` with the union of their evidence (the same sentence of
    the same document counts once), the highest confidence, and ``hedged``
    only when every copy is hedged. Mention counts of copies that cover the
    same set of documents (a re-run) are not added twice.

    Parameters
    ----------
    graphs : iterable of networkx.MultiDiGraph
        Graphs built by :class:`GraphBuilder` (or read back from
        ``graph.json``).

    Returns
    -------
    networkx.MultiDiGraph
        The merged graph, in sorted order. The result does not depend on
        the order of ``graphs``.

    Examples
    --------
    >>> a = nx.MultiDiGraph(); a.add_node("x", name="x", type="Drug", synonyms=["X1"])
    >>> b = nx.MultiDiGraph(); b.add_node("x", name="x", type="Drug", synonyms=["X2"])
    >>> merge_graphs([a, b]).nodes["x"]["synonyms"]
    ['X1', 'X2']
    """
    nodes: dict[str, list[dict[str, Any]]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    documents: dict[str, dict[str, Any]] = {}
    for g in graphs:
        for n, attrs in g.nodes(data=True):
            nodes.setdefault(str(n), []).append(dict(attrs))
        for u, v, k, attrs in g.edges(keys=True, data=True):
            key = (str(u), str(v), str(k))
            attrs = dict(attrs, evidence=_union_evidence(attrs.get("evidence", ())))
            edges[key] = _merge_edge_attrs(edges[key], attrs) if key in edges else attrs
        for doc_id, info in g.graph.get("documents", {}).items():
            if doc_id in documents:
                refs = dict(documents[doc_id].get("references", {}))
                refs.update(info.get("references", {}))
                documents[doc_id] = dict(documents[doc_id], references=dict(sorted(refs.items())))
            else:
                documents[doc_id] = dict(info)

    out = nx.MultiDiGraph()
    for key in sorted(nodes):
        copies = sorted(
            nodes[key],
            key=lambda a: (-int(a.get("document_count", 0)), str(a.get("name", "")), str(a.get("type", ""))),
        )
        best = copies[0]
        name = str(best.get("name", key))
        docs = sorted({d for a in copies for d in a.get("documents", ())})
        by_docset: dict[frozenset, int] = {}
        for a in copies:
            ds = frozenset(a.get("documents", ()))
            by_docset[ds] = max(by_docset.get(ds, 0), int(a.get("mention_count", 0)))
        forms = Counter()
        for a in copies:
            forms.update({s: 1 for s in a.get("synonyms", ())})
            forms[str(a.get("name", ""))] += 1
        forms.pop("", None)
        merged = dict(best)
        merged.update(
            name=name,
            curie=next((a.get("curie") for a in copies if a.get("curie")), None),
            synonyms=_synonyms(forms, name),
            documents=docs,
            document_count=max([len(docs)] + [int(a.get("document_count", 0)) for a in copies]),
            mention_count=sum(by_docset.values()),
        )
        out.add_node(key, **merged)
    for u, v, k in sorted(edges):
        attrs = edges[(u, v, k)]
        attrs["evidence_count"] = len(attrs.get("evidence", ()))
        out.add_edge(u, v, key=k, **attrs)
    out.graph["schema_version"] = SCHEMA_VERSION
    out.graph["documents"] = {d: documents[d] for d in sorted(documents)}
    return out


# --------------------------------------------------------------------- focus


def resolve_concept(g: nx.MultiDiGraph, name_or_id: str) -> str:
    """The node key of the concept called ``name_or_id``.

    Matching is case-insensitive and whitespace-insensitive, in order: node
    key or CURIE, preferred name, synonym. Among several matches the concept
    seen in most documents wins.

    Raises
    ------
    ExtractorError
        When nothing matches; the message lists close matches.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_node("MESH:D1", name="Foo", synonyms=["foo-x"])
    >>> resolve_concept(g, "FOO-X")
    'MESH:D1'
    """
    q = normalize_name(name_or_id)

    def rank(n: Any) -> tuple:
        return (-int(g.nodes[n].get("document_count", 0)), -int(g.nodes[n].get("mention_count", 0)), str(n))

    for field_of in (
        lambda n, a: [str(n), str(a.get("curie") or "")],
        lambda n, a: [str(a.get("name", ""))],
        lambda n, a: list(a.get("synonyms", ())),
    ):
        hits = [n for n, a in g.nodes(data=True) if q in {normalize_name(s) for s in field_of(n, a)}]
        if hits:
            return min(hits, key=rank)
    labels: dict[str, str] = {}
    for n, a in g.nodes(data=True):
        for s in [str(a.get("name", "")), str(n), *a.get("synonyms", ())]:
            labels.setdefault(normalize_name(s), s)
    close = difflib.get_close_matches(q, sorted(labels), n=5, cutoff=0.6)
    close += [k for k in sorted(labels) if q and q in k and k not in close][: 5 - len(close)]
    hint = "close matches: " + ", ".join(repr(labels[c]) for c in close) if close else "no close match"
    raise ExtractorError(
        f"no concept named {name_or_id!r} in the graph; {hint}",
        stage="graph",
        fix="give a concept name, synonym or id (e.g. a MeSH CURIE) present in the run",
    )


def focus_subgraph(g: nx.MultiDiGraph, name_or_id: str, depth: int) -> nx.MultiDiGraph:
    """The concepts within ``depth`` relations of one concept.

    Edges are followed in both directions; every edge among the kept
    concepts is kept.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A graph from :meth:`GraphBuilder.build` or :func:`read_graph_json`.
    name_or_id : str
        Node key, CURIE, name or synonym (case-insensitive).
    depth : int
        Number of hops (0 = the concept alone).

    Returns
    -------
    networkx.MultiDiGraph
        A new graph in sorted order; ``graph["focus"]`` is the centre's key.

    Raises
    ------
    ConfigError
        When ``depth`` is negative.
    ExtractorError
        When the concept is unknown (the message lists close matches).
    """
    if not isinstance(depth, int) or depth < 0:
        raise ConfigError(f"depth must be a whole number >= 0, got {depth!r}", stage="graph", fix="pass --depth 1 or 2")
    centre = resolve_concept(g, name_or_id)
    dist = {centre: 0}
    queue = deque([centre])
    while queue:
        n = queue.popleft()
        if dist[n] >= depth:
            continue
        for m in sorted(set(g.successors(n)) | set(g.predecessors(n)), key=str):
            if m not in dist:
                dist[m] = dist[n] + 1
                queue.append(m)
    keep = set(dist)
    sub = nx.MultiDiGraph()
    for n in sorted(keep, key=str):
        sub.add_node(n, **g.nodes[n])
    docs: set[str] = set()
    for u, v, k, a in sorted(g.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        if u in keep and v in keep:
            sub.add_edge(u, v, key=k, **a)
            docs.update(e.get("doc_id", "") for e in a.get("evidence", ()))
    for n in keep:
        docs.update(g.nodes[n].get("documents", ()))
    sub.graph.update({k: v for k, v in g.graph.items() if k != "documents"})
    all_docs = g.graph.get("documents", {})
    sub.graph["documents"] = {d: all_docs[d] for d in sorted(docs) if d in all_docs}
    sub.graph["focus"] = centre
    return sub
