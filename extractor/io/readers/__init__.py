"""Article readers: one file in, :class:`~extractor.model.Article` records out.

Input: a path. Output: a list of articles (one, or many for PubTator). The
format is detected from the content as well as the extension:

========== ========================================== =====================
format     detected by                                module
========== ========================================== =====================
pdf        ``%PDF-`` header, or ``.pdf``              :mod:`.pdf`
jats       ``<?xml``, ``<!DOCTYPE``, ``<article``     :mod:`.jats`
pubtator   first line ``PMID|t|`` or ``PMID|a|``      :mod:`.pubtator`
markdown   ``#`` headings, or ``.md``                 :mod:`.markdown`
text       anything else that decodes as text         :mod:`.text`
========== ========================================== =====================

Every problem with an input is an :class:`~extractor.errors.InputFormatError`
(or its subclass :class:`~extractor.errors.InputTooLargeError`) with a
one-line message naming the file and the fix; no other exception type
escapes for bad input.

Examples
--------
>>> detect_format(Path("a.txt"), b"123|t|Title")
'pubtator'
>>> detect_format(Path("a.bin"), b"%PDF-1.4")
'pdf'
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from extractor.config import Limits
from extractor.errors import InputFormatError
from extractor.io.readers._common import check_chars, decode_bytes, read_bytes, safe_doc_id
from extractor.model import Article

__all__ = [
    "SUPPORTED_SUFFIXES",
    "FORMATS",
    "ReadResult",
    "detect_format",
    "read_path",
    "read_articles",
    "safe_doc_id",
]

log = logging.getLogger(__name__)

#: File suffixes a folder scan picks up (content decides the format).
SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt", ".text", ".md", ".markdown", ".pubtator", ".xml", ".nxml", ".pdf",
)
#: Format names as written to ``documents/<doc_id>.json``.
FORMATS: tuple[str, ...] = ("markdown", "text", "pubtator", "jats", "pdf")

_PUBTATOR_HEAD = re.compile(r"^\s*[0-9]+\|[ta]\|")
_XML_HEAD = re.compile(r"^\s*<(?:\?xml|!DOCTYPE|article\b|pmc-articleset\b|!--)", re.IGNORECASE)
_MD_HEAD = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ReadResult:
    """What :func:`read_articles` returns.

    ``problems`` lists documents of the file that were left out (PubTator
    documents with bad offsets), one line each, for the run report.
    """

    articles: tuple[Article, ...]
    problems: tuple[str, ...]
    format: str


def _head_text(head: bytes) -> str:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(enc, errors="ignore")
    return head.decode("utf-8", errors="ignore")


def detect_format(path: Path, head: bytes) -> str:
    """Name the format of a file from its first bytes and its suffix.

    Parameters
    ----------
    path : Path
        The file (only its suffix is used).
    head : bytes
        Its first few kilobytes.

    Returns
    -------
    str
        One of :data:`FORMATS`.
    """
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        return "pdf"  # whatever it holds: the PDF reader says what is wrong with it
    text = _head_text(head)
    if _XML_HEAD.match(text):
        return "jats"
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    if _PUBTATOR_HEAD.match(first):
        return "pubtator"
    if suffix in {".xml", ".nxml"}:
        return "jats"
    if suffix in {".md", ".markdown"} or _MD_HEAD.search(text):
        return "markdown"
    return "text"


def read_articles(path: Path, limits: Limits = Limits()) -> ReadResult:
    """Read every article of one file, with the problems of left-out ones.

    Raises
    ------
    InputFormatError
        The file cannot be read as an article (or, for PubTator, no document
        of it can).
    InputTooLargeError
        The file is above ``limits.max_file_bytes`` or its text above
        ``limits.max_chars``.
    """
    path = Path(path)
    data = read_bytes(path, limits.max_file_bytes)
    fmt = detect_format(path, data[:4096])
    doc_id = safe_doc_id(path.stem)
    log.debug("%s: format %s", path, fmt)
    if fmt == "pdf":
        from extractor.io.readers.pdf import parse_pdf

        article = parse_pdf(data, source=str(path), doc_id=doc_id, limits=limits)
        return ReadResult((article,), (), fmt)
    text = decode_bytes(data, path)
    check_chars(text, limits.max_chars, path)
    try:
        if fmt == "pubtator":
            from extractor.io.readers.pubtator import parse_pubtator

            articles, problems = parse_pubtator(text, source=str(path))
            if not articles:
                raise InputFormatError(
                    f"no readable PubTator document ({problems[0] if problems else 'none found'})",
                    stage="read", fix="fix the offsets or mention lines named")
            return ReadResult(tuple(articles), tuple(problems), fmt)
        if fmt == "jats":
            from extractor.io.readers.jats import parse_jats

            article = parse_jats(text, source="", doc_id=doc_id)
        elif fmt == "markdown":
            from extractor.io.readers.markdown import parse_markdown

            article = parse_markdown(text, doc_id=doc_id)
        else:
            from extractor.io.readers.text import parse_text

            article = parse_text(text, doc_id=doc_id)
    except InputFormatError as exc:
        raise type(exc)(exc.message, path=path, stage=exc.stage or "read", fix=exc.fix) from None
    except RecursionError:
        raise InputFormatError("document nesting too deep", path=path, stage="read",
                               fix="check the file; it is not a usual article") from None
    if not article.text.strip():
        raise InputFormatError("no text found in the article", path=path, stage="read",
                               fix="check the file holds the article body")
    from dataclasses import replace

    return ReadResult((replace(article, source=str(path)),), (), fmt)


def read_path(path: Path, limits: Limits = Limits()) -> list[Article]:
    """Read the articles of one file (format detected by content and suffix).

    Documents left out of a PubTator file are logged as warnings; use
    :func:`read_articles` to get them as a list for a report.

    Parameters
    ----------
    path : Path
        An article file.
    limits : Limits
        Size caps (``max_file_bytes`` checked before reading).

    Returns
    -------
    list of Article

    Raises
    ------
    InputFormatError, InputTooLargeError
        With a one-line message naming the file and the fix.
    """
    result = read_articles(path, limits)
    for p in result.problems:
        log.warning("%s: document left out: %s", path, p)
    return list(result.articles)
