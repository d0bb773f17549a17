"""Typed drug relations (extractor.relations): classes, subjects, cues,
evidence and merging."""

from __future__ import annotations

import random
import re

import pytest

from extractor.model import (
    Article,
    Direction,
    Entity,
    EntityType,
    Evidence,
    Mention,
    Paragraph,
    Relation,
    RelationClass,
    Section,
    Sentence,
)
from extractor.relations import extract_relations, merge_relations, sentence_relations

D, C, O, M, A = (
    EntityType.DRUG,
    EntityType.CONDITION,
    EntityType.OUTCOME,
    EntityType.MECHANISM,
    EntityType.ADVERSE_EFFECT,
)


def build(paragraphs, lexicon, sentence_citations=None):
    """An article from ``[(section, text, paragraph citations), ...]`` and
    mentions of every ``lexicon`` surface form ``{text: (type, id)}``.

    Sentences are split at ". "; ``sentence_citations`` maps a sentence
    index to its own citations.
    """
    text = ""
    sections: dict[str, list[Paragraph]] = {}
    sentences = []
    for name, body, cites in paragraphs:
        if text:
            text += "\n\n"
        start = len(text)
        text += body
        paras = sections.setdefault(name, [])
        idx = len(paras) + 1
        paras.append(Paragraph(idx, start, len(text), tuple(cites)))
        pos = start
        for part in re.split(r"(?<=\.) ", body):
            s = text.index(part, pos)
            k = len(sentences)
            own = tuple((sentence_citations or {}).get(k, ()))
            sentences.append(Sentence(s, s + len(part), name, idx, own))
            pos = s + len(part)
    secs = tuple(
        Section(name, ps[0].start, ps[-1].end, tuple(ps)) for name, ps in sections.items()
    )
    art = Article("doc1", "doc1.md", "markdown", "", text, sections=secs, sentences=tuple(sentences))
    mentions = []
    for surface, (typ, cid) in lexicon.items():
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            si = next(i for i, s in enumerate(sentences) if s.start <= m.start() < s.end)
            mentions.append(Mention(m.start(), m.end(), surface, typ, cid, surface.lower(), si))
    return art, mentions


def find(rels, subject=None, obj=None, cls=None):
    return [
        r for r in rels
        if (subject is None or r.subject.name == subject)
        and (obj is None or r.object.name == obj)
        and (cls is None or r.relation_class == cls)
    ]


# ------------------------------------------------------------------ classes


def test_classes_predicates_and_directions():
    art, ms = build(
        [("Results", "Memantine blocks the NMDA receptor. Memantine reduced agitation scores and "
                     "improved cognition. Memantine treats Alzheimer disease. Memantine caused dizziness.", [])],
        {
            "Memantine": (D, None), "NMDA receptor": (M, None), "agitation scores": (O, None),
            "cognition": (O, None), "Alzheimer disease": (C, None), "dizziness": (A, None),
        },
    )
    rels = merge_relations(extract_relations(art, ms))
    (mech,) = find(rels, obj="nmda receptor")
    # blocking a receptor is antagonism
    assert (mech.relation_class, mech.predicate) == (RelationClass.MECHANISM, "antagonizes")
    (dec,) = find(rels, obj="agitation scores")
    assert (dec.predicate, dec.direction) == ("decreases", Direction.DECREASE)
    (inc,) = find(rels, obj="cognition")
    assert (inc.predicate, inc.direction) == ("increases", Direction.INCREASE)
    (tr,) = find(rels, obj="alzheimer disease")
    assert (tr.relation_class, tr.predicate) == (RelationClass.TREATS, "treats")
    (adv,) = find(rels, obj="dizziness")
    assert (adv.relation_class, adv.predicate) == (RelationClass.ADVERSE, "causes")
    assert tr.biolink_predicate == "biolink:treats"
    for r in rels:
        assert 0.0 <= r.confidence <= 1.0


def test_condition_framed_as_adverse_effect():
    art, ms = build(
        [("Body", "Amiodarone-induced hypothyroidism is common. "
                  "Vincristine has a known risk of peripheral neuropathy.", [])],
        {"Amiodarone": (D, None), "hypothyroidism": (C, None), "Vincristine": (D, None),
         "peripheral neuropathy": (C, None)},
    )
    rels = sentence_relations(art, ms)
    assert find(rels, "amiodarone", "hypothyroidism")[0].relation_class == RelationClass.ADVERSE
    r = find(rels, "vincristine", "peripheral neuropathy")[0]
    assert (r.relation_class, r.predicate) == (RelationClass.ADVERSE, "risks")


def test_coordinated_objects_share_cues():
    art, ms = build(
        [("Safety", "Clozapine carries potential side effects such as agranulocytosis, seizures, and myocarditis.", [])],
        {"Clozapine": (D, None), "agranulocytosis": (A, None), "seizures": (C, None), "myocarditis": (C, None)},
    )
    rels = sentence_relations(art, ms)
    objs = {r.object.name: r for r in rels}
    assert set(objs) == {"agranulocytosis", "seizures", "myocarditis"}
    for r in objs.values():
        assert r.relation_class == RelationClass.ADVERSE
        assert r.hedged


def test_coordinated_drugs_and_comparator():
    art, ms = build(
        [("Trial", "Clonidine and dexmedetomidine reduced postoperative shivering compared with pethidine.", [])],
        {"Clonidine": (D, None), "dexmedetomidine": (D, None), "pethidine": (D, None),
         "postoperative shivering": (O, None)},
    )
    rels = sentence_relations(art, ms)
    subjects = {r.subject.name for r in rels}
    assert subjects == {"clonidine", "dexmedetomidine"}
    assert all(r.direction == Direction.DECREASE for r in rels)


def test_list_items_take_the_change_word_before_the_list_only():
    art, ms = build(
        [("Body", "Sertraline improved mood, sleep quality and appetite. "
                  "Trials of venlafaxine assessed anxiety scores, the restoration of social function.", [])],
        {"Sertraline": (D, None), "mood": (O, None), "sleep quality": (O, None), "appetite": (O, None),
         "venlafaxine": (D, None), "anxiety scores": (O, None), "social function": (O, None)},
    )
    rels = sentence_relations(art, ms)
    for obj in ("mood", "sleep quality", "appetite"):
        assert find(rels, obj=obj)[0].direction == Direction.INCREASE, obj
    assert find(rels, obj="anxiety scores")[0].direction is None
    assert find(rels, obj="social function")[0].direction == Direction.INCREASE


def test_drug_inside_outcome_phrase_is_not_a_subject():
    art, ms = build(
        [("Body", "Pregabalin lowered the consumption of morphine.", [])],
        {"Pregabalin": (D, None), "consumption": (O, None), "morphine": (D, None)},
    )
    rels = sentence_relations(art, ms)
    assert {r.subject.name for r in rels} == {"pregabalin"}


def test_ligand_naming_a_target_is_not_a_subject():
    art, ms = build(
        [("Body", "Esketamine acts at the glutamate (NMDA) receptor and relieves depression.", [])],
        {"Esketamine": (D, None), "glutamate": (D, None), "NMDA) receptor": (M, None),
         "depression": (C, None)},
    )
    rels = sentence_relations(art, ms)
    assert {r.subject.name for r in rels} == {"esketamine"}
    assert {r.relation_class for r in rels} == {RelationClass.MECHANISM, RelationClass.TREATS}


