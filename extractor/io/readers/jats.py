"""JATS / PMC NXML articles.

Input: the text of a JATS XML file. Output: an
:class:`~extractor.model.Article`: title, authors (given names + surname),
journal, year, DOI, PMID, keywords, affiliations; the abstract as section
``Abstract``; each body ``sec`` as a section named by its own ``title``
(nested sections flattened in document order); ``p`` elements as
paragraphs; ``xref ref-type="bibr"`` citations written as ``[n]`` markers
into the text (``n`` is the label of the cited reference); ``ref-list``
entries as references.

Parsing is safe: :mod:`defusedxml` forbids entity declarations and external
references, so XXE and billion-laughs files are refused (never expanded).
A plain DOCTYPE line, as in PMC files, is allowed.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from extractor.config import Limits
from extractor.errors import InputFormatError
from extractor.io.readers._common import (
    Draft,
    assemble_article,
    check_chars,
    decode_bytes,
    read_bytes,
    safe_doc_id,
)
from extractor.model import Article, Metadata, Reference
from extractor.references import parse_reference
from extractor.repair import normalize_unicode, replace_surrogates

__all__ = ["parse_jats", "read_jats"]

log = logging.getLogger(__name__)

_SKIP = {"table-wrap", "fig", "disp-formula", "table", "graphic", "media", "alternatives",
         "supplementary-material", "object-id", "label", "fn-group", "ref-list"}
_CITE_TEXT = re.compile(r"^[\d\s,;–—-]+$")
_PARA_TAGS = {"p"}


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _find(el: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if _local(c.tag) == name), None)
    return el


def _iter(el: ET.Element, name: str):
    return (c for c in el.iter() if _local(c.tag) == name)


def _plain(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


class _Renderer:
    """Renders mixed content with bibliographic xrefs as ``[n]`` markers."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels

    def render(self, el: ET.Element) -> str:
        buf: list[str] = []
        self._walk(el, buf, top=True)
        return " ".join(normalize_unicode("".join(buf)).split())

    def _xref(self, el: ET.Element, buf: list[str]) -> None:
        text = _plain(el)
        if not _CITE_TEXT.match(text or "x"):
            nums = [self.labels.get(r, "") for r in (el.get("rid") or "").split()]
            nums = [n for n in nums if n]
            if not nums:
                buf.append(text)
                return
            text = ", ".join(nums)
        tail = "".join(buf[-8:])
        inside = tail.rfind("[") > tail.rfind("]")
        buf.append(text if inside else f"[{text}]")

    def _walk(self, el: ET.Element, buf: list[str], top: bool = False) -> None:
        tag = _local(el.tag)
        if not top and tag in _SKIP:
            buf.append(el.tail or "")
            return
        if tag == "xref" and el.get("ref-type") == "bibr":
            self._xref(el, buf)
        elif tag == "sup" and any(_local(c.tag) == "xref" and c.get("ref-type") == "bibr" for c in el):
            inner: list[str] = []
            for c in el:
                if _local(c.tag) == "xref":
                    t = _plain(c)
                    inner.append(t if _CITE_TEXT.match(t or "x") else ", ".join(
                        self.labels.get(r, "") for r in (c.get("rid") or "").split()))
                inner.append(c.tail or "")
            buf.append("[" + ((el.text or "") + "".join(inner)).strip(" ,") + "]")
        else:
            buf.append(el.text or "")
            for c in el:
                self._walk(c, buf)
        if not top:
            buf.append(el.tail or "")


