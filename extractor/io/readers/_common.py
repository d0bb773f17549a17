"""Helpers shared by the readers: byte decoding, safe document ids, and the
assembly of an :class:`~extractor.model.Article` from cleaned parts.

Input: raw bytes or cleaned paragraph strings. Output: ``str`` text, or an
``Article`` whose every offset (sections, paragraphs) points into its
``text``.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from extractor.citations import citation_style, paragraph_citations
from extractor.errors import InputFormatError
from extractor.model import (
    TITLE_SECTION,
    Article,
    Metadata,
    Paragraph,
    Reference,
    Section,
)

__all__ = [
    "decode_bytes",
    "safe_doc_id",
    "Draft",
    "assemble_article",
    "TITLE_SECTION",
    "PARAGRAPH_SEPARATOR",
    "read_bytes",
    "check_chars",
]

log = logging.getLogger(__name__)

#: Separator between paragraphs (and between a heading and its paragraphs).
PARAGRAPH_SEPARATOR = "\n\n"

_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_ID = 120


def safe_doc_id(stem: str) -> str:
    """Make ``stem`` safe as a file name: keep ``[A-Za-z0-9._-]``.

    Other runs of characters become ``_``; the result is capped at 120
    characters, never empty, starts and ends with a letter or digit (so
    never ``.``/``..`` or a hidden name), and ``safe_doc_id`` of it is
    itself.

    Examples
    --------
    >>> safe_doc_id("Sharma 2025: ketamine/pain")
    'Sharma_2025_ketamine_pain'
    >>> safe_doc_id("..hidden")
    'hidden'
    >>> safe_doc_id("")
    'document'
    """
    s = _SAFE_ID.sub("_", stem).strip("._-")
    s = s[:_MAX_ID].rstrip("._-")
    return s or "document"


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    bad = sum(1 for b in sample if b in _CONTROL)
    return bad > max(2, len(sample) // 50)


_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")


def _mostly_utf8(data: bytes, path: str | Path | None) -> str | None:
    """UTF-8 with its few invalid sequences (e.g. encoded lone surrogates)
    replaced by U+FFFD, when the valid multi-byte characters outnumber them;
    else None (the caller falls back to cp1252, which would garble them)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = len(_NON_ASCII.findall(text))
    if good < max(1, bad):
        return None
    log.warning("%s: %d invalid UTF-8 sequences replaced by U+FFFD", path or "<bytes>", bad)
    return text


