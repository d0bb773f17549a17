"""extractor.evaluate gives the figures of the reference scorer score.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.errors import InputFormatError
from extractor.evaluate import evaluate_article, evaluate_pubtator

SCORE_PY = Path("/work/shared/tools/score.py")
needs_score = pytest.mark.skipif(not SCORE_PY.exists(), reason="reference scorer not available")

GOLD = {
    "document": "corpus/mini_review.txt",
    "sections": ["Introduction", "Conclusion"],
    "entities": {
        "drugA": {"type": "Drug", "id": "MESH:D000001", "names": ["valdorin"]},
        "condX": {"type": "Condition", "id": "MESH:D000002", "names": ["migraine", "migraine disorders"]},
        "outY": {"type": "Outcome", "id": None, "names": ["attack frequency"]},
        "advZ": {"type": "AdverseEffect", "id": None, "names": ["nausea"]},
        "mechW": {"type": "Mechanism", "id": None, "names": ["CGRP receptor"]},
    },
    "relations": [
        {"subject": "drugA", "class": "treats", "object": "condX"},
        {"subject": "drugA", "class": "outcome", "object": "outY"},
        {"subject": "drugA", "class": "adverse", "object": "advZ"},
        {"subject": "drugA", "class": "mechanism", "object": "mechW", "optional": True},
    ],
    "claims": [{"citation": "1", "drug": "drugA", "condition": ["condX"], "outcome": ["outY"]}],
    "duplicate_groups": {
        "groups": [{"citation": "1", "members": [["Introduction", 1], ["Introduction", 2]]}],
        "paragraph_counts": {"Introduction": 2, "Conclusion": 1},
    },
}


def _triple(s, cls, o, doc="mini_review", oid=None, neg=False, stype="Drug", otype="Condition", sid=None):
    return {
        "subject": {"name": s, "id": sid, "type": stype}, "predicate": "x", "relation_class": cls,
        "object": {"name": o, "id": oid, "type": otype}, "negated": neg,
        "evidence": [{"doc_id": doc, "citations": ["1"]}],
    }


def _write(out: Path, documents, triples, claims=(), summaries=None):
    (out / "documents").mkdir(parents=True)
    for d in documents:
        (out / "documents" / f"{d['doc_id']}.json").write_text(json.dumps(d), encoding="utf-8")
    (out / "triples.jsonl").write_text("".join(json.dumps(t) + "\n" for t in triples), encoding="utf-8")
    (out / "claims.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims), encoding="utf-8")
    for doc_id, text in (summaries or {}).items():
        (out / "summaries").mkdir(exist_ok=True)
        (out / "summaries" / f"{doc_id}.md").write_text(text, encoding="utf-8")


def _score_py(*args) -> tuple[list[str], dict]:
    proc = subprocess.run([sys.executable, str(SCORE_PY), *map(str, args), "--json"],
                          capture_output=True, text=True, check=True)
    lines = proc.stdout.strip().splitlines()
    return lines[:-1], json.loads(lines[-1])


@pytest.fixture
def article_out(tmp_path):
    text = "Valdorin treats migraine. It reduces attack frequency.\n\nValdorin relieves migraine.\n\nDone."
    doc = {
        "doc_id": "mini_review", "text": text,
        "sections": [
            {"name": "Introduction", "paragraphs": [{"index": 1, "start": 0, "end": 53},
                                                     {"index": 2, "start": 55, "end": 81}]},
            {"name": "Conclusion", "paragraphs": [{"index": 1, "start": 83, "end": 88}]},
        ],
        "paragraph_groups": [[["Introduction", 1], ["Introduction", 2]], [["Introduction", 1], ["Conclusion", 1]]],
    }
    triples = [
        _triple("valdorin", "treats", "Migraine Disorders", oid="MESH:D000002"),
        _triple("Valdorin", "outcome", "attack frequency"),
        _triple("valdorin", "mechanism", "CGRP receptor antagonism", otype="Mechanism"),
        _triple("valdorin", "adverse", "dizziness"),
        _triple("valdorin", "treats", "migraine"),
    ]
    claims = [{"claim_id": "c1", "condition": [{"name": "migraine"}], "outcome": [],
               "evidence": [{"doc_id": "mini_review", "citations": ["1"]}]}]
    gold = tmp_path / "mini.gold.json"
    gold.write_text(json.dumps(GOLD), encoding="utf-8")
    out = tmp_path / "out"
    _write(out, [doc], triples, claims, {"mini_review": "Valdorin treats migraine; nausea."})
    return gold, out


def test_article_figures(article_out):
    gold, out = article_out
    ev = evaluate_article(gold, out)
    # 5 distinct (subject, class, object) predictions: 3 hits (two names of the
    # treated condition, the outcome), 1 ignored (optional), 1 wrong; 2 of 3 gold found
    p, r = 3 / 4, 2 / 3
    assert ev.figures["relations_f1"] == round(2 * p * r / (p + r), 4)
    assert any("missed: drugA -adverse-> advZ" in ln for ln in ev.lines)
    assert ev.figures["claim_slot_recall"] == 0.5
    assert ev.figures["dedup_f1"] == 1.0
    assert ev.figures["sections_ok"] == 1.0


@needs_score
def test_article_same_as_score_py(article_out):
    gold, out = article_out
    ev = evaluate_article(gold, out)
    lines, figures = _score_py("article", "--gold", gold, "--out", out)
    assert ev.figures == figures
    assert list(ev.lines) == lines


PUBTATOR = """100|t|Drugx induced rash.
100|a|Rash and fever followed drugx; drugy relieved fever.
100\t0\t5\tDrugx\tChemical\tD001
100\t14\t18\trash\tDisease\tD010
100\t20\t24\tRash\tDisease\tD010
100\t29\t34\tfever\tDisease\tD020
100\t44\t49\tdrugx\tChemical\tD001
100\t51\t56\tdrugy\tChemical\tD002
100\t66\t71\tfever\tDisease\tD020
100\tCID\tD001\tD010
100\tCID\tD001\tD020

