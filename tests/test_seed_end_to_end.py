"""The seed article end to end: the figures of the issues, the contract, the page.

One run of the full default pipeline (statistical NER + lexicon, relations,
claims, de-duplication, summary, graph) over the seed article, shared by the
tests below. The figures are those of ``shared/tools/score.py article``,
computed by our own ``extractor.evaluate`` (a test in test_evaluate.py shows
the two agree).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.config import Settings
from extractor.evaluate import evaluate_article
from extractor.model import Claim
from extractor.io.jsonio import claim_from_dict
from extractor.runner import run
from extractor.schemas import validate_output
from test_browser import _Page, browser  # noqa: F401  (the recording page and its fixture)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "ketamine_perioperative_pain_sharma2025.txt"
GOLD = ROOT.parent / "shared" / "gold" / "ketamine_perioperative_pain_sharma2025.gold.json"
DOC_ID = "ketamine_perioperative_pain_sharma2025"


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "out"
    report = run([SEED], out, Settings())
    assert report.ok, report.failures
    return out


@pytest.fixture(scope="module")
def figures(seed_out) -> dict[str, float]:
    if not GOLD.exists():
        pytest.skip(f"gold annotation not found at {GOLD} (the shared/ folder sits beside the repo)")
    return evaluate_article(GOLD, seed_out, DOC_ID).figures


def test_seed_relations_reach_the_target(figures):
    assert figures["relations_f1"] >= 0.90


def test_seed_restated_paragraphs_are_paired_exactly(figures):
    assert figures["dedup_f1"] == 1.0
    assert figures["sections_ok"] == 1.0


def test_seed_summary_is_short_and_covers_the_relations(figures, seed_out):
    assert figures["summary_ratio"] <= 0.50
    assert figures["summary_coverage"] >= 0.90
    summary = (seed_out / "summaries" / f"{DOC_ID}.md").read_text(encoding="utf-8")
    assert summary.startswith("# Ketamine: Perioperative Pain Management And Chronic Relief")
    assert "10.37421/2684-5997.2025.8.310" in summary


def test_seed_claims_are_said_once_with_all_their_evidence(seed_out, figures):
    claims: list[Claim] = [
        claim_from_dict(json.loads(line))
        for line in (seed_out / "claims.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    keys = [c.key() for c in claims]
    assert len(keys) == len(set(keys))
    # restated content is folded: some claim carries evidence from both restating sections
    assert any({"Introduction", "Description"} <= {e.section for e in c.evidence} for c in claims)
    assert figures["claim_slot_recall"] >= 0.90


def test_seed_triples_carry_evidence_with_citations(seed_out):
    triples = [json.loads(x) for x in (seed_out / "triples.jsonl").read_text(encoding="utf-8").splitlines()]
    text = json.loads((seed_out / "documents" / f"{DOC_ID}.json").read_text(encoding="utf-8"))["text"]
    mech = [t for t in triples if t["relation_class"] == "mechanism" and t["object"]["id"] == "MESH:D016194"]
    assert mech, "the drug's NMDA receptor mechanism is missing"
    ev = mech[0]["evidence"]
    assert {e["section"] for e in ev} >= {"Introduction", "Description"}
    for e in ev:
        assert text[e["start"] : e["end"]] == e["sentence"]
        assert all(c.isdigit() for c in e["citations"])


def test_seed_outputs_match_the_contract(seed_out):
    assert validate_output(seed_out) == []
    for name in ("triples.jsonl", "claims.jsonl", "graph.html", "kgx/nodes.jsonl", "kgx/edges.jsonl"):
        assert (seed_out / name).stat().st_size > 0, name


def test_seed_run_is_byte_identical_when_repeated(seed_out, tmp_path):
    again = tmp_path / "again"
    assert run([SEED], again, Settings()).ok
    for name in ("triples.jsonl", "claims.jsonl", "graph.html", f"documents/{DOC_ID}.json", f"summaries/{DOC_ID}.md"):
        assert (again / name).read_bytes() == (seed_out / name).read_bytes(), name


@pytest.mark.browser
def test_seed_graph_page_offline_with_evidence_on_click(seed_out, tmp_path, browser):  # noqa: F811
    page = _Page(browser, seed_out / "graph.html")
    try:
        labels = page.page.evaluate("() => window.__graph.nodes.get().map(n => n.label)")
        for name in ("Ketamine", "Receptors, N-Methyl-D-Aspartate", "Complex Regional Pain Syndromes"):
            assert name in labels, labels
        page.click_edge("Ketamine", "Fibromyalgia", "treats")
        panel = page.panel()
        assert "fibromyalgia" in panel
        assert "Introduction" in panel and "Description" in panel and "[9]" in panel
        page.page.screenshot(path=str(tmp_path / "seed_graph.png"))
        assert page.requests == [page.url], page.requests
        assert page.errors == [] and page.dialogs == []
    finally:
        page.close()