def decode_bytes(data: bytes, path: str | Path | None = None) -> str:
    """Decode the bytes of a text article.

    UTF-8 (a BOM is stripped; a few invalid sequences among valid
    multi-byte characters become U+FFFD), UTF-16/32 with a BOM, else cp1252 /
    Latin-1 (logged). Line ends become ``\\n``.

    Raises
    ------
    InputFormatError
        The file is empty, whitespace only, or binary.

    Examples
    --------
    >>> decode_bytes("caf\\u00e9".encode("utf-8"))
    'café'
    >>> decode_bytes(b"caf\\xe9")
    'café'
    """
    text: str | None = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputFormatError(
                    f"invalid {enc} text after a byte-order mark ({exc.reason})",
                    path=path, stage="read", fix="re-save the file as UTF-8",
                ) from None
            break
    if text is None:
        if not data.strip():
            raise InputFormatError("empty file", path=path, stage="read",
                                   fix="check the export; the file has no text")
        if _looks_binary(data):
            raise InputFormatError("binary file, not an article", path=path, stage="read",
                                   fix="give a text, markdown, PubTator, JATS XML or PDF file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _mostly_utf8(data, path)
        if text is None:
            try:
                text = data.decode("cp1252")
                log.warning("%s: not UTF-8, decoded as cp1252", path or "<bytes>")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                log.warning("%s: not UTF-8, decoded as Latin-1", path or "<bytes>")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputFormatError("empty file", path=path, stage="read",
                               fix="check the export; the file has no text")
    bad = sum(1 for c in text[:65536] if ord(c) in _CONTROL or c == "\x00")
    if bad > max(2, min(len(text), 65536) // 50):
        raise InputFormatError("binary file, not an article", path=path, stage="read",
                               fix="give a text, markdown, PubTator, JATS XML or PDF file")
    return text


@dataclass(slots=True)
class Draft:
    """An article before offsets are computed: cleaned strings only.

    ``sections`` holds ``(name, [paragraph, ...])`` pairs in order; sections
    without paragraphs are kept (e.g. a References heading with no entries).
    """

    title: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    references: list[Reference] = field(default_factory=list)


def assemble_article(draft: Draft, *, doc_id: str, source: str, fmt: str) -> Article:
    """Lay out ``draft`` as one text and compute every offset.

    The text is the title, then for each section its heading and its
    paragraphs, all separated by blank lines. The title is also section
    ``"Title"`` (one paragraph), so the sentence stage covers it.

    Examples
    --------
    >>> a = assemble_article(Draft("T", [("Intro", ["A [1].", "B."])]),
    ...                      doc_id="d", source="s", fmt="text")
    >>> [(s.name, len(s.paragraphs)) for s in a.sections]
    [('Title', 1), ('Intro', 2)]
    >>> p = a.sections[1].paragraphs[0]
    >>> a.text[p.start:p.end], p.citations
    ('A [1].', ('1',))
    """
    parts: list[str] = []
    pos = 0
    sections: list[Section] = []

    def add(s: str) -> tuple[int, int]:
        nonlocal pos
        if parts:
            parts.append(PARAGRAPH_SEPARATOR)
            pos += len(PARAGRAPH_SEPARATOR)
        start = pos
        parts.append(s)
        pos += len(s)
        return start, pos

    style = citation_style((p for _, ps in draft.sections for p in ps), len(draft.references))
    title = draft.title.strip()
    if title:
        s, e = add(title)
        sections.append(Section(TITLE_SECTION, s, e, (Paragraph(1, s, e, paragraph_citations(title, style)),)))
    seen: dict[str, int] = {TITLE_SECTION: 1}
    for name, paragraphs in draft.sections:
        name = " ".join(name.split()) or "Section"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name} ({seen[name]})"
        h_start, h_end = add(name)
        paras: list[Paragraph] = []
        for i, p in enumerate((p for p in paragraphs if p.strip()), 1):
            s, e = add(p)
            paras.append(Paragraph(i, s, e, paragraph_citations(p, style)))
        sections.append(Section(name, h_start, paras[-1].end if paras else h_end, tuple(paras)))
    text = "".join(parts)
    return Article(
        doc_id=doc_id,
        source=source,
        format=fmt,
        title=title,
        text=text,
        metadata=draft.metadata,
        sections=tuple(sections),
        references=tuple(draft.references),
    )


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a whole input file after checking it exists, is a file and is
    not larger than ``max_bytes``.

    Raises
    ------
    InputFormatError
        Missing, a directory, or unreadable (permissions, I/O error).
    InputTooLargeError
        Larger than ``max_bytes`` (checked before reading).
    """
    from extractor.errors import InputTooLargeError

    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputFormatError("file not found", path=path, stage="read",
                               fix="check the path") from None
    except OSError as exc:
        raise InputFormatError(f"cannot access file ({exc.strerror or exc})", path=path,
                               stage="read", fix="check the path and its permissions") from None
    if path.is_dir():
        raise InputFormatError("is a directory, not a file", path=path, stage="read",
                               fix="pass the files, or the folder to `extractor run`")
    if st.st_size > max_bytes:
        raise InputTooLargeError(
            f"file is {st.st_size} bytes, above the limit of {max_bytes}", path=path,
            stage="read", fix="split the file or raise limits.max_file_bytes")
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except PermissionError:
        raise InputFormatError("permission denied", path=path, stage="read",
                               fix="make the file readable (chmod +r)") from None
    except OSError as exc:
        raise InputFormatError(f"cannot read file ({exc.strerror or exc})", path=path,
                               stage="read", fix="check the file and its permissions") from None
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"file is above the limit of {max_bytes} bytes", path=path,
            stage="read", fix="split the file or raise limits.max_file_bytes")
    return data


def check_chars(text: str, max_chars: int, path: str | Path | None) -> None:
    """Raise :class:`InputTooLargeError` when ``text`` is above ``max_chars``."""
    from extractor.errors import InputTooLargeError

    if len(text) > max_chars:
        raise InputTooLargeError(
            f"text is {len(text)} characters, above the limit of {max_chars}", path=path,
            stage="read", fix="split the article or raise limits.max_chars")