def test_ligand_naming_a_drug_class_is_not_a_subject():
    art, ms = build(
        [("Body", "Hyperprolactinemia induced by the dopamine antagonist sulpiride was reversible.", [])],
        {"dopamine": (D, "MESH:D004298"), "sulpiride": (D, "MESH:D013469"), "Hyperprolactinemia": (C, "MESH:D006966")},
    )
    assert {(r.subject.name, str(r.relation_class)) for r in sentence_relations(art, ms)} == {("sulpiride", "adverse")}
    art, ms = build(
        [("Body", "Methyldopa injected onto serotonin neurons elicits hypotension.", [])],
        {"Methyldopa": (D, "MESH:D008750"), "serotonin": (D, "MESH:D012701"), "hypotension": (C, "MESH:D007022")},
    )
    assert {r.subject.name for r in sentence_relations(art, ms)} == {"methyldopa"}


# ------------------------------------------------------------------ negation / hedging


def test_negated_relation_is_kept_apart_from_positive():
    art, ms = build(
        [("Results", "Metformin did not reduce the risk of stroke.", []),
         ("Discussion", "Metformin reduces the risk of stroke in some cohorts.", [])],
        {"Metformin": (D, None), "stroke": (C, None)},
    )
    rels = merge_relations(extract_relations(art, ms))
    negs = [r for r in rels if r.negated]
    pos = [r for r in rels if not r.negated]
    assert len(negs) == 1 and len(pos) == 1
    assert negs[0].evidence[0].section == "Results"
    assert pos[0].evidence[0].section == "Discussion"
    assert pos[0].predicate == "prevents"


def test_hedging_and_confidence():
    art, ms = build(
        [("A", "Lamotrigine may relieve trigeminal neuralgia.", []),
         ("B", "Carbamazepine relieves trigeminal neuralgia.", [])],
        {"Lamotrigine": (D, None), "Carbamazepine": (D, None), "trigeminal neuralgia": (C, None)},
    )
    rels = sentence_relations(art, ms)
    hedged = find(rels, "lamotrigine")[0]
    plain = find(rels, "carbamazepine")[0]
    assert hedged.hedged and not plain.hedged
    assert hedged.confidence < plain.confidence


# ------------------------------------------------------------------ implicit subjects


def test_pronoun_and_implicit_subjects_resolve_to_drug_in_context():
    art, ms = build(
        [
            ("Introduction", "Baclofen is a GABA-B agonist. It reduces spasticity in multiple sclerosis. "
                             "Studies in this area report improved mobility.", ["1"]),
            ("Introduction", "Reviews in this area describe sedation as a side effect.", ["2"]),
        ],
        {"Baclofen": (D, "MESH:D001418"), "GABA-B": (M, None), "spasticity": (O, None),
         "multiple sclerosis": (C, None), "mobility": (O, None), "sedation": (A, None)},
    )
    rels = sentence_relations(art, ms)
    for obj in ("spasticity", "multiple sclerosis", "mobility", "sedation"):
        (r,) = find(rels, obj=obj)
        assert r.subject.id == "MESH:D001418", obj
    assert find(rels, obj="sedation")[0].relation_class == RelationClass.ADVERSE
    assert find(rels, obj="mobility")[0].direction == Direction.INCREASE


def test_implicit_subject_prefers_most_recent_drug_of_paragraph():
    art, ms = build(
        [("Body", "Fentanyl was used for induction. Remifentanil was used for maintenance. "
                  "This agent caused bradycardia.", [])],
        {"Fentanyl": (D, None), "Remifentanil": (D, None), "bradycardia": (A, None)},
    )
    (r,) = sentence_relations(art, ms)
    assert r.subject.name == "remifentanil"


def test_implicit_subject_falls_back_to_dominant_drug():
    art, ms = build(
        [("Methods", "Tramadol was compared with tapentadol. Tramadol doses were titrated. "
                     "Tramadol levels were measured.", []),
         ("Results", "Nausea was the main side effect.", [])],
        {"Tramadol": (D, None), "tapentadol": (D, None), "Nausea": (A, None)},
    )
    (r,) = sentence_relations(art, ms)
    assert r.subject.name == "tramadol"


def test_implicit_subject_refers_back_never_to_a_later_drug():
    """A drug named only after a sentence is not that sentence's implicit
    subject (the sentence's own subject, e.g. an unrecognised drug class,
    is not a drug we know of)."""
    art, ms = build(
        [("Results", "Beta-blockers caused fatigue in most patients. "
                     "Sertraline improved depression.", [])],
        {"fatigue": (A, None), "Sertraline": (D, None), "depression": (C, None)},
    )
    rels = sentence_relations(art, ms)
    assert not find(rels, obj="fatigue")
    assert find(rels, "sertraline", obj="depression")


def test_no_drug_anywhere_means_no_relation():
    art, ms = build([("Body", "Nausea and vomiting were frequent.", [])],
                    {"Nausea": (A, None), "vomiting": (A, None)})
    assert extract_relations(art, ms) == []


# ------------------------------------------------------------------ evidence


def test_evidence_fields():
    art, ms = build(
        [("Introduction", "Ondansetron prevents postoperative nausea. Ondansetron may prolong QT interval.", ["4"]),
         ("Discussion", "Ondansetron reduced vomiting episodes.", ["7", "8"])],
        {"Ondansetron": (D, None), "postoperative nausea": (C, None), "QT interval": (O, None),
         "vomiting episodes": (O, None)},
        sentence_citations={1: ("5",)},
    )
    rels = extract_relations(art, ms)
    assert rels
    for r in rels:
        (e,) = r.evidence
        assert e.sentence == art.text[e.start : e.end]
        assert e.doc_id == "doc1" and e.reader == "markdown"
        s = art.sentences[e.sentence_index]
        assert (s.start, s.end, s.section, s.paragraph) == (e.start, e.end, e.section, e.paragraph)
    by_obj = {r.object.name: r.evidence[0] for r in rels}
    assert by_obj["postoperative nausea"].citations == ("4",)  # from the paragraph
    assert by_obj["qt interval"].citations == ("5",)  # the sentence's own
    assert by_obj["vomiting episodes"].citations == ("7", "8")
    assert by_obj["vomiting episodes"].section == "Discussion"


# ------------------------------------------------------------------ merging


def _rel(drug, obj, pred="treats", ev=(), conf=0.5, hedged=False, neg=False, direction=None,
         cls=RelationClass.TREATS):
    return Relation(Entity(drug, None, D), pred, cls, Entity(obj, None, C), negated=neg,
                    hedged=hedged, confidence=conf, direction=direction, evidence=tuple(ev))


def _ev(doc, start, sec="S"):
    return Evidence(doc, sec, 1, f"sentence at {start}", start, start + 10, ("1",), 0, "text")


def test_merge_relations_merges_evidence_and_is_order_independent():
    rels = []
    for i in range(30):
        drug = ["Aspirin", "aspirin", "Heparin"][i % 3]
        rels.append(_rel(drug, "thrombosis", ev=[_ev(f"d{i % 4}", i * 10)], conf=0.1 + (i % 5) / 10,
                         hedged=(i % 2 == 0)))
    rels.append(_rel("aspirin", "thrombosis", ev=[_ev("d0", 0)], conf=0.3, hedged=True))  # duplicate evidence
    rels.append(_rel("aspirin", "thrombosis", ev=[_ev("d9", 5)], neg=True))
    expected = merge_relations(rels)
    for seed in range(5):
        shuffled = rels[:]
        random.Random(seed).shuffle(shuffled)
        assert merge_relations(shuffled) == expected
    assert [r.key() for r in expected] == sorted(r.key() for r in expected)
    pos = [r for r in expected if r.subject.key() == "name:aspirin" and not r.negated]
    assert len(pos) == 1 and len([r for r in expected if r.negated]) == 1
    ev = pos[0].evidence
    assert len(ev) == len(set(ev)) == 20
    assert list(ev) == sorted(ev, key=lambda e: e.sort_key())
    assert not pos[0].hedged  # some evidence was not hedged
    assert 0.99 < pos[0].confidence <= 1.0


