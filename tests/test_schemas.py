"""JSON Schemas of the output folder and `validate_output` (extractor verify)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "graph"))
from graph_fixtures import build_graph  # noqa: E402

from extractor.errors import ConfigError  # noqa: E402
from extractor.graph import graph_to_node_link, write_graph_json  # noqa: E402
from extractor.io.exporters.html_export import write_html  # noqa: E402
from extractor.io.exporters.kgx import write_kgx  # noqa: E402
from extractor.io.jsonio import claim_to_dict, document_to_dict, dumps, relation_to_dict  # noqa: E402
from extractor.model import (  # noqa: E402
    SCHEMA_VERSION,
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
from extractor.schemas import load_schema, schema_names, validate_output, validate_record  # noqa: E402

TEXT = "Results\nAspirin reduced headache in adults. Nausea was reported."


def _document() -> DocumentResult:
    drug = Mention(8, 15, "Aspirin", EntityType.DRUG, "MESH:D001241", "Aspirin", 0, "lexicon")
    cond = Mention(24, 32, "headache", EntityType.CONDITION, "MESH:D006261", "Headache", 0, "lexicon")
    ae = Mention(44, 50, "Nausea", EntityType.ADVERSE_EFFECT, "MESH:D009325", "Nausea", 1, "lexicon")
    article = Article(
        doc_id="doc_a",
        source="in/doc_a.txt",
        format="text",
        title="A trial",
        text=TEXT,
        metadata=Metadata(authors=("A. Author",), year="2024", doi="10.1/x"),
        sections=(Section("Results", 0, len(TEXT), (Paragraph(1, 8, len(TEXT), ("1",)),)),),
        sentences=(Sentence(8, 43, "Results", 1, ("1",)), Sentence(44, len(TEXT), "Results", 1)),
        references=(Reference("1", "Smith J. Aspirin. J Med. 2020."),),
    )
    return DocumentResult(
        article=article, mentions=(drug, cond, ae), paragraph_groups=((("Results", 1), ("Results", 1)),)
    )


def _relation() -> Relation:
    ev = Evidence("doc_a", "Results", 1, "Aspirin reduced headache in adults.", 8, 43, ("1",), 0, "text")
    return Relation(
        Entity("Aspirin", "MESH:D001241", EntityType.DRUG),
        "reduces",
        RelationClass.OUTCOME,
        Entity("Headache", "MESH:D006261", EntityType.CONDITION),
        confidence=0.9,
        direction=Direction.DECREASE,
        evidence=(ev,),
    )


def _claim() -> Claim:
    return Claim(
        claim_id="c0001",
        text="Aspirin reduced headache in adults.",
        drug=(Entity("Aspirin", "MESH:D001241", EntityType.DRUG),),
        condition=(Entity("Headache", "MESH:D006261", EntityType.CONDITION),),
        evidence=_relation().evidence,
    )


def _report(docs: list[tuple[str, str]]) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "extractor",
        "version": "0.1.0",
        "inputs": [{"path": "in/doc_a.txt", "sha256": "0" * 64, "size": 10, "status": "ok", "documents": ["doc_a"]}],
        "documents": [
            {
                "doc_id": d,
                "source": f"in/{d}.txt",
                "status": s,
                **({"reason": "read: empty file"} if s == "failed" else {}),
            }
            for d, s in docs
        ],
        "counts": {"documents": len(docs)},
        "timings": {"total": 1.0},
    }


def _write_out(out: Path) -> Path:
    """An output folder laid out as CONTRACT.md says."""
    (out / "documents").mkdir(parents=True)
    (out / "summaries").mkdir()
    (out / "documents" / "doc_a.json").write_text(dumps(document_to_dict(_document())), encoding="utf-8")
    (out / "summaries" / "doc_a.md").write_text("# A trial\n", encoding="utf-8")
    (out / "triples.jsonl").write_text(dumps(relation_to_dict(_relation())) + "\n", encoding="utf-8")
    (out / "claims.jsonl").write_text(dumps(claim_to_dict(_claim())) + "\n", encoding="utf-8")
    (out / "report.json").write_text(json.dumps(_report([("doc_a", "ok"), ("doc_b", "failed")])), encoding="utf-8")
    g = build_graph()
    write_kgx(g, out / "kgx")
    write_graph_json(g, out / "graph.json")
    write_html(g, out / "graph.html", title="t")
    return out


def test_every_schema_is_valid_draft_2020_12():
    assert schema_names() == ["claim", "document", "graph", "kgx_edge", "kgx_node", "report", "triple"]
    for name in schema_names():
        schema = load_schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)
    with pytest.raises(ConfigError, match="no schema named 'triples'.*use one of: claim, document"):
        load_schema("triples")


def test_jsonio_records_match_the_schemas():
    assert validate_record("triple", relation_to_dict(_relation())) == []
    assert validate_record("claim", claim_to_dict(_claim())) == []
    assert validate_record("document", document_to_dict(_document())) == []
    assert validate_record("graph", graph_to_node_link(build_graph())) == []


def test_contract_examples_match_the_schemas():
    """The (shortened) examples of CONTRACT.md, without jsonio's extra fields."""
    triple = {
        "subject": {"name": "ketamine", "id": "MESH:D007649", "type": "Drug"},
        "predicate": "treats",
        "relation_class": "treats",
        "biolink_predicate": "biolink:treats",
        "object": {"name": "complex regional pain syndrome", "id": "MESH:D020918", "type": "Condition"},
        "negated": False,
        "hedged": True,
        "confidence": 0.82,
        "evidence": [
            {
                "doc_id": "d",
                "section": "Introduction",
                "paragraph": 1,
                "sentence": "s",
                "start": 0,
                "end": 1,
                "citations": ["1"],
            }
        ],
    }
    claim = {
        "claim_id": "c0001",
        "text": "representative sentence",
        "drug": [{"name": "ketamine", "id": "MESH:D007649"}],
        "mechanism": [],
        "condition": [],
        "outcome": [],
        "adverse": [],
        "hedged": False,
        "negated": False,
        "evidence": [{"doc_id": "d", "section": "Description", "paragraph": 3, "sentence": "s", "citations": ["3"]}],
    }
    assert validate_record("triple", triple) == []
    assert validate_record("claim", claim) == []


