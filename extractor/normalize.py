"""Concept linking: a mention string to a lexicon concept.

Input: a surface string (a mention found by the statistical NER, an
abbreviation's long form, a phrase) and the :class:`~extractor.lexicon.Lexicon`.
Output: the best :class:`~extractor.lexicon.Concept` or None.

The cascade, first hit wins:

1. exact normalised key (case, punctuation, possessive ``'s``, accents,
   Greek letters are normalised by :func:`~extractor.lexicon.normalize_key`),
   then the last word singular;
2. hyphen / space variants (``anti-inflammatory`` = ``antiinflammatory``);
   salt, ester and hydrate words dropped when the salt has no concept of
   its own (``haloperidol decanoate``, ``doxorubicin HCl`` -> the drug);
3. generic trailing heads dropped (``lidocaine infusions`` -> ``lidocaine``,
   ``chronic pain syndromes`` -> ``chronic pain``);
4. ``<dose words> of X`` -> ``X`` (``low doses of naloxone``);
4b. an inverted disorder phrase read in order (``injury to the kidney`` ->
   ``kidney injury``, ``impairment of memory`` -> ``memory impairment``);
5. leading modifiers dropped one word at a time (``refractory chronic pain``
   -> ``chronic pain``), down to the head noun; for a chemical, never a
   word that is part of its name (a radical "-yl" or a drug name:
   ``puromycin aminonucleoside`` is not Nucleosides);
6. a disorder phrase never falls back to a non-disease concept ("loss of
   appetite" is not Appetite) nor to a broad head alone ("bile duct
   injury" is not Wounds and Injuries);
7. an organ or function word before a disorder head names the organ's
   disease category (``renal disease`` -> Kidney Diseases, ``neurological
   dysfunction`` -> Nervous System Diseases, ``cerebral lesions`` -> Brain
   Diseases, ``visual deficits`` -> Vision Disorders): adjectives map to
   their noun (:data:`ORGAN_NOUNS`) and ``<noun> diseases|disorders`` is looked up.

Ids only come from the lexicon, whose ids come from the MeSH descriptor list.

Examples
--------
>>> from extractor.lexicon import Concept, Lexicon
>>> lex = Lexicon.from_records([Concept("D008012", "Lidocaine", "Drug")], {})
>>> Linker(lex).link("low-dose lidocaine infusions").name
'Lidocaine'
"""

from __future__ import annotations

import logging
import re

from extractor.lexicon import Concept, Lexicon, cased_key, normalize_key, singular_key

__all__ = [
    "Linker", "ACCEPT", "GENERIC_HEADS", "GENERIC_WORDS", "ORGAN_NOUNS", "DISORDER_HEADS", "SALT_WORDS",
    "chemical_shaped", "is_generic", "looks_like_entity", "is_gene_product", "mention_type",
]

log = logging.getLogger(__name__)

#: Concept types acceptable for a mention type (None: any).
ACCEPT: dict[str, frozenset[str] | None] = {
    "Drug": frozenset({"Drug", "Other", "Target", "Mechanism"}),
    "Condition": frozenset({"Condition", "AdverseEffect", "Other"}),
    "AdverseEffect": frozenset({"AdverseEffect", "Condition", "Other"}),
    "Mechanism": frozenset({"Mechanism", "Target", "Other", "Drug"}),
    "Target": frozenset({"Target", "Mechanism", "Other", "Drug"}),
    "Outcome": frozenset({"Outcome", "Other"}),
    "Population": frozenset({"Population", "Other"}),
}

#: Words that head a phrase without changing the concept it names.
GENERIC_HEADS = frozenset(
    """infusion infusions injection injections administration administrations therapy therapies
    treatment treatments dose doses dosing dosage regimen regimens use usage exposure levels level
    concentration concentrations group groups patients patient syndrome syndromes condition
    conditions state states disorder disorders disease diseases symptoms episodes agent agents
    drug drugs medication medications bolus boluses preparation formulation formulations
    application applications protocol protocols trial trials ion ions""".split()
)
_OF_HEADS = re.compile(
    r"^(?:(?:low|high|small|large|single|repeated|multiple|sub|anesthetic|anaesthetic|subanesthetic|"
    r"subanaesthetic|analgesic|therapeutic|clinical|standard|increasing|escalating|equal|"
    r"intravenous|oral|\w+ly)\s+)*(?:dose|doses|dosing|administration|infusion|infusions|"
    r"injection|injections|levels|concentrations|use|treatment|amounts|bolus|effects|effect)\s+of\s+(?:the\s+)?"
)

