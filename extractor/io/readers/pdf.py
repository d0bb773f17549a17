"""PDF articles with a text layer.

Input: the bytes of a PDF. Output: an :class:`~extractor.model.Article`
built by the plain-text reader from the text that :mod:`pypdf` extracts
(pages joined by blank lines; wrapped lines, hyphenation and paragraphs
broken across pages are repaired, see :mod:`extractor.repair`).

A PDF without a text layer (scanned), an encrypted one that does not open
with an empty password, and a corrupt or empty one raise
:class:`~extractor.errors.InputFormatError`.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from extractor.config import Limits
from extractor.errors import InputFormatError
from extractor.io.readers._common import check_chars, read_bytes, safe_doc_id
from extractor.io.readers.text import parse_text
from extractor.model import Article
from extractor.repair import normalize_unicode

__all__ = ["pdf_text", "parse_pdf", "read_pdf"]

log = logging.getLogger(__name__)

#: Fewer non-space characters than this per page on average: no text layer.
_MIN_CHARS_PER_PAGE = 20


def pdf_text(data: bytes, *, source: str = "") -> str:
    """Extract the text layer of a PDF, pages separated by a blank line.

    Raises
    ------
    InputFormatError
        Empty, corrupt, encrypted, or without a text layer.
    """
    where = source or None
    if not data.strip():
        raise InputFormatError("empty PDF file", path=where, stage="read", fix="re-export the PDF")
    if not data.lstrip()[:5] == b"%PDF-":
        head = data.lstrip()[:200].lower()
        kind = ("HTML" if b"<html" in head or b"<!doctype html" in head
                else "XML" if head.startswith(b"<") else "")
        raise InputFormatError(f"not a PDF (no %PDF header{'; it looks like ' + kind if kind else ''})",
                               path=where, stage="read",
                               fix="check the file; rename it if it is not a PDF")
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a core dependency
        raise InputFormatError("pypdf is not installed", path=where, stage="read",
                               fix="pip install pypdf==7.1.0") from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - any decryption failure means "encrypted"
                ok = 0
            if not ok:
                raise InputFormatError("PDF is encrypted", path=where, stage="read",
                                       fix="remove the password first, e.g. qpdf --decrypt")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputFormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on corrupt input
        raise InputFormatError(f"corrupt PDF ({type(exc).__name__}: {exc})", path=where, stage="read",
                               fix="re-export the PDF or repair it, e.g. qpdf in.pdf out.pdf") from None
    text = "\n\n".join(normalize_unicode(p).strip() for p in pages)
    if sum(1 for c in text if not c.isspace()) < _MIN_CHARS_PER_PAGE * max(1, len(pages)) // 2 + 1:
        raise InputFormatError("PDF has no text layer (scanned?)", path=where, stage="read",
                               fix="run OCR first, e.g. ocrmypdf")
    return text


def parse_pdf(data: bytes, *, source: str = "", doc_id: str = "document",
              limits: Limits = Limits()) -> Article:
    """Parse the bytes of a PDF article (see :func:`pdf_text`)."""
    text = pdf_text(data, source=source)
    check_chars(text, limits.max_chars, source or None)
    return parse_text(text, source=source, doc_id=doc_id, fmt="pdf", wrapped=True)


def read_pdf(path: Path, limits: Limits = Limits()) -> Article:
    """Read a PDF article file."""
    path = Path(path)
    return parse_pdf(read_bytes(path, limits.max_file_bytes), source=str(path),
                     doc_id=safe_doc_id(path.stem), limits=limits)