def test_merge_hedged_only_when_all_hedged_and_direction_kept():
    a = _rel("Niacin", "HDL", "increases", [_ev("d", 1)], 0.5, True, direction=Direction.INCREASE,
             cls=RelationClass.OUTCOME)
    b = _rel("Niacin", "HDL", "increases", [_ev("d", 2)], 0.5, True, direction=Direction.INCREASE,
             cls=RelationClass.OUTCOME)
    (m,) = merge_relations([a, b])
    assert m.hedged and m.direction == Direction.INCREASE
    assert m.confidence == pytest.approx(0.75)
    assert m.relation_class == RelationClass.OUTCOME


# ------------------------------------------------------------------ document level (round 2)


def _constant_model(probability, threshold=0.3, add_threshold=0.9):
    import math

    from extractor.relation_model import RelationModel

    return RelationModel(
        weights={}, intercept=math.log(probability / (1 - probability)),
        threshold=threshold, add_threshold=add_threshold,
    )


@pytest.mark.parametrize(
    "probability, nausea, asthma",
    [(0.5, "adverse", "adverse"), (0.2, "adverse", "association"), (0.1, "association", "association")],
)
def test_model_gates_adverse_readings_strongly_cued_adverse_effects_less(monkeypatch, probability, nausea, asthma):
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(probability))
    art, ms = build(
        [("Abstract", "Drugol led to severe nausea. Drugol led to asthma.", [])],
        {"Drugol": (D, "MESH:C900001"), "nausea": (A, "MESH:D009325"), "asthma": (C, "MESH:D001249")},
    )
    rels = merge_relations(relations.extract_relations(art, ms))
    classes = {r.object.name: str(r.relation_class) for r in rels}
    assert classes == {"nausea": nausea, "asthma": asthma}


def test_treatment_needs_the_drug_or_an_anaphor_in_the_sentence():
    lex = {"Drugol": (D, "MESH:C900001"), "Parkinson disease": (C, "MESH:D010300")}
    art, ms = build([("Abstract", "Drugol was given to rats. Surgery improved Parkinson disease.", [])], lex)
    assert not find(extract_relations(art, ms), obj="parkinson disease", cls=RelationClass.TREATS)
    art, ms = build([("Abstract", "Drugol was given to rats. It improved Parkinson disease.", [])], lex)
    (r,) = find(extract_relations(art, ms), obj="parkinson disease", cls=RelationClass.TREATS)
    assert r.subject.name == "drugol" and r.evidence[0].sentence == "It improved Parkinson disease."


def test_document_level_treats_for_a_drug_the_sentence_reading_left_out():
    text = "Drugol in combination with low doses of Drugam can be effective in alleviation of migraine."
    lex = {"Drugol": (D, "MESH:C900001"), "Drugam": (D, "MESH:C900002"), "migraine": (C, "MESH:D008881")}
    art, ms = build([("Abstract", text, [])], lex)
    assert [r.subject.name for r in sentence_relations(art, ms)] == ["drugam"]
    rels = merge_relations(extract_relations(art, ms))
    treats = {r.subject.name: r for r in rels if r.relation_class == RelationClass.TREATS}
    assert set(treats) == {"drugol", "drugam"}
    added = treats["drugol"]
    assert added.confidence < treats["drugam"].confidence
    assert [e.sentence for e in added.evidence] == [text] and not added.negated



def test_condition_treated_with_a_drug_is_a_treatment_but_patients_treated_with_it_are_not():
    lex = {"Drugol": (D, "MESH:C900001"), "epilepsy": (C, "MESH:D004827")}
    art, ms = build([("Abstract", "Refractory epilepsy treated with Drugol was studied in 30 children.", [])], lex)
    (r,) = find(merge_relations(extract_relations(art, ms)), "drugol", "epilepsy")
    assert r.relation_class == RelationClass.TREATS and r.predicate == "treats"
    art, ms = build([("Abstract", "Children treated with Drugol developed epilepsy.", [])], lex)
    assert not find(merge_relations(extract_relations(art, ms)), "drugol", "epilepsy", RelationClass.TREATS)


def test_such_as_and_this_study_do_not_point_back_to_the_drug():
    lex = {"Drugol": (D, "MESH:C900001"), "Parkinson disease": (C, "MESH:D010300")}
    for second in ("Surgical options such as pallidotomy improve Parkinson disease.",
                   "This study improved care of Parkinson disease."):
        art, ms = build([("Abstract", "Drugol was given to rats. " + second, [])], lex)
        assert not find(extract_relations(art, ms), obj="parkinson disease", cls=RelationClass.TREATS), second
    art, ms = build([("Abstract", "Drugol was given to rats. This drug improved Parkinson disease.", [])], lex)
    assert find(extract_relations(art, ms), "drugol", "parkinson disease", RelationClass.TREATS)


@pytest.mark.parametrize(
    ("sentence", "drug", "obj", "cls"),
    [
        ("Drugol significantly reduced atherosclerosis in mice.", "drugol", "atherosclerosis", RelationClass.TREATS),
        ("In mice, atherosclerosis was attenuated by Drugol.", "drugol", "atherosclerosis", RelationClass.TREATS),
        ("Successful therapy with Drugol for vein thrombosis.", "drugol", "vein thrombosis", RelationClass.TREATS),
        ("Drugol reduced blood flow and caused atherosclerosis.", "drugol", "atherosclerosis", RelationClass.ADVERSE),
        ("The most common adverse effect of Drugol is reversible mild anemia.", "drugol", "anemia",
         RelationClass.ADVERSE),
        ("Drugol infusions reduce blood flow and shorten the duration of vein thrombosis.", "drugol",
         "vein thrombosis", RelationClass.TREATS),
    ],
)
def test_relief_verbs_between_drug_and_condition_state_a_treatment(sentence, drug, obj, cls):
    """"X reduced Y", "Y was attenuated by X", "therapy with X for Y" and "X
    reduces A and shortens the duration of Y" are treatments; an explicit adverse cue between them still wins, and
    "reversible" is no relief verb."""
    lex = {"Drugol": (D, "MESH:C900001"), "atherosclerosis": (C, "MESH:D050197"),
           "vein thrombosis": (C, "MESH:D020246"), "anemia": (C, "MESH:D000740")}
    art, ms = build([("Abstract", sentence, [])], {k: v for k, v in lex.items() if k.lower() in sentence.lower()})
    (r,) = find(sentence_relations(art, ms), drug, obj)
    assert r.relation_class == cls, sentence


def test_drug_relieving_another_drugs_adverse_effect():
    """In "X attenuates Y-induced Z" and "X improves the Z caused by Y", X
    treats Z and Y causes it."""
    lex = {"Drugol": (D, "MESH:C900001"), "Toxamine": (D, "MESH:C900002"),
           "myocardial injury": (C, "MESH:D009202"), "memory deficits": (A, "MESH:D008569")}
    for sentence, obj in (
        ("Drugol attenuates Toxamine-induced myocardial injury in rats.", "myocardial injury"),
        ("Drugol improves the memory deficits caused by Toxamine.", "memory deficits"),
    ):
        art, ms = build([("Abstract", sentence, [])], {k: v for k, v in lex.items() if k in sentence})
        rels = sentence_relations(art, ms)
        assert [r.relation_class for r in find(rels, "drugol", obj)] == [RelationClass.TREATS], sentence
        assert [r.relation_class for r in find(rels, "toxamine", obj)] == [RelationClass.ADVERSE], sentence


