"""Evaluation stage: score an output folder against reference annotations.

Input: an output folder written by ``extractor run`` (``triples.jsonl``,
``claims.jsonl``, ``documents/*.json``, ``summaries/*.md``; see
``shared/CONTRACT.md``) and a reference: a gold article JSON
(:func:`evaluate_article`) or a PubTator corpus such as BC5CDR or BioRED
(:func:`evaluate_pubtator`). Output: an :class:`Evaluation` with
human-readable ``lines`` and a ``figures`` dict.

The figures and lines are those of the project's reference scorer
``shared/tools/score.py`` (same keys, same values rounded to 4 decimals),
reimplemented here with typed code so the CLI can call it in-process.

Examples
--------
>>> prf(3, 4, 6)
(0.75, 0.5, 0.6)
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from extractor.errors import InputFormatError

__all__ = [
    "Evaluation",
    "evaluate_article",
    "evaluate_pubtator",
    "prf",
    "norm",
    "norm_id",
]

log = logging.getLogger(__name__)

_CHEM = frozenset({"Chemical", "ChemicalEntity"})
_DIS = frozenset({"Disease", "DiseaseOrPhenotypicFeature"})
_PRED_CHEM = frozenset({"drug", "chemical", "chemicalentity"})
_PRED_DIS = frozenset({"condition", "disease", "adverseeffect", "diseaseorphenotypicfeature", "phenotype"})


@dataclass(frozen=True)
class Evaluation:
    """Result of an evaluation.

    Attributes
    ----------
    lines : tuple of str
        Human-readable report, one figure per line.
    figures : dict
        Figure name to value (rounded to 4 decimals), the keys of
        ``score.py --json``.
    """

    lines: tuple[str, ...]
    figures: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """The one-line figure (``name=value`` pairs)."""
        return " ".join(f"{k}={v:.3f}" for k, v in self.figures.items())


# ------------------------------------------------------------------ helpers


def norm(s: str | None) -> str:
    """Normalise a name for matching (lower case, no possessive, no punctuation).

    Examples
    --------
    >>> norm("Drug's  Effect!")
    'drug effect'
    """
    s = (s or "").lower().replace("\u2019", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^a-z0-9+\-/ ]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def norm_id(i: Any) -> str | None:
    """Normalise a concept id (drop a ``MESH:`` prefix, upper case).

    Examples
    --------
    >>> norm_id("MESH:d007649")
    'D007649'
    >>> norm_id(None) is None
    True
    """
    if not i:
        return None
    s = re.sub(r"^(mesh|MESH|MeSH)[:_]", "", str(i).strip())
    return s.upper() or None


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _fmt(name: str, tp: int, n_pred: int, n_gold: int) -> tuple[str, float]:
    p, r, f = prf(tp, n_pred, n_gold)
    return f"{name:<34} P={p:.3f} R={r:.3f} F1={f:.3f}  (tp={tp} pred={n_pred} gold={n_gold})", f


def _read_jsonl(path: Path) -> list[dict]:
    rows: list[dict] = []
    if not path.exists():
        return rows
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputFormatError(
                    f"line {n} is not JSON: {exc}", path=path, stage="evaluate",
                    fix="re-run `extractor run` to rewrite the output folder",
                ) from exc
    return rows


def _read_documents(out: Path) -> dict[str, dict]:
    docs: dict[str, dict] = {}
    folder = out / "documents"
    if folder.is_dir():
        for p in sorted(folder.glob("*.json")):
            try:
                d = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputFormatError(
                    f"not a document JSON: {exc}", path=p, stage="evaluate",
                    fix="re-run `extractor run` to rewrite the output folder",
                ) from exc
            docs[str(d.get("doc_id", p.stem))] = d
    return docs


def _check_out(out: Path) -> Path:
    out = Path(out)
    if not out.is_dir():
        raise InputFormatError(
            "no output folder", path=out, stage="evaluate",
            fix="run `extractor run INPUT --out OUT` first or pass the right --out",
        )
    return out


def _rounded(figures: Mapping[str, float]) -> dict[str, float]:
    return {k: round(float(v), 4) for k, v in figures.items()}


# ------------------------------------------------------------------ article


def _entity_matches(pred: Mapping, gold_ent: Mapping) -> bool:
    gid = norm_id(gold_ent.get("id"))
    if gid and norm_id(pred.get("id")) == gid:
        return True
    pname = norm(pred.get("name") or pred.get("text"))
    if not pname:
        return False
    for g in gold_ent["names"]:
        gn = norm(g)
        if pname == gn:
            return True
        if len(gn) >= 4 and re.search(r"(^| )" + re.escape(gn) + r"($| )", pname):
            return True
    return False


def _pairs(members: Iterable[tuple[str, int]]) -> set[frozenset]:
    m = list(members)
    return {
        frozenset((m[i], m[j])) for i in range(len(m)) for j in range(i + 1, len(m)) if m[i] != m[j]
    }


def evaluate_article(gold_json: Path, out: Path, doc_id: str | None = None) -> Evaluation:
    """Score ``out`` against a gold article annotation.

    Parameters
    ----------
    gold_json : Path
        Gold annotation in the format of ``shared/gold/*.gold.json``.
    out : Path
        Output folder of ``extractor run``.
    doc_id : str, optional
        The article's ``doc_id`` in ``out`` (default: the gold document's
        file stem, or the only document).

    Returns
    -------
    Evaluation
        Figures ``relations_f1``, ``claim_slot_recall``, ``dedup_f1``,
        ``sections_ok``, ``summary_ratio``, ``summary_coverage``.

    Raises
    ------
    InputFormatError
        When ``out`` is not a folder or a file in it is not JSON.
    """
    out = _check_out(out)
    try:
        gold = json.loads(Path(gold_json).read_text(encoding="utf-8"))
        ents = gold["entities"]
    except (OSError, ValueError, KeyError) as exc:
        raise InputFormatError(
            f"not a gold article annotation: {exc}", path=gold_json, stage="evaluate",
            fix="pass a file in the format of shared/gold/*.gold.json",
        ) from exc
    docs = _read_documents(out)
    if doc_id is None:
        stem = Path(gold["document"]).stem
        doc_id = stem if stem in docs else (next(iter(docs)) if len(docs) == 1 else stem)
    lines: list[str] = []
    figures: dict[str, float] = {}

    # relations by class, one prediction per (subject name, class, object name)
    triples = [
        t for t in _read_jsonl(out / "triples.jsonl")
        if any(str(e.get("doc_id")) == doc_id for e in t.get("evidence", [])) or not docs
    ]
    seen: dict[tuple, dict] = {}
    for t in triples:
        key = (norm(t["subject"].get("name")), t.get("relation_class"), norm(t["object"].get("name")))
        seen.setdefault(key, t)
    gold_rel = gold["relations"]
    found = [False] * len(gold_rel)
    tp = fp = 0
    for t in seen.values():
        hit = ignored = False
        for k, g in enumerate(gold_rel):
            classes = [g["class"]] + g.get("also_accept_class", [])
            if (
                t.get("relation_class") in classes
                and _entity_matches(t["subject"], ents[g["subject"]])
                and _entity_matches(t["object"], ents[g["object"]])
            ):
                if g.get("optional"):
                    ignored = True
                else:
                    hit = True
                    found[k] = True
        if hit:
            tp += 1
        elif not ignored:
            fp += 1
    n_gold = sum(1 for g in gold_rel if not g.get("optional"))
    hits = sum(1 for k, g in enumerate(gold_rel) if found[k] and not g.get("optional"))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = hits / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    lines.append(
        f"{'relations (by class)':<34} P={p:.3f} R={r:.3f} F1={f:.3f}  "
        f"(pred={tp + fp} tp={tp} gold={n_gold} found={hits})"
    )
    for k, g in enumerate(gold_rel):
        if not found[k] and not g.get("optional"):
            lines.append(f"    missed: {g['subject']} -{g['class']}-> {g['object']}")
    figures["relations_f1"] = f

    # claim slots found among the claims citing the gold claim's citation
    claims = _read_jsonl(out / "claims.jsonl")
    slot_hits = slot_total = 0
    for gc in gold.get("claims", []):
        cands = [
            c for c in claims
            if any(gc["citation"] in [str(x) for x in e.get("citations", [])] for e in c.get("evidence", []))
        ]
        for slot in ("mechanism", "condition", "outcome", "adverse"):
            for key in gc.get(slot, []):
                slot_total += 1
                if any(_entity_matches(e, ents[key]) for c in cands for e in (c.get(slot) or [])):
                    slot_hits += 1
    cr = slot_hits / slot_total if slot_total else 0.0
    lines.append(f"{'claim slots found (recall)':<34} {cr:.3f}  ({slot_hits}/{slot_total}, claims={len(claims)})")
    figures["claim_slot_recall"] = cr

    doc = docs.get(doc_id, {})
    gold_pairs: set[frozenset] = set()
    for g in gold["duplicate_groups"]["groups"]:
        gold_pairs |= _pairs(tuple(x) for x in g["members"])
    pred_pairs: set[frozenset] = set()
    for grp in doc.get("paragraph_groups", []):
        pred_pairs |= _pairs((x[0], int(x[1])) for x in grp)
    # pairs with the Conclusion (which restates several groups) are not scored
    scored = {pp for pp in pred_pairs if not any(x[0] == "Conclusion" for x in pp)}
    line, fdup = _fmt("duplicate paragraph pairs", len(scored & gold_pairs), len(scored), len(gold_pairs))
    lines.append(line)
    figures["dedup_f1"] = fdup

    secs = {s.get("name"): len(s.get("paragraphs", [])) for s in doc.get("sections", [])}
    want = gold["duplicate_groups"].get("paragraph_counts", {})
    ok_names = all(nm in secs for nm in gold["sections"])
    ok_counts = all(secs.get(k) == v for k, v in want.items())
    names_txt = "ok" if ok_names else "MISSING " + str([nm for nm in gold["sections"] if nm not in secs])
    counts_txt = "ok" if ok_counts else str({k: secs.get(k) for k in want})
    lines.append(f"{'sections':<34} names={names_txt} paragraph counts={counts_txt}")
    figures["sections_ok"] = float(ok_names and ok_counts)

    summ = out / "summaries" / f"{doc_id}.md"
    if summ.exists() and doc.get("text"):
        s_text = summ.read_text(encoding="utf-8")
        body = 0
        for s in doc.get("sections", []):
            if s.get("name") in ("Introduction", "Description", "Conclusion"):
                for para in s.get("paragraphs", []):
                    body += len(doc["text"][para["start"] : para["end"]].split())
        ratio = len(s_text.split()) / body if body else 0.0
        s_norm = norm(s_text)
        cov = [
            any(norm(nm) in s_norm for nm in ents[g["object"]]["names"])
            for g in gold_rel if not g.get("optional")
        ]
        c = sum(cov) / len(cov) if cov else 0.0
        lines.append(f"{'summary':<34} words/body={ratio:.2f} relation objects covered={c:.2f}")
        figures["summary_ratio"], figures["summary_coverage"] = ratio, c
    else:
        lines.append(f"{'summary':<34} MISSING {summ}")
        figures["summary_ratio"], figures["summary_coverage"] = 0.0, 0.0
    return Evaluation(lines=tuple(lines), figures=_rounded(figures))


# ------------------------------------------------------------------ pubtator


def _coarse(t: str | None, pred: bool = False) -> str | None:
    if pred:
        t = (t or "").lower()
        return "Chemical" if t in _PRED_CHEM else "Disease" if t in _PRED_DIS else None
    return "Chemical" if t in _CHEM else "Disease" if t in _DIS else None


@dataclass
class _GoldDoc:
    mentions: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)


def _read_pubtator(path: Path) -> dict[str, _GoldDoc]:
    docs: dict[str, _GoldDoc] = defaultdict(_GoldDoc)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFormatError(
            f"cannot read PubTator gold: {exc}", path=path, stage="evaluate",
            fix="pass a PubTator file (BC5CDR or BioRED)",
        ) from exc
    for line in text.splitlines():
        if not line.strip() or re.match(r"^(\d+)\|([ta])\|", line):
            continue
        f = line.split("\t")
        if len(f) >= 6 and f[1].isdigit():
            docs[f[0]].mentions.append((int(f[1]), int(f[2]), f[3], f[4], f[5]))
        elif len(f) >= 4:
            docs[f[0]].relations.append((f[1], f[2], f[3]))
    return dict(docs)


def _ids(s: str | None) -> set[str]:
    return {i for i in (norm_id(x) for x in re.split(r"[|;,]", s or "") if x and x not in ("-1", "-")) if i}


def evaluate_pubtator(gold: Path, out: Path, corpus: str | None = None) -> Evaluation:
    """Score ``out`` against a PubTator corpus (mentions, concepts, relations).

    Parameters
    ----------
    gold : Path
        PubTator file (BC5CDR or BioRED).
    out : Path
        Output folder of ``extractor run`` on that corpus.
    corpus : {"bc5cdr", "biored"}, optional
        How relations are scored; by default ``bc5cdr`` when the file name
        contains ``CDR``, else ``biored``.

    Returns
    -------
    Evaluation
        Figures ``ner_f1``, ``ner_f1_chemical``, ``ner_f1_disease``,
        ``norm_f1``, ``rel_f1`` (and ``pair_f1`` for BioRED).
    """
    out = _check_out(out)
    corpus = corpus or ("bc5cdr" if "CDR" in Path(gold).name else "biored")
    if corpus not in ("bc5cdr", "biored"):
        raise InputFormatError(
            f"unknown corpus {corpus!r}", path=gold, stage="evaluate", fix="use bc5cdr or biored"
        )
    gdocs = _read_pubtator(gold)
    docs = _read_documents(out)
    lines: list[str] = []
    figures: dict[str, float] = {}
    missing = [d for d in gdocs if d not in docs]
    if missing:
        lines.append(
            f"documents missing from {out}/documents: {len(missing)} of {len(gdocs)} (e.g. {missing[:3]})"
        )
    g_m: set[tuple] = set()
    p_m: set[tuple] = set()
    g_c: set[tuple] = set()
    p_c: set[tuple] = set()
    id_type: dict[tuple[str, str], str] = {}
    for d, g in gdocs.items():
        for s, e, _txt, typ, i in g.mentions:
            ct = _coarse(typ)
            if ct:
                g_m.add((d, s, e, ct))
                for x in _ids(i):
                    g_c.add((d, ct, x))
                    id_type[(d, x)] = ct
    for d, doc in docs.items():
        if d not in gdocs:
            continue
        for mnt in doc.get("mentions", []):
            ct = _coarse(mnt.get("type"), pred=True)
            if ct:
                p_m.add((d, int(mnt["start"]), int(mnt["end"]), ct))
                i = norm_id(mnt.get("id"))
                if i:
                    p_c.add((d, ct, i))
    line, f = _fmt("mentions (exact span+type)", len(g_m & p_m), len(p_m), len(g_m))
    lines.append(line)
    figures["ner_f1"] = f
    for ct in ("Chemical", "Disease"):
        gg = {x for x in g_m if x[3] == ct}
        pp = {x for x in p_m if x[3] == ct}
        line, f2 = _fmt(f"  {ct}", len(gg & pp), len(pp), len(gg))
        lines.append(line)
        figures[f"ner_f1_{ct.lower()}"] = f2
    line, f = _fmt("concepts per document (MeSH id)", len(g_c & p_c), len(p_c), len(g_c))
    lines.append(line)
    figures["norm_f1"] = f

    g_r: set[tuple] = set()
    g_any: set[tuple] = set()
    for d, g in gdocs.items():
        for rtype, a, b in g.relations:
            for x in _ids(a):
                for y in _ids(b):
                    if corpus == "bc5cdr":
                        if rtype == "CID":
                            g_r.add((d, x, y, "adverse"))
                            g_any.add((d, x, y))
                        continue
                    ta, tb = id_type.get((d, x)), id_type.get((d, y))
                    if {ta, tb} != {"Chemical", "Disease"}:
                        continue
                    c, dz = (x, y) if ta == "Chemical" else (y, x)
                    g_any.add((d, c, dz))
                    if rtype == "Negative_Correlation":
                        g_r.add((d, c, dz, "treats"))
                    elif rtype == "Positive_Correlation":
                        g_r.add((d, c, dz, "adverse"))
    p_r: set[tuple] = set()
    p_any: set[tuple] = set()
    for t in _read_jsonl(out / "triples.jsonl"):
        s, o = t.get("subject", {}), t.get("object", {})
        cs, co = _coarse(s.get("type"), True), _coarse(o.get("type"), True)
        si, oi = norm_id(s.get("id")), norm_id(o.get("id"))
        if not (si and oi) or t.get("negated"):
            continue
        if cs == "Chemical" and co == "Disease":
            c, dz = si, oi
        elif cs == "Disease" and co == "Chemical":
            c, dz = oi, si
        else:
            continue
        for e in t.get("evidence", []):
            d = str(e.get("doc_id"))
            if d in gdocs:
                p_any.add((d, c, dz))
                rc = t.get("relation_class")
                if corpus == "bc5cdr" and rc == "adverse":
                    p_r.add((d, c, dz, "adverse"))
                elif corpus == "biored" and rc in ("treats", "adverse"):
                    p_r.add((d, c, dz, rc))
    name = "CID relations per document" if corpus == "bc5cdr" else "chem-disease relations (typed)"
    line, f = _fmt(name, len(g_r & p_r), len(p_r), len(g_r))
    lines.append(line)
    figures["rel_f1"] = f
    if corpus == "biored":
        line, f2 = _fmt("chem-disease pairs (any type)", len(g_any & p_any), len(p_any), len(g_any))
        lines.append(line)
        figures["pair_f1"] = f2
    return Evaluation(lines=tuple(lines), figures=_rounded(figures))
