"""Output folder layout and atomic writes.

Input: text or bytes plus a path inside the output folder.
Output: files under the output folder (``shared/CONTRACT.md``), each written to
a temporary name in its own folder and then ``os.replace``-d, so a reader (or a
run killed with ``kill -9``) never sees a half-written file.

Nothing is ever written outside the output folder: :meth:`OutputLayout.resolve`
refuses any path that escapes it, and :func:`safe_doc_id` turns an arbitrary
string (a file name, a PMID) into a file-name-safe document id.

Examples
--------
>>> safe_doc_id("../../etc/passwd")
'etc_passwd'
>>> safe_doc_id("Smith et al. (2020).v2")
'Smith_et_al._2020_.v2'
>>> safe_doc_id("_corpus")
'doc_corpus'
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import re
import shutil
import threading
import time
from pathlib import Path

from extractor.errors import ExportError
from extractor.io import jsonio
from extractor.model import content_hash

__all__ = [
    "OutputLayout",
    "atomic_write_text",
    "atomic_write_bytes",
    "safe_doc_id",
    "unique_doc_id",
    "STATE_DIR",
    "JOURNAL",
    "StateJournal",
    "BackgroundWriter",
    "CORPUS_SUMMARY",
    "check_output",
]

#: Hidden folder of per-document state files (what ``--resume`` reads).
STATE_DIR = ".state"
JOURNAL = "journal.jsonl"
#: Name of the corpus summary in ``summaries/`` (written when > 1 document).
CORPUS_SUMMARY = "_corpus.md"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
#: An id :func:`safe_doc_id` can return: one file name inside its folder.
_SAFE_ID = re.compile(r"(?!\.\.?\Z)[A-Za-z0-9._-]{1,255}")
_MAX_ID = 120
_RESERVED = {
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}  # fmt: skip


def safe_doc_id(name: str) -> str:
    """Turn ``name`` into a document id that is safe as a file name.

    Characters other than letters, digits, ``.``, ``_`` and ``-`` become
    ``_``; leading dots and underscores are removed (no hidden files, no
    ``..``, no clash with ``summaries/_corpus.md``); Windows device names are
    prefixed; ids longer than 120 characters are cut and given a hash suffix.

    Parameters
    ----------
    name : str
        A file stem, PMID or any other label.

    Returns
    -------
    str
        A non-empty id matching ``[A-Za-z0-9][A-Za-z0-9._-]*``.

    Examples
    --------
    >>> safe_doc_id("12345")
    '12345'
    >>> safe_doc_id("...")
    'doc'
    >>> safe_doc_id("CON")
    'doc_CON'
    """
    text = _UNSAFE.sub("_", name.strip())
    text = text.strip("._-")
    if not text:
        return "doc"
    if name.strip().startswith("_"):
        text = "doc_" + text
    if text.split(".")[0].casefold() in _RESERVED:
        text = "doc_" + text
    if len(text) > _MAX_ID:
        text = text[: _MAX_ID - 17].rstrip("._-") + "-" + content_hash(name)
    return text


def unique_doc_id(base: str, taken: set[str]) -> str:
    """Return ``base`` or ``base-2``, ``base-3`` ... whichever is free in
    ``taken`` (compared case-insensitively, for case-insensitive file
    systems), and add it to ``taken``.

    Callers feed documents in a deterministic order (sorted input paths), so
    the suffixes are deterministic too.

    Examples
    --------
    >>> taken = set()
    >>> unique_doc_id("a", taken), unique_doc_id("A", taken), unique_doc_id("a", taken)
    ('a', 'A-2', 'a-3')
    """
    n = 1
    candidate = base
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate.casefold())
    return candidate


_COUNTER = itertools.count()


def _open_tmp(path: Path) -> tuple[int, Path]:
    """A fresh hidden file next to ``path``, open for writing (mode 0666 & ~umask)."""
    while True:
        tmp = path.parent / f".{path.stem}.{os.getpid()}-{next(_COUNTER)}.tmp{path.suffix}"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``).

    Raises
    ------
    ExportError
        When the file cannot be written (disk full, permissions ...).
    """
    path = Path(path)
    try:
        try:
            fd, tmp = _open_tmp(path)
        except FileNotFoundError:  # the folder is created on first use only
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = _open_tmp(path)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ExportError(
            f"cannot write file: {exc.strerror or exc}",
            path=path,
            stage="write",
            fix="check free space and permissions of the output folder",
        ) from exc


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    elif p.exists() or p.is_symlink():
        p.unlink(missing_ok=True)


