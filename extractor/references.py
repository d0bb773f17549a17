"""Reference-list entries to :class:`~extractor.model.Reference` records.

Input: the text of one numbered reference entry (markdown emphasis allowed)
or of a whole reference list. Output: ``Reference(n, text, authors, title,
journal, year, volume, pages, doi)``; ``text`` is the entry without its
number and without markdown markers. Authors are written ``"Surname,
Given"`` whatever the input style, so ``surname(a)`` is the part before the
comma. Two styles are parsed field by field:

* quoted-title style: ``Smith, John A., Doe, Jane B.. "Title." *J Pain Res*
  15 (2022):115-130.``
* Vancouver / NLM: ``Smith JA, Doe JB. Title. J Pain Res. 2022;15:115-30.``

Anything else keeps its text, year and DOI.
"""

from __future__ import annotations

import re

from extractor.model import Reference

__all__ = [
    "parse_reference",
    "parse_reference_list",
    "split_reference_entries",
    "strip_markdown_inline",
    "surname",
]

_NUMBER = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+")
_DOI = re.compile(r"(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
_ITALIC = re.compile(r"(?<![\\*])\*(?!\*)([^*\n]+?)(?<!\\)\*(?!\*)|(?<![\\_\w])_([^_\n]+?)(?<!\\)_(?!\w)")
_BOLD = re.compile(r"(?<!\\)\*\*|(?<![\\\w])__|__(?!\w)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
# Label and target exclude brackets: otherwise "[1, " or "[x](" repeated
# scanned to the end of the line from each "[" (quadratic).
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\((?:[^()\s\[\]]+)\)")
_QUOTED_SOURCE = re.compile(
    r"^(?P<journal>.+?)[.,]?\s+(?P<volume>\d+)\s*(?:\(\s*(?P<issue>[\w-]+)\s*\)\s*)?"
    r"\(\s*(?P<year>\d{4})\s*\)\s*(?::\s*(?P<pages>[\w–-]+))?"
)
_VANCOUVER_AUTHORS = re.compile(
    r"^(?P<authors>[A-Z][^.,;]*?\s[A-Z]{1,4}(?:,\s*[A-Z][^.,;]*?\s[A-Z]{1,4})*(?:,?\s*et\s+al)?)\.\s+"
)
_VANCOUVER_SOURCE = re.compile(
    r"(?P<year>(?:1[89]|20)\d{2})[^;:.]{0,20};\s*(?P<volume>\w+)(?:\s*\([^)]*\))?\s*(?::\s*(?P<pages>[\w–-]+))?"
)
_NAME_PART = re.compile(r"^(?:[A-Z][\w'’.-]*\.?)(?:\s+[A-Z][\w'’.-]*\.?)*$")
_INITIALS = re.compile(r"^[A-Z]{1,4}$")


def strip_markdown_inline(text: str) -> str:
    """Remove markdown emphasis, links and escapes from one line.

    Examples
    --------
    >>> strip_markdown_inline(r"**Bold** and *J Pain Res* and \\*note")
    'Bold and J Pain Res and *note'
    """
    if not any(c in text for c in "*_\\[`"):
        return text
    text = _LINK.sub(r"\1", text)
    text = _BOLD.sub("", text)
    text = _ITALIC.sub(lambda m: m.group(1) or m.group(2), text)
    text = text.replace("`", "")
    return _ESCAPE.sub(r"\1", text)


def surname(author: str) -> str:
    """The surname of an author written ``"Surname, Given"``.

    Examples
    --------
    >>> surname("Smith, John A.")
    'Smith'
    """
    return author.split(",", 1)[0].strip()


def _quoted(body: str) -> dict[str, str] | None:
    """Split ``authors. "title" rest`` at the first quoted title.

    The same split as the regular expression
    ``^(.*?)[.,]?\\s*["“](.+?)["”]\\s*(.*)$``, in linear time (that
    expression backtracked quadratically on many opening quotes).
    """
    i = next((k for k, c in enumerate(body) if c in '"“'), -1)
    if i < 0:
        return None
    j = next((k for k in range(i + 2, len(body)) if body[k] in '"”'), -1)
    if j < 0:
        return None
    authors = body[:i].rstrip()
    if authors.endswith((".", ",")):
        authors = authors[:-1]
    return {"authors": authors, "title": body[i + 1:j], "rest": body[j + 1:].lstrip()}


def _clean(s: str) -> str:
    return " ".join(s.split()).strip(" .,;:")


def _authors_pairs(segment: str) -> tuple[str, ...]:
    segment = re.sub(r"\bet al\.?", "", segment).strip(" .,")
    parts = [p.strip(" .") for p in segment.split(",") if p.strip(" .")]
    if not parts:
        return ()
    # Vancouver: "Smith JA, Doe JB"
    if all(len(p.split()) >= 2 and _INITIALS.match(p.split()[-1]) for p in parts):
        return tuple(f"{' '.join(p.split()[:-1])}, {p.split()[-1]}" for p in parts)
    # "Surname, Given, Surname, Given"
    if len(parts) % 2 == 0 and all(_NAME_PART.match(p) for p in parts):
        return tuple(f"{parts[i]}, {_given(parts[i + 1])}" for i in range(0, len(parts), 2))
    return tuple(_clean(p) for p in parts if _clean(p))


def _given(g: str) -> str:
    g = g.strip()
    return g + "." if re.search(r"\b[A-Z]$", g) else g


def parse_reference(entry: str, n: str = "") -> Reference:
    """Parse one reference entry.

    Parameters
    ----------
    entry : str
        The entry, with or without its leading number (``1.`` or ``[1]``)
        and markdown emphasis.
    n : str
        Number to use when the entry has none.

    Examples
    --------
    >>> r = parse_reference('1. Smith, John A., Doe, Jane B.. "Perioperative '
    ...                     'Ketamine." *J Pain Res* 15 (2022):115-130.')
    >>> r.n, surname(r.authors[0]), r.title, r.journal, r.year, r.volume, r.pages
    ('1', 'Smith', 'Perioperative Ketamine', 'J Pain Res', '2022', '15', '115-130')
    >>> r = parse_reference("2. Smith JA, Doe JB. Low-dose ketamine. J Pain Res. 2022;15:115-30.")
    >>> r.authors, r.title, r.journal, r.year, r.pages
    (('Smith, JA', 'Doe, JB'), 'Low-dose ketamine', 'J Pain Res', '2022', '115-30')
    """
    m = _NUMBER.match(entry)
    if m:
        n = m.group(1) or m.group(2)
        entry = entry[m.end():]
    italic = [a or b for a, b in _ITALIC.findall(entry.replace("**", ""))]
    text = " ".join(strip_markdown_inline(entry).split())
    doi_m = _DOI.search(text)
    doi = doi_m.group(1).rstrip(".,;)") if doi_m else ""
    body = text[: doi_m.start()].strip() if doi_m else text
    fields = {"authors": (), "title": "", "journal": "", "year": "", "volume": "", "pages": ""}
    q = _quoted(body)
    if q:
        fields["authors"] = _authors_pairs(q["authors"])
        fields["title"] = _clean(q["title"])
        src = _QUOTED_SOURCE.match(q["rest"])
        if src:
            fields.update(journal=_clean(src.group("journal")), volume=src.group("volume"),
                          year=src.group("year"), pages=src.group("pages") or "")
        elif q["rest"]:
            fields["journal"] = _clean(re.split(r"\s\d", q["rest"], maxsplit=1)[0])
    else:
        v = _VANCOUVER_AUTHORS.match(body)
        src = _VANCOUVER_SOURCE.search(body)
        if v and src and src.start() > v.end():
            fields["authors"] = _authors_pairs(v.group("authors"))
            middle = body[v.end(): src.start()].strip()
            pieces = re.split(r"(?<=[.?!])\s+", middle)
            if len(pieces) >= 2:
                fields["title"] = _clean(" ".join(pieces[:-1]))
                fields["journal"] = _clean(pieces[-1])
            else:
                fields["title"] = _clean(middle)
            fields.update(year=src.group("year"), volume=src.group("volume"),
                          pages=src.group("pages") or "")
    if italic and not fields["journal"]:
        fields["journal"] = _clean(italic[0])
    if not fields["year"]:
        y = _YEAR.search(body)
        fields["year"] = y.group(1) if y else ""
    return Reference(n=str(n), text=text, doi=doi, **fields)


def split_reference_entries(lines: list[str]) -> list[str]:
    """Group lines of a reference list into entries.

    A line starting with a number (``1.``, ``1)``, ``[1]``) opens an entry;
    other lines continue the current one (wrapped text). Without any
    numbering each non-empty line is an entry.

    Examples
    --------
    >>> split_reference_entries(["1. Smith J. A", "title. 2020.", "2. Doe J. B. 2021."])
    ['1. Smith J. A title. 2020.', '2. Doe J. B. 2021.']
    """
    lines = [ln.strip() for ln in lines if ln.strip()]
    if not any(_NUMBER.match(ln) for ln in lines):
        return lines
    entries: list[str] = []
    for ln in lines:
        if _NUMBER.match(ln) or not entries:
            entries.append(ln)
        else:
            entries[-1] = entries[-1] + " " + ln
    return entries


def parse_reference_list(text: str) -> list[Reference]:
    """Parse a whole reference list (one entry per numbered line).

    Examples
    --------
    >>> refs = parse_reference_list("1. A B. T. J X. 2020;1:2.\\n2. C D. U. J Y. 2021;3:4.")
    >>> [(r.n, r.year) for r in refs]
    [('1', '2020'), ('2', '2021')]
    """
    entries = split_reference_entries(text.split("\n"))
    return [parse_reference(e, str(i)) for i, e in enumerate(entries, 1)]

