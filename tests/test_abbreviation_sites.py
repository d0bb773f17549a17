"""Occurrence search of abbreviations and surface forms without per-document
regular expressions: the same sites as the regular expressions they replace."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.abbreviations import _word_sites, propagate_surface_forms
from extractor.model import EntityType, Mention

_ALPHABET = st.sampled_from(list("ab- _(é1."))


def _regex_sites(text: str, word: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text)]


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=30), st.text(_ALPHABET, min_size=1, max_size=4))
def test_word_sites_equal_the_regular_expression(text, word):
    assert _word_sites(text, word) == _regex_sites(text, word)


def _mention(text: str, start: int, end: int) -> Mention:
    return Mention(start, end, text[start:end], EntityType.CONDITION, "MESH:D000001", "X", 0, "ner")


def test_longest_surface_form_wins_where_two_start_together():
    text = "renal failure, failure. Later renal failure and failure again."
    mentions = [_mention(text, 0, 13), _mention(text, 15, 22)]
    out = propagate_surface_forms(text, mentions)
    added = sorted((m.start, m.end) for m in out if m.source == "consistency")
    assert added == [(30, 43), (48, 55)]


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("ab -")), max_size=40))
def test_propagation_matches_a_regex_alternation(text):
    forms = ["aba", "abab", "ba b"]  # propagated forms have at least three characters
    mentions = []
    for f in forms:  # a mention of each form placed after the text
        start = len(text) + 1 + sum(len(x) + 1 for x in forms[: forms.index(f)])
        mentions.append(Mention(start, start + len(f), f, EntityType.DRUG, "MESH:D1", f, 0, "ner"))
    full = text + " " + " ".join(forms)
    got = sorted((m.start, m.end) for m in propagate_surface_forms(full, mentions) if m.source == "consistency")
    ordered = sorted(forms, key=lambda f: (-len(f), f))
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in ordered) + r")(?![\w-])")
    taken = [(m.start, m.end) for m in mentions]
    want = sorted(
        x.span() for x in pattern.finditer(full)
        if not any(s < x.end() and x.start() < e for s, e in taken)
    )
    assert got == want