200|t|Nothing here.
200|a|Drugz was given.
200\t14\t19\tDrugz\tChemical\tD003
"""

BIORED = PUBTATOR.replace("\tCID\tD001\tD010", "\tPositive_Correlation\tD001\tD010\tNovel").replace(
    "\tCID\tD001\tD020", "\tNegative_Correlation\tD002\tD020\tNovel")


@pytest.fixture
def pubtator_out(tmp_path):
    docs = [{"doc_id": "100", "mentions": [
        {"start": 0, "end": 5, "type": "Drug", "id": "MESH:D001"},
        {"start": 14, "end": 18, "type": "Condition", "id": "MESH:D010"},
        {"start": 29, "end": 34, "type": "AdverseEffect", "id": "MESH:D020"},
        {"start": 51, "end": 56, "type": "Drug", "id": "D002"},
        {"start": 60, "end": 65, "type": "Condition", "id": None},
    ]}]
    triples = [
        _triple("drugx", "adverse", "rash", doc="100", sid="MESH:D001", oid="MESH:D010"),
        _triple("drugy", "treats", "fever", doc="100", sid="MESH:D002", oid="MESH:D020"),
        _triple("drugx", "adverse", "fever", doc="100", sid="MESH:D001", oid="MESH:D020", neg=True),
        _triple("drugy", "adverse", "rash", doc="100", sid="MESH:D002", oid="MESH:D010"),
    ]
    out = tmp_path / "out"
    _write(out, docs, triples)
    cdr = tmp_path / "CDR_Mini.PubTator.txt"
    cdr.write_text(PUBTATOR, encoding="utf-8")
    bio = tmp_path / "Mini.PubTator"
    bio.write_text(BIORED, encoding="utf-8")
    return cdr, bio, out


def test_pubtator_figures(pubtator_out):
    cdr, bio, out = pubtator_out
    ev = evaluate_pubtator(cdr, out)
    # CID: gold {(D001,D010),(D001,D020)}; predicted adverse, non-negated: (D001,D010),(D002,D010)
    assert ev.figures["rel_f1"] == 0.5
    # 4 of 5 predicted spans right, 8 gold spans
    assert ev.figures["ner_f1"] == round(2 * 0.8 * 0.5 / 1.3, 4)
    assert any("documents missing" in ln for ln in ev.lines)
    bev = evaluate_pubtator(bio, out, corpus="biored")
    assert bev.figures["rel_f1"] == pytest.approx(round(2 * (2 / 3) * 1.0 / (2 / 3 + 1.0), 4))
    assert "pair_f1" in bev.figures


@needs_score
def test_pubtator_same_as_score_py(pubtator_out):
    cdr, bio, out = pubtator_out
    for gold, corpus in ((cdr, None), (bio, "biored"), (cdr, "biored")):
        ev = evaluate_pubtator(gold, out, corpus)
        args = ["pubtator", "--gold", gold, "--out", out] + (["--corpus", corpus] if corpus else [])
        lines, figures = _score_py(*args)
        assert ev.figures == figures
        assert list(ev.lines) == lines


def test_missing_output_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InputFormatError, match="extractor run"):
        evaluate_pubtator(tmp_path / "CDR.txt", tmp_path / "nowhere")
