"""Cue lexicons and scopes: negation, hedging, direction and relation triggers.

Input: the text of one sentence (and token spans of the two arguments of a
candidate relation). Output: per-relation judgements (:func:`negation_for`,
:func:`hedge_for`, :func:`direction_for`, and :func:`judge_pair`, the scoring
function that turns located cues into a relation class, predicate and
strength, with :func:`confidence_score`).

The lexicons are general to pharmacology writing (NegEx-style triggers,
modal/speculative hedges, change verbs, treatment and adverse-effect
framings); none names a drug, a condition or the wording of one article.
The tokenizer and the lexicon matcher (:class:`Token`, :func:`tokenize`,
:func:`tokens_in`, :class:`CueEntry`, :class:`Cue`, :func:`find_cues`) live
in :mod:`extractor.cue_index` and are re-exported here; the explicit
adverse-effect constructions (:func:`explicit_cause`, :func:`named_as_effect`)
in :mod:`extractor.cue_constructions`. Everything is
dependency-free and deterministic: a regex tokenizer and prefix patterns
(``reduc*`` matches *reduce*, *reduced*, *reduction* ...).

Examples
--------
>>> toks = tokenize("Drug A did not reduce pain.")
>>> [t.lower for t in toks][:4]
['drug', 'a', 'did', 'not']
>>> [c.label for c in find_cues(toks, NEGATION)]
['did not']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

from extractor.cue_constructions import CLAUSE_BREAKS, explicit_cause, named_as_effect
from extractor.cue_index import (
    Cue,
    CueEntry,
    Token,
    cue_entries,
    find_cues,
    locate_cues,
    tokenize,
    tokens_in,
)
from extractor.model import Direction, EntityType, RelationClass

__all__ = [
    "Token",
    "Cue",
    "CueEntry",
    "tokenize",
    "find_cues",
    "tokens_in",
    "NEGATION",
    "PSEUDO_NEGATION",
    "HEDGE",
    "TERMINATORS",
    "HEDGE_TERMINATORS",
    "DECREASE",
    "INCREASE",
    "TREAT",
    "ADVERSE",
    "MECHANISM",
    "COMPARATOR",
    "RELIEF",
    "negation_for",
    "hedge_for",
    "direction_for",
    "Judgement",
    "Reading",
    "explicit_cause",
    "named_as_effect",
    "judge_pair",
    "confidence_score",
]


# ------------------------------------------------------------------ lexicons

#: NegEx-style negation triggers (scope: following tokens up to a terminator).
NEGATION = cue_entries(
    "no|not|without|never|neither|nor|cannot|absence of|absent|lack of|lacked|lacks|"
    "failed to|fails to|fail to|did not|does not|do not|was not|were not|is not|are not|"
    "no evidence of|no evidence for|no significant|not associated|unrelated to|free of|"
    "no evidence that|no clear evidence that|no convincing evidence that|no data that|no proof that|"
    "ruled out|rule out|devoid of|none of"
)
#: Phrases that contain a negation word but do not negate.
PSEUDO_NEGATION = cue_entries(
    "not only|no longer|not necessarily|whether or not|not limited to|but not limited to|"
    "no doubt|not clear|not yet|not known|not well|if not|not been fully|cannot be excluded|"
    "cannot be ruled out|not always"
)
#: Speculation / hedging cues with their strength.
HEDGE = (
    cue_entries("may|might|could|possibl*=possible|potential*=potential|perhaps|putative|"
                "suggest*=suggest|hypothes*=hypothesis|presum*=presumably|unclear|uncertain*=uncertain|"
                "likely|unlikely|appear*=appear|seem*=seem|speculat*=speculate", 0.8)
    + cue_entries("investigat*=investigated|explor*=explored|promis*=promise|being evaluated|"
                  "being studied|being assessed|under investigation|under evaluation|emerging|"
                  "preliminary|warrant*=warrant|propos*=proposed|candidate|rationale", 0.6)
)
#: Words and marks that close the scope of a negation or hedge.
TERMINATORS = frozenset(
    "; : but however although though whereas while yet except which who that".split()
)
#: Terminators of a hedge scope ("suggest that ..." stays in scope).
HEDGE_TERMINATORS = TERMINATORS - {"that", "which", "who"}
#: Cues of a decrease of an outcome.
DECREASE = cue_entries(
    "reduc*=reduce|decreas*=decrease|lower*=lower|spar*=spare|attenuat*=attenuate|diminish*=diminish|"
    "minimi*=minimize|less|fewer|declin*=decline|drop*=drop|suppress*=suppress|alleviat*=alleviate|"
    "reliev*=relieve|lessen*=lessen|curb*=curb|cut|limit*=limit|abolish*=abolish|prevent*=prevent|"
    "mitigat*=mitigate|inhibit*=inhibit|shorten*=shorten|shorter|fall*=fall"
)
#: Cues of an increase of an outcome.
INCREASE = cue_entries(
    "improv*=improve|increas*=increase|enhanc*=enhance|relief|boost*=boost|elevat*=elevate|"
    "rais*=raise|restor*=restore|achiev*=achieve|facilitat*=facilitate|promot*=promote|"
    "accelerat*=accelerate|augment*=augment|greater|higher|gain*=gain|better|prolong*=prolong|"
    "ensur*=ensure|provid*=provide|superior|hasten*=hasten|speeds up=speed|sped up=speed"
)
#: Cues that a condition is treated / managed / prevented / studied.
TREAT = (
    cue_entries("treat*=treats|therap*=treats|efficac*=treats|effective*=treats|effectiveness=treats|"
                "benefit*=treats|remission=treats|cure*=treats|curative=treats|indicat*=treats|"
                "relief=treats|reliev*=treats|alleviat*=treats|improv*=treats|ameliorat*=treats|"
                "protect*=prevents|prevent*=prevents|prophyla*=prevents|attenuat*=treats|"
                "reversed=treats|antagoniz*=treats|counteract*=treats|"
                # not "control*": control groups, mice, subjects; controlled studies
                "manag*=manages|controlling=manages|controls=manages|to control=manages|"
                "was controlled=manages|were controlled=manages|well controlled=manages|"
                "controlled by=manages|controlled with=manages|option=treats|application*=treats|"
                "utility=treats|role in=treats|used for=treats|use in=treats|adjunct=treats|"
                "address*=treats|combat*=treats|agent for=treats|tool for=treats|first - line=treats|"
                "drug of choice=treats|prescribed for=treats|approved for=treats|licensed for=treats|"
                "reduc* the risk of=prevents|reduc* risk of=prevents|lower* the risk of=prevents|"
                "decreas* the risk of=prevents|reduc* the incidence of=prevents|"
                "reduc* the incidence=prevents|decreas* the incidence of=prevents|"
                "lower incidence of=prevents|reduced incidence of=prevents|decreased incidence of=prevents|"
                "lower rate of=prevents|lower rates of=prevents|reduced rate of=prevents|"
                "lower risk of=prevents|reduced risk of=prevents|decreased risk of=prevents", 1.0)
    + cue_entries("investigat*=investigated_for|explor*=investigated_for|studied=investigated_for|"
                  "trial*=investigated_for|evaluat*=investigated_for|promis*=investigated_for|"
                  "potential=investigated_for|research*=investigated_for|studies=investigated_for|"
                  "candidate for=investigated_for", 0.5)
    # administration, not indication ("patients treated with X developed Y"):
    # these shadow "treat*" and are too weak to make a treats reading
    + cue_entries("treated with=investigated_for|treatment with=investigated_for|"
                  "therapy with=investigated_for|treated by=investigated_for|"
                  "treatment including=investigated_for|receiving=investigated_for|"
                  "- treated=investigated_for", 0.2)  # "AZT-treated mice developed ..."
)
#: Cues that a condition is framed as an adverse effect of the drug.
ADVERSE = (
    cue_entries("induc*=causes|caus*=causes|side effect*=causes|side - effect*=causes|"
                "adverse=causes|toxicit*=causes|toxic=causes|poisoning=causes|overdos*=causes|"
                "intoxicat*=causes|complication*=causes|provok*=causes|precipitat*=causes|"
                "develop*=causes|produc*=causes|evok*=causes|elicit*=causes|resulted in=causes|"
                "result in=causes|led to=causes|lead to=causes|secondary to=causes|due to=causes|"
                "withdrawal=causes|abuse=causes|exacerbat*=causes|worsen*=causes|aggravat*=causes|"
                "safety=risks|risk*=risks|tolerability=risks|hazard*=risks|sequelae=causes|"
                "limited by=risks|responsible for=causes|attributed to=causes|attributable to=causes|"
                "more frequent=causes|more frequently=causes|more common=causes|more commonly=causes|"
                "more often=causes|higher rate of=causes|higher rates of=causes|increased rate of=causes|"
                "increased rates of=causes|higher incidence of=causes|increased incidence of=causes|"
                "warning for=risks|warnings for=risks|boxed warning*=risks|black box warning*=risks|"
                "harms=causes", 1.0)
    + cue_entries("following=causes|after=causes|associated with=risks|incidence=risks|"
                  "reported=causes|occurred=causes|experienced=causes|related to=risks", 0.5)
)
#: Administration phrases that state a treatment when they follow the
#: condition directly ("hypertension treated with X", "seizures controlled
#: with X"), unlike "patients treated with X developed Y".
TREATED_WITH = cue_entries(
    "treated with|treated by|treated successfully with|successfully treated with|managed with|"
    "controlled with|controlled by|responded to|responding to|responsive to", 1.0
)
#: Mechanism / target predicates.
MECHANISM = cue_entries(
    "antagon*=antagonizes|block*=inhibits|inhibit*=inhibits|suppress*=inhibits|"
    "agonis*=agonizes|agoniz*=agonizes|agonist*=agonizes|activat*=agonizes|stimulat*=agonizes|"
    "modulat*=modulates|desensiti*=modulates|attenuat*=modulates|mitigat*=modulates|"
    "through=acts_through|via=acts_through|mediat*=acts_through|interact*=acts_through|"
    "bind*=acts_through|target*=acts_through|mechanism*=acts_through|acts on=acts_through"
)
#: Phrases that put a drug in a comparator role (weaker link to the object).
COMPARATOR = cue_entries(
    "compared with|compared to|versus|vs|than|instead of|rather than|unlike|relative to|"
    "placebo|control group|switched from|comparable to|similar to|equivalent to|superior to|inferior to|"
    "as effective as|as well as|alternative to"
)


def _terminator_between(
    tokens: Sequence[Token], a: int, b: int, terminators: frozenset[str] = TERMINATORS
) -> bool:
    return any(tokens[k].lower in terminators for k in range(max(a, 0), min(b, len(tokens))))


def negation_for(
    tokens: Sequence[Token], first: tuple[int, int], second: tuple[int, int], window: int = 6
) -> Cue | None:
    """The negation cue whose scope covers a relation, or None.

    The relation spans tokens ``first`` then ``second`` (each ``[i, j)``,
    ``first`` earlier). A cue negates it when it lies between the two
    arguments, or at most ``window`` tokens before the first with no scope
    terminator in between (NegEx). Pseudo-negations ("not only", "no longer")
    never negate.

    Examples
    --------
    >>> t = tokenize("Drug A did not reduce pain")
    >>> negation_for(t, (0, 2), (5, 6)).label
    'did not'
    >>> negation_for(tokenize("Drug A reduced pain, not fever"), (0, 2), (3, 4)) is None
    True
    """
    lo = max(0, first[0] - window)
    cues = find_cues(tokens, NEGATION, lo, second[0])
    if not cues:
        return None
    pseudo_toks = {k for c in find_cues(tokens, PSEUDO_NEGATION) for k in range(c.start, c.end)}
    for c in cues:
        if c.start in pseudo_toks:
            continue
        if first[1] <= c.start < second[0]:
            if not _terminator_between(tokens, c.end, second[0]):
                return c
        elif c.end <= first[0] and not _terminator_between(tokens, c.end, first[0]):
            return c
    return None


def hedge_for(
    tokens: Sequence[Token], first: tuple[int, int], second: tuple[int, int], window: int = 8
) -> float:
    """Hedging strength in [0, 1] of a relation spanning ``first``..``second``.

    Counts hedge cues between the arguments, inside them, or up to
    ``window`` tokens around them without crossing a scope terminator.

    Examples
    --------
    >>> t = tokenize("Drug B may prevent migraine")
    >>> hedge_for(t, (0, 2), (4, 5))
    0.8
    >>> hedge_for(tokenize("Drug B prevents migraine"), (0, 2), (3, 4))
    0.0
    """
    lo = max(0, first[0] - window)
    hi = min(len(tokens), second[1] + window)
    best = 0.0
    for c in find_cues(tokens, HEDGE, lo, hi):
        if c.end <= first[0]:
            if _terminator_between(tokens, c.end, first[0], HEDGE_TERMINATORS):
                continue
        elif c.start >= second[1]:
            if _terminator_between(tokens, second[1], c.start, HEDGE_TERMINATORS):
                continue
        elif first[1] <= c.start < second[0] and _terminator_between(tokens, c.end, second[0], HEDGE_TERMINATORS):
            continue
        best = max(best, c.strength)
    return best


def direction_for(
    tokens: Sequence[Token], obj: tuple[int, int], lo: int, window: int = 5, right: bool = True
) -> tuple[str | None, Cue | None]:
    """Direction (``"increase"``, ``"decrease"`` or None) of a change in the
    outcome at tokens ``obj``.

    Looks inside the outcome phrase first, then leftwards from it (nearest
    cue wins) down to token ``lo`` but at most ``window`` tokens away, then
    a participle one or two tokens to its right ("pain was reduced") unless
    ``right`` is False.

    Examples
    --------
    >>> t = tokenize("Drug C reduced opioid consumption")
    >>> direction_for(t, (3, 5), 0)[0]
    'decrease'
    >>> direction_for(tokenize("Drug C improved sleep quality"), (3, 5), 0)[0]
    'increase'
    """
    cands: list[tuple[int, str, Cue]] = []
    for name, lex in (("decrease", DECREASE), ("increase", INCREASE)):
        for c in find_cues(tokens, lex, obj[0], obj[1]):
            cands.append((0, name, c))
        for c in find_cues(tokens, lex, max(lo, obj[0] - window), obj[0]):
            if c.start and tokens[c.start - 1].text == "-":
                continue  # "opioid-sparing analgesia": the change belongs to the compound's first word
            cands.append((obj[0] - c.end + 1, name, c))
        for c in find_cues(tokens, lex, obj[1], min(len(tokens), obj[1] + 3) if right else obj[1]):
            # only a participle after the outcome ("pain was reduced")
            if tokens[c.start].lower.endswith("ed"):
                cands.append((c.start - obj[1] + 2, name, c))
    if not cands:
        return None, None
    cands.sort(key=lambda x: (x[0], x[2].start, x[1]))
    return cands[0][1], cands[0][2]


# ------------------------------------------------------------------ pair scoring


@dataclass(frozen=True, slots=True)
class Judgement:
    """Class, predicate, direction and cue strength of a drug-object pair;
    ``explicit``: an adverse reading stated by an explicit causal
    construction (:func:`explicit_cause`); ``named``: one whose object the
    text names an adverse effect (:func:`named_as_effect`)."""

    cls: RelationClass
    predicate: str
    direction: Direction | None
    strength: float
    explicit: bool = False
    named: bool = False


class Reading(NamedTuple):
    """How a sentence states a relation: the cue strength in [0, 1], whether
    an explicit causal construction ties the pair ("X-induced Y") and
    whether the text names the object an adverse effect ("Y side effects");
    ``other_role``: the sentence gives the object another role than the
    cue's ("in Y patients": who was studied; "Y neuropathic pain": what
    kind of pain), so it is only an association."""

    strength: float
    explicit: bool = False
    named: bool = False
    other_role: bool = False


def _weighted(cues: Iterable[tuple[Cue, float]]) -> tuple[float, Cue | None, float]:
    """Total weighted strength, the best cue and its weighted strength."""
    best, total = None, 0.0
    for c, w in cues:
        s = c.strength * w
        total += s
        if best is None or s > best[0] or (s == best[0] and c.start < best[1].start):
            best = (s, c)
    return total, (best[1] if best else None), (best[0] if best else 0.0)


#: Treatment cues weaker than this (administration phrases) never make a
#: treats reading on their own.
_MIN_TREAT = 0.5
#: Largest number of tokens between a condition and a following
#: :data:`TREATED_WITH` phrase that makes it a treatment of the condition.
_TREATED_WITH_GAP = 1


#: Verbs that, between a drug and a condition, state its relief (label:
#: the reading they make); weaker than an explicit adverse cue.
RELIEF = cue_entries(
    "reduc*=treats|decreas*=treats|lower*=treats|attenuat*=treats|diminish*=treats|suppress*=treats|"
    "alleviat*=treats|reliev*=treats|lessen*=treats|mitigat*=treats|abolish*=treats|"
    "inhibit*=treats|ameliorat*=treats|improv*=treats|reversed=treats|reverses=treats|"
    "reversal of=treats|prevent*=prevents|protect* against=prevents|dampen*=treats|"
    "shorten* the duration of=treats|shorten* duration of=treats"
)
_RELIEF_STRENGTH = 0.8
#: Increase words that make an adverse effect worse (not "improve").
_WORSENING = frozenset(
    {"increase", "enhance", "elevate", "raise", "boost", "promote", "accelerate", "augment", "greater", "higher",
     "prolong"}
)


def _second_verb(tokens: Sequence[Token], c: Cue, lo: int) -> bool:
    """Whether cue ``c`` is a verb coordinated with an earlier one of the
    drug ending at token ``lo`` ("X produces A and dampens Y")."""
    return c.start - lo >= 2 and tokens[c.start - 1].lower in ("and", "or")


def _relief_cues(
    tokens: Sequence[Token], subj: tuple[int, int], lst: tuple[int, int], before: bool
) -> list[tuple[Cue, float]]:
    """A relief verb tying the drug to the condition: right after the drug
    and shortly before the condition ("X (significantly) reduced
    atherosclerosis", "X attenuates Y-induced myocardial injury"), or, in
    the passive, right after the condition and followed by "by" before the
    drug ("pain was relieved by X"); or "for" right between them ("therapy
    with X for Y"); or a relief verb coordinated with the one after the
    drug ("X reduces A and relieves Y")."""
    if before:
        lo, hi = subj[1], lst[0]
        if hi - lo <= 5 and tokens[lo].lower == "for" and not any(t.text.isdigit() for t in tokens[lo:hi]):
            # "therapy with X for Y", "X for the treatment of Y"
            return [(Cue("treats", lo, lo + 1, _RELIEF_STRENGTH), 1.0)]
        found = find_cues(tokens, RELIEF, lo, hi)
        cues = [c for c in found if c.start - lo <= 2 and hi - c.end <= 4]
        if not cues:
            # "X reduces A and shortens the duration of Y", "X produces analgesia
            # and dampens inflammation": a second verb, coordinated with the
            # drug's first, governs the object
            verb_subject = tokens[lo].text != "-" and not (  # not "doxorubicin-induced", "from X"
                subj[0] and tokens[subj[0] - 1].lower in ("from", "of", "by", "with", "to", "against")
            )
            cues = [
                c for c in found
                if verb_subject and hi - c.end <= 4 and _second_verb(tokens, c, lo)
                and not find_cues(tokens, ADVERSE, c.end, hi)
            ]
    else:
        lo, hi = lst[1], subj[0]
        if hi - lo > 5 or hi < 1 or tokens[hi - 1].lower != "by":
            return []
        cues = find_cues(tokens, RELIEF, lo, hi - 1)
    return [(Cue(c.label, c.start, c.end, _RELIEF_STRENGTH), 1.0) for c in cues[:1]]


#: Nouns that, right after a drug, name its administration ("phenobarbital
#: therapy", "bupropion treatment"), not what it treats.
_ADMINISTRATION = frozenset(
    "therapy therapies treatment treatments infusion infusions administration use regimen".split()
)


def _administration(tokens: Sequence[Token], subj: tuple[int, int], cue: Cue) -> bool:
    """Whether treatment cue ``cue`` names the drug's administration: an
    administration noun right after the drug, or "-treated" ("AZT-treated
    mice"), unlike the verb of "X treats Y"."""
    j = subj[1]
    if j < len(tokens) and tokens[j].text == "-":
        return cue.start == j + 1 and tokens[cue.start].lower in (_ADMINISTRATION | {"treated"})
    return cue.start == j and tokens[cue.start].lower in _ADMINISTRATION


def _strength(total: float, best: float) -> float:
    """Cue strength in [0, 1]: one explicit cue in place gives 1; weak or
    distant cues add up more slowly."""
    return round(min(1.0, 0.7 * best + 0.3 * total), 6)  # 0.8, not 0.7999999999999999




def judge_pair(
    tokens: Sequence[Token],
    subj: tuple[int, int],
    obj: tuple[int, int],
    lst: tuple[int, int],
    otype: EntityType,
) -> Judgement:
    """Score the cue lexicons around a drug (tokens ``subj``) and an object
    (tokens ``obj``, inside the coordination list ``lst``) of type ``otype``.

    Cues inside the object or between the pair count fully, next to the
    object on its far side 0.6, around the pair 0.3. Mechanism and Target
    objects give ``mechanism``; Outcome objects ``outcome`` with a
    direction; AdverseEffect objects ``adverse``, unless a relief verb ties
    the drug to them with no adverse cue between ("X improves the deficits
    caused by Y": ``treats``); conditions ``adverse`` when adverse cues
    outweigh treatment cues (a relief verb between the pair counts 0.8),
    else ``treats`` when any treatment cue is present, else
    ``association``. An adverse reading records whether an explicit causal
    construction states it (:func:`explicit_cause`).

    Examples
    --------
    >>> t = tokenize("Drugex relieved migraine")
    >>> j = judge_pair(t, (0, 1), (2, 3), (2, 3), EntityType.CONDITION)
    >>> str(j.cls), j.predicate
    ('treats', 'treats')
    """
    n = len(tokens)
    before = subj[1] <= lst[0]
    b_lo, b_hi = (subj[1], lst[0]) if before else (lst[1], subj[0])
    left_lo = max(0, lst[0] - 4) if not before else max(subj[1], lst[0] - 4)
    right_hi = min(n, lst[1] + 4) if before else min(subj[0], lst[1] + 4)
    first = subj if subj[0] <= lst[0] else lst
    second = lst if first is subj else subj
    # cues inside the object or between the pair count fully; next to the
    # object on its far side less; around the whole pair least
    near_lo, near_hi = (left_lo, lst[0]) if not before else (lst[1], right_hi)
    # a clause break between the pair ("X lowers the risk of Y but increases the
    # risk of Z"): cues on the far side of it from the object count little
    # (dev splits: one wrong pair fewer on BC5CDR, one more on BioRED)
    brk = [k for k in range(b_lo, b_hi) if tokens[k].lower in CLAUSE_BREAKS]
    if brk:
        cut = brk[-1] if before else brk[0]
        between = [(cut + 1, b_hi, 1.0), (b_lo, cut, 0.3)] if before else [(b_lo, cut, 1.0), (cut + 1, b_hi, 0.3)]
    else:
        between = [(b_lo, b_hi, 1.0)]
    zones = [
        (obj[0], obj[1], 1.0),
        *between,
        (near_lo, near_hi, 0.6),
        (max(0, first[0] - 6), first[0], 0.3),
        (second[1], min(n, second[1] + 6), 0.3),
    ]
    if otype in (EntityType.MECHANISM, EntityType.TARGET):
        found = locate_cues(tokens, MECHANISM, zones)
        total, best, top = _weighted(found)
        if best is not None:
            # of equally weighted actions, the one nearest the target names it
            # ("a partial agonist at mu receptors and an antagonist at kappa receptors")
            ties = [c for c, w in found if c.strength * w == top]
            best = min(ties, key=lambda c: (min(abs(c.start - obj[1]), abs(obj[0] - c.end)), c.start))
        # the mechanism's own action noun names the action ("through 5-HT3
        # receptor antagonism", "with noradrenaline reuptake inhibition")
        own = [c for c, _ in found if obj[0] <= c.start and c.end <= obj[1] and c.label != "acts_through"]
        if own:
            best = min(own, key=lambda c: c.start)
        pred = best.label if best else "acts_through"
        if (
            pred == "inhibits" and tokens[best.start].lower.startswith("block")
            and any(t.lower.startswith("receptor") for t in tokens[obj[0] : obj[1]])
        ):
            pred = "antagonizes"  # "blocks 5-HT3 receptors"
        return Judgement(RelationClass.MECHANISM, pred, None, min(1.0, 0.5 + total / 2))
    if otype == EntityType.OUTCOME:
        lo = subj[1] if before else 0
        direction, cue = direction_for(tokens, obj, lo)
        if direction is None and lst[0] < obj[0]:
            # an item of a list takes the change word in front of the list
            direction, cue = direction_for(tokens, (lst[0], lst[0]), lo, right=False)
        if direction == "decrease":
            return Judgement(RelationClass.OUTCOME, "decreases", Direction.DECREASE, 1.0)
        if direction == "increase":
            return Judgement(RelationClass.OUTCOME, "increases", Direction.INCREASE, 1.0)
        return Judgement(RelationClass.OUTCOME, "affects", None, 0.6)
    adv_cues = [
        (c, w) for c, w in locate_cues(tokens, ADVERSE, zones)
        # "less opioid-induced hyperalgesia": the object names its own cause
        if not (obj[0] < c.start < obj[1] and tokens[c.start].lower.startswith("induc"))
    ]
    adv_total, adv_best, adv_top = _weighted(adv_cues)
    # a change word between the pair acting on the condition: "X reduced
    # atherosclerosis", "X attenuates Y-induced injury", "pain was relieved by X"
    relief = _relief_cues(tokens, subj, lst, before)
    second = [c for c, _ in relief if before and _second_verb(tokens, c, subj[1])]
    if second:
        # "X produces analgesia and dampens inflammation": the first verb's cues are not the object's
        adv_cues = [(c, w) for c, w in adv_cues if not (b_lo <= c.start < second[0].start)]
        adv_total, adv_best, adv_top = _weighted(adv_cues)
    if otype == EntityType.ADVERSE_EFFECT:
        if relief and not find_cues(tokens, ADVERSE, b_lo, b_hi) and not any(
            c.label in _WORSENING for c in find_cues(tokens, INCREASE, b_lo, b_hi)
        ):
            # "X improves the memory deficits caused by Y": X relieves the effect
            total, best, top = _weighted(relief)
            return Judgement(RelationClass.TREATS, best.label, None, _strength(total, top))
        pred = "risks" if adv_best is not None and adv_best.label == "risks" else "causes"
        return Judgement(
            RelationClass.ADVERSE, pred, None, min(1.0, 0.6 + adv_total / 2),
            explicit_cause(tokens, subj, lst, before), named_as_effect(tokens, lst, subj),
        )
    treat_cues = [
        (c, w) for c, w in locate_cues(tokens, TREAT, zones)
        if c.strength >= _MIN_TREAT and not _administration(tokens, subj, c)
    ]
    treat_cues += relief
    if not before and subj[0] - lst[1] <= _TREATED_WITH_GAP + 4:
        # "<condition> treated with <drug>": the phrase right after the condition
        treat_cues += [
            (Cue("treats", c.start, c.end, c.strength), 1.0)
            for c in find_cues(tokens, TREATED_WITH, lst[1], min(subj[0], lst[1] + _TREATED_WITH_GAP + 4))
            if c.start <= lst[1] + _TREATED_WITH_GAP
        ]
    tr_total, tr_best, tr_top = _weighted(treat_cues)
    inside = [(c, w) for c, w in adv_cues if any(t.start <= c.start and c.end <= t.end for t, _ in treat_cues)]
    if inside:  # "risk" inside "lowers the risk of" is no adverse cue
        adv_total, adv_best, adv_top = _weighted([cw for cw in adv_cues if cw not in inside])
    if explicit_cause(tokens, subj, lst, before):  # "X-induced Y", "the toxic effects of X"
        label = adv_best.label if adv_best is not None else "causes"
        return Judgement(RelationClass.ADVERSE, label, None, 1.0, True)
    if adv_total > tr_total and adv_best is not None:
        return Judgement(
            RelationClass.ADVERSE, adv_best.label, None, _strength(adv_total, adv_top),
            named=named_as_effect(tokens, lst, subj),
        )
    if tr_best is not None:
        strong = [c for c, w in treat_cues if c.strength >= 1.0]
        label = tr_best.label
        if strong and label == "investigated_for":
            label = max(strong, key=lambda c: (c.strength, -c.start)).label
        return Judgement(RelationClass.TREATS, label, None, _strength(tr_total, tr_top))
    return Judgement(RelationClass.ASSOCIATION, "associated_with", None, 0.3)


def confidence_score(strength: float, distance: int, hedge: float, implicit: bool) -> float:
    """Confidence in [0.05, 0.99] from cue strength, token distance between
    the arguments, hedging strength and whether the subject was implicit.

    Examples
    --------
    >>> confidence_score(1.0, 2, 0.0, False) > confidence_score(1.0, 2, 0.8, False)
    True
    """
    c = 0.35 + 0.55 * strength
    c *= 1.0 / (1.0 + max(0, distance - 4) / 20.0)
    if implicit:
        c *= 0.75
    c *= 1.0 - 0.3 * hedge
    return round(min(0.99, max(0.05, c)), 4)
