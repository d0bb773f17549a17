"""Find the input files of a run.

Input: the paths the user gave (files and folders), include/exclude globs.
Output: a :class:`Discovery` -- the supported files in sorted order, plus
the problems met on the way (unreadable folders, symlink loops, broken links,
missing paths), which are reported, never raised.

Rules
-----
- Folders are walked recursively. Symbolic links to folders are followed
  after every real folder, and a folder already visited (same device and
  inode) is never entered twice, so a file is listed under its real path when
  it has one, and symlink loops end (and are reported).
- Hidden files and folders (name starting with ``.``) are skipped.
- Project documentation met in a folder is skipped: files whose name starts
  with README, LICENSE/LICENCE, COPYING, CHANGELOG, CHANGES, AUTHORS,
  CONTRIBUTORS, CONTRIBUTING, CODE_OF_CONDUCT or NOTICE (any case) followed
  by nothing, ``.``, ``-`` or ``_`` (``README.md``, ``LICENSE-MIT.txt``),
  unless an ``include`` glob names it (``--include 'README*'``; a mere
  ``*.md`` does not).
- A file inside a folder is taken when its suffix is one the readers support
  (``extractor.io.readers.SUPPORTED_SUFFIXES``), or, when it has no suffix,
  when its first bytes look like an article (PDF, XML, PubTator, UTF-8 text).
- ``include`` globs (any must match) and ``exclude`` globs (none may match)
  are tested against the path relative to the input folder (POSIX ``/``) and
  against the bare file name; an excluded folder is not entered.
- A file named explicitly is always taken (the reader reports it if it cannot
  read it), whatever its suffix and the globs.
- ``skip`` paths (the output folder) are never entered.
- The same file reached twice (two inputs, or links) is listed once.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "b.txt").write_text("Some text."); _ = (d / "a.md").write_text("# A")
>>> _ = (d / ".hidden.txt").write_text("x"); _ = (d / "img.png").write_bytes(b"\\x89PNG")
>>> [p.name for p in discover([d]).files]
['a.md', 'b.txt']
"""

from __future__ import annotations

import fnmatch
import logging
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

__all__ = ["Discovery", "Problem", "discover", "is_documentation_name", "sniff_format", "supported_suffixes"]

log = logging.getLogger(__name__)

_PUBTATOR_HEAD = re.compile(rb"^\s*\d+\|[ta]\|")

#: Names of project documentation files, skipped inside folders.
_DOC_NAME = re.compile(
    r"(?:readme|licen[cs]e|copying|changelog|changes|authors|contributors|contributing|code_of_conduct|notice)"
    r"(?:[._-].*)?",
    re.IGNORECASE,
)


def is_documentation_name(name: str) -> bool:
    """True for the file names of project documentation (README, LICENSE ...).

    Examples
    --------
    >>> [is_documentation_name(n) for n in ["README.md", "license", "CHANGELOG-2.txt", "readmission.txt"]]
    [True, True, True, False]
    """
    return _DOC_NAME.fullmatch(name) is not None


@dataclass(frozen=True, slots=True)
class Problem:
    """Something met during discovery.

    ``fatal`` problems (a missing path, an unreadable folder or file) mean
    that inputs were not processed and make the run fail; the others
    (symlink loops, broken links) are warnings.
    """

    path: str
    reason: str
    fatal: bool = True


@dataclass(frozen=True, slots=True)
class Discovery:
    """The result of :func:`discover`."""

    files: tuple[Path, ...]
    problems: tuple[Problem, ...] = ()
    skipped: int = 0


def supported_suffixes() -> tuple[str, ...]:
    """Lower-case suffixes the readers handle (with the dot)."""
    from extractor.io.readers import SUPPORTED_SUFFIXES

    return tuple(s.lower() for s in SUPPORTED_SUFFIXES)


