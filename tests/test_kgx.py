"""KGX JSON Lines and GraphML exports of the knowledge graph."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "graph"))
from graph_fixtures import build_graph  # noqa: E402

from extractor.errors import InputFormatError  # noqa: E402
from extractor.graph import graph_to_node_link  # noqa: E402
from extractor.io.exporters.graphml import read_graphml, write_graphml  # noqa: E402
from extractor.io.exporters.kgx import kgx_node_id, read_kgx, write_kgx  # noqa: E402
from extractor.schemas import validate_record  # noqa: E402


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


@pytest.fixture()
def kgx_dir(tmp_path) -> Path:
    write_kgx(build_graph(), tmp_path / "kgx")
    return tmp_path / "kgx"


def test_kgx_lines_validate_against_the_schemas(kgx_dir):
    nodes, edges = _lines(kgx_dir / "nodes.jsonl"), _lines(kgx_dir / "edges.jsonl")
    assert len(nodes) == 11 and len(edges) == 11
    for rec in nodes:
        assert validate_record("kgx_node", rec) == [], rec
    for rec in edges:
        assert validate_record("kgx_edge", rec) == [], rec
    assert [n["id"] for n in nodes] == sorted(n["id"] for n in nodes)


def test_kgx_categories_ids_and_provenance(kgx_dir):
    nodes = {n["name"]: n for n in _lines(kgx_dir / "nodes.jsonl")}
    assert nodes["ketamine"]["id"] == "MESH:D007649"
    assert nodes["ketamine"]["category"] == ["biolink:Drug", "biolink:ChemicalEntity"]
    assert nodes["Complex Regional Pain Syndromes"]["category"][0] == "biolink:Disease"
    assert "CRPS" in nodes["Complex Regional Pain Syndromes"]["synonym"]
    assert nodes["Receptors, N-Methyl-D-Aspartate"]["category"][0] == "biolink:MolecularActivity"
    assert nodes["psychotomimetic effects"]["category"] == ["biolink:DiseaseOrPhenotypicFeature"]
    outcome = nodes["opioid consumption"]
    assert outcome["id"] == kgx_node_id("name:opioid consumption") and outcome["id"].startswith("extractor:")
    assert outcome["category"][0] == "biolink:ClinicalFinding"

    edges = _lines(kgx_dir / "edges.jsonl")
    for e in edges:
        assert e["knowledge_level"] == "not_provided" and e["agent_type"] == "text_mining_agent"
        assert e["primary_knowledge_source"] == "infores:extractor"
        assert e["supporting_text"], e
    reduces = next(e for e in edges if e["subject"] == "MESH:D007649" and e["object"] == outcome["id"])
    assert reduces["predicate"] == "biolink:affects" and reduces["original_predicate"] == "reduces"
    assert reduces["object_direction_qualifier"] == "decreased" and reduces["qualified_predicate"] == "biolink:causes"
    assert reduces["publications"] == ["PMID:31415926", "doi:10.1234/example.5678"]
    assert len(reduces["supporting_text"]) == 3
    negated = [e for e in edges if e["negated"]]
    assert len(negated) == 1 and negated[0]["subject"] == "MESH:D008278"
    treats = [e for e in edges if e["predicate"] == "biolink:treats"]
    assert len(treats) == 4 and all("object_direction_qualifier" not in e for e in treats)


def test_kgx_loads_back(kgx_dir):
    g = read_kgx(kgx_dir)
    src = build_graph()
    assert g.number_of_nodes() == src.number_of_nodes() and g.number_of_edges() == src.number_of_edges()
    assert g.nodes["MESH:D007649"]["name"] == "ketamine"
    sentences = sorted(s for *_, a in g.edges(keys=True, data=True) for s in a["supporting_text"])
    expected = sorted(
        s for *_, a in src.edges(keys=True, data=True) for s in dict.fromkeys(e["sentence"] for e in a["evidence"])
    )
    assert sentences == expected


def test_kgx_is_deterministic_and_survives_line_separators(tmp_path):
    g = build_graph("injection_corpus.json")
    write_kgx(g, tmp_path / "a")
    write_kgx(build_graph("injection_corpus.json"), tmp_path / "b")
    for name in ("nodes.jsonl", "edges.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    text = (tmp_path / "a" / "edges.jsonl").read_text(encoding="utf-8")
    assert "\u2028" not in text and len(text.splitlines()) == g.number_of_edges()
    nodes = _lines(tmp_path / "a" / "nodes.jsonl")
    assert all(n["id"].startswith("extractor:") for n in nodes)  # markup in a "CURIE" is not a CURIE
    assert all(validate_record("kgx_node", n) == [] for n in nodes)
    assert read_kgx(tmp_path / "a").number_of_edges() == 2


def test_read_kgx_reports_missing_and_broken_files(tmp_path, kgx_dir):
    with pytest.raises(InputFormatError, match="nodes.jsonl.*missing KGX file"):
        read_kgx(tmp_path / "nowhere")
    (kgx_dir / "edges.jsonl").write_text('{"id": "x", "subject": "MESH:D007649"\n', encoding="utf-8")
    with pytest.raises(InputFormatError, match="line 1 is not JSON"):
        read_kgx(kgx_dir)


def test_graphml_round_trip(tmp_path):
    for fixture in ("seed_like_corpus.json", "injection_corpus.json"):
        g = build_graph(fixture)
        path = tmp_path / "graph.graphml"
        write_graphml(g, path)
        back = read_graphml(path)
        assert graph_to_node_link(back) == graph_to_node_link(g)
        plain = nx.read_graphml(path)  # any GraphML reader gets scalars
        assert plain.number_of_nodes() == g.number_of_nodes()
        assert plain.number_of_edges() == g.number_of_edges()
        for _, attrs in plain.nodes(data=True):
            assert all(isinstance(v, (str, int, float, bool)) for v in attrs.values())


def test_graphml_drops_xml_forbidden_characters(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("a", name="bad\x00\x0bname", type="Drug", curie=None, synonyms=["x\x1f"])
    g.add_node("b", name="ok", type="Condition", curie="MESH:D1", synonyms=[])
    g.add_edge("a", "b", key="treats", confidence=1, evidence=[{"sentence": "s\x07", "doc_id": "d"}])
    write_graphml(g, tmp_path / "g.graphml")
    back = read_graphml(tmp_path / "g.graphml")
    assert back.nodes["a"]["name"] == "badname" and back.nodes["a"]["synonyms"] == ["x"]
    assert back.nodes["a"]["curie"] is None and back.nodes["b"]["curie"] == "MESH:D1"
    assert back.edges["a", "b", "treats"]["evidence"] == [{"sentence": "s", "doc_id": "d"}]
    write_graphml(g, tmp_path / "g2.graphml")
    assert (tmp_path / "g.graphml").read_bytes() == (tmp_path / "g2.graphml").read_bytes()
