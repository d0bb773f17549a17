"""Robustness of the article pipeline on rewritten copies of the seed article.

The held-out articles include variants of the seed. This script writes
variants of ``shared/seeds/<seed>.txt`` into a temporary folder, runs
``extractor run`` on each (default and ``--fast``) and scores it with
``shared/tools/score.py article`` against the seed's gold annotation (its
drug names and id rewritten for the drug swaps). Printed: one line of figures
per variant and mode, then the variants whose relations F1 or claim-slot
recall fell below 1.

Variants:

- ``drug:<name>``: every "ketamine" replaced by another drug (the gold's names
  and MeSH id too): does a relation depend on what the document model learned
  about one drug?
- ``condition:<name>`` / ``adverse:<name>``: a condition (complex regional
  pain syndrome and its abbreviation, fibromyalgia) or an adverse effect
  (hallucinations) replaced by another one, in the text and the gold;
- ``cite:parentheses`` / ``cite:glued`` / ``cite:superscript`` /
  ``cite:superscript-after``: the "[n]" markers written "(n)", "word(n)",
  "word¹" and "word.¹";
- ``headings:plain``: markdown "#" removed from the headings;
- ``lines:wrapped``: every paragraph hard-wrapped at 78 columns;
- ``headings:renamed``: Background and Discussion for Introduction and
  Description (the gold's section names too; ``summary_ratio`` is then not
  comparable: score.py counts body words of sections by their seed names).

Usage::

    python benchmarks/seed_variants.py [--modes default,fast] [--drugs lidocaine,naloxone]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "ketamine_perioperative_pain_sharma2025.txt"
GOLD = SHARED / "gold" / "ketamine_perioperative_pain_sharma2025.gold.json"
SEED_DRUG, SEED_ID = "ketamine", "MESH:D007649"

#: Drugs swapped in, with their MeSH descriptor ids (from the descriptor list).
DRUGS = {
    "memantine": "D008559", "lidocaine": "D008012", "dexmedetomidine": "D020927",
    "gabapentin": "D000077206", "morphine": "D009020", "tramadol": "D014147", "methadone": "D008691",
    "clonidine": "D003000", "pregabalin": "D000069583", "amantadine": "D000547",
    "dextromethorphan": "D003915", "propofol": "D015742", "midazolam": "D008874",
    "magnesium": "D008274", "naloxone": "D009270", "buprenorphine": "D002047",
}
#: Other conditions and adverse effects swapped in: name -> ((seed text, new
#: text) replacements, applied in order to the article and the gold, (seed
#: MeSH id, new MeSH id)); the ids from the descriptor list.
SWAPS = {
    "condition:phantom-limb-pain": (
        (("complex regional pain syndrome", "phantom limb pain"), ("CRPS", "PLP")), ("D020918", "D010591"),
    ),
    "condition:postherpetic-neuralgia": (
        (("complex regional pain syndrome", "postherpetic neuralgia"), ("CRPS", "PHN")), ("D020918", "D051474"),
    ),
    "condition:migraine": ((("fibromyalgia", "migraine"),), ("D005356", "D008881")),
    "condition:osteoarthritis": ((("fibromyalgia", "osteoarthritis"),), ("D005356", "D010003")),
    "adverse:nausea": ((("hallucinations", "nausea"), ("hallucination", "nausea")), ("D006212", "D009325")),
    "adverse:delirium": ((("hallucinations", "delirium"), ("hallucination", "delirium")), ("D006212", "D003693")),
    "adverse:dizziness": ((("hallucinations", "dizziness"), ("hallucination", "dizziness")), ("D006212", "D004244")),
}
_SUP = str.maketrans("0123456789,-", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u02d2\u207b")
_MARKER = re.compile(r" ?\[(\d+(?:[-,]\s*\d+)*)\](\.?)")


def _recite(text: str, style: str) -> str:
    """The seed with its body's "[n]" markers rewritten in ``style``."""
    cut = text.rindex("References")
    body, refs = text[:cut], text[cut:]

    def one(m: re.Match) -> str:
        n, stop = m.group(1), m.group(2)
        if style == "parentheses":
            return f" ({n}){stop}"
        if style == "glued":
            return f"({n}){stop}"
        if style == "superscript":
            return n.translate(_SUP) + stop
        return stop + n.translate(_SUP)  # superscript-after: "pain.¹"

    return _MARKER.sub(one, body) + refs


