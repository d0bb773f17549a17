"""Tests of extractor.summarize."""

from __future__ import annotations

import html
import importlib.util
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from extractor.claims import build_claims
from extractor.dedup import claim_id_for, group_paragraphs, merge_claims
from extractor.model import Article, Claim, DocumentResult, Entity, EntityType, Evidence, Metadata
from extractor.summarize import escape_markdown, summarize_corpus, summarize_document

FIX = Path(__file__).parent / "fixtures" / "seed_variants"
_spec = importlib.util.spec_from_file_location("seed_articles", FIX / "articles.py")
seed_articles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(seed_articles)
GOLD = Path("/work/shared/gold/ketamine_perioperative_pain_sharma2025.gold.json")
BODY = ("Introduction", "Description", "Conclusion")


def _result(name: str = "seed.md") -> DocumentResult:
    art = seed_articles.parse_markdown((FIX / name).read_text(encoding="utf-8"), "seed")
    mentions = seed_articles.lexicon_mentions(art)
    relations = seed_articles.cooccurrence_relations(art, mentions)
    claims = build_claims(art, mentions, relations)
    groups = group_paragraphs(art, mentions, claims)
    return DocumentResult(art, tuple(mentions), tuple(relations), tuple(merge_claims(claims)), tuple(groups))


def _unescape(md: str) -> str:
    return html.unescape(re.sub(r"\\(.)", r"\1", md))


def _norm(s: str) -> str:  # the scorer's normalisation
    s = (s or "").lower().replace("\u2019", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^a-z0-9+\-/ ]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _bullets(md: str) -> list[str]:
    part = md.split("## Claims", 1)[1].split("## Drug profiles", 1)[0]
    return [line for line in part.splitlines() if line.startswith("- ")]


def test_header_claims_once_with_sections_and_citations():
    res = _result()
    md = summarize_document(res)
    assert md.startswith("# Ketamine: Perioperative Pain Management And Chronic Relief\n")
    assert "Rakesh Sharma" in md and "*J Test Res* (2025)" in md and "DOI: 10.1000/test.1" in md
    bullets = _bullets(md)
    # the ten restated findings, each shown once
    assert len(bullets) == 10
    for k in range(1, 11):
        tagged = [b for b in bullets if b.endswith(f"\\[{k}\\]")]
        assert len(tagged) == 1, k
        assert "Introduction, Description" in tagged[0]
    quotes = [_unescape(re.search(r"\u201c(.*)\u201d", b).group(1)) for b in bullets]
    assert all(q in res.article.text for q in quotes), "quotes are verbatim"
    assert len(set(quotes)) == len(quotes)


def test_drug_profile_names_as_written():
    md = summarize_document(_result())
    profile = md.split("## Drug profiles", 1)[1]
    assert "**ketamine**" in profile
    for label in ("Mechanisms:", "Conditions:", "Outcomes:", "Adverse effects:"):
        assert label in profile
    assert "fibromyalgia" in profile and "hallucinations" in profile
    assert "neuropathic pain (Neuralgia)" in profile


def test_article_text_is_escaped():
    evil = "Drug <script>alert(1)</script> & *bold* [link](http://x) | `code`"
    art = Article("e", "e.txt", "text", "Title <b>x</b> & co", evil, metadata=Metadata(authors=("A <i>B</i>",)))
    d = Entity("drug<x>", None, EntityType.DRUG)
    c = Claim("", evil, drug=(d,), outcome=(Entity("pain & <y>", None, EntityType.OUTCOME),),
              evidence=(Evidence("e", "Results", 1, evil, 0, len(evil), ("1",)),))
    c = replace(c, claim_id=claim_id_for(c))
    md = summarize_document(DocumentResult(art, claims=(c,)))
    assert "<" not in md and ">" not in md
    assert "&lt;script&gt;" in md and "&amp;" in md
    assert "\\*bold\\*" in md and "\\[link\\]" in md and "\\`code\\`" in md and "\\|" in md
    assert _unescape(escape_markdown(evil)) == evil