def test_a_pair_read_as_adverse_and_as_treated_keeps_the_adverse_reading(monkeypatch):
    """When one document reads a drug-disease pair both ways, the adverse
    reading wins (the treatment reading of another disease stays)."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.5, add_threshold=0.99))
    lex = {"Drugol": (D, "MESH:C900001"), "dyskinesia": (C, "MESH:D004409"), "tremor": (C, "MESH:D014202")}
    art, ms = build(
        [("Abstract", "Drugol caused dyskinesia in rats. Treatment with Drugol improved dyskinesia and tremor.", [])],
        lex,
    )
    assert {(r.relation_class, r.object.name) for r in sentence_relations(art, ms)} >= {
        (RelationClass.ADVERSE, "dyskinesia"), (RelationClass.TREATS, "dyskinesia"),
    }
    rels = merge_relations(relations.extract_relations(art, ms))
    assert {(str(r.relation_class), r.object.name) for r in rels} == {("adverse", "dyskinesia"), ("treats", "tremor")}


@pytest.mark.parametrize(
    "sentence",
    ["Drugol levels were similar in asthma patients and healthy controls.",
     "Drugol was given in a controlled study of asthma.",
     "Drugol-treated mice developed asthma."],
)
def test_control_groups_and_drug_treated_animals_state_no_treatment(sentence):
    """"controls", "controlled study" and "X-treated mice" are study design,
    not a drug managing or treating the condition."""
    lex = {"Drugol": (D, "MESH:C900001"), "asthma": (C, "MESH:D001249")}
    art, ms = build([("Abstract", sentence, [])], lex)
    assert not find(sentence_relations(art, ms), "drugol", "asthma", RelationClass.TREATS), sentence


def test_model_gate_is_lower_for_a_strongly_cued_condition(monkeypatch):
    """Just below the model's threshold, "Drugol led to asthma" stays adverse;
    the weakly cued "asthma occurred after Drugol" becomes an association."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.25))
    lex = {"Drugol": (D, "MESH:C900001"), "asthma": (C, "MESH:D001249")}
    for sentence, cls in (("Drugol led to asthma in two patients.", "adverse"),
                          ("In two patients asthma occurred after Drugol.", "association")):
        art, ms = build([("Abstract", sentence, [])], lex)
        assert [str(r.relation_class) for r in relations.extract_relations(art, ms)] == [cls], sentence


@pytest.mark.parametrize(
    ("sentence", "cls"),
    [("Drugol-induced asthma was seen in two patients.", "adverse"),
     ("In two patients, asthma due to Drugol was seen.", "adverse"),
     ("Drugol can also cause asthma and rhinitis.", "adverse"),
     ("Drugol led to asthma in two patients.", "association"),
     ("Drugol given to two patients caused asthma.", "association")],
)
def test_explicit_causal_construction_survives_a_doubtful_model(monkeypatch, sentence, cls):
    """Well below the model's threshold, "X-induced Y", "Y due to X" and "X
    (can) cause(s) Y" stay adverse; "X led to Y" (a strong but looser cue)
    and a causal verb whose subject is not the drug become associations."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.15))
    lex = {"Drugol": (D, "MESH:C900001"), "asthma": (C, "MESH:D001249")}
    art, ms = build([("Abstract", sentence, [])], lex)
    assert [str(r.relation_class) for r in relations.extract_relations(art, ms)] == [cls], sentence


def test_condition_of_the_patients_studied_is_no_adverse_effect():
    """In "patients with X developed Y after Drugol", X says who was treated."""
    lex = {"Drugol": (D, "MESH:C900001"), "rheumatoid arthritis": (C, "MESH:D001172"),
           "proteinuria": (C, "MESH:D011507")}
    art, ms = build([("Abstract", "Four patients with rheumatoid arthritis developed proteinuria after "
                                  "treatment with Drugol.", [])], lex)
    adverse = {r.object.name for r in sentence_relations(art, ms) if r.relation_class == RelationClass.ADVERSE}
    assert adverse == {"proteinuria"}


def test_document_model_does_not_contradict_a_relief_verb(monkeypatch):
    """"Drugam reverses catalepsy induced by Drugol": even when the model
    relates Drugam and catalepsy, it does not add "Drugam induces catalepsy"."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.6, add_threshold=0.5))
    lex = {"Drugam": (D, "MESH:C900002"), "Drugol": (D, "MESH:C900001"), "catalepsy": (A, "MESH:D002375")}
    art, ms = build([("Abstract", "The new drug, Drugam, reverses catalepsy induced by Drugol.", [])], lex)
    got = {(r.subject.name, str(r.relation_class)) for r in merge_relations(relations.extract_relations(art, ms))}
    assert got == {("drugam", "treats"), ("drugol", "adverse")}


@pytest.mark.parametrize(
    ("sentence", "obj", "cls"),
    [("Cholangitis related to long-term Drugol therapy was fatal.", "Cholangitis", RelationClass.ADVERSE),
     ("Pretreatment protected rats from the hepatotoxic effects of Drugol.", "hepatotoxic", RelationClass.ADVERSE),
     ("Cholangitis improved with Drugol.", "Cholangitis", RelationClass.TREATS)],
)
def test_drug_therapy_names_administration_and_effects_of_a_drug_its_harm(sentence, obj, cls):
    """"X therapy" right after the drug is its administration, not a
    treatment cue; "<harm> effects of X" is an explicit cause."""
    lex = {"Drugol": (D, "MESH:C900001"), obj: (C, "MESH:D002761")}
    art, ms = build([("Abstract", sentence, [])], lex)
    (r,) = find(sentence_relations(art, ms), "drugol", obj.lower())
    assert r.relation_class == cls, sentence


