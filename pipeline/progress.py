"""Console reporting for batch runs: progress bars on a terminal, plain log lines otherwise.

On a terminal (stderr is a TTY) two tqdm bars show files and pages with the rate and the
time left, and only failures and warnings get a line of their own. When stderr is a file
or a pipe (CI, cron, ``2> log``) every file gets one plain line instead, with no control
characters. ``quiet`` keeps failures and the summary only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO


class BatchConsole:
    """What the user sees while a batch runs."""

    def __init__(
        self,
        n_files: int,
        *,
        log: Callable[[str], None] | None = None,
        stream: TextIO | None = None,
        quiet: bool = False,
        bar: bool | None = None,
    ) -> None:
        self.n_files = n_files
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self._log = log
        if bar is None:
            bar = log is None and n_files > 0 and _isatty(self.stream)
        self.bar = bar
        self.finished = 0
        self._pages_reported: dict[Any, int] = {}
        self._files_bar: Any = None
        self._pages_bar: Any = None
        if bar:
            import tqdm

            tqdm.tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked
            self._files_bar = tqdm.tqdm(
                total=n_files, unit="file", desc="files", position=0, file=self.stream, dynamic_ncols=True
            )
            self._pages_bar = tqdm.tqdm(
                total=0, unit="page", desc="pages", position=1, file=self.stream, dynamic_ncols=True
            )

    def line(self, message: str, important: bool = True) -> None:
        """Print a line (above the bars on a terminal); ``important=False`` lines are dropped by quiet."""
        if self.quiet and not important:
            return
        if self._log is not None:
            self._log(message)
        elif self._files_bar is not None:
            self._files_bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream, flush=True)

    def pages_opened(self, key: Any, n_pages: int) -> None:
        self._pages_reported.setdefault(key, 0)
        if self._pages_bar is not None:
            self._pages_bar.total += n_pages
            self._pages_bar.refresh()

    def page_read(self, key: Any) -> None:
        self._pages_reported[key] = self._pages_reported.get(key, 0) + 1
        if self._pages_bar is not None:
            self._pages_bar.update(1)

    def file_finished(self, key: Any, message: str, *, failed: bool, noteworthy: bool, n_pages: int) -> None:
        """One file is done: ``message`` is its one-line summary."""
        self.finished += 1
        shown = self._pages_reported.pop(key, None)
        if self._pages_bar is not None:
            if shown is None:  # never opened as a PDF (text file, or failed before opening)
                self._pages_bar.total += n_pages
                shown = 0
            self._pages_bar.update(max(0, n_pages - shown))
        line = f"[{self.finished}/{self.n_files}] {message}"
        if self._files_bar is not None:
            self._files_bar.update(1)
            if failed or (noteworthy and not self.quiet):
                self.line(line)
        else:
            self.line(line, important=failed)

    def close(self) -> None:
        for bar in (self._pages_bar, self._files_bar):
            if bar is not None:
                bar.close()
        self._files_bar = self._pages_bar = None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
