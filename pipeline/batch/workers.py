"""Worker processes for the batch driver: one file at a time per worker, with a hard per-file timeout.

Every file runs in a worker process, even with ``--jobs 1``, so that a runaway file can
really be stopped: when a file overruns its timeout the parent kills that worker
(SIGKILL) and starts a fresh one for the next file. A worker that dies on its own (a
crash in a C extension, the kernel's out-of-memory killer) is reported the same way, and
the other files carry on.

The pool is generic: it runs ``handler(payload, report)`` for each task and yields
outcomes in completion order. ``report(event, value)`` lets the handler send progress
events (pages opened and read) back to the parent while it works.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

Report = Callable[[str, Any], None]
Handler = Callable[[Any, Report], Any]


@dataclass
class Outcome:
    """What became of one task."""

    key: Any
    kind: str
    """``done`` (``result`` holds the handler's return value), ``timeout`` or ``crashed``."""
    result: Any = None
    seconds: float = 0.0
    worker_pid: int | None = None
    detail: str = ""
    """For ``crashed``: how the worker ended (``killed by signal 9``)."""


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the parent dies (e.g. SIGKILL), so no orphan keeps writing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except Exception:  # best effort only
        pass


def _worker_main(conn: Connection, handler: Handler, parent_pid: int) -> None:
    _die_with_parent()
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
    # Ctrl-C reaches the whole process group; the parent decides what to do, workers ignore it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        key, payload = message

        def report(event: str, value: Any, key: Any = key) -> None:
            conn.send(("event", key, event, value))

        try:
            result = handler(payload, report)
        except BaseException as error:  # the handler is meant to catch everything; this is a safety net
            conn.send(("error", key, f"{type(error).__name__}: {error}"))
        else:
            conn.send(("done", key, result))


def _mp_context() -> multiprocessing.context.BaseContext:
    # fork is fast and needs nothing pickled; elsewhere fall back to spawn.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


MIN_WAIT = 0.05
"""Seconds the pool waits at least between looks at its workers."""
WALL_LIMIT_FACTOR = 3.0
"""A file stuck without using the CPU (waiting on a hung read) is stopped after this many timeouts of wall time."""
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int | None) -> float | None:
    """CPU time (user + system) a process has used, from /proc on Linux; None elsewhere."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, ValueError, IndexError):
        return None


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext, handler: Handler) -> None:
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(
            target=_worker_main, args=(child_conn, handler, os.getpid()), daemon=True, name="pipeline-worker"
        )
        self.process.start()
        child_conn.close()
        self.key: Any = None
        self.started = 0.0
        self.cpu_started: float | None = None

    @property
    def busy(self) -> bool:
        return self.key is not None

    def assign(self, key: Any, payload: Any) -> None:
        self.key = key
        self.started = time.monotonic()
        self.cpu_started = cpu_seconds(self.process.pid)
        self.conn.send((key, payload))

    def used(self) -> float:
        """Seconds spent on the current file: the worker's CPU time where the system tells it
        (a busy machine does not make a file time out), else the time since it was assigned."""
        if self.cpu_started is not None:
            now = cpu_seconds(self.process.pid)
            if now is not None:
                return now - self.cpu_started
        return time.monotonic() - self.started

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _exit_detail(exitcode: int | None) -> str:
    if exitcode is None:
        return "ended"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = ", possibly out of memory" if -exitcode == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exited with status {exitcode}"


class WorkerPool:
    """``jobs`` worker processes running ``handler``; use as a context manager."""

    def __init__(self, handler: Handler, jobs: int = 1, timeout: float | None = None) -> None:
        self.handler = handler
        self.jobs = max(1, jobs)
        self.timeout = timeout if timeout and timeout > 0 else None
        self._context = _mp_context()
        self._workers: list[_Worker] = []
        self.worker_pids: set[int] = set()
        """Every worker process this pool has started (for cleaning up their staging folders)."""

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close(kill=exc_info[0] is not None)

    def _start_worker(self) -> _Worker:
        worker = _Worker(self._context, self.handler)
        self._workers.append(worker)
        if worker.process.pid is not None:
            self.worker_pids.add(worker.process.pid)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        self._workers.remove(worker)

    def close(self, kill: bool = False) -> None:
        """Stop every worker (at once with ``kill``, e.g. after Ctrl-C)."""
        for worker in list(self._workers):
            if kill or worker.busy:
                worker.kill()
            else:
                worker.stop()
        self._workers.clear()

    def run(
        self, tasks: Iterable[tuple[Any, Any]], on_event: Callable[[Any, str, Any], None] | None = None
    ) -> Iterator[Outcome]:
        """Run every ``(key, payload)``; yield an Outcome for each as it finishes."""
        pending = deque(tasks)
        while pending or any(w.busy for w in self._workers):
            while pending:
                idle = next((w for w in self._workers if not w.busy), None)
                if idle is None:
                    if len(self._workers) >= self.jobs:
                        break
                    idle = self._start_worker()
                key, payload = pending.popleft()
                try:
                    idle.assign(key, payload)
                except OSError:  # the worker died while idle: replace it and try again
                    idle.key = None
                    self._retire(idle)
                    pending.appendleft((key, payload))
            busy = [w for w in self._workers if w.busy]
            wait_for = 0.5
            if self.timeout is not None:
                wait_for = min([wait_for] + [max(MIN_WAIT, self.timeout - w.used()) for w in busy])
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for)
            for worker in busy:
                outcome = self._collect(worker, on_event)
                if outcome is not None:
                    yield outcome

    def _collect(self, worker: _Worker, on_event: Callable[[Any, str, Any], None] | None) -> Outcome | None:
        """Read what a busy worker has sent; detect a finished, crashed or overrunning task."""
        key = worker.key
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                if message[0] == "event":
                    if on_event is not None:
                        on_event(message[1], message[2], message[3])
                    continue
                seconds = time.monotonic() - worker.started
                worker.key = None
                if message[0] == "done":
                    return Outcome(key, "done", message[2], seconds, worker.process.pid)
                return Outcome(key, "crashed", None, seconds, worker.process.pid, f"raised {message[2]}")
        except (EOFError, OSError):
            pass
        seconds = time.monotonic() - worker.started
        if not worker.process.is_alive():
            worker.process.join()
            detail = _exit_detail(worker.process.exitcode)
            pid = worker.process.pid
            worker.key = None
            self._retire(worker)
            return Outcome(key, "crashed", None, seconds, pid, detail)
        if self.timeout is not None and (worker.used() >= self.timeout or seconds >= WALL_LIMIT_FACTOR * self.timeout):
            pid = worker.process.pid
            worker.key = None
            self._retire(worker)
            return Outcome(key, "timeout", None, seconds, pid)
        return None
