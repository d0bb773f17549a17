"""PubTator files: many abstracts per file, with annotated mentions.

Input: the text of a PubTator file (``PMID|t|title``, ``PMID|a|abstract``,
tab-separated mention lines ``PMID start end text type id`` and relation
lines ``PMID type id1 id2 [novelty]``). Output: one
:class:`~extractor.model.Article` per document, plus a list of per-document
problems.

``text`` is ``title + " " + abstract`` so that PubTator offsets hold. The
sections are ``Title`` (one paragraph) and ``Abstract`` (one paragraph, or
one per labelled part of a structured abstract such as ``METHODS:``; spans
are exact). Mentions go to ``Article.annotations``; relations to
``Article.gold_relations`` as ``(type, id1, id2)``: kept for evaluation,
never used as predictions. A document whose mention offsets fall outside
the text, or whose mention text does not match the text, is left out and
reported; the other documents of the file still come out.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from extractor.citations import paragraph_citations
from extractor.config import Limits
from extractor.errors import InputFormatError
from extractor.io.readers._common import check_chars, decode_bytes, read_bytes
from extractor.model import (
    TITLE_SECTION,
    Annotation,
    Article,
    Metadata,
    Paragraph,
    Section,
)
from extractor.repair import replace_surrogates

__all__ = ["parse_pubtator", "read_pubtator", "PUBTATOR_LINE"]

log = logging.getLogger(__name__)

#: A title or abstract line.
PUBTATOR_LINE = re.compile(r"^([0-9]+)\|([ta])\|(.*)$")  # ASCII digits: the PMID is the doc_id
_LABEL = re.compile(r"(?<=[.!?] )(?=[A-Z][A-Z0-9 ,/&()-]{2,60}: )")
_NO_ID = {"", "-", "-1"}


@dataclass(slots=True)
class _Doc:
    pmid: str
    first_line: int
    title: str | None = None
    abstract: str = ""
    mentions: list[tuple[int, list[str]]] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _abstract_paragraphs(abstract: str, offset: int) -> tuple[Paragraph, ...]:
    if not abstract:
        return ()
    cuts = [0] + [m.start() for m in _LABEL.finditer(abstract)] + [len(abstract)]
    paras = []
    for i, (a, b) in enumerate(zip(cuts, cuts[1:]), 1):
        seg = abstract[a:b]
        end = a + len(seg.rstrip())
        paras.append(Paragraph(i, offset + a, offset + end, paragraph_citations(seg)))
    return tuple(paras)


def _build(doc: _Doc, source: str) -> Article:
    title = doc.title or ""
    text = title + " " + doc.abstract if doc.abstract else title
    annotations = []
    for lineno, f in doc.mentions:
        try:
            start, end = int(f[1]), int(f[2])
        except ValueError:
            raise InputFormatError(f"PMID {doc.pmid}: line {lineno}: offsets {f[1]!r}-{f[2]!r} are not numbers",
                                   stage="read", fix="fix or remove the mention line") from None
        if not 0 <= start < end <= len(text):
            raise InputFormatError(
                f"PMID {doc.pmid}: line {lineno}: mention offsets {start}-{end} outside the text "
                f"(length {len(text)})", stage="read", fix="fix or remove the mention line")
        if text[start:end] != f[3]:
            raise InputFormatError(
                f"PMID {doc.pmid}: line {lineno}: mention text {f[3]!r} does not match the text "
                f"at {start}-{end} ({text[start:end]!r})", stage="read", fix="fix or remove the mention line")
        ident = f[5].strip() if len(f) > 5 else ""
        annotations.append(Annotation(start, end, f[3], f[4], None if ident in _NO_ID else ident))
    sections = [Section(TITLE_SECTION, 0, len(title), (Paragraph(1, 0, len(title), paragraph_citations(title)),))]
    if doc.abstract:
        off = len(title) + 1
        sections.append(Section("Abstract", off, len(text), _abstract_paragraphs(doc.abstract, off)))
    return Article(
        doc_id=doc.pmid,
        source=source,
        format="pubtator",
        title=title,
        text=text,
        metadata=Metadata(pmid=doc.pmid),
        sections=tuple(sections),
        annotations=tuple(annotations),
        gold_relations=tuple(doc.relations),
    )


def parse_pubtator(text: str, *, source: str = "") -> tuple[list[Article], list[str]]:
    """Parse a PubTator file into articles and per-document problems.

    Returns
    -------
    articles : list of Article
        The documents that parsed, in file order.
    problems : list of str
        One line per document left out (PMID, line number, what is wrong).

    Raises
    ------
    InputFormatError
        The text holds no PubTator title line at all.

    Examples
    --------
    >>> arts, bad = parse_pubtator("1|t|Aspirin rash.\\n1|a|It hurt.\\n1\\t0\\t7\\tAspirin\\tChemical\\tD001241\\n")
    >>> arts[0].text, arts[0].annotations[0].id, bad
    ('Aspirin rash. It hurt.', 'D001241', [])
    """
    text = replace_surrogates(text)  # same length: offsets hold
    docs: dict[str, _Doc] = {}
    order: list[str] = []
    stray: list[str] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        m = PUBTATOR_LINE.match(line)
        if m:
            pmid, kind, body = m.groups()
            doc = docs.get(pmid)
            if doc is None:
                doc = docs[pmid] = _Doc(pmid, lineno)
                order.append(pmid)
            if kind == "t":
                doc.title = body
            else:
                doc.abstract = body
            continue
        f = line.rstrip("\n").split("\t")
        doc = docs.get(f[0])
        if doc is None:
            stray.append(f"line {lineno}: no title line for {f[0][:20]!r} before it")
            continue
        if len(f) >= 6 and f[1].lstrip("-").isdigit():
            doc.mentions.append((lineno, f))
        elif len(f) >= 4 and not f[1].isdigit():
            doc.relations.append((f[1], f[2], f[3]))
        else:
            doc.problems.append(f"PMID {doc.pmid}: line {lineno}: not a PubTator mention or relation line")
    if not order:
        raise InputFormatError("no PubTator documents (no 'PMID|t|title' line)", stage="read",
                               fix="check the file is in PubTator format")
    articles: list[Article] = []
    problems: list[str] = list(stray)
    for pmid in order:
        doc = docs[pmid]
        if doc.title is None:
            problems.append(f"PMID {pmid}: line {doc.first_line}: abstract without a title line")
            continue
        if doc.problems:
            problems.extend(doc.problems)
            continue
        try:
            articles.append(_build(doc, source))
        except InputFormatError as exc:
            problems.append(exc.message)
    for p in problems:
        log.debug("%s: %s", source or "<pubtator>", p)
    return articles, problems


def read_pubtator(path: Path, limits: Limits = Limits()) -> tuple[list[Article], list[str]]:
    """Read a PubTator file (see :func:`parse_pubtator`)."""
    path = Path(path)
    text = decode_bytes(read_bytes(path, limits.max_file_bytes), path)
    check_chars(text, limits.max_chars, path)
    try:
        return parse_pubtator(text, source=str(path))
    except InputFormatError as exc:
        raise InputFormatError(exc.message, path=path, stage="read", fix=exc.fix) from None
