"""Summaries: markdown for ``summaries/<doc_id>.md`` and ``summaries/_corpus.md``.

:func:`summarize_document`
    Input: a :class:`~extractor.model.DocumentResult` (article, mentions,
    merged claims, paragraph groups). Output: markdown text with

    1. the title and a bibliographic line (authors, journal, year, DOI);
    2. each de-duplicated claim once (except one stated only by the title),
       as a bullet quoting verbatim its
       shortest representative sentence, then the sections it comes from and
       its citations (``- Introduction, Description [3]``). Claims about the
       same drug whose evidence lies mostly in one group of paragraphs that
       restate each other (``paragraph_groups``) are shown as one bullet;
    3. a compact profile per drug: mechanisms, conditions, outcomes and
       adverse effects, each named as the article writes it (and by its
       preferred concept name when that differs).

:func:`summarize_corpus`
    Input: claims merged over a run and a ``doc_id -> title`` mapping. Output:
    markdown listing the claims supported by the most articles.

Both are extractive: every quoted sentence is copied from the article and
every name comes from a claim or a mention; nothing is generated. All
article-derived text is markdown-escaped, and ``<``, ``>``, ``&`` become HTML
entities, so no raw HTML passes through.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from typing import Mapping, Sequence

from extractor.model import Claim, DocumentResult, Entity, Mention, normalize_name

__all__ = ["escape_markdown", "summarize_document", "summarize_corpus"]

log = logging.getLogger(__name__)

_SLOT_LABELS = (
    ("mechanism", "Mechanisms"),
    ("condition", "Conditions"),
    ("outcome", "Outcomes"),
    ("adverse", "Adverse effects"),
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


def escape_markdown(text: str) -> str:
    """Escape ``text`` for inline markdown; HTML-significant characters
    become entities and whitespace runs collapse to one space.

    Examples
    --------
    >>> escape_markdown("a <b> & *c* [1]")
    'a &lt;b&gt; &amp; \\\\*c\\\\* \\\\[1\\\\]'
    """
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _cite_key(c: str) -> tuple:
    return (0, int(c), c) if c.isdigit() else (1, 0, c)


def _citations(claims: Sequence[Claim]) -> list[str]:
    return sorted({c for cl in claims for e in cl.evidence for c in e.citations}, key=_cite_key)


def _surface_names(mentions: Sequence[Mention]) -> dict[str, str]:
    """Concept key -> the most frequent surface form in the text."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        surface = " ".join(m.text.split())
        if surface:
            keep_case = any(ch.isupper() for ch in surface[1:])
            forms[m.entity().key()][surface if keep_case else surface.lower()] += 1
    return {k: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for k, c in forms.items()}


def _label(e: Entity, surface: Mapping[str, str], *, short: bool = False) -> str:
    """An entity as written in the article, plus its concept name if different
    (unless ``short``)."""
    s = surface.get(e.key())
    if s and not short and normalize_name(s) != normalize_name(e.name):
        return f"{escape_markdown(s)} ({escape_markdown(e.name)})"
    return escape_markdown(s or e.name)


def _bibliography(result: DocumentResult) -> str:
    md = result.article.metadata
    parts = []
    if md.authors:
        authors = list(md.authors)
        shown = ", ".join(authors[:6]) + (" et al." if len(authors) > 6 else "")
        parts.append(escape_markdown(shown.rstrip(".")) + ".")
    if md.journal:
        parts.append(f"*{escape_markdown(md.journal)}*" + (f" ({escape_markdown(md.year)})." if md.year else "."))
    elif md.year:
        parts.append(f"({escape_markdown(md.year)}).")
    if md.doi:
        doi = escape_markdown(md.doi)
        parts.append(f"DOI: {doi}")
    if md.pmid:
        parts.append(f"PMID: {escape_markdown(md.pmid)}")
    return " ".join(parts)


def _display_groups(result: DocumentResult) -> list[list[Claim]]:
    """Claims shown as one bullet: same drug(s) and polarity, same home
    paragraph group (the group, or lone paragraph, holding most evidence);
    bullets of different drugs quoting the same sentence are joined."""
    group_of = {}
    for gid, g in enumerate(result.paragraph_groups):
        for member in g:
            group_of[tuple(member)] = ("g", gid)
    clusters: dict[tuple, list[Claim]] = defaultdict(list)
    for c in result.claims:
        homes: Counter = Counter()
        first: dict[tuple, int] = {}
        for e in c.evidence:
            h = group_of.get((e.section, e.paragraph), ("p", e.section, e.paragraph))
            homes[h] += 1
            first.setdefault(h, e.start)
        home = min(homes, key=lambda h: (-homes[h], first[h])) if homes else ("c", c.claim_id)
        clusters[(c.key()[0], c.negated, home)].append(c)
    # claims of different drugs quoted by the same sentence share one bullet
    by_quote: dict[tuple, list[Claim]] = defaultdict(list)
    for (_drug, negated, home), cs in clusters.items():
        by_quote[(_shortest_quote(cs), negated, home)].extend(cs)
    out = list(by_quote.values())
    out.sort(key=lambda cs: min((e.start for c in cs for e in c.evidence), default=1 << 60))
    return out


def _sections(claims: Sequence[Claim], order: Mapping[str, int]) -> list[str]:
    secs = {e.section for c in claims for e in c.evidence if e.section}
    return sorted(secs, key=lambda s: (order.get(s, 1 << 30), s))


def _shortest_quote(claims: Sequence[Claim]) -> str:
    texts = [c.text for c in claims if c.text.strip()]
    return min(texts, key=lambda t: (len(t.split()), t)) if texts else ""