class OutputLayout:
    """The paths of an output folder (``shared/CONTRACT.md``).

    Parameters
    ----------
    root : Path
        The output folder; created on :meth:`create`.

    Examples
    --------
    >>> lay = OutputLayout(Path("out"))
    >>> lay.document("123").as_posix()
    'out/documents/123.json'
    >>> lay.resolve("../x")
    Traceback (most recent call last):
    ...
    extractor.errors.ExportError: out/../x: write: path escapes the output folder (use a plain document id)
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._abs_root = os.path.abspath(self.root)
        self.report = self.root / "report.json"
        self.documents = self.root / "documents"
        self.summaries = self.root / "summaries"
        self.state = self.root / STATE_DIR
        self.triples = self.root / "triples.jsonl"
        self.claims = self.root / "claims.jsonl"
        self.graph_html = self.root / "graph.html"
        self.graph_json = self.root / "graph.json"
        self.graphml = self.root / "graph.graphml"
        self.kgx = self.root / "kgx"
        self.corpus_summary = self.summaries / CORPUS_SUMMARY

    def create(self) -> None:
        """Create the folder and its sub-folders.

        Raises
        ------
        ExportError
            When the folder cannot be created (or is a file).
        """
        try:
            for d in (self.root, self.documents, self.summaries, self.state):
                d.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(
                f"cannot create output folder: {exc.strerror or exc}",
                path=self.root,
                stage="write",
                fix="choose another --out folder",
            ) from exc

    def resolve(self, relative: str) -> Path:
        """``root / relative``, refusing anything that leaves ``root``."""
        target = self.root / relative
        root = self._abs_root
        if os.path.commonpath([root, os.path.abspath(target)]) != root or ".." in Path(relative).parts:
            raise ExportError(
                "path escapes the output folder", path=target, stage="write", fix="use a plain document id"
            )
        return target

    def document(self, doc_id: str) -> Path:
        """``documents/<doc_id>.json``."""
        if _SAFE_ID.fullmatch(doc_id):  # what safe_doc_id makes: a plain file name
            return self.documents / f"{doc_id}.json"
        return self.resolve(f"documents/{doc_id}.json")

    def summary(self, doc_id: str) -> Path:
        """``summaries/<doc_id>.md``."""
        if _SAFE_ID.fullmatch(doc_id):
            return self.summaries / f"{doc_id}.md"
        return self.resolve(f"summaries/{doc_id}.md")

    def state_file(self, doc_id: str) -> Path:
        """``.state/<doc_id>.json``: the resume record of one document in
        output folders of earlier versions (now :attr:`journal`)."""
        return self.resolve(f"{STATE_DIR}/{doc_id}.json")

    @property
    def journal(self) -> Path:
        """``.state/journal.jsonl``: one resume record per finished document
        (see :class:`StateJournal`)."""
        return self.state / JOURNAL

    def remove_stale(self, keep: set[str]) -> list[Path]:
        """Remove per-document files of documents not in ``keep`` (left by an
        earlier run over other inputs, or documents that failed this time).

        Only ``*.json`` / ``*.md`` files of ``documents/`` and ``summaries/``
        and the per-document state files of earlier versions in ``.state/``
        are touched, plus the hidden temporary files a killed run
        may have left in those folders, ``kgx/`` and the output folder itself.
        Returns the removed paths.
        """
        removed: list[Path] = []
        folders = [(self.documents, ".json"), (self.summaries, ".md"), (self.state, ".json")]
        for folder, suffix in folders + [(self.root, None), (self.kgx, None)]:
            if not folder.is_dir():
                continue
            for p in sorted(folder.iterdir()):
                leftover = p.name.startswith(".") and ".tmp" in p.name  # from a killed run
                if suffix is None and not leftover:
                    continue
                old_state = folder == self.state and p.suffix == ".json"  # replaced by the journal
                if not leftover and not old_state and (p.suffix != suffix or p.name == CORPUS_SUMMARY or p.stem in keep):
                    continue
                _remove(p)
                removed.append(p)
        return removed


def _journal_error(path: Path, exc: OSError) -> ExportError:
    """The error for a resume journal that cannot be written."""
    return ExportError(
        f"cannot write the resume journal: {exc.strerror or exc}",
        path=path,
        stage="write",
        fix="check free space and permissions of the output folder",
    )


class StateJournal:
    """The resume records of a run, appended to one file.

    One JSON line per finished document (``{"type": "DocumentState",
    "doc_id", "source", "key", "counts", "relations", "claims"}``), appended
    and flushed after the document's own files are in place, so a run killed
    at any point leaves a journal whose every complete line describes files
    that exist (a line cut by the kill is dropped on reopening). The last
    record of a ``doc_id`` wins; a record with ``"key": null`` withdraws the
    earlier one (written before a document's files are replaced). One file
    instead of one per document: creating files is the costly part of
    writing small outputs.

    Parameters
    ----------
    path : Path
        The journal file (``OutputLayout.journal``).
    keep : bool
        Keep the records already there (``--resume``); else start empty.
    """

    def __init__(self, path: Path, *, keep: bool) -> None:
        self.path = Path(path)
        self.records: dict[str, tuple[int, int, str]] = {}  # doc_id -> (offset, length, key)
        self._rfh = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if keep and self.path.is_file():
                self._load()
            self._fh = open(self.path, "ab" if keep else "wb")  # noqa: SIM115 (closed in close())
        except OSError as exc:
            raise _journal_error(self.path, exc) from exc

    def _load(self) -> None:
        with open(self.path, "rb") as fh:
            data = fh.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):  # a line cut by a kill: drop it, so the next record starts on its own line
            os.truncate(self.path, end)
        offset = 0
        for line in data[:end].splitlines(keepends=True):
            try:
                rec = jsonio.loads(line)
                doc_id, key = rec["doc_id"], rec["key"]
            except (ValueError, KeyError, TypeError):
                rec = None
            if rec is not None and isinstance(doc_id, str):
                if key is None:
                    self.records.pop(doc_id, None)
                else:
                    self.records[doc_id] = (offset, len(line), str(key))
            offset += len(line)

    def key(self, doc_id: str) -> str | None:
        """The resume key recorded for ``doc_id`` (None: no record)."""
        rec = self.records.get(doc_id)
        return rec[2] if rec else None

    def withdraw(self, doc_id: str) -> None:
        """Invalidate the record of ``doc_id`` before its files are rewritten."""
        if doc_id in self.records:
            self._append(jsonio.dumps({"type": "DocumentState", "doc_id": doc_id, "key": None}) + "\n", doc_id, None)

    def append(self, doc_id: str, line: str, key: str) -> None:
        """Record a finished document (``line``: one JSON line ending in a newline)."""
        self._append(line, doc_id, key)

    def _append(self, line: str, doc_id: str, key: str | None) -> None:
        data = line.encode("utf-8")
        try:
            offset = self._fh.tell()
            self._fh.write(data)
            self._fh.flush()
        except OSError as exc:
            raise _journal_error(self.path, exc) from exc
        if key is None:
            self.records.pop(doc_id, None)
        else:
            self.records[doc_id] = (offset, len(data), key)

    def read(self, doc_id: str) -> dict:
        """The recorded state of ``doc_id`` (a record must exist)."""
        offset, length, _ = self.records[doc_id]
        if self._rfh is None:
            self._rfh = open(self.path, "rb")  # noqa: SIM115 (closed in close())
        self._rfh.seek(offset)
        return jsonio.loads(self._rfh.read(length))

    def compact(self, doc_ids: list[str]) -> None:
        """Rewrite the journal (atomically) with the records of ``doc_ids`` only,
        in that order: the same inputs give the same file however the run went."""
        self.close()
        tmp = self.path.with_name(f".{self.path.stem}.{os.getpid()}.tmp{self.path.suffix}")
        try:
            with open(self.path, "rb") as src, open(tmp, "wb") as dst:
                for doc_id in doc_ids:
                    offset, length, _ = self.records[doc_id]
                    src.seek(offset)
                    dst.write(src.read(length))
            os.replace(tmp, self.path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise _journal_error(self.path, exc) from exc

    def close(self) -> None:
        """Close the file handles (idempotent)."""
        if not self._fh.closed:
            self._fh.close()
        if self._rfh is not None:
            self._rfh.close()
            self._rfh = None


class BackgroundWriter:
    """Writes finished documents on a thread, so that slow file creation
    overlaps the processing of the next documents (file I/O releases the GIL).

    Per document, in submission order: the journal record is withdrawn, the
    document and summary files are written atomically, and the new record
    is appended last, as :class:`StateJournal` requires (a run killed at any
    point leaves only records whose files exist). While the thread runs it
    is the only writer of ``journal``. A write error stops the writing; the
    next :meth:`submit` or :meth:`close` raises it.

    Parameters
    ----------
    layout : OutputLayout
        Where the files go.
    journal : StateJournal
        The run's resume records.
    max_pending : int
        Documents queued before :meth:`submit` waits (bounds memory).
    """

    def __init__(self, layout: OutputLayout, journal: StateJournal, *, max_pending: int = 64) -> None:
        self.layout = layout
        self.journal = journal
        #: CPU seconds (user + system) the thread spent writing; its wall
        #: time would also count the waits for the GIL held by processing.
        self.seconds = 0.0
        self._queue: queue.Queue = queue.Queue(maxsize=max_pending)
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="extractor-writer", daemon=True)
        self._thread.start()

    def submit(self, doc_id: str, document_json: str, summary: str, state_json: str, key: str) -> None:
        """Queue one finished document (raises an earlier write error)."""
        if self._error is not None:
            raise self._error
        self._queue.put((doc_id, document_json, summary, state_json, key))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None:
                continue  # the run is failing: drain without writing
            doc_id, document_json, summary, state_json, key = item
            t0 = time.thread_time()
            try:
                self.journal.withdraw(doc_id)  # its files are about to change
                atomic_write_text(self.layout.document(doc_id), document_json)
                atomic_write_text(self.layout.summary(doc_id), summary)
                self.journal.append(doc_id, state_json, key)  # last: the document is done
            except BaseException as exc:  # handed to the submitting thread
                self._error = exc
            self.seconds += time.thread_time() - t0

    def close(self, *, raise_error: bool = True) -> None:
        """Write what is queued and stop the thread (idempotent); raise a
        write error unless ``raise_error`` is False."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)
            self._thread.join()
        if raise_error and self._error is not None:
            raise self._error


def _check_json(path: Path, problems: list[str]):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path}: missing")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(f"{path}: not valid JSON: {exc}")
    return None


