"""Readers: each format on a real fixture, and every kind of bad input."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import pytest

from extractor.config import Limits
from extractor.errors import InputFormatError, InputTooLargeError
from extractor.io.readers import SUPPORTED_SUFFIXES, detect_format, read_articles, read_path, safe_doc_id
from extractor.io.readers.jats import parse_jats
from extractor.io.readers.pubtator import parse_pubtator
from extractor.references import surname

GOLD_SECTIONS = ["Introduction", "Description", "Conclusion", "Acknowledgement", "Conflict of Interest", "References"]
GOLD_COUNTS = {"Introduction": 10, "Description": 10, "Conclusion": 1}
SEED_FORMS = [
    ("ketamine_perioperative_pain_sharma2025.txt", "markdown"),
    ("sharma2025_plain.txt", "text"),
    ("sharma2025_jats.nxml", "jats"),
    ("sharma2025.pdf", "pdf"),
]


def _paragraphs(article):
    return [(s.name, p.index, article.text[p.start:p.end], p.citations)
            for s in article.sections for p in s.paragraphs]


def _check_offsets(article):
    for s in article.sections:
        assert 0 <= s.start <= s.end <= len(article.text)
        for p in s.paragraphs:
            assert s.start <= p.start < p.end <= s.end
            chunk = article.text[p.start:p.end]
            assert chunk == chunk.strip() and chunk


# ------------------------------------------------------------------ seed, four formats


@pytest.mark.parametrize("name,fmt", SEED_FORMS)
def test_seed_sections_counts_metadata_in_every_format(articles_dir, name, fmt):
    [a] = read_path(articles_dir / name)
    assert a.format == fmt
    assert a.title == "Ketamine: Perioperative Pain Management And Chronic Relief"
    assert a.text.startswith(a.title)
    counts = {s.name: len(s.paragraphs) for s in a.sections}
    # what tools/score.py checks ("names=ok paragraph counts=ok")
    assert all(n in counts for n in GOLD_SECTIONS), counts
    assert {k: counts[k] for k in GOLD_COUNTS} == GOLD_COUNTS
    assert [s.name for s in a.sections] == ["Title"] + GOLD_SECTIONS
    md = a.metadata
    assert md.doi == "10.37421/2684-5997.2025.8.310"
    assert md.journal == "J Anesthesiol Pain Res"
    assert md.year == "2025"
    assert list(md.authors) == ["Rakesh Sharma"]
    assert len(a.references) == 10
    r1 = a.references[0]
    assert (r1.n, surname(r1.authors[0]), r1.journal, r1.year) == ("1", "Smith", "J Pain Res", "2022")
    _check_offsets(a)


@pytest.mark.parametrize("name,fmt", SEED_FORMS)
def test_seed_citations_end_matching_paragraphs(articles_dir, name, fmt):
    [a] = read_path(articles_dir / name)
    for sec in ("Introduction", "Description"):
        s = next(x for x in a.sections if x.name == sec)
        assert [p.citations for p in s.paragraphs] == [(str(k),) for k in range(1, 11)]
        for k, p in enumerate(s.paragraphs, 1):
            assert a.text[p.start:p.end].endswith(f"[{k}].")


def test_seed_text_is_clean_and_page_break_repaired(articles_dir, seed_path):
    [a] = read_path(seed_path)
    for marker in ("\\*", "**", "*J ", "## ", "# "):
        assert marker not in a.text
    intro = next(s for s in a.sections if s.name == "Introduction")
    p8 = a.text[intro.paragraphs[7].start:intro.paragraphs[7].end]
    assert "perioperative settings is crucial for its widespread adoption" in p8
    concl = next(s for s in a.sections if s.name == "Conclusion").paragraphs[0]
    assert "It effectively manages opioid tolerance" in a.text[concl.start:concl.end]
    # back matter is metadata, not body
    assert "How to cite" not in a.text and "Copyright" not in a.text


@pytest.mark.parametrize("name", ["sharma2025_plain.txt", "sharma2025_jats.nxml", "sharma2025.pdf"])
def test_other_formats_give_same_paragraph_text_as_markdown(articles_dir, seed_path, name):
    [md] = read_path(seed_path)
    [other] = read_path(articles_dir / name)
    body = lambda a: [x for x in _paragraphs(a) if x[0] != "References"]  # noqa: E731
    assert body(other) == body(md)


def test_pdf_hyphenation_and_page_break_repaired(articles_dir):
    from pypdf import PdfReader

    raw = "".join(p.extract_text() for p in PdfReader(articles_dir / "sharma2025.pdf").pages)
    assert "-\n" in raw  # the fixture really has words split at line ends
    [a] = read_path(articles_dir / "sharma2025.pdf")
    assert "mechanisms by which ketamine" in a.text
    assert "opioid-sparing" in a.text
    assert "N-methyl-D-aspartate" in a.text
    assert "-\n" not in a.text and "- " not in a.text.replace(" - ", "")


# ------------------------------------------------------------------ PubTator


def test_pubtator_offsets_of_every_annotation_match_text(articles_dir):
    arts = read_path(articles_dir / "bc5cdr_dev_3docs.pubtator")
    assert [a.doc_id for a in arts] == ["20735774", "18363626", "12549952"]
    total = 0
    for a in arts:
        assert a.format == "pubtator" and a.metadata.pmid == a.doc_id
        assert a.text == a.title + " " + a.text[len(a.title) + 1:]
        for ann in a.annotations:
            assert a.text[ann.start:ann.end] == ann.text
            total += 1
        assert a.gold_relations and all(r[0] == "CID" for r in a.gold_relations)
        assert [s.name for s in a.sections] == ["Title", "Abstract"]
        _check_offsets(a)
    assert total > 40


def test_pubtator_structured_abstract_split_with_exact_offsets(articles_dir):
    a = read_path(articles_dir / "bc5cdr_dev_3docs.pubtator")[1]
    abstract = a.sections[1]
    assert len(abstract.paragraphs) >= 3
    import re

    for para in abstract.paragraphs:
        assert re.match(r"[A-Z][A-Z /&-]+: ", a.text[para.start:para.end])
    assert abstract.paragraphs[0].start == len(a.title) + 1
    assert abstract.paragraphs[-1].end == len(a.text.rstrip())


def test_pubtator_bad_offsets_leave_out_only_that_document(articles_dir, tmp_path):
    text = (articles_dir / "bc5cdr_dev_3docs.pubtator").read_text()
    lines = text.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith("18363626\t"))
    f = lines[i].split("\t")
    f[1], f[2] = "5000", "5010"
    lines[i] = "\t".join(f)
    bad = tmp_path / "bad.pubtator"
    bad.write_text("\n".join(lines))
    arts, problems = parse_pubtator(bad.read_text())
    assert [a.doc_id for a in arts] == ["20735774", "12549952"]
    assert len(problems) == 1 and "18363626" in problems[0] and "outside the text" in problems[0]
    result = read_articles(bad)
    assert len(result.articles) == 2 and result.problems == tuple(problems)
    # a mention text that does not match the text is also reported
    f[1], f[2] = "0", "4"
    f[3] = "XXXX"
    lines[i] = "\t".join(f)
    arts, problems = parse_pubtator("\n".join(lines))
    assert len(arts) == 2 and "does not match" in problems[0]


def test_pubtator_all_documents_bad_is_an_error(tmp_path):
    p = tmp_path / "all_bad.txt"
    p.write_text("1|t|Aspirin.\n1|a|Rash.\n1\t0\t99\tAspirin\tChemical\tD001241\n")
    with pytest.raises(InputFormatError, match="no readable PubTator document"):
        read_path(p)


# ------------------------------------------------------------------ JATS


def test_jats_sample_fields(articles_dir):
    [a] = read_path(articles_dir / "bc5cdr_18363626.nxml")
    assert a.format == "jats" and a.doc_id == "bc5cdr_18363626"
    assert a.metadata.pmid == "18363626"
    assert a.title.startswith("High dose dexmedetomidine")
    abstract = next(s for s in a.sections if s.name == "Abstract")
    assert len(abstract.paragraphs) >= 3


def test_jats_seed_fields_xrefs_and_references(articles_dir):
    [a] = read_path(articles_dir / "sharma2025_jats.nxml")
    assert a.metadata.affiliations and "Himalayan" in a.metadata.affiliations[0]
    assert a.references[9].n == "10" and a.references[9].pages == "1-10"
    assert surname(a.references[3].authors[2]) == "Kim"


def test_jats_nested_sections_xref_forms_and_abstract():
    xml = """<article><front><journal-meta><journal-title>Pain</journal-title></journal-meta>
    <article-meta><article-id pub-id-type="doi">10.1/x</article-id>
    <title-group><article-title>A <italic>drug</italic></article-title></title-group>
    <contrib-group><contrib contrib-type="author"><name><surname>Doe</surname><given-names>Jane</given-names></name></contrib>
    <contrib contrib-type="editor"><name><surname>Ed</surname><given-names>Itor</given-names></name></contrib></contrib-group>
    <pub-date><year>2019</year></pub-date><abstract><p>Short abstract.</p></abstract></article-meta></front>
    <body><sec><title>Methods</title><p>Intro text <xref ref-type="bibr" rid="b1">1</xref>.</p>
    <sec><title>Patients</title><p>Cited [<xref ref-type="bibr" rid="b1">1</xref>, <xref ref-type="bibr" rid="b2">2</xref>].</p>
    <table-wrap><table><tr><td>9.9 cells</td></tr></table></table-wrap></sec></sec></body>
    <back><ref-list><ref id="b1"><label>1</label><mixed-citation>Smith JA. T. J X. 2020;1:2.</mixed-citation></ref>
    <ref id="b2"><mixed-citation>Doe JB. U. J Y. 2021;3:4.</mixed-citation></ref></ref-list></back></article>"""
    a = parse_jats(xml, doc_id="x")
    assert a.title == "A drug" and a.metadata.authors == ("Jane Doe",)
    assert (a.metadata.journal, a.metadata.year, a.metadata.doi) == ("Pain", "2019", "10.1/x")
    paras = {(s, i): (t, c) for s, i, t, c in _paragraphs(a)}
    assert paras[("Abstract", 1)][0] == "Short abstract."
    assert paras[("Methods", 1)] == ("Intro text [1].", ("1",))
    assert paras[("Patients", 1)] == ("Cited [1, 2].", ("1", "2"))
    assert "9.9 cells" not in a.text
    assert [r.n for r in a.references] == ["1", "2"]


XXE = """<?xml version="1.0"?>
<!DOCTYPE article [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<article><front><article-meta><title-group><article-title>&xxe;</article-title></title-group></article-meta></front></article>"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<article><front><article-meta><title-group><article-title>&lol3;</article-title></title-group></article-meta></front></article>"""


@pytest.mark.parametrize("xml,what", [(XXE, "xxe"), (LAUGHS, "laughs")])
def test_jats_entity_attacks_are_refused_not_expanded(tmp_path, xml, what):
    p = tmp_path / f"{what}.xml"
    p.write_text(xml)
    with pytest.raises(InputFormatError, match="unsafe XML refused") as e:
        read_path(p)
    assert "root:" not in str(e.value) and "lollol" not in str(e.value)
    assert str(p) in str(e.value)


def test_jats_truncated_xml(articles_dir, tmp_path):
    text = (articles_dir / "sharma2025_jats.nxml").read_text()
    p = tmp_path / "cut.nxml"
    p.write_text(text[: len(text) // 2])
    with pytest.raises(InputFormatError, match="malformed or truncated XML"):
        read_path(p)


def test_xml_that_is_not_jats(tmp_path):
    p = tmp_path / "feed.xml"
    p.write_text("<?xml version='1.0'?><rss><channel/></rss>")
    with pytest.raises(InputFormatError, match="not a JATS <article>"):
        read_path(p)


# ------------------------------------------------------------------ PDF


def test_pdf_sample_text_layer(articles_dir):
    [a] = read_path(articles_dir / "bc5cdr_20735774.pdf")
    assert a.format == "pdf"
    assert a.title == "Long-term prognosis for transplant-free survivors of paracetamol-induced acute liver failure."
    abstract = next(s for s in a.sections if s.name == "Abstract")
    text = a.text[abstract.paragraphs[0].start:abstract.paragraphs[0].end]
    assert text.startswith("BACKGROUND: The prognosis for transplant-free survivors")
    pub = read_path(articles_dir / "bc5cdr_dev_3docs.pubtator")[0]
    assert text == pub.text[len(pub.title) + 1:]  # same abstract, line breaks and hyphens repaired


def _pdf_bytes(encrypt: bool = False) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    if encrypt:
        w.encrypt("secret", algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    "data,message",
    [
        (_pdf_bytes(), "no text layer"),
        (_pdf_bytes(encrypt=True), "encrypted"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ngarbage", "corrupt PDF|no text layer"),
        (b"", "empty"),
    ],
)
def test_bad_pdfs(tmp_path, data, message):
    p = tmp_path / "bad.pdf"
    p.write_bytes(data)
    with pytest.raises(InputFormatError, match=message) as e:
        read_path(p)
    if message == "no text layer":
        assert "ocrmypdf" in str(e.value)


# ------------------------------------------------------------------ decoding and bad files


def test_latin1_and_utf16_text_decoded(seed_path, tmp_path):
    text = seed_path.read_text(encoding="utf-8")
    [ref] = read_path(seed_path)
    for enc, name in (("cp1252", "latin.txt"), ("utf-16", "utf16.txt"), ("utf-8-sig", "bom.txt")):
        p = tmp_path / name
        p.write_bytes((text.replace("Dehradun", "Dehradùn")).encode(enc))
        [a] = read_path(p)
        assert a.format == "markdown"
        assert "Dehradùn" in a.metadata.affiliations[0]
        assert a.text.replace("ù", "u") == ref.text
        assert a.doc_id == p.stem


def test_latin1_is_logged(tmp_path, caplog):
    p = tmp_path / "l.txt"
    p.write_bytes("Caf\u00e9 study\n\nIntroduction\n\nIt was caf\u00e9 [1].".encode("latin-1"))
    with caplog.at_level(logging.WARNING):
        [a] = read_path(p)
    assert "café [1]" in a.text and "cp1252" in caplog.text


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", "\ufeff".encode("utf-8")])
def test_empty_files(tmp_path, data):
    p = tmp_path / "empty.txt"
    p.write_bytes(data)
    with pytest.raises(InputFormatError, match="empty file"):
        read_path(p)


@pytest.mark.parametrize("data", [bytes(range(256)) * 8, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10,
                                  b"text\x01\x02\x03\x04\x05\x06\x07\x08" * 20])
def test_binary_junk(tmp_path, data):
    p = tmp_path / "junk.txt"
    p.write_bytes(data)
    with pytest.raises(InputFormatError, match="binary file, not an article"):
        read_path(p)


def test_missing_directory_and_unreadable_paths(tmp_path):
    with pytest.raises(InputFormatError, match="file not found"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputFormatError, match="is a directory"):
        read_path(tmp_path)
    p = tmp_path / "secret.txt"
    p.write_text("Title\n\nSome text.")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        with pytest.raises(InputFormatError, match="permission denied"):
            read_path(p)
    finally:
        p.chmod(0o644)


def test_too_large_file_and_text(seed_path):
    with pytest.raises(InputTooLargeError, match="above the limit of 1000"):
        read_path(seed_path, Limits(max_file_bytes=1000))
    with pytest.raises(InputTooLargeError, match="max_chars"):
        read_path(seed_path, Limits(max_chars=5000))


def test_errors_are_one_line_with_path_and_fix(tmp_path):
    p = tmp_path / "junk.pdf"
    p.write_bytes(b"not a pdf at all")
    with pytest.raises(InputFormatError) as e:
        read_path(p)
    msg = str(e.value)
    assert "\n" not in msg and str(p) in msg and "(" in msg


# ------------------------------------------------------------------ detection and ids


@pytest.mark.parametrize(
    "name,head,fmt",
    [
        ("a.txt", b"123|t|A title\n123|a|Abs", "pubtator"),
        ("a.md", b"Some title\n\nText", "markdown"),
        ("a.txt", b"# Title\n\n## Introduction\n", "markdown"),
        ("a.txt", b"Title\n\nIntroduction\n\nText.", "text"),
        ("a.txt", b"\xef\xbb\xbf<?xml version='1.0'?><article/>", "jats"),
        ("a", b"<!DOCTYPE article><article/>", "jats"),
        ("a.txt", b"%PDF-1.7\n", "pdf"),
        ("a.pdf", b"oops", "pdf"),
        ("a.nxml", b"garbage", "jats"),
    ],
)
def test_detect_format(name, head, fmt):
    assert detect_format(Path(name), head) == fmt


def test_safe_doc_id():
    assert safe_doc_id("a b/c:d") == "a_b_c_d"
    assert safe_doc_id("...") == "document"
    assert not safe_doc_id(".x").startswith(".")
    assert len(safe_doc_id("x" * 500)) <= 120
    assert set(safe_doc_id("é€😀 ok")) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def test_supported_suffixes_cover_fixtures(articles_dir):
    for f in articles_dir.iterdir():
        assert f.suffix.lower() in SUPPORTED_SUFFIXES


def test_plain_text_headings_numbered_and_caps(tmp_path):
    p = tmp_path / "caps.txt"
    p.write_text("A trial of drug X\n\nJane Doe, John Roe\n\n1. INTRODUCTION\n\nWe tested it.\n\n"
                 "2. MATERIALS AND METHODS\n\nPatients were enrolled.\n\nRESULTS:\n\nIt worked.\n\n"
                 "Conclusions\n\nGood.\n")
    [a] = read_path(p)
    assert [s.name for s in a.sections] == ["Title", "Introduction", "Materials and Methods", "Results", "Conclusions"]
    assert a.metadata.authors == ("Jane Doe", "John Roe")


def test_permission_error_is_typed(tmp_path, monkeypatch):
    p = tmp_path / "locked.txt"
    p.write_text("Title\n\nSome text.")
    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self == p:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(InputFormatError, match="permission denied"):
        read_path(p)


def test_plain_text_without_any_heading_keeps_its_paragraphs(tmp_path):
    p = tmp_path / "note.txt"
    p.write_text("Ketamine for pain\n\nKetamine reduced pain in the medical research ward.\n\n"
                 "It was safe.\n")
    [a] = read_path(p)
    assert a.title == "Ketamine for pain"
    assert [(s.name, len(s.paragraphs)) for s in a.sections] == [("Title", 1), ("Body", 2)]
    assert a.metadata.affiliations == ()


def test_numbered_headings_of_any_name_start_sections():
    """"2. Efficacy" alone between blank lines is a section heading, as the
    known names are; a numbered list item inside a paragraph is not."""
    from extractor.io.readers.text import parse_text

    text = ("Drugol review\n\n1. Introduction\n\nDrugol is used for pain [1].\n\n2. Efficacy\n\n"
            "Drugol reduced pain [2]. Patients were screened as follows:\n1. Informed consent\n\n"
            "3.1 Adverse effects\n\nNausea occurred [3].\n\n"
            "References\n\n1. Smith A. Drugol. J Pain. 2020;1:1-2.\n2. Lee B. Drugol. Pain. 2021;2:3-4.\n"
            "3. Roe C. Drugol. Pain. 2022;3:5-6.\n")
    article = parse_text(text)
    assert [s.name for s in article.sections] == ["Title", "Introduction", "Efficacy", "Adverse effects", "References"]
    assert len(article.references) == 3


def test_topical_headings_start_sections_in_the_body_only():
    """In plain text, "Clinical evidence" alone between blank lines with prose
    after it is a heading once the body has begun; a short line before the
    first section (front matter) or before a list is not."""
    from extractor.io.readers.text import parse_text

    text = ("Drugol versus Drugam: a review\n\nAnna Lee\n\nIntroduction\n\nDrugol and Drugam are analgesics "
            "used after surgery [1].\n\nClinical evidence\n\nDrugol reduced pain scores in twelve trials [2].\n\n"
            "Key numbers\n\n12\n\nSafety:\n\nDrugam can cause nausea and vomiting in some patients [3].\n\n"
            "References\n\n1. Smith A. Drugol. J Pain. 2020;1:1-2.\n2. Lee B. Drugol. Pain. 2021;2:3-4.\n"
            "3. Roe C. Drugam. Pain. 2022;3:5-6.\n")
    article = parse_text(text)
    names = [s.name for s in article.sections]
    assert names == ["Title", "Introduction", "Clinical evidence", "Safety", "References"]
    assert article.metadata.authors == ("Anna Lee",)


def test_list_items_are_paragraphs_and_tables_are_left_out():
    """Each item of a bulleted or numbered list is a paragraph of its own
    (with its own citations, the bullet removed); a pipe table is no prose."""
    from extractor.io.readers.markdown import parse_markdown

    text = ("# Drugol\n\n## Key findings\n\n- Drugol prolongs the block [2].\n- Drugol reduces pain,\n"
            "  also at night [3].\n* Drugol attenuates withdrawal [4].\n\n## Adverse effects\n\n"
            "| Effect | Frequency |\n| --- | --- |\n| Hypotension | 10% |\n\nDrugol can cause hypotension [5].\n")
    article = parse_markdown(text)
    sec = {s.name: s for s in article.sections}
    items = [article.text[p.start:p.end] for p in sec["Key findings"].paragraphs]
    assert items == ["Drugol prolongs the block [2].", "Drugol reduces pain, also at night [3].",
                     "Drugol attenuates withdrawal [4]."]
    assert [p.citations for p in sec["Key findings"].paragraphs] == [("2",), ("3",), ("4",)]
    assert [article.text[p.start:p.end] for p in sec["Adverse effects"].paragraphs] == ["Drugol can cause hypotension [5]."]


def test_numbered_headings_right_above_their_text_start_sections():
    """In a text export the numbered heading may sit right above its first
    line ("2. Mechanism of action" / "Both drugs bind ..."), with numbered
    subheadings under it; a numbered list ("1. Dizziness" / "2. Nausea") and
    a table without outer pipes, with its caption, stay out of the headings
    and of the prose."""
    from extractor.io.readers.text import parse_text

    text = ("Drugol review\n\n1. Introduction\nDrugol is used for pain in many patients [1].\n\n"
            "2. Mechanism of action\nDrugol binds calcium channels and lowers glutamate release [2].\n\n"
            "3. Efficacy\n3.1 Postherpetic neuralgia\nDrugol reduced pain scores in two large trials [3].\n\n"
            "Table 1. Adverse events\nDrug | Dizziness | Somnolence\nDrugol | 19% | 14%\n\n"
            "4. Safety\nThe most common adverse events were:\n1. Dizziness\n2. Nausea\n\n"
            "References\n1. Smith A. Drugol. J Pain. 2020;1:1-2.\n2. Lee B. Drugol. Pain. 2021;2:3-4.\n"
            "3. Roe C. Drugol. Pain. 2022;3:5-6.\n")
    article = parse_text(text)
    assert [s.name for s in article.sections] == [
        "Title", "Introduction", "Mechanism of action", "Efficacy", "Postherpetic neuralgia", "Safety", "References"
    ]
    prose = " ".join(article.text[p.start:p.end] for s in article.sections for p in s.paragraphs)
    assert "|" not in prose and "Table 1" not in prose
    assert len(article.references) == 3


def test_pdf_page_header_is_no_numbered_heading():
    """In PDF text a page header such as "12 J Pain Res" stands alone between
    blank lines like a numbered heading; it does not start a section there."""
    from extractor.io.readers.text import parse_text

    text = ("Drug review\n\n1. Introduction\n\nDrugol is used for pain in many patients today [1].\n\n"
            "12 J Pain Res\n\nIt also helps sleep in some patients with pain [2].\n\n"
            "References\n\n1. A A. T. J. 2020;1:1.\n2. B B. T. J. 2021;2:2.\n")
    assert [s.name for s in parse_text(text, wrapped=True).sections] == ["Title", "Introduction", "References"]
