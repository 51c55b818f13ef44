"""Running a batch's files on a Dask cluster (``--executor dask``).

The client (the ``extract`` command) keeps everything that makes a run a transaction: the lock,
the manifest, the swap of each finished folder into place and the corpus-wide files. Each Dask
worker runs files exactly as ``--jobs`` does on one machine: in a worker process of its own
(:class:`WorkerPool` with one process), so a file that overruns ``--timeout`` is killed and a
crash in a C extension costs that file only. Workers read the inputs and write the staged
folders on storage all machines share (the same paths everywhere), so the outputs are the same
bytes as with ``--jobs 1``.

``dask[distributed]`` is an optional extra: ``pip install -e ".[dask]"``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pipeline.batch.workers import Handler, Outcome, WorkerPool

DASK_EXTRA = 'pip install -e ".[dask]"'
LOCAL_PREFIX = "local:"
"""``--scheduler local:N`` starts a LocalCluster of N worker processes on this machine."""


class DaskUnavailable(Exception):
    """``--executor dask`` without the optional extra installed, or a scheduler it cannot reach."""


def check_scheduler(scheduler: str | None) -> str:
    """The scheduler address as given, or a one-line reason it is not usable."""
    if not scheduler:
        raise ValueError("--executor dask needs --scheduler tcp://HOST:8786 (a running scheduler) or local:N")
    if scheduler.startswith(LOCAL_PREFIX):
        count = scheduler[len(LOCAL_PREFIX):]
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"--scheduler {scheduler}: local:N needs a number of worker processes N >= 1")
    elif "://" not in scheduler:
        raise ValueError(f"--scheduler {scheduler}: give an address such as tcp://10.0.0.5:8786, or local:N")
    return scheduler


def require_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise DaskUnavailable(f"--executor dask needs the optional Dask extra: {DASK_EXTRA}") from None


class DaskPool:
    """Runs ``handler(payload, report)`` for each task on a Dask cluster; the same interface as
    :class:`WorkerPool` (page progress events are not sent back)."""

    def __init__(self, handler: Handler, scheduler: str, timeout: float | None = None) -> None:
        require_dask()
        import dask
        from distributed import Client, LocalCluster

        self.handler = handler
        self.timeout = timeout
        self.token = uuid.uuid4().hex
        """Names this run's worker processes on the Dask workers, so they are closed at the end."""
        self.worker_pids: set[int] = set()
        self._cluster: Any = None
        try:
            if scheduler.startswith(LOCAL_PREFIX):
                # Dask workers are daemons by default, and a daemon cannot start the process each file runs in
                with dask.config.set({"distributed.worker.daemon": False}):
                    self._cluster = LocalCluster(n_workers=int(scheduler[len(LOCAL_PREFIX):]), threads_per_worker=1,
                                                 processes=True, dashboard_address=None)
                self.client = Client(self._cluster)
            else:
                self.client = Client(scheduler, timeout="20s")
        except OSError as error:
            raise DaskUnavailable(f"cannot reach the Dask scheduler {scheduler}: {error}") from error

    def __enter__(self) -> DaskPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self, kill: bool = False) -> None:
        try:
            self.client.run(_close_worker_pool, self.token)
        except Exception:  # a worker already gone: nothing to close there
            pass
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def run(
        self, tasks: Iterable[tuple[Any, Any]], on_event: Callable[[Any, str, Any], None] | None = None
    ) -> Iterator[Outcome]:
        """Submit every ``(key, payload)``; yield an Outcome for each as it finishes."""
        from distributed import as_completed

        started = time.monotonic()
        futures = {}
        for number, (key, payload) in enumerate(tasks):
            future = self.client.submit(_run_on_worker, self.handler, self.token, key, payload, self.timeout,
                                        key=f"pipeline-file-{self.token}-{number}", pure=False, retries=0)
            futures[future] = key
        for future in as_completed(futures):
            key = futures[future]
            try:
                outcome: Outcome = future.result()
            except Exception as error:  # the Dask worker itself died (KilledWorker) or could not run it
                yield Outcome(key, "crashed", None, time.monotonic() - started, None,
                              f"the Dask worker running it failed: {type(error).__name__}")
                continue
            outcome.worker_pid = None  # on another machine: not a process of this one to clean up after
            yield outcome


def _run_on_worker(handler: Handler, token: str, key: Any, payload: Any, timeout: float | None) -> Outcome:
    """On a Dask worker: run one file in this worker's own worker process (started once per run)."""
    from distributed import get_worker

    worker = get_worker()
    pools: dict[str, WorkerPool] = worker.__dict__.setdefault("_pipeline_pools", {})
    if token not in pools:
        pools[token] = WorkerPool(handler, jobs=1, timeout=timeout)
    return next(iter(pools[token].run([(key, payload)])))


def _close_worker_pool(token: str, dask_worker: Any) -> None:
    """Run on every Dask worker by ``client.run`` (which passes the worker) at the end of a run."""
    pools = dask_worker.__dict__.get("_pipeline_pools", {})
    pool = pools.pop(token, None)
    if pool is not None:
        pool.close()