#: Adjectives of organs and functions -> the noun of MeSH "<noun> Diseases|Disorders".
ORGAN_NOUNS = {
    "renal": "kidney", "hepatic": "liver", "cardiac": "heart", "cerebral": "brain",
    "neurological": "nervous system", "neurologic": "nervous system", "neural": "nervous system",
    "pulmonary": "lung", "hematological": "hematologic", "haematological": "hematologic",
    "haematologic": "hematologic", "cutaneous": "skin", "dermatological": "skin", "dermatologic": "skin",
    "muscle": "muscular", "ocular": "eye", "ophthalmic": "eye", "visual": "vision",
    "urinary": "urologic", "gastric": "stomach", "bowel": "intestinal", "cognitive": "cognition",
    "psychiatric": "mental", "behavioral": "behavior", "behavioural": "behavior",
    "spinal": "spinal cord", "cns": "central nervous system", "gi": "gastrointestinal",
}
#: Counter-ions, esters and hydrates that follow a drug name ("X hydrochloride").
SALT_WORDS = frozenset(
    """hydrochloride hcl dihydrochloride hydrobromide sulfate bisulfate hemisulfate mesylate mesilate dimesylate
    maleate fumarate hemifumarate tartrate bitartrate succinate citrate acetate phosphate decanoate
    enanthate besylate besilate tosylate lactate gluconate chloride bromide iodide nitrate monohydrate
    dihydrate trihydrate hemihydrate sesquihydrate anhydrous sodium disodium potassium dipotassium
    calcium magnesium palmitate propionate dipropionate valerate hyclate pamoate embonate""".split()
)
#: Heads of "<organ> <head>" phrases that name the organ's disease category.
DISORDER_HEADS = frozenset(
    """disease diseases disorder disorders dysfunction dysfunctions damage lesion lesions abnormality
    abnormalities involvement impairment impairments deficit deficits deterioration retardation
    problems complications injury injuries""".split()
)
_CONDITION_TYPES = frozenset({"Condition", "AdverseEffect"})
#: Head nouns whose own concept is too broad for a modified phrase
#: ("bile duct injury" is not Wounds and Injuries).
_BROAD_HEADS = frozenset("injury injuries damage lesion lesions wound wounds abnormality abnormalities".split())

#: "<head> of|to|in [the] <modifier words>": a disorder named in inverted order.
_INVERTED = re.compile(r"^([a-z]+) (?:of|to|in) (?:the )?([a-z0-9]+(?: [a-z0-9]+){0,2})$")
#: Heads of "<head> of X" phrases that name X itself or a dose of it, not a disorder of X.
_OF_SKIP = frozenset(
    """dose doses use administration infusion injection treatment effect effects levels level
    concentration concentrations amount amounts risk history""".split()
)


