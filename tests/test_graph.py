"""Knowledge-graph building, merging, node-link round trip, focus subgraphs."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "graph"))
from graph_fixtures import build_graph, load_corpus  # noqa: E402

from extractor.errors import ConfigError, ExtractorError, InputFormatError  # noqa: E402
from extractor.graph import (  # noqa: E402
    GraphBuilder,
    focus_subgraph,
    graph_to_node_link,
    merge_graphs,
    node_link_to_graph,
    read_graph_json,
    write_graph_json,
)
from extractor.pipeline import CorpusResult  # noqa: E402

DRUG = "MESH:D007649"
CRPS = "MESH:D020918"
NMDA = "MESH:D016194"
POSTOP = "MESH:D010149"


@pytest.fixture()
def graph() -> nx.MultiDiGraph:
    return build_graph()


def _evidence_sentences(g: nx.MultiDiGraph) -> dict[tuple, list[str]]:
    return {(u, v, k): [e["sentence"] for e in a["evidence"]] for u, v, k, a in g.edges(keys=True, data=True)}


def _build(docs, corpus) -> nx.MultiDiGraph:
    b = GraphBuilder()
    for d in docs:
        b.add_document(d)
    return b.build(corpus)


def _split_by_document(docs, corpus):
    """Two half-runs: each document with only its own evidence."""
    parts = []
    for d in docs:
        doc_id = d.article.doc_id
        rels = []
        for r in corpus.relations:
            ev = tuple(e for e in r.evidence if e.doc_id == doc_id)
            if ev:
                rels.append(replace(r, evidence=ev))
        claims = tuple(c for c in corpus.claims if any(e.doc_id == doc_id for e in c.evidence))
        parts.append(_build([d], CorpusResult(relations=tuple(rels), claims=claims)))
    return parts


def test_nodes_keyed_by_curie_or_name_with_stats(graph):
    assert DRUG in graph and CRPS in graph and NMDA in graph
    assert "name:opioid consumption" in graph  # unlinked concept: normalised name key
    drug = graph.nodes[DRUG]
    assert drug["type"] == "Drug" and drug["curie"] == DRUG
    assert drug["document_count"] == 2 and drug["mention_count"] == 4
    crps = graph.nodes[CRPS]
    assert crps["name"] == "Complex Regional Pain Syndromes"
    assert crps["synonyms"] == sorted(crps["synonyms"], key=lambda s: (s.casefold(), s))
    assert "CRPS" in crps["synonyms"] and "complex regional pain syndrome" in crps["synonyms"]
    assert graph.nodes[NMDA]["type"] == "Mechanism"
    assert graph.nodes["name:psychotomimetic effects"]["type"] == "AdverseEffect"


def test_edges_carry_relation_attributes_and_evidence(graph):
    e = graph.edges[DRUG, CRPS, "treats"]
    assert e["relation_class"] == "treats" and e["biolink_predicate"] == "biolink:treats"
    assert e["evidence_count"] == 2 == len(e["evidence"])
    assert e["evidence"][0]["citations"] == ["1"] and e["evidence"][0]["section"] == "Introduction"
    out = graph.edges[DRUG, "name:opioid consumption", "reduces"]
    assert out["direction"] == "decrease" and out["evidence_count"] == 3
    assert graph.edges[DRUG, "MESH:D009437", "treats"]["hedged"] is True
    neg = graph.edges["MESH:D008278", POSTOP, "not:reduces"]
    assert neg["negated"] is True and neg["predicate"] == "reduces"
    docs = graph.graph["documents"]
    assert docs["31415926"]["pmid"] == "31415926"
    assert docs["ketamine_like_seed"]["references"]["4"].startswith("Reference 4")


def test_negated_and_asserted_relation_are_two_edges(graph):
    docs, corpus = load_corpus()
    neg = next(r for r in corpus.relations if r.negated)
    pos = replace(neg, negated=False)
    g = _build(docs, CorpusResult(relations=(*corpus.relations, pos), claims=corpus.claims))
    keys = sorted(k for u, v, k in g.edges(keys=True) if (u, v) == (neg.subject.key(), neg.object.key()))
    assert keys == ["not:reduces", "reduces"]


def test_build_is_deterministic_whatever_the_input_order():
    docs, corpus = load_corpus()
    a = _build(docs, corpus)
    b = _build(
        list(reversed(docs)),
        CorpusResult(relations=tuple(reversed(corpus.relations)), claims=tuple(reversed(corpus.claims))),
    )
    assert json.dumps(graph_to_node_link(a)) == json.dumps(graph_to_node_link(b))
    assert list(a.nodes) == sorted(a.nodes)


def test_builder_without_documents_still_counts_from_evidence():
    _, corpus = load_corpus()
    g = GraphBuilder().build(corpus)
    assert g.nodes[DRUG]["document_count"] == 2
    assert g.nodes[DRUG]["mention_count"] == 0
    assert g.nodes[DRUG]["name"] == "ketamine"


def test_node_link_round_trip(graph, tmp_path):
    data = graph_to_node_link(graph)
    back = node_link_to_graph(json.loads(json.dumps(data)))
    assert graph_to_node_link(back) == data
    assert sorted(back.edges(keys=True)) == sorted(graph.edges(keys=True))
    assert back.graph["documents"] == graph.graph["documents"]
    p = tmp_path / "graph.json"
    write_graph_json(graph, p)
    first = p.read_bytes()
    write_graph_json(read_graph_json(p), p)
    assert p.read_bytes() == first
    assert [x.name for x in tmp_path.iterdir()] == ["graph.json"]  # no temp file left behind


def test_read_graph_json_errors_name_the_file(tmp_path):
    with pytest.raises(InputFormatError, match="no graph.json.*extractor run"):
        read_graph_json(tmp_path / "graph.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"nodes": 3}', encoding="utf-8")
    with pytest.raises(InputFormatError, match="bad.json"):
        read_graph_json(bad)
    dangling = {"nodes": [{"id": "a"}], "edges": [{"source": "a", "target": "zz", "key": "k"}]}
    with pytest.raises(InputFormatError, match="'zz'"):
        node_link_to_graph(dangling)


def test_merge_two_runs_equals_one_run():
    docs, corpus = load_corpus()
    whole = _build(docs, corpus)
    part_a, part_b = _split_by_document(docs, corpus)
    assert part_a.number_of_edges() < whole.number_of_edges()
    merged = merge_graphs([part_a, part_b])
    assert sorted(merged.nodes) == sorted(whole.nodes)
    assert _evidence_sentences(merged) == _evidence_sentences(whole)
    for n in whole.nodes:
        for attr in ("name", "type", "synonyms", "document_count", "mention_count"):
            assert merged.nodes[n][attr] == whole.nodes[n][attr], (n, attr)
    edge = merged.edges[DRUG, "name:opioid consumption", "reduces"]
    assert edge["evidence_count"] == 3  # evidence from both runs
    assert sorted(merged.graph["documents"]) == ["31415926", "ketamine_like_seed"]
    assert graph_to_node_link(merge_graphs([part_b, part_a])) == graph_to_node_link(merged)


def test_merge_of_a_rerun_counts_nothing_twice(graph):
    merged = merge_graphs([graph, graph])
    assert graph_to_node_link(merged) == graph_to_node_link(graph)


def test_merge_unites_synonyms_and_keeps_hedging_only_when_all_hedged():
    a, b = nx.MultiDiGraph(), nx.MultiDiGraph()
    for g, syn, hedged, sent in ((a, ["Alpha-1"], True, "s1"), (b, ["alpha 2"], False, "s2")):
        g.add_node("x", name="Alpha", type="Drug", synonyms=syn, documents=[sent], document_count=1, mention_count=1)
        g.add_node("y", name="Beta", type="Condition", synonyms=[], documents=[sent], document_count=1, mention_count=1)
        g.add_edge(
            "x",
            "y",
            key="treats",
            hedged=hedged,
            confidence=0.5 if hedged else 0.9,
            evidence=[{"doc_id": sent, "start": 0, "end": 2, "sentence": sent, "citations": []}],
        )
    m = merge_graphs([a, b])
    assert m.nodes["x"]["synonyms"] == ["alpha 2", "Alpha-1"]  # sorted casefolded
    assert m.nodes["x"]["document_count"] == 2 and m.nodes["x"]["mention_count"] == 2
    e = m.edges["x", "y", "treats"]
    assert e["hedged"] is False and e["confidence"] == 0.9 and e["evidence_count"] == 2


def test_focus_subgraph_by_synonym_case_insensitive(graph):
    one = focus_subgraph(graph, "crps", 0)
    assert list(one.nodes) == [CRPS] and one.graph["focus"] == CRPS
    near = focus_subgraph(graph, "  Complex   REGIONAL pain syndromes ", 1)
    assert set(near.nodes) == {CRPS, DRUG}
    assert sorted(near.edges(keys=True)) == [(DRUG, CRPS, "treats")]
    two = focus_subgraph(graph, "crps", 2)
    assert POSTOP in two and NMDA in two and "MESH:D008278" not in two  # magnesium is 3 hops away
    assert set(two.graph["documents"]) <= set(graph.graph["documents"])
    by_id = focus_subgraph(graph, "mesh:d016194", 1)
    assert set(by_id.nodes) == {NMDA, DRUG, "name:central sensitization"}


def test_focus_unknown_concept_lists_close_matches(graph):
    with pytest.raises(ExtractorError) as info:
        focus_subgraph(graph, "Neuralgai", 1)
    assert "Neuralgia" in str(info.value) and "close matches" in str(info.value)
    with pytest.raises(ExtractorError, match="no close match"):
        focus_subgraph(graph, "zzzzqqq", 1)
    with pytest.raises(ConfigError, match="depth"):
        focus_subgraph(graph, "crps", -1)
