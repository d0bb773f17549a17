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
        ("There is no evidence that magnesium causes respiratory depression.", "magnesium", "respiratory depression"),
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
        ("No patient dropped out, and we found that magnesium causes diarrhea.", "magnesium", "diarrhea"),
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


# ------------------------------------------------------------------ speed-ups keep the results (round 4)


def _reference_find_cues(tokens, lexicon, lo=0, hi=None):
    """The plain left-to-right longest-match scan that find_cues must equal."""
    from extractor.cues import Cue

    hi = len(tokens) if hi is None else min(hi, len(tokens))
    out, i = [], max(lo, 0)
    while i < hi:
        best = None
        for e in lexicon:
            parts = e.pattern.split()
            if i + len(parts) > hi or (best is not None and len(parts) <= best[0]):
                continue
            if all(tokens[i + k].lower.startswith(p[:-1]) if p.endswith("*") else tokens[i + k].lower == p
                   for k, p in enumerate(parts)):
                best = (len(parts), e)
        if best is None:
            i += 1
            continue
        out.append(Cue(best[1].label, i, i + best[0], best[1].strength))
        i += best[0]
    return out


def test_find_cues_and_tokens_in_equal_the_plain_scan_on_random_ranges():
    import random

    from extractor import cues

    words = ("drug", "induced", "the", "risk", "of", "reduced", "not", "only", "side", "effects", "-",
             "treated", "with", "may", "compared", "to", "use", "in", "first", "line", "no", "evidence",
             "for", "pain", "rash", ",", "and", "did", "was", "absence", "lack", "cannot", "be", "excluded",
             "ruled", "out", "associated", "due", "resulted", "led", "reduce", "incidence", "whether", "or")
    phrases = ("did not", "no evidence of", "not only", "side effects", "reduce the risk of", "first - line",
               "treated with", "cannot be excluded", "whether or not", "due to", "led to", "compared to",
               "was not associated with")
    lexicons = [cues.NEGATION, cues.PSEUDO_NEGATION, cues.HEDGE, cues.TREAT, cues.ADVERSE,
                cues.MECHANISM, cues.COMPARATOR, cues.DECREASE, cues.INCREASE, cues.TREATED_WITH]
    rng = random.Random(7)
    for _ in range(300):
        text = " ".join(rng.choice(words + phrases) for _ in range(rng.randint(0, 20)))
        toks = tokenize(text, offset=rng.randint(0, 50))
        for lex in lexicons:
            lo, hi = rng.randint(-2, len(toks) + 1), rng.choice([None, rng.randint(0, len(toks) + 2)])
            assert find_cues(toks, lex, lo, hi) == _reference_find_cues(toks, lex, lo, hi)
        for _ in range(5):
            a = rng.randint(0, len(text) + 60)
            b = a + rng.randint(0, 15)
            i = 0
            while i < len(toks) and toks[i].end <= a:
                i += 1
            j = i
            while j < len(toks) and toks[j].start < b:
                j += 1
            assert tokens_in(toks, a, b) == (i, j)


def test_tokenize_lower_cases_each_token_like_str_lower():
    text = "İbuprofen ΟΔΟΣ ΑΣ x\u2019s Drug-induced RASH"
    toks = tokenize(text, offset=3)
    assert [t.lower for t in toks] == [t.text.lower().replace("\u2019", "'") for t in toks]
    assert all(text[t.start - 3 : t.end - 3] == t.text for t in toks)


def test_condition_followed_by_treated_with_is_a_treatment():
    from extractor.cues import judge_pair
    from extractor.model import EntityType, RelationClass

    toks = tokenize("Refractory seizures treated with drugex resolved")
    j = judge_pair(toks, (4, 5), (1, 2), (1, 2), EntityType.CONDITION)
    assert j.cls == RelationClass.TREATS
    toks = tokenize("Patients treated with drugex developed seizures")
    j = judge_pair(toks, (3, 4), (5, 6), (5, 6), EntityType.CONDITION)
    assert j.cls != RelationClass.TREATS


@pytest.mark.parametrize(
    ("text", "subj", "obj", "explicit"),
    [("ouabain - induced guinea pig arrhythmia", (0, 1), (5, 6), True),
     ("rhabdomyolysis due to surreptitious furosemide", (4, 5), (0, 1), True),
     ("ouabain caused arrhythmia", (0, 1), (2, 3), True),
     ("ouabain given to rats caused arrhythmia", (0, 1), (5, 6), False),
     ("ouabain can cause nausea in patients with arrhythmia", (0, 1), (7, 8), False),
     ("arrhythmia was frequent after ouabain", (4, 5), (0, 1), False)],
)
def test_explicit_cause(text, subj, obj, explicit):
    from extractor.cues import explicit_cause

    toks = tokenize(text)
    assert explicit_cause(toks, subj, obj, subj[0] < obj[0]) is explicit
