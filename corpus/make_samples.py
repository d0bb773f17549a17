"""Rebuild the sample inputs of ``corpus/`` and the reader test fixtures.

Run from the repository root: ``python corpus/make_samples.py``. The output
is deterministic (same bytes on every run). Sources:

* the seed article (``/work/shared/seeds``, CC BY 4.0; also kept here);
* BC5CDR development abstracts (``/work/shared/data/bc5cdr``, public
  domain), none of them in ``do_not_train.txt``.

The PDFs are written by :func:`write_pdf`, a minimal PDF generator
(Helvetica, one text layer, no dependency), so the samples exercise the
PDF reader without a binary tool chain.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared")
SEED = SHARED / "seeds" / "ketamine_perioperative_pain_sharma2025.txt"
CDR_DEV = SHARED / "data" / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt"
DO_NOT_TRAIN = SHARED / "data" / "do_not_train.txt"
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures" / "articles"

#: BC5CDR development PMIDs used as samples (checked against do_not_train.txt).
SAMPLE_PMIDS = ["20735774", "18363626", "15930398", "12549952", "11573852"]
JATS_PMID = "18363626"
PDF_PMID = "20735774"
FIXTURE_PMIDS = ["20735774", "18363626", "12549952"]


# ------------------------------------------------------------------ PDF


def _pdf_string(s: str) -> bytes:
    b = s.encode("cp1252", errors="replace")
    return b"(" + b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def write_pdf(pages: list[list[str]], path: Path) -> None:
    """Write ``pages`` (lists of text lines; "" is a blank line) as a PDF."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3
    page_ids = [4 + 2 * i for i in range(n_pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n_pages)
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, lines in enumerate(pages):
        ops = [b"BT /F1 10 Tf 13 TL 60 750 Td"]
        for ln in lines:
            ops.append(_pdf_string(ln) + b" Tj T*" if ln else b"T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_id, page_ids[i] + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def wrap(text: str, width: int = 92, hyphenate: bool = True) -> list[str]:
    """Wrap ``text`` into lines, splitting long words with a hyphen as a
    typesetter would (``analge-`` / ``sia``)."""
    lines: list[str] = []
    cur = ""
    for word in text.split():
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= width:
            cur += " " + word
        else:
            room = width - len(cur) - 2
            if hyphenate and "-" in word and 0 < word.index("-") < room:
                k = word.index("-")
                lines.append(cur + " " + word[: k + 1])
                cur = word[k + 1:]
            elif hyphenate and word.isalpha() and len(word) >= 9 and room >= 4:
                k = min(room, len(word) - 3)
                lines.append(cur + " " + word[:k] + "-")
                cur = word[k:]
            else:
                lines.append(cur)
                cur = word
    if cur:
        lines.append(cur)
    return lines


def paginate(blocks: list[list[str]], per_page: int) -> list[list[str]]:
    """Lay blocks of lines onto pages, a blank line between blocks; a block
    may run across a page break (as in a real article)."""
    flat: list[str] = []
    for b in blocks:
        if flat:
            flat.append("")
        flat.extend(b)
    return [flat[i: i + per_page] for i in range(0, len(flat), per_page)]


# ------------------------------------------------------------------ data


def pubtator_docs() -> dict[str, str]:
    banned = set(DO_NOT_TRAIN.read_text().split())
    docs = {}
    for block in CDR_DEV.read_text(encoding="utf-8").strip().split("\n\n"):
        pmid = block.split("|", 1)[0]
        docs[pmid] = block
    for p in SAMPLE_PMIDS:
        if p in banned:
            sys.exit(f"{p} is in do_not_train.txt")
    return docs


def title_abstract(block: str) -> tuple[str, str]:
    lines = block.split("\n")
    return lines[0].split("|t|", 1)[1], lines[1].split("|a|", 1)[1]


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def jats_from_abstract(pmid: str, title: str, abstract: str) -> str:
    parts = re.split(r"(?:^|(?<=[.!?] ))([A-Z][A-Z ]{2,40}): ", abstract)
    secs = []
    if len(parts) > 1:
        for label, body in zip(parts[1::2], parts[2::2]):
            secs.append(f"<sec><title>{_esc(label.title())}</title><p>{_esc(body.strip())}</p></sec>")
    else:
        secs.append(f"<p>{_esc(abstract)}</p>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- SAMPLE STRUCTURE, not a publisher file: built by corpus/make_samples.py from the\n"
        f"     BC5CDR development-set record of PMID {pmid} (title and abstract text are the real ones;\n"
        "     no authors, journal or body are given because the source record has none). -->\n"
        '<article article-type="research-article"><front><article-meta>'
        f'<article-id pub-id-type="pmid">{pmid}</article-id>'
        f"<title-group><article-title>{_esc(title)}</article-title></title-group>"
        f"<abstract>{''.join(secs)}</abstract>"
        "</article-meta></front></article>\n"
    )


def seed_to_jats(seed_text: str) -> str:
    """The seed article as JATS (same content: title, author, journal, body
    sections, numbered citations as xref, the reference list)."""
    from extractor.io.readers.markdown import parse_markdown

    a = parse_markdown(seed_text)
    body = []
    for sec in a.sections[1:]:
        if sec.name == "References":
            continue
        ps = []
        for p in sec.paragraphs:
            t = _esc(a.text[p.start:p.end])
            t = re.sub(r"\[(\d+)\]", lambda m: f'[<xref ref-type="bibr" rid="R{m.group(1)}">{m.group(1)}</xref>]', t)
            ps.append(f"<p>{t}</p>")
        body.append(f"<sec><title>{_esc(sec.name)}</title>{''.join(ps)}</sec>")
    refs = []
    for r in a.references:
        names = "".join(
            f"<name><surname>{_esc(x.split(',')[0].strip())}</surname>"
            f"<given-names>{_esc(x.split(',', 1)[1].strip())}</given-names></name>"
            for x in r.authors
        )
        first, last = (r.pages.split("-") + [""])[:2]
        refs.append(
            f'<ref id="R{r.n}"><label>{r.n}</label><element-citation publication-type="journal">'
            f'<person-group person-group-type="author">{names}</person-group>'
            f"<article-title>{_esc(r.title)}</article-title><source>{_esc(r.journal)}</source>"
            f"<year>{r.year}</year><volume>{r.volume}</volume><fpage>{first}</fpage><lpage>{last}</lpage>"
            "</element-citation></ref>"
        )
    given, surname = a.metadata.authors[0].rsplit(" ", 1)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.2 20190208//EN" '
        '"JATS-archivearticle1.dtd">\n'
        "<!-- Test fixture: the seed article (CC BY 4.0) re-encoded as JATS by corpus/make_samples.py. -->\n"
        '<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="review-article"><front>'
        f"<journal-meta><journal-title-group><journal-title>{_esc(a.metadata.journal)}</journal-title>"
        "</journal-title-group></journal-meta><article-meta>"
        f'<article-id pub-id-type="doi">{a.metadata.doi}</article-id>'
        f"<title-group><article-title>{_esc(a.title)}</article-title></title-group>"
        '<contrib-group><contrib contrib-type="author"><name>'
        f"<surname>{surname}</surname><given-names>{given}</given-names></name></contrib></contrib-group>"
        f"<aff>{_esc(a.metadata.affiliations[0])}</aff>"
        f'<pub-date pub-type="epub"><day>29</day><month>10</month><year>{a.metadata.year}</year></pub-date>'
        "</article-meta></front>"
        f"<body>{''.join(body)}</body><back><ref-list>{''.join(refs)}</ref-list></back></article>\n"
    )


def seed_plain_blocks(seed_text: str, upper: bool) -> list[list[str]]:
    """The seed as plain text: headings without '#' (numbered / ALL CAPS),
    no markdown emphasis, wrapped lines."""
    from extractor.references import strip_markdown_inline

    blocks: list[list[str]] = []
    number = 0
    for block in seed_text.strip().split("\n\n"):
        block = block.strip()
        if not block or block == "---":
            continue
        if block.startswith("## "):
            name = block[3:].strip()
            number += 1
            blocks.append([f"{number}. {name.upper()}" if upper else name])
            continue
        if block.startswith("# "):
            blocks.append([block[2:].strip()])
            continue
        text = strip_markdown_inline(block)
        if re.match(r"^\d+\. ", text):  # the reference list: one line per entry
            blocks.append(text.split("\n"))
        else:
            blocks.append(wrap(" ".join(text.split())))
    return blocks


def main() -> None:
    sys.path.insert(0, str(ROOT))
    CORPUS.mkdir(exist_ok=True)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    seed_text = SEED.read_text(encoding="utf-8")
    shutil.copyfile(SEED, CORPUS / SEED.name)
    shutil.copyfile(SEED, FIXTURES / SEED.name)
    docs = pubtator_docs()

    sample = "\n\n".join(docs[p] for p in SAMPLE_PMIDS) + "\n\n"
    (CORPUS / "bc5cdr_dev_sample.pubtator").write_text(sample, encoding="utf-8")
    fixture = "\n\n".join(docs[p] for p in FIXTURE_PMIDS) + "\n\n"
    (FIXTURES / "bc5cdr_dev_3docs.pubtator").write_text(fixture, encoding="utf-8")

    t, a = title_abstract(docs[JATS_PMID])
    (CORPUS / f"bc5cdr_{JATS_PMID}.nxml").write_text(jats_from_abstract(JATS_PMID, t, a), encoding="utf-8")
    (FIXTURES / f"bc5cdr_{JATS_PMID}.nxml").write_text(jats_from_abstract(JATS_PMID, t, a), encoding="utf-8")
    (FIXTURES / "sharma2025_jats.nxml").write_text(seed_to_jats(seed_text), encoding="utf-8")

    t, a = title_abstract(docs[PDF_PMID])
    blocks = [wrap(t), ["Abstract"], wrap(a)]
    write_pdf(paginate(blocks, 60), CORPUS / f"bc5cdr_{PDF_PMID}.pdf")
    write_pdf(paginate(blocks, 60), FIXTURES / f"bc5cdr_{PDF_PMID}.pdf")

    plain = seed_plain_blocks(seed_text, upper=True)
    (FIXTURES / "sharma2025_plain.txt").write_text(
        "\n\n".join("\n".join(b) for b in plain) + "\n", encoding="utf-8")
    write_pdf(paginate(seed_plain_blocks(seed_text, upper=False), 52), FIXTURES / "sharma2025.pdf")


if __name__ == "__main__":
    main()
