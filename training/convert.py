"""Convert BC5CDR PubTator files to spaCy ``DocBin`` corpora for NER training.

Input: a PubTator file (``PMID|t|``, ``PMID|a|`` lines, tab-separated mention
lines) and the list of PMIDs that must never be trained or tuned on.
Output: a ``.spacy`` file with one ``Doc`` per abstract, text = title + " " +
abstract (so PubTator offsets point at the same characters), tokenized with
the pipeline's tokenizer (``--tokenizer dictionary``, default:
:func:`extractor.tokenizer.dictionary_tokenizer`) or scispacy's
``combined_rule_tokenizer`` (``--tokenizer scispacy``, models v1-v4), and
entities ``Chemical`` / ``Disease``.

Composite mentions ("renal and hepatic failure") are kept as the whole span.
Spans that do not fall on token boundaries are expanded to the enclosing
tokens (``alignment_mode="expand"``) and counted; overlapping spans are
resolved by keeping the longest (``spacy.util.filter_spans``) and counted.

Usage::

    python training/convert.py IN.PubTator OUT.spacy [--exclude do_not_train.txt]
        [--tokenizer dictionary|scispacy]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.tokens import DocBin

__all__ = ["PubtatorDoc", "read_pubtator", "read_exclusions", "make_tokenizer", "convert", "TOKENIZERS"]

logger = logging.getLogger(__name__)

LABELS = ("Chemical", "Disease")
_HEAD = re.compile(r"^(\d+)\|([ta])\|(.*)$")


@dataclass(frozen=True, slots=True)
class PubtatorDoc:
    """One PubTator abstract: id, title, text and (start, end, label) mentions."""

    pmid: str
    title: str
    text: str
    mentions: tuple[tuple[int, int, str], ...] = field(default_factory=tuple)


def read_pubtator(path: Path) -> list[PubtatorDoc]:
    """Parse a PubTator file into documents, in file order.

    Parameters
    ----------
    path : Path
        PubTator text file.

    Returns
    -------
    list of PubtatorDoc
        Only ``Chemical`` and ``Disease`` mentions are kept.

    Raises
    ------
    ValueError
        If a mention's offsets do not match its text.
    """
    titles: dict[str, str] = {}
    abstracts: dict[str, str] = {}
    mentions: dict[str, list[tuple[int, int, str]]] = {}
    order: list[str] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        m = _HEAD.match(line)
        if m:
            pmid, kind, body = m.groups()
            if pmid not in titles and pmid not in abstracts:
                order.append(pmid)
            (titles if kind == "t" else abstracts)[pmid] = body
            continue
        cols = line.split("\t")
        if len(cols) >= 6 and cols[1].isdigit() and cols[4] in LABELS:
            pmid, start, end, text = cols[0], int(cols[1]), int(cols[2]), cols[3]
            full = titles.get(pmid, "") + " " + abstracts.get(pmid, "")
            if full[start:end] != text:
                raise ValueError(
                    f"{path}:{n}: convert: mention {text!r} does not match offsets "
                    f"{start}-{end} (check the file is an unmodified PubTator export)"
                )
            mentions.setdefault(pmid, []).append((start, end, cols[4]))
    return [
        PubtatorDoc(
            pmid=p,
            title=titles.get(p, ""),
            text=titles.get(p, "") + " " + abstracts.get(p, ""),
            mentions=tuple(sorted(set(mentions.get(p, [])))),
        )
        for p in order
    ]


def read_exclusions(path: Path | None) -> set[str]:
    """PMIDs listed one per line in ``path`` (``#`` lines ignored)."""
    if path is None:
        return set()
    return {
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


TOKENIZERS = ("dictionary", "scispacy")


def make_tokenizer(nlp, name: str = "dictionary"):
    """The tokenizer ``name`` (one of :data:`TOKENIZERS`) for ``nlp``.

    Raises
    ------
    ValueError
        Unknown ``name``.
    """
    if name == "dictionary":
        from extractor.tokenizer import dictionary_tokenizer

        return dictionary_tokenizer(nlp)
    if name == "scispacy":
        from scispacy.custom_tokenizer import combined_rule_tokenizer

        return combined_rule_tokenizer(nlp)
    raise ValueError(f"convert: unknown tokenizer {name!r} (use one of {', '.join(TOKENIZERS)})")


def convert(src: Path, dest: Path, exclude: set[str], tokenizer: str = "dictionary") -> dict[str, int]:
    """Write ``dest`` (DocBin) from PubTator ``src``, skipping ``exclude`` PMIDs.

    ``tokenizer`` names the tokenization (:func:`make_tokenizer`); it must be
    the one the training config installs, or spaCy re-tokenizes nothing and
    the model learns tokens it never sees at run time.

    Returns
    -------
    dict
        Counts: docs, excluded, mentions, entities, misaligned (expanded),
        overlapping (dropped).
    """
    nlp = spacy.blank("en")
    nlp.tokenizer = make_tokenizer(nlp, tokenizer)
    stats = dict(docs=0, excluded=0, mentions=0, entities=0, misaligned=0, overlapping=0)
    db = DocBin(store_user_data=False)
    for pd in read_pubtator(src):
        if pd.pmid in exclude:
            stats["excluded"] += 1
            continue
        doc = nlp.make_doc(pd.text)
        doc.user_data["pmid"] = pd.pmid
        spans = []
        for start, end, label in pd.mentions:
            stats["mentions"] += 1
            span = doc.char_span(start, end, label=label, alignment_mode="strict")
            if span is None:
                stats["misaligned"] += 1
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                logger.debug("%s: expanded %r to %r", pd.pmid, pd.text[start:end], span.text)
            spans.append(span)
        kept = spacy.util.filter_spans(spans)
        stats["overlapping"] += len(spans) - len(kept)
        stats["entities"] += len(kept)
        doc.ents = kept
        db.add(doc)
        stats["docs"] += 1
    dest.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(dest)
    return stats


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--exclude", type=Path, default=None, help="file of PMIDs to leave out")
    ap.add_argument("--tokenizer", choices=TOKENIZERS, default="dictionary",
                    help="dictionary (the pipeline's, default) or scispacy (models v1-v4)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    stats = convert(args.src, args.dest, read_exclusions(args.exclude), args.tokenizer)
    logger.info("%s -> %s: %s", args.src, args.dest, json.dumps(stats))


if __name__ == "__main__":
    main()
