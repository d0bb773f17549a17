"""Dask backend of the batch runner: the per-document stage on a cluster.

Input: batches of :class:`extractor.workers.Job` (articles with their final
``doc_id``), the run's :class:`~extractor.config.Settings`, a cluster address.
Output: :class:`extractor.workers.DocOutput` records (serialized documents,
relation and claim dicts, summaries), yielded as tasks finish. The client
(:func:`extractor.runner.run`) writes and merges them exactly as it does for
the process pool, so the output folder is the same.

Each Dask worker process builds one :class:`~extractor.pipeline.Extractor`
per distinct settings, lazily, on its first task (:func:`worker_extractor`)
and reuses it for every later task.

``address="local"`` starts a ``distributed.LocalCluster`` of ``workers``
single-threaded worker processes for the duration of the run; any other value
is the address of a running scheduler (``tcp://host:port``), e.g. one started
with ``dask scheduler`` and ``dask worker`` or by ``dask-jobqueue`` on SLURM.
Every worker needs ``extractor`` installed (same version).

The per-document time budget is not enforced on Dask workers (tasks run in
worker threads, where ``signal.setitimer`` is unavailable).

Requires the ``dask`` extra: ``pip install 'extractor[dask]'``.
"""

from __future__ import annotations

import logging
import threading
from typing import Iterator, Sequence

from extractor.config import Settings
from extractor.errors import ConfigError, ExtractorError

__all__ = ["dask_backend", "worker_extractor"]

log = logging.getLogger(__name__)

_EXTRACTORS: dict = {}
_LOCK = threading.Lock()


def worker_extractor(settings: Settings):
    """The worker process's cached, warmed-up Extractor for ``settings``.

    A warm-up failure (e.g. a model that is not installed) is cached too and
    re-raised on every call.
    """
    from extractor.pipeline import Extractor

    with _LOCK:
        if settings not in _EXTRACTORS:
            ex = Extractor(settings)
            try:
                ex.warm_up()
                _EXTRACTORS[settings] = ex
            except ExtractorError as exc:
                _EXTRACTORS[settings] = exc
        cached = _EXTRACTORS[settings]
    if isinstance(cached, ExtractorError):
        raise cached
    return cached


def _run_batch(settings: Settings, jobs: Sequence) -> list:
    """The Dask task: process a batch of jobs with the worker's Extractor."""
    from extractor.workers import error_outputs, process_job

    try:
        ex = worker_extractor(settings)
    except ExtractorError as exc:
        return error_outputs(jobs, exc)
    return [process_job(ex, job, settings) for job in jobs]


def _client(address: str, workers: int):
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError(
            "dask/distributed is not installed", stage="run", fix="pip install 'extractor[dask]'"
        ) from exc
    if address == "local":
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
        return Client(cluster), cluster
    if not address.startswith(("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")):
        raise ConfigError(
            f"not a Dask scheduler address: {address!r}",
            stage="run",
            fix="pass --dask local or --scheduler tcp://HOST:PORT",
        )
    try:
        return Client(address, timeout="20s"), None
    except OSError as exc:
        raise ConfigError(
            f"cannot reach Dask scheduler {address}: {exc}",
            stage="run",
            fix="start it with `dask scheduler` or check the address",
        ) from exc


def dask_backend(batches: Iterator[list], settings: Settings, *, address: str, workers: int = 1) -> Iterator:
    """Run batches on a Dask cluster and yield their DocOutputs as they finish.

    Parameters
    ----------
    batches : iterator of list of Job
        Produced lazily by the runner (reading stays on the client).
    settings : Settings
        Sent with every task; the worker caches one Extractor per settings.
    address : str
        ``"local"`` or a scheduler address.
    workers : int
        Worker processes of the local cluster; ignored for a remote one.

    Yields
    ------
    DocOutput
        One per job, in completion order.

    Raises
    ------
    ConfigError
        dask missing, bad address, unreachable scheduler.
    """
    from distributed import as_completed

    from extractor.workers import error_outputs

    client, cluster = _client(address, workers)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        window = 2 * n_workers
        pending: dict = {}
        it = as_completed()
        for jobs in _take(batches, window):
            fut = client.submit(_run_batch, settings, jobs, pure=False)
            pending[fut] = jobs
            it.add(fut)
        for fut in it:
            jobs = pending.pop(fut)
            try:
                yield from fut.result()
            except Exception as exc:  # a worker died or the task could not run
                log.debug("dask task failed", exc_info=True)
                err = ExtractorError(f"dask task failed: {type(exc).__name__}: {exc}", stage="nlp")
                yield from error_outputs(jobs, err)
            finally:
                fut.release()
            for more in _take(batches, 1):
                nf = client.submit(_run_batch, settings, more, pure=False)
                pending[nf] = more
                it.add(nf)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _take(batches: Iterator[list], n: int) -> Iterator[list]:
    for _ in range(n):
        jobs = next(batches, None)
        if jobs is None:
            return
        yield jobs