class Linker:
    """Link strings to concepts of one lexicon (memoised).

    Parameters
    ----------
    lexicon : Lexicon
        The concept dictionary.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._memo: dict[tuple[str, frozenset[str] | None], Concept | None] = {}

    def link(self, text: str, accept: frozenset[str] | None = None) -> Concept | None:
        """Best concept for ``text`` whose type is in ``accept`` (None: any).

        Parameters
        ----------
        text : str
            Surface string.
        accept : frozenset of str, optional
            Acceptable concept types, best-ranked candidate first.

        Returns
        -------
        Concept or None
        """
        memo_key = (text, accept)
        if memo_key in self._memo:
            return self._memo[memo_key]
        result = self._link(text, accept)
        if len(self._memo) < 200_000:
            self._memo[memo_key] = result
        return result

    def lookup_key(self, key: str, accept: frozenset[str] | None, surface: str = "") -> Concept | None:
        """Best acceptable concept of an exact key (or its singular)."""
        lex = self.lexicon
        for k in (key, singular_key(key)):
            if not k:
                continue
            keys = lex.keys_for(k)
            if not keys:
                continue
            if surface and k in lex.cased and cased_key(surface) not in lex.cased[k]:
                continue
            for ck in keys:
                c = lex.concepts.get(ck)
                if c is not None and (accept is None or c.type in accept):
                    return c
        return None

    def _link(self, text: str, accept: frozenset[str] | None) -> Concept | None:
        key = normalize_key(text)
        if not key:
            return None
        c = self.lookup_key(key, accept, text)
        if c:
            return c
        if accept is not None and accept & _CONDITION_TYPES:
            # a disorder phrase never falls back to a non-disease concept
            # ("loss of appetite" is not Appetite, "HIV disease" is not HIV)
            accept = accept - {"Other"}
        words = key.split()
        if len(words) > 1:
            c = self.lookup_key("".join(words), accept)
            if c:
                return c
            c = self._salt_free(words, accept)
            if c:
                return c
        # generic trailing heads
        while len(words) > 1 and words[-1] in GENERIC_HEADS:
            words = words[:-1]
            c = self.lookup_key(" ".join(words), accept)
            if c:
                return c
        # "injury to the kidney" -> "kidney injury", "impairment of memory" -> "memory impairment"
        inv = _INVERTED.match(key) if accept is None or accept & _CONDITION_TYPES else None
        if inv and inv.group(1) not in _OF_SKIP:
            c = self._link(f"{inv.group(2)} {inv.group(1)}", accept)
            if c:
                return c
        # "<dose words> of X"
        m = _OF_HEADS.match(key)
        if m and m.end() < len(key):
            c = self._link(key[m.end() :], accept)
            if c:
                return c
        # leading modifiers, down to the head noun
        chemical = accept is not None and "Drug" in accept and not accept & _CONDITION_TYPES
        for i in range(1, len(words)):
            rest = words[i:]
            if len(rest) == 1 and (
                len(rest[0]) < 5 or rest[0] in GENERIC_HEADS or rest[0] in _BROAD_HEADS or rest[0] in SALT_WORDS
            ):
                break
            if chemical and self._chemical_part(words[i - 1]):
                break  # "puromycin aminonucleoside" is not Nucleosides, "formyl-...-phenylalanine" not Phenylalanine
            c = self.lookup_key(" ".join(rest), accept)
            if c:
                return c
        return self._organ_category(key.split(), accept)

    def _chemical_part(self, word: str) -> bool:
        """Whether ``word``, dropped from the front of a chemical name, is
        part of that name (a radical such as "methyl", "formyl", or a drug
        name itself): the rest then names another compound (step 5)."""
        if len(word) >= 4 and word.endswith("yl"):
            return True
        return len(word) >= 4 and self.lookup_key(word, frozenset({"Drug"})) is not None

    def _salt_free(self, words: list[str], accept: frozenset[str] | None) -> Concept | None:
        """``haloperidol decanoate`` -> Haloperidol: a salt or ester form
        without its own concept names its parent drug (step 2b)."""
        if accept is not None and "Drug" not in accept:
            return None
        n = len(words)
        while n > 1 and words[n - 1] in SALT_WORDS:
            n -= 1
        if n == len(words):
            return None
        return self.lookup_key(" ".join(words[:n]), frozenset({"Drug"}))

    def _organ_category(self, words: list[str], accept: frozenset[str] | None) -> Concept | None:
        """``renal disease`` -> Kidney Diseases (step 6 of the cascade)."""
        if len(words) < 2 or words[-1] not in DISORDER_HEADS:
            return None
        if accept is not None and not (accept & _CONDITION_TYPES):
            return None
        conditions = _CONDITION_TYPES if accept is None else accept & _CONDITION_TYPES
        mods = words[:-1]
        for i in range(max(0, len(mods) - 3), len(mods)):
            organ = " ".join(ORGAN_NOUNS.get(w, w) for w in mods[i:])
            for head in ("diseases", "disorders"):
                c = self.lookup_key(f"{organ} {head}", conditions)
                if c:
                    return c
        return None


#: Category words that name no specific concept on their own ("outcomes",
#: "treatment response", "downstream signaling pathways").
GENERIC_WORDS = frozenset(
    """outcome outcomes effect effects response responses result results therapy therapies
    treatment treatments patient patients reported related dose doses dosing side adverse event
    events measure measures measurement endpoint endpoints efficacy benefit benefits change changes
    signaling signalling pathway pathways downstream upstream intracellular mechanism mechanisms
    process processes action actions activity function factor factors level levels state states
    condition conditions disease diseases disorder disorders symptom symptoms agent agents drug drugs
    medication medications compound compounds substance substances the a an of and or in""".split()
)
_FUNCTION_WORDS = frozenset(
    """of the a an and or in on at to for with by from as than that which this these those its
    their is are was were be been being""".split()
)
#: Heads and affixes of disease names (unlinked statistical mentions must show one).
_DISEASE_SHAPE = re.compile(
    r"(?:emia|aemia|itis|osis|oses|opathy|opathies|algia|plasia|trophy|penia|megaly|oma|omas|rrhea|"
    r"rrhoea|uria|pnea|plegia|paresis|kinesia|kinesis|tonia|phasia|ataxia|cardia|rhythmia|rhythmias|"
    r"spasm|ism|ities|ity)$"
    r"|\b(?:disease|diseases|disorder|disorders|syndrome|syndromes|injury|injuries|damage|lesion|lesions|"
    r"dysfunction|dysfunctions|failure|deficit|deficits|loss|toxicity|toxicosis|insufficiency|"
    r"abnormality|abnormalities|impairment|complication|complications|symptoms|attacks|"
    r"deterioration|retardation|malformations|prolongation|eruptions?|infarction|hemorrhage|"
    r"bleeding|pain|seizures?|cancer|tumou?rs?|carcinoma|fibrosis|necrosis|edema|oedema|"
    r"occlusion|dilation|dilatation|prolapse|arrest|shock|fever|rash|coma)\b",
    re.I,
)
#: Affixes of chemical names.
_CHEMICAL_SHAPE = re.compile(
    r"(?:ine|ines|ol|ols|ide|ides|ate|ates|one|ones|in|ins|yl|ium|cin|mab|nib|pril|sartan|olol|azole|"
    r"azepam|profen|mycin|cycline|statin|gen|ane|ene|yne|ose|oid|amide|acid|acids|ester|salt|"
    r"chloride|sulfate|sulphate|oxide|phosphate|nitrate)$",
    re.I,
)

#: Endings of ordinary English words (verbs, adjectives, abstract nouns).
_ENGLISH_SHAPE = re.compile(
    r"(?:ed|ing|ly|al|ive|ous|ful|ness|ment|tion|sion|ity|ance|ence|ism|ist|ic|able|ible|ary|ory|"
    r"es|er|ers|ward|wise|logy|ship)$",
    re.I,
)


def chemical_shaped(word: str) -> bool:
    """Whether ``word`` ends like a chemical name ("-ine", "-ol", "sulphate",
    "acid" ...), unlike a plural noun such as "polymorphisms".

    Examples
    --------
    >>> chemical_shaped("sulphate"), chemical_shaped("polymorphisms"), chemical_shaped("Guideline")
    (True, False, False)
    """
    return bool(_CHEMICAL_SHAPE.search(word)) and word.lower() not in _ENGLISH_WORDS


#: Common English words with a chemical-looking ending ("-ine", "-ate").
_ENGLISH_WORDS = frozenset(
    """borderline guideline guidelines baseline online decline define determine examine combine
    medicine routine machine engine genuine discipline canine feline bovine porcine equine murine
    crystalline marine famine doctrine estimate evaluate indicate demonstrate investigate
    candidate update""".split()
)


def is_generic(text: str) -> bool:
    """True when every word of ``text`` is a generic category word: such a
    phrase names no specific outcome, mechanism or condition.

    Examples
    --------
    >>> is_generic("patient-reported outcomes"), is_generic("treatment response")
    (True, True)
    >>> is_generic("opioid consumption")
    False
    """
    words = normalize_key(text).split()
    return bool(words) and all(w in GENERIC_WORDS for w in words)


def looks_like_entity(text: str, typ: str) -> bool:
    """Whether an unlinked statistical mention has the shape of a ``typ``
    name (Drug or Condition): an acronym or a token with digits, a chemical
    affix (Drug), a disease head or affix (Condition). Rejects verbs and
    function words the model may tag ("emerges", "impairment of").

    Examples
    --------
    >>> looks_like_entity("emerges", "Condition"), looks_like_entity("visual deficits", "Condition")
    (False, True)
    >>> looks_like_entity("loreclezole", "Drug"), looks_like_entity("California", "Drug")
    (True, False)
    >>> looks_like_entity("zorbitrex", "Drug"), looks_like_entity("economic", "Drug")
    (True, False)
    >>> looks_like_entity("\u00b9", "Drug")
    False
    """
    words = text.split()
    if not words or words[0].casefold() in _FUNCTION_WORDS or words[-1].casefold() in _FUNCTION_WORDS:
        return False
    if not any(ch.isalpha() for ch in text):  # "¹", "3.5": numbers and citation marks
        return False
    if text.startswith("-") or text.endswith(("-", ",")) or text.count("(") != text.count(")"):
        return False
    if any(ch.isdigit() for ch in text) or any(sum(ch.isupper() for ch in w) >= 2 for w in words):
        return True
    if typ == "Drug":
        if len(words) == 1 and words[0].lower() in _ENGLISH_WORDS:
            return False  # "borderline", "Guideline": English, whatever their ending
        if any(chemical_shaped(w) for w in words):
            return True
        return not (_ENGLISH_SHAPE.search(words[-1]) or words[-1][:1].isupper())
    return bool(_DISEASE_SHAPE.search(text))


_GENE_PRODUCT = re.compile(
    r"\b(?:\w*peptides?|neuropeptide\w*|factors?|receptors?|\w*proteins?|\w{3,}ases?|"
    r"(?<!cortex )(?<!steroid )(?<!\bthyroid )hormones?|interferons?|interleukins?|\w*globulins?|antibod(?:y|ies)|antigens?|cytokines?|chemokines?|"
    r"channels?|transporters?|enzymes?|genes?|dna|rna|\w+trophin|glucagon|erythropoietin|"
    r"\w+kinin|\w+cortin|\w+tensin converting enzyme|apolipoproteins?|lipoproteins?|"
    # structural, plasma and enzyme proteins named without a protein/-ase word
    r"troponins?|integrins?|laminins?|\w*nectins?|\w*selectins?|cathepsins?|calpains?|caspases?|"
    r"fibrinogen|plasminogen(?! activator)|angiotensinogen|kininogens?|prothrombin|thromboplastin|"
    r"fibrinolysin|cytochromes?|electron transport complex|complement(?: c\d\w*)?|aquaporins?|"
    r"\w*philins?|sarcoglycans?|dystroglycans?|dystrophin|collagens?|keratins?|actins?|myosins?|"
    r"tubulins?|ferritins?|transferrins?|hemoglobins?|haemoglobins?|mucins?|histones?|ubiquitins?|"
    # junction, synaptic and carrier proteins; RNAs and codons
    r"\w*albumins?|connexins?|catenins?|cadherins?|claudins?|occludins?|\w*physins?|"
    r"transmembrane conductance regulator|\w*rnas?|codons?)\b",
    re.I,
)


def is_gene_product(name: str) -> bool:
    """Whether a concept name names a protein, enzyme, receptor, peptide
    hormone, gene or nucleic acid (typed Target, not Drug); structural,
    plasma and complement proteins named without "protein" or "-ase"
    (troponin, fibrinogen, cytochrome c, integrins, collagen) included.

    Examples
    --------
    >>> is_gene_product("Vasoactive Intestinal Peptide"), is_gene_product("Glutamate Decarboxylase")
    (True, True)
    >>> is_gene_product("Troponin I"), is_gene_product("Tissue Plasminogen Activator")
    (True, False)
    >>> is_gene_product("Haloperidol"), is_gene_product("Glutamic Acid")
    (False, False)
    """
    return bool(_GENE_PRODUCT.search(name))


def mention_type(concept: Concept) -> str:
    """The mention type of a concept: its type, except that a Drug concept
    naming a gene product (:func:`is_gene_product`) is a Target.

    Examples
    --------
    >>> mention_type(Concept("D014660", "Vasoactive Intestinal Peptide", "Drug"))
    'Target'
    >>> mention_type(Concept("D006220", "Haloperidol", "Drug"))
    'Drug'
    """
    if concept.type == "Drug" and is_gene_product(concept.name):
        return "Target"
    return concept.type
