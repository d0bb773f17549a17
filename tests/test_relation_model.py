"""The shipped chemical-induced-disease model (extractor.relation_model)."""

from __future__ import annotations

import json
import re

import pytest

from extractor.errors import ModelNotFoundError
from extractor.model import Article, EntityType, Mention, Paragraph, RelationClass, Section, Sentence
from extractor.relation_model import (
    DocView,
    PairMention,
    RelationModel,
    framing_cues,
    load_relation_model,
    pair_features,
    simple_sentences,
)
from extractor.relations import extract_relations, load_relation_model as relations_loader, merge_relations

TITLE = "Rhabdomyolysis induced by zorbatin in a patient with gout."
ABSTRACT = (
    "A 54-year-old man treated with zorbatin for gout developed severe rhabdomyolysis. "
    "Zorbatin-induced rhabdomyolysis resolved after withdrawal of the drug. "
    "Renal function and gout were monitored during follow-up. "
    "Physicians should be aware of rhabdomyolysis as an adverse effect of zorbatin."
)
IDS = {"zorbatin": ("chem", "MESH:C999001"), "rhabdomyolysis": ("dis", "MESH:D012206"),
       "gout": ("dis", "MESH:D006073")}


def _view():
    text = TITLE + " " + ABSTRACT
    mentions = []
    for name, (kind, cid) in IDS.items():
        for m in re.finditer(name, text, re.I):
            mentions.append(PairMention(m.start(), m.end(), kind, (cid,)))
    mentions.sort(key=lambda m: m.start)
    sents = ((0, len(TITLE)),) + tuple(s for s in simple_sentences(text) if s[0] > len(TITLE))
    return text, DocView(text, sents, len(TITLE), tuple(mentions))


def test_model_loads_once_and_is_json():
    m = load_relation_model()
    assert m is load_relation_model() is relations_loader()
    assert 0.0 < m.threshold < 1.0 and len(m.weights) > 50
    assert "BC5CDR" in m.card["trained_on"]
    again = RelationModel.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again.weights == m.weights and again.threshold == m.threshold


def test_prediction_on_made_up_abstract():
    _, view = _view()
    model = load_relation_model()
    preds = {(p.chem_id, p.dis_id): p for p in model.predict(view)}
    induced = preds[("MESH:C999001", "MESH:D012206")]
    treated = preds[("MESH:C999001", "MESH:D006073")]
    assert induced.probability >= model.threshold
    assert induced.probability > treated.probability
    assert induced.framing == "adverse"
    assert induced.cooccur  # sentences where both occur


def test_features_see_cues_between_mentions():
    _, view = _view()
    f = pair_features(view, "MESH:C999001", "MESH:D012206")
    assert f["cooc"] == 1.0 and f["both_in_title"] == 1.0 and f["hyphen_cd"] == 1.0
    assert f["btw:induced"] == 1.0


def test_extract_relations_adds_document_level_induces():
    text, view = _view()
    sents = tuple(Sentence(s, e, "Abstract", 1) for s, e in view.sentences)
    art = Article("pm1", "pm1.pubtator", "pubtator", TITLE, text,
                  sections=(Section("Abstract", 0, len(text), (Paragraph(1, 0, len(text)),)),),
                  sentences=sents)
    mentions = []
    for name, (kind, cid) in IDS.items():
        typ = EntityType.DRUG if kind == "chem" else EntityType.CONDITION
        for m in re.finditer(name, text, re.I):
            mentions.append(Mention(m.start(), m.end(), m.group(0), typ, cid, name))
    rels = merge_relations(extract_relations(art, mentions))
    adverse = [r for r in rels if r.object.id == "MESH:D012206" and r.relation_class == RelationClass.ADVERSE]
    assert adverse and not any(r.negated for r in adverse)
    ev = {e.sentence for r in adverse for e in r.evidence}
    assert any("induced" in s for s in ev)


def test_missing_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match="train_cid.py"):
        load_relation_model(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"weights": 3}', encoding="utf-8")
    with pytest.raises(ModelNotFoundError, match="not a relation model"):
        load_relation_model(bad)


def _simple_view(text, spans):
    """A DocView of ``text`` with mentions ``[(surface, kind, id), ...]``
    (every occurrence of each surface form)."""
    mentions = []
    for surface, kind, cid in spans:
        for m in re.finditer(re.escape(surface), text):
            mentions.append(PairMention(m.start(), m.end(), kind, (cid,)))
    mentions.sort(key=lambda m: (m.start, m.end))
    return DocView(text, simple_sentences(text), 0, tuple(mentions))


def test_framing_cues_count_both_readings_per_cooccurrence():
    text = "Zorbatin prevented rash. Zorbatin caused rash. Zorbatin induced severe rash."
    view = _simple_view(text, [("Zorbatin", "chem", "C1"), ("rash", "dis", "D1")])
    treat, adverse = framing_cues(view, "C1", "D1")
    assert treat == 1.0 and adverse == 2.0
    (pred,) = load_relation_model().predict(view)
    assert (pred.treat_cues, pred.adverse_cues, pred.framing) == (1.0, 2.0, "adverse")


# ------------------------------------------------------------------ CID priors (round 4)


def _priors_module():
    import sys
    from pathlib import Path

    folder = str(Path(__file__).resolve().parents[1] / "training" / "relations")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import priors
    import pubtator

    return priors, pubtator


