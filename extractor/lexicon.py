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
Rows of a file named ``*_in_context.tsv`` are never matched by the
dictionary: their single-word surfaces (``Lexicon.context_terms``) are
mentions only where the text names an adverse effect around them
(:mod:`extractor.mention_resolver`): "sedation" is a side effect in "may
cause sedation", an intended state in "sedation for MRI".

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
import zlib
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


#: British ``-ise``/``-yse`` verb and noun endings after a stem that takes ``-ize``
#: ("sensitisation", "localised", "analysed"; not "promise", "exercise"),
#: and ``sulph-`` ("sulphate").
_BRITISH_Z = re.compile(
    r"(?<=[a-z]{2}(?:al|ar|in|on|an|or|ol|en|er|it|ic|ul|at|ti|ni|ri|li|gn|il|un|im|es|et|ll|as))is(?=e\b|es\b|ed\b|ing\b|ation|er\b|ers\b)"
    r"|(?<=[a-z]{2}l)ys(?=e\b|es\b|ed\b|ing\b)"
    r"|(?<![a-z])sulph(?=[a-z])|(?<=[a-z])sulph(?=[aeiou])"
)


def _zed(m: re.Match) -> str:
    g = m.group()
    return "sulf" if g == "sulph" else g[0] + "z"


def normalize_key(text: str) -> str:
    """Casefold ``text``, drop possessives and accents, spell British
    ``ae``/``oe``/``-our``/``-ise``/``-yse``/``sulph`` the American way, turn
    punctuation into spaces: the lookup key of the lexicon.

    Examples
    --------
    >>> normalize_key("TNF-α")
    'tnf alpha'
    >>> normalize_key("5-HT(3)")
    '5 ht 3'
    >>> normalize_key("Anaemia, oedema and tumours") == normalize_key("anemia, edema and tumors")
    True
    >>> normalize_key("sensitisation, hospitalised, analysed, morphine sulphate")
    'sensitization hospitalized analyzed morphine sulfate'
    >>> normalize_key("promise exercise otherwise")
    'promise exercise otherwise'
    """
    key = _NON_ALNUM.sub(" ", _fold(text).casefold())
    if "ae" in key or "oe" in key or "our" in key:
        key = _BRITISH.sub(_americanize, key)
    if "is" in key or "ys" in key or "sulph" in key:
        key = _BRITISH_Z.sub(_zed, key)
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
        #: single-word surface (lower case) -> concept key, matched in context only
        self.context_terms: dict[str, str] = {}
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
            data = json.loads(zlib.decompress(path.read_bytes(), 31))  # gzip; faster than gzip.decompress
        except (OSError, EOFError, ValueError, zlib.error) as exc:
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
            if path.name.endswith("_in_context.tsv"):
                for surface in expand_pattern(pattern):
                    if surface and " " not in surface:
                        self.context_terms[surface.lower()] = ckey
                continue
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


def _needs_case(surface: str, key: str) -> bool:
    letters = [ch for ch in surface if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return len(key.replace(" ", "")) <= 5 and upper >= 2 or (len(letters) <= 6 and upper == len(letters) > 1)


def build_lexicon(**kwargs) -> "Lexicon":
    """See :func:`extractor.lexicon_build.build_lexicon` (imported on use)."""
    from extractor.lexicon_build import build_lexicon as build

    return build(**kwargs)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m extractor.lexicon build ...``: see :mod:`extractor.lexicon_build`."""
    from extractor.lexicon_build import main as build_main

    return build_main(argv)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
