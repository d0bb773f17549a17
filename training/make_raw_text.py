"""Collect unlabelled abstracts for ``spacy pretrain``.

Input: the BC5CDR and BioRED train/dev PubTator files and do_not_train.txt.
Output: a JSONL file, one ``{"text": title + " " + abstract}`` per PMID
(first occurrence wins, sorted by PMID), with do-not-train PMIDs removed.
Only the texts are used (no labels), so BioRED contributes no annotation.

Usage::

    python training/make_raw_text.py training/corpus/raw_text.jsonl
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convert import read_exclusions, read_pubtator  # noqa: E402

__all__ = ["SOURCES", "main"]

logger = logging.getLogger(__name__)

DATA = Path("/work/shared/data")
SOURCES = (
    DATA / "bc5cdr/CDR_TrainingSet.PubTator.txt",
    DATA / "bc5cdr/CDR_DevelopmentSet.PubTator.txt",
    DATA / "biored/Train.PubTator",
    DATA / "biored/Dev.PubTator",
)


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("--exclude", type=Path, default=DATA / "do_not_train.txt")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    exclude = read_exclusions(args.exclude)
    texts: dict[str, str] = {}
    for src in SOURCES:
        for d in read_pubtator(src):
            if d.pmid not in exclude:
                texts.setdefault(d.pmid, d.text)
    args.dest.parent.mkdir(parents=True, exist_ok=True)
    with args.dest.open("w", encoding="utf-8") as fh:
        for pmid in sorted(texts, key=int):
            fh.write(json.dumps({"text": texts[pmid]}) + "\n")
    logger.info("%d abstracts -> %s", len(texts), args.dest)


if __name__ == "__main__":
    main()