@pytest.mark.parametrize(
    ("sentence", "cls"),
    [("Monitoring is essential due to potential cardiovascular side effects of Drugol.", "adverse"),
     ("Drugol is limited by side effects such as hallucinations and nausea.", "adverse"),
     ("Drugol trials reported adverse events, including but not limited to nausea.", "adverse"),
     ("Drugol was associated with nausea in two patients.", "association")],
)
def test_object_named_an_adverse_effect_survives_a_doubtful_model(monkeypatch, sentence, cls):
    """A condition the text names a side effect or adverse event ("Y side
    effects", "side effects such as Y") is stated explicitly: it stays
    adverse where a looser cue ("associated with") is demoted."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.15))
    lex = {"Drugol": (D, "MESH:C900001"), "cardiovascular": (A, "MESH:D002318"),
           "hallucinations": (A, "MESH:D006212"), "nausea": (C, "MESH:D009325")}
    art, ms = build([("Abstract", sentence, [])], lex)
    classes = {str(r.relation_class) for r in relations.extract_relations(art, ms)}
    assert classes == {cls}, sentence


@pytest.mark.parametrize("drug", ["lidocaine", "naloxone", "gabapentin"])
def test_review_keeps_its_stated_side_effects_whatever_the_drug(seed_path, fast_extractor, tmp_path, drug):
    """The seed review rewritten about another drug still reports that drug's
    cardiovascular side effects as adverse, not as a mere association (the
    document model, trained on abstracts, rates this pair low for these drugs)."""
    from extractor.io.readers import read_articles

    text = seed_path.read_text(encoding="utf-8")
    text = text.replace("ketamine", drug).replace("Ketamine", drug.capitalize()).replace("KETAMINE", drug.upper())
    path = tmp_path / f"{drug}_review.md"
    path.write_text(text, encoding="utf-8")
    (article,) = read_articles(path).articles
    result = fast_extractor.process(article)
    cardio = {str(r.relation_class) for r in result.relations
              if r.subject.name.lower() == drug and r.object.id == "MESH:D002318" and not r.negated}
    assert cardio == {"adverse"}


def test_chemical_inside_a_process_noun_is_no_subject():
    """In "It lowers hepatic glucose production through activation of AMPK",
    glucose names what is produced; "It" (the drug) acts through AMPK."""
    art, ms = build(
        [("Introduction", "Drugol is used in diabetes. It lowers hepatic glucose production "
                          "through activation of AMPK.", [])],
        {"Drugol": (D, "MESH:C900001"), "glucose": (D, "MESH:D005947"), "AMPK": (M, "MESH:D055372")},
    )
    (r,) = find(sentence_relations(art, ms), obj="ampk")
    assert r.subject.id == "MESH:C900001"


def test_negated_adverse_effect_is_not_demoted_by_a_doubtful_model(monkeypatch):
    """"Drugol did not increase the risk of hypoglycaemia" states that Drugol
    does not cause it: the document model, which only learned what drugs do
    cause, does not turn the statement into a mere association."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.01))
    lex = {"Drugol": (D, "MESH:C900001"), "hypoglycaemia": (C, "MESH:D007003")}
    art, ms = build([("Abstract", "Drugol did not increase the risk of hypoglycaemia.", [])], lex)
    (r,) = relations.extract_relations(art, ms)
    assert (r.relation_class, r.negated) == (RelationClass.ADVERSE, True)


def test_patients_at_risk_are_no_adverse_effect():
    """"Drugol can cause lactic acidosis, particularly in patients with renal
    impairment": the renal impairment says who is at risk."""
    lex = {"Drugol": (D, "MESH:C900001"), "lactic acidosis": (A, "MESH:D000140"),
           "renal impairment": (A, "MESH:D051437")}
    art, ms = build([("Abstract", "Drugol can rarely cause lactic acidosis, particularly in patients "
                                  "with renal impairment.", [])], lex)
    adverse = {r.object.name for r in sentence_relations(art, ms) if r.relation_class == RelationClass.ADVERSE}
    assert adverse == {"lactic acidosis"}


def test_substrate_naming_an_enzyme_is_no_subject():
    """In "Its action is attributed to inhibition of GABA transaminase and to
    blockade of sodium channels", GABA names the enzyme; "Its" (the drug)
    blocks the channels."""
    art, ms = build(
        [("Introduction", "Drugol is an anticonvulsant. Its action is attributed to inhibition of GABA "
                          "transaminase and to blockade of sodium channels.", [])],
        {"Drugol": (D, "MESH:C900001"), "GABA": (D, "MESH:D005680"), "sodium channels": (M, "MESH:D061566")},
    )
    (r,) = find(sentence_relations(art, ms), obj="sodium channels")
    assert r.subject.id == "MESH:C900001"


def test_background_naming_no_drug_of_a_two_drug_review_is_about_neither():
    """In a review of two drugs named as often, a section naming neither
    ("High opioid doses increase the risk of ileus") states nothing about
    either; with one dominant drug, such a sentence is about that drug."""
    lex = {"Drugol": (D, "MESH:C900001"), "Drugam": (D, "MESH:C900002"), "ileus": (C, "MESH:D045823")}
    two = [("Abstract", "Drugol and Drugam are adjuncts. Drugol blocks channels. Drugam blocks receptors.", []),
           ("Background", "High opioid doses increase the risk of ileus.", [])]
    art, ms = build(two, lex)
    assert find(sentence_relations(art, ms), obj="ileus") == []
    one = [("Abstract", "Drugol is an adjunct. Drugol blocks channels. Drugol is safe.", []),
           ("Background", "High doses increase the risk of ileus.", [])]
    art, ms = build(one, lex)
    (r,) = find(sentence_relations(art, ms), obj="ileus")
    assert r.subject.id == "MESH:C900001"


def test_anaphor_subject_of_a_causal_verb_is_explicit(monkeypatch):
    """"It also causes neurologic depression and cardiac arrhythmia": the
    drug the anaphor points to causes both, whatever the document model says."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.1))
    lex = {"Drugol": (D, "MESH:C900001"), "depression": (C, "MESH:D003866"), "arrhythmia": (C, "MESH:D001145")}
    art, ms = build([("Abstract", "Drugol is used in mania. It also causes depression and arrhythmia.", [])], lex)
    adverse = {r.object.name for r in relations.extract_relations(art, ms) if r.relation_class == RelationClass.ADVERSE}
    assert adverse == {"depression", "arrhythmia"}


@pytest.mark.parametrize(
    ("title", "cls"),
    [("Intravenous Drugol versus Drugam for postoperative pain after spine surgery", "treats"),
     ("Drugol for the treatment of postoperative pain", "treats"),
     ("Drugol-induced postoperative pain", "adverse")],
)
def test_title_drug_for_condition_is_a_treatment(title, cls):
    """A title's "X for Y" says what X is for, even with a weak adverse cue
    ("after surgery"); an explicit "X-induced Y" title stays adverse."""
    lex = {"Drugol": (D, "MESH:C900001"), "Drugam": (D, "MESH:C900002"), "postoperative pain": (C, "MESH:D010149")}
    art, ms = build([("Title", title, [])], lex)
    assert [str(r.relation_class) for r in sentence_relations(art, ms) if r.subject.id == "MESH:C900001"] == [cls]


@pytest.mark.parametrize("verb", ["is widely prescribed for", "is approved for", "is licensed for"])
def test_prescribed_for_states_a_treatment(verb):
    lex = {"Drugol": (D, "MESH:C900001"), "postherpetic neuralgia": (C, "MESH:D051474")}
    art, ms = build([("Introduction", f"Drugol {verb} postherpetic neuralgia.", [])], lex)
    assert [str(r.relation_class) for r in sentence_relations(art, ms)] == ["treats"]


def test_class_named_as_what_a_drug_is_is_no_subject():
    """"Drugol is a selective serotonin reuptake inhibitor (SSRI) approved for
    depression": Drugol is approved for depression, not the class."""
    lex = {"Drugol": (D, "MESH:C900001"), "selective serotonin reuptake inhibitor": (D, "MESH:D017367"),
           "SSRI": (D, "MESH:D017367"), "depression": (C, "MESH:D003866")}
    art, ms = build([("Introduction", "Drugol is a selective serotonin reuptake inhibitor (SSRI) approved "
                                      "for depression.", [])], lex)
    assert {r.subject.id for r in sentence_relations(art, ms)} == {"MESH:C900001"}