def test_schemas_reject_what_the_contract_forbids():
    bad = relation_to_dict(_relation())
    bad["relation_class"] = "cures"
    bad["evidence"] = []
    problems = validate_record("triple", bad)
    assert any(p.startswith("$.relation_class:") for p in problems)
    assert any(p.startswith("$.evidence:") for p in problems)
    doc = document_to_dict(_document())
    doc["mentions"][0]["type"] = "drug"
    del doc["sentences"]
    problems = validate_record("document", doc)
    assert any("'sentences' is a required property" in p for p in problems)
    assert any(p.startswith("$.mentions[0].type:") for p in problems)
    report = _report([("doc_b", "failed")])
    del report["documents"][0]["reason"]
    assert any("'reason' is a required property" in p for p in validate_record("report", report))
    edge = {
        "id": "extractor:1",
        "subject": "MESH:D1",
        "predicate": "treats",
        "object": "MESH:D2",
        "knowledge_level": "sure",
        "agent_type": "text_mining_agent",
        "primary_knowledge_source": "infores:extractor",
    }
    problems = validate_record("kgx_edge", edge)
    assert any(p.startswith("$.predicate:") for p in problems) and any(
        p.startswith("$.knowledge_level:") for p in problems
    )
    long = validate_record("document", {**document_to_dict(_document()), "text": 5 * ["x" * 1000]})
    assert long and all(len(p) < 260 for p in long)


def test_validate_output_accepts_a_contract_folder(tmp_path):
    out = _write_out(tmp_path / "out")
    assert validate_output(out) == []


def test_validate_output_names_each_problem(tmp_path):
    out = _write_out(tmp_path / "out")
    (out / "summaries" / "doc_a.md").unlink()
    doc = json.loads((out / "documents" / "doc_a.json").read_text(encoding="utf-8"))
    doc["mentions"][1]["start"] += 1
    (out / "documents" / "doc_a.json").write_text(json.dumps(doc), encoding="utf-8")
    triple = relation_to_dict(_relation())
    triple["evidence"][0]["doc_id"] = "doc_zz"
    with (out / "triples.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(triple) + "\n{not json\n")
    (out / "documents" / "stray.json").write_text("{}", encoding="utf-8")
    (out / "graph.html").unlink()
    problems = validate_output(out)
    assert "summaries/doc_a.md: missing" in problems
    assert any(p.startswith("documents/doc_a.json: $.mentions[1]: text 'headache' differs") for p in problems)
    assert any(p.startswith("triples.jsonl:2: $.evidence[0].doc_id: 'doc_zz'") for p in problems)
    assert any(p.startswith("triples.jsonl:3: not JSON") for p in problems)
    assert "documents/stray.json: not listed in report.json" in problems
    assert "graph.html: missing" in problems
    assert len(problems) == 6, problems


def test_validate_output_without_a_report(tmp_path):
    assert validate_output(tmp_path / "nowhere")[0].endswith("not a folder (give the OUT folder of `extractor run`)")
    (tmp_path / "out").mkdir()
    assert validate_output(tmp_path / "out") == ["report.json: missing"]
    (tmp_path / "out" / "report.json").write_text("{", encoding="utf-8")
    assert validate_output(tmp_path / "out")[0].startswith("report.json: not JSON")


def test_validate_output_never_reads_outside_the_folder(tmp_path):
    out = _write_out(tmp_path / "out")
    (tmp_path / "secret.json").write_text("{}", encoding="utf-8")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    report["documents"].append({"doc_id": "../secret", "status": "ok"})
    (out / "report.json").write_text(json.dumps(report), encoding="utf-8")
    assert "report.json: doc_id '../secret' is not a safe file name" in validate_output(out)
