"""How a batch runs. None of these change what a document's outputs contain."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.batch.dask_pool import check_scheduler
from pipeline.export.formats import DEFAULT_FORMATS, check_formats
from pipeline.settings import SettingError, require_non_negative

DEFAULT_TIMEOUT_SECONDS = 600.0
EXECUTORS = ("processes", "dask")


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs. None of these change what a document's outputs contain."""

    jobs: int = 1
    """Worker processes (0: one per CPU). Every file runs in a worker (even with 1) so that a
    timeout can stop it."""
    timeout_seconds: float | None = DEFAULT_TIMEOUT_SECONDS
    """A file that has used this many seconds of processing time (its worker's CPU time on Linux,
    wall time elsewhere) is stopped and reported as timed out (None or 0: no limit)."""
    force: bool = False
    """Redo files whose sha256 and pipeline version are unchanged (normally they are skipped)."""
    prune: bool = False
    """Delete the output folders of inputs that are gone (normally they are kept and reported)."""
    quiet: bool = False
    """Print only failures and the summary."""
    progress: bool | None = None
    """Progress bars; None: on when stderr is a terminal, plain log lines otherwise."""
    formats: tuple[str, ...] = DEFAULT_FORMATS
    """Formats of the corpus-wide tables: ``csv`` (always), ``parquet`` (also ``<name>.parquet``)."""
    executor: str = "processes"
    """Where files run: ``processes`` (``jobs`` worker processes on this machine) or ``dask``
    (the workers of a Dask cluster, ``scheduler``)."""
    scheduler: str | None = None
    """For ``dask``: a scheduler address (tcp://HOST:8786) or ``local:N`` (a LocalCluster of N processes)."""

    def __post_init__(self) -> None:
        require_non_negative(self, "jobs")
        if self.timeout_seconds is not None:
            require_non_negative(self, "timeout_seconds")
        try:
            object.__setattr__(self, "formats", check_formats(list(self.formats)))  # frozen: canonical order
        except ValueError as error:
            raise SettingError(f"BatchOptions.formats: {error}") from None
        if self.executor not in EXECUTORS:
            raise SettingError(f"BatchOptions.executor must be one of {', '.join(EXECUTORS)}, got {self.executor!r}")
        if self.executor == "dask":
            try:
                check_scheduler(self.scheduler)
            except ValueError as error:
                raise SettingError(str(error)) from None
