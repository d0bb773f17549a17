"""Resource limits: size caps are reported errors, long inputs cost linear
time, and text in any script is read and segmented.

Time checks compare an input of size n with one of size 4n and assert the
ratio is well below quadratic (16x): ratios of CPU times (best of several
calls), not wall-clock times, so they hold on a slow or busy machine.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest

from extractor.config import Limits
from extractor.errors import InputFormatError, InputTooLargeError
from extractor.io.readers import read_articles
from extractor.io.readers.jats import parse_jats
from extractor.io.readers.markdown import parse_markdown
from extractor.io.readers.pubtator import parse_pubtator
from extractor.io.readers.text import parse_text
from extractor.references import parse_reference
from extractor.sentences import segment_article

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
FORMAT_FILES = ["ketamine_perioperative_pain_sharma2025.txt", "sharma2025_jats.nxml",
                "bc5cdr_dev_3docs.pubtator", "sharma2025.pdf"]
#: Largest accepted time ratio between inputs of size 4n and n (linear: ~4).
MAX_RATIO = 8.0


def _best(fn, arg, min_calls: int, min_seconds: float = 0.1, max_calls: int = 50) -> float:
    """Fastest of at least ``min_calls`` calls, more while under ``min_seconds``
    in total (so that millisecond-scale calls are measured many times)."""
    best, total, calls = float("inf"), 0.0, 0
    while calls < min_calls or (total < min_seconds and calls < max_calls):
        # collector paused: its cost depends on what the whole test session
        # holds in memory, not on the algorithm under test
        gc.collect()
        gc.disable()
        try:
            t0 = time.process_time()  # CPU time: other processes on the machine do not count
            fn(arg)
            dt = time.process_time() - t0
        finally:
            gc.enable()
        best, total, calls = min(best, dt), total + dt, calls + 1
    return best


def time_ratio(fn, make, n: int, reps: int = 3) -> tuple[float, float, float]:
    """Best time of ``fn(make(n))`` and of ``fn(make(4 n))``, and their ratio."""
    small, big = make(n), make(4 * n)
    fn(small)  # warm-up (lazy imports, caches)
    t1 = _best(fn, small, reps)
    t4 = _best(fn, big, max(1, reps - 1))
    return t1, t4, t4 / max(t1, 1e-6)


# --------------------------------------------------------------- size caps


@pytest.mark.parametrize("name", FORMAT_FILES)
def test_file_above_max_file_bytes_is_input_too_large(name, check_error):
    size = (FIXTURES / name).stat().st_size
    with pytest.raises(InputTooLargeError) as info:
        read_articles(FIXTURES / name, Limits(max_file_bytes=size - 1))
    check_error(info.value)
    assert "above the limit" in info.value.message and info.value.path.endswith(name)
    assert read_articles(FIXTURES / name, Limits(max_file_bytes=size)).articles  # at the limit: read


@pytest.mark.parametrize("name", FORMAT_FILES)
def test_text_above_max_chars_is_input_too_large(name, check_error):
    with pytest.raises(InputTooLargeError) as info:
        read_articles(FIXTURES / name, Limits(max_chars=1000))
    check_error(info.value)
    assert "characters, above the limit of 1000" in info.value.message


# ------------------------------------------------------- linear segmentation


def test_5000_token_sentence_segments_in_linear_time(segmenter, check_article):
    def make(n: int):
        words = " ".join(("ketone", "levels", "rose", "(", "p", "<", "0.05", ")", "and", "fell")[i % 10]
                         for i in range(n))
        return parse_text(f"Title\n\nResults\n\n{words} end.")

    def run(article):
        return segment_article(article, segmenter)

    out = run(make(5_000))
    check_article(out)
    assert len(out.sentences) == 2  # the title and the one long sentence
    # timed at 80k vs 320k tokens: at 5k-20k a call takes 1-5 ms and memory
    # cache effects, not the algorithm, decide the ratio (seen: 8.5 at 20k/80k)
    t1, t4, ratio = time_ratio(run, make, 80_000)
    assert ratio < MAX_RATIO, f"80k tokens {t1:.3f}s, 320k tokens {t4:.3f}s: ratio {ratio:.1f}"


def test_50000_short_sentences_segment_in_linear_time(segmenter, check_article):
    def make(n: int):
        paras = ["The dose was 5 mg. Pain fell [1]. " * 5] * (n // 10)
        return parse_text("Title\n\nResults\n\n" + "\n\n".join(p.strip() for p in paras))

    small, big = make(12_500), make(50_000)
    out = segment_article(big, segmenter)
    t1 = _best(lambda a: segment_article(a, segmenter), small, 3, min_seconds=0)
    t4 = _best(lambda a: segment_article(a, segmenter), big, 2, min_seconds=0)
    check_article(out)
    assert len(out.sentences) == 50_000 + 1
    assert t4 / t1 < MAX_RATIO, f"12.5k sentences {t1:.3f}s, 50k {t4:.3f}s: ratio {t4 / t1:.1f}"


# ------------------------------------------------------------ linear readers

# Inputs that made a reader quadratic before (each was fixed; see the report):
# many "published" words (metadata year search), runs without spaces
# (hyphenation vocabulary), many opening quotes (quoted reference titles),
# "[x](" repeated (markdown links).
HOSTILE_UNITS = ["ketone levels rose [1]. ", "published ", "received ", "“a ", '"', "[x](", "\\*", "**", "#",
                 "a-\n", "Smith JA, ", "10.1000/x ", "[1, "]


@pytest.mark.parametrize("unit", HOSTILE_UNITS)
def test_text_readers_linear_on_one_long_line(unit):
    def run(text: str):
        parse_markdown("# T\n\n" + text)
        parse_text("T\n\nReferences\n\n1. " + text)
        parse_reference(text)

    t1, t4, ratio = time_ratio(run, lambda n: unit * (n // len(unit)), 40_000, reps=2)
    assert ratio < MAX_RATIO, f"{unit!r}: 40k chars {t1:.3f}s, 160k {t4:.3f}s: ratio {ratio:.1f}"


def test_markdown_single_line_megabytes_linear():
    """The slow 4.6 MB one-line markdown file: linear, not super-linear."""
    words = ["ketone", "drug", "reduced", "pain", "[1]", "*it*", "**b**", "a", "the", "Fig.", "2.5", "mg."]

    def make(n: int) -> str:
        return "# T\n\n## Intro\n\n" + " ".join(words[(i * 7) % len(words)] for i in range(n))

    t1, t4, ratio = time_ratio(parse_markdown, make, 50_000, reps=2)
    assert ratio < MAX_RATIO, f"{t1:.3f}s vs {t4:.3f}s: ratio {ratio:.1f}"


def test_pubtator_and_jats_linear():
    def pubtator(n: int) -> str:
        return "\n\n".join(f"{i}|t|Lithium tremor.\n{i}|a|Lithium caused tremor.\n{i}\t0\t7\tLithium\tChemical\tD1"
                           for i in range(1, n + 1))

    def jats(n: int) -> str:
        return "<article><body><sec><title>R</title>" + "<p>It worked [1].</p>" * n + "</sec></body></article>"

    for fn, make, n in ((parse_pubtator, pubtator, 1_000), (parse_jats, jats, 2_000)):
        t1, t4, ratio = time_ratio(fn, make, n, reps=2)
        assert ratio < MAX_RATIO, f"{fn.__name__}: {t1:.3f}s vs {t4:.3f}s: ratio {ratio:.1f}"


# ------------------------------------------------------------- other scripts

SCRIPTS = (
    "漢字の研究。薬は痛みを減らした。\n\n"
    "أظهرت الدراسة أن الدواء خفف الألم. \u200fنص من اليمين.\n\n"
    "Emoji 🙂💊 in text. Pain fell 🎉. Family 👨‍👩‍👧 too.\n\n"
    "Combining e\u0301\u0301 and a\u0308 marks. Done.\n\n"
    "RTL override \u202eevil\u202c here. Mixed 中文 and English [1].\n"
)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_other_scripts_read_and_segment(tmp_path, suffix, segmenter, check_article):
    p = tmp_path / f"scripts{suffix}"
    p.write_bytes(("Multilingual title\n\nResults\n\n" + SCRIPTS).encode("utf-8"))
    [a] = read_articles(p).articles
    a = segment_article(a, segmenter)
    check_article(a)
    for probe in ("漢字", "الدراسة", "🙂", "中文"):
        assert probe in a.text
    assert len(a.sentences) >= 8


def test_lone_surrogate_bytes_keep_the_rest_of_the_utf8(tmp_path, segmenter, check_article):
    """CESU-style surrogate bytes are invalid UTF-8: they become U+FFFD and
    the rest of the file is still read as UTF-8 (not garbled as cp1252)."""
    p = tmp_path / "surrogates.txt"
    p.write_bytes(("Title\n\nResults\n\n" + SCRIPTS).encode("utf-8") + b"Lone \xed\xa0\x80 and \xed\xb0\x80 end.\n")
    [a] = read_articles(p).articles
    a = segment_article(a, segmenter)
    check_article(a)
    assert "漢字" in a.text and "\ufffd" in a.text
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in a.text)
    a.text.encode("utf-8")  # writable as UTF-8 JSON


def test_lone_surrogate_in_utf16_is_a_typed_error(tmp_path, check_error):
    p = tmp_path / "utf16.txt"
    p.write_bytes(b"\xff\xfe" + "Title\n\n".encode("utf-16-le") + b"\x00\xd8x\x00")
    with pytest.raises(InputFormatError) as info:
        read_articles(p)
    check_error(info.value)


def test_lone_surrogates_in_str_input_do_not_crash(segmenter, check_article):
    text = "Title\n\nResults\n\nBad \ud800 char. Next \udfff one [1].\n"
    for article in (parse_text(text), parse_markdown(text)):
        a = segment_article(article, segmenter)
        check_article(a)
        assert len(a.sentences) == 3
    arts, problems = parse_pubtator("1|t|T \ud800.\n1|a|Abs.\n1\t2\t3\t\ud800\tChemical\tD1\n")
    assert not problems and arts[0].annotations[0].text == "\ufffd"


# ------------------------------------------------------- the whole pipeline

_PIPELINE_SENTENCES = [
    "Aspirin reduced the risk of myocardial infarction (MI) in adults.",
    "Haloperidol caused tardive dyskinesia in some patients with schizophrenia.",
    "MI was rare after aspirin, and haloperidol was not given.",
    "Cisplatin caused nephrotoxicity (CN) in patients with ovarian cancer.",
]


def test_one_paragraph_of_thousands_of_sentences_costs_linear_time(fast_extractor):
    """Every per-document stage (entities, abbreviations, relations, claims,
    paragraph groups) on one paragraph of n and 4n sentences full of
    mentions, definitions and drug-disease pairs."""
    def make(n: int):
        body = " ".join(_PIPELINE_SENTENCES[i % 4] for i in range(n))
        return parse_text("Title\n\nResults\n\n" + body + "\n")

    result = fast_extractor.process(make(4_000))
    assert len(result.mentions) > 10_000 and result.relations
    assert sum(1 for m in result.mentions if m.text == "MI") >= 1_000  # the abbreviation everywhere
    # linear is ~4.2 here; a pairwise scan over sentence positions in the
    # relation model (since fixed) made it 6.1 at this size, 16 in the limit
    t1, t4, ratio = time_ratio(fast_extractor.process, make, 1_500, reps=2)
    assert ratio < 5.5, f"1.5k sentences {t1:.2f}s, 6k {t4:.2f}s: ratio {ratio:.1f}"
