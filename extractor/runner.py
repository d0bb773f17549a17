"""Batch runner: input paths in, an output folder (``shared/CONTRACT.md``) out.

Input: files and folders, an output folder, :class:`~extractor.config.Settings`.
Output: the output folder, and a :class:`RunReport` (also ``report.json``).

How a run goes
--------------
1. :func:`extractor.discovery.discover` lists the files (sorted).
2. The parent reads each file (``extractor.io.readers.read_articles``), gives every
   article a safe, unique ``doc_id`` (suffixes on collision, in sorted input
   order) and a *resume key* (sha256 of the pipeline version, the settings
   that change results, and the article as read).
3. Articles go in small batches to a backend (:mod:`extractor.workers`):
   in-process (``workers=1``), a process pool whose workers are forked from
   a parent that has already built the :class:`~extractor.pipeline.Extractor`,
   or Dask (:mod:`extractor.dask_backend`). Workers return serialized
   outputs (and seconds per stage); a per-document time budget
   (``Limits.doc_seconds``) is enforced where the platform allows.
4. As each document finishes the parent writes, atomically,
   ``documents/<doc_id>.json``, ``summaries/<doc_id>.md`` and, last, appends
   its resume record (relations, claims, counts, resume key) to
   ``.state/journal.jsonl`` (:class:`~extractor.writer.StateJournal`).
   Nothing else is kept in memory.
5. At the end, the records are replayed in ``doc_id`` order into
   :class:`~extractor.graph.GraphBuilder` and
   :func:`~extractor.pipeline.merge_results`, and the merged files are
   written: ``triples.jsonl``, ``claims.jsonl``, ``summaries/_corpus.md``,
   ``graph.json``, ``graph.html``, ``graph.graphml``, ``kgx/``, then
   ``report.json``.

Determinism: every file is a function of the inputs and settings only
(sorted merges, no timestamps), whatever the worker count, backend or
scheduling, and whether the run was resumed. The one exception is the
``timings`` object of ``report.json`` (seconds, documents/s, workers,
backend, resumed documents).

Resume: with ``resume=True`` a document whose journal record carries the same
resume key (and whose document and summary files exist) is not processed
again; a run killed at any point and resumed gives the same files as an
uninterrupted run.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import extractor
from extractor.config import Settings
from extractor.discovery import discover
from extractor.errors import ConfigError
from extractor.io import jsonio
from extractor.memory import gc_paused
from extractor.model import SCHEMA_VERSION, Article, DocumentResult
from extractor.workers import DocOutput, Job, inline_backend, pool_backend, process_job, reason_of
from extractor.writer import (
    BackgroundWriter,
    OutputLayout,
    StateJournal,
    atomic_write_text,
    safe_doc_id,
    unique_doc_id,
)

__all__ = [
    "run",
    "RunReport",
    "DocumentStatus",
    "InputStatus",
    "Job",
    "DocOutput",
    "process_job",
    "pipeline_version",
]

log = logging.getLogger(__name__)

#: Documents per task sent to a worker.
BATCH_SIZE = 4


# ----------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class DocumentStatus:
    """Outcome of one document (an entry of ``report.json``'s ``documents``)."""

    doc_id: str
    source: str
    status: str
    reason: str | None = None
    sentences: int = 0
    mentions: int = 0
    relations: int = 0
    claims: int = 0

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"doc_id": self.doc_id, "source": self.source, "status": self.status}
        if self.reason is not None:
            d["reason"] = self.reason
        return d


@dataclass(frozen=True, slots=True)
class InputStatus:
    """Outcome of one input file or discovery problem (``report.json``'s ``inputs``)."""

    path: str
    sha256: str | None
    size: int | None
    status: str
    reason: str | None = None
    documents: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"path": self.path, "sha256": self.sha256, "size": self.size, "status": self.status}
        if self.reason is not None:
            d["reason"] = self.reason
        d["documents"] = list(self.documents)
        if self.problems:
            d["problems"] = list(self.problems)
        return d