def test_effects_of_a_drug_listed_after_it_are_named_adverse_effects(monkeypatch):
    """"The most frequent adverse effects of Drugol are nausea and insomnia"
    names both adverse effects of Drugol, whatever the document model says."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.02))
    lex = {"Drugol": (D, "MESH:C900001"), "nausea": (A, "MESH:D009325"), "insomnia": (C, "MESH:D007319")}
    art, ms = build([("Safety", "The most frequent adverse effects of Drugol are nausea and insomnia.", [])], lex)
    adverse = {r.object.name for r in relations.extract_relations(art, ms) if r.relation_class == RelationClass.ADVERSE}
    assert adverse == {"nausea", "insomnia"}


def test_patients_named_after_the_treated_condition_are_a_population():
    """"Drugol reduces pain in cancer patients": pain is treated; cancer says
    who was treated ("Drugol is effective in patients with depression" still
    treats depression)."""
    lex = {"Drugol": (D, "MESH:C900001"), "pain": (C, "MESH:D010146"), "cancer": (C, "MESH:D009369"),
           "depression": (C, "MESH:D003866")}
    art, ms = build([("Results", "Drugol reduces pain in cancer patients. Drugol is effective in patients "
                                 "with depression.", [])], lex)
    treated = {r.object.name for r in sentence_relations(art, ms) if r.relation_class == RelationClass.TREATS}
    assert treated == {"pain", "depression"}


@pytest.mark.parametrize("sentence", ["Dizziness was more frequent with Drugol than with placebo.",
                                      "Dizziness occurred more often after Drugol."])
def test_more_frequent_with_a_drug_is_an_adverse_effect(sentence):
    lex = {"Drugol": (D, "MESH:C900001"), "Dizziness": (C, "MESH:D004244")}
    art, ms = build([("Results", sentence, [])], lex)
    assert [str(r.relation_class) for r in sentence_relations(art, ms)] == ["adverse"]


def test_clause_break_and_risk_inside_a_prevention_cue():
    """"Drugol lowers the risk of delirium but increases the risk of
    bradycardia": the first risk is prevented, the second caused."""
    lex = {"Drugol": (D, "MESH:C900001"), "delirium": (C, "MESH:D003693"), "bradycardia": (C, "MESH:D001919")}
    art, ms = build([("Results", "Drugol lowers the risk of delirium but increases the risk of bradycardia.", [])], lex)
    classes = {r.object.name: str(r.relation_class) for r in sentence_relations(art, ms)}
    assert classes == {"delirium": "treats", "bradycardia": "adverse"}


def test_article_adds_no_document_level_relation_for_a_comparator(monkeypatch):
    """In an article (with a reference list), the document model adds no
    relation for a drug that is only a comparator where both occur
    ("Drugol reduced delirium compared with Drugam"); in an abstract it may."""
    import dataclasses

    from extractor import relations
    from extractor.model import Reference

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.95))
    lex = {"Drugol": (D, "MESH:C900001"), "Drugam": (D, "MESH:C900002"), "delirium": (C, "MESH:D003693")}
    art, ms = build([("Results", "Drugol reduced delirium compared with Drugam.", [])], lex)
    abstract = {r.subject.name for r in relations.extract_relations(art, ms)}
    refs = (Reference(n="1", text="A. B. 2020."), Reference(n="2", text="C. D. 2021."))
    article = {r.subject.name for r in relations.extract_relations(dataclasses.replace(art, references=refs), ms)}
    assert abstract == {"drugol", "drugam"} and article == {"drugol"}


def test_anaphor_opening_a_later_clause_is_the_subject_there(monkeypatch):
    """"Drugol lowers opioid use, but it frequently causes dizziness": the
    adverse effect is read in its own clause ("it frequently causes"), an
    explicit causal statement the document model does not overrule."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.1))
    lex = {"Drugol": (D, "MESH:C900001"), "opioid use": (O, None), "dizziness": (C, "MESH:D004244")}
    art, ms = build([("Results", "Drugol lowers opioid use, but it frequently causes dizziness.", [])], lex)
    classes = {r.object.name: str(r.relation_class) for r in relations.extract_relations(art, ms)}
    assert classes == {"opioid use": "outcome", "dizziness": "adverse"}


@pytest.mark.parametrize(
    "sentence",
    ["Nausea is the most common adverse effect of Drugol.",
     "Nausea is one of the most frequently reported side effects of Drugol."],
)
def test_condition_named_an_adverse_effect_of_a_later_drug(monkeypatch, sentence):
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.02))
    lex = {"Drugol": (D, "MESH:C900001"), "Nausea": (C, "MESH:D009325")}
    art, ms = build([("Safety", sentence, [])], lex)
    assert [str(r.relation_class) for r in relations.extract_relations(art, ms)] == ["adverse"]


@pytest.mark.parametrize(
    ("sentence", "subjects"),
    [("Drugol, Drugam and Drugex each reduce postoperative pain.", {"Drugol", "Drugam", "Drugex"}),
     ("Drugol- or Drugam-induced postoperative pain was rare.", {"Drugol", "Drugam"}),
     # a compound hyphen that the first drug does not share: only the last drug
     ("Drugs such as Drugol and Drugam, and Drugex-induced postoperative pain were studied.", {"Drugex"})],
)
def test_each_drug_of_a_list_is_judged_as_the_list(monkeypatch, sentence, subjects):
    """The list's cue and an explicit "-induced" reach every drug of the
    list (the model, doubtful, keeps only explicit adverse readings)."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.1))
    lex = {"Drugol": (D, "MESH:C900001"), "Drugam": (D, "MESH:C900002"), "Drugex": (D, "MESH:C900003"),
           "postoperative pain": (C, "MESH:D010149")}
    art, ms = build([("Results", sentence, [])], lex)
    typed = {r.subject.name.capitalize() for r in relations.extract_relations(art, ms)
             if r.relation_class in (RelationClass.TREATS, RelationClass.ADVERSE)}
    assert typed == subjects


def test_condition_qualifying_the_treated_condition_is_not_treated(monkeypatch):
    """"Drugol is approved for diabetic peripheral neuropathic pain": the pain
    is treated; diabetes says what kind, and no document-level vote makes it
    a treatment again."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.01))
    lex = {"Drugol": (D, "MESH:C900001"), "diabetic": (C, "MESH:D003920"), "neuropathic pain": (C, "MESH:D009437")}
    art, ms = build([("Results", "Drugol is approved for diabetic peripheral neuropathic pain.", [])], lex)
    treated = {r.object.name for r in relations.extract_relations(art, ms) if r.relation_class == RelationClass.TREATS}
    assert treated == {"neuropathic pain"}


def test_article_trusts_an_explicit_causal_statement_an_abstract_asks_the_model(monkeypatch):
    """"Drugol frequently causes dizziness": in an article (with a reference
    list) the statement stands whatever the model learned from abstracts;
    in an abstract a very doubtful model still demotes it."""
    import dataclasses

    from extractor import relations
    from extractor.model import Reference

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.01))
    lex = {"Drugol": (D, "MESH:C900001"), "dizziness": (C, "MESH:D004244")}
    art, ms = build([("Safety", "Drugol frequently causes dizziness.", [])], lex)
    refs = (Reference(n="1", text="A. B. 2020."), Reference(n="2", text="C. D. 2021."))
    abstract = [str(r.relation_class) for r in relations.extract_relations(art, ms)]
    article = [str(r.relation_class) for r in relations.extract_relations(dataclasses.replace(art, references=refs), ms)]
    assert abstract == ["association"] and article == ["adverse"]


def _with_references(art):
    import dataclasses

    from extractor.model import Reference

    return dataclasses.replace(art, references=(Reference(n="1", text="A. B. 2020."), Reference(n="2", text="C. D. 2021.")))


def test_article_section_on_safety_names_its_conditions_adverse_effects(monkeypatch):
    """Under an article's "Safety" heading, "Y is rarely associated with X"
    stays an adverse effect whatever the abstract-trained model says; under
    another heading the doubtful model demotes it."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.05))
    lex = {"Drugol": (D, "MESH:C900001"), "serotonin syndrome": (C, "MESH:D020230")}
    text = "Drugol is rarely associated with serotonin syndrome."
    classes = {}
    for heading in ("Safety", "Clinical efficacy"):
        art, ms = build([(heading, text, [])], lex)
        classes[heading] = [str(r.relation_class) for r in relations.extract_relations(_with_references(art), ms)]
    assert classes == {"Safety": ["adverse"], "Clinical efficacy": ["association"]}