def test_bundled_priors_load_with_the_model():
    from extractor.relation_model import PRIORS_RESOURCE

    m = load_relation_model()
    assert m.priors is not None and m.priors_resource == PRIORS_RESOURCE
    assert m.priors.n_docs > 400 and "BC5CDR training set" in m.priors.card["source"]
    assert all(0 <= k <= n for k, n in m.priors.pairs.values())
    assert max(k for k, _ in m.priors.pairs.values()) >= 3  # some pair is CID in several documents
    assert not any(":" in key for key in list(m.priors.chems) + list(m.priors.diseases))
    assert sum(1 for w in m.weights if w.startswith("prior_")) >= 5
    again = RelationModel.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again.priors_resource == m.priors_resource


def test_known_cid_pair_scores_higher_than_the_same_text_with_an_unknown_pair():
    m = load_relation_model()
    # the pair most often CID in BC5CDR train (ties by key: deterministic)
    key = max(m.priors.pairs, key=lambda k: (m.priors.pairs[k][0], k))
    chem, dis = key.split("|")
    text = "Zorbatin was given to 20 patients for four weeks. Rash was seen in two of them."

    def probability(c, d):
        view = _simple_view(text, [("Zorbatin", "chem", "MESH:" + c), ("Rash", "dis", "MESH:" + d)])
        (p,) = m.predict(view)
        return p.probability

    known, unknown = probability(chem, dis), probability("C999001", "D999001")
    assert known > unknown + 0.1
    assert m.priors.features("MESH:" + chem, dis)["prior_pair_cid"] == 1.0


def test_priors_file_is_read_next_to_a_model_path(tmp_path):
    from extractor.relation_model import CidPriors

    priors = CidPriors.build([({"C1"}, {"D1"}, {("C1", "D1")}), ({"C1"}, {"D1", "D2"}, set())])
    model = RelationModel(weights={"prior_pair_cid": 3.0}, intercept=-1.0, threshold=0.5,
                          priors_resource="my_priors.json")
    (tmp_path / "m.json").write_text(json.dumps(model.to_dict()), encoding="utf-8")
    with pytest.raises(ModelNotFoundError, match="CID priors"):
        load_relation_model(tmp_path / "m.json")
    (tmp_path / "my_priors.json").write_text(json.dumps(priors.to_dict()), encoding="utf-8")
    load_relation_model.cache_clear()
    loaded = load_relation_model(tmp_path / "m.json")
    assert loaded.priors == priors
    view = _simple_view("Drugx caused rash. Drugx caused fever.",
                        [("Drugx", "chem", "MESH:C1"), ("rash", "dis", "MESH:D1"), ("fever", "dis", "MESH:D2")])
    probs = {p.dis_id: p.probability for p in loaded.predict(view)}
    assert probs["MESH:D1"] > 0.8 and probs["MESH:D2"] < 0.3
    load_relation_model.cache_clear()


def test_out_of_fold_priors_never_count_their_own_document():
    priors, pubtator = _priors_module()
    docs = []
    for i in range(10):
        pmid = str(1000 + i)
        chem, own = "MESH:C0", f"MESH:C{i + 1}"
        mentions = (PairMention(0, 2, "chem", (chem,)), PairMention(3, 5, "chem", (own,)),
                    PairMention(6, 8, "dis", ("MESH:D1",)))
        cid = {(own, "MESH:D1")} | ({(chem, "MESH:D1")} if i % 2 == 0 else set())
        view = DocView("ab cd ef", ((0, 8),), 0, mentions)
        docs.append(pubtator.GoldDoc(pmid, "", "ab cd ef", view, frozenset(cid), frozenset()))
    full = priors.build_priors(docs)
    oof = priors.oof_priors(docs)
    assert full.pairs["C0|D1"] == (5, 10) and full.chems["C0"] == (5, 10)
    for i, d in enumerate(docs):
        own = f"C{i + 1}|D1"
        assert full.pairs[own] == (1, 1) and own not in oof[d.pmid].pairs
        assert "prior_pair_cid" not in oof[d.pmid].features(f"MESH:C{i + 1}", "MESH:D1")
        held_out = [x for x in docs if priors.fold_of(x.pmid) == priors.fold_of(d.pmid)]
        k = sum(1 for x in held_out if ("MESH:C0", "MESH:D1") in x.cid)
        assert oof[d.pmid].pairs["C0|D1"] == (5 - k, 10 - len(held_out))
    # deterministic whatever the document order
    again = priors.oof_priors(list(reversed(docs)))
    assert all(again[p].to_dict() == oof[p].to_dict() for p in oof)


def test_optional_second_stage_rescores_pairs_by_their_rank_in_the_document():
    from extractor.relation_model import doc_features

    feats = doc_features([("C1", "D1"), ("C2", "D1"), ("C1", "D2")], [0.6, 0.3, 0.6])
    assert [next(k for k in f if k.startswith("rank_")) for f in feats] == ["rank_0", "rank_2", "rank_1"]
    model = RelationModel(weights={}, intercept=0.0, threshold=0.5,
                          doc_weights={"rank_0": 4.0, "best_chem_for_dis": 1.0}, doc_intercept=-2.0)
    again = RelationModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again.doc_weights == model.doc_weights and again.doc_intercept == -2.0
    top, second, third = again.rescore([("C1", "D1"), ("C2", "D1"), ("C1", "D2")], [0.6, 0.3, 0.6])
    assert top > 0.9 and third == pytest.approx(0.2689, abs=1e-3) and second < 0.15
    assert load_relation_model().rescore([("C1", "D1")], [0.42]) == [0.42]  # shipped: no second stage