@dataclass(frozen=True, slots=True)
class RunReport:
    """What a run did; :meth:`to_dict` is ``report.json``."""

    out: Path
    settings: Settings
    inputs: tuple[InputStatus, ...]
    documents: tuple[DocumentStatus, ...]
    counts: dict
    timings: dict
    export_errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every input and document succeeded and every file was written."""
        return not self.failures and not self.export_errors

    @property
    def failures(self) -> list[tuple[str, str]]:
        """``(name, reason)`` of every failed input and document."""
        out = [
            (i.path, i.reason or "failed")
            for i in self.inputs
            if i.status == "failed" and (i.problems or not i.documents)
        ]
        out += [(f"{d.doc_id} ({d.source})", d.reason or "failed") for d in self.documents if d.status == "failed"]
        return out

    def to_dict(self) -> dict:
        return {
            "type": "RunReport",
            "schema_version": SCHEMA_VERSION,
            "tool": "extractor",
            "version": extractor.__version__,
            "pipeline_version": pipeline_version(),
            "settings": _settings_dict(self.settings),
            "inputs": [i.to_dict() for i in self.inputs],
            "documents": [d.to_dict() for d in self.documents],
            "counts": self.counts,
            "export_errors": list(self.export_errors),
            "timings": self.timings,
        }


# ----------------------------------------------------------------- versioning


@functools.lru_cache(maxsize=1)
def pipeline_version() -> str:
    """``extractor.__version__`` plus a hash of the shipped data files
    (``extractor/data/``: models, lexicons): a change of either invalidates
    resumed state. Code edits without a version bump do not.

    Examples
    --------
    >>> pipeline_version().startswith(extractor.__version__ + "+")
    True
    """
    root = Path(extractor.__file__).parent / "data"
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if "__pycache__" in p.parts or not p.is_file():
            continue
        h.update(p.relative_to(root).as_posix().encode())
        with open(p, "rb") as fh:
            h.update(hashlib.file_digest(fh, "sha256").digest())
    return f"{extractor.__version__}+{h.hexdigest()[:12]}"


def _settings_dict(settings: Settings) -> dict:
    return json.loads(json.dumps(dataclasses.asdict(settings), default=str))


def _resume_key(article: Article, settings: Settings) -> str:
    s = _settings_dict(settings)
    s.pop("max_nodes", None)  # only the graph view depends on it
    h = hashlib.sha256()
    h.update(pipeline_version().encode())
    h.update(jsonio.dumps(s).encode())
    h.update(jsonio.dumps(jsonio.document_to_dict(DocumentResult(article=article))).encode())
    return h.hexdigest()


# ----------------------------------------------------------------- parent side


def _sha256_file(path: Path) -> tuple[str | None, int | None]:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest(), os.fstat(fh.fileno()).st_size
    except OSError:
        return None, None


class _Run:
    """State of one run on the parent side."""

    def __init__(self, inputs, out: Path, settings: Settings, *, resume, include, exclude, progress) -> None:
        self.inputs = list(inputs)
        self.layout = OutputLayout(out)
        self.settings = settings
        self.resume = resume
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        self.progress = progress
        self.input_status: list[InputStatus] = []
        self.docs: dict[str, DocumentStatus] = {}
        self.taken: set[str] = set()
        self.total = 0
        self.resumed = 0
        self.timings: Counter = Counter()
        self.titles: dict[str, str] = {}
        self.journal: StateJournal | None = None  # opened by run()
        self.writer: BackgroundWriter | None = None  # started by run(): writes finished documents

    # -- reading ---------------------------------------------------------

    def batches(self) -> Iterator[list[Job]]:
        """Read the inputs in sorted order and yield batches of jobs."""
        from extractor.io.readers import read_articles

        found = discover(self.inputs, include=self.include, exclude=self.exclude, skip=[self.layout.root])
        for pr in found.problems:
            self.input_status.append(InputStatus(pr.path, None, None, "failed" if pr.fatal else "skipped", pr.reason))
        batch: list[Job] = []
        for path in found.files:
            t0 = time.perf_counter()
            sha, size = _sha256_file(path)
            try:
                read = read_articles(path, self.settings.limits)
            except Exception as exc:  # ExtractorError, or a reader bug: reported, the run goes on
                self.timings["read"] += time.perf_counter() - t0
                reason = reason_of(exc)
                log.error("%s: %s", path, reason)
                self.input_status.append(InputStatus(str(path), sha, size, "failed", reason))
                continue
            jobs = [self._job(a) for a in read.articles]
            self.timings["read"] += time.perf_counter() - t0
            status, reason = "ok", None
            if read.problems:
                status = "failed"
                n = len(read.problems)
                reason = f"read: {n} document{'s' if n > 1 else ''} left out: {read.problems[0]}" + (
                    f" (and {n - 1} more)" if n > 1 else ""
                )
                for problem in read.problems:
                    log.error("%s: document left out: %s", path, problem)
            self.input_status.append(
                InputStatus(str(path), sha, size, status, reason, tuple(j.doc_id for j in jobs), tuple(read.problems))
            )
            self.total += len(jobs)
            for job in jobs:
                if self.resume and self._resumable(job):
                    continue
                batch.append(job)
                if len(batch) >= BATCH_SIZE:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def _job(self, article: Article) -> Job:
        doc_id = unique_doc_id(safe_doc_id(article.doc_id or Path(article.source).stem), self.taken)
        if doc_id != article.doc_id:
            article = dataclasses.replace(article, doc_id=doc_id)
        return Job(article=article, key=_resume_key(article, self.settings))

    def _resumable(self, job: Job) -> bool:
        lay = self.layout
        if (
            self.journal.key(job.doc_id) != job.key
            or not lay.document(job.doc_id).is_file()
            or not lay.summary(job.doc_id).is_file()
        ):
            return False
        try:
            counts = self.journal.read(job.doc_id)["counts"]
        except (OSError, ValueError, KeyError):
            return False
        self._record(DocumentStatus(job.doc_id, job.article.source, "ok", **counts))
        self.resumed += 1
        return True

    # -- results ---------------------------------------------------------

    def _record(self, status: DocumentStatus) -> None:
        self.docs[status.doc_id] = status
        if self.progress is not None:
            self.progress(len(self.docs), self.total, status)

    def accept(self, out: DocOutput) -> None:
        """Write one finished document (state file last) and record it."""
        if out.config_error:
            raise ConfigError(out.reason or "invalid configuration")
        self.timings["process"] += out.seconds
        for stage, seconds in out.stages.items():
            self.timings[f"stage:{stage}"] += seconds
        if not out.ok:
            log.error("%s (%s): %s", out.doc_id, out.source, out.reason)
            if out.detail:
                log.debug("%s", out.detail)
            self._record(DocumentStatus(out.doc_id, out.source, "failed", out.reason))
            return
        self.writer.submit(out.doc_id, out.document_json, out.summary, out.state_json, out.key)
        self._record(DocumentStatus(out.doc_id, out.source, "ok", None, **out.counts))

    # -- merging ---------------------------------------------------------

    def replay(self, ok_ids: Sequence[str], graph_builder) -> Iterator[DocumentResult]:
        """Each finished document's relations and claims, in ``doc_id``
        order, its concepts fed to ``graph_builder`` (one at a time: memory
        stays bounded). The state record holds all of it; only a record
        written by an older version without ``graph`` makes the document
        file be read again."""
        from extractor.graph_record import graph_record

        for doc_id in ok_ids:
            state = self.journal.read(doc_id)
            relations = tuple(jsonio.relation_from_dict(r) for r in state["relations"])
            claims = tuple(jsonio.claim_from_dict(c) for c in state["claims"])
            record = state.get("graph")
            if record is None:
                doc = jsonio.document_from_dict(
                    json.loads(self.layout.document(doc_id).read_text(encoding="utf-8"))
                )
                record = graph_record(dataclasses.replace(doc, relations=relations, claims=claims))
            graph_builder.add_record(doc_id, record)
            self.titles[doc_id] = state.get("title", record["title"]) or doc_id
            yield DocumentResult(
                article=Article(doc_id, "", "", record["title"], ""), relations=relations, claims=claims
            )

    def finish(self) -> tuple[dict, list[str]]:
        """Write the merged files; return the merged counts and export errors."""
        with gc_paused():  # large acyclic structures: the cyclic collector's passes only cost time
            return self._finish()

    def _finish(self) -> tuple[dict, list[str]]:
        from extractor.graph import GraphBuilder, write_graph_json
        from extractor.pipeline import merge_results
        from extractor.summarize import summarize_corpus

        lay = self.layout
        ok_ids = sorted(d for d, s in self.docs.items() if s.status == "ok")
        lay.remove_stale(set(ok_ids))
        t0 = time.perf_counter()
        gb = GraphBuilder()
        corpus = merge_results(self.replay(ok_ids, gb))
        self.journal.compact(ok_ids)
        relations = sorted(corpus.relations, key=lambda r: (r.key(), str(r.relation_class)))
        claims = sorted(corpus.claims, key=lambda c: (c.key(), c.claim_id))
        atomic_write_text(lay.triples, "".join(jsonio.dumps(jsonio.relation_to_dict(r)) + "\n" for r in relations))
        atomic_write_text(lay.claims, "".join(jsonio.dumps(jsonio.claim_to_dict(c)) + "\n" for c in claims))
        if len(ok_ids) > 1:
            text = summarize_corpus(claims, {d: self.titles[d] for d in ok_ids})
            atomic_write_text(lay.corpus_summary, text if text.endswith("\n") else text + "\n")
        else:
            lay.corpus_summary.unlink(missing_ok=True)
        self.timings["merge"] += time.perf_counter() - t0

        t0 = time.perf_counter()
        graph = gb.build(corpus)
        self.timings["graph"] += time.perf_counter() - t0
        errors = []
        title = f"extractor knowledge graph: {len(ok_ids)} document{'s' if len(ok_ids) != 1 else ''}"
        for name, target, writer in self._exporters(graph, title, write_graph_json):
            t1 = time.perf_counter()
            try:
                writer(target)  # every exporter writes atomically itself
                self.timings[f"export:{name}"] += time.perf_counter() - t1
            except Exception as exc:  # one exporter failing must not lose the run's other files
                reason = reason_of(exc)
                log.error("%s: %s", target, reason)
                errors.append(f"{name}: {reason}")
        self.timings["export"] += time.perf_counter() - t0
        return {"relations": len(relations), "claims": len(claims)}, errors

    def _exporters(self, graph, title: str, write_graph_json):
        lay = self.layout
        from extractor.io.exporters.graphml import write_graphml
        from extractor.io.exporters.html_export import write_html
        from extractor.io.exporters.kgx import write_kgx

        return [
            ("graph.json", lay.graph_json, lambda p: write_graph_json(graph, p)),
            (
                "graph.html",
                lay.graph_html,
                lambda p: write_html(graph, p, title=title, max_nodes=self.settings.max_nodes),
            ),
            ("graph.graphml", lay.graphml, lambda p: write_graphml(graph, p)),
            ("kgx", lay.kgx, lambda p: write_kgx(graph, p)),
        ]


# ----------------------------------------------------------------- entry point


def run(
    inputs: Iterable[Path | str],
    out: Path | str,
    settings: Settings | None = None,
    *,
    workers: int = 1,
    resume: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    dask: str | None = None,
    progress: Callable[[int, int, DocumentStatus], None] | None = None,
) -> RunReport:
    """Process ``inputs`` into the output folder ``out``.

    Parameters
    ----------
    inputs : iterable of Path or str
        Files and folders (walked recursively, see :mod:`extractor.discovery`).
    out : Path or str
        Output folder (created). Nothing is written outside it.
    settings : Settings, optional
        Run options; default ``Settings()``.
    workers : int
        Worker processes (1: in this process).
    resume : bool
        Skip documents already done with the same inputs, settings and pipeline.
    include, exclude : sequence of str
        Glob filters for files found in folders.
    dask : str, optional
        ``"local"`` (a ``LocalCluster`` of ``workers`` processes) or a
        scheduler address ``tcp://host:port``.
    progress : callable, optional
        Called as ``progress(done, total_known, status)`` after each document.

    Returns
    -------
    RunReport
        Also written to ``out/report.json``. ``report.ok`` is False when any
        input or document failed (their outputs are missing; the others are
        written).

    Raises
    ------
    ConfigError
        Invalid options (``workers < 1``, a model that cannot be loaded).
    ExportError
        The output folder cannot be written.
    """
    settings = settings or Settings()
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}", stage="run", fix="pass --workers 1 or more")
    t_start = time.perf_counter()
    state = _Run(inputs, Path(out), settings, resume=resume, include=include, exclude=exclude, progress=progress)
    state.layout.create()
    state.layout.report.unlink(missing_ok=True)  # written last: its absence marks an unfinished run
    state.journal = StateJournal(state.layout.journal, keep=resume)
    batches = state.batches()
    if dask:
        from extractor.dask_backend import dask_backend

        outputs, backend = dask_backend(batches, settings, address=dask, workers=workers), "dask"
    elif workers == 1:
        outputs, backend = inline_backend(batches, settings, state.timings), "inline"
    else:
        outputs, backend = pool_backend(batches, settings, workers, state.timings), "processes"
    t_process = time.perf_counter()
    state.writer = BackgroundWriter(state.layout, state.journal)
    try:
        try:
            for output in outputs:
                state.accept(output)
        finally:
            close = getattr(outputs, "close", None)
            if close is not None:
                close()
        state.writer.close()  # every document written (raises a write error)
        wall_process = time.perf_counter() - t_process
        state.timings["write"] = state.writer.seconds  # on the writer thread, overlapping processing
        merged, export_errors = state.finish()
    finally:
        state.writer.close(raise_error=False)  # documents already finished are still written
        state.journal.close()

    inputs_status = tuple(_final_input_status(i, state.docs) for i in sorted(state.input_status, key=lambda i: i.path))
    docs = tuple(state.docs[d] for d in sorted(state.docs))
    n_ok = sum(d.status == "ok" for d in docs)
    counts = {
        "inputs": sum(i.status != "skipped" for i in inputs_status),
        "documents": len(docs),
        "documents_ok": n_ok,
        "documents_failed": len(docs) - n_ok,
        "sentences": sum(d.sentences for d in docs),
        "mentions": sum(d.mentions for d in docs),
        **merged,
    }
    total = time.perf_counter() - t_start
    timings = {k: round(v, 3) for k, v in sorted(state.timings.items())}
    processed = len(docs) - state.resumed
    steady = wall_process - state.timings.get("warm_up", 0.0)
    timings.update(
        total=round(total, 3),
        # steady state: the one-time pipeline load is timings["warm_up"] (cold start)
        documents_per_second=round(processed / steady, 2) if steady > 0 and processed else 0.0,
        workers=workers,
        backend=backend,
        resumed=state.resumed,
    )
    report = RunReport(
        out=Path(out),
        settings=settings,
        inputs=inputs_status,
        documents=docs,
        counts=counts,
        timings=timings,
        export_errors=tuple(export_errors),
    )
    atomic_write_text(state.layout.report, json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    log.info(
        "%d documents ok, %d failed, %d relations, %d claims in %.1f s",
        n_ok,
        len(docs) - n_ok,
        counts["relations"],
        counts["claims"],
        total,
    )
    return report


def _final_input_status(i: InputStatus, docs: dict[str, DocumentStatus]) -> InputStatus:
    failed = [d for d in i.documents if docs.get(d) is None or docs[d].status != "ok"]
    if i.status != "ok" or not failed:
        return i
    if len(i.documents) == 1:
        return dataclasses.replace(i, status="failed", reason=docs[failed[0]].reason if failed[0] in docs else None)
    return dataclasses.replace(i, status="failed", reason=f"{len(failed)} of {len(i.documents)} documents failed")