def _wrap(text: str, width: int = 78) -> str:
    """The seed with every paragraph hard-wrapped at ``width`` columns (as a
    plain-text export or an e-mail would have it)."""
    blocks = text.split("\n\n")
    return "\n\n".join(b if b.lstrip().startswith("#") else textwrap.fill(b, width) for b in blocks)


def variants(drugs: list[str]) -> dict[str, tuple[str, dict]]:
    """name -> (article text, gold annotation)."""
    text = SEED.read_text(encoding="utf-8")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    out: dict[str, tuple[str, dict]] = {}
    for drug in drugs:
        swap = {SEED_DRUG: drug, SEED_DRUG.capitalize(): drug.capitalize(), SEED_DRUG.upper(): drug.upper()}
        t, g = text, json.dumps(gold)
        for a, b in swap.items():
            t, g = t.replace(a, b), g.replace(a, b)
        out[f"drug:{drug}"] = (t, json.loads(g.replace(SEED_ID, "MESH:" + DRUGS[drug])))
    for name, (pairs, (old_id, new_id)) in SWAPS.items():
        t, g = text, json.dumps(gold)
        for a, b in pairs:
            for x, y in ((a, b), (a[0].upper() + a[1:], b[0].upper() + b[1:]), (a.title(), b.title())):
                t, g = t.replace(x, y), g.replace(x, y)
        out[name] = (t, json.loads(g.replace("MESH:" + old_id, "MESH:" + new_id)))
    for style in ("parentheses", "glued", "superscript", "superscript-after"):
        out[f"cite:{style}"] = (_recite(text, style), gold)
    out["headings:plain"] = (re.sub(r"^#+ ", "", text, flags=re.M), gold)
    out["lines:wrapped"] = (_wrap(text), gold)
    # (score.py knows the Conclusion by name: it stays)
    renamed = {"Introduction": "Background", "Description": "Discussion"}
    t, g = text, json.dumps(gold)
    for a, b in renamed.items():
        t = re.sub(rf"^(#+ ){a}$", rf"\g<1>{b}", t, flags=re.M)
        g = g.replace(f'"{a}"', f'"{b}"')
    out["headings:renamed"] = (t, json.loads(g))
    return out


def score(text: str, gold: dict, fast: bool, tmp: Path, name: str) -> dict:
    stem = re.sub(r"\W+", "_", name)
    folder = tmp / stem
    folder.mkdir()
    article, gold_path, out = folder / f"{stem}.txt", folder / "gold.json", folder / "out"
    article.write_text(text, encoding="utf-8")
    gold_path.write_text(json.dumps(gold), encoding="utf-8")
    cmd = [sys.executable, "-m", "extractor", "-qq", "run", str(article), "--out", str(out)] + (["--fast"] if fast else [])
    subprocess.run(cmd, check=False, capture_output=True)
    res = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score.py"), "article", "--gold", str(gold_path), "--out", str(out),
         "--doc", stem, "--json"],
        check=True, capture_output=True, text=True,
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--modes", default="default,fast")
    ap.add_argument("--drugs", default=",".join(DRUGS), help="comma-separated subset of the swapped drugs")
    args = ap.parse_args()
    short = []
    with tempfile.TemporaryDirectory(prefix="extractor-variants-") as tmpdir:
        tmp = Path(tmpdir)
        for mode in args.modes.split(","):
            for name, (text, gold) in variants([d for d in args.drugs.split(",") if d]).items():
                f = score(text, gold, mode == "fast", tmp, f"{mode}-{name}")
                print(f"[{mode}] {name:<24} " + " ".join(f"{k}={v:.3f}" for k, v in f.items()), flush=True)
                if f["relations_f1"] < 1.0 or f["claim_slot_recall"] < 1.0:
                    short.append(f"[{mode}] {name}")
    print(f"\n{len(short)} variant runs below 1.000 in relations F1 or claim-slot recall" + (": " + ", ".join(short) if short else ""))


if __name__ == "__main__":
    main()
