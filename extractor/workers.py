"""Worker side of the batch runner: jobs in, serialized per-document outputs out.

Input: batches of :class:`Job` (an article with its final ``doc_id`` and
resume key) and :class:`~extractor.config.Settings`.
Output: one :class:`DocOutput` per job (the ``documents/<doc_id>.json`` text,
the summary, relations, claims, counts, seconds per stage, or the failure
reason), which :mod:`extractor.runner` writes and merges.

Backends
--------
- :func:`inline_backend`: this process, one :class:`~extractor.pipeline.Extractor`.
- :func:`pool_backend`: a ``ProcessPoolExecutor``. On Linux the parent builds
  and warms up the Extractor *before* the workers are forked (collected
  and frozen first, :func:`extractor.memory.relax_gc`), so every worker
  starts at once with the pipeline already in memory and shares its pages
  copy-on-write; with ``spawn`` each worker builds its own. A worker that dies fails only the documents it held.

A per-document time budget (``Limits.doc_seconds``) is enforced with
``signal.setitimer`` where the task runs in a process's main thread.
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import logging
import multiprocessing
import signal
import sys
import threading
import time
import traceback
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, MutableMapping, Sequence

from extractor.config import Settings
from extractor.errors import BudgetExceededError, ConfigError, ExtractorError
from extractor.io import jsonio
from extractor.memory import relax_gc, relaxed_gc, restore_gc
from extractor.model import Article

__all__ = ["DocOutput", "Job", "error_outputs", "inline_backend", "pool_backend", "process_job", "reason_of"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Job:
    """One article to process, with its final ``doc_id`` and resume key."""

    article: Article
    key: str

    @property
    def doc_id(self) -> str:
        return self.article.doc_id


@dataclass(frozen=True, slots=True)
class DocOutput:
    """What a worker sends back for one document: the text of its files
    (``document_json``, ``summary``), its resume record (``state_json``: one
    JSON line with the key, counts, relations and claims), counts, seconds."""

    doc_id: str
    source: str
    key: str
    reason: str | None = None
    document_json: str = ""
    summary: str = ""
    state_json: str = ""
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    stages: dict = field(default_factory=dict)
    detail: str = ""
    config_error: bool = False

    @property
    def ok(self) -> bool:
        return self.reason is None



# ----------------------------------------------------------------- one document


@contextmanager
def _time_budget(seconds: float):
    """Raise :class:`BudgetExceededError` in the block after ``seconds``
    (only in a main thread with ``signal.setitimer``; else no budget)."""
    usable = (
        seconds
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def _expired(signum, frame):
        raise BudgetExceededError(
            "time budget exceeded",
            stage="nlp",
            fix=f"raise --doc-seconds (now {seconds:g}) or split the document",
        )

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def reason_of(exc: BaseException, *, log_traceback: bool = True) -> str:
    """The one-line report reason of ``exc``; the traceback of a bug is logged at debug level."""
    if isinstance(exc, ExtractorError):
        return exc.reason
    if log_traceback:
        log.debug("%s", "".join(traceback.format_exception(exc)))
    return f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())}"


def process_job(extractor_obj, job: Job, settings: Settings) -> DocOutput:
    """Run the per-document stages on ``job`` and serialize what the parent writes.

    Never raises for a document problem: the failure is returned as
    ``DocOutput.reason`` (an :class:`ExtractorError`'s one-line reason, or
    ``internal error: <type>: <message>`` with the traceback in ``detail``).
    """
    from extractor.graph_record import graph_record
    from extractor.summarize import summarize_document

    article = job.article
    spent = getattr(extractor_obj, "stage_seconds", None)
    before = dict(spent) if spent is not None else {}
    t0 = time.perf_counter()
    try:
        with _time_budget(settings.limits.doc_seconds):
            result = extractor_obj.process(article)
            t1 = time.perf_counter()
            summary = summarize_document(result)
        counts = {
            "sentences": len(result.article.sentences),
            "mentions": len(result.mentions),
            "relations": len(result.relations),
            "claims": len(result.claims),
        }
        state = {
            "type": "DocumentState",
            "doc_id": job.doc_id,
            "source": article.source,
            "key": job.key,
            "counts": counts,
            "relations": [jsonio.relation_to_dict(r) for r in result.relations],
            "claims": [jsonio.claim_to_dict(c) for c in result.claims],
            "title": article.title,
            "graph": graph_record(result),  # merging needs only this of the document
        }
        document_json = jsonio.dumps(jsonio.document_to_dict(result)) + "\n"
        state_json = jsonio.dumps(state) + "\n"
        stages = {k: v - before.get(k, 0.0) for k, v in spent.items()} if spent is not None else {}
        t2 = time.perf_counter()
        stages["summary"] = t2 - t1  # the summary and serializing the outputs
        return DocOutput(
            doc_id=job.doc_id,
            source=article.source,
            key=job.key,
            document_json=document_json,
            summary=summary if summary.endswith("\n") else summary + "\n",
            state_json=state_json,
            counts=counts,
            seconds=t2 - t0,
            stages=stages,
        )
    except Exception as exc:  # ExtractorError, or a bug in a stage: reported, the run goes on
        return DocOutput(
            doc_id=job.doc_id,
            source=article.source,
            key=job.key,
            reason=reason_of(exc, log_traceback=False),  # sent to the parent in ``detail``
            seconds=time.perf_counter() - t0,
            detail="" if isinstance(exc, ExtractorError) else traceback.format_exc(),
            config_error=isinstance(exc, ConfigError),
        )


_WORKER: dict[str, Any] = {}


def _init_worker(settings: Settings, log_level: int) -> None:
    """Pool initializer: one warmed-up Extractor per worker process (the
    parent's, inherited by ``fork``, when it preloaded one for ``settings``)."""
    from extractor.pipeline import Extractor

    logging.getLogger("extractor").setLevel(log_level)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    preloaded = _WORKER.pop("preloaded", None)
    if preloaded is not None and preloaded.settings == settings:
        ex = preloaded
    else:
        ex = Extractor(settings)
        try:
            ex.warm_up()
            relax_gc()  # this process ends with the pool
        except Exception as exc:  # reported for every document, never a broken pool
            _WORKER["error"] = exc if isinstance(exc, ExtractorError) else ExtractorError(reason_of(exc), stage="nlp")
    _WORKER["extractor"] = ex
    _WORKER["settings"] = settings


def _preload(settings: Settings) -> bool:
    """Build and warm up the Extractor in the parent so that forked workers
    inherit it; False (workers build their own) if warm-up fails here."""
    from extractor.pipeline import Extractor

    ex = Extractor(settings)
    try:
        ex.warm_up(before_fork=True)
    except Exception as exc:  # the workers meet it again and report it per document
        log.debug("preloading the pipeline failed: %s", reason_of(exc, log_traceback=False))
        return False
    _WORKER["preloaded"] = ex
    _WORKER["gc"] = relax_gc()  # keep the collector from touching (and so copying) the inherited pages
    return True


def error_outputs(jobs: Sequence[Job], exc: ExtractorError) -> list[DocOutput]:
    return [
        DocOutput(job.doc_id, job.article.source, job.key, reason=exc.reason, config_error=isinstance(exc, ConfigError))
        for job in jobs
    ]


def _pool_batch(jobs: Sequence[Job]) -> list[DocOutput]:
    if "error" in _WORKER:
        return error_outputs(jobs, _WORKER["error"])
    return [process_job(_WORKER["extractor"], job, _WORKER["settings"]) for job in jobs]


# ----------------------------------------------------------------- backends

Batches = Iterator[list[Job]]


def inline_backend(
    batches: Batches, settings: Settings, timings: MutableMapping[str, float] | None = None
) -> Iterator[DocOutput]:
    """Batches in this process, with one Extractor built on the first
    document (its seconds added to ``timings["warm_up"]``)."""
    from extractor.pipeline import Extractor

    ex = None
    with ExitStack() as stack:
        for jobs in batches:
            if ex is None:  # built on the first document, outside its time budget
                t0 = time.perf_counter()
                ex = Extractor(settings)
                ex.warm_up()
                stack.enter_context(relaxed_gc())  # the pipeline lives for the run: collector off it
                if timings is not None:
                    timings["warm_up"] = timings.get("warm_up", 0.0) + time.perf_counter() - t0
            for job in jobs:
                yield process_job(ex, job, settings)


def _mp_context():
    """``fork`` on Linux (workers inherit the preloaded pipeline), else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform == "linux" else "spawn")


def pool_backend(
    batches: Batches, settings: Settings, workers: int, timings: MutableMapping[str, float] | None = None
) -> Iterator[DocOutput]:
    """Batches on a process pool. When a worker dies (out of memory, a crash
    in native code) the pool is rebuilt and the documents in flight are tried
    again, one at a time; a document that breaks the pool again fails."""
    level = logging.getLogger("extractor").getEffectiveLevel()
    died = ExtractorError(
        "worker process died (out of memory or a crash)",
        stage="nlp",
        fix="retry with fewer --workers or a smaller --max-file-mb",
    )
    first = next(batches, None)
    if first is None:  # nothing to do (e.g. every document resumed): no pipeline, no pool
        return
    batches = itertools.chain([first], batches)
    ctx = _mp_context()
    t0 = time.perf_counter()
    preloaded = ctx.get_start_method() == "fork" and _preload(settings)
    if timings is not None and preloaded:  # the pipeline built once, before forking
        timings["warm_up"] = timings.get("warm_up", 0.0) + time.perf_counter() - t0
    retry: list[tuple[list[Job], int]] = []
    pending: dict[cf.Future, tuple[list[Job], int]] = {}
    pool = None
    try:
        while True:
            if pool is None:
                pool = cf.ProcessPoolExecutor(
                    workers, mp_context=ctx, initializer=_init_worker, initargs=(settings, level)
                )
            # after a crash, the documents in flight are retried one at a time
            while len(pending) < (1 if retry else 2 * workers):
                item = retry.pop(0) if retry else (next(batches, None), 0)
                if item[0] is None:
                    break
                pending[pool.submit(_pool_batch, item[0])] = item
            if not pending:
                return
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            lost: list[tuple[list[Job], int]] = []
            for fut in done:
                try:
                    yield from fut.result()
                    del pending[fut]
                except cf.process.BrokenProcessPool:
                    lost = list(pending.values())  # a broken pool fails every future in flight
                    break
            if lost:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
                pending.clear()
                for jobs, attempt in lost:
                    if attempt:
                        yield from error_outputs(jobs, died)
                    else:
                        retry.extend(([job], 1) for job in jobs)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if preloaded:
            _WORKER.pop("preloaded", None)
            restore_gc(_WORKER.pop("gc"))


