"""Console reporting for batch runs: progress bars on a terminal, plain log lines otherwise.

On a terminal (stderr is a TTY) two tqdm bars show files and pages with the rate and the
time left, and only failures and warnings get a line of their own. When stderr is a file
or a pipe (CI, cron, ``2> log``) every file gets one plain line instead, with no control
characters. ``quiet`` keeps failures and the summary only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.model import format_share

if TYPE_CHECKING:  # the worker code pulls in spaCy; the console needs only the type
    from pipeline.batch.process import FileResult


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


def describe_result(result: FileResult, seconds: float | None = None) -> str:
    """The one console line for a processed file."""
    entry = result.entry
    if entry.status == "failed":
        return f"failed  {entry.file}: {entry.error}"
    head = f"{entry.status:<7} {entry.file}: {entry.pages} page" + ("" if entry.pages == 1 else "s")
    if seconds is not None:
        head += f" in {seconds:.1f} s"
    return head + "".join(f"; {note}" for note in _notes(result))


def _notes(result: FileResult) -> list[str]:
    entry = result.entry
    notes: list[str] = []
    if entry.failed_pages:
        verb = "was" if len(entry.failed_pages) == 1 else "were"
        notes.append(f"{page_list(entry.failed_pages)} could not be read and {verb} left out (see document.json)")
    if entry.unmapped_share is not None:
        counts = (
            f"{result.unmapped_chars} of {result.characters} characters on {page_list(result.unmapped_pages)}"
            if result.characters else "characters"
        )
        notes.append(
            f"broken font map: {format_share(entry.unmapped_share)} of the text ({counts}) has no Unicode mapping "
            "((cid:NN) or private-use glyphs) and was left out"
        )
    if entry.needs_ocr:
        notes.append(
            "needs OCR: no usable text layer on " + (page_list(result.ocr_pages) if result.ocr_pages else "some pages")
        )
    told = ("no_text_layer", "unmapped_glyphs", "page_failed")
    others = entry.warnings - sum(entry.warning_codes.get(code, 0) for code in told)
    if others > 0:
        notes.append(f"{others} other warning" + ("" if others == 1 else "s") + " (see document.json)")
    return notes


def page_list(pages: list[int]) -> str:
    """[1, 2, 3, 7] → 'pages 1-3, 7'."""
    pages = sorted(set(pages))
    runs: list[str] = []
    start = previous = None
    for page in pages + [None]:  # type: ignore[list-item]
        if start is not None and page == previous + 1:
            previous = page
            continue
        if start is not None:
            runs.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = page
    return ("page " if len(pages) == 1 else "pages ") + ", ".join(runs)


def format_seconds(seconds: float) -> str:
    return f"{seconds:g}"

