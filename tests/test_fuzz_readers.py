"""Property-based tests of the readers on hostile and near-valid input.

Every reader, given arbitrary bytes, arbitrary Unicode or a near-valid
document (markdown with random headings and citations, PubTator with random
offsets, XML with random nesting, truncation and entities, mutated PDFs),
either returns articles whose offsets all lie inside ``text`` or raises a
typed :class:`~extractor.errors.ExtractorError` with a one-line message.
Any other exception, or an input slower than the hypothesis deadline, fails.

Profiles (tests/conftest.py): ``ci`` (default, fixed seed) and ``long``
(``pytest tests/test_fuzz_readers.py --hypothesis-profile=long``).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from extractor.errors import ExtractorError
from extractor.io.readers import read_articles, safe_doc_id
from extractor.io.readers.jats import parse_jats
from extractor.io.readers.markdown import parse_markdown
from extractor.io.readers.pdf import parse_pdf
from extractor.io.readers.pubtator import parse_pubtator
from extractor.io.readers.text import parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
_counter = itertools.count()

SUFFIXES = [".txt", ".md", ".pubtator", ".xml", ".nxml", ".pdf", ".text", ".markdown"]
SECTION_WORDS = ["Introduction", "METHODS", "2. Results", "Discussion", "References",
                 "Conclusion:", "Abstract", "Funding", "How to cite this article:", "Keywords:"]
WORDS = ["drug", "pain", "The", "reduced", "et al.", "Fig.", "2.5", "mg", "e.g.", "(p < 0.05)",
         "**bold**", "*it*", "\\*", "[link](http://x)", "analge-", "sia", "—", "é", "ﬁ", "\u00ad",
         "\u200b", "J. A. Smith", "vs.", "i.v.", "“q”", "10.1000/xyz", "2020;15:1-9."]
CITES = ["[1]", "[1,2]", "[1-3]", "[2–5]", "[1•, 2]", "[0]", "[9999]", "[1-999]", "[3-1]",
         "[2.5 mg]", "[95% CI]", "[", "]", "[1;2]", "[ 4 ]", "[1-2-3]", "[١]", "[²]"]


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    """A folder for the files written by the byte-level tests."""
    return tmp_path_factory.mktemp("fuzz_readers")


def _outcome(fn, check_article, check_error, *args, **kwargs):
    """Call a reader; check the articles it returns or the error it raises."""
    try:
        result = fn(*args, **kwargs)
    except ExtractorError as exc:
        check_error(exc)
        return None
    except Exception as exc:  # noqa: BLE001 - any other type is the bug we look for
        pytest.fail(f"{fn.__name__} raised {type(exc).__name__}: {exc!r}")
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], list):
        articles, problems = result
        assert all(isinstance(p, str) and p and "\n" not in p for p in problems)
    elif hasattr(result, "articles"):
        articles = list(result.articles)
        assert all(isinstance(p, str) and p and "\n" not in p for p in result.problems)
    else:
        articles = [result]
    for a in articles:
        check_article(a)
        assert a.doc_id == safe_doc_id(a.doc_id), f"unsafe doc_id {a.doc_id!r}"
    return articles


# ------------------------------------------------------------ arbitrary input


@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
@example(data=b"", suffix=".pdf")
@example(data=b"<html><body>not a pdf</body></html>", suffix=".pdf")
@example(data=b"\xed\xa0\x80lone surrogate \xed\xb0\x80 bytes", suffix=".txt")
@example(data=b"\xff\xfe\x00\xd8x\x00", suffix=".txt")  # UTF-16 BOM then a lone surrogate
@example(data=b"\xef\xbb\xbf", suffix=".md")
@example(data=b"1|t|\n", suffix=".txt")
def test_read_articles_arbitrary_bytes(data, suffix, fuzz_dir, check_article, check_error):
    path = fuzz_dir / f"f{next(_counter)}{suffix}"
    path.write_bytes(data)
    _outcome(read_articles, check_article, check_error, path)


@given(data=st.binary(max_size=2000))
def test_read_articles_arbitrary_bytes_with_prefixes(data, fuzz_dir, check_article, check_error):
    """Bytes after a header that sends them to each reader in turn."""
    for head in (b"%PDF-1.4\n", b"<?xml version='1.0'?>", b"<article>", b"1|t|", b"# ", b"\xef\xbb\xbf"):
        path = fuzz_dir / f"p{next(_counter)}.txt"
        path.write_bytes(head + data)
        _outcome(read_articles, check_article, check_error, path)


ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=2000)


@given(text=ANY_TEXT)
@example(text="\ud800 lone surrogate")
@example(text="# \n## \n#")
@example(text="References\n\n1.")
def test_text_readers_arbitrary_unicode(text, check_article, check_error):
    _outcome(parse_text, check_article, check_error, text)
    _outcome(parse_markdown, check_article, check_error, text)
    _outcome(parse_text, check_article, check_error, text, wrapped=True)


@given(text=ANY_TEXT)
@example(text="\ud800")  # found by the long profile: parse_jats raised UnicodeEncodeError
@example(text="1|t|\ud800 x\n1\t0\t1\t\ufffd\tChemical\tD1")
def test_pubtator_and_jats_arbitrary_unicode(text, check_article, check_error):
    _outcome(parse_pubtator, check_article, check_error, text)
    _outcome(parse_jats, check_article, check_error, text)


# ------------------------------------------------------- near-valid markdown

_line = st.one_of(
    st.builds(lambda h, w: "#" * h + " " + w, st.integers(1, 7), st.sampled_from(SECTION_WORDS + WORDS)),
    st.sampled_from(SECTION_WORDS),
    st.lists(st.sampled_from(WORDS + CITES), min_size=1, max_size=25).map(" ".join),
    st.builds(lambda n, w: f"{n}. {w}", st.integers(0, 10_000), st.sampled_from(WORDS)),
    st.sampled_from(["", "", "---", "***", "Jane Doe, John Smith", "Department of X, University Y",
                     "© 2024", "Published: 2023", "doi: 10.1/x", "1)", "[1] ", "  ", "#"]),
)
MARKDOWN = st.lists(_line, max_size=60).map("\n".join)


@given(text=MARKDOWN)
def test_markdown_near_valid(text, check_article, check_error):
    for fn, kw in ((parse_markdown, {}), (parse_text, {}), (parse_text, {"wrapped": True})):
        articles = _outcome(fn, check_article, check_error, text, **kw)
        if articles:
            a = articles[0]
            assert "**" not in a.text or fn is parse_text  # markdown markers are removed


# ------------------------------------------------------- near-valid PubTator


@st.composite
def pubtator_files(draw):
    docs = []
    for _ in range(draw(st.integers(1, 4))):
        pmid = draw(st.one_of(st.from_regex(r"[0-9]{1,9}", fullmatch=True),
                              st.sampled_from(["../../x", "12/34", "٣٤", "-1", "", "1 2"])))
        title = draw(st.lists(st.sampled_from(WORDS + CITES), max_size=12).map(" ".join))
        abstract = draw(st.lists(st.sampled_from(WORDS + CITES + ["METHODS:", "RESULTS:", "."]),
                                 max_size=40).map(" ".join))
        text = title + " " + abstract if abstract else title
        lines = [f"{pmid}|t|{title}"]
        if draw(st.booleans()):
            lines.append(f"{pmid}|a|{abstract}")
        for _ in range(draw(st.integers(0, 6))):
            if text and draw(st.booleans()):  # a valid mention
                s = draw(st.integers(0, len(text) - 1))
                e = draw(st.integers(s + 1, len(text)))
                lines.append(f"{pmid}\t{s}\t{e}\t{text[s:e]}\tChemical\tD00{s}")
            else:  # random offsets, text and field count
                s = draw(st.integers(-5, len(text) + 50))
                e = draw(st.integers(-5, len(text) + 50))
                fields = [pmid, str(s), str(e), draw(st.sampled_from(WORDS)), "Disease",
                          draw(st.sampled_from(["-1", "-", "", "D1|D2", "MESH:D1"]))]
                lines.append("\t".join(fields[: draw(st.integers(1, 7))]))
        if draw(st.booleans()):
            lines.append(f"{pmid}\tCID\tD1\tD2")
        docs.append("\n".join(lines))
    sep = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n"]))
    return sep.join(docs)


@given(text=pubtator_files())
@example(text="../../x|t|Escape\n../../x|a|Body.\n")
@example(text="٣٤|t|Title")  # found by the long profile: Arabic-Indic digits became the doc_id
@example(text="1|t|Short.\n1|a|Text.\n1\t0\t999\tShort.\tChemical\tD1\n")
def test_pubtator_near_valid(text, fuzz_dir, check_article, check_error):
    arts = _outcome(parse_pubtator, check_article, check_error, text.replace("\r\n", "\n"))
    for a in arts or ():
        assert re.fullmatch(r"[0-9]+", a.doc_id), a.doc_id
    path = fuzz_dir / f"pt{next(_counter)}.pubtator"
    path.write_text(text, encoding="utf-8")
    _outcome(read_articles, check_article, check_error, path)


# ------------------------------------------------------------ near-valid XML

TAGS = ["article", "front", "article-meta", "title-group", "article-title", "abstract", "body",
        "sec", "title", "p", "xref", "sup", "back", "ref-list", "ref", "label", "mixed-citation",
        "element-citation", "name", "surname", "given-names", "list", "list-item", "table-wrap",
        "contrib", "year", "pub-date", "kwd", "aff", "fig", "x:p"]
ATTRS = ['', ' ref-type="bibr" rid="r1"', ' rid="r1 r2"', ' id="r1"', ' ref-type="bibr"',
         ' contrib-type="author"', ' xmlns:x="urn:x"', ' abstract-type="teaser"']
CHUNKS = ["text", " [1] ", "1", "1-3", "&amp;", "&lt;", "&#x41;", "&#0;", "&#xD800;", "&undefined;",
          "&nbsp;", "<![CDATA[x]]>", "<!-- c -->", "é", "2020", "Smith", "]]>", "<", "&"]


def _xml_tree():
    leaf = st.sampled_from(CHUNKS)
    return st.recursive(
        leaf,
        lambda kids: st.builds(
            lambda tag, attr, body: f"<{tag}{attr}>{''.join(body)}</{tag}>",
            st.sampled_from(TAGS), st.sampled_from(ATTRS), st.lists(kids, max_size=5)),
        max_leaves=40,
    )


@st.composite
def xml_docs(draw):
    head = draw(st.sampled_from([
        "", "<?xml version='1.0' encoding='utf-8'?>",
        '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS//EN" "JATS.dtd">',
        '<!DOCTYPE x [<!ENTITY e "boom">]>',
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ]))
    body = draw(_xml_tree())
    doc = f"{head}<article>{body}</article>"
    cut = draw(st.one_of(st.none(), st.integers(0, len(doc))))
    return doc if cut is None else doc[:cut]


@given(text=xml_docs())
@example(text='<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><article>&xxe;</article>')
@example(text="<article>" * 5000)
@example(text="<article>" + "<sec>" * 3000 + "</sec>" * 3000 + "</article>")
def test_jats_near_valid(text, fuzz_dir, check_article, check_error):
    arts = _outcome(parse_jats, check_article, check_error, text)
    for a in arts or ():
        assert "root:" not in a.text and "lollol" not in a.text
    path = fuzz_dir / f"x{next(_counter)}.nxml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _outcome(read_articles, check_article, check_error, path)


# ---------------------------------------------------------------- PDF bytes

_PDF = (FIXTURES / "bc5cdr_20735774.pdf").read_bytes()


@st.composite
def mutated_pdfs(draw):
    data = bytearray(_PDF)
    kind = draw(st.sampled_from(["truncate", "flip", "splice", "insert"]))
    if kind == "truncate":
        return bytes(data[: draw(st.integers(0, len(data)))])
    for _ in range(draw(st.integers(1, 20))):
        i = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[i] = draw(st.integers(0, 255))
        elif kind == "splice":
            j = draw(st.integers(i, min(len(data), i + 200)))
            del data[i:j]
        else:
            data[i:i] = draw(st.binary(min_size=1, max_size=40))
        if not data:
            break
    return bytes(data)


@given(data=mutated_pdfs())
@example(data=b"%PDF-1.4\n")
@example(data=b"%PDF-1.4\n1 0 obj << /Length 999999999 >> stream\n")
def test_pdf_mutated(data, check_article, check_error):
    _outcome(parse_pdf, check_article, check_error, data, doc_id="d")


def test_pdf_fixture_reads_cleanly(check_article):
    """The mutation base is itself a readable PDF (so the fuzzing is near-valid)."""
    arts = read_articles(FIXTURES / "bc5cdr_20735774.pdf").articles
    check_article(arts[0])
    assert len(arts[0].text) > 200


@given(stem=st.text(st.characters(codec=None, exclude_categories=()), max_size=300))
@example(stem="._a")  # was "_a", and safe_doc_id("_a") was "a": not idempotent
@example(stem="..")
@example(stem="../../etc/passwd")
def test_safe_doc_id_is_a_plain_file_name(stem):
    d = safe_doc_id(stem)
    assert re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,118}[A-Za-z0-9])?", d), d
    assert safe_doc_id(d) == d