def _check_jsonl(path: Path, problems: list[str]) -> None:
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        json.loads(line)
                    except ValueError as exc:
                        problems.append(f"{path}:{n}: not valid JSON: {exc}")
                        return
    except FileNotFoundError:
        problems.append(f"{path}: missing")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: unreadable: {exc}")


def check_output(out: Path) -> list[str]:
    """List what is wrong with the output folder ``out`` (empty: all good).

    Checks that ``report.json`` parses, that every document it lists as
    ``ok`` has ``documents/<doc_id>.json`` (parsing, with that ``doc_id``)
    and ``summaries/<doc_id>.md``, that the merged files exist and parse,
    then validates the files against the JSON Schemas
    (:func:`extractor.schemas.validate_output`).

    Parameters
    ----------
    out : Path
        An output folder written by ``extractor run``.

    Returns
    -------
    list of str
        One line per problem, each naming the file.
    """
    lay = OutputLayout(Path(out))
    problems: list[str] = []
    report = _check_json(lay.report, problems)
    if not isinstance(report, dict):
        if report is not None:
            problems.append(f"{lay.report}: not a JSON object")
        return problems
    ok = [d.get("doc_id") for d in report.get("documents", []) if d.get("status") == "ok"]
    for doc_id in ok:
        if not isinstance(doc_id, str) or safe_doc_id(doc_id) != doc_id:
            problems.append(f"{lay.report}: invalid doc_id {doc_id!r}")
            continue
        doc = _check_json(lay.document(doc_id), problems)
        if isinstance(doc, dict) and doc.get("doc_id") != doc_id:
            problems.append(f"{lay.document(doc_id)}: doc_id is {doc.get('doc_id')!r}, expected {doc_id!r}")
        if not lay.summary(doc_id).is_file():
            problems.append(f"{lay.summary(doc_id)}: missing")
    for path in (lay.triples, lay.claims, lay.kgx / "nodes.jsonl", lay.kgx / "edges.jsonl"):
        _check_jsonl(path, problems)
    _check_json(lay.graph_json, problems)
    for path in (lay.graph_html, lay.graphml) + ((lay.corpus_summary,) if len(ok) > 1 else ()):
        if not path.is_file():
            problems.append(f"{path}: missing")
    if not problems:
        from extractor.schemas import validate_output

        problems.extend(validate_output(lay.root))
    return problems
