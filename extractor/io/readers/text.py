"""Plain-text articles (and the shared layout logic of markdown and PDF text).

Input: the decoded text of an article. Output: an
:class:`~extractor.model.Article` with title, sections (``Title`` first),
paragraphs, citations, references and metadata.

Layout rules:

* paragraphs are separated by blank lines; soft line breaks inside one are
  joined (see :mod:`extractor.repair`), and a paragraph broken by a page
  break is merged back;
* a section heading is a markdown heading (``##``; markdown only) or a line
  holding only a usual section name (``Introduction``, ``1. Methods``,
  ``RESULTS``, ``Conflict of Interest:`` ...);
* the title is the first ``#`` heading, else the first block;
* lines between the title and the first section are front matter (author
  line, affiliations; prose there becomes an ``Abstract`` section);
* "How to cite", correspondence, copyright and date lines are back matter:
  read for metadata (journal, year, DOI), kept out of the sections and out of
  ``text``;
* the References section holds one paragraph per entry and fills
  ``Article.references``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from extractor.config import Limits
from extractor.io.readers._common import (
    Draft,
    assemble_article,
    check_chars,
    decode_bytes,
    read_bytes,
    safe_doc_id,
)
from extractor.model import Article, Metadata, Reference
from extractor.references import (
    parse_reference,
    split_reference_entries,
    strip_markdown_inline,
)
from extractor.repair import (
    merge_broken_paragraphs,
    normalize_unicode,
    repair_block,
    split_wrapped_block,
    word_vocabulary,
)

__all__ = ["parse_text", "read_text", "heading_name", "numbered_heading", "topical_heading", "SECTION_NAMES"]

log = logging.getLogger(__name__)

#: Section names recognised on a line of their own (regular expression).
SECTION_NAMES = (
    r"abstract|summary|background|introduction|methods?|methodology|"
    r"(?:materials?|patients?|subjects?)\s+and\s+methods|study\s+design|"
    r"results?|results?\s+and\s+discussion|findings|discussion|description|"
    r"conclusions?|concluding\s+remarks|summary\s+and\s+conclusions?|limitations|"
    r"acknowledge?ments?|funding(?:\s+sources?|\s+statement)?|"
    r"conflicts?\s+of\s+interests?(?:\s+statement)?|competing\s+interests?|"
    r"declaration\s+of\s+(?:competing\s+)?interests?|disclosures?|"
    r"references|bibliography|literature\s+cited|"
    r"case\s+(?:report|presentation|description)|objectives?|aims?|"
    r"author\s+contributions|data\s+availability(?:\s+statement)?|"
    r"ethics(?:\s+statement)?|abbreviations"
)
_HEADING = re.compile(
    rf"^(?:(?:\d+(?:\.\d+)*|[IVX]+)[.)]?\s+)?(?P<name>{SECTION_NAMES})\s*:?$", re.IGNORECASE
)
_MAX_HEADING = 200
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<name>.+?)\s*#*\s*$")
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*|[IVX]+)[.)]?\s+(?=[A-Za-z])")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|={3,})$")
_REFERENCES = re.compile(r"^(?:references|bibliography|literature cited|reference list)$", re.I)
_BACK = re.compile(
    r"^\W{0,4}(?:how to cite|cite this article|citation\s*:|address for correspondence|"
    r"correspondence\s*(?:to)?\s*:|corresponding author|copyright\b|©|\(c\)\s*\d{4}|"
    r"received\s*:|accepted\s*:|published\s*:|revised\s*:|editor assigned|"
    r"e-?mail\s*:|doi\s*:|article history|keywords?\s*:|key\s*words\s*:)",
    re.IGNORECASE,
)
_AFFILIATION = re.compile(
    r"\b(?:department|dept\.?|university|universit[éàä]|institute|instituto|hospital|school|"
    r"college|cent(?:er|re)|faculty|laborator(?:y|ies)|clinic|division|unit|foundation|"
    r"ministry|academy|research|medical|sciences)\b",
    re.IGNORECASE,
)
_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "del", "della", "le", "la", "du", "dos", "bin", "al", "el"}
_SMALL = {"of", "and", "the", "in", "for", "on", "to", "a", "an", "with"}
_MARKERS = re.compile(r"[*†‡§¶#]+|(?<=[A-Za-z.])\d+(?:,\d+)*|\s\d+(?:,\d+)*(?=\s*(?:,|$))")
_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-zà-ÿ'’-]+(?:-[A-Z][a-zà-ÿ'’]+)?|[A-Z]\.?(?:-?[A-Z]\.?)?)$")
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
# The year is looked for at most 80 characters after the word: an unbounded
# lazy scan made a line of many "published" words quadratic.
_DATE_YEAR = {
    "published": re.compile(r"\bpublished(?:[ \t]+online)?[ \t]*:?[^;\n]{0,80}?\b((?:19|20)\d{2})\b", re.I),
    "accepted": re.compile(r"\baccepted[ \t]*:?[^;\n]{0,80}?\b((?:19|20)\d{2})\b", re.I),
    "received": re.compile(r"\breceived[ \t]*:?[^;\n]{0,80}?\b((?:19|20)\d{2})\b", re.I),
    "copyright": re.compile(r"(?:©|\bcopyright[ \t]*:?[ \t]*(?:©)?)[ \t]*((?:19|20)\d{2})\b", re.I),
}
_CITE = re.compile(r"(?:how to cite this article|cite this article(?: as)?|citation)\s*:?\s*(.*)", re.I)


def heading_name(line: str) -> str | None:
    """The section name if ``line`` is a plain-text section heading.

    Examples
    --------
    >>> heading_name("2. MATERIALS AND METHODS")
    'Materials and Methods'
    >>> heading_name("Conflict of Interest:")
    'Conflict of Interest'
    >>> heading_name("results were good") is None
    True
    """
    if len(line) > _MAX_HEADING:  # no markdown stripping of long lines (hot on 1-line files)
        return None
    s = strip_markdown_inline(line.strip()).strip()
    if not s or not (s[0].isupper() or s[0].isdigit()):
        return None
    m = _HEADING.match(s)
    return _tidy_name(m.group("name")) if m else None


#: A list item: "- x", "* x", "+ x", "• x", "1. x", "2) x".
_LIST_ITEM = re.compile(r"^(?:[-*+\u2022]|\d{1,2}[.)])\s+\S")
_BULLET = re.compile(r"^\s*[-*+\u2022]\s+")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*[.)]?\s+(?P<name>[A-Z][^.!?;]{0,80}?)\s*:?$")


def numbered_heading(line: str) -> str | None:
    """The section name of a numbered heading of any name ("2. Efficacy",
    "3.1 Adverse effects"): a number, then at most ten words with a capital
    first and no sentence punctuation. The reader takes it for a heading only
    on a line of its own between blank lines (a numbered list item is prose
    or ends with a full stop), and not in PDF text (page headers such as
    "12 J Pain Res" stand alone there).

    Examples
    --------
    >>> numbered_heading("2. Efficacy"), numbered_heading("3.1 Adverse effects of the drug")
    ('Efficacy', 'Adverse effects of the drug')
    >>> numbered_heading("1. Patients were randomised."), numbered_heading("2020 was a good year") is None
    (None, True)
    """
    m = _NUMBERED_HEADING.match(strip_markdown_inline(line.strip()).strip())
    if not m or len(m.group("name").split()) > 10:
        return None
    return _tidy_name(m.group("name"))


_TOPICAL_HEADING = re.compile(r"^(?P<name>[A-Z][A-Za-z0-9'’()/&,\- ]{1,59}?)\s*:?$")
_NOT_HEADING = re.compile(r"^(?:table|figure|fig|box|panel|supplementa\w*|page)\b", re.I)
#: Words that make a short line a sentence, not a heading ("It ends without a stop").
_SENTENCE_WORDS = frozenset(
    "it this these those that we they he she there i you is are was were be been has have had "
    "can may might will would should could does did do not".split()
)


def topical_heading(line: str) -> str | None:
    """The section name of an unnumbered heading of any name ("Clinical
    evidence", "Safety"): at most six words with a capital first, no
    sentence punctuation, no pronoun or finite verb ("It ends without a
    stop" is a sentence), not a table or figure label. The reader takes it
    for a heading only inside the body, on a line of its own between blank
    lines with a paragraph of prose after it, and not in PDF text (page
    headers and captions stand alone there).

    Examples
    --------
    >>> topical_heading("Clinical evidence"), topical_heading("Safety:")
    ('Clinical evidence', 'Safety')
    >>> topical_heading("None."), topical_heading("Table 2"), topical_heading("It ends without a stop")
    (None, None, None)
    """
    s = strip_markdown_inline(line.strip()).strip()
    m = _TOPICAL_HEADING.match(s)
    words = m.group("name").lower().split() if m else []
    if not m or len(words) > 6 or _NOT_HEADING.match(s) or any(w in _SENTENCE_WORDS for w in words):
        return None
    return _tidy_name(m.group("name"))


def _prose_follows(lines: list[str], k: int) -> bool:
    """Whether the next non-blank line from ``k`` starts a paragraph of prose
    (40 characters or more, or a sentence ending in a full stop)."""
    for line in lines[k : k + 20]:
        s = line.strip()
        if s:
            return len(s) >= 40 or s.endswith(".")
    return False


def _opens_section(lines: list[str], k: int, depth: int = 0) -> bool:
    """Whether the numbered heading on line ``k`` has on its next line a
    paragraph of prose ("2. Mechanism of action" / "Both drugs bind ...") or
    a numbered subheading that does ("3. Efficacy" / "3.1 Postherpetic
    neuralgia" / "In randomized trials ..."); a numbered list ("1. Dizziness"
    / "2. Nausea") has neither."""
    if k + 1 >= len(lines) or not numbered_heading(lines[k]):
        return False
    nxt = lines[k + 1].strip()
    if not nxt:
        return False
    if _LIST_ITEM.match(nxt) or numbered_heading(nxt):
        return depth == 0 and bool(numbered_heading(nxt)) and _opens_section(lines, k + 1, 1) and _subsection_of(
            lines[k], nxt
        )
    return len(nxt) >= 40 or (nxt.endswith((".", ":")) and len(nxt.split()) >= 3)


def _subsection_of(heading: str, sub: str) -> bool:
    """Whether numbered heading ``sub`` ("3.1 ...") is numbered under ``heading`` ("3. ...")."""
    a = re.match(r"\s*(\d+)\.?\s", heading)
    b = re.match(r"\s*(\d+)\.\d+\.?\s", sub)
    return bool(a and b and a.group(1) == b.group(1))


def _tidy_name(name: str) -> str:
    name = " ".join(_NUMBERING.sub("", name.strip()).split()).rstrip(":").strip()
    if name.isupper() and len(name) > 3:
        words = name.lower().split()
        name = " ".join(w if (i and w in _SMALL) else w.capitalize() for i, w in enumerate(words))
    return name


def _author_names(line: str) -> tuple[str, ...] | None:
    """Names of an author line, or None when the line is not one."""
    if len(line) > 2000:
        return None
    s = _MARKERS.sub("", line).strip(" ,;")
    if not s or len(s) > 600 or _AFFILIATION.search(s) or any(c.isdigit() for c in s):
        return None
    parts = [p.strip(" .,") for p in re.split(r",|;|\s+and\s+|\s*&\s*", s) if p.strip(" .,")]
    names = []
    for p in parts:
        toks = p.split()
        if not 2 <= len(toks) <= 5:
            return None
        if not all(_NAME_TOKEN.match(t) or t in _PARTICLES for t in toks):
            return None
        names.append(" ".join(toks))
    return tuple(names) or None


def _looks_affiliation(s: str) -> bool:
    """An affiliation line: an institution word and mostly capitalised words."""
    words = [w for w in re.findall(r"[A-Za-z]+", s) if w.lower() not in _SMALL]
    if not words or len(words) > 60 or not _AFFILIATION.search(s):
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _block_lines(block: list[str], markdown: bool) -> list[str]:
    return [strip_markdown_inline(ln) if markdown else ln for ln in block]


def parse_text(
    text: str,
    *,
    source: str = "",
    doc_id: str = "document",
    fmt: str = "text",
    markdown: bool = False,
    wrapped: bool = False,
) -> Article:
    """Parse a plain-text (or markdown, or PDF-extracted) article.

    Parameters
    ----------
    text : str
        Decoded article text.
    source, doc_id, fmt : str
        Recorded on the :class:`Article`.
    markdown : bool
        Read ``#`` headings and remove markdown emphasis and escapes.
    wrapped : bool
        Paragraphs may lack blank lines between them (PDF text): split
        blocks at short sentence-final lines.

    Examples
    --------
    >>> a = parse_text("A study\\n\\nIntroduction\\n\\nKetamine helps [1].\\n\\n"
    ...                "References\\n\\n1. Smith JA. T. J X. 2020;1:2.")
    >>> [(s.name, len(s.paragraphs)) for s in a.sections]
    [('Title', 1), ('Introduction', 1), ('References', 1)]
    >>> a.references[0].year
    '2020'
    """
    text = normalize_unicode(text.replace("\r\n", "\n").replace("\r", "\n"))
    vocab = word_vocabulary(text)
    title: str | None = None
    front: list[list[str]] = []
    back: list[str] = []
    sections: list[tuple[str, list[list[str]]]] = []
    ref_lines: list[str] = []
    mode = "front"  # front | body | refs | back
    cur: list[str] = []

    def flush() -> None:
        nonlocal title, mode
        if not cur:
            return
        block = cur.copy()
        cur.clear()
        first = _block_lines([block[0][:2000]], markdown)[0]  # only its start is matched
        if mode == "back" or _BACK.match(first.strip()):
            back.append(" ".join(ln.strip() for ln in _block_lines(block, markdown)))
            if mode == "refs":
                mode = "back"
            return
        if title is None and mode == "front":
            plain = _block_lines(block, markdown)
            joined = " ".join(ln.strip() for ln in plain)
            if not wrapped and (len(joined) <= 300 or len(plain) == 1):
                title = joined
                return
            # wrapped text (PDF): the title runs until an author line, at most 3 lines
            k = next((i for i, ln in enumerate(plain[:4]) if i and _author_names(ln)), 0)
            if not k:
                k = len(plain) if len(plain) <= 3 and len(joined) <= 300 else 1
            title = " ".join(ln.strip() for ln in plain[:k])
            block = block[k:]
            if not block:
                return
        if mode == "refs":
            ref_lines.extend(block)
        elif mode == "front":
            front.append(block)
        else:
            sections[-1][1].append(block)

    lines = text.split("\n")
    for k, line in enumerate(lines):
        s = line.strip()
        if not s:
            flush()
            continue
        m = _MD_HEADING.match(s) if markdown else None
        name = None
        if m:
            flush()
            name = _tidy_name(strip_markdown_inline(m.group("name")))
            if len(m.group("hashes")) == 1 and title is None and mode == "front":
                title = name
                continue
        elif _RULE.match(s):
            flush()
            continue
        else:
            name = heading_name(s)
            alone = not cur and (k + 1 == len(lines) or not lines[k + 1].strip())
            if name is None and mode != "refs" and not cur and not wrapped and (alone or _opens_section(lines, k)):
                # "2. Efficacy" alone between blank lines, or on its own line
                # right above prose or a numbered subheading (not in PDF text,
                # where a page header such as "12 J Pain Res" stands alone too)
                name = numbered_heading(s)
            if name is None and mode == "body" and alone and not wrapped and _prose_follows(lines, k + 1):
                name = topical_heading(s)  # "Clinical evidence" alone, prose after it
            if name:
                flush()
        if name:
            mode = "refs" if _REFERENCES.match(name) else "body"
            sections.append((name, []))
            continue
        if mode == "refs" and _BACK.match(strip_markdown_inline(s) if markdown else s):
            flush()
            mode = "back"
        if mode == "body" and cur and not wrapped and _LIST_ITEM.match(s):
            flush()  # each list item is a paragraph of its own
        cur.append(line)
    flush()

    # front matter: authors, affiliations, prose (abstract without heading)
    authors: tuple[str, ...] = ()
    affiliations: list[str] = []
    prose: list[list[str]] = []
    for block in front:
        plain = [ln.strip() for ln in _block_lines(block, markdown)]
        if not authors and len(plain) > 1 and _author_names(plain[0]):
            authors = _author_names(plain[0]) or ()
            plain = plain[1:]
        joined = " ".join(plain)
        names = _author_names(joined) if not authors else None
        if names:
            authors = names
        elif _looks_affiliation(joined) and not prose:
            affiliations.append(joined)
        elif not sections or len(joined) >= 200 or (len(joined.split()) >= 12 and joined.endswith(".")):
            prose.append(block)
        else:
            log.debug("front matter line ignored: %.60s", joined)
    if prose:
        sections.insert(0, ("Abstract" if sections else "Body", prose))

    def clean_paragraphs(blocks: list[list[str]]) -> list[str]:
        raws: list[str] = []
        for block in blocks:
            if all(ln.strip().startswith("|") for ln in block):
                log.debug("table left out of the text: %.60s", block[0].strip())
                continue  # its cells are no prose: "| Hypotension | 10-20% |"
            rows = [ln for ln in block if ln.count("|") >= 2]
            if rows and len(rows) >= 2:
                # a table without the outer pipes ("Drug | Dizziness | Somnolence"),
                # with its caption ("Table 1. Adverse events"): no prose either
                rest = [ln for ln in block if ln.count("|") < 2]
                if all(_NOT_HEADING.match(strip_markdown_inline(ln.strip())) for ln in rest):
                    log.debug("table left out of the text: %.60s", block[0].strip())
                    continue
                block = rest
            raw = _BULLET.sub("", "\n".join(_block_lines(block, markdown)), count=1)
            pieces = split_wrapped_block(raw) if wrapped else [raw]
            raws.extend(repair_block(p, vocab) for p in pieces)
        return [p for p in merge_broken_paragraphs(raws) if p]

    draft_sections: list[tuple[str, list[str]]] = []
    references: list[Reference] = []
    for name, blocks in sections:
        if _REFERENCES.match(name) and not references:
            entries = split_reference_entries(_block_lines(ref_lines, False))
            refs = [parse_reference(e, str(i)) for i, e in enumerate(entries, 1)]
            references.extend(refs)
            draft_sections.append((name, [r.text if not r.n else f"{r.n}. {r.text}" for r in refs]))
            ref_lines = []
        else:
            draft_sections.append((name, clean_paragraphs(blocks)))
    metadata = _metadata(back + [" ".join(b) for b in front], authors, affiliations)
    if title is None:
        title = ""
    title = " ".join(strip_markdown_inline(title).split()) if markdown else " ".join(title.split())
    return assemble_article(
        Draft(title=title, sections=draft_sections, metadata=metadata, references=references),
        doc_id=doc_id, source=source, fmt=fmt,
    )


def _metadata(lines: list[str], authors: tuple[str, ...], affiliations: list[str]) -> Metadata:
    journal = year = doi = None
    keywords: tuple[str, ...] = ()
    cite_authors: tuple[str, ...] = ()
    for ln in lines:
        s = ln.strip()
        m = _CITE.search(s)
        if m and m.group(1) and journal is None:
            ref = parse_reference(m.group(1))
            journal = ref.journal or None
            year = ref.year or None
            cite_authors = ref.authors
        if doi is None:
            d = _DOI.search(s)
            if d:
                doi = d.group(1).rstrip(".,;)")
        k = re.match(r"^\W{0,4}key\s*words?\s*:\s*(.+)$", s, re.I)
        if k and not keywords:
            keywords = tuple(w.strip(" .") for w in re.split(r"[;,]", k.group(1)) if w.strip(" ."))
    if year is None:
        joined = "\n".join(lines)
        for key in ("published", "accepted", "received", "copyright"):
            y = _DATE_YEAR[key].search(joined)
            if y:
                year = y.group(1)
                break
    if not authors and cite_authors:
        authors = tuple(" ".join(reversed([p.strip() for p in a.split(",", 1)])) for a in cite_authors)
    return Metadata(authors=authors, journal=journal, year=year, doi=doi,
                    affiliations=tuple(affiliations), keywords=keywords)


def read_text(path: Path, limits: Limits = Limits()) -> Article:
    """Read a plain-text article file (see :func:`parse_text`)."""
    path = Path(path)
    text = decode_bytes(read_bytes(path, limits.max_file_bytes), path)
    check_chars(text, limits.max_chars, path)
    return parse_text(text, source=str(path), doc_id=safe_doc_id(path.stem), fmt="text")