def sniff_format(path: Path, head_bytes: int = 4096) -> str | None:
    """Guess the format of an extension-less file from its first bytes.

    Returns ``"pdf"``, ``"xml"``, ``"pubtator"``, ``"text"`` or None (binary,
    empty or unreadable).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "README"
    >>> _ = p.write_text("123|t|A title\\n123|a|An abstract\\n")
    >>> sniff_format(p)
    'pubtator'
    >>> _ = p.write_bytes(b"\\x00\\x01\\x02binary")
    >>> sniff_format(p) is None
    True
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(head_bytes)
    except OSError:
        return None
    if not head.strip():
        return None
    if head.startswith(b"%PDF-"):
        return "pdf"
    if b"\x00" in head:
        return None
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(b"<?xml") or body.startswith(b"<!DOCTYPE") or body.startswith(b"<article"):
        return "xml"
    if _PUBTATOR_HEAD.match(body):
        return "pubtator"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut by head_bytes
            return None
    return "text"


def _matches(rel: str, name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


class _Walker:
    def __init__(self, suffixes: Sequence[str], include: Sequence[str], exclude: Sequence[str], skip: set):
        self.suffixes = tuple(suffixes)
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        # include globs that name documentation explicitly ("README*", "docs/LICENSE")
        self.doc_include = tuple(p for p in self.include if _DOC_NAME.match(p.rsplit("/", 1)[-1]))
        self.skip = skip
        self.visited: set[tuple[int, int]] = set()
        self.files: list[Path] = []
        self.problems: list[Problem] = []
        self.skipped = 0

    def accept(self, path: Path, rel: str) -> bool:
        name = path.name
        if self.include and not _matches(rel, name, self.include):
            return False
        if self.exclude and _matches(rel, name, self.exclude):
            return False
        if is_documentation_name(name) and not _matches(rel, name, self.doc_include):
            return False
        suffix = path.suffix.lower()
        if suffix:
            return suffix in self.suffixes
        return sniff_format(path) is not None

    def walk(self, top: Path) -> None:
        try:
            st = top.stat()
        except OSError as exc:
            self.problems.append(Problem(str(top), f"cannot open folder: {exc.strerror}"))
            return
        self.visited.add((st.st_dev, st.st_ino))
        stack: list[tuple[Path, str]] = [(top, "")]
        linked: list[tuple[Path, str, tuple[int, int]]] = []  # entered after every real folder
        while stack or linked:
            if not stack:
                path, rel, key = linked.pop(0)
                if key in self.visited:
                    self.problems.append(
                        Problem(str(path), "symbolic link loop or folder already visited: skipped", False)
                    )
                    continue
                self.visited.add(key)
                stack.append((path, rel))
            folder, rel_folder = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                self.problems.append(
                    Problem(str(folder), f"cannot read folder: {exc.strerror} (check its permissions)")
                )
                continue
            subfolders: list[tuple[Path, str]] = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = Path(entry.path)
                rel = f"{rel_folder}{entry.name}"
                try:
                    st = entry.stat(follow_symlinks=True)
                except OSError:
                    if entry.is_symlink():
                        self.problems.append(Problem(str(path), "broken symbolic link", fatal=False))
                    else:
                        self.problems.append(Problem(str(path), "cannot read file (check its permissions)"))
                    continue
                if stat.S_ISDIR(st.st_mode):
                    key = (st.st_dev, st.st_ino)
                    if key in self.visited:
                        if entry.is_symlink():
                            self.problems.append(
                                Problem(str(path), "symbolic link loop or folder already visited: skipped", False)
                            )
                        continue
                    if os.path.realpath(path) in self.skip:
                        continue
                    if self.exclude and _matches(rel, entry.name, self.exclude):
                        continue
                    if entry.is_symlink():
                        linked.append((path, rel + "/", key))
                        continue
                    self.visited.add(key)
                    subfolders.append((path, rel + "/"))
                elif stat.S_ISREG(st.st_mode):
                    if self.accept(path, rel):
                        self.files.append(path)
                    else:
                        self.skipped += 1
            stack.extend(reversed(subfolders))


def discover(
    inputs: Iterable[Path | str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip: Iterable[Path | str] = (),
    suffixes: Sequence[str] | None = None,
) -> Discovery:
    """List the files to read under ``inputs``.

    Parameters
    ----------
    inputs : iterable of Path or str
        Files and folders, as the user gave them.
    include, exclude : sequence of str
        Glob patterns (``fnmatch``; ``*`` also matches ``/``).
    skip : iterable of Path or str
        Folders never entered (the output folder).
    suffixes : sequence of str, optional
        Suffixes to take; default :func:`supported_suffixes`.

    Returns
    -------
    Discovery
        Files sorted by path, each listed once, plus the problems met.

    Examples
    --------
    >>> discover(["/no/such/path"]).problems[0].reason
    'no such file or folder'
    """
    walker = _Walker(
        suffixes or supported_suffixes(),
        include,
        exclude,
        {os.path.realpath(p) for p in skip},
    )
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            walker.walk(path)
        elif path.is_file():
            walker.files.append(path)
        elif path.is_symlink():
            walker.problems.append(Problem(str(path), "broken symbolic link"))
        elif path.exists():
            walker.problems.append(Problem(str(path), "not a regular file or folder"))
        else:
            walker.problems.append(Problem(str(path), "no such file or folder"))
    seen: set[str] = set()
    files: list[Path] = []
    for p in sorted(walker.files, key=lambda p: p.as_posix()):
        real = os.path.realpath(p)
        if real in seen:
            continue
        seen.add(real)
        files.append(p)
    for pr in walker.problems:
        (log.error if pr.fatal else log.warning)("%s: %s", pr.path, pr.reason)
    log.debug("discovered %d files (%d skipped)", len(files), walker.skipped)
    return Discovery(files=tuple(files), problems=tuple(walker.problems), skipped=walker.skipped)