def test_article_adds_no_document_level_relation_for_a_pair_never_named_together(monkeypatch):
    """"Drugol and Drugam in surgery ... Constipation is a side effect of
    Drugam": in an article the model adds nothing for Drugol (named in the
    title only); in an abstract it may."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.95))
    lex = {"Drugol": (D, "MESH:C900001"), "Drugam": (D, "MESH:C900002"), "Constipation": (C, "MESH:D003248")}
    art, ms = build([("Title", "Drugol and Drugam in surgery", []),
                     ("Safety", "Constipation is a common side effect of Drugam.", [])], lex)
    abstract = {r.subject.name for r in relations.extract_relations(art, ms)}
    article = {r.subject.name for r in relations.extract_relations(_with_references(art), ms)}
    assert abstract == {"drugol", "drugam"} and article == {"drugam"}


def test_target_a_drug_spares_is_no_mechanism_of_it():
    lex = {"Drugol": (D, "MESH:C900001"), "cyclooxygenase-2": (M, "MESH:D051546"), "cyclooxygenase-1": (M, "MESH:D051545")}
    art, ms = build([("Mechanisms", "Drugol inhibits cyclooxygenase-2 but spares cyclooxygenase-1.", [])], lex)
    negated = {r.object.name: r.negated for r in sentence_relations(art, ms)}
    assert negated == {"cyclooxygenase-2": False, "cyclooxygenase-1": True}


def test_mechanism_predicate_comes_from_the_action_the_text_names():
    """"through 5-HT3 receptor antagonism" antagonizes, "blocks 5-HT3
    receptors" antagonizes too, and a generic "acts through" of the same
    pair folds into the one specific predicate."""
    lex = {"Drugol": (D, "MESH:C900001"), "5-HT3 receptor antagonism": (M, "MESH:D058829"),
           "5-HT3 receptors": (M, "MESH:D058829"), "5-HT3 receptor": (M, "MESH:D058829")}
    art, ms = build([("Mechanisms", "Drugol blocks 5-HT3 receptors. Drugol prevents vomiting through 5-HT3 "
                                    "receptor antagonism. Drugol acts on the 5-HT3 receptor.", [])], lex)
    rels = merge_relations(sentence_relations(art, ms))
    assert [(r.predicate, len(r.evidence)) for r in rels if r.relation_class == RelationClass.MECHANISM] == [
        ("antagonizes", 3)
    ]


def test_drug_in_an_apposition_is_no_subject_and_plus_coordinates():
    """"Drugol, the S-enantiomer of Drugam, is an NMDA receptor antagonist":
    Drugol antagonizes it; "Drugol plus Drugex reduced depression": both."""
    lex = {"Drugol": (D, "MESH:C900001"), "Drugam": (D, "MESH:C900002"), "Drugex": (D, "MESH:C900003"),
           "NMDA receptor antagonist": (M, "MESH:D016194"), "depression": (C, "MESH:D003866")}
    art, ms = build([("Background", "Drugol, the S-enantiomer of Drugam, is an NMDA receptor antagonist. "
                                    "In the trial, Drugol plus an oral Drugex reduced depression.", [])], lex)
    pairs = {(r.subject.name, str(r.relation_class)) for r in sentence_relations(art, ms)}
    assert pairs == {("drugol", "mechanism"), ("drugol", "treats"), ("drugex", "treats")}


def test_each_target_takes_the_action_named_next_to_it():
    lex = {"Drugol": (D, "MESH:C900001"), "mu-opioid receptors": (M, "MESH:D017450"),
           "kappa-opioid receptors": (M, "MESH:D017465")}
    art, ms = build([("Pharmacology", "Drugol acts as a partial agonist at mu-opioid receptors and as an "
                                      "antagonist at kappa-opioid receptors.", [])], lex)
    assert {r.object.name: r.predicate for r in sentence_relations(art, ms)} == {
        "mu-opioid receptors": "agonizes", "kappa-opioid receptors": "antagonizes"
    }


@pytest.mark.parametrize(
    "sentence",
    ["Studies of Drugol report a lower incidence of postoperative delirium.",
     "Drugol was associated with a reduced incidence of postoperative delirium.",
     "Drugol gave a lower risk of postoperative delirium than placebo."],
)
def test_lower_incidence_of_a_condition_is_its_prevention(sentence):
    lex = {"Drugol": (D, "MESH:C900001"), "postoperative delirium": (C, "MESH:D000071257")}
    art, ms = build([("Results", sentence, [])], lex)
    assert [(str(r.relation_class), r.predicate) for r in sentence_relations(art, ms)] == [("treats", "prevents")]


def test_people_groups_are_no_objects_but_patient_conditions_are():
    """"in elderly patients" says who was studied (the vocabulary links no
    people group); "opioid-tolerant patients" names a treatable state."""
    from extractor.model import EntityType

    P = EntityType.POPULATION
    lex = {"Drugol": (D, "MESH:C900001"), "delirium": (C, "MESH:D003693"), "elderly patients": (P, None),
           "opioid-tolerant patients": (P, "MESH:D004361")}
    art, ms = build([("Results", "Drugol prevents delirium in elderly patients. Drugol is a viable option "
                                 "for opioid-tolerant patients.", [])], lex)
    assert {r.object.name for r in sentence_relations(art, ms)} == {"delirium", "opioid-tolerant patients"}


def test_drug_naming_a_resistant_organism_is_no_subject():
    lex = {"Drugol": (D, "MESH:C900001"), "methicillin": (D, "MESH:D008712"), "bacteremia": (C, "MESH:D016470")}
    art, ms = build([("Introduction", "Drugol remains the first-line agent for methicillin-resistant "
                                      "Staphylococcus aureus bacteremia.", [])], lex)
    assert {r.subject.name for r in sentence_relations(art, ms)} == {"drugol"}


@pytest.mark.parametrize(
    "sentence",
    ["Drugol carries boxed warnings for tendinitis.",
     "Drugol has been linked to a higher rate of tendinitis than Drugam."],
)
def test_warnings_and_higher_rates_state_adverse_effects(sentence):
    lex = {"Drugol": (D, "MESH:C900001"), "Drugam": (D, "MESH:C900002"), "tendinitis": (C, "MESH:D052256")}
    art, ms = build([("Safety", sentence, [])], lex)
    assert {(r.subject.name, str(r.relation_class)) for r in sentence_relations(art, ms)} >= {("drugol", "adverse")}


def test_article_trusts_a_strongly_cued_adverse_statement(monkeypatch):
    """"Drugol carries boxed warnings for tendinitis" stands in an article
    whatever the abstract-trained model says; in an abstract the doubtful
    model demotes it."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.05))
    lex = {"Drugol": (D, "MESH:C900001"), "tendinitis": (C, "MESH:D052256")}
    art, ms = build([("Introduction", "Drugol carries boxed warnings for tendinitis.", [])], lex)
    abstract = [str(r.relation_class) for r in relations.extract_relations(art, ms)]
    article = [str(r.relation_class) for r in relations.extract_relations(_with_references(art), ms)]
    assert abstract == ["association"] and article == ["adverse"]