def test_summary_is_short_and_covers_the_gold_objects():
    if not GOLD.exists():
        pytest.skip("gold annotation not available")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    res = _result()
    md = summarize_document(res)
    art = res.article
    body = sum(len(art.text[p.start : p.end].split()) for s in art.sections if s.name in BODY for p in s.paragraphs)
    assert len(md.split()) / body <= 0.5
    s_norm = _norm(md)
    rels = [r for r in gold["relations"] if not r.get("optional")]
    covered = [any(_norm(n) in s_norm for n in gold["entities"][r["object"]]["names"]) for r in rels]
    assert sum(covered) / len(covered) >= 0.9


@pytest.mark.parametrize("name", ["seed_shuffled_nocite.md", "seed_paraphrased.md"])
def test_variants_give_ten_bullets(name):
    assert len(_bullets(summarize_document(_result(name)))) == 10


def test_corpus_summary_ranks_by_articles():
    ket = Entity("ketamine", "MESH:D007649", EntityType.DRUG)
    pain = Entity("chronic pain", "MESH:D059350", EntityType.CONDITION)
    hal = Entity("hallucinations", None, EntityType.ADVERSE_EFFECT)

    def ev(doc, start):
        return Evidence(doc, "Results", 1, f"s {doc}", start, start + 5)

    wide = Claim("", "Ketamine relieves chronic pain.", drug=(ket,), condition=(pain,),
                 evidence=(ev("d1", 0), ev("d2", 0), ev("d3", 0)))
    deep = Claim("", "Ketamine <causes> hallucinations.", drug=(ket,), adverse=(hal,),
                 evidence=(ev("d1", 10), ev("d1", 20), ev("d1", 30), ev("d1", 40)))
    claims = merge_claims([wide, deep])
    md = summarize_corpus(claims, {"d1": "First & <best>", "d2": "Second", "d3": "Third"})
    lines = md.splitlines()
    assert lines[0] == "# Corpus summary"
    first = next(i for i, line in enumerate(lines) if line.startswith("1. "))
    assert "chronic pain" in lines[first] and "3 articles" in lines[first + 2]
    assert "hallucinations" in next(line for line in lines if line.startswith("2. "))
    assert "<" not in md and "First &amp; &lt;best&gt;" in md


# ------------------------------------------------------------ real pipeline


@pytest.fixture(scope="module")
def extractor_fast():
    pytest.importorskip("extractor.ner")
    pytest.importorskip("extractor.relations")
    from extractor.config import Settings
    from extractor.pipeline import Extractor

    return Extractor(Settings(fast=True))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["seed.md", "seed_shuffled_nocite.md", "seed_paraphrased.md"])
def test_real_pipeline_pairs_keys_ratio_coverage(extractor_fast, name):
    from extractor.io.readers import read_path

    [art] = read_path(FIX / name)
    res = extractor_fast.process(art)
    expected = {frozenset((tuple(a), tuple(b))) for a, b in json.loads((FIX / "expected_pairs.json").read_text())[name]}
    pairs = set()
    for g in res.paragraph_groups:
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                if "Conclusion" not in (g[i][0], g[j][0]):
                    pairs.add(frozenset((tuple(g[i]), tuple(g[j]))))
    assert pairs == expected
    assert len({c.key() for c in res.claims}) == len(res.claims)
    md = summarize_document(res)
    a = res.article
    body = sum(len(a.text[p.start : p.end].split()) for s in a.sections if s.name in BODY for p in s.paragraphs)
    assert len(md.split()) / body <= 0.5
    if GOLD.exists():
        gold = json.loads(GOLD.read_text(encoding="utf-8"))
        rels = [r for r in gold["relations"] if not r.get("optional")]
        s_norm = _norm(md)
        covered = [any(_norm(n) in s_norm for n in gold["entities"][r["object"]]["names"]) for r in rels]
        assert sum(covered) / len(covered) >= 0.9
    assert len(_bullets(md)) == 10
