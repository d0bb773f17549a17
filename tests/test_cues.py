"""Negation, hedging and direction cues (extractor.cues)."""

from __future__ import annotations

import pytest

from extractor.cues import (
    direction_for,
    find_cues,
    hedge_for,
    negation_for,
    tokenize,
    tokens_in,
    TREAT,
)


def spans(text: str, subject: str, obj: str):
    """Token spans of ``subject`` and ``obj`` in ``text`` (first occurrences)."""
    toks = tokenize(text)
    s = text.index(subject)
    o = text.index(obj)
    a = tokens_in(toks, s, s + len(subject))
    b = tokens_in(toks, o, o + len(obj))
    return toks, a, b


@pytest.mark.parametrize(
    "text, subject, obj",
    [
        ("Metformin did not reduce the incidence of stroke.", "Metformin", "stroke"),
        ("No evidence of hepatotoxicity was found with amoxicillin.", "amoxicillin", "hepatotoxicity"),
        ("Lithium failed to prevent relapse of mania.", "Lithium", "mania"),
        ("Atorvastatin was given without any myopathy.", "Atorvastatin", "myopathy"),
        ("The absence of bradycardia after clonidine was notable.", "bradycardia", "clonidine"),
        ("Gabapentin was not associated with weight gain.", "Gabapentin", "weight gain"),
    ],
)
def test_negation_in_scope(text, subject, obj):
    toks, a, b = spans(text, subject, obj)
    first, second = sorted([a, b])
    assert negation_for(toks, first, second) is not None


@pytest.mark.parametrize(
    "text, subject, obj",
    [
        ("Haloperidol reduced agitation, but not insomnia.", "Haloperidol", "agitation"),
        ("Warfarin not only prevents stroke but also emboli.", "Warfarin", "stroke"),
        ("Propofol causes hypotension.", "Propofol", "hypotension"),
        ("There was no placebo group; sertraline relieved depression.", "sertraline", "depression"),
    ],
)
def test_negation_out_of_scope(text, subject, obj):
    toks, a, b = spans(text, subject, obj)
    first, second = sorted([a, b])
    assert negation_for(toks, first, second) is None


@pytest.mark.parametrize(
    "text, subject, obj",
    [
        ("Lidocaine may relieve neuropathic pain.", "Lidocaine", "neuropathic pain"),
        ("Melatonin could possibly prevent delirium.", "Melatonin", "delirium"),
        ("These data suggest that aspirin lowers the risk of cancer.", "aspirin", "cancer"),
        ("Psilocybin is being evaluated for depression.", "Psilocybin", "depression"),
        ("Esketamine shows promise in suicidal ideation.", "Esketamine", "suicidal ideation"),
    ],
)
def test_hedged(text, subject, obj):
    toks, a, b = spans(text, subject, obj)
    first, second = sorted([a, b])
    assert hedge_for(toks, first, second) > 0


def test_not_hedged_and_hedge_scope_stops_at_terminator():
    toks, a, b = spans("Insulin lowers glucose.", "Insulin", "glucose")
    assert hedge_for(toks, a, b) == 0.0
    text = "Some agents may help; insulin lowers glucose."
    toks, a, b = spans(text, "insulin", "glucose")
    assert hedge_for(toks, a, b) == 0.0


@pytest.mark.parametrize(
    "text, obj, want",
    [
        ("Clonidine reduced opioid consumption.", "opioid consumption", "decrease"),
        ("Duloxetine improved quality of life.", "quality of life", "increase"),
        ("Bupivacaine provided opioid-sparing effects.", "opioid-sparing effects", "decrease"),
        ("Ibuprofen gave pain relief.", "pain relief", "increase"),
        ("Levodopa changed gait speed.", "gait speed", None),
    ],
)
def test_direction(text, obj, want):
    toks = tokenize(text)
    o = text.index(obj)
    span = tokens_in(toks, o, o + len(obj))
    assert direction_for(toks, span, 0)[0] == want


def test_multiword_cues_are_longest_match():
    toks = tokenize("It reduced the risk of stroke")
    labels = [c.label for c in find_cues(toks, TREAT)]
    assert labels[0] == "prevents"


def test_tokenize_offsets_point_into_text():
    text = "Cisplatin-induced nephrotoxicity (n=3)."
    for t in tokenize(text, offset=10):
        assert text[t.start - 10 : t.end - 10] == t.text
