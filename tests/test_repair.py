"""Repairs of extraction artefacts."""

from __future__ import annotations

from extractor.io.readers.text import parse_text
from extractor.repair import (
    dehyphenate,
    is_continuation,
    merge_broken_paragraphs,
    normalize_unicode,
    repair_block,
    split_wrapped_block,
    word_vocabulary,
)


def test_page_broken_paragraph_is_merged():
    paras = ["A thorough examination of the safety profile in perioperative settings is",
             "crucial for its widespread adoption [8].",
             "Beyond CRPS, it helps in other conditions [9]."]
    assert merge_broken_paragraphs(paras) == [
        "A thorough examination of the safety profile in perioperative settings is "
        "crucial for its widespread adoption [8].",
        "Beyond CRPS, it helps in other conditions [9].",
    ]


def test_page_break_before_capitalised_word_after_function_word():
    assert is_continuation("Sub-anesthetic doses show promise for chronic pain conditions such as the",
                           "Complex regional pain syndrome.")
    assert not is_continuation("The dose was reduced [3].", "then it rose.")
    assert not is_continuation("Methods", "patients were enrolled.")


def test_complete_paragraphs_are_not_merged():
    paras = ["First finding was clear.", "Second finding was also clear.", "Third (see Table 1)", "Next one."]
    assert merge_broken_paragraphs(paras) == paras


def test_broken_paragraph_in_a_whole_article_counts_once():
    text = ("Title of the study\n\nIntroduction\n\nFirst paragraph is complete [1].\n\n"
            "The second paragraph runs across a page and its sentence continues after the\n\n"
            "page break to the end [2].\n\nThird paragraph [3].\n")
    a = parse_text(text)
    intro = a.sections[1]
    assert len(intro.paragraphs) == 3
    assert [p.citations for p in intro.paragraphs] == [("1",), ("2",), ("3",)]


def test_hyphenation_across_line_breaks():
    assert dehyphenate("effective analge-\nsia today") == "effective analgesia today"
    vocab = word_vocabulary("the opioid-sparing effect of an opioid")
    assert dehyphenate("its opioid-\nsparing effects", vocab) == "its opioid-sparing effects"
    assert dehyphenate("N-methyl-D-\naspartate receptor") == "N-methyl-D-aspartate receptor"
    # the joined word is known from elsewhere in the document: drop the hyphen
    vocab = word_vocabulary("the mechanisms of action and pain")
    assert dehyphenate("the mecha-\nnisms by which", vocab) == "the mechanisms by which"
    # both parts are words, the joined form is not: keep the hyphen
    vocab = word_vocabulary("dose and response were measured")
    assert dehyphenate("a dose-\nresponse curve", vocab) == "a dose-response curve"
    # a hyphen before a capital or at the end of a sentence is left alone
    assert dehyphenate("type-\nB fibres") == "type-\nB fibres"


def test_soft_line_breaks_and_whitespace():
    assert repair_block("  Ketamine  reduces\nopioid\tuse  \n") == "Ketamine reduces opioid use"


def test_unicode_normalisation():
    assert normalize_unicode("e\ufb03cacy") == "efficacy"
    assert normalize_unicode("5\u00a0mg\u202fdose") == "5 mg dose"
    assert normalize_unicode("anal\u00adgesia\u200b") == "analgesia"
    assert normalize_unicode("cafe\u0301") == "caf\u00e9"


def test_wrapped_block_split_at_short_lines():
    block = ("The first paragraph has several long lines of text that wrap around\n"
             "the page width as any typeset article does in its body text here\n"
             "and ends here.\n"
             "The second paragraph also has long lines of text that wrap around\n"
             "and its last line ends a bit before the right margin.\n"
             "Third paragraph text starts on this line and goes on for a while.")
    parts = split_wrapped_block(block)
    # line 5 ends a sentence before the right margin: a paragraph end
    assert len(parts) == 3
    assert parts[0].endswith("ends here.") and parts[2].startswith("Third")