def _references(back: ET.Element | None, root: ET.Element) -> tuple[list[Reference], dict[str, str]]:
    refs: list[Reference] = []
    labels: dict[str, str] = {}
    ref_list = _find(back, "ref-list") if back is not None else None
    if ref_list is None:
        ref_list = next(_iter(root, "ref-list"), None)
    if ref_list is None:
        return refs, labels
    for i, ref in enumerate(_iter(ref_list, "ref"), 1):
        label = _plain(_find(ref, "label")).strip(" .[]()") or str(i)
        if ref.get("id"):
            labels[ref.get("id")] = label
        cit = next((c for c in ref if _local(c.tag) in {"mixed-citation", "element-citation", "citation",
                                                         "nlm-citation"}), None)
        if cit is None:
            continue
        text = _plain(cit)
        parsed = parse_reference(text, label)
        authors = tuple(
            f"{_plain(_find(n, 'surname'))}, {_plain(_find(n, 'given-names'))}".strip(", ")
            for n in _iter(cit, "name")
        )
        title = _plain(_find(cit, "article-title")) or parsed.title
        pages = "-".join(x for x in (_plain(_find(cit, "fpage")), _plain(_find(cit, "lpage"))) if x)
        doi = next((_plain(p) for p in _iter(cit, "pub-id") if p.get("pub-id-type") == "doi"), "")
        journal = _plain(_find(cit, "source")) or parsed.journal
        year = _plain(_find(cit, "year"))[:4] or parsed.year
        volume = _plain(_find(cit, "volume")) or parsed.volume
        if _local(cit.tag) == "element-citation":  # no punctuation in the markup: write it
            text = ". ".join(x for x in ("; ".join(authors).rstrip("."), title.rstrip("."), journal) if x)
            text += f". {year}" if year else ""
            text += f";{volume}" if volume else ""
            text += f":{pages}" if pages else ""
            text += "."
        refs.append(Reference(
            n=label, text=text, authors=authors or parsed.authors,
            title=title.rstrip("."), journal=journal, year=year, volume=volume,
            pages=pages or parsed.pages, doi=doi or parsed.doi,
        ))
    return refs, labels


def _paragraphs(el: ET.Element, r: _Renderer) -> list[str]:
    """Paragraphs directly under ``el`` (lists and boxes included, not sub-sections)."""
    out: list[str] = []
    for c in el:
        tag = _local(c.tag)
        if tag in _PARA_TAGS:
            text = r.render(c)
            if text:
                out.append(text)
        elif tag in {"list", "list-item", "boxed-text", "disp-quote", "def-list", "statement"}:
            out.extend(_paragraphs(c, r))
    return out


