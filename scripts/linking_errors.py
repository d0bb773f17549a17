#!/usr/bin/env python3
"""Concept-linking error analysis of an entity-stage output against PubTator gold.

Input: a PubTator gold file and an output folder written by
``scripts/eval_ner.py`` (``OUT/documents/<pmid>.json``). Output (stdout): the
per-document concept errors the scorer counts (``(document, Chemical|Disease,
MeSH id)``), aggregated by frequency:

* missed gold ids, with the gold surface forms and what we predicted on those
  spans: ``none`` (no mention overlaps), ``unlinked`` (a mention, no id),
  ``other:<id>`` (linked to another id), ``partial`` (an overlapping mention
  of another extent), ``type`` (same id, other coarse type);
* false ids: our id, our surface forms and the gold id at that span
  (``-`` when the span is no gold mention).

Example::

    python scripts/eval_ner.py /work/shared/data/bc5cdr/CDR_DevelopmentSet.PubTator.txt --out /tmp/o
    python scripts/linking_errors.py /work/shared/data/bc5cdr/CDR_DevelopmentSet.PubTator.txt /tmp/o --top 60
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

CHEM = {"Chemical", "ChemicalEntity"}
DIS = {"Disease", "DiseaseOrPhenotypicFeature"}
PRED_CHEM = {"drug", "chemical", "chemicalentity"}
PRED_DIS = {"condition", "disease", "adverseeffect", "diseaseorphenotypicfeature", "phenotype"}


def _norm_id(i: str | None) -> str:
    return re.sub(r"^(mesh|MESH|MeSH)[:_]", "", (i or "").strip())


def _ids(s: str) -> list[str]:
    return [_norm_id(x) for x in re.split(r"[|;,]", s or "") if x and x not in ("-1", "-")]


def read_gold(path: Path) -> dict[str, list[tuple[int, int, str, str, list[str]]]]:
    """``pmid -> [(start, end, text, coarse type, ids)]`` of a PubTator file."""
    docs: dict[str, list] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) >= 6 and f[1].isdigit():
            ct = "Chemical" if f[4] in CHEM else "Disease" if f[4] in DIS else None
            if ct:
                docs[f[0]].append((int(f[1]), int(f[2]), f[3], ct, _ids(f[5])))
    return docs


def read_pred(out: Path, pmid: str) -> list[tuple[int, int, str, str | None, str]]:
    """``[(start, end, text, coarse type, id)]`` of one output document."""
    p = out / "documents" / f"{pmid}.json"
    if not p.exists():
        return []
    res = []
    for m in json.loads(p.read_text(encoding="utf-8")).get("mentions", []):
        t = (m.get("type") or "").lower()
        ct = "Chemical" if t in PRED_CHEM else "Disease" if t in PRED_DIS else None
        if ct:
            res.append((int(m["start"]), int(m["end"]), m["text"], ct, _norm_id(m.get("id"))))
    return res


def analyse(gold_path: Path, out: Path):
    """Counters of missed and false concept ids with their reasons."""
    gold = read_gold(gold_path)
    missed: Counter = Counter()
    missed_why: dict[tuple, Counter] = defaultdict(Counter)
    false: Counter = Counter()
    false_why: dict[tuple, Counter] = defaultdict(Counter)
    reasons: Counter = Counter()
    for pmid, gms in gold.items():
        pms = read_pred(out, pmid)
        g_c = {(ct, i) for _s, _e, _t, ct, ids in gms for i in ids}
        p_c = {(ct, i) for _s, _e, _t, ct, i in pms if i}
        p_ids = {i for _s, _e, _t, _ct, i in pms if i}
        for ct, gid in sorted(g_c - p_c):
            seen = set()
            for s, e, txt, gct, ids in gms:
                if gct != ct or gid not in ids:
                    continue
                exact = [p for p in pms if p[0] == s and p[1] == e]
                over = [p for p in pms if p[0] < e and s < p[1]]
                if gid in p_ids:
                    why = "type"
                elif exact:
                    why = f"other:{exact[0][4]}" if exact[0][4] else "unlinked"
                elif over:
                    why = f"partial:{over[0][2]}|{over[0][4] or '-'}"
                else:
                    why = "none"
                seen.add((txt.lower(), why))
            for txt, why in sorted(seen):
                missed[(ct, gid)] += 1
                missed_why[(ct, gid)][f"{txt} -> {why}"] += 1
                reasons[why.split(":")[0]] += 1
        for ct, pid in sorted(p_c - g_c):
            seen = set()
            for s, e, txt, pct, i in pms:
                if pct != ct or i != pid:
                    continue
                at = [g for g in gms if g[0] == s and g[1] == e]
                gat = "|".join(at[0][4]) or "-1" if at else "-"
                seen.add((txt.lower(), gat))
            false[(ct, pid)] += 1
            for txt, gat in sorted(seen):
                false_why[(ct, pid)][f"{txt} (gold {gat})"] += 1
    return missed, missed_why, false, false_why, reasons


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--top", type=int, default=50)
    a = ap.parse_args(argv)
    missed, missed_why, false, false_why, reasons = analyse(a.gold, a.out)
    sys.stdout.write(f"missed (doc, id) by reason (per surface form): {dict(reasons.most_common())}\n")
    sys.stdout.write(f"\n== missed gold ids: {sum(missed.values())} ==\n")
    for (ct, gid), n in missed.most_common(a.top):
        forms = "; ".join(f"{k} x{v}" for k, v in missed_why[(ct, gid)].most_common(4))
        sys.stdout.write(f"{n:4d} {ct[:4]} {gid:12s} {forms}\n")
    sys.stdout.write(f"\n== false ids: {sum(false.values())} ==\n")
    for (ct, pid), n in false.most_common(a.top):
        forms = "; ".join(f"{k} x{v}" for k, v in false_why[(ct, pid)].most_common(4))
        sys.stdout.write(f"{n:4d} {ct[:4]} {pid:12s} {forms}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
