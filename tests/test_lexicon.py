"""The lexicon artefact: ids from the MeSH descriptor list, curated
vocabularies, determinism, load time."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from extractor.errors import ConfigError
from extractor.lexicon import (
    CONCEPTS_DIR,
    DEFAULT_PATH,
    Concept,
    Lexicon,
    expand_pattern,
    load_lexicon,
)

FIXTURE = Path(__file__).parent / "fixtures" / "mini_lexicon.jsonl"


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon()


def ids(lex: Lexicon, text: str) -> list[str]:
    return [c.id for c in lex.lookup(text, cased=True)]


def test_artefact_is_small_and_loads_fast():
    assert DEFAULT_PATH.stat().st_size < 5_000_000
    t = time.perf_counter()
    Lexicon.read(DEFAULT_PATH)
    elapsed = time.perf_counter() - t
    print(f"lexicon artefact load: {elapsed:.3f}s")
    assert elapsed < 2.0  # measured ~0.15 s; generous for a loaded CI machine


def test_wrong_package_ids_are_not_used(lex):
    # the drug package says ketamine (and memantine) is D018691, which is the
    # descriptor "Excitatory Amino Acid Antagonists"
    assert ids(lex, "ketamine")[0] == "D007649"
    assert ids(lex, "memantine")[0] == "D008559"
    assert lex.name("D018691") == "Excitatory Amino Acid Antagonists"
    # the disease package files chronic pain under D059787 (Acute Pain)
    assert ids(lex, "chronic pain")[0] == "D059350"
    assert ids(lex, "acute pain")[0] == "D059787"


@pytest.mark.parametrize(
    "text, mesh",
    [
        ("neuropathic pain", "D009437"),
        ("complex regional pain syndrome", "D020918"),
        ("postoperative pain", "D010149"),
        ("fibromyalgia", "D005356"),
        ("Ketalar", "D007649"),  # brand name from the drug package
        ("N-methyl-D-aspartate receptors", "D016194"),
        ("quality of life", "D011788"),
    ],
)
def test_synonyms_link_to_descriptors(lex, text, mesh):
    assert mesh in ids(lex, text)


def test_abbreviation_terms_are_case_sensitive(lex):
    # "ALL" (leukaemia) must not match the word "all"
    assert ids(lex, "ALL")
    assert ids(lex, "all") == []


def test_curated_ids_name_their_descriptor(lex):
    artefact = Lexicon.read(DEFAULT_PATH)
    checked = 0
    for tsv in sorted(CONCEPTS_DIR.glob("*.tsv")):
        for line in tsv.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            surface, typ, mesh, name = line.split("\t")
            if mesh:
                assert artefact.name(mesh) == name, (tsv.name, surface, mesh)
                checked += 1
    assert checked > 50


def test_curated_types(lex):
    assert lex.lookup("NMDA receptor")[0].type == "Mechanism"
    assert lex.lookup("opioid requirements")[0].type == "Outcome"
    assert lex.lookup("cardiovascular side effects")[0].id == "D002318"
    assert lex.lookup("urinary tract problems")[0].id == "D014570"


def test_expand_pattern():
    assert expand_pattern("{NMDA|AMPA} receptor{s|}") == [
        "NMDA receptors", "NMDA receptor", "AMPA receptors", "AMPA receptor",
    ]


def test_write_read_round_trip_is_deterministic(tmp_path):
    lex = Lexicon.from_jsonl(FIXTURE)
    a, b = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    lex.write(a)
    Lexicon.read(a).write(b)
    assert a.read_bytes() == b.read_bytes()
    again = Lexicon.read(b)
    assert [c.id for c in again.lookup("Namenda")] == ["D008559"]
    assert again.lookup("opioid use")[0] == Concept(None, "opioid consumption", "Outcome")


def test_from_jsonl_and_kb():
    lex = Lexicon.from_jsonl(FIXTURE)
    assert lex.lookup("lightheadedness")[0].name == "Dizziness"
    assert lex.lookup("GABAPENTIN")[0].id == "D000077206"


def test_bad_files_raise_config_errors(tmp_path):
    bad = tmp_path / "x.json.gz"
    bad.write_bytes(gzip.compress(json.dumps({"format": "other"}).encode()))
    with pytest.raises(ConfigError, match="not an extractor lexicon"):
        Lexicon.read(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_lexicon(tmp_path / "missing.json.gz")
    tsv = tmp_path / "c.tsv"
    tsv.write_text("only\ttwo\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="4 tab-separated"):
        Lexicon.from_jsonl(FIXTURE).add_curated(tsv)


@pytest.mark.parametrize(
    "name, typ, annotated, expected",
    [("Antidepressive Agents", "Drug", False, "Other"), ("Adrenergic beta-Antagonists", "Drug", False, "Other"),
     ("Anesthetics, Local", "Drug", False, "Other"), ("Anticoagulants", "Drug", False, "Other"),
     ("Selective Serotonin Reuptake Inhibitors", "Drug", True, "Drug"), ("Haloperidol", "Drug", False, "Drug"),
     ("Antimony", "Drug", False, "Drug"), ("Anxiety Disorders", "Condition", False, "Condition")],
)
def test_pharmacological_classes_need_training_evidence(name, typ, annotated, expected):
    from extractor.lexicon_build import class_type

    assert class_type(name, typ, annotated) == expected


def test_shipped_lexicon_types_classes_apart_from_drugs(lex):
    # a class the BC5CDR training set never annotates is no Drug term of its own;
    # the dictionary NER then does not tag it everywhere (the statistical NER may, in context)
    from extractor.normalize import ACCEPT, Linker

    linker = Linker(lex)
    local = linker.link("local anesthetics")
    assert local is not None and local.id == "D000779" and local.type == "Other"
    assert linker.link("local anesthetics", ACCEPT["Drug"]).id == "D000779"  # still links a tagged mention
    assert linker.link("lidocaine", ACCEPT["Drug"]).type == "Drug"