def test_neither_nor_negates_both_drugs_and_a_process_noun_list_is_no_subject():
    """"Neither Drugol nor Drugam improved low back pain": both negated (no
    document-level treatment for the first); "Both drugs lower the release
    of glutamate and substance P": neither ligand is a subject."""
    lex = {"Drugol": (D, "MESH:C900001"), "Drugam": (D, "MESH:C900002"), "low back pain": (C, "MESH:D017116"),
           "glutamate": (D, "MESH:D018698"), "substance P": (D, "MESH:D013373"),
           "calcium channels": (M, "MESH:D015220")}
    art, ms = build([("Results", "Neither Drugol nor Drugam improved low back pain. Drugol binds calcium "
                                 "channels, which lowers the release of glutamate and substance P.", [])], lex)
    rels = sentence_relations(art, ms)
    assert {(r.subject.name, r.negated) for r in rels if r.object.name == "low back pain"} == {
        ("drugol", True), ("drugam", True)
    }
    assert {r.subject.name for r in rels if r.object.name == "calcium channels"} == {"drugol"}


def test_condition_of_the_patients_a_drug_is_avoided_in_is_treated_by_no_drug(monkeypatch):
    """"Drugol and Drugam prevent vomiting; Drugam should be avoided in
    patients with long QT syndrome": neither drug treats the syndrome, not by
    the sentence's distant cue, nor by a document-level vote."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.05))
    lex = {"Drugol": (D, "MESH:C900001"), "Drugam": (D, "MESH:C900002"), "vomiting": (C, "MESH:D014839"),
           "long QT syndrome": (C, "MESH:D008133")}
    art, ms = build([("Conclusion", "Drugol and Drugam prevent vomiting; Drugam should be avoided in patients "
                                    "with long QT syndrome.", [])], lex)
    treated = {(r.subject.name, r.object.name) for r in relations.extract_relations(art, ms)
               if r.relation_class == RelationClass.TREATS}
    assert treated == {("drugol", "vomiting"), ("drugam", "vomiting")}


def test_condition_naming_its_own_inducer_and_lists_across_but():
    """"Drugol gave less opioid-induced hyperalgesia": the object's own
    "-induced" names the opioid, not Drugol; "Drugol relieves pain, but
    QT prolongation requires monitoring": the list stops at "but"."""
    lex = {"Drugol": (D, "MESH:C900001"), "opioid-induced hyperalgesia": (C, "MESH:D006930"),
           "pain": (C, "MESH:D010146"), "QT prolongation": (C, "MESH:D008133")}
    art, ms = build([("Results", "Drugol gave less opioid-induced hyperalgesia. Drugol relieves pain, but "
                                 "QT prolongation requires monitoring.", [])], lex)
    classes = {r.object.name: str(r.relation_class) for r in sentence_relations(art, ms)}
    assert classes["opioid-induced hyperalgesia"] != "adverse"
    assert classes["pain"] == "treats" and classes.get("QT prolongation") != "treats"


def test_a_drug_prolonging_the_qt_interval_raises_an_outcome(fast_extractor):
    """"Drugol prolongs the QTc interval": the interval is a measured outcome
    that the drug increases (curated outcome vocabulary); "prolongation of
    the QT interval" stays the condition Long QT Syndrome."""
    from extractor.model import Article, Paragraph, Section

    body = "Methadone prolongs the QTc interval in a dose-dependent manner."
    article = Article("d", "", "text", "", body, sections=(Section("Body", 0, len(body), (Paragraph(1, 0, len(body)),)),))
    rels = fast_extractor.process(article).relations
    assert [(r.object.name, str(r.relation_class), r.predicate) for r in rels] == [("QT interval", "outcome", "increases")]


def test_lowered_is_a_relief_verb_for_a_coordinated_condition():
    lex = {"Drugol": (D, "MESH:C900001"), "heart rate": (O, "MESH:D006339"),
           "postoperative pain": (C, "MESH:D010149")}
    art, ms = build([("Effects", "Drugol lowered heart rate and reduced postoperative pain scores after "
                                 "laparoscopic cholecystectomy.", [])], lex)
    assert {r.object.name: str(r.relation_class) for r in sentence_relations(art, ms)} == {
        "heart rate": "outcome", "postoperative pain": "treats"
    }


def test_controls_treats_harms_name_adverse_effects_and_users_are_a_population(monkeypatch):
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.01))
    lex = {"Drugol": (D, "MESH:C900001"), "hyperglycemia": (C, "MESH:D006943"),
           "lactic acidosis": (C, "MESH:D000140"), "diabetes": (C, "MESH:D003920"), "cancer": (C, "MESH:D009369")}
    art, ms = build([("Conclusion", "Drugol controls hyperglycemia; its main harms are lactic acidosis. "
                                    "Cancer was rarer among Drugol users with diabetes.", [])], lex)
    classes = {r.object.name: str(r.relation_class) for r in relations.extract_relations(art, ms)}
    assert classes["hyperglycemia"] == "treats" and classes["lactic acidosis"] == "adverse"
    assert classes.get("diabetes") not in ("treats", "adverse")


def test_implicit_subject_counts_only_the_drugs_named_before_the_sentence(monkeypatch):
    """"Class X increases the risk of bleeding" opens the Harms section, and
    Drugol is named there only later: the bleeding is no harm of Drugol (the
    section's later mentions used to count), nor of the document's drugs,
    none of which is named twice as often as another."""
    from extractor import relations

    monkeypatch.setattr(relations, "load_relation_model", lambda: _constant_model(0.95))
    lex = {"Drugol": (D, "MESH:C900001"), "Drugam": (D, "MESH:C900002"), "back pain": (C, "MESH:D001416"),
           "bleeding": (C, "MESH:D006470"), "drowsiness": (C, "MESH:D006970")}
    art, ms = build([("Recommendations", "Drugol may be considered for back pain. Drugam should not be used "
                                         "for back pain.", []),
                     ("Harms", "Class X increases the risk of bleeding. Drugol commonly causes drowsiness.", [])], lex)
    pairs = {(r.subject.name, r.object.name) for r in sentence_relations(art, ms)}
    assert ("drugol", "drowsiness") in pairs and not any(o == "bleeding" for _, o in pairs)


def test_second_verb_of_the_drug_governs_its_object_and_compound_modifiers_keep_their_change():
    """"Drugol produces analgesia and dampens inflammation" treats the
    inflammation ("produces" is the first verb's); "opioid-sparing
    analgesia" is analgesia provided, not lowered; "hastens recovery" raises it."""
    lex = {"Drugol": (D, "MESH:C900001"), "analgesia": (O, "MESH:D000698"), "inflammation": (C, "MESH:D007249"),
           "recovery": (O, None)}
    art, ms = build([("Results", "Drugol produces analgesia and dampens inflammation. Drugol provides "
                                 "opioid-sparing analgesia. Drugol hastens recovery.", [])], lex)
    rels = sentence_relations(art, ms)
    assert {(r.object.name, str(r.relation_class)) for r in rels if r.object.name == "inflammation"} == {
        ("inflammation", "treats")
    }
    assert "decreases" not in {r.predicate for r in rels if r.object.name == "analgesia"}
    assert {r.predicate for r in rels if r.object.name == "recovery"} == {"increases"}