def _claim_bullet(claims: Sequence[Claim], order: Mapping[str, int], surface: Mapping[str, str]) -> str:
    drugs = {d.key(): d for c in claims for d in c.drug}
    who = ", ".join(_label(drugs[k], surface, short=True) for k in sorted(drugs))
    quote = escape_markdown(_shortest_quote(claims))
    where = ", ".join(escape_markdown(s) for s in _sections(claims, order))
    cites = _citations(claims)
    tail = where + (" " + "".join(f"\\[{escape_markdown(c)}\\]" for c in cites) if cites else "")
    flags = []
    if any(c.negated for c in claims):
        flags.append("negated")
    if all(c.hedged for c in claims):
        flags.append("hedged")
    flag = f" *({', '.join(flags)})*" if flags else ""
    return f"- **{who}**: \u201c{quote}\u201d{flag} \u2014 {tail}"


def _drug_profiles(claims: Sequence[Claim], surface: Mapping[str, str]) -> list[str]:
    by_drug: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    entities: dict[str, Entity] = {}
    drug_support: Counter = Counter()
    for c in claims:
        if c.negated:
            continue
        weight = max(len(c.evidence), 1)
        for d in c.drug:
            entities[d.key()] = d
            drug_support[d.key()] += weight
            for slot, _label_text in _SLOT_LABELS:
                for e in getattr(c, slot):
                    entities[e.key()] = e
                    by_drug[d.key()][slot][e.key()] += weight
    lines = []
    for dk in sorted(drug_support, key=lambda k: (-drug_support[k], k)):
        lines.append(f"**{_label(entities[dk], surface)}**")
        lines.append("")
        for slot, label in _SLOT_LABELS:
            cnt = by_drug[dk][slot]
            if cnt:
                names = [_label(entities[k], surface) for k in sorted(cnt, key=lambda k: (-cnt[k], k))]
                lines.append(f"- {label}: " + "; ".join(names))
        lines.append("")
    return lines


def summarize_document(result: DocumentResult) -> str:
    """Markdown summary of one article (``summaries/<doc_id>.md``).

    Parameters
    ----------
    result : DocumentResult
        The article with its mentions, merged claims and paragraph groups.

    Returns
    -------
    str
        Markdown: title, bibliographic line, one bullet per de-duplicated
        claim (verbatim quote, sections, citations), drug profiles.

    Examples
    --------
    >>> from extractor.model import Article, Metadata
    >>> art = Article("d", "d.txt", "text", "A <b>title</b>", "", metadata=Metadata(year="2020"))
    >>> print(summarize_document(DocumentResult(article=art)).splitlines()[0])
    # A &lt;b&gt;title&lt;/b&gt;
    """
    art = result.article
    order = {s.name: i for i, s in enumerate(art.sections)}
    surface = _surface_names(result.mentions)
    lines = [f"# {escape_markdown(art.title or art.doc_id)}", ""]
    bib = _bibliography(result)
    if bib:
        lines += [bib, ""]
    title = normalize_name(art.title)
    # the title is the header already: a finding stated only there is not repeated
    groups = [g for g in _display_groups(result) if not title or normalize_name(_shortest_quote(g)) != title]
    lines += [f"## Claims ({len(groups)})", ""]
    if groups:
        lines += [_claim_bullet(g, order, surface) for g in groups]
    else:
        lines.append("No drug claim was found in this article.")
    lines.append("")
    profiles = _drug_profiles(result.claims, surface)
    if profiles:
        lines += ["## Drug profiles", ""] + profiles
    return "\n".join(lines).rstrip() + "\n"


def summarize_corpus(claims: Sequence[Claim], documents: Mapping[str, str], *, top: int = 50) -> str:
    """Markdown of the claims most supported across articles (``_corpus.md``).

    Parameters
    ----------
    claims : sequence of Claim
        Claims merged over the run (:func:`extractor.dedup.merge_claims`).
    documents : mapping of str to str
        ``doc_id -> title`` of every article of the run.
    top : int, optional
        Number of claims listed.

    Returns
    -------
    str
        Markdown: counts, then the ``top`` claims ranked by number of
        supporting articles, then evidence count, each with its slots, a
        verbatim quote and the articles that state it.

    Examples
    --------
    >>> print(summarize_corpus([], {"d1": "T"}).splitlines()[0])
    # Corpus summary
    """
    def support(c: Claim) -> tuple:
        docs = {e.doc_id for e in c.evidence}
        return (-len(docs), -len(c.evidence), c.claim_id)

    ranked = sorted(claims, key=support)[:top]
    lines = [
        "# Corpus summary",
        "",
        f"{len(documents)} articles, {len(claims)} distinct claims. "
        f"The {len(ranked)} claims stated by the most articles:",
        "",
    ]
    for n, c in enumerate(ranked, 1):
        docs = sorted({e.doc_id for e in c.evidence})
        slots = "; ".join(
            f"{label.lower()}: " + ", ".join(escape_markdown(e.name) for e in getattr(c, slot))
            for slot, label in _SLOT_LABELS
            if getattr(c, slot)
        )
        drug = ", ".join(escape_markdown(d.name) for d in c.drug)
        flags = " (negated)" if c.negated else (" (hedged)" if c.hedged else "")
        lines.append(f"{n}. **{drug}**{flags} \u2014 {slots}")
        if c.text:
            lines.append(f"   \u201c{escape_markdown(c.text)}\u201d")
        titles = [f"{escape_markdown(documents.get(d) or d)} ({escape_markdown(d)})" for d in docs[:5]]
        more = f" and {len(docs) - 5} more" if len(docs) > 5 else ""
        lines.append(
            f"   {len(docs)} article{'s' if len(docs) != 1 else ''}, {len(c.evidence)} "
            f"sentence{'s' if len(c.evidence) != 1 else ''}: " + "; ".join(titles) + more
        )
    return "\n".join(lines).rstrip() + "\n"
