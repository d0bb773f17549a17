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
