"""Discovery of input files: recursion, filters, sniffing, loops, bad folders."""

from __future__ import annotations

import os
from pathlib import Path

from extractor.discovery import discover, sniff_format

SUFFIXES = (".txt", ".md", ".xml", ".pubtator", ".pdf")


def _tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a").mkdir()
    (root / "b" / "z.txt").write_text("Aspirin relieved headache.")
    (root / "b" / "y.md").write_text("# Title\n\nText.")
    (root / "a" / "x.xml").write_text("<?xml version='1.0'?><article/>")
    (root / "top.txt").write_text("Text.")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / ".hidden.txt").write_text("secret")
    (root / ".git").mkdir()
    (root / ".git" / "notes.txt").write_text("not an article")


def _rel(root: Path, files) -> list[str]:
    return [p.relative_to(root).as_posix() for p in files]


def test_recursive_sorted_hidden_and_unsupported_skipped(tmp_path):
    _tree(tmp_path)
    found = discover([tmp_path], suffixes=SUFFIXES)
    assert _rel(tmp_path, found.files) == ["a/x.xml", "b/y.md", "b/z.txt", "top.txt"]
    assert found.problems == ()
    assert found.skipped == 1  # image.png


def test_include_exclude_globs_and_pruned_folder(tmp_path):
    _tree(tmp_path)
    assert _rel(tmp_path, discover([tmp_path], include=["*.txt"], suffixes=SUFFIXES).files) == ["b/z.txt", "top.txt"]
    assert _rel(tmp_path, discover([tmp_path], exclude=["b"], suffixes=SUFFIXES).files) == ["a/x.xml", "top.txt"]
    assert _rel(tmp_path, discover([tmp_path], include=["b/*"], exclude=["*.md"], suffixes=SUFFIXES).files) == [
        "b/z.txt"
    ]


def test_explicit_file_taken_whatever_its_suffix_and_listed_once(tmp_path):
    _tree(tmp_path)
    odd = tmp_path / "paper.rtf"
    odd.write_text("text")
    found = discover([odd, tmp_path / "top.txt", tmp_path], include=["*.md"], suffixes=SUFFIXES)
    assert _rel(tmp_path, found.files) == ["b/y.md", "paper.rtf", "top.txt"]


def test_extensionless_files_are_sniffed(tmp_path):
    (tmp_path / "ABSTRACT").write_text("123|t|A title\n123|a|An abstract.\n")
    (tmp_path / "NOTES").write_text("Plain UTF-8 text about metformin.")
    (tmp_path / "BLOB").write_bytes(bytes(range(256)))
    (tmp_path / "EMPTY").write_bytes(b"")
    assert sniff_format(tmp_path / "ABSTRACT") == "pubtator"
    assert sniff_format(tmp_path / "NOTES") == "text"
    assert sniff_format(tmp_path / "BLOB") is None
    found = discover([tmp_path], suffixes=SUFFIXES)
    assert _rel(tmp_path, found.files) == ["ABSTRACT", "NOTES"]
    assert found.skipped == 2


def test_symlink_loop_terminates_and_is_reported(tmp_path):
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "e" / "f.txt").write_text("Text.")
    os.symlink("..", tmp_path / "d" / "e" / "up")
    os.symlink(tmp_path / "d", tmp_path / "alias")
    os.symlink(tmp_path / "missing", tmp_path / "dangling.txt")
    found = discover([tmp_path], suffixes=SUFFIXES)
    assert _rel(tmp_path, found.files) == ["d/e/f.txt"]
    reasons = {Path(p.path).name: (p.reason, p.fatal) for p in found.problems}
    assert reasons["up"] == ("symbolic link loop or folder already visited: skipped", False)
    assert reasons["dangling.txt"] == ("broken symbolic link", False)


def test_unreadable_folder_is_reported_not_raised(tmp_path, monkeypatch):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("Text.")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text("Text.")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover([tmp_path], suffixes=SUFFIXES)
    assert _rel(tmp_path, found.files) == ["ok/a.txt"]
    [problem] = found.problems
    assert problem.path == str(tmp_path / "locked")
    assert problem.reason == "cannot read folder: Permission denied (check its permissions)"
    assert problem.fatal


def test_missing_input_and_skipped_output_folder(tmp_path):
    (tmp_path / "a.txt").write_text("Text.")
    out = tmp_path / "out"
    (out / "documents").mkdir(parents=True)
    (out / "documents" / "a.txt").write_text("an earlier output")
    found = discover([tmp_path, tmp_path / "nope"], skip=[out], suffixes=SUFFIXES)
    assert _rel(tmp_path, found.files) == ["a.txt"]
    assert [(Path(p.path).name, p.reason, p.fatal) for p in found.problems] == [
        ("nope", "no such file or folder", True)
    ]


def test_documentation_files_in_folders_are_not_articles(tmp_path):
    _tree(tmp_path)
    for name in ("README.md", "readme.txt", "LICENSE", "LICENSE-MIT.txt", "CHANGELOG.md", "b/CONTRIBUTING.md"):
        (tmp_path / name).write_text("# Project notes\n\nHow to run the tool.")
    (tmp_path / "readmission_rates.txt").write_text("Readmission after surgery fell.")
    found = discover([tmp_path], suffixes=SUFFIXES)
    assert _rel(tmp_path, found.files) == ["a/x.xml", "b/y.md", "b/z.txt", "readmission_rates.txt", "top.txt"]
    # a broad include does not bring them back; one that names them does
    assert "README.md" not in _rel(tmp_path, discover([tmp_path], include=["*.md"], suffixes=SUFFIXES).files)
    assert _rel(tmp_path, discover([tmp_path], include=["README*"], suffixes=SUFFIXES).files) == ["README.md"]
    # named explicitly, a README is read like any file
    assert _rel(tmp_path, discover([tmp_path / "README.md"], suffixes=SUFFIXES).files) == ["README.md"]
