"""Roles of the mentions of one sentence: who is the subject of a relation.

Input: a :class:`SentenceView` (the sentence's text, its cue tokens and
its mentions) and mentions of it. Output: token spans of mentions
(:func:`span_of`), coordination lists ("X, Y and Z", :func:`coordination_lists`),
and the judgements :mod:`extractor.relations` makes before reading a
drug-object pair: whether a drug is only part of an object or target
phrase ("opioid consumption", "GABA transaminase", "glucose production",
:func:`complement_drug`), says what another drug is ("X is a selective
serotonin reuptake inhibitor", :func:`predicate_nominal`), is a comparator
("compared with Y", :func:`comparator`) or only modifies the next noun
("isoproterenol-induced injury", :func:`modifies_next`); whether a
condition list names who was studied ("patients with X", :func:`population`);
and which drugs of the sentence best fit an object (:func:`choose_subjects`);
which span a drug is judged by: its coordination list ("X, Y and Z reduce
pain", :func:`list_span`) or the anaphor that restates it in a later clause
("..., but it causes Y", :func:`clause_subject`); whether a condition only
qualifies the next one ("diabetic neuropathic pain",
:func:`modifies_condition`) and whether a target is spared (:func:`spared`).
Dependency-free: token distances and small word lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from extractor.cue_constructions import CLAUSE_BREAKS, POPULATION_NOUNS
from extractor.cues import (
    ADVERSE,
    COMPARATOR,
    MECHANISM,
    RELIEF,
    TREAT,
    Token,
    find_cues,
    tokenize,
    tokens_in,
)
from extractor.model import EntityType, Mention

__all__ = [
    "SentenceView",
    "span_of",
    "overlaps",
    "coordinated",
    "coordination_lists",
    "complement_drug",
    "predicate_nominal",
    "comparator",
    "modifies_next",
    "population",
    "for_before",
    "object_between",
    "relieves",
    "choose_subjects",
    "modifies_condition",
    "list_span",
    "clause_subject",
    "spared",
    "ANAPHORS",
    "ANAPHOR_NOUNS",
    "ANAPHOR_DETERMINERS",
    "NOT_ANAPHORIC_NEXT",
]

#: Nouns after a drug that make the drug part of an outcome ("opioid consumption").
_COMPLEMENT_NOUNS = frozenset("consumption requirement requirements reliance intake".split())
_COMPLEMENT_PREPS = frozenset("of on for from".split())
#: Words after "<drug>-" that make the drug part of an organism's or a
#: disease's name ("methicillin-resistant", "steroid-refractory").
_RESISTANCE = frozenset("resistant resistance sensitive susceptible refractory dependent".split())
#: Process and measurement nouns that a ligand completes, before or after
#: them ("glucose production", "the release of glutamate", "plasma
#: concentrations of morphine").
_PROCESS_NOUNS = frozenset(
    "production synthesis secretion release uptake levels level concentrations concentration "
    "metabolism clearance accumulation influx efflux".split()
)
#: Nouns after a ligand name that make it part of a target ("GABA receptor"),
#: of a drug class acting on it ("the dopamine antagonist sulpiride"), of
#: cells ("serotonin neurons"), of a measurement ("plasma drug levels") or
#: of a process ("hepatic glucose production").
_TARGET_NOUNS = frozenset(
    "receptor receptors transporter transporters channel channels reuptake synthase "
    "enzyme enzymes pathway pathways signaling signalling binding site sites "
    "antagonist antagonists agonist agonists inhibitor inhibitors blocker blockers "
    "neuron neurons neuronal terminals fibers fibres output".split()
) | _PROCESS_NOUNS
#: An enzyme named after its substrate ("GABA transaminase", "tyrosine
#: hydroxylase"): the ligand before it names the enzyme.
_ENZYME = re.compile(r"\w{3,}(?:ase|ases)(?<!disease)(?<!diseases)(?<!release)(?<!releases)(?<!increase)"
                     r"(?<!increases)(?<!decrease)(?<!decreases)(?<!phase)(?<!phases)(?<!database)")

_SEPARATOR = re.compile(r",|\band\b|\bor\b|\bnor\b|\bas well as\b|\bplus\b|/")
#: Every relation trigger (one lexicon object, so that cue look-ups are memoised).
_TRIGGERS = TREAT + ADVERSE + MECHANISM
_SEPARATOR_WORDS = frozenset(", and or nor / as well plus".split())


@dataclass(frozen=True, slots=True)
class SentenceView:
    """One sentence as the relation stage reads it: its index, text, cue
    tokens (:func:`extractor.cues.tokenize`) and mentions."""

    index: int
    text: str
    tokens: list[Token]
    mentions: list[Mention]
    #: token span of each mention, by character span (filled by :func:`span_of`)
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


def span_of(sv: SentenceView, m: Mention) -> tuple[int, int]:
    """Token span of mention ``m`` in sentence ``sv`` (at least one token
    unless it starts after the last one), computed once per mention."""
    key = (m.start, m.end)
    hit = sv.spans.get(key)
    if hit is None:
        tokens = sv.tokens
        i, j = tokens_in(tokens, m.start, m.end)
        hit = (i, max(j, i + 1)) if i < len(tokens) else (len(tokens), len(tokens))
        sv.spans[key] = hit
    return hit


def overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def coordinated(text: str, a: Mention, b: Mention, offset: int) -> bool:
    """True when ``a`` and ``b`` (a before b) are items of one list
    ("X, Y and Z", "X or Y", "X, including Y"): a short gap with a separator
    and at most two other words, none of them a relation trigger."""
    gap = text[a.end - offset : b.start - offset]
    if len(gap) > 40 or not _SEPARATOR.search(gap):
        return False
    words = [t for t in tokenize(gap) if t.lower not in _SEPARATOR_WORDS]
    if len(words) > 2 or any(t.lower in CLAUSE_BREAKS for t in words):
        return False  # "X and Y, but Z": another clause
    return not any(c.strength >= 1.0 for c in find_cues(words, _TRIGGERS))


def coordination_lists(sv: SentenceView, offset: int, members: list[Mention]) -> dict[Mention, tuple[Mention, Mention]]:
    """Map each mention to the first and last item of its coordination list."""
    out: dict[Mention, tuple[Mention, Mention]] = {}
    groups: list[list[Mention]] = []
    for m in members:
        if groups and coordinated(sv.text, groups[-1][-1], m, offset):
            groups[-1].append(m)
        else:
            groups.append([m])
    for g in groups:
        for m in g:
            out[m] = (g[0], g[-1])
    return out


def complement_drug(sv: SentenceView, d: Mention, objects: list[Mention]) -> bool:
    """Is drug ``d`` part of an object phrase rather than an agent?

    True for "opioid consumption", "reliance on opioids" (the drug
    completes an outcome), "methicillin-resistant" (it names an organism),
    "the release of glutamate" (it completes a process noun),
    "GABA receptor", "N-methyl-D-aspartate (NMDA)
    receptor" (the ligand names a target), and drugs overlapping an object.
    """
    toks = sv.tokens
    i, j = span_of(sv, d)
    if any(overlaps(d, o) for o in objects):
        return True
    k = j
    if k < len(toks) and toks[k].text == "(":  # skip "(ABBR)"
        close = next((x for x in range(k + 1, min(k + 6, len(toks))) if toks[x].text == ")"), None)
        k = close + 1 if close is not None else k
    if k < len(toks):
        if toks[k].lower in _COMPLEMENT_NOUNS or toks[k].lower in _TARGET_NOUNS or _ENZYME.fullmatch(toks[k].lower):
            return True
        if toks[k].text == "-" and k + 1 < len(toks) and toks[k + 1].lower in _RESISTANCE:
            return True  # "methicillin-resistant Staphylococcus aureus": an organism's name
        if any(o.type in (EntityType.MECHANISM, EntityType.TARGET) and 0 <= o.start - d.end <= 3 for o in objects):
            return True
    if i >= 2 and toks[i - 1].lower == "of" and toks[i - 2].lower in _PROCESS_NOUNS:
        return True  # "the release of glutamate", "plasma levels of morphine"
    if i >= 1 and toks[i - 1].lower in _COMPLEMENT_PREPS:
        prev_end = toks[i - 1].start
        if any(o.type == EntityType.OUTCOME and 0 <= prev_end - o.end <= 2 for o in objects):
            return True
    return False


def predicate_nominal(sv: SentenceView, d: Mention, drugs: Sequence[Mention]) -> bool:
    """Whether drug ``d`` only says what an earlier drug of the sentence is:
    "Sertraline is a selective serotonin reuptake inhibitor approved for
    MDD", "X, an SSRI, ...", "X, the S-enantiomer of Y, is ...": the
    earlier drug is the subject."""
    i, _ = span_of(sv, d)
    toks = sv.tokens
    if i >= 1 and toks[i - 1].lower == "of":
        # "X, the S-enantiomer of Y, is ...": Y in an apposition to X
        k = i - 2
        while k > 0 and i - k <= 5 and toks[k].lower not in (",", "("):
            k -= 1
        return (
            k > 0 and toks[k].lower in (",", "(") and toks[k + 1].lower in ("a", "an", "the")
            and any(x is not d and span_of(sv, x)[1] == k for x in drugs)
        )
    if i < 2 or toks[i - 1].lower not in ("a", "an") or toks[i - 2].lower not in ("is", "was", ",", "as"):
        return False
    return any(x.end <= d.start and x is not d for x in drugs)


def comparator(sv: SentenceView, d: Mention) -> bool:
    i, _ = span_of(sv, d)
    return any(c.end >= i - 1 for c in find_cues(sv.tokens, COMPARATOR, max(0, i - 3), i))


#: Participles that make "<drug>-<participle>" a modifier of the next noun.
_MODIFIER_PARTICIPLES = ("induc", "associat", "relat", "mediat", "evok", "provok", "elicit", "triggered")


def modifies_next(sv: SentenceView, d: Mention) -> bool:
    """Whether drug ``d`` only modifies the following noun ("isoproterenol-
    induced injury"): it does not stand between another drug and the noun
    as an agent ("X attenuates isoproterenol-induced injury")."""
    toks = sv.tokens
    j = span_of(sv, d)[1]
    if j < len(toks) and toks[j].lower == "-":
        j += 1
    return j < len(toks) and toks[j].lower.startswith(_MODIFIER_PARTICIPLES)




def population(toks: Sequence[Token], lspan: tuple[int, int]) -> bool:
    """Whether the condition list at ``lspan`` describes who was studied:
    "<patients> with X" (up to two words between) or "X patients"."""
    i = lspan[0]
    if i >= 2 and toks[i - 1].lower == "with" and toks[i - 2].lower in POPULATION_NOUNS:
        return True
    if i >= 3 and toks[i - 2].lower == "with" and toks[i - 3].lower in POPULATION_NOUNS:
        return True  # "patients with severe X"
    j = lspan[1]
    return j < len(toks) and toks[j].lower in POPULATION_NOUNS


def for_before(toks: Sequence[Token], dspan: tuple[int, int], lspan: tuple[int, int]) -> bool:
    """Whether "for" (or "for the treatment/management/prevention of")
    introduces the condition list ``lspan`` after the drug ``dspan``."""
    if dspan[1] > lspan[0]:
        return False
    i = lspan[0] - 1
    while i > dspan[1] and toks[i].lower in ("the", "treatment", "management", "prevention", "of", "acute", "chronic"):
        i -= 1
    # ("in" was tried too: "Caffeine challenge test in panic disorder" is no treatment)
    return toks[i].lower == "for" and i >= dspan[1]


def object_between(
    sv: SentenceView, objects: Sequence[Mention], dspan: tuple[int, int], lspan: tuple[int, int]
) -> bool:
    """Whether a condition or outcome object lies between the drug and the
    condition list (the verb's object comes first: "X reduces pain in ...")."""
    if dspan[1] > lspan[0]:
        return False
    return any(
        o.type in (EntityType.CONDITION, EntityType.OUTCOME) and dspan[1] <= span_of(sv, o)[0] and span_of(sv, o)[1] <= lspan[0]
        for o in objects
    )


def modifies_condition(sv: SentenceView, objects: Sequence[Mention], o: Mention) -> bool:
    """Whether condition ``o`` only qualifies a condition named right after
    it, in the same noun phrase ("diabetic peripheral neuropathic pain", "HIV
    neuropathy"): at most two words between, none a separator or a
    preposition."""
    j = span_of(sv, o)[1]
    for other in objects:
        if other is o or other.type != EntityType.CONDITION:
            continue
        k = span_of(sv, other)[0]
        if j <= k <= j + 2 and all(
            t.lower.isalpha() and t.lower not in _NOT_MODIFIER for t in sv.tokens[j:k]
        ):
            return True
    return False


#: Words that end a noun phrase's modifiers.
_NOT_MODIFIER = frozenset("and or in with of for to by after from as than versus vs but nor".split())


def relieves(sv: SentenceView, d: Mention) -> bool:
    """Whether a relief verb follows drug ``d`` ("X attenuates ...")."""
    j = span_of(sv, d)[1]
    return bool(find_cues(sv.tokens, RELIEF, j, j + 2))


def choose_subjects(
    sv: SentenceView, drugs: list[Mention], o: Mention, coord_drugs: dict[Mention, tuple[Mention, Mention]]
) -> list[Mention]:
    """Drugs of the sentence that best fit object ``o``."""
    ospan = span_of(sv, o)
    scored = []
    for d in drugs:
        if overlaps(d, o):
            continue
        dspan = span_of(sv, d)
        dist = ospan[0] - dspan[1] if dspan[1] <= ospan[0] else dspan[0] - ospan[1]
        s = 1.0 / (1.0 + max(dist, 0) / 8.0)
        lo, hi = sorted((d.end, o.start)) if d.end <= o.start else sorted((o.end, d.start))
        between = [
            x for x in drugs
            if x is not d and lo <= x.start < hi and coord_drugs[x] != coord_drugs[d]
            and not (modifies_next(sv, x) and relieves(sv, d))
        ]
        if between:
            s *= 0.4
        a, b = sorted((dspan, ospan))
        if any(t.lower in CLAUSE_BREAKS for t in sv.tokens[a[1] : b[0]]):
            s *= 0.3  # "X has anti-inflammatory effects, whereas Y ...": another clause
        if d.end <= o.start:
            s *= 1.2
        scored.append((s, d))
    if not scored:
        return []
    best = max(s for s, _ in scored)
    keep = {d for s, d in scored if s >= best * 0.75}
    groups = {coord_drugs[d] for d in keep}
    return [d for _, d in scored if d in keep or coord_drugs[d] in groups]


#: Anaphors that point back to a drug.
ANAPHORS = frozenset("it its this these such they their".split())
ANAPHOR_NOUNS = frozenset(
    "drug drugs agent agents compound compounds medication medications treatment therapy".split()
)
#: Determiners before such a noun that point back ("the drug", "both drugs").
ANAPHOR_DETERMINERS = frozenset("the both these this".split())
#: Words after an anaphor that make it point elsewhere ("such as", "this
#: study", "these patients"): it is then not an anchor for the drug.
NOT_ANAPHORIC_NEXT = frozenset(
    "as study studies work paper report trial trials review article analysis analyses model models "
    "effect effects mechanism mechanisms patients patient case cases".split()
)


def list_span(
    sv: SentenceView, dspan: tuple[int, int], first: tuple[int, int], last: tuple[int, int], lspan: tuple[int, int]
) -> tuple[int, int]:
    """The span of a drug, reaching to the far end of its coordination list
    (``first`` and ``last`` item) on the side of the object list ``lspan``:
    "X, Y and Z reduce pain", "X- or Y-induced Z" and "the toxic effects of
    Z, Y and X" are judged for every item as for the one next to the
    object. Not when the list ends in a compound ("X and Y-induced Z")
    whose hyphen X does not share."""
    toks = sv.tokens
    if dspan[1] <= lspan[0]:
        if last[1] <= dspan[1]:
            return dspan
        if last[1] < len(toks) and toks[last[1]].text == "-" and not (dspan[1] < len(toks) and toks[dspan[1]].text == "-"):
            return dspan
        return (dspan[0], last[1])
    if lspan[1] <= first[0] < dspan[0]:
        return (first[0], dspan[1])
    return dspan


#: Verbs that say a drug leaves a target alone ("it spares cyclooxygenase-1").
_SPARING = frozenset("spare spares spared sparing".split())


def spared(toks: Sequence[Token], o: Mention, lspan: tuple[int, int]) -> bool:
    """Whether a target or mechanism list is introduced by a sparing verb."""
    return o.type in (EntityType.MECHANISM, EntityType.TARGET) and any(
        t.lower in _SPARING for t in toks[max(0, lspan[0] - 2) : lspan[0]]
    )


#: Anaphors that restate a drug as the subject of a later clause.
_CLAUSE_ANAPHORS = frozenset("it they".split())


def clause_subject(toks: Sequence[Token], dspan: tuple[int, int], lspan: tuple[int, int]) -> tuple[int, int]:
    """The drug's token span ``dspan``, or the anaphor that restates the drug
    as the subject of the clause of the object list ``lspan`` ("X lowers
    opioid use, but it frequently causes Y"): the object is then judged in
    its own clause, by "it frequently causes", not across the break.

    Examples
    --------
    >>> t = tokenize("Drugol lowers pain, but it often causes nausea")
    >>> clause_subject(t, (0, 1), (8, 9)), clause_subject(t, (0, 1), (2, 3))
    ((5, 6), (0, 1))
    """
    if dspan[1] > lspan[0]:
        return dspan
    for k in range(lspan[0] - 1, dspan[1], -1):
        word = toks[k].lower
        if word in _CLAUSE_ANAPHORS or (word in ANAPHOR_NOUNS and toks[k - 1].lower in ANAPHOR_DETERMINERS):
            nxt = toks[k + 1].lower if k + 1 < len(toks) else ""
            opens = any(t.lower in CLAUSE_BREAKS or t.lower == "and" for t in toks[dspan[1] : k])
            if opens and nxt not in NOT_ANAPHORIC_NEXT:
                return (k - 1, k + 1) if word in ANAPHOR_NOUNS else (k, k + 1)
            return dspan
    return dspan
