"""In-text numeric citation markers."""

from __future__ import annotations

import pytest

from extractor.citations import MAX_RANGE, find_citations, paragraph_citations


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
