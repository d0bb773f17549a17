"""Markdown articles (the shape of the seed: ``#`` title, ``##`` sections).

Input: decoded markdown text. Output: an :class:`~extractor.model.Article`
whose ``text`` has the markdown markers removed (``**bold**``, ``*italic*``,
escapes such as ``\\*``, links). Layout rules are those of
:mod:`extractor.io.readers.text`; headings of any level are sections
(nested ones flattened under their own titles), and a line holding only a
usual section name is a heading too.
"""

from __future__ import annotations

from pathlib import Path

from extractor.config import Limits
from extractor.io.readers._common import check_chars, decode_bytes, read_bytes, safe_doc_id
from extractor.io.readers.text import parse_text
from extractor.model import Article

__all__ = ["parse_markdown", "read_markdown"]


def parse_markdown(text: str, *, source: str = "", doc_id: str = "document") -> Article:
    """Parse a markdown article.

    Examples
    --------
    >>> a = parse_markdown("# A *new* drug\\n\\nJane Doe\\\\*\\n\\n## Introduction\\n\\n"
    ...                    "It **works** [1].")
    >>> a.title, a.metadata.authors
    ('A new drug', ('Jane Doe',))
    >>> p = a.sections[1].paragraphs[0]
    >>> a.text[p.start:p.end], p.citations
    ('It works [1].', ('1',))
    """
    return parse_text(text, source=source, doc_id=doc_id, fmt="markdown", markdown=True)


def read_markdown(path: Path, limits: Limits = Limits()) -> Article:
    """Read a markdown article file (see :func:`parse_markdown`)."""
    path = Path(path)
    text = decode_bytes(read_bytes(path, limits.max_file_bytes), path)
    check_chars(text, limits.max_chars, path)
    return parse_markdown(text, source=str(path), doc_id=safe_doc_id(path.stem))
