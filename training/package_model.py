"""Package a trained pipeline as the NER model shipped inside ``extractor``.

Input: ``spacy train``'s ``model-best`` directory.
Output: ``extractor/data/ner_model/`` (or DEST): the same pipeline with the
training-only ``[initialize.before_init]`` callback and the training paths
removed and model-card metadata in ``meta.json``. The result loads with plain ``spacy.load(DEST)``
(the tokenizer's prefix/suffix/infix rules are serialised in ``DEST/tokenizer``);
the script checks that, and that the reloaded tokenizer equals the one the
model was trained with (``--tokenizer``: ``dictionary``, the pipeline's
:func:`extractor.tokenizer.dictionary_tokenizer`, default since v5; or
``scispacy``'s ``combined_rule_tokenizer``, v1-v4).

Usage::

    python training/package_model.py training/output/RUN/model-best [DEST] [--tokenizer dictionary|scispacy]
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import functions  # noqa: E402,F401  (registers the training-time callback)

__all__ = ["package", "main", "TOKENIZER_NAMES"]

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "extractor" / "data" / "ner_model"

_CHECK = r"""
import json, sys, spacy
nlp = spacy.load(sys.argv[1])
ref = spacy.blank("en")
if sys.argv[3] == "dictionary":
    from extractor.tokenizer import dictionary_tokenizer
    ref.tokenizer = dictionary_tokenizer(ref)
else:
    from scispacy.custom_tokenizer import combined_rule_tokenizer
    ref.tokenizer = combined_rule_tokenizer(ref)
texts = json.loads(sys.argv[2])
bad = [t for t in texts if [x.text for x in nlp.make_doc(t)] != [x.text for x in ref.make_doc(t)]]
print(json.dumps({"labels": list(nlp.get_pipe("ner").labels), "bad": bad}))
"""

CHECK_TEXTS = [
    "Cisplatin-induced nephrotoxicity (CIN) was reduced by Mg2+ (p<0.05).",
    "IL-2 and TNF-alpha levels in 5-FU/LV-treated mice, i.e. 2.5 mg/kg i.v.",
    "N-[4-(5-nitro-2-furyl)-2-thiazolyl]formamide and Na+/K+-ATPase e.g. 37°C.",
    "Levodopa-induced dyskinesia, (NTG)-induced headache and paclitaxel/carboplatin-treated rats.",
]
TOKENIZER_NAMES = {
    "dictionary": "the pipeline's dictionary_tokenizer (scispacy combined_rule_tokenizer plus hyphen/slash splits)",
    "scispacy": "scispacy combined_rule_tokenizer",
}


def package(src: Path, dest: Path = DEST, tokenizer: str = "dictionary") -> dict:
    """Copy the pipeline at ``src`` to ``dest`` in shippable form; return its meta.

    ``tokenizer`` names the tokenizer the model was trained with (a key of
    :data:`TOKENIZER_NAMES`); the reloaded pipeline must tokenize like it.
    """
    if tokenizer not in TOKENIZER_NAMES:
        raise ValueError(f"package: unknown tokenizer {tokenizer!r} (use one of {', '.join(TOKENIZER_NAMES)})")
    nlp = spacy.load(src)
    cfg = nlp.config.copy()
    cfg["initialize"]["before_init"] = None
    # training-time paths point outside the package: clear them
    for key in ("train", "dev", "init_tok2vec"):
        if key in cfg["paths"]:
            cfg["paths"][key] = None
    nlp.config = cfg
    nlp.meta.update(
        name="extractor_bc5cdr_ner",
        version="0.1.0",
        description=(
            "Chemical/Disease NER trained on BC5CDR train (PMIDs of "
            f"do_not_train.txt removed), {TOKENIZER_NAMES[tokenizer]}, no vectors. "
            "See training/README.md."
        ),
        license="CC0-1.0 (weights); training data: BC5CDR, US Government work (public domain)",
        author="The extractor developers",
        sources=[
            {
                "name": "BioCreative V CDR corpus (train)",
                "url": "https://biocreative.bioinformatics.udel.edu/tasks/biocreative-v/track-3-cdr/",
                "author": "Li J et al., Database 2016; Wei CH et al., BioCreative V 2015",
            }
        ],
    )
    if dest.exists():
        shutil.rmtree(dest)
    nlp.to_disk(dest)
    proc = subprocess.run(
        [sys.executable, "-c", _CHECK, str(dest), json.dumps(CHECK_TEXTS), tokenizer],
        capture_output=True, text=True, check=True,
    )
    check = json.loads(proc.stdout.strip().splitlines()[-1])
    if check["bad"] or sorted(check["labels"]) != ["Chemical", "Disease"]:
        raise RuntimeError(f"{dest}: package: reload check failed: {check} (retrain or fix the config)")
    return nlp.meta


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("dest", type=Path, nargs="?", default=DEST)
    ap.add_argument("--tokenizer", choices=sorted(TOKENIZER_NAMES), default="dictionary",
                    help="tokenizer the model was trained with (default: dictionary, models v5+)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    meta = package(args.src, args.dest, args.tokenizer)
    size = sum(p.stat().st_size for p in args.dest.rglob("*") if p.is_file()) / 1e6
    logger.info("packaged %s -> %s (%.1f MB, perf %s)", args.src, args.dest, size,
                json.dumps(meta.get("performance", {}).get("ents_f")))


if __name__ == "__main__":
    main()
