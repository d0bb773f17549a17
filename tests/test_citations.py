"""In-text numeric citation markers."""

from __future__ import annotations

import pytest

from extractor.citations import MAX_RANGE, citation_style, find_citations, paragraph_citations


@pytest.mark.parametrize(
    "text,numbers",
    [
        ("effect [1].", [("1",)]),
        ("effect [1,2].", [("1", "2")]),
        ("effect [1-3].", [("1", "2", "3")]),
        ("effect [1–3].", [("1", "2", "3")]),
        ("effect [1•, 2].", [("1", "2")]),
        ("effect [1, 3-5].", [("1", "3", "4", "5")]),
        ("effect [ 7 ; 9 ].", [("7", "9")]),
        ("a [1] b [2, 4]", [("1",), ("2", "4")]),
    ],
)
def test_citation_forms(text, numbers):
    assert [m.numbers for m in find_citations(text)] == numbers


@pytest.mark.parametrize("text", ["a dose [2.5 mg]", "in [2020]", "[95% CI 1.2-3.4]", "[see 3]",
                                  "[0]", "[5-2]", "array[i]", "[1999-2001]", "[]"])
def test_not_citations(text):
    assert find_citations(text) == []


def test_marker_spans():
    text = "Ketamine works [1, 2]. It is safe [3]."
    spans = [text[m.start:m.end] for m in find_citations(text)]
    assert spans == ["[1, 2]", "[3]"]


def test_long_range_is_capped():
    m = find_citations(f"[1-{MAX_RANGE + 100}]")[0]
    assert m.numbers == ("1", str(MAX_RANGE + 100))
    assert len(find_citations(f"[1-{MAX_RANGE}]")[0].numbers) == MAX_RANGE


def test_paragraph_citations_sorted_numerically_unique():
    assert paragraph_citations("x [10]. y [2, 3]. z [2]. w [1-2]") == ("1", "2", "3", "10")
    assert paragraph_citations("no citations here") == ()


@pytest.mark.parametrize(
    "style,text,numbers",
    [
        ("parentheses", "effect (1).", [("1",)]),
        ("parentheses", "effect (1, 3-5) and (2;7).", [("1", "3", "4", "5"), ("2", "7")]),
        ("parentheses", "effect(4).", [("4",)]),
        ("superscript", "effect\u00b9.", [("1",)]),
        ("superscript", "effect.\u00b2\u02d2\u00b3 Next", [("2", "3")]),
        ("superscript", "effect\u00b9\u207b\u00b3 and", [("1", "2", "3")]),
    ],
)
def test_other_citation_styles(style, text, numbers):
    assert [m.numbers for m in find_citations(text, style)] == numbers


@pytest.mark.parametrize(
    "style,text",
    [("parentheses", "(n = 5) at (2.5 mg) in (2020) or (95% CI)"),
     ("superscript", "an area of 5 m\u00b2 holds 10\u2076 cells \u00b9 apart")],
)
def test_not_citations_of_other_styles(style, text):
    assert find_citations(text, style) == []


def test_style_of_an_article_follows_its_reference_list():
    """Parenthesised or superscript numbers are citations only when they cite
    most of the reference list in order of first citation, and only in an
    article without bracket citations."""
    body = ["Drug A helps (1). It is safe (2, 3).", "Drug B harms (4) and (5).", "See (6)."]
    assert citation_style(body, 6) == "parentheses"
    assert citation_style(body, 40) == "brackets"  # cites too little of the list: enumerations, "(2)"
    assert citation_style(body, 0) == "brackets"  # no reference list
    assert citation_style(["Drug B harms (5) (2).", "Drug A helps (6) (1) (4) (3)."], 6) == "brackets"  # no order
    assert citation_style(body + ["As shown [1]."], 6) == "brackets"
    sup = ["Drug A helps.\u00b9 It is safe\u00b2\u02d2\u00b3.", "Drug B harms\u2074."]
    assert citation_style(sup, 4) == "superscript"


@pytest.mark.parametrize(
    "marker,glued",
    [("[{n}]", " [{n}]"), ("({n})", " ({n})"), ("({n})", "({n})"), ("sup", "{n}")],
)
def test_seed_cited_in_other_styles_keeps_its_citations(seed_path, fast_extractor, tmp_path, marker, glued):
    """The seed article with its "[n]" markers rewritten as "(n)", "word(n)"
    or superscripts: every paragraph keeps its citations, and the claims,
    entities and relations are those of the original."""
    import re

    from extractor.io.readers import read_articles

    sup = str.maketrans("0123456789,-", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u02d2\u207b")
    text = seed_path.read_text(encoding="utf-8")
    cut = text.rindex("References")
    body, refs = text[:cut], text[cut:]

    def rewrite(m: re.Match) -> str:
        n = m.group(1)
        return glued.format(n=n.translate(sup) if marker == "sup" else n)

    variant = tmp_path / "variant.txt"
    variant.write_text(re.sub(r" ?\[(\d+(?:[-,]\s*\d+)*)\]", rewrite, body) + refs, encoding="utf-8")
    original = fast_extractor.process(read_articles(seed_path).articles[0])
    result = fast_extractor.process(read_articles(variant).articles[0])

    def cites(article):
        return [p.citations for s in article.sections if s.name != "References" for p in s.paragraphs]

    assert cites(result.article) == cites(original.article)
    assert sum(bool(c) for c in cites(result.article)) >= 20

    def facts(res):
        return sorted((r.subject.id, str(r.relation_class), r.object.name, r.evidence[0].citations)
                      for r in res.relations)

    assert facts(result) == facts(original)
