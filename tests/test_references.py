"""Reference-list parsing."""

from __future__ import annotations

from extractor.io.readers import read_path
from extractor.references import parse_reference, parse_reference_list, split_reference_entries, surname


def test_seed_style_entry():
    r = parse_reference('4. Chen, Wei, Davis, Robert F., Kim, Ji-Young. "Ketamine for Complex Regional Pain '
                        'Syndrome: A Narrative Review." *Curr Pain Headache Rep* 24 (2020):1-9.')
    assert r.n == "4"
    assert [surname(a) for a in r.authors] == ["Chen", "Davis", "Kim"]
    assert r.title == "Ketamine for Complex Regional Pain Syndrome: A Narrative Review"
    assert (r.journal, r.year, r.volume, r.pages) == ("Curr Pain Headache Rep", "2020", "24", "1-9")
    assert "*" not in r.text and not r.text.startswith("4.")


def test_vancouver_entry_with_doi_and_issue():
    r = parse_reference("[12] Schwenk ES, Viscusi ER, Buvanendran A, et al. Consensus guidelines on the use of "
                        "intravenous ketamine infusions for acute pain management. Reg Anesth Pain Med. "
                        "2018;43(5):456-66. doi:10.1097/AAP.0000000000000806.")
    assert r.n == "12"
    assert [surname(a) for a in r.authors] == ["Schwenk", "Viscusi", "Buvanendran"]
    assert r.title.startswith("Consensus guidelines") and r.title.endswith("acute pain management")
    assert (r.journal, r.year, r.volume, r.pages) == ("Reg Anesth Pain Med", "2018", "43", "456-66")
    assert r.doi == "10.1097/AAP.0000000000000806"


def test_unknown_style_keeps_text_and_year():
    r = parse_reference("7) World Health Organization report on pain, Geneva, 2019")
    assert r.n == "7" and r.year == "2019" and r.text.startswith("World Health")


def test_wrapped_entries_are_joined():
    entries = split_reference_entries(["1. Smith JA, Doe JB. A long", "title. J X. 2020;1:2.", "2. Roe K. T. J Y. 2021;2:3."])
    assert len(entries) == 2 and entries[0].endswith("2020;1:2.")
    refs = parse_reference_list("\n".join(entries))
    assert refs[0].title == "A long title" and refs[1].year == "2021"


def test_seed_references(seed_path):
    [a] = read_path(seed_path)
    refs = a.references
    assert [r.n for r in refs] == [str(i) for i in range(1, 11)]
    assert all(r.title and r.journal and r.year and r.pages for r in refs)
    assert (surname(refs[0].authors[0]), refs[0].journal, refs[0].year) == ("Smith", "J Pain Res", "2022")
    assert refs[9].journal == "J Clin Anesth" and refs[9].volume == "73"
    refs_section = next(s for s in a.sections if s.name == "References")
    assert len(refs_section.paragraphs) == 10
    first = a.text[refs_section.paragraphs[0].start:refs_section.paragraphs[0].end]
    assert first.startswith("1. Smith, John A.") and "*" not in first
