"""Residues and nucleotides of sequence variants are no chemical mentions
(extractor.sequence_context)."""

from __future__ import annotations

import pytest

from extractor.io.readers.text import parse_text
from extractor.sequence_context import names_a_residue


@pytest.mark.parametrize(
    "text, word, residue",
    [
        ("apolipoprotein E Guangzhou (arginine 150 proline), a new variant", "arginine", True),
        ("apolipoprotein E Guangzhou (arginine 150 proline), a new variant", "proline", True),
        ("a cytosine to guanine transversion at nucleotide 1451", "cytosine", True),
        ("a cytosine to guanine transversion at nucleotide 1451", "nucleotide", True),
        ("we found a single nucleotide polymorphism in", "nucleotide", True),
        ("an amino acid substitution (R150P)", "amino acid", True),
        ("the SNP rs2277025 was associated with asthma", "SNP", True),
        ("glycine 10 mg/kg reduced seizures", "glycine", False),
        ("arginine 150 mg/kg lowered blood pressure", "arginine", False),
        ("SNP infusion lowered blood pressure", "SNP", False),
        ("amino acids were infused in rats", "amino acids", False),
        ("tyrosine hydroxylase activity fell", "tyrosine", False),
    ],
)
def test_names_a_residue(text, word, residue):
    start = text.index(word)
    assert names_a_residue(text, start, start + len(word)) is residue


def test_variant_notation_makes_no_drug_mention_but_the_drug_stays(fast_extractor):
    text = ("Title\n\nResults\n\nA cytosine to guanine transversion at nucleotide 1451 (arginine 150 proline) "
            "caused adrenoleukodystrophy. Arginine infusion lowered blood pressure.")
    drugs = [m.text for m in fast_extractor.process(parse_text(text)).mentions if str(m.type) == "Drug"]
    assert drugs == ["Arginine"]

