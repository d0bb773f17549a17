"""Sequence-variant context: residues and nucleotides named in a mutation.

Input: the article text and the span of a Drug mention. Output: whether the
mention names a position in a protein or DNA sequence rather than a chemical
("a cytosine to guanine transversion at nucleotide 1451", "arginine 150
proline", "single nucleotide polymorphisms", "SNP rs2277025"). Genetics
abstracts use these words as sequence notation; a chemical-disease relation
read from them is noise. The word lists are the standard amino acids and
nucleobases, not the vocabulary of any one article.

Examples
--------
>>> text = "a cytosine to guanine transversion at nucleotide 1451"
>>> names_a_residue(text, 2, 10), names_a_residue(text, 14, 21), names_a_residue(text, 38, 48)
(True, True, True)
>>> names_a_residue("Arginine infusion lowered blood pressure.", 0, 8)
False
"""

from __future__ import annotations

import re

__all__ = ["names_a_residue", "RESIDUES", "UNITS"]

_AMINO_ACIDS = (
    "alanine arginine asparagine aspartate glutamate cysteine glutamine glycine histidine isoleucine "
    "leucine lysine methionine phenylalanine proline serine threonine tryptophan tyrosine valine "
    "ala arg asn asp cys gln glu gly his ile leu lys met phe pro ser thr trp tyr val"
)
_NUCLEOBASES = "adenine guanine cytosine thymine uracil"
#: Amino acids (names and three-letter codes) and nucleobases.
RESIDUES = frozenset((_AMINO_ACIDS + " " + _NUCLEOBASES).split())
#: Words for a sequence position itself.
UNITS = frozenset({"nucleotide", "nucleotides", "amino acid", "amino acids", "amino-acid", "residue", "residues"})
_RESIDUE_WORDS = "|".join(sorted(RESIDUES, key=len, reverse=True))
_VARIANT_WORDS = (
    r"substitutions?|changes?|exchanges?|deletions?|insertions?|duplications?|polymorphisms?|variants?|"
    r"mutations?|transversions?|transitions?|positions?|sequences?|repeats?|codons?"
)
#: After the mention: a position ("150", "(150)"), "to <residue>", or a variant word.
_AFTER = re.compile(
    r"[\s-]*(?:\(?\d+\)?(?![\d.,]*\s*(?:mg|g|mmol|mol|mm|µm|um|nm|m|%|kg|ml|l)\b)|(?:to|into|for|by)[\s-]+(?:"
    + _RESIDUE_WORDS + r")\b|(?:" + _VARIANT_WORDS + r")\b)",
    re.I,
)
#: Before the mention: "<residue> to", "single", a position.
_BEFORE = re.compile(r"(?:\b(?:" + _RESIDUE_WORDS + r")[\s-]+(?:to|into|by)|\bsingle|\d)[\s-]*$", re.I)
#: Genetics around an "SNP": rs numbers, alleles, genotypes, polymorphisms.
_GENETICS = re.compile(r"\brs\d+|polymorph|genotyp|allele|haplotyp|\b[ACGT]\d+[ACGT]\b", re.I)


def names_a_residue(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a Drug mention) names a residue or a
    nucleotide of a sequence variant, or is the "SNP" of a polymorphism."""
    word = text[start:end]
    low = word.lower()
    if low in ("snp", "snps"):
        return bool(_GENETICS.search(text, max(0, start - 80), end + 80))
    if low not in RESIDUES and low not in UNITS:
        return False
    if low in RESIDUES and len(low) == 3 and not word[:1].isupper():
        return False  # "arg", "pro" in running text are no codes
    return bool(_AFTER.match(text, end) or _BEFORE.search(text, max(0, start - 40), start))