def _sections(el: ET.Element, r: _Renderer, default: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    own = _paragraphs(el, r)
    name = _plain(_find(el, "title")) or default
    if own:
        out.append((name, own))
    for c in el:
        if _local(c.tag) == "sec":
            out.extend(_sections(c, r, name))
    return out


def parse_jats(text: str, *, source: str = "", doc_id: str = "document") -> Article:
    """Parse a JATS / NXML article.

    Raises
    ------
    InputFormatError
        Malformed or truncated XML, entity declarations or external
        references (XXE, billion laughs), or no ``article`` element.

    Examples
    --------
    >>> xml = ('<article><front><article-meta><title-group><article-title>Aspirin'
    ...        '</article-title></title-group></article-meta></front><body><sec><title>'
    ...        'Results</title><p>It worked <xref ref-type="bibr" rid="r1">1</xref>.</p>'
    ...        '</sec></body><back><ref-list><ref id="r1"><label>1</label><mixed-citation>'
    ...        'Doe J. T. J X. 2020;1:2.</mixed-citation></ref></ref-list></back></article>')
    >>> a = parse_jats(xml)
    >>> p = a.sections[1].paragraphs[0]
    >>> a.sections[1].name, a.text[p.start:p.end], p.citations, a.references[0].year
    ('Results', 'It worked [1].', ('1',), '2020')
    """
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        root = DET.fromstring(replace_surrogates(text.lstrip("\ufeff")), forbid_dtd=False,
                              forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputFormatError(f"unsafe XML refused ({type(exc).__name__}): entity declarations "
                               "and external references are not allowed", path=source or None,
                               stage="read", fix="remove the DOCTYPE's entity declarations") from None
    except ET.ParseError as exc:
        raise InputFormatError(f"malformed or truncated XML ({exc})", path=source or None,
                               stage="read", fix="check the file is complete, well-formed JATS") from None
    article = root if _local(root.tag) == "article" else next(_iter(root, "article"), None)
    if article is None:
        raise InputFormatError(f"XML root is <{_local(root.tag)}>, not a JATS <article>",
                               path=source or None, stage="read",
                               fix="give a JATS/PMC NXML article file")
    front, body, back = (_find(article, n) for n in ("front", "body", "back"))
    meta = _find(front, "article-meta")
    refs, labels = _references(back, article)
    r = _Renderer(labels)
    title_el = _find(meta, "title-group", "article-title")
    title = r.render(title_el) if title_el is not None else ""
    authors = []
    for contrib in _iter(meta, "contrib") if meta is not None else ():
        if contrib.get("contrib-type", "author") != "author":
            continue
        name = _find(contrib, "name")
        if name is not None:
            authors.append(" ".join(x for x in (_plain(_find(name, "given-names")), _plain(_find(name, "surname"))) if x))
        elif _find(contrib, "collab") is not None:
            authors.append(_plain(_find(contrib, "collab")))
    jmeta = _find(front, "journal-meta")
    journal = None
    if jmeta is not None:
        jt = next(_iter(jmeta, "journal-title"), None)
        if jt is None:
            jt = next(_iter(jmeta, "abbrev-journal-title"), None)
        journal = _plain(jt) or None
    ids = {a.get("pub-id-type"): _plain(a) for a in _children(meta, "article-id")} if meta is not None else {}
    year = None
    if meta is not None:
        dates = list(_iter(meta, "pub-date"))
        dates.sort(key=lambda d: 0 if (d.get("pub-type") or d.get("date-type")) in {"epub", "pub", "ppub"} else 1)
        year = next((_plain(_find(d, "year")) for d in dates if _find(d, "year") is not None), None)
    keywords = tuple(_plain(k) for k in _iter(meta, "kwd")) if meta is not None else ()
    affs = tuple(_plain(a) for a in _iter(meta, "aff")) if meta is not None else ()
    sections: list[tuple[str, list[str]]] = []
    abstract = next((a for a in _children(meta, "abstract") if not a.get("abstract-type")), None) \
        if meta is not None else None
    if abstract is None and meta is not None:
        abstract = next(iter(_children(meta, "abstract")), None)
    if abstract is not None:
        paras = [p for _, ps in _sections(abstract, r, "Abstract") for p in ps]
        if paras:
            sections.append(("Abstract", paras))
    if body is not None:
        loose = _paragraphs(body, r)
        if loose:
            sections.append(("Body", loose))
        for sec in _children(body, "sec"):
            sections.extend(_sections(sec, r, "Body"))
    if back is not None:
        for sec in _children(back, "sec") + _children(back, "ack"):
            sections.extend(_sections(sec, r, "Acknowledgement" if _local(sec.tag) == "ack" else "Back matter"))
    if refs:
        sections.append(("References", [f"{ref.n}. {ref.text}" for ref in refs]))
    metadata = Metadata(authors=tuple(a for a in authors if a), journal=journal, year=year,
                        doi=ids.get("doi") or None, pmid=ids.get("pmid") or None,
                        affiliations=affs, keywords=keywords)
    return assemble_article(Draft(title=title, sections=sections, metadata=metadata, references=refs),
                            doc_id=doc_id, source=source, fmt="jats")


def read_jats(path: Path, limits: Limits = Limits()) -> Article:
    """Read a JATS / NXML article file (see :func:`parse_jats`)."""
    path = Path(path)
    text = decode_bytes(read_bytes(path, limits.max_file_bytes), path)
    check_chars(text, limits.max_chars, path)
    return parse_jats(text, source=str(path), doc_id=safe_doc_id(path.stem))
