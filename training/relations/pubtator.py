"""Read PubTator files into :class:`extractor.relation_model.DocView` records.

Used by the training and evaluation scripts of the CID relation model only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from extractor.relation_model import DocView, PairMention, simple_sentences

__all__ = ["GoldDoc", "read_pubtator", "CHEM_TYPES", "DIS_TYPES", "split_ids"]

CHEM_TYPES = {"Chemical", "ChemicalEntity"}
DIS_TYPES = {"Disease", "DiseaseOrPhenotypicFeature"}


@dataclass(frozen=True)
class GoldDoc:
    pmid: str
    title: str
    text: str
    view: DocView
    cid: frozenset[tuple[str, str]]
    typed: frozenset[tuple[str, str, str]]


def split_ids(s: str) -> tuple[str, ...]:
    out = []
    for x in re.split(r"[|;,]", s or ""):
        x = x.strip()
        if x and x not in ("-1", "-"):
            out.append("MESH:" + x if not x.upper().startswith("MESH:") else x)
    return tuple(dict.fromkeys(out))


def read_pubtator(path: Path, skip: set[str] | None = None) -> list[GoldDoc]:
    skip = skip or set()
    docs = []
    for block in Path(path).read_text(encoding="utf-8").split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        title = abstract = ""
        pmid = ""
        mentions = []
        rels = []
        for ln in lines:
            m = re.match(r"^(\d+)\|([ta])\|(.*)$", ln)
            if m:
                pmid = m.group(1)
                if m.group(2) == "t":
                    title = m.group(3)
                else:
                    abstract = m.group(3)
                continue
            f = ln.split("\t")
            if len(f) >= 6 and f[1].isdigit():
                kind = "chem" if f[4] in CHEM_TYPES else "dis" if f[4] in DIS_TYPES else None
                ids = split_ids(f[5])
                if kind and ids:
                    mentions.append(PairMention(int(f[1]), int(f[2]), kind, ids))
            elif len(f) >= 4:
                rels.append((f[1], split_ids(f[2]), split_ids(f[3])))
        if pmid in skip:
            continue
        text = title + " " + abstract
        sents = simple_sentences(text)
        # the title is its own sentence
        tl = len(title)
        sents = ((0, tl),) + tuple((s, e) for s, e in sents if s >= tl) if tl else sents
        kind_of = {i: m.kind for m in mentions for i in m.ids}
        cid, typed = set(), set()
        for rtype, a_ids, b_ids in rels:
            for a in a_ids:
                for b in b_ids:
                    ka, kb = kind_of.get(a), kind_of.get(b)
                    if rtype == "CID":
                        cid.add((a, b))
                    elif {ka, kb} == {"chem", "dis"}:
                        c, d = (a, b) if ka == "chem" else (b, a)
                        if rtype == "Negative_Correlation":
                            typed.add((c, d, "treats"))
                        elif rtype == "Positive_Correlation":
                            typed.add((c, d, "adverse"))
        view = DocView(text=text, sentences=sents, title_end=tl, mentions=tuple(mentions))
        docs.append(GoldDoc(pmid, title, text, view, frozenset(cid), frozenset(typed)))
    return docs
