"""CID priors and the second stage of the document-level relation model.

Input: for building, the ``(chemical ids, disease ids, CID pairs)`` of each
document of a training corpus (BC5CDR train, see
``training/relations/priors.py``); for inference, a (chemical id, disease id)
pair, or the first-stage probabilities of a document's pairs. Output:
:class:`CidPriors` (counts, JSON round trip) and their named ``prior_*``
features of a pair (:meth:`CidPriors.features`), and the second-stage
features of each pair of a document (:func:`doc_features`), both used by
:class:`extractor.relation_model.RelationModel`.

The priors ship as JSON next to the model (``extractor/data/cid_priors.json``);
:func:`load_priors` reads them and :func:`read_json_resource` reads either
JSON file (a given path, else the bundled resource). Only the standard
library is needed.

Examples
--------
>>> p = load_priors(PRIORS_RESOURCE, None)
>>> p.n_docs > 0
True
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from extractor.errors import ModelNotFoundError

__all__ = [
    "CidPriors",
    "doc_features",
    "load_priors",
    "read_json_resource",
    "PRIORS_RESOURCE",
]

#: Package resource holding the CID priors learned from BC5CDR train.
PRIORS_RESOURCE = "cid_priors.json"


def _norm(i: str) -> str:
    """Concept id without a ``MESH:`` prefix, upper case (prior keys)."""
    i = i.strip()
    if i[:5].upper() == "MESH:":
        i = i[5:]
    return i.upper()


@dataclass(frozen=True)
class CidPriors:
    """Counts learned from a training corpus of CID relations.

    For a chemical (or disease) id: in how many training documents it occurs
    and in how many of those it is part of a CID pair. For a (chemical,
    disease) pair: in how many documents both occur and in how many of those
    the pair is a CID relation. Ids are stored without a ``MESH:`` prefix.

    Examples
    --------
    >>> p = CidPriors.build([({"C1"}, {"D1", "D2"}, {("C1", "D1")}),
    ...                      ({"C1"}, {"D1"}, {("C1", "D1")})])
    >>> p.pairs["C1|D1"], p.chems["C1"], p.diseases["D2"]
    ((2, 2), (2, 2), (0, 1))
    >>> f = p.features("MESH:C1", "MESH:D1")
    >>> f["prior_pair_cid"], round(f["prior_pair_rate"], 3)
    (1.0, 0.667)
    """

    pairs: Mapping[str, tuple[int, int]]
    chems: Mapping[str, tuple[int, int]]
    diseases: Mapping[str, tuple[int, int]]
    n_docs: int
    card: Mapping = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        docs: Iterable[tuple[set[str], set[str], set[tuple[str, str]]]],
        card: Mapping | None = None,
        min_pair_docs: int = 2,
    ) -> CidPriors:
        """Count priors from ``(chemical ids, disease ids, CID pairs)`` per
        document. A pair is kept when it is a CID pair at least once or
        co-occurs in at least ``min_pair_docs`` documents."""
        chem_n: Counter[str] = Counter()
        chem_k: Counter[str] = Counter()
        dis_n: Counter[str] = Counter()
        dis_k: Counter[str] = Counter()
        pair_n: Counter[str] = Counter()
        pair_k: Counter[str] = Counter()
        n = 0
        for chems, diseases, cid in docs:
            n += 1
            cs = {_norm(c) for c in chems}
            ds = {_norm(d) for d in diseases}
            pos = {(_norm(c), _norm(d)) for c, d in cid}
            cs |= {c for c, _ in pos}
            ds |= {d for _, d in pos}
            chem_n.update(cs)
            dis_n.update(ds)
            chem_k.update({c for c, _ in pos})
            dis_k.update({d for _, d in pos})
            pair_n.update(c + "|" + d for c in cs for d in ds)
            pair_k.update(c + "|" + d for c, d in pos)
        pairs = {k: (pair_k[k], pair_n[k]) for k in sorted(pair_n) if pair_k[k] or pair_n[k] >= min_pair_docs}
        return cls(
            pairs=pairs,
            chems={k: (chem_k[k], chem_n[k]) for k in sorted(chem_n)},
            diseases={k: (dis_k[k], dis_n[k]) for k in sorted(dis_n)},
            n_docs=n,
            card=dict(card or {}),
        )

    def features(self, chem: str, dis: str) -> dict[str, float]:
        """Prior features of the (``chem``, ``dis``) pair (ids with or
        without ``MESH:``): whether and how often it is a known CID pair,
        and how often the chemical and the disease take part in one."""
        f: dict[str, float] = {}
        c, d = _norm(chem), _norm(dis)
        k, n = self.pairs.get(c + "|" + d, (0, 0))
        if k:
            f["prior_pair_cid"] = 1.0
            f["prior_pair_rate"] = k / (n + 1.0)
            f["prior_pair_logk"] = math.log1p(k)
        elif n:
            f["prior_pair_never"] = math.log1p(n)
        for name, table in (("chem", self.chems), ("dis", self.diseases)):
            k, n = table.get(c if name == "chem" else d, (0, 0))
            if n:
                f[f"prior_{name}_rate"] = (k + 0.5) / (n + 1.0)
                f[f"prior_{name}_seen"] = math.log1p(n)
            else:
                f[f"prior_{name}_unseen"] = 1.0
        return f

    def to_dict(self) -> dict:
        """JSON-ready dict (keys sorted)."""
        return {
            "type": "CidPriors",
            "version": 1,
            "n_docs": self.n_docs,
            "card": dict(self.card),
            "pairs": {k: list(self.pairs[k]) for k in sorted(self.pairs)},
            "chems": {k: list(self.chems[k]) for k in sorted(self.chems)},
            "diseases": {k: list(self.diseases[k]) for k in sorted(self.diseases)},
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> CidPriors:
        """Inverse of :meth:`to_dict`."""

        def table(x: Mapping) -> dict[str, tuple[int, int]]:
            return {str(k): (int(v[0]), int(v[1])) for k, v in x.items()}

        return cls(table(d["pairs"]), table(d["chems"]), table(d["diseases"]), int(d["n_docs"]), dict(d.get("card", {})))


def doc_features(pairs: Sequence[tuple[str, str]], probabilities: Sequence[float]) -> list[dict[str, float]]:
    """Second-stage features of each (chemical, disease) pair of one
    document: its first-stage log-odds, its gap to the document's best pair,
    its rank among the document's pairs (ties by position) and whether it is
    the best pair of its disease and of its chemical.

    Examples
    --------
    >>> f = doc_features([("C1", "D1"), ("C2", "D1")], [0.8, 0.2])
    >>> f[0]["rank_0"], f[1]["rank_1"], f[1]["best_chem_for_dis"], f[1]["best_dis_for_chem"]
    (1.0, 1.0, 0.0, 1.0)
    """
    if not pairs:
        return []
    top = max(probabilities)
    best_for_dis: dict[str, float] = {}
    best_for_chem: dict[str, float] = {}
    for (c, d), p in zip(pairs, probabilities):
        best_for_dis[d] = max(best_for_dis.get(d, 0.0), p)
        best_for_chem[c] = max(best_for_chem.get(c, 0.0), p)
    order = sorted(range(len(pairs)), key=lambda i: (-probabilities[i], i))
    rank = {i: r for r, i in enumerate(order)}
    n = math.log1p(len(pairs))
    out = []
    for i, ((c, d), p) in enumerate(zip(pairs, probabilities)):
        q = min(max(p, 1e-6), 1 - 1e-6)
        out.append({
            "logit": math.log(q / (1 - q)),
            "gap_max": p - top,
            f"rank_{min(rank[i], 3)}": 1.0,
            "best_chem_for_dis": 1.0 if p >= best_for_dis[d] else 0.0,
            "best_dis_for_chem": 1.0 if p >= best_for_chem[c] else 0.0,
            "n_pairs": n,
        })
    return out


def read_json_resource(path: Path | None, resource: str, what: str) -> dict:
    """The JSON file at ``path``, else the bundled resource ``resource`` of
    ``extractor/data``.

    Parameters
    ----------
    path : Path, optional
        A file to read instead of the bundled resource.
    resource : str
        File name of the bundled resource (``extractor/data/<resource>``).
    what : str
        What the file holds, for error messages ("relation model").

    Raises
    ------
    ModelNotFoundError
        When the file cannot be read or is not JSON.
    """
    if path is not None:
        try:
            return json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelNotFoundError(
                f"cannot read {what}: {exc}", path=path, stage="relations",
                fix="retrain with training/relations/train_cid.py or reinstall extractor",
            ) from exc
    try:
        text = resources.files("extractor").joinpath("data", resource).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, ValueError, ModuleNotFoundError) as exc:
        raise ModelNotFoundError(
            f"cannot read the bundled {what}: {exc}",
            path=f"extractor/data/{resource}", stage="relations",
            fix="reinstall extractor or retrain with training/relations/train_cid.py",
        ) from exc


def load_priors(name: str, model_path: Path | None) -> CidPriors:
    """The CID priors file ``name``: next to ``model_path``, else bundled.

    Parameters
    ----------
    name : str
        File name of the priors (a model's ``priors_resource``).
    model_path : Path, optional
        The model file the priors belong to; None for the bundled model.

    Raises
    ------
    ModelNotFoundError
        When the file is missing or not a priors file.
    """
    if model_path is not None:
        d = read_json_resource(Path(model_path).parent / name, resource=name, what="CID priors")
    else:
        d = read_json_resource(None, resource=name, what="CID priors")
    try:
        return CidPriors.from_dict(d)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise ModelNotFoundError(
            f"not a CID priors file ({exc})", path=name, stage="relations",
            fix="rebuild with training/relations/tune_e2e.py (it writes the priors next to the model)",
        ) from exc
